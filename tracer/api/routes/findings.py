"""Findings: who they reach, their history, status transitions and per-person releases."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from tracer.api.deps import AdminDep, ReaderDep, RunnerDep, TrailDep
from tracer.api.present import present
from tracer.api.responses import problem_responses
from tracer.api.schemas import (
    AsOfQuery,
    LimitQuery,
    OffsetQuery,
    Page,
    ReleaseRequest,
    TransitionRequest,
    paginate,
)
from tracer.domain.identifiers import normalise_person_id
from tracer.queries.liability import FindingReach, finding_reach
from tracer.queries.lifecycle import (
    ReleaseRecord,
    TransitionRecord,
    release_person,
    transition_finding,
    transitions,
)

router = APIRouter(prefix="/v1/findings", tags=["findings"])

FindingId = Annotated[
    str,
    Path(min_length=1, max_length=100, description="The finding id.", examples=["F-2021-001"]),
]


@router.get(
    "/{finding_id}",
    summary="A finding with its liable and exposed persons and its timeline",
    response_model=FindingReach,
    responses=problem_responses(401, 403, 404, 422, 503),
)
def finding(
    finding_id: FindingId,
    principal: ReaderDep,
    runner: RunnerDep,
    trail: TrailDep,
    as_of: AsOfQuery = None,
) -> JSONResponse:
    """Everyone the finding reaches on ``as_of`` (liable, with evidence; exposed, with the
    reason they are not liable), notified organisations and the status history."""
    trail.finding(finding_id)
    return present(finding_reach(runner, finding_id, as_of or dt.date.today()), principal)


@router.get(
    "/{finding_id}/transitions",
    summary="The status history of a finding",
    response_model=Page[TransitionRecord],
    responses=problem_responses(401, 403, 404, 422, 503),
)
def history(
    finding_id: FindingId,
    principal: ReaderDep,
    runner: RunnerDep,
    trail: TrailDep,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
) -> JSONResponse:
    """Transitions oldest first (append-only)."""
    trail.finding(finding_id)
    return present(paginate(transitions(runner, finding_id), limit, offset), principal)


@router.post(
    "/{finding_id}/transitions",
    status_code=201,
    summary="Change a finding's status (objection, decision, repair, revocation, expiry)",
    response_model=TransitionRecord,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
def transition(
    finding_id: FindingId,
    body: TransitionRequest,
    principal: AdminDep,
    runner: RunnerDep,
    trail: TrailDep,
) -> JSONResponse:
    """Record the move if it is legal (409 otherwise); every liability derived from the finding
    follows at once."""
    trail.finding(finding_id)
    record = transition_finding(
        runner, finding_id, body.to_status, principal.actor, body.reason, body.document, body.at
    )
    return present(record, principal, status_code=201)


@router.post(
    "/{finding_id}/releases",
    summary="Release one person from one finding",
    response_model=ReleaseRecord,
    responses={
        201: {"description": "Released", "model": ReleaseRecord},
        **problem_responses(401, 403, 404, 422, 503),
    },
)
def release(
    finding_id: FindingId,
    body: ReleaseRequest,
    principal: AdminDep,
    runner: RunnerDep,
    trail: TrailDep,
) -> JSONResponse:
    """The person (in the body) is no longer liable through this finding; 201 when recorded
    now, 200 when an earlier release already stands (it is kept unchanged)."""
    trail.finding(finding_id)
    number = normalise_person_id(body.id_type, body.id_number)
    trail.person(body.id_type, number)
    record = release_person(
        runner, finding_id, body.id_type, number, principal.actor, body.reason, body.document
    )
    return present(record, principal, status_code=201 if record.created else 200)
