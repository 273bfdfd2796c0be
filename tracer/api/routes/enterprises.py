"""Enterprises by USCC: profile, findings, owners, network."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tracer.api.deps import InvestigatorDep, ReaderDep, RunnerDep, TrailDep
from tracer.api.present import present
from tracer.api.responses import problem_responses
from tracer.api.schemas import AsOfQuery, LimitQuery, OffsetQuery, paginate
from tracer.domain.identifiers import validate_uscc
from tracer.queries.liability import FindingSummary, enterprise_liabilities
from tracer.queries.models import EnterpriseRef
from tracer.queries.network import MAX_DEPTH, MAX_NODES, Network, neighbourhood
from tracer.queries.ownership import MAX_DEPTH as MAX_OWNERSHIP_DEPTH
from tracer.queries.ownership import owners as ownership_owners
from tracer.queries.paths import SubjectKey
from tracer.queries.profile import EnterpriseProfile, enterprise_profile
from tracer.queries.search import MAX_PAGE, MAX_QUERY_LENGTH, EnterpriseSearch, search_enterprises

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"])

Uscc = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        description="Unified social credit code (18 characters).",
        examples=["91110000600037341L"],
    ),
]
ERRORS = problem_responses(401, 403, 404, 422, 503)


class EnterpriseFindings(BaseModel):
    """A page of an enterprise's findings (each with whether it applies on ``as_of``)."""

    enterprise: EnterpriseRef
    as_of: dt.date
    items: list[FindingSummary]
    limit: int
    offset: int
    next_offset: int | None
    total: int


@router.get(
    "",
    summary="Search enterprises by name or USCC prefix",
    response_model=EnterpriseSearch,
    responses=problem_responses(401, 403, 422, 503),
)
def search(
    principal: ReaderDep,
    runner: RunnerDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_LENGTH,
            description="Part of the name, or the first characters of the USCC.",
            examples=["建设"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 20,
    offset: OffsetQuery = 0,
) -> JSONResponse:
    """Enterprises whose name contains ``q`` (shortest names first) or whose USCC starts with it."""
    return present(search_enterprises(runner, q, limit, offset), principal)


@router.get(
    "/{uscc}",
    summary="Enterprise profile",
    response_model=EnterpriseProfile,
    responses=ERRORS,
)
def profile(
    uscc: Uscc, principal: ReaderDep, runner: RunnerDep, trail: TrailDep, as_of: AsOfQuery = None
) -> JSONResponse:
    """Officers (current and past), shareholders, practitioners, honours, findings, liable and
    exposed persons. Its lists are bounded by the engine; ID numbers masked unless the role
    reveals them."""
    code = validate_uscc(uscc)
    trail.enterprise(code)
    return present(enterprise_profile(runner, code, as_of or dt.date.today()), principal)


@router.get(
    "/{uscc}/findings",
    summary="The findings against an enterprise",
    response_model=EnterpriseFindings,
    responses=ERRORS,
)
def findings(
    uscc: Uscc,
    principal: ReaderDep,
    runner: RunnerDep,
    trail: TrailDep,
    as_of: AsOfQuery = None,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
) -> JSONResponse:
    """Every finding, oldest decision first, with ``applies`` and the reason when it does not."""
    code = validate_uscc(uscc)
    trail.enterprise(code)
    result = enterprise_liabilities(runner, code, as_of or dt.date.today())
    page = paginate(result.findings, limit, offset)
    document = {
        "enterprise": result.enterprise,
        "as_of": result.as_of,
        **page,
        "total": len(result.findings),
    }
    return present(document, principal)


@router.get("/{uscc}/owners", summary="Beneficial owners and actual controllers", responses=ERRORS)
def owners(
    uscc: Uscc,
    principal: InvestigatorDep,
    runner: RunnerDep,
    trail: TrailDep,
    as_of: AsOfQuery = None,
    threshold: Annotated[float, Query(gt=0, le=1, description="Beneficial-owner share.")] = 0.25,
    max_depth: Annotated[
        int, Query(ge=1, le=MAX_OWNERSHIP_DEPTH, description="Ownership chain length.")
    ] = 10,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
) -> JSONResponse:
    """Penetrated shares with proving chains; ``owners`` is paginated (``page``), controllers
    are complete."""
    code = validate_uscc(uscc)
    trail.enterprise(code)
    report = ownership_owners(runner, code, as_of or dt.date.today(), threshold, max_depth)
    document: dict[str, Any] = report.model_dump(mode="json")
    page = paginate(document.pop("owners"), limit, offset)
    document["owners"] = page.pop("items")
    document["page"] = {**page, "total": len(report.owners)}
    return present(document, principal)


@router.get(
    "/{uscc}/network",
    summary="The network around an enterprise",
    response_model=Network,
    responses=ERRORS,
)
def network(
    uscc: Uscc,
    principal: InvestigatorDep,
    runner: RunnerDep,
    trail: TrailDep,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Relationships (≤ 3).")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_NODES, description="Nodes (≤ 1000).")] = 200,
    as_of: AsOfQuery = None,
) -> JSONResponse:
    """Nodes and edges within ``depth``; ``truncated`` tells when ``limit`` cut it short."""
    code = validate_uscc(uscc)
    trail.enterprise(code)
    result = neighbourhood(runner, SubjectKey.enterprise(code), depth, limit, as_of)
    return present(result, principal)
