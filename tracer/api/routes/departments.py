"""Implementing departments: work lists, feedback, overdue feedback (DOMAIN.md §9)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from tracer.api.deps import (
    AdminDep,
    ClockDep,
    DepartmentDep,
    RunnerDep,
    TrailDep,
    require_department,
)
from tracer.api.problems import state_conflicts
from tracer.api.responses import problem_responses
from tracer.api.roles import Principal
from tracer.api.schemas import NOT_AN_IDENTIFIER, AsOfQuery, FeedbackRequest, OffsetQuery
from tracer.queries.feedback import Feedback, record_feedback
from tracer.queries.overdue import OverdueReport, overdue_feedback
from tracer.queries.worklist import MAX_PAGE, Worklist, worklist

router = APIRouter(prefix="/v1", tags=["departments"])

DepartmentCode = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.\-]+$",
        description="Department code (never shaped like a personal identifier: 422).",
        examples=["TAX01"],
        json_schema_extra=NOT_AN_IDENTIFIER,
    ),
]


async def _own_list(code: DepartmentCode, principal: DepartmentDep) -> Principal:
    return await require_department(principal, code)


async def _own_feedback(body: FeedbackRequest, principal: DepartmentDep) -> Principal:
    return await require_department(principal, body.department)


@router.get(
    "/departments/{code}/worklist",
    summary="What a department must apply and lift today",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def department_worklist(
    code: DepartmentCode,
    principal: Annotated[Principal, Depends(_own_list)],
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    as_of: AsOfQuery = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Findings per page.")] = 50,
    offset: OffsetQuery = 0,
    scope: Annotated[
        Literal["REGION", "ALL"],
        Query(description="REGION (default): subjects registered in its region; ALL: everywhere."),
    ] = "REGION",
) -> Worklist:
    """The listed subjects and liable persons the department must act on on ``as_of`` — APPLY
    the measures it owns (each with ``mandatory``), or LIFT / RESTORE what it applied and no
    longer applies — with the evidence and its earlier feedback; paged over findings.
    Implementers may read only their own department's list (and see its full ID numbers)."""
    trail.department(code)
    result = worklist(runner, code, as_of or clock.today(), limit, offset, scope)
    for entry in result.entries:
        trail.finding(entry.finding.finding_id)
    trail.disclosed(result)
    return result


@router.post(
    "/feedback",
    status_code=201,
    summary="Report what a department did",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
def feedback(
    body: FeedbackRequest,
    principal: Annotated[Principal, Depends(_own_feedback)],
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> Feedback:
    """Record APPLIED / NOT_APPLICABLE / REFUSED for one measure and one subject of a finding,
    or LIFTED / RESTORED for a measure it applied that no longer applies (append-only). 409
    when the department does not own the measure, the finding does not reach the subject with
    it, there is nothing to lift, or ``on`` is in the future; implementers report only for
    their own department."""
    trail.department(body.department)
    trail.finding(body.finding_id)
    key = trail.subject(body.subject)
    with state_conflicts():
        return record_feedback(
            runner,
            body.department,
            body.finding_id,
            key,
            body.measure,
            body.outcome,
            body.on,
            body.reason,
            principal.actor,
            clock,
        )


@router.get(
    "/feedback/overdue",
    summary="Work pushed without feedback after N days (跟踪问效)",
    responses=problem_responses(401, 403, 422, 503),
)
def overdue(
    principal: AdminDep,
    runner: RunnerDep,
    clock: ClockDep,
    as_of: AsOfQuery = None,
    days: Annotated[int, Query(ge=0, le=3650, description="Days allowed for feedback.")] = 30,
) -> OverdueReport:
    """Per department, the findings it was pushed more than ``days`` ago and never answered,
    and the measures it applied that stopped applying and were never lifted."""
    return overdue_feedback(runner, as_of or clock.today(), days, clock.zone)
