"""Objections (异议处理): filed for a subject or a named person, decided by the initiating
department (DOMAIN.md §8). Persons travel in bodies only."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from tracer.api.deps import ClockDep, DepartmentDep, ReaderDep, RunnerDep, TrailDep
from tracer.api.problems import state_conflicts
from tracer.api.process_schemas import DecisionRequest, ObjectionRequest
from tracer.api.responses import problem_responses
from tracer.api.roles import Principal, Role
from tracer.api.schemas import NOT_AN_IDENTIFIER
from tracer.domain.errors import Forbidden
from tracer.domain.keys import PersonKey
from tracer.queries.objections import (
    Objection,
    decide_objection,
    file_objection,
    get_objection,
    list_objections,
)

router = APIRouter(prefix="/v1/objections", tags=["objections"])

ObjectionId = Annotated[
    str,
    Path(
        pattern=r"^OBJ-[A-P]{16}$",
        description="The objection id the server gave when it was filed.",
        examples=["OBJ-DPCKJMANBBLCEOHP"],
    ),
]
CodeQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.\-]+$",
        description="Only objections against this department's findings.",
        json_schema_extra=NOT_AN_IDENTIFIER,
    ),
]
FindingQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.\-]+$",
        description="Only objections against this finding.",
        json_schema_extra=NOT_AN_IDENTIFIER,
    ),
]


def _initiating(principal: Principal, objection: Objection) -> None:
    """Only the finding's authority (an implementer of it) or an admin decides."""
    if principal.role is Role.IMPLEMENTER and principal.department != objection.authority:
        raise Forbidden("only the initiating department (the finding's authority) decides")


@router.post(
    "",
    status_code=201,
    summary="File an accepted objection (the finding, or one person's role in it)",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
def file(
    body: ObjectionRequest,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> Objection:
    """Record the objection for the subject or the person (implementer or admin, on their
    behalf) and suspend what it disputes from ``accepted_on``: the whole finding (UNDER_REVIEW),
    or only that person's liabilities under it. 409 when the finding is not in force, the same
    objection is open, or a date is before the decision or in the future."""
    trail.finding(body.finding_id)
    person = None
    if body.person is not None:
        person = PersonKey.of(body.person.id_type, body.person.id_number)
        trail.person(person.id_type, person.id_number)
    with state_conflicts():
        result = file_objection(
            runner,
            body.finding_id,
            body.filed_on,
            body.reason,
            principal.actor,
            person,
            body.accepted_on,
            body.document,
            clock,
        )
    trail.disclosed(result)
    return result


@router.get(
    "",
    summary="Objections (a department's: with deadlines and overdue flags)",
    responses=problem_responses(401, 403, 422, 503),
)
def objections(
    principal: ReaderDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    department: CodeQuery = None,
    finding_id: FindingQuery = None,
    status: Annotated[
        Literal["OPEN", "DECIDED"] | None, Query(description="OPEN or DECIDED; default both.")
    ] = None,
) -> list[Objection]:
    """Objections against a department's findings (its work list of verifications) or one
    finding, soonest deadline first; ``overdue`` by the server's clock."""
    if department:
        trail.department(department)
    if finding_id:
        trail.finding(finding_id)
    result = list_objections(runner, department, status, finding_id, clock.today())
    trail.disclosed(result)
    return result


@router.post(
    "/{objection_id}/decision",
    summary="Decide an objection (the initiating department)",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
def decision(
    objection_id: ObjectionId,
    body: DecisionRequest,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> Objection:
    """UPHELD / CORRECTED / REVOKED (against the finding: a transition, linked) or UPHELD /
    RELEASED (a person's role: the suspension ends, or a per-person release). 409 when already
    decided or the finding's status refuses the move; 403 for another department."""
    current = get_objection(runner, objection_id, clock)
    trail.finding(current.finding_id)
    _initiating(principal, current)
    with state_conflicts():
        result = decide_objection(
            runner,
            objection_id,
            body.outcome,
            principal.actor,
            body.reason,
            body.effective_on,
            body.wrongful,
            body.document,
            clock,
        )
    trail.disclosed(result)
    return result
