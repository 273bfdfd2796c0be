"""Implementer feedback (DOMAIN.md §9, 执行反馈): what a department did about one measure for one
subject or person of a finding — applied, not applicable, refused, and later lifted or restored.
Append-only; recorded at the server's time."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel

from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict, InvalidInput, NotFound, UnknownCode
from tracer.domain.keys import SubjectKey
from tracer.queries.catalogue import cypher
from tracer.queries.departments import department
from tracer.queries.liability import FindingReach, finding_reach
from tracer.queries.measures import measure_catalogue
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.reference import snapshot
from tracer.queries.runner import QueryRunner, Row

Outcome = Literal["APPLIED", "NOT_APPLICABLE", "REFUSED", "LIFTED", "RESTORED"]
OUTCOMES: tuple[Outcome, ...] = ("APPLIED", "NOT_APPLICABLE", "REFUSED", "LIFTED", "RESTORED")
#: Outcomes that answer an item to apply; the others close an item to lift.
APPLY_OUTCOMES = frozenset({"APPLIED", "NOT_APPLICABLE", "REFUSED"})
LIFT_OUTCOMES = frozenset({"LIFTED", "RESTORED"})
MAX_FEEDBACK = 10_000


class Feedback(BaseModel):
    """One implementer feedback (append-only)."""

    feedback_id: str
    department: str
    finding_id: str
    subject_kind: Literal["ENTERPRISE", "PERSON"]
    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None
    measure: str
    outcome: Outcome
    on: dt.date
    reason: str | None = None
    recorded_at: dt.datetime
    actor: str

    @property
    def target(self) -> tuple[str, ...]:
        """The subject this feedback is about, as a comparable key."""
        if self.person is not None:
            return ("PERSON", self.person.id_type, self.person.id_number or "")
        return ("ENTERPRISE", self.enterprise.uscc if self.enterprise else "")


def _feedback(raw: Row) -> Feedback:
    person = enterprise = None
    if raw["subject_kind"] == "PERSON":
        person = PersonRef.of(raw["subject_id_type"], raw["subject_id_number"])
    else:
        enterprise = EnterpriseRef(uscc=raw["subject_uscc"])
    return Feedback(
        feedback_id=raw["feedback_id"],
        department=raw["department"],
        finding_id=raw["finding_id"],
        subject_kind=raw["subject_kind"],
        enterprise=enterprise,
        person=person,
        measure=raw["measure"],
        outcome=raw["outcome"],
        on=raw["on"],
        reason=raw.get("reason"),
        recorded_at=raw["recorded_at"],
        actor=raw["actor"],
    )


def feedback_on(
    runner: QueryRunner, finding_ids: Sequence[str], department_code: str | None = None
) -> list[Feedback]:
    """Feedback recorded on ``finding_ids`` (by one department, if given), oldest first."""
    if not finding_ids:
        return []
    rows = runner.read(
        cypher("feedback_by_findings"),
        finding_ids=list(finding_ids),
        department=department_code,
        limit=MAX_FEEDBACK,
    )
    return [_feedback(row["feedback"]) for row in rows]


def applied_by(runner: QueryRunner, department_code: str | None) -> list[Feedback]:
    """APPLIED, LIFTED and RESTORED feedback (of one department, or all), oldest first: what a
    department restricts and has lifted — the source of its lift items."""
    rows = runner.read(
        cypher("feedback_applied"), department=department_code, limit=MAX_FEEDBACK * 10
    )
    return [_feedback(row["feedback"]) for row in rows]


def target_of(key: SubjectKey) -> tuple[str, ...]:
    """The comparable key of a subject (as ``Feedback.target``)."""
    person = key.person_key
    if person is not None:
        return ("PERSON", person.id_type, person.id_number)
    return ("ENTERPRISE", key.uscc or "")


def reached_measures(reach: FindingReach, target: tuple[str, ...]) -> set[str]:
    """The measures ``reach`` applies to ``target`` (the listed subject, with the graded
    alternatives offered to it, or a liable person)."""
    found: set[str] = set()
    subject = reach.subject_measures
    listed = (
        ("ENTERPRISE", reach.enterprise.uscc)
        if reach.enterprise
        else (
            ("PERSON", reach.subject_person.id_type, reach.subject_person.id_number or "")
            if reach.subject_person
            else None
        )
    )
    if subject is not None and listed == target:
        found.update(subject.measures)
        found.update(code for choice in subject.choices for code in choice.measures)
    for item in reach.liable:
        if ("PERSON", item.person.id_type, item.person.id_number or "") == target:
            found.update(code for liability in item.liabilities for code in liability.measures)
    return found


def record_feedback(
    runner: QueryRunner,
    department_code: str,
    finding_id: str,
    subject: SubjectKey,
    measure: str,
    outcome: str,
    on: dt.date,
    reason: str | None,
    actor: str,
    clock: Clock | None = None,
) -> Feedback:
    """Record what a department did about one measure for one subject of a finding.

    Validates: a known outcome (a reason is required unless APPLIED, LIFTED or RESTORED), an
    actor, ``on`` not in the future by the deployment's clock (``InvalidInput``); the department,
    finding and measure exist (``NotFound``); the department owns the measure, and — to apply —
    the finding reaches the subject with it on ``on``, or — to lift — the department applied it
    before and it no longer applies on ``on`` (``Conflict``).
    """
    clock = clock or Clock()
    outcome = outcome.strip().upper()
    if outcome not in OUTCOMES:
        raise InvalidInput(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    if not actor or not actor.strip():
        raise InvalidInput("feedback must name its actor")
    reason = reason.strip() if reason else None
    if outcome in ("NOT_APPLICABLE", "REFUSED") and not reason:
        raise InvalidInput(f"a {outcome} feedback needs a reason")
    if on > clock.today():
        raise InvalidInput(f"feedback date {on} is in the future (today is {clock.today()})")
    key = subject.normalised()
    measure = measure.strip().upper()
    dept = department(runner, department_code, on)
    catalogue = measure_catalogue(snapshot(runner), on)
    if measure not in catalogue:
        raise UnknownCode(f"no measure with code {measure!r}", sorted(catalogue))
    if measure not in dept.measures:
        raise Conflict(
            f"department {dept.code} ({dept.kind or 'kind unknown'}) does not implement {measure}; "
            f"it owns: {', '.join(dept.measures) or 'nothing'}"
        )
    reach = finding_reach(runner, finding_id, on)
    target = target_of(key)
    reached = reached_measures(reach, target)
    if outcome in APPLY_OUTCOMES:
        if measure not in reached:
            what = (
                f"is reached only with {', '.join(sorted(reached))} by"
                if reached
                else "is not reached by"
            )
            raise Conflict(f"subject {what} finding {finding_id} on {on}; cannot record {measure}")
    else:
        applied = [
            item
            for item in feedback_on(runner, [finding_id], dept.code)
            if item.target == target and item.measure == measure and item.outcome == "APPLIED"
        ]
        if not applied:
            raise Conflict(f"department {dept.code} never recorded {measure} as applied here")
        if measure in reached:
            raise Conflict(f"{measure} still applies to this subject on {on}: nothing to lift")
    person = key.person_key
    properties: dict[str, Any] = {
        "feedback_id": uuid.uuid4().hex,
        "department": dept.code,
        "finding_id": finding_id,
        "subject_kind": "PERSON" if person else "ENTERPRISE",
        "subject_uscc": key.uscc,
        "subject_id_type": person.id_type if person else None,
        "subject_id_number": person.id_number if person else None,
        "measure": measure,
        "outcome": outcome,
        "on": on,
        "reason": reason,
        "recorded_at": clock.now(),
        "actor": actor.strip(),
    }
    rows = runner.write(cypher("feedback_record"), feedback=properties)
    if not rows:
        raise NotFound(f"no finding with id {finding_id}")
    return _feedback(rows[0]["feedback"])
