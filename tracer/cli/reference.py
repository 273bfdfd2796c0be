"""Command: tracer reference rules|measures|list-types|departments — the reference tables as in
force on a date."""

from __future__ import annotations

import typer
from rich.table import Table

from tracer.cli.context import (
    AS_OF_OPTION,
    JSON_OPTION,
    database,
    day,
    emit_model,
    fail,
    out,
    table,
)
from tracer.queries.in_force import (
    DepartmentRow,
    ListTypeRow,
    MeasureRow,
    ReferenceTable,
    RuleRow,
    reference_table,
)

TABLES = ("rules", "measures", "list-types", "departments")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("reference")(reference_command)


def reference_command(
    name: str = typer.Argument(..., metavar="TABLE", help=" | ".join(TABLES)),
    as_of: str | None = AS_OF_OPTION,
    region: str | None = typer.Option(
        None, "--region", help="Division code: that jurisdiction's rows (default national)."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """The rules (with their source clause), measures (kind, mandatory, basis), list types
    (category, periods, reference date) or departments (code, name, region) in force on a date."""
    wanted = name.strip().lower()
    if wanted not in TABLES:
        fail(f"no reference table {name!r}; valid: {', '.join(TABLES)}")
    with database() as runner:
        result = reference_table(runner, wanted, day(as_of), region)
    if json_output:
        emit_model(result)
        return
    out.print(_render(result))
    out.print(f"{len(result.rows)} {result.table} in force on {result.as_of}")


def _join(values: list[str]) -> str:
    return ", ".join(values)


def _render(result: ReferenceTable) -> Table:
    title = f"{result.table} on {result.as_of}" + (f" in {result.region}" if result.region else "")
    rows = result.rows
    if rows and isinstance(rows[0], RuleRow):
        found = table(title, "rule", "name", "reaches", "effect", "measures", "source")
        for rule in (row for row in rows if isinstance(row, RuleRow)):
            reaches = _join(rule.roles + [f"named {c}" for c in rule.named_capacities])
            measures = _join(rule.measures + [f"{m} (eligible)" for m in rule.eligible_measures])
            found.add_row(
                rule.rule_id, rule.name, reaches, rule.effect or "", measures, rule.source or ""
            )
        return found
    if rows and isinstance(rows[0], MeasureRow):
        found = table(title, "measure", "name", "kind", "mandatory", "hits", "basis")
        for item in (row for row in rows if isinstance(row, MeasureRow)):
            basis = item.basis or ("allowed" if item.authorised else "NOT AUTHORISED on this date")
            found.add_row(
                item.code,
                f"{item.name_zh or ''} {item.name or ''}".strip(),
                item.kind or "",
                "must" if item.mandatory else "may",
                item.hits or "",
                basis,
            )
        return found
    if rows and isinstance(rows[0], ListTypeRow):
        found = table(title, "list type", "name", "category", "persons judged on", "periods")
        for kind in (row for row in rows if isinstance(row, ListTypeRow)):
            periods = "; ".join(
                f"{p.ground or 'other grounds'}: "
                + (f"{p.years} years" if p.years else f"until {p.open_until or 'removal'}")
                for p in kind.periods
            )
            found.add_row(
                kind.code,
                kind.name,
                kind.category or "per finding",
                kind.person_reference or "",
                periods or "open",
            )
        return found
    found = table(title, "department", "name", "region", "kind", "measures")
    for dept in (row for row in rows if isinstance(row, DepartmentRow)):
        region = f"{dept.region_name} ({dept.region_code})" if dept.region_name else ""
        found.add_row(
            dept.code,
            dept.name or "",
            region or dept.region_code or "",
            dept.kind or "",
            _join(dept.measures),
        )
    return found
