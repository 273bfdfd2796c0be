"""The reference tables as in force on a date, for reading (``tracer reference``): rules with
their source clause, measures with kind, mandatory and basis, list types with category,
periods and reference date, departments with their region and measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from tracer.queries.departments import departments
from tracer.queries.divisions import division_name
from tracer.queries.measures import basic_list_basis
from tracer.queries.reference import Snapshot, pick, snapshot
from tracer.queries.runner import QueryRunner, Row


class Version(BaseModel):
    """Which version of a row answers: in force from, to, and where (empty = national)."""

    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    jurisdiction: str | None = None
    source: str | None = None


class RuleRow(Version):
    """A propagation rule (DOMAIN §5): who it reaches, with what effect and measures."""

    rule_id: str
    name: str
    effect: str | None = None
    list_types: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    named_capacities: list[str] = Field(default_factory=list)
    reference: str | None = None
    measures: list[str] = Field(default_factory=list)
    eligible_measures: list[str] = Field(default_factory=list)


class MeasureRow(Version):
    """A measure (DOMAIN §7): kind, mandatory by default, and what authorises it on the date."""

    code: str
    name: str | None = None
    name_zh: str | None = None
    kind: str | None = None
    mandatory: bool | None = None
    restricting: bool | None = None
    hits: str | None = None
    department_kinds: list[str] = Field(default_factory=list)
    authorised: bool = Field(description="allowed on the date by the basic list, or before it")
    basis: str | None = Field(default=None, description="the basic-list (or other) entry")


class PeriodRow(BaseModel):
    """A list type's punishment period for one ground (empty ground = every other ground)."""

    ground: str | None = None
    years: int | None = None
    start: str | None = None
    open_until: str | None = None


class ListTypeRow(Version):
    """A list type (DOMAIN §4): category, persons' reference date and its periods."""

    code: str
    name: str
    category: str | None = None
    person_reference: str | None = None
    periods: list[PeriodRow] = Field(default_factory=list)


class DepartmentRow(BaseModel):
    """A department: code, name, region (with its name) and the measures it implements."""

    code: str
    name: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    kind: str | None = None
    measures: list[str]


class ReferenceTable(BaseModel):
    """One reference table as in force on ``as_of`` (national rows, or ``region``'s)."""

    table: str
    as_of: dt.date
    region: str | None = None
    rows: list[RuleRow] | list[MeasureRow] | list[ListTypeRow] | list[DepartmentRow]


def _fields(row: Row, model: type[BaseModel], **more: Any) -> dict[str, Any]:
    names = set(model.model_fields)
    values = {key: value for key, value in row.items() if key in names and value is not None}
    return {**values, **more}


def _current(
    reference: Snapshot, stem: str, key: str, day: dt.date, region: str | None
) -> list[Row]:
    rows = pick(reference.rows(stem), lambda row: row[key], day, region)
    return sorted(rows, key=lambda row: str(row[key]))


def rules(reference: Snapshot, day: dt.date, region: str | None = None) -> list[RuleRow]:
    """The rules in force on ``day``, by rule id."""
    return [
        RuleRow(**_fields(row, RuleRow))
        for row in _current(reference, "rules", "rule_id", day, region)
    ]


def measures(reference: Snapshot, day: dt.date, region: str | None = None) -> list[MeasureRow]:
    """The measures catalogue in force on ``day``, with what authorises each."""
    found = []
    for row in _current(reference, "measures", "code", day, region):
        authorised, basis = basic_list_basis(reference, row["code"], day, region)
        found.append(MeasureRow(**_fields(row, MeasureRow, authorised=authorised, basis=basis)))
    return found


def list_types(reference: Snapshot, day: dt.date, region: str | None = None) -> list[ListTypeRow]:
    """The list types in force on ``day``, each with the periods of a decision made that day."""
    periods = pick(
        reference.rows("list_type_periods"),
        lambda row: (row["list_type"], row.get("ground") or ""),
        day,
        region,
    )
    found = []
    for row in _current(reference, "list_types", "code", day, region):
        own = sorted(
            (p for p in periods if p["list_type"] == row["code"]),
            key=lambda p: str(p.get("ground") or ""),
        )
        found.append(
            ListTypeRow(
                **_fields(row, ListTypeRow),
                periods=[PeriodRow(**_fields(p, PeriodRow)) for p in own],
            )
        )
    return found


def department_rows(runner: QueryRunner, day: dt.date) -> list[DepartmentRow]:
    """Every department with its region's name and the measures it implements on ``day``."""
    return [
        DepartmentRow(
            code=dept.code,
            name=dept.name,
            region_code=dept.region_code,
            region_name=division_name(dept.region_code),
            kind=dept.kind,
            measures=dept.measures,
        )
        for dept in departments(runner, day)
    ]


def reference_table(
    runner: QueryRunner, table: str, day: dt.date, region: str | None = None
) -> ReferenceTable:
    """One of ``rules``, ``measures``, ``list-types``, ``departments`` as in force on ``day``."""
    if table == "departments":
        return ReferenceTable(table=table, as_of=day, rows=department_rows(runner, day))
    reference = snapshot(runner)
    readers = {"rules": rules, "measures": measures, "list-types": list_types}
    return ReferenceTable(
        table=table, as_of=day, region=region, rows=readers[table](reference, day, region)
    )
