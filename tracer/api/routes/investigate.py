"""Investigation: paths between subjects and subject-centred networks (investigator, admin)."""

from __future__ import annotations

from fastapi import APIRouter

from tracer.api.deps import ClockDep, InvestigatorDep, RunnerDep, TrailDep
from tracer.api.responses import problem_responses
from tracer.api.schemas import NetworkRequest, PathsRequest
from tracer.queries.network import Network, neighbourhood
from tracer.queries.paths import PathsResult, find_paths

router = APIRouter(prefix="/v1", tags=["investigation"])


@router.post(
    "/paths",
    summary="How two subjects are connected",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def paths(
    body: PathsRequest,
    principal: InvestigatorDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> PathsResult:
    """Shortest paths through roles, shareholdings and findings (subjects in the body)."""
    source, target = trail.subject(body.source), trail.subject(body.target)
    result = find_paths(runner, source, target, body.max_hops, body.limit, body.as_of, clock)
    trail.disclosed(result)
    return result


@router.post(
    "/network",
    summary="The network around a person or enterprise",
    responses=problem_responses(401, 403, 404, 422, 503),
)
def network(
    body: NetworkRequest,
    principal: InvestigatorDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> Network:
    """Nodes and edges within ``depth`` of the centre; ``truncated`` when ``limit`` cut it."""
    center = trail.subject(body.center)
    result = neighbourhood(runner, center, body.depth, body.limit, body.as_of, clock)
    trail.disclosed(result)
    return result
