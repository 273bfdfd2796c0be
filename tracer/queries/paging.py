"""The one page envelope of every bounded list (API, CLI, notebooks) and its limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from tracer.domain.errors import InvalidInput

#: Largest page any list returns, and the furthest it may skip.
MAX_LIMIT = 500
MAX_OFFSET = 10_000

T = TypeVar("T")


def check_page(limit: int, offset: int, max_limit: int = MAX_LIMIT) -> None:
    """``InvalidInput`` unless ``1 <= limit <= max_limit`` and ``0 <= offset <= MAX_OFFSET``."""
    if not 1 <= limit <= max_limit:
        raise InvalidInput(f"limit must be in 1..{max_limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput(f"offset must be in 0..{MAX_OFFSET}")


class PageInfo(BaseModel):
    """Where a page lies in a bounded list: ``next_offset`` is null on the last page;
    ``truncated`` says a bounded scan stopped early, so ``total`` may be low."""

    as_of: dt.date | None = Field(default=None, description="the date the list is about")
    total: int
    limit: int
    offset: int
    next_offset: int | None
    truncated: bool = Field(default=False, description="a bounded scan stopped early")


class Page(PageInfo, Generic[T]):
    """One page of a bounded list (the one envelope of every list)."""

    items: list[T]

    @classmethod
    def of(
        cls,
        found: Sequence[T],
        limit: int,
        offset: int,
        *,
        truncated: bool = False,
        as_of: dt.date | None = None,
    ) -> Page[T]:
        """The page ``offset .. offset + limit`` of everything ``found``."""
        check_page(limit, offset)
        following = offset + limit
        return cls(
            items=list(found[offset:following]),
            as_of=as_of,
            total=len(found),
            limit=limit,
            offset=offset,
            next_offset=following if following < len(found) else None,
            truncated=truncated,
        )

    def info(self) -> PageInfo:
        """The page without its items."""
        return PageInfo(**self.model_dump(exclude={"items"}))
