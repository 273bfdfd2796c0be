"""Names of administrative divisions (GB/T 2260 codes, as published by the Ministry of Civil
Affairs: ``reference/divisions.csv``, see its README), so that answers show "重庆市渝中区
(500103)" rather than a bare code."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

#: Prefecture-tier rows that are not places (a municipality's districts, county-level cities
#: directly under a province): left out of a full name.
_NOT_PLACES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@cache
def _names() -> Mapping[str, str]:
    text = resources.files("tracer.queries").joinpath("reference", "divisions.csv")
    rows = csv.DictReader(io.StringIO(text.read_text(encoding="utf-8")))
    return MappingProxyType({row["code"]: row["name"] for row in rows})


def division_name(code: str | None) -> str | None:
    """The full name of a division code: 2 digits (province), 4 (prefecture) or 6 (county),
    e.g. ``500103`` → 重庆市渝中区; None when the code is unknown."""
    if not code or not code.isdigit() or len(code) not in (2, 4, 6):
        return None
    names = _names()
    full = code.ljust(6, "0")
    if full not in names:
        return None
    parts: list[tuple[str, str]] = []
    for tier in (code[:2].ljust(6, "0"), code[:4].ljust(6, "0"), full):
        name = names.get(tier)
        if name and name not in _NOT_PLACES and (not parts or parts[-1][0] != tier):
            parts.append((tier, name))
    return "".join(name for _, name in parts)


def division_label(code: str | None) -> str:
    """``重庆市渝中区 (500103)``; the bare code when its name is unknown; ``UNKNOWN`` for none."""
    if not code:
        return "UNKNOWN"
    name = division_name(code)
    return f"{name} ({code})" if name else code
