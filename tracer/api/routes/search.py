"""Name search: persons and enterprises as candidates to verify (the text in the body only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from tracer.api.deps import ClockDep, ReaderDep, RunnerDep, TrailDep
from tracer.api.responses import problem_responses
from tracer.api.schemas import SearchText, json_integer
from tracer.queries.search import MAX_CANDIDATES, NameSearch, SearchKind, search_names

router = APIRouter(prefix="/v1/search", tags=["search"])


class NameSearchRequest(BaseModel):
    """A name (or its pinyin, or initials) to search for; it travels in the body, never in a
    URL (a person's name is personal information, and URLs reach access logs)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "张伟", "kind": "person", "limit": 20}]},
    )

    text: SearchText
    kind: SearchKind | None = Field(default=None, description="Only persons or enterprises.")
    limit: Annotated[
        int,
        Field(ge=1, le=MAX_CANDIDATES, description="Candidates of each kind."),
        BeforeValidator(json_integer),
    ] = 20


@router.post(
    "",
    summary="Search persons and enterprises by name: candidates to verify",
    responses=problem_responses(401, 403, 422, 503),
)
def search(
    body: NameSearchRequest,
    principal: ReaderDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> NameSearch:
    """Persons and enterprises whose names match exactly, by pinyin or initials, in part or
    nearly, best first, each with the facts that tell namesakes apart (masked ID, birth year,
    sex, region, positions held today; USCC, status, legal representative), a score and how it
    matched. Candidates to verify by ID number or USCC — never findings or liabilities;
    ``has_findings`` only says a check is worth running. Every person shown is audited."""
    found = search_names(runner, body.text, clock.today(), body.kind, body.limit)
    trail.disclosed(found)
    return found
