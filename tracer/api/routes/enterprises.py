"""Enterprises by USCC: profile, findings, owners, network."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import AfterValidator, Field
from starlette.exceptions import HTTPException

from tracer.api.deps import ClockDep, InvestigatorDep, ReaderDep, RunnerDep, TrailDep
from tracer.api.responses import problem_responses
from tracer.api.roles import Role
from tracer.api.routes.checks import known_instant
from tracer.api.schemas import (
    NOT_AN_IDENTIFIER,
    USCC_SCHEMA,
    AsOfQuery,
    EnterpriseSearchRequest,
    KnownOnQuery,
    LimitQuery,
    OffsetQuery,
    SearchLimit,
    SearchText,
    plain_identifier,
)
from tracer.domain.clock import Clock
from tracer.domain.identifiers import validate_uscc
from tracer.domain.keys import SubjectKey
from tracer.queries.liability import FindingSummary, enterprise_liabilities
from tracer.queries.models import EnterpriseRef
from tracer.queries.network import MAX_DEPTH, MAX_NODES, Network, neighbourhood
from tracer.queries.ownership import DEFAULT_THRESHOLD, Owner, OwnersReport, at_threshold
from tracer.queries.ownership import MAX_DEPTH as MAX_OWNERSHIP_DEPTH
from tracer.queries.ownership import owners as ownership_owners
from tracer.queries.paging import Page, PageInfo
from tracer.queries.profile import EnterpriseProfile, enterprise_profile
from tracer.queries.runner import QueryRunner
from tracer.queries.search import EnterpriseSearch, search_enterprises

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"])

Uscc = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        description="Unified social credit code (18 characters, either case).",
        examples=["91110000600037341L"],
        json_schema_extra=USCC_SCHEMA,
    ),
    AfterValidator(plain_identifier),
]
ERRORS = problem_responses(401, 403, 404, 422, 503)
SEARCH_ERRORS = problem_responses(401, 403, 422, 503)


class EnterpriseFindings(Page[FindingSummary]):
    """A page of an enterprise's findings (each with whether it applies on ``as_of``)."""

    enterprise: EnterpriseRef


class OwnersPage(OwnersReport):
    """Owners, beneficial owners and actual controllers, ``owners`` paginated (``page``)."""

    page: PageInfo = Field(description="where ``owners`` lies in the whole list")


def _search(runner: QueryRunner, clock: Clock, q: str, limit: int, offset: int) -> EnterpriseSearch:
    """The one search behind both forms of the request."""
    return search_enterprises(runner, q, clock.today(), limit, offset)


@router.post(
    "/search", summary="Search enterprises by name or USCC prefix", responses=SEARCH_ERRORS
)
def search_in_body(
    body: EnterpriseSearchRequest, principal: ReaderDep, runner: RunnerDep, clock: ClockDep
) -> EnterpriseSearch:
    """Enterprises whose name contains ``q`` (shortest names first) or whose USCC starts with it;
    ``listed``: a finding in force against it today. The text travels in the body: what is typed
    into a search box (an ID number, say) never reaches a URL or an access log."""
    return _search(runner, clock, body.q, body.limit, body.offset)


@router.api_route(
    "/search",
    methods=["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
    include_in_schema=False,
)
def search_other_methods() -> None:
    """405 for ``/search`` with any method but POST (it would otherwise be read as
    ``GET /{uscc}`` with the USCC ``search``)."""
    raise HTTPException(405, headers={"Allow": "POST"})


@router.get(
    "",
    summary="Search enterprises by name or USCC prefix (text in the URL: prefer POST /search)",
    responses=SEARCH_ERRORS,
)
def search(
    principal: ReaderDep,
    runner: RunnerDep,
    clock: ClockDep,
    q: Annotated[SearchText, Query(json_schema_extra=NOT_AN_IDENTIFIER)],
    limit: Annotated[SearchLimit, Query()] = 20,
    offset: OffsetQuery = 0,
) -> EnterpriseSearch:
    """``POST /v1/enterprises/search`` with ``q`` in the query string, kept for older clients:
    the same answer, but the text reaches access logs."""
    return _search(runner, clock, q, limit, offset)


@router.get("/{uscc}", summary="Enterprise profile", responses=ERRORS)
def profile(
    uscc: Uscc,
    principal: ReaderDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    as_of: AsOfQuery = None,
    known_on: KnownOnQuery = None,
) -> EnterpriseProfile:
    """Officers (current and past), shareholders, practitioners, honours, findings, the
    measures on the enterprise, liable and exposed persons; for investigators and admins also
    its external listings (other bodies' sanction lists: information, never a finding). Its
    lists are bounded by the engine; ID numbers masked unless the role reveals them."""
    code = validate_uscc(uscc)
    trail.enterprise(code)
    result = enterprise_profile(
        runner, code, as_of or clock.today(), known_instant(clock, known_on)
    )
    if principal.role not in (Role.INVESTIGATOR, Role.ADMIN):
        result = result.model_copy(update={"external_listings": []})
    trail.disclosed(result)
    return result


@router.get("/{uscc}/findings", summary="The findings against an enterprise", responses=ERRORS)
def findings(
    uscc: Uscc,
    principal: ReaderDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    as_of: AsOfQuery = None,
    known_on: KnownOnQuery = None,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
) -> EnterpriseFindings:
    """Every finding, oldest decision first, with ``applies`` and the reason when it does not."""
    code = validate_uscc(uscc)
    trail.enterprise(code)
    day = as_of or clock.today()
    result = enterprise_liabilities(runner, code, day, known_instant(clock, known_on))
    page = Page[FindingSummary].of(result.findings, limit, offset, as_of=day)
    return EnterpriseFindings(enterprise=result.enterprise, **page.model_dump())


@router.get("/{uscc}/owners", summary="Beneficial owners and actual controllers", responses=ERRORS)
def owners(
    uscc: Uscc,
    principal: InvestigatorDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    as_of: AsOfQuery = None,
    threshold: Annotated[
        float | None,
        Query(
            gt=0,
            le=1,
            description="Beneficial-owner share (default 0.25); when given, owners below it "
            "that do not control are omitted (counted in ``omitted``).",
        ),
    ] = None,
    max_depth: Annotated[
        int, Query(ge=1, le=MAX_OWNERSHIP_DEPTH, description="Ownership chain length.")
    ] = 10,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
) -> OwnersPage:
    """Penetrated shares with proving chains; ``owners`` is paginated (``page``), controllers
    are complete."""
    code = validate_uscc(uscc)
    trail.enterprise(code)
    share = DEFAULT_THRESHOLD if threshold is None else threshold
    report = ownership_owners(runner, code, as_of or clock.today(), share, max_depth)
    if threshold is not None:
        report = at_threshold(report)
    page = Page[Owner].of(report.owners, limit, offset, as_of=report.as_of)
    result = OwnersPage(**{**dict(report), "owners": page.items}, page=page.info())
    trail.disclosed(result)
    return result


@router.get("/{uscc}/network", summary="The network around an enterprise", responses=ERRORS)
def network(
    uscc: Uscc,
    principal: InvestigatorDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Relationships (≤ 3).")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_NODES, description="Nodes (≤ 1000).")] = 200,
    as_of: AsOfQuery = None,
) -> Network:
    """Nodes and edges within ``depth``; ``truncated`` tells when ``limit`` cut it short."""
    code = validate_uscc(uscc)
    trail.enterprise(code)
    result = neighbourhood(runner, SubjectKey.enterprise(code), depth, limit, as_of, clock)
    trail.disclosed(result)
    return result
