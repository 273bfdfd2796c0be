"""``tracer check --file``: screen every person and enterprise of a spreadsheet, write the
results (and the evidence) as .xlsx or .csv, and print a summary line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tracer.cli.context import audit_read, console, database, emit_json, fail, out, table
from tracer.domain.errors import TracerError
from tracer.domain.sheets import MEDIA_TYPES, Rows, Sheet, read_rows, write_sheets
from tracer.queries.screening import result_sheets, screen

FILE_OPTION = typer.Option(
    None, "--file", help="Screen a .csv/.xlsx (id_type,id_number or uscc; name optional)."
)
OUT_OPTION = typer.Option(None, "--out", help="With --file: write the results to .xlsx or .csv.")
#: Rows shown on the terminal when no ``--out`` file is given.
SHOWN_COLUMNS = ("row", "subject", "record_name", "name_check", "verdict", "reason", "why")


def _read(path: Path) -> Rows:
    suffix = path.suffix.lower()
    if suffix not in MEDIA_TYPES:
        fail(f"--file: {path.name} is neither .csv nor .xlsx")
    try:
        return read_rows(path.read_bytes(), suffix)
    except OSError as exc:
        fail(f"--file: cannot read {path}: {exc.strerror}")
    except TracerError as exc:
        fail(f"--file: {exc}")


def screen_file(
    path: Path,
    target: Path | None,
    as_of: dt.date,
    measure: str | None,
    known_on: dt.datetime | None,
    json_output: bool,
) -> None:
    """Screen ``path``; write ``target`` (.xlsx: results and evidence; .csv: results)."""
    if target is not None and target.suffix.lower() not in MEDIA_TYPES:
        fail(f"--out: {target.name} is neither .csv nor .xlsx")
    rows = _read(path)
    columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        database() as runner,
        Progress(*columns, console=console, transient=True) as progress,
    ):
        task = progress.add_task("screening", total=len(rows.rows))
        screening = screen(
            runner,
            rows,
            as_of,
            measure,
            known_on,
            progress=lambda done: progress.advance(task, done),
        )
    keys = [entry.key for entry in screening.entries if entry.key is not None]
    audit_read("check --file", *keys, disclosed=[c for c in screening.checks if c is not None])
    sheets = result_sheets(screening)
    if target is not None:
        target.write_bytes(write_sheets(sheets, target.suffix))
    summary = screening.summary()
    if json_output:
        results = [dict(zip(sheets[0].columns, row, strict=True)) for row in sheets[0].rows]
        emit_json({"summary": summary, "out": str(target) if target else None, "rows": results})
        return
    if target is None:
        _print_results(sheets[0])
    console.print(_summary_line(summary, target), highlight=False)


def _print_results(sheet: Sheet) -> None:
    index = {name: position for position, name in enumerate(sheet.columns)}
    shown = table("screening", *SHOWN_COLUMNS)
    for row in sheet.rows:
        shown.add_row(*(str(row[index[name]] or "") for name in SHOWN_COLUMNS))
    out.print(shown)


def _summary_line(summary: dict[str, int], target: Path | None) -> str:
    counts = (
        f"{summary['rows']} rows: {summary['restricted']} restricted, "
        f"{summary['liable_not_restricted']} liable, {summary['clear']} clear, "
        f"{summary['not_found']} not found, {summary['invalid']} invalid"
    )
    return f"{counts} → {target}" if target else counts
