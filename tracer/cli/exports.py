"""``--out FILE`` of the views (work list, owners, signals): their rows as a .csv (UTF-8 with
BOM) or .xlsx file, masked as on the screen, after the view's audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer
from pydantic import BaseModel

from tracer.cli.context import console, fail
from tracer.domain.sheets import MEDIA_TYPES, Sheet, records_sheet, write_sheets

EXPORT_OPTION = typer.Option(
    None, "--out", help="Also write the rows to this .csv (UTF-8 with BOM) or .xlsx file."
)


def export_target(target: Path | None) -> Path | None:
    """``--out`` checked before any work: a .csv or .xlsx path (or None)."""
    if target is not None and target.suffix.lower() not in MEDIA_TYPES:
        fail(f"--out: {target.name} is neither .csv nor .xlsx")
    return target


def sheet(name: str, items: Sequence[BaseModel]) -> Sheet:
    """Items of a view as a table (their JSON form flattened; ID numbers masked)."""
    return records_sheet(name, [item.model_dump(mode="json") for item in items])


def write_export(target: Path, sheets: Sequence[Sheet]) -> None:
    """Write the tables (.xlsx: each a worksheet; .csv: the first) and say so on stderr."""
    written = sheets if target.suffix.lower() == ".xlsx" else sheets[:1]
    try:
        target.write_bytes(write_sheets(written, target.suffix))
    except OSError as exc:
        fail(f"--out: cannot write {target}: {exc.strerror}")
    rows = ", ".join(f"{len(each.rows)} {each.name}" for each in written)
    console.print(f"wrote {rows} → {target}", highlight=False, soft_wrap=True)
