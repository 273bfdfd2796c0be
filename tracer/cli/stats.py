"""Command: tracer stats — summary counts for analysts."""

from __future__ import annotations

import typer

from tracer.cli.context import AS_OF_OPTION, JSON_OPTION, database, day, emit_model, out, table
from tracer.queries.stats import summary


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("stats")(stats_command)


def stats_command(as_of: str | None = AS_OF_OPTION, json_output: bool = JSON_OPTION) -> None:
    """Summary counts: findings by dimension, liable persons by rule/effect, feedback completion."""
    with database() as runner:
        result = summary(runner, day(as_of))
    if json_output:
        emit_model(result)
        return
    found = result.findings
    for title, counts, labels in (
        ("findings by category", found.by_category, {}),
        ("findings by list type", found.by_list_type, {}),
        ("findings by status", found.by_status, {}),
        ("findings by province", found.by_province, found.labels.get("province", {})),
        ("findings by authority", found.by_authority, found.labels.get("authority", {})),
        ("liable persons by rule", result.liable.by_rule, {}),
        ("liable persons by effect", result.liable.by_effect, {}),
    ):
        counted = table(title, "key", "count")
        for key, count in counts.items():
            counted.add_row(labels.get(key, key), str(count))
        out.print(counted)
    completion = table(
        f"feedback completion on {result.as_of}",
        "department", "kind", "pushed", "answered", "completion",
    )  # fmt: skip
    for row in result.feedback:
        share = "" if row.completion is None else f"{row.completion:.0%}"
        department = f"{row.name} ({row.department})" if row.name else row.department
        completion.add_row(department, row.kind or "?", str(row.pushed), str(row.answered), share)
    out.print(completion)
    out.print(f"{found.total} findings, {result.liable.persons} liable persons")
