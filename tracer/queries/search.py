"""Find enterprises by part of their name or the start of their USCC (bounded, paginated)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from tracer.domain.errors import InvalidInput
from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner
from tracer.queries.timeline import LATEST

MAX_QUERY_LENGTH = 50
MAX_PAGE = 100


class EnterpriseHit(BaseModel):
    """One enterprise matching a search."""

    uscc: str
    name: str | None
    kind: str | None
    status: str | None
    region_code: str | None
    listed: bool


class EnterpriseSearch(BaseModel):
    """A page of search hits; ``next_offset`` is null on the last page."""

    q: str
    items: list[EnterpriseHit]
    limit: int
    offset: int
    next_offset: int | None


def search_enterprises(
    runner: QueryRunner, q: str, on: date, limit: int = 20, offset: int = 0
) -> EnterpriseSearch:
    """Enterprises whose name contains ``q`` or whose USCC starts with it, shortest names first;
    ``listed`` when a finding is in force against one on ``on`` (as now known)."""
    text = q.strip()
    if not 1 <= len(text) <= MAX_QUERY_LENGTH:
        raise InvalidInput(f"the search text must have 1 to {MAX_QUERY_LENGTH} characters")
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise InvalidInput(f"limit must be 1..{MAX_PAGE} and offset >= 0")
    rows = runner.read(
        cypher("search_enterprises"),
        q=text,
        skip=offset,
        limit=limit + 1,
        as_of=on,
        known_at=LATEST,
    )
    more = len(rows) > limit
    return EnterpriseSearch(
        q=text,
        items=[EnterpriseHit(**row) for row in rows[:limit]],
        limit=limit,
        offset=offset,
        next_offset=offset + limit if more else None,
    )
