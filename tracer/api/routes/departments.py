"""Implementing departments: work lists, feedback, overdue feedback (DOMAIN.md §9)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from tracer.api.deps import (
    AdminDep,
    DepartmentDep,
    RunnerDep,
    TrailDep,
    require_department,
)
from tracer.api.present import present
from tracer.api.responses import problem_responses
from tracer.api.schemas import AsOfQuery, FeedbackRequest, OffsetQuery
from tracer.queries.worklist import (
    MAX_PAGE,
    Feedback,
    OverdueReport,
    Worklist,
    overdue_feedback,
    record_feedback,
    worklist,
)

router = APIRouter(prefix="/v1", tags=["departments"])

DepartmentCode = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.\-]+$",
        description="Department code.",
        examples=["TAX01"],
    ),
]


@router.get(
    "/departments/{code}/worklist",
    summary="What a department must restrict today",
    response_model=Worklist,
    responses=problem_responses(401, 403, 404, 422, 503),
)
def department_worklist(
    code: DepartmentCode,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    as_of: AsOfQuery = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Findings per page.")] = 50,
    offset: OffsetQuery = 0,
) -> JSONResponse:
    """The listed subjects and liable persons the department must restrict on ``as_of``, with
    the measures it owns, the evidence and its earlier feedback; paged over findings.
    Implementers may read only their own department's list (and see its full ID numbers)."""
    require_department(principal, code)
    trail.department(code)
    result = worklist(runner, code, as_of or dt.date.today(), limit, offset)
    for entry in result.entries:
        trail.finding(entry.finding.finding_id)
        if entry.person is not None and entry.person.id_number is not None:
            trail.person(entry.person.id_type, entry.person.id_number)
    return present(result, principal, reveal=principal.reveals_ids_of(code))


@router.post(
    "/feedback",
    status_code=201,
    summary="Report what a department did",
    response_model=Feedback,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
def feedback(
    body: FeedbackRequest, principal: DepartmentDep, runner: RunnerDep, trail: TrailDep
) -> JSONResponse:
    """Record APPLIED / NOT_APPLICABLE / REFUSED for one measure and one subject of a finding
    (append-only). 409 when the department does not own the measure or the finding does not
    reach the subject with it; implementers report only for their own department."""
    require_department(principal, body.department)
    trail.department(body.department)
    trail.finding(body.finding_id)
    key = trail.subject(body.subject)
    record = record_feedback(
        runner,
        body.department,
        body.finding_id,
        key,
        body.measure,
        body.outcome,
        body.on,
        body.reason,
        principal.actor,
    )
    reveal = principal.reveals_ids_of(body.department)
    return present(record, principal, status_code=201, reveal=reveal)


@router.get(
    "/feedback/overdue",
    summary="Findings pushed without feedback after N days (跟踪问效)",
    response_model=OverdueReport,
    responses=problem_responses(401, 403, 422, 503),
)
def overdue(
    principal: AdminDep,
    runner: RunnerDep,
    as_of: AsOfQuery = None,
    days: Annotated[int, Query(ge=0, le=3650, description="Days allowed for feedback.")] = 30,
) -> JSONResponse:
    """Per department, the findings it was pushed more than ``days`` ago and never answered."""
    return present(overdue_feedback(runner, as_of or dt.date.today(), days), principal)
