"""A credit report's own records (DOMAIN §13): red-list honours, credit commitments and
interviews of the subject and the objections against the report's findings, each with its
state on the report's date — a commitment breached or overdue, an interview unrectified past
its deadline, an objection still open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from tracer.domain.keys import SubjectKey
from tracer.queries.catalogue import cypher
from tracer.queries.liability import Moment
from tracer.queries.models import PersonRef
from tracer.queries.runner import QueryRunner, Row

MAX_RECORDS = 500


class DepartmentRef(BaseModel):
    """The department that received, held or decided a record."""

    code: str
    name: str | None = None


class ReportHonour(BaseModel):
    """A red-list honour granted by the report's date; ``valid`` on that date."""

    honour_id: str
    honour: str
    granted_by: str | None = None
    granted_on: dt.date | None = None
    valid_until: dt.date | None = None
    valid: bool


class ReportCommitment(BaseModel):
    """A credit commitment (信用承诺) given by the subject, as it stood on the report's date."""

    commitment_id: str
    matter: str | None = None
    committed_on: dt.date
    due_on: dt.date | None = None
    fulfilled_on: dt.date | None = None
    breached_on: dt.date | None = None
    department: DepartmentRef | None = None
    state: Literal["FULFILLED", "BREACHED", "OVERDUE", "OPEN"]


class ReportInterview(BaseModel):
    """An interview (提示约谈 / 警示约谈) of the subject, as it stood on the report's date."""

    interview_id: str
    kind: str | None = None
    held_on: dt.date
    rectify_by: dt.date | None = None
    rectified_on: dt.date | None = None
    department: DepartmentRef | None = None
    state: Literal["RECTIFIED", "UNRECTIFIED_OVERDUE", "OPEN"]


class ReportObjection(BaseModel):
    """An objection (异议) against one of the report's findings, as it stood on the date."""

    objection_id: str
    finding_id: str
    person: PersonRef | None = Field(
        default=None, description="the person disputing their own role (null: the finding)"
    )
    filed_on: dt.date
    deadline: dt.date | None = None
    decided_on: dt.date | None = Field(default=None, description="null while open on the date")
    outcome: str | None = None
    state: Literal["DECIDED", "OPEN"]


class ReportRecords(BaseModel):
    """The records of a report besides findings and liabilities."""

    honours: list[ReportHonour]
    commitments: list[ReportCommitment]
    interviews: list[ReportInterview]
    objections: list[ReportObjection]


def _on(day: dt.date | None, as_of: dt.date) -> dt.date | None:
    """A date that has happened by ``as_of`` (later ones are not yet on the record)."""
    return day if day is not None and day <= as_of else None


def _commitment(row: Row, as_of: dt.date) -> ReportCommitment:
    fulfilled, breached = _on(row.get("fulfilled_on"), as_of), _on(row.get("breached_on"), as_of)
    due = row.get("due_on")
    state: Literal["FULFILLED", "BREACHED", "OVERDUE", "OPEN"] = (
        "BREACHED"
        if breached
        else "FULFILLED"
        if fulfilled
        else "OVERDUE"
        if due is not None and due < as_of
        else "OPEN"
    )
    return ReportCommitment(
        **{**row, "fulfilled_on": fulfilled, "breached_on": breached}, state=state
    )


def _interview(row: Row, as_of: dt.date) -> ReportInterview:
    rectified, deadline = _on(row.get("rectified_on"), as_of), row.get("rectify_by")
    state: Literal["RECTIFIED", "UNRECTIFIED_OVERDUE", "OPEN"] = (
        "RECTIFIED"
        if rectified
        else "UNRECTIFIED_OVERDUE"
        if deadline is not None and deadline < as_of
        else "OPEN"
    )
    return ReportInterview(**{**row, "rectified_on": rectified}, state=state)


def _objection(row: Row, as_of: dt.date) -> ReportObjection:
    decided = _on(row.get("decided_on"), as_of)
    person = row.get("person")
    return ReportObjection(
        objection_id=row["objection_id"],
        finding_id=row["finding_id"],
        person=PersonRef.of(person["id_type"], person["id_number"], person.get("name"))
        if person
        else None,
        filed_on=row["filed_on"],
        deadline=row.get("deadline"),
        decided_on=decided,
        outcome=row.get("outcome") if decided else None,
        state="DECIDED" if decided else "OPEN",
    )


def _valid(row: Row, as_of: dt.date) -> bool:
    until = row.get("valid_until")
    return until is None or until >= as_of


def report_records(
    runner: QueryRunner,
    subject: SubjectKey,
    finding_ids: Sequence[str],
    as_of: dt.date,
    known_on: dt.datetime | None = None,
) -> ReportRecords:
    """Honours, commitments and interviews of ``subject`` and objections against
    ``finding_ids`` on ``as_of`` as known on ``known_on`` (empty lists for an unknown subject)."""
    moment = Moment(as_of, known_on)
    row = runner.read_one(
        cypher("report_records"),
        uscc=subject.uscc,
        id_type=subject.id_type,
        id_number=subject.id_number,
        finding_ids=list(dict.fromkeys(finding_ids)),
        limit=MAX_RECORDS,
        **moment.params(),
    )
    if row is None:
        return ReportRecords(honours=[], commitments=[], interviews=[], objections=[])
    return ReportRecords(
        honours=[ReportHonour(**item, valid=_valid(item, as_of)) for item in row["honours"]],
        commitments=[_commitment(item, as_of) for item in row["commitments"]],
        interviews=[_interview(item, as_of) for item in row["interviews"]],
        objections=[_objection(item, as_of) for item in row["objections"]],
    )
