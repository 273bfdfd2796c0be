"""Credit commitments and interviews (DOMAIN.md §13), recorded by an implementer of the
recording department (or an admin) at the server's time. Subjects travel in bodies only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from tracer.api.deps import ClockDep, DepartmentDep, RunnerDep, TrailDep
from tracer.api.problems import state_conflicts
from tracer.api.record_schemas import ClosingRequest, CommitmentRequest, InterviewRequest
from tracer.api.responses import problem_responses
from tracer.api.roles import Principal, Role
from tracer.api.schemas import NOT_AN_IDENTIFIER
from tracer.domain.errors import Forbidden
from tracer.queries import records
from tracer.queries.records import RecordAnswer

router = APIRouter(tags=["records"])

RecordId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.\-]+$",
        description="The id the server gave (CMT-… / ITV-…) or the loaded file's.",
        examples=["CMT-3F2A9C0D11B24E7F"],
        json_schema_extra=NOT_AN_IDENTIFIER,
    ),
]
WRITES = problem_responses(401, 403, 404, 409, 422, 503)


def _department(principal: Principal, code: str) -> None:
    """An implementer records only for its own department (an admin for any)."""
    if principal.role is Role.IMPLEMENTER and principal.department != code:
        raise Forbidden("an implementer key records only for its own department")


def _own(principal: Principal, answer: RecordAnswer, trail: TrailDep) -> None:
    """The record's subject on the trail; only its department's implementers (or an admin)."""
    if answer.enterprise is not None:
        trail.enterprise(answer.enterprise.uscc)
    if answer.person is not None and answer.person.id_number is not None:
        trail.person(answer.person.id_type, answer.person.id_number)
    _department(principal, records.department_of(answer))


@router.post("/v1/commitments", status_code=201, summary="Record a credit commitment",
             responses=WRITES)  # fmt: skip
def commitment(
    body: CommitmentRequest,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> RecordAnswer:
    """A commitment the subject gave ``department`` (信用承诺). 404 for an unknown subject or
    department, 409 for a date in the future or a deadline before the commitment."""
    subject = trail.subject(body.subject)
    _department(principal, body.department)
    with state_conflicts():
        result = records.record_commitment(
            runner, subject, body.department, body.matter, body.committed_on, body.due_on,
            principal.actor, clock,
        )  # fmt: skip
    trail.disclosed(result)
    return result


def _close(
    commitment_id: str,
    outcome: records.Outcome,
    body: ClosingRequest,
    principal: Principal,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> RecordAnswer:
    _own(principal, records.get_record(runner, clock.today(), commitment_id), trail)
    with state_conflicts():
        result = records.close_commitment(
            runner, commitment_id, outcome, body.on, principal.actor, body.document, clock
        )
    trail.disclosed(result)
    return result


@router.post("/v1/commitments/{commitment_id}/fulfilment", summary="Record a fulfilment",
             responses=WRITES)  # fmt: skip
def fulfilment(
    commitment_id: RecordId,
    body: ClosingRequest,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> RecordAnswer:
    """The commitment was fulfilled on ``on``. 409 when already fulfilled or breached."""
    return _close(commitment_id, "FULFILLED", body, principal, runner, trail, clock)


@router.post("/v1/commitments/{commitment_id}/breach", summary="Record a breach",
             responses=WRITES)  # fmt: skip
def breach(
    commitment_id: RecordId,
    body: ClosingRequest,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> RecordAnswer:
    """The commitment was breached on ``on``: a record (a bad record for the green channel),
    not a finding. 409 when already fulfilled or breached."""
    return _close(commitment_id, "BREACHED", body, principal, runner, trail, clock)


@router.post("/v1/interviews", status_code=201, summary="Record an interview (约谈)",
             responses=WRITES)  # fmt: skip
def interview(
    body: InterviewRequest,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> RecordAnswer:
    """A PROMPT (提示) or WARNING (警示) interview ``department`` held with the subject, with a
    rectification deadline. 404 for an unknown subject or department, 409 for a date in the
    future or a deadline before the interview."""
    subject = trail.subject(body.subject)
    _department(principal, body.department)
    with state_conflicts():
        result = records.record_interview(
            runner, subject, body.department, body.kind, body.held_on, body.rectify_by,
            principal.actor, clock,
        )  # fmt: skip
    trail.disclosed(result)
    return result


@router.post("/v1/interviews/{interview_id}/rectification", summary="Record a rectification",
             responses=WRITES)  # fmt: skip
def rectification(
    interview_id: RecordId,
    body: ClosingRequest,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> RecordAnswer:
    """The subject rectified on ``on``. 409 when already recorded."""
    current = records.get_record(runner, clock.today(), interview_id=interview_id)
    _own(principal, current, trail)
    with state_conflicts():
        result = records.rectify_interview(
            runner, interview_id, body.on, principal.actor, body.document, clock
        )
    trail.disclosed(result)
    return result
