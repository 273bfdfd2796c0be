"""Commands: tracer generate."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tracer.cli.context import console, emit_json, fail, out
from tracer.domain.errors import TracerError
from tracer.loaders.generate import DEFAULT_AS_OF, GenerationSummary, generate_dataset


def _table(summary: GenerationSummary) -> Table:
    table = Table(title=f"Generated {summary.enterprises:,} organisations in {summary.directory}")
    table.add_column("file")
    table.add_column("rows", justify="right")
    table.add_column("injected bad rows", justify="right")
    for stem, rows in summary.rows.items():
        injected = sum(summary.corruptions.get(stem, {}).values())
        table.add_row(f"{stem}.{summary.format}", f"{rows:,}", f"{injected:,}" if injected else "")
    return table


def generate(
    directory: Annotated[Path, typer.Argument(help="Output directory (created if missing).")],
    enterprises: int = typer.Option(..., "--enterprises", "-n", help="Organisations to create."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same files."),
    corrupt_rate: float = typer.Option(
        0.0, "--corrupt-rate", help="Bad rows injected per clean row and file (0..0.5)."
    ),
    fmt: str = typer.Option("csv", "--format", help="csv, jsonl, parquet or xlsx."),
    as_of: str = typer.Option(
        DEFAULT_AS_OF.isoformat(), "--as-of", help="Reference day of the data set (YYYY-MM-DD)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Machine output."),
) -> None:
    """Write a realistic synthetic data set (valid codes, planted cases) for ``tracer load``."""
    try:
        reference = date.fromisoformat(as_of)
    except ValueError:
        fail(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)")
    columns = (
        TextColumn("generating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("generate", total=enterprises)
            summary = generate_dataset(
                directory,
                enterprises,
                seed=seed,
                corrupt_rate=corrupt_rate,
                fmt=fmt,
                progress=lambda done: progress.update(task, completed=done),
                as_of=reference,
            )
    except (TracerError, OSError) as exc:
        fail(str(exc))
    if json_output:
        document = summary.model_dump(mode="json")
        document["injected_rows"] = summary.injected_rows
        emit_json(document)
        return
    out.print(_table(summary))
    for case in summary.planted_cases:
        out.print(f"[bold]{case.id}[/]: {case.title}", highlight=False)
    out.print(f"planted cases: {directory / 'planted_cases.json'}", highlight=False)
    if summary.injected_rows:
        out.print(f"bad rows by kind: {directory / 'corruptions.json'}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command(name="generate")(generate)
