"""Credit commitments (信用承诺) and interviews (提示约谈 / 警示约谈) of DOMAIN.md §13:
recorded by a department at the server's time, closed (fulfilled, breached, rectified) with an
effective date, and flagged on a date. A breach or an unrectified deadline is a record — a bad
record for the green channel (§10) — never a finding."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict, InvalidInput, NotFound
from tracer.domain.keys import SubjectKey
from tracer.queries.catalogue import cypher
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.runner import QueryRunner, Row

MAX_RECORDS = 1_000
Outcome = Literal["FULFILLED", "BREACHED"]
InterviewKind = Literal["PROMPT", "WARNING"]


class RecordDepartment(BaseModel):
    """The department that received a commitment or held an interview."""

    code: str
    name: str | None = None


class CommitmentRecord(BaseModel):
    """A credit commitment with its flags on ``as_of``: BREACHED (breached by then) or OVERDUE
    (past ``due_on``, neither fulfilled nor breached by then)."""

    commitment_id: str
    matter: str | None = None
    department: RecordDepartment
    committed_on: dt.date
    due_on: dt.date | None = None
    fulfilled_on: dt.date | None = None
    breached_on: dt.date | None = None
    recorded_at: dt.datetime | None = Field(default=None, description="server time of record")
    flags: list[Literal["BREACHED", "OVERDUE"]]


class InterviewRecord(BaseModel):
    """An interview with its flag on ``as_of``: UNRECTIFIED (past ``rectify_by`` and not
    rectified by then)."""

    interview_id: str
    kind: InterviewKind
    department: RecordDepartment
    held_on: dt.date
    rectify_by: dt.date | None = None
    rectified_on: dt.date | None = None
    recorded_at: dt.datetime | None = Field(default=None, description="server time of record")
    flags: list[Literal["UNRECTIFIED"]]


class SubjectRecords(BaseModel):
    """A subject's commitments and interviews on ``as_of`` (newest first)."""

    as_of: dt.date
    commitments: list[CommitmentRecord]
    interviews: list[InterviewRecord]


class RecordAnswer(BaseModel):
    """One commitment or interview as recorded, with its subject (flags on the server's today)."""

    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None
    commitment: CommitmentRecord | None = None
    interview: InterviewRecord | None = None


class CreditBadRecord(BaseModel):
    """A breached commitment, or a WARNING interview left unrectified past its deadline, on some
    day of the green channel's window (DOMAIN.md §10, §13)."""

    kind: Literal["COMMITMENT_BREACHED", "INTERVIEW_UNRECTIFIED"]
    record_id: str
    department: str
    since: dt.date = Field(description="the breach, or the first day past the deadline")
    ended: dt.date | None = Field(description="the rectification; null while unrectified")
    current: bool = Field(description="still unrectified on the date asked")


def _flags_commitment(record: Row, as_of: dt.date) -> list[Literal["BREACHED", "OVERDUE"]]:
    breached = record.get("breached_on")
    fulfilled = record.get("fulfilled_on")
    if breached is not None and breached <= as_of:
        return ["BREACHED"]
    due = record.get("due_on")
    if due is not None and due < as_of and (fulfilled is None or fulfilled > as_of):
        return ["OVERDUE"]
    return []


def _unrectified(record: Row, as_of: dt.date) -> bool:
    deadline, rectified = record.get("rectify_by"), record.get("rectified_on")
    return deadline is not None and deadline < as_of and (rectified is None or rectified > as_of)


def _commitment(record: Row, department: Row, as_of: dt.date) -> CommitmentRecord:
    return CommitmentRecord(
        **{key: value for key, value in record.items() if key in CommitmentRecord.model_fields},
        department=RecordDepartment(**department),
        flags=_flags_commitment(record, as_of),
    )


def _interview(record: Row, department: Row, as_of: dt.date) -> InterviewRecord:
    return InterviewRecord(
        **{key: value for key, value in record.items() if key in InterviewRecord.model_fields},
        department=RecordDepartment(**department),
        flags=["UNRECTIFIED"] if _unrectified(record, as_of) else [],
    )


def subject_records(runner: QueryRunner, subject: SubjectKey, as_of: dt.date) -> SubjectRecords:
    """The commitments and interviews of an enterprise or a person, flagged on ``as_of``."""
    rows = runner.read(
        cypher("records_of_subject"),
        uscc=subject.uscc,
        id_type=subject.id_type,
        id_number=subject.id_number,
        limit=MAX_RECORDS,
    )
    return SubjectRecords(
        as_of=as_of,
        commitments=[
            _commitment(row["record"], row["department"], as_of)
            for row in rows
            if row["kind"] == "COMMITMENT"
        ],
        interviews=[
            _interview(row["record"], row["department"], as_of)
            for row in rows
            if row["kind"] == "INTERVIEW"
        ],
    )


def credit_bad_records(
    records: SubjectRecords, start: dt.date, end: dt.date
) -> list[CreditBadRecord]:
    """Breaches in ``start..end`` and WARNING interviews unrectified past their deadline on some
    day of it (a PROMPT interview is a reminder, not a bad record)."""
    found = [
        CreditBadRecord(
            kind="COMMITMENT_BREACHED",
            record_id=item.commitment_id,
            department=item.department.code,
            since=item.breached_on,
            ended=item.breached_on,
            current=False,
        )
        for item in records.commitments
        if item.breached_on is not None and start <= item.breached_on <= end
    ]
    for item in records.interviews:
        if item.kind != "WARNING" or item.rectify_by is None or item.rectify_by >= end:
            continue
        late = item.rectify_by + dt.timedelta(days=1)
        rectified = item.rectified_on
        if rectified is not None and (rectified <= item.rectify_by or rectified < start):
            continue
        found.append(
            CreditBadRecord(
                kind="INTERVIEW_UNRECTIFIED",
                record_id=item.interview_id,
                department=item.department.code,
                since=late,
                ended=rectified if rectified is not None and rectified <= end else None,
                current=rectified is None or rectified > end,
            )
        )
    return found


def get_record(
    runner: QueryRunner,
    as_of: dt.date,
    commitment_id: str | None = None,
    interview_id: str | None = None,
) -> RecordAnswer:
    """One commitment or interview by id, flagged on ``as_of``; ``NotFound`` when unknown."""
    row = runner.read_one(
        cypher("records_by_id"), commitment_id=commitment_id, interview_id=interview_id
    )
    if row is None:
        what = "commitment" if commitment_id is not None else "interview"
        raise NotFound(f"no {what} with id {commitment_id or interview_id}")
    person = row["person"]
    return RecordAnswer(
        enterprise=EnterpriseRef(**row["enterprise"]) if row["enterprise"] else None,
        person=PersonRef.of(person["id_type"], person["id_number"], person.get("name"))
        if person
        else None,
        commitment=_commitment(row["record"], row["department"], as_of)
        if row["kind"] == "COMMITMENT"
        else None,
        interview=_interview(row["record"], row["department"], as_of)
        if row["kind"] == "INTERVIEW"
        else None,
    )


def department_of(answer: RecordAnswer) -> str:
    """The code of the department that received the commitment or held the interview."""
    record = answer.commitment or answer.interview
    assert record is not None
    return record.department.code


def _not_future(day: dt.date, what: str, clock: Clock) -> None:
    if day > clock.today():
        raise InvalidInput(f"{what} {day} is in the future (today is {clock.today()})")


def _not_before(early: dt.date, late: dt.date | None, what: str) -> None:
    if late is not None and late < early:
        raise InvalidInput(f"{what} {late} is before {early}")


def _create(
    runner: QueryRunner,
    name: str,
    key: str,
    subject: SubjectKey,
    department: str,
    props: dict[str, Any],
    actor: str,
    clock: Clock,
) -> str:
    record_id = f"{'CMT' if key == 'commitment_id' else 'ITV'}-{secrets.token_hex(8).upper()}"
    rows = runner.write(
        cypher(name),
        uscc=subject.uscc,
        id_type=subject.id_type,
        id_number=subject.id_number,
        department=department,
        props={name: value for name, value in props.items() if value is not None},
        recorded_at=clock.now(),
        recorded_by=actor,
        **{key: record_id},
    )
    if not rows:
        raise NotFound(f"the subject or department {department} is not in the graph")
    return record_id


def record_commitment(
    runner: QueryRunner,
    subject: SubjectKey,
    department: str,
    matter: str,
    committed_on: dt.date,
    due_on: dt.date | None,
    actor: str,
    clock: Clock,
) -> RecordAnswer:
    """Record a commitment the subject gave ``department`` (committed, so not in the future; a
    deadline not before it). ``NotFound`` for an unknown subject or department."""
    _not_future(committed_on, "committed_on", clock)
    _not_before(committed_on, due_on, "due_on")
    props = {"matter": matter, "committed_on": committed_on, "due_on": due_on}
    record_id = _create(
        runner,
        "records_commitment_create",
        "commitment_id",
        subject,
        department,
        props,
        actor,
        clock,
    )
    return get_record(runner, clock.today(), commitment_id=record_id)


def close_commitment(
    runner: QueryRunner,
    commitment_id: str,
    outcome: Outcome,
    on: dt.date,
    actor: str,
    document: str | None,
    clock: Clock,
) -> RecordAnswer:
    """Record the fulfilment or the breach of an open commitment on ``on`` (come, not before the
    commitment). ``Conflict`` when it is already fulfilled or breached."""
    current = get_record(runner, clock.today(), commitment_id=commitment_id)
    assert current.commitment is not None
    _not_future(on, "the date", clock)
    _not_before(current.commitment.committed_on, on, "the date")
    rows = runner.write(
        cypher("records_commitment_close"),
        commitment_id=commitment_id,
        outcome=outcome,
        on=on,
        recorded_at=clock.now(),
        recorded_by=actor,
        document=document,
    )
    if not rows:
        raise Conflict(f"commitment {commitment_id} is already fulfilled or breached")
    return get_record(runner, clock.today(), commitment_id=commitment_id)


def record_interview(
    runner: QueryRunner,
    subject: SubjectKey,
    department: str,
    kind: InterviewKind,
    held_on: dt.date,
    rectify_by: dt.date | None,
    actor: str,
    clock: Clock,
) -> RecordAnswer:
    """Record an interview ``department`` held with the subject (held, so not in the future; a
    deadline not before it). ``NotFound`` for an unknown subject or department."""
    _not_future(held_on, "held_on", clock)
    _not_before(held_on, rectify_by, "rectify_by")
    props = {"kind": kind, "held_on": held_on, "rectify_by": rectify_by}
    record_id = _create(
        runner, "records_interview_create", "interview_id", subject, department, props, actor, clock
    )
    return get_record(runner, clock.today(), interview_id=record_id)


def rectify_interview(
    runner: QueryRunner,
    interview_id: str,
    on: dt.date,
    actor: str,
    document: str | None,
    clock: Clock,
) -> RecordAnswer:
    """Record the subject's rectification on ``on`` (come, not before the interview).
    ``Conflict`` when it is already recorded."""
    current = get_record(runner, clock.today(), interview_id=interview_id)
    assert current.interview is not None
    _not_future(on, "the date", clock)
    _not_before(current.interview.held_on, on, "the date")
    rows = runner.write(
        cypher("records_interview_rectify"),
        interview_id=interview_id,
        on=on,
        recorded_at=clock.now(),
        recorded_by=actor,
        document=document,
    )
    if not rows:
        raise Conflict(f"interview {interview_id} is already rectified")
    return get_record(runner, clock.today(), interview_id=interview_id)
