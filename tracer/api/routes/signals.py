"""Signals for investigators (DOMAIN.md §10–§11): ban breaches, repeat offenders, phoenix
candidates, red-list conflicts — each a bounded, paginated list with its evidence."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from tracer.api.deps import ClockDep, InvestigatorDep, RunnerDep, TrailDep
from tracer.api.responses import problem_responses
from tracer.api.schemas import AsOfQuery, LimitQuery, OffsetQuery
from tracer.queries import signals
from tracer.queries.paging import Page
from tracer.queries.signals import BanBreach, PhoenixCandidate, RedListConflict, RepeatOffender

router = APIRouter(prefix="/v1/signals", tags=["signals"])

SignalKind = Literal["ban-breaches", "repeat-offenders", "phoenix", "redlist-conflicts"]
SignalPage = Page[BanBreach] | Page[RepeatOffender] | Page[PhoenixCandidate] | Page[RedListConflict]


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
