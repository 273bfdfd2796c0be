"""Initiation (发起, DOMAIN.md §9): an initiating department drafts a finding with the persons
it names; for an administrative listing it records the notice to the subject (reasons, basis,
rights — 国办发〔2020〕49号 (八)) and waits out the objection window; a second person of the
same department approves it. Only then is it a ``:Finding`` — written through the loader's path
(``record_findings`` and ``load_finding_persons``), so it is ACTIVE and pushed like a loaded one.

A draft is a ``:FindingDraft`` node without relationships (its subject and named persons are
properties): no check, work list, network, statistic, signal or export can meet it.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from tracer.domain.findings import check_decision, check_naming
from tracer.domain.keys import PersonKey
from tracer.queries.catalogue import cypher
from tracer.queries.lifecycle import FindingInput, record_findings
from tracer.queries.models import PersonRef
from tracer.queries.process_periods import process_days
from tracer.queries.reference import snapshot
from tracer.queries.runner import QueryRunner, Row

#: What a draft carries over into its finding as the decision.
_DECISION = {
    "list_type", "category", "ground", "severe", "exit_restricted", "authority", "basis",
    "act_date", "decided_on", "effective_until",
}  # fmt: skip


class Naming(BaseModel):
    """A person the draft names, with a capacity, from ``effective_on`` (default: decision)."""

    person: PersonRef
    capacity: str
    effective_on: dt.date | None = None


class Notice(BaseModel):
    """The notice told to the subject before an administrative listing."""

    notified_on: dt.date
    reasons: str
    basis: str
    rights: str


class DraftInput(BaseModel):
    """A finding as its initiating department drafts it."""

    finding_id: str
    subject_uscc: str | None = None
    subject_person: PersonKey | None = None
    list_type: str
    category: str | None = None
    ground: str | None = None
    severe: bool | None = None
    exit_restricted: bool | None = None
    authority: str
    basis: str | None = None
    act_date: dt.date | None = None
    decided_on: dt.date
    effective_until: dt.date | None = None
    persons: list[tuple[PersonKey, str, dt.date | None]] = Field(default_factory=list)
    notice: Notice | None = None


class Draft(BaseModel):
    """A draft finding and its approval."""

    finding_id: str
    status: str = Field(description="DRAFT, or APPROVED once it is a finding")
    subject_uscc: str | None = None
    subject_person: PersonRef | None = None
    subject_name: str | None = None
    list_type: str
    category: str | None = None
    ground: str | None = None
    severe: bool | None = None
    exit_restricted: bool | None = None
    authority: str
    basis: str | None = None
    act_date: dt.date | None = None
    decided_on: dt.date
    effective_until: dt.date | None = None
    persons: list[Naming]
    notice: Notice | None = Field(default=None, description="none for a court list")
    window_ends: dt.date | None = Field(
        default=None, description="last day of the objection window; approval comes after it"
    )
    drafted_by: str
    drafted_at: dt.datetime
    approved_by: str | None = None
    approved_at: dt.datetime | None = None


class Signer(BaseModel):
    """Who drafts or approves: the key's id and name (its holder), and how a write names it."""

    key_id: str
    name: str
    actor: str


def _list_type_categories(runner: QueryRunner) -> dict[str, str | None]:
    rows = snapshot(runner).rows("list_types")
    return {str(row["code"]): row.get("category") or None for row in rows}


def draft_finding(
    runner: QueryRunner, draft: DraftInput, signer: Signer, clock: Clock | None = None
) -> Draft:
    """Record a draft after the checks a loaded finding passes (``FindingRejected``, a 422),
    its subject and named persons known (``NotFound``), the id free (``Conflict``), and — for a
    list type with a notice window — the notice given, not in the future (``InvalidInput``)."""
    clock = clock or Clock()
    category = check_decision(
        draft.list_type,
        draft.category,
        draft.ground,
        draft.act_date,
        draft.decided_on,
        draft.effective_until,
        _list_type_categories(runner),
    )
    for _, capacity, effective_on in draft.persons:
        check_naming(capacity, effective_on, draft.decided_on)
    if len({(key, capacity) for key, capacity, _ in draft.persons}) < len(draft.persons):
        raise InvalidInput("a person is named twice with the same capacity")
    subject = draft.subject_person
    target = runner.read_one(
        cypher("draft_target"),
        finding_id=draft.finding_id,
        uscc=draft.subject_uscc,
        id_type=subject.id_type if subject else None,
        id_number=subject.id_number if subject else None,
        persons=[{"id_type": k.id_type, "id_number": k.id_number} for k, _, _ in draft.persons],
    )
    assert target is not None  # OPTIONAL MATCHes only: always one row
    if target["taken"]:
        raise Conflict(f"finding id {draft.finding_id} is already taken")
    if not target["subject_found"]:
        raise NotFound("the subject is not in the graph")
    if target["missing"]:
        first = PersonKey(target["missing"][0]["id_type"], target["missing"][0]["id_number"])
        raise NotFound(f"no person {first.masked}")
    today = clock.today()
    days = process_days("NOTICE_WINDOW", draft.list_type, today, target["region_code"])
    notice = draft.notice
    if days is not None and notice is None:
        raise InvalidInput(f"a {draft.list_type} listing needs the notice to the subject first")
    if notice is not None and notice.notified_on > today:
        raise InvalidInput(f"notified_on {notice.notified_on} is in the future")
    props: dict[str, object] = {
        **draft.model_dump(exclude={"subject_person", "persons", "notice"}),
        "category": category,
        "status": "DRAFT",
        "subject_id_type": subject.id_type if subject else None,
        "subject_id_number": subject.id_number if subject else None,
        "person_id_types": [key.id_type for key, _, _ in draft.persons],
        "person_id_numbers": [key.id_number for key, _, _ in draft.persons],
        "person_capacities": [capacity for _, capacity, _ in draft.persons],
        "person_effective": [on or draft.decided_on for _, _, on in draft.persons],
        "drafted_by": signer.actor,
        "drafted_key": signer.key_id,
        "drafted_name": signer.name,
        "drafted_at": clock.now(),
    }
    if days is not None and notice is not None:
        props |= {
            "notified_on": notice.notified_on,
            "notice_reasons": notice.reasons.strip(),
            "notice_basis": notice.basis.strip(),
            "notice_rights": notice.rights.strip(),
            "window_ends": notice.notified_on + dt.timedelta(days=days),
        }
    stored = {key: value for key, value in props.items() if value is not None}
    if not runner.write(cypher("draft_create"), draft=stored):
        raise Conflict(f"finding id {draft.finding_id} is already taken")
    return get_draft(runner, draft.finding_id)


def _draft(row: Row) -> Draft:
    props = row["draft"]
    subject = (
        PersonRef.of(props["subject_id_type"], props["subject_id_number"], row["subject_name"])
        if props.get("subject_id_number")
        else None
    )
    notice = (
        Notice(
            notified_on=props["notified_on"],
            reasons=props["notice_reasons"],
            basis=props["notice_basis"],
            rights=props["notice_rights"],
        )
        if props.get("notified_on")
        else None
    )
    persons = [
        Naming(
            person=PersonRef.of(item["id_type"], item["id_number"], item["name"]),
            capacity=item["capacity"],
            effective_on=item["effective_on"],
        )
        for item in row["persons"]
    ]
    fields = set(Draft.model_fields) - {"subject_person", "persons", "notice", "subject_name"}
    return Draft(
        **{key: value for key, value in props.items() if key in fields},
        subject_person=subject,
        subject_name=row["subject_name"],
        persons=persons,
        notice=notice,
    )


def get_draft(runner: QueryRunner, finding_id: str) -> Draft:
    """One draft; ``NotFound`` for an unknown id."""
    row = runner.read_one(cypher("draft_get"), finding_id=finding_id)
    if row is None:
        raise NotFound(f"no draft finding with id {finding_id}")
    return _draft(row)


def approve_draft(
    runner: QueryRunner,
    finding_id: str,
    signer: Signer,
    department: str | None,
    clock: Clock | None = None,
) -> Draft:
    """Make a draft a finding, ACTIVE from its decision, with the persons it names.

    ``department`` is the approver's (None: an admin). Raises ``NotFound``, ``Forbidden``
    (another department; the drafter — same key or same holder — approving), ``Conflict``
    (already approved; the objection window not yet over by the server's clock).
    """
    clock = clock or Clock()
    row = runner.read_one(cypher("draft_get"), finding_id=finding_id)
    if row is None:
        raise NotFound(f"no draft finding with id {finding_id}")
    draft, props = _draft(row), row["draft"]
    if department is not None and department != draft.authority:
        raise Forbidden("only the initiating department (the draft's authority) approves it")
    if signer.key_id == props["drafted_key"] or signer.name == props["drafted_name"]:
        raise Forbidden("the approver must be another person than the drafter")
    if draft.status != "DRAFT":
        raise Conflict(f"draft {finding_id} was already approved")
    today = clock.today()
    if draft.window_ends is not None and today <= draft.window_ends:
        raise Conflict(
            f"the objection window runs until {draft.window_ends}; approve from "
            f"{draft.window_ends + dt.timedelta(days=1)}"
        )
    record_findings(
        runner,
        [
            FindingInput(
                finding_id=finding_id,
                subject_uscc=draft.subject_uscc,
                subject_person=draft.subject_person.key if draft.subject_person else None,
                **draft.model_dump(include=_DECISION),
            )
        ],
        signer.actor,
        clock,
    )
    runner.write(
        cypher("load_finding_persons"),
        rows=[
            {
                "finding_id": finding_id,
                "id_type": naming.person.id_type,
                "id_number": naming.person.id_number,
                "capacity": naming.capacity,
                "effective_on": naming.effective_on,
            }
            for naming in draft.persons
        ],
        recorded_at=clock.now(),
    )
    approved = runner.write(
        cypher("draft_approve"),
        finding_id=finding_id,
        approval={
            "approved_by": signer.actor,
            "approved_key": signer.key_id,
            "approved_name": signer.name,
            "approved_at": clock.now(),
        },
    )
    if not approved:
        raise Conflict(f"draft {finding_id} was approved concurrently")
    return get_draft(runner, finding_id)
