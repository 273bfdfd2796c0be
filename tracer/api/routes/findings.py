"""Findings: who they reach, their history, status transitions and per-person releases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from tracer.api.deps import AdminDep, ClockDep, DepartmentDep, ReaderDep, RunnerDep, TrailDep
from tracer.api.problems import state_conflicts
from tracer.api.process_schemas import DraftRequest
from tracer.api.responses import problem_responses
from tracer.api.roles import Principal, Role
from tracer.api.routes.checks import known_instant
from tracer.api.schemas import (
    NOT_AN_IDENTIFIER,
    AsOfQuery,
    KnownOnQuery,
    LimitQuery,
    OffsetQuery,
    ReleaseRequest,
    TransitionRequest,
)
from tracer.domain.errors import Forbidden
from tracer.domain.keys import PersonKey
from tracer.queries.initiation import (
    Draft,
    Signer,
    approve_draft,
    draft_finding,
)
from tracer.queries.liability import FindingReach, finding_reach
from tracer.queries.lifecycle import (
    ReleaseRecord,
    TransitionRecord,
    release_person,
    transition_finding,
    transitions,
)
from tracer.queries.paging import Page

router = APIRouter(prefix="/v1/findings", tags=["findings"])

FindingId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=100,
        description="The finding id (never shaped like a personal identifier: 422).",
        examples=["F-2021-001"],
        json_schema_extra=NOT_AN_IDENTIFIER,
    ),
]


@router.get(
    "/{finding_id}",
    summary="A finding with its liable and exposed persons and its timeline",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def finding(
    finding_id: FindingId,
    principal: ReaderDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    as_of: AsOfQuery = None,
    known_on: KnownOnQuery = None,
) -> FindingReach:
    """Everyone the finding reaches on ``as_of`` as known on ``known_on`` (liable, with
    evidence; exposed, with the reason they are not liable), the measures on the listed
    subject, notified organisations and the status history."""
    trail.finding(finding_id)
    reach = finding_reach(
        runner, finding_id, as_of or clock.today(), known_instant(clock, known_on)
    )
    trail.disclosed(reach)
    return reach


@router.get(
    "/{finding_id}/transitions",
    summary="The status history of a finding",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def history(
    finding_id: FindingId,
    principal: ReaderDep,
    runner: RunnerDep,
    trail: TrailDep,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
) -> Page[TransitionRecord]:
    """Transitions oldest first (append-only), each with its effective date and the time it
    was recorded."""
    trail.finding(finding_id)
    return Page[TransitionRecord].of(transitions(runner, finding_id), limit, offset)


@router.post(
    "/{finding_id}/transitions",
    status_code=201,
    summary="Change a finding's status (objection, decision, repair, revocation, expiry, term)",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
def transition(
    finding_id: FindingId,
    body: TransitionRequest,
    principal: AdminDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> TransitionRecord:
    """Record the move if it is legal, effective ``effective_on``, recorded at the server's
    time; every liability derived from the finding follows from that date. 409 for a move the
    finding's status, term or decision date does not allow, or an effective date in the
    future."""
    trail.finding(finding_id)
    with state_conflicts():
        return transition_finding(
            runner,
            finding_id,
            body.to_status,
            principal.actor,
            body.reason,
            body.effective_on,
            body.document,
            body.new_effective_until,
            clock,
        )


@router.post(
    "/{finding_id}/releases",
    summary="Release one person from one finding",
    responses={
        201: {"description": "Released", "model": ReleaseRecord},
        **problem_responses(401, 403, 404, 409, 422, 503),
    },
)
def release(
    finding_id: FindingId,
    body: ReleaseRequest,
    principal: AdminDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    response: Response,
) -> ReleaseRecord:
    """The person (in the body) is no longer liable through this finding from ``effective_on``
    (``wrongful``: from the start); 201 when recorded now, 200 when the same release already
    stands (it is kept unchanged). 409 for an effective date before the decision or in the
    future."""
    trail.finding(finding_id)
    person = PersonKey.of(body.id_type, body.id_number)
    trail.person(person.id_type, person.id_number)
    with state_conflicts():
        record = release_person(
            runner,
            finding_id,
            person,
            principal.actor,
            body.reason,
            body.effective_on,
            body.wrongful,
            body.document,
            clock,
        )
    response.status_code = 201 if record.created else 200
    return record


def _signer(principal: Principal) -> Signer:
    return Signer(key_id=principal.key_id, name=principal.name, actor=principal.actor)


def _department(principal: Principal) -> str | None:
    """The department an implementer acts for (None: an admin acts for any)."""
    return principal.department if principal.role is Role.IMPLEMENTER else None


@router.post(
    "",
    status_code=201,
    summary="Draft a finding (initiating department; approved by a second person)",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
def draft(
    body: DraftRequest,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> Draft:
    """Record a DRAFT finding with the persons it names, checked like a loaded finding (409
    with the loader's reason code when the reference data refuses it). An administrative
    listing carries the notice to the subject (reasons, basis, rights) and waits out the
    objection window; a court list has none. The draft reaches no check or work list until
    ``/approve``. An implementer drafts only for its
    own department (the finding's ``authority``)."""
    department = _department(principal)
    if department is not None and department != body.authority:
        raise Forbidden("an implementer drafts findings of its own department only")
    draft_input = body.to_input()
    trail.finding(draft_input.finding_id)
    if draft_input.subject_uscc is not None:
        trail.enterprise(draft_input.subject_uscc)
    for key in [draft_input.subject_person, *(key for key, _, _ in draft_input.persons)]:
        if key is not None:
            trail.person(key.id_type, key.id_number)
    with state_conflicts():
        result = draft_finding(runner, draft_input, _signer(principal), clock)
    trail.disclosed(result)
    return result


@router.post(
    "/{finding_id}/approve",
    summary="Approve a draft: it becomes an ACTIVE finding and is pushed",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
def approve(
    finding_id: FindingId,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> Draft:
    """A second person of the initiating department (another key and another holder than the
    drafter: 403) approves the draft once the objection window has passed by the server's
    clock (409 before; 409 when already approved). The finding is then written like a loaded
    one — ACTIVE from its decision — with the persons it names."""
    trail.finding(finding_id)
    result = approve_draft(runner, finding_id, _signer(principal), _department(principal), clock)
    trail.disclosed(result)
    return result
