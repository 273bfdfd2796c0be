"""Implementing departments (DOMAIN.md §9): their kind, region and the measures they own.

A department *owns* a measure when its kind is in the measure's ``department_kinds``. The kind
is the Department node's ``kind`` (the optional ``kind`` column of ``departments``); when it is
absent it is derived from the department's name (keywords in ``reference/department_kinds.csv``,
e.g. 人民法院 → COURT, 税务 → TAX) or, failing that, from a known kind spelled in its code
(``COURT-5001``). A department whose kind cannot be told owns nothing.

A department with a ``region_code`` covers subjects registered in its region (the code with
trailing ``00`` pairs removed is a prefix: 500000 → 50, 500100 → 5001); 000000/100000 and no
code mean national.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.errors import NotFound
from tracer.queries.catalogue import cypher
from tracer.queries.measures import measure_catalogue
from tracer.queries.reference import snapshot
from tracer.queries.runner import QueryRunner, Row

KindSource = Literal["DECLARED", "NAME", "CODE"]
MAX_DEPARTMENTS = 10_000
NATIONAL_REGIONS = frozenset({"000000", "100000"})


@cache
def name_kinds() -> tuple[tuple[str, str], ...]:
    """(keyword, kind) pairs, most specific first (``reference/department_kinds.csv``)."""
    text = resources.files("tracer.queries").joinpath("reference", "department_kinds.csv")
    rows = csv.DictReader(io.StringIO(text.read_text(encoding="utf-8")))
    return tuple((row["keyword"], row["kind"]) for row in rows)


class Department(BaseModel):
    """A department, the kind it is treated as, and the measures it owns."""

    code: str
    name: str | None = None
    region_code: str | None = None
    kind: str | None = None
    kind_source: KindSource | None = Field(
        default=None, description="DECLARED (node property) or derived from the NAME or CODE"
    )
    measures: list[str] = Field(description="measure codes the department implements")
    scope: str | None = Field(default=None, description="region_code prefix it covers; null = all")


def derive_department_kind(
    code: str, name: str | None, known_kinds: Iterable[str]
) -> tuple[str, KindSource] | None:
    """The kind of a department without a ``kind`` property: from its name, else its code."""
    for keyword, kind in name_kinds():
        if name and keyword in name:
            return kind, "NAME"
    upper = code.upper()
    for kind in sorted(known_kinds, key=len, reverse=True):
        if kind in upper:
            return kind, "CODE"
    return None


def region_scope(region_code: str | None) -> str | None:
    """The region_code prefix a department covers (None = nationwide)."""
    if not region_code or region_code in NATIONAL_REGIONS:
        return None
    scope = region_code
    while len(scope) > 2 and scope.endswith("00"):
        scope = scope[:-2]
    return scope


def _department(raw: Row, measures: Sequence[Mapping[str, Any]]) -> Department:
    known = {kind for measure in measures for kind in measure.get("department_kinds") or []}
    kind: str | None = raw.get("kind")
    source: KindSource | None = "DECLARED" if kind else None
    if not kind:
        derived = derive_department_kind(raw["code"], raw.get("name"), known)
        if derived:
            kind, source = derived
    owned = sorted(
        measure["code"] for measure in measures if kind in (measure.get("department_kinds") or [])
    )
    return Department(
        code=raw["code"],
        name=raw.get("name"),
        region_code=raw.get("region_code"),
        kind=kind,
        kind_source=source,
        measures=owned,
        scope=region_scope(raw.get("region_code")),
    )


def departments(
    runner: QueryRunner, as_of: dt.date, codes: Sequence[str] | None = None
) -> list[Department]:
    """Departments (all, or ``codes``) with their kinds and the measures they own on ``as_of``,
    by code."""
    rows = runner.read(
        cypher("worklist_departments"),
        codes=list(codes) if codes is not None else None,
        limit=MAX_DEPARTMENTS,
    )
    measures = list(measure_catalogue(snapshot(runner), as_of).values())
    return [_department(row["department"], measures) for row in rows]


def department(runner: QueryRunner, code: str, as_of: dt.date) -> Department:
    """One department with its owned measures; ``NotFound`` for an unknown code."""
    found = departments(runner, as_of, [code])
    if not found:
        raise NotFound(f"no department with code {code!r}")
    return found[0]
