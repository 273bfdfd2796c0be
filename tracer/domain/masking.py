"""Masking of ID numbers (DOMAIN.md §10, §12): masked by default, full only where a role reveals
them. ``reveal_ids`` is the one switch: serialisation of person references (``PersonRef``)
consults it, and it is off unless a caller's role turns it on for the current request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_REVEAL: ContextVar[bool] = ContextVar("tracer_reveal_ids", default=False)


def mask_number(id_number: str) -> str:
    """``110105199001010021`` → ``110105********0021``; short numbers keep 2 + 2 characters."""
    if len(id_number) >= 15:
        return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]
    if len(id_number) > 4:
        return id_number[:2] + "*" * (len(id_number) - 4) + id_number[-2:]
    return "*" * len(id_number)


def ids_revealed() -> bool:
    """True when full ID numbers may be serialised in the current context."""
    return _REVEAL.get()


def set_reveal_ids(reveal: bool) -> None:
    """Turn full ID numbers on or off for the rest of the current context (one request)."""
    _REVEAL.set(reveal)


@contextmanager
def revealing_ids(reveal: bool = True) -> Iterator[None]:
    """Within the block, full ID numbers are (or are not) serialised."""
    token = _REVEAL.set(reveal)
    try:
        yield
    finally:
        _REVEAL.reset(token)
