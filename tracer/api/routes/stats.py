"""Summary statistics (aggregates only: no person identifiers)."""

from __future__ import annotations

from fastapi import APIRouter

from tracer.api.deps import ClockDep, InvestigatorDep, RunnerDep
from tracer.api.responses import problem_responses
from tracer.api.schemas import AsOfQuery
from tracer.queries.stats import Stats, summary

router = APIRouter(prefix="/v1", tags=["statistics"])


@router.get(
    "/stats",
    summary="Findings, liable persons and feedback completion",
    responses=problem_responses(401, 403, 422, 503),
)
def stats(
    principal: InvestigatorDep, runner: RunnerDep, clock: ClockDep, as_of: AsOfQuery = None
) -> Stats:
    """Counts on ``as_of`` by category, list type, status, province, authority, rule, effect,
    and feedback completion per department; ``truncated`` when a bounded scan was cut short."""
    return summary(runner, as_of or clock.today())
