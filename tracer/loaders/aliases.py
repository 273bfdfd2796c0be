"""Chinese column headers and code values a spreadsheet user writes (issue 14), as data.

``column_aliases.csv`` (stem, alias, column; stem ``*`` = every file) renames a header such as
证件号码 to ``id_number``; ``code_aliases.csv`` (stem, column, alias, code) reads a cell such as
法定代表人 in a ``role`` column as ``LEGAL_REPRESENTATIVE``. Only unambiguous words are listed
(docs/LOADING.md); any other cell is checked as written.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from tracer.loaders.read import RawTable

ANY = "*"


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("tracer.loaders").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def column_aliases(stem: str) -> dict[str, str]:
    """Header alias -> column of ``stem`` (the file's own aliases win over ``*`` ones)."""
    rows = _rows("column_aliases.csv")
    found = {row["alias"]: row["column"] for row in rows if row["stem"] == ANY}
    found.update({row["alias"]: row["column"] for row in rows if row["stem"] == stem})
    return found


@cache
def code_aliases(stem: str, column: str) -> dict[str, str]:
    """Cell alias -> code for ``column`` of ``stem``."""
    return {
        row["alias"]: row["code"]
        for row in _rows("code_aliases.csv")
        if row["stem"] in (ANY, stem) and row["column"] == column
    }


def rename_columns(stem: str, table: RawTable) -> None:
    """Rename the aliased headers of ``table`` to their columns (in place). A column given both
    ways (e.g. 姓名 and name) is a duplicate column."""
    aliases = column_aliases(stem)
    renames: dict[str, str] = {}
    for low in list(table.columns):
        target = aliases.get(low)
        if target is None:
            continue
        if target in table.columns or target in renames.values():
            table.duplicate_columns.append(target)
            continue
        renames[low] = target
    if not renames:
        return
    table.frame = table.frame.rename(columns=renames)
    table.columns = {renames.get(low, low): name for low, name in table.columns.items()}
