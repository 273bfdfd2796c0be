"""Signals for investigators (DOMAIN.md §10–§11): ban breaches, repeat offenders, phoenix
candidates, red-list conflicts — each a bounded, paginated list with its evidence; a subject's
green channel (POST: the subject in the body), and the revocation of a red-list honour."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query

from tracer.api.deps import (
    ClockDep,
    DepartmentDep,
    InvestigatorDep,
    RunnerDep,
    ScreenerDep,
    TrailDep,
)
from tracer.api.problems import state_conflicts
from tracer.api.record_schemas import GreenChannelRequest, RevocationRequest
from tracer.api.responses import problem_responses
from tracer.api.roles import Role
from tracer.api.schemas import AsOfQuery, LimitQuery, OffsetQuery
from tracer.domain.errors import Forbidden
from tracer.queries import signals
from tracer.queries.paging import Page
from tracer.queries.signals import (
    BanBreach,
    GreenChannel,
    PhoenixCandidate,
    RedListConflict,
    RepeatOffender,
    RevokedHonour,
)

router = APIRouter(prefix="/v1/signals", tags=["signals"])
honours = APIRouter(prefix="/v1/honours", tags=["signals"])

SignalKind = Literal["ban-breaches", "repeat-offenders", "phoenix", "redlist-conflicts"]
SignalPage = Page[BanBreach] | Page[RepeatOffender] | Page[PhoenixCandidate] | Page[RedListConflict]


@router.api_route("/green-channel", methods=["GET"], include_in_schema=False)
def green_channel_by_get() -> None:
    """405, not a 422 from ``/{kind}``: the green channel is per subject, asked by POST with the
    subject in the body (a person's identifiers never travel in a URL)."""
    raise HTTPException(405, "the green channel is asked with POST (the subject in the body)")


@router.get(
    "/{kind}",
    summary="A signal for investigators",
    responses=problem_responses(401, 403, 422, 503),
)
def signal(
    kind: Annotated[SignalKind, Path(description="Which signal.")],
    principal: InvestigatorDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    as_of: AsOfQuery = None,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    min_findings: Annotated[int, Query(ge=2, le=1000, description="repeat-offenders")] = 2,
    window_days: Annotated[int, Query(ge=1, le=3650, description="phoenix")] = 365,
) -> SignalPage:
    """One page of the signal on ``as_of`` (default today), with its evidence."""
    day = as_of or clock.today()
    page: SignalPage
    if kind == "ban-breaches":
        page = signals.ban_breaches(runner, day, limit, offset)
    elif kind == "repeat-offenders":
        page = signals.repeat_offenders(runner, day, min_findings, limit, offset)
    elif kind == "phoenix":
        page = signals.phoenix_candidates(runner, day, window_days, limit, offset)
    else:
        page = signals.red_list_conflicts(runner, day, limit, offset)
    trail.disclosed(page)
    return page


@router.post(
    "/green-channel",
    summary="A subject's green-channel eligibility (绿色通道)",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def green_channel(
    body: GreenChannelRequest,
    principal: ScreenerDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> GreenChannel:
    """Eligible on ``as_of`` (default today) by the red list or three clean years, with the
    reason; bad records are findings and liabilities, breached commitments and WARNING
    interviews left unrectified in the window. 404 for a subject not in the graph."""
    key = trail.subject(body.subject)
    result = signals.green_channel(runner, key, body.as_of or clock.today())
    trail.disclosed(result)
    return result


@honours.post(
    "/revocations",
    status_code=201,
    summary="Revoke a red-list honour (撤销荣誉称号)",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
def revocation(
    body: RevocationRequest,
    principal: DepartmentDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> RevokedHonour:
    """Record that the honour is revoked from ``revoked_on`` (e.g. after a red-list conflict):
    it counts no more for the red list, the green channel or a conflict from that day. An
    implementer revokes only what its department granted. 404 unknown honour, 409 already
    revoked or a date before the grant or in the future."""
    current = signals.honour(runner, body.honour_id)
    if current.enterprise is not None:
        trail.enterprise(current.enterprise.uscc)
    if current.person is not None and current.person.id_number is not None:
        trail.person(current.person.id_type, current.person.id_number)
    if principal.role is Role.IMPLEMENTER and current.honour.granted_by != principal.department:
        raise Forbidden("an implementer revokes only the honours its department granted")
    with state_conflicts():
        result = signals.revoke_honour(
            runner, body.honour_id, body.revoked_on, principal.actor, body.reason,
            body.document, clock,
        )  # fmt: skip
    trail.disclosed(result)
    return result
