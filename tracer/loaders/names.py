"""Names as the loader compares them: a name is never an identity, but the same name written
with a full-width letter or a stray space is still the same name (issue 14)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pandas as pd

from tracer.loaders.batch import objects

_IGNORED = frozenset("·•‧・")


def display_name(value: str | None) -> str | None:
    """A name as stored: NFKC (full-width letters and spaces become ASCII), whitespace runs
    collapsed to one space."""
    if value is None:
        return None
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    return text or None


def display_names(values: pd.Series) -> pd.Series:
    """``display_name`` of every cell of ``values`` (object Series, None kept)."""
    return objects(
        (display_name(value) if isinstance(value, str) else None for value in values),
        values.index,
    )


def name_key(value: str | None) -> str | None:
    """What two names must share to be the same name: the display form, case-folded, without
    whitespace or middle dots (张 三 = 张三, 阿卜杜·热合曼 = 阿卜杜热合曼)."""
    shown = display_name(value)
    if shown is None:
        return None
    return "".join(char for char in shown.casefold() if not char.isspace() and char not in _IGNORED)


@dataclass(frozen=True)
class StoredName:
    """A subject's name in the graph and every name its recorded changes hold (as keys)."""

    name: str | None
    known: frozenset[str]
