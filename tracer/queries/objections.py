"""Objections (异议处理, DOMAIN.md §8) as records: filed by or for the subject or one named
person, against the finding or one person's role in it, verified by the initiating department
(the finding's authority) within a deadline, and decided by a transition of the finding or a
per-person release — each carried out through ``tracer.queries.lifecycle`` and linked.

- Against the finding: accepting it moves the finding to UNDER_REVIEW from the acceptance date
  (suspended for everyone); the decision UPHELD returns it to ACTIVE (departments get a new
  APPLY item), CORRECTED or REVOKED.
- Against one person's role: the finding goes on for the others; that person's liabilities
  under it are suspended from the acceptance date until the decision: UPHELD (they resume) or
  RELEASED (prospective, or ``wrongful``: void from the start).

The objection node is append-only apart from its decision; times of record are the server's.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, Field

from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict, InvalidInput, NotFound
from tracer.domain.keys import PersonKey
from tracer.queries.catalogue import cypher
from tracer.queries.lifecycle import (
    end_suspension,
    release_person,
    suspend_person,
    transition_finding,
)
from tracer.queries.models import PersonRef
from tracer.queries.process_periods import process_days
from tracer.queries.runner import QueryRunner, Row

Outcome = Literal["UPHELD", "CORRECTED", "REVOKED", "RELEASED"]
Status = Literal["OPEN", "DECIDED"]
#: Outcomes of an objection against the whole finding, and the status each moves it to.
FINDING_OUTCOMES = {"UPHELD": "ACTIVE", "CORRECTED": "CORRECTED", "REVOKED": "REVOKED"}
#: Outcomes of an objection to one person's role.
PERSON_OUTCOMES = frozenset({"UPHELD", "RELEASED"})
#: Statuses a finding may be objected to in (UNDER_REVIEW is reachable from them).
OBJECTABLE = frozenset({"ACTIVE", "CORRECTED"})
DEFAULT_VERIFICATION_DAYS = 15
#: Objection ids spell random hex digits as the letters A-P: never shaped like an ID number.
_LETTERS = str.maketrans("0123456789abcdef", "ABCDEFGHIJKLMNOP")
MAX_OBJECTIONS = 1000


class Objection(BaseModel):
    """An objection and, once decided, its outcome."""

    objection_id: str
    finding_id: str
    authority: str | None = Field(description="the initiating department that must verify it")
    person: PersonRef | None = Field(
        default=None, description="the person disputing their own role (null: the finding)"
    )
    filed_on: dt.date
    accepted_on: dt.date = Field(description="suspension runs from this date")
    deadline: dt.date = Field(description="verification deadline (accepted_on + the period)")
    overdue: bool = Field(description="open after its deadline (server clock)")
    status: Status
    reason: str
    document: str | None = None
    filed_by: str
    recorded_at: dt.datetime
    outcome: Outcome | None = None
    decided_on: dt.date | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    decision_reason: str | None = None
    decision_document: str | None = None


_STORED = frozenset(Objection.model_fields) - {"finding_id", "authority", "person", "overdue"}


def _objection(row: Row, today: dt.date) -> Objection:
    props = row["objection"]
    person = row["person"]
    return Objection(
        **{key: value for key, value in props.items() if key in _STORED},
        finding_id=row["finding_id"],
        authority=row["authority"],
        person=PersonRef.of(person["id_type"], person["id_number"], person.get("name"))
        if person
        else None,
        overdue=props["status"] == "OPEN" and today > props["deadline"],
    )


def list_objections(
    runner: QueryRunner,
    department: str | None = None,
    status: Status | None = None,
    finding_id: str | None = None,
    today: dt.date | None = None,
    limit: int = MAX_OBJECTIONS,
) -> list[Objection]:
    """Objections, soonest deadline first: those against ``department``'s findings (its work
    list), of one ``status``, or against one finding; ``overdue`` on ``today`` (default: the
    server's)."""
    today = today or Clock().today()
    rows = runner.read(
        cypher("objection_list"),
        objection_id=None,
        department=department,
        finding_id=finding_id,
        status=status,
        limit=limit,
    )
    return [_objection(row, today) for row in rows]


def get_objection(runner: QueryRunner, objection_id: str, clock: Clock | None = None) -> Objection:
    """One objection; ``NotFound`` for an unknown id."""
    row = runner.read_one(
        cypher("objection_list"),
        objection_id=objection_id,
        department=None,
        finding_id=None,
        status=None,
        limit=1,
    )
    if row is None:
        raise NotFound(f"no objection with id {objection_id}")
    return _objection(row, (clock or Clock()).today())


def _text(name: str, value: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(f"{name} is required")
    return value.strip()


def file_objection(
    runner: QueryRunner,
    finding_id: str,
    filed_on: dt.date,
    reason: str,
    filer: str,
    person: PersonKey | None = None,
    accepted_on: dt.date | None = None,
    document: str | None = None,
    clock: Clock | None = None,
) -> Objection:
    """Record an accepted objection and suspend what it disputes from ``accepted_on`` (default
    ``filed_on``): the finding (UNDER_REVIEW) or, with ``person``, that person's liabilities.

    Raises ``NotFound`` (finding or person), ``InvalidInput`` (dates: accepted before filed,
    filed before the decision or in the future; blank reason) or ``Conflict`` (the finding is
    not in force, or the same objection is already open).
    """
    clock = clock or Clock()
    reason, filer = _text("reason", reason), _text("filer", filer)
    accepted = accepted_on or filed_on
    today = clock.today()
    if accepted < filed_on:
        raise InvalidInput(f"accepted_on {accepted} is before filed_on {filed_on}")
    if accepted > today:
        raise InvalidInput(f"accepted_on {accepted} is in the future (today is {today})")
    target = runner.read_one(
        cypher("objection_target"),
        finding_id=finding_id,
        id_type=person.id_type if person else None,
        id_number=person.id_number if person else None,
    )
    if target is None:
        raise NotFound(f"no finding with id {finding_id}")
    finding = target["finding"]
    if filed_on < finding["decided_on"]:
        raise InvalidInput(f"filed_on {filed_on} is before the decision ({finding['decided_on']})")
    if person is not None and not target["person_found"]:
        raise NotFound(f"no person {person.masked}")
    if finding["status"] not in OBJECTABLE:
        raise Conflict(f"finding {finding_id} is {finding['status']}: nothing to object to")
    if target["open"]:
        raise Conflict(f"an objection to the same finding ({finding_id}) is already open")
    days = process_days(
        "OBJECTION_VERIFICATION", finding["list_type"], accepted, target["region_code"]
    )
    objection_id = "OBJ-" + uuid.uuid4().hex[:16].translate(_LETTERS)
    note = f"objection {objection_id}: {reason}"
    if person is None:
        transition_finding(
            runner, finding_id, "UNDER_REVIEW", filer, note, accepted, document, clock=clock
        )
    else:
        suspend_person(runner, finding_id, person, filer, note, accepted, document, clock)
    runner.write(
        cypher("objection_record"),
        finding_id=finding_id,
        id_type=person.id_type if person else None,
        id_number=person.id_number if person else None,
        objection={
            "objection_id": objection_id,
            "finding_id": finding_id,
            "filed_on": filed_on,
            "accepted_on": accepted,
            "deadline": accepted + dt.timedelta(days=days or DEFAULT_VERIFICATION_DAYS),
            "status": "OPEN",
            "reason": reason,
            "document": document.strip() if document and document.strip() else None,
            "filed_by": filer,
            "recorded_at": clock.now(),
        },
    )
    return get_objection(runner, objection_id, clock)


def decide_objection(
    runner: QueryRunner,
    objection_id: str,
    outcome: str,
    actor: str,
    reason: str,
    effective_on: dt.date | None = None,
    wrongful: bool = False,
    document: str | None = None,
    clock: Clock | None = None,
) -> Objection:
    """Decide an open objection, effective ``effective_on`` (default today), through the
    finding's lifecycle: against the finding UPHELD (→ ACTIVE), CORRECTED or REVOKED; against a
    person's role UPHELD (the suspension ends) or RELEASED (``wrongful``: void from the start).

    Raises ``NotFound``, ``InvalidInput`` (an outcome that does not fit, blank reason, a bad
    date) or ``Conflict`` (already decided, or a move the finding's status does not allow).
    """
    clock = clock or Clock()
    actor, reason = _text("actor", actor), _text("reason", reason)
    outcome = outcome.strip().upper()
    objection = get_objection(runner, objection_id, clock)
    if objection.status != "OPEN":
        raise Conflict(f"objection {objection_id} was already decided ({objection.outcome})")
    effective = effective_on or clock.today()
    if effective < objection.accepted_on:
        raise InvalidInput("the decision cannot take effect before the objection's acceptance")
    note = f"objection {objection_id} decided {outcome}: {reason}"
    transition_id: str | None = None
    if objection.person is None:
        if outcome not in FINDING_OUTCOMES:
            raise InvalidInput(
                f"an objection to the finding is decided {', '.join(FINDING_OUTCOMES)}"
            )
        record = transition_finding(
            runner,
            objection.finding_id,
            FINDING_OUTCOMES[outcome],
            actor,
            note,
            effective,
            document,
            clock=clock,
        )
        transition_id = record.transition_id
    else:
        if outcome not in PERSON_OUTCOMES:
            raise InvalidInput("an objection to a person's role is decided UPHELD or RELEASED")
        if effective > clock.today():
            raise InvalidInput(f"effective date {effective} is in the future")
        key = objection.person.key
        if outcome == "RELEASED":
            release_person(
                runner, objection.finding_id, key, actor, note, effective, wrongful, document, clock
            )
        end_suspension(runner, objection.finding_id, key, effective, clock)
    rows = runner.write(
        cypher("objection_decide"),
        objection_id=objection_id,
        transition_id=transition_id,
        decision={
            "status": "DECIDED",
            "outcome": outcome,
            "decided_on": effective,
            "decided_by": actor,
            "decided_at": clock.now(),
            "decision_reason": reason,
            "decision_document": document.strip() if document and document.strip() else None,
            "release_wrongful": wrongful if outcome == "RELEASED" else None,
        },
    )
    if not rows:
        raise Conflict(f"objection {objection_id} was decided concurrently")
    return get_objection(runner, objection_id, clock)
