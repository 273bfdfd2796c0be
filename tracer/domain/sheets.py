"""Spreadsheets in and out, for the command line and the API alike: CSV bytes decoded (UTF-8,
UTF-8 with BOM, GB18030/GBK), rows of a CSV or the first worksheet of an ``.xlsx``, and tables
written as CSV with a BOM (so Excel shows Chinese correctly) or as ``.xlsx`` workbooks."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracer.domain.errors import InvalidInput

BOM = b"\xef\xbb\xbf"
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Media type of each file kind this module reads and writes.
MEDIA_TYPES = {".csv": CSV_TYPE, ".xlsx": XLSX_TYPE}
_ZIP_MAGIC = b"PK\x03\x04"
#: Excel's limit on a worksheet's name.
_SHEET_NAME_MAX = 31


class UnreadableFile(InvalidInput):
    """A whole file could not be read (encoding, corrupt workbook, bad Parquet)."""

    title = "Unreadable file"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Rows:
    """A file's header and its non-empty rows, each with the line a person sees (the header
    is line 1) and its cells as text or None."""

    header: list[str]
    rows: list[tuple[int, list[str | None]]]


@dataclass(frozen=True)
class Sheet:
    """A table to write: a name (the worksheet's), column names and rows of cells."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]] = field(default_factory=list)


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 with or without BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(BOM):
        return data[3:].decode("utf-8")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("FILE_ENCODING", "not UTF-8 and not GB18030/GBK text")


def cell_text(value: Any) -> str | None:
    """A cell as text: None/NaN/blank -> None, whole floats without ``.0``, dates as ISO."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def suffix_of(data: bytes) -> str:
    """``.xlsx`` for a workbook (a ZIP container), else ``.csv``."""
    return ".xlsx" if data.startswith(_ZIP_MAGIC) else ".csv"


def read_rows(data: bytes, suffix: str | None = None) -> Rows:
    """The rows of a CSV file or of a workbook's first worksheet (``suffix`` ``.csv`` or
    ``.xlsx``; default: told by the content), each as wide as the header (cells beyond it are
    dropped). ``UnreadableFile`` when it cannot be read."""
    kind = (suffix or suffix_of(data)).lower()
    if kind == ".csv":
        header, rows = _csv_rows(data)
    elif kind == ".xlsx":
        header, rows = _xlsx_rows(data)
    else:
        raise UnreadableFile("FILE_FORMAT", f"unsupported file type {kind!r} (.csv or .xlsx)")
    names = [cell_text(name) or "" for name in header]
    width = len(names)
    kept = [
        (line, [cell_text(value) for value in cells[:width]] + [None] * (width - len(cells)))
        for line, cells in rows
        if any(cell_text(value) is not None for value in cells)
    ]
    return Rows([name.strip() for name in names], kept)


def _csv_rows(data: bytes) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableFile("FILE_EMPTY", "the file has no header row") from None
    except csv.Error as exc:
        raise UnreadableFile("FILE_FORMAT", f"not a CSV file: {exc}") from None

    def records() -> Iterator[tuple[int, list[Any]]]:
        previous = reader.line_num
        try:
            for row in reader:
                start, previous = previous + 1, reader.line_num
                yield start, list(row)
        except csv.Error as exc:
            message = f"CSV syntax error near line {reader.line_num}: {exc}"
            raise UnreadableFile("FILE_FORMAT", message) from None

    return list(header), records()


def _xlsx_rows(data: bytes) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        values = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
    except Exception as exc:  # openpyxl raises many types for a corrupt workbook
        raise UnreadableFile("FILE_FORMAT", f"not a readable .xlsx workbook: {exc}") from None
    if not values:
        raise UnreadableFile("FILE_EMPTY", "the first worksheet has no header row")
    rows = ((number, list(row)) for number, row in enumerate(values[1:], start=2))
    return list(values[0]), rows


def write_csv(sheet: Sheet) -> bytes:
    """One table as CSV, UTF-8 with a BOM (Excel then reads Chinese correctly)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(sheet.columns)
    writer.writerows([cell_text(value) or "" for value in row] for row in sheet.rows)
    return BOM + buffer.getvalue().encode("utf-8")


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """Tables as one ``.xlsx`` workbook, a worksheet each (cells as text, dates and numbers
    kept; nothing a formula)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name[:_SHEET_NAME_MAX])
        worksheet.append(list(sheet.columns))
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(worksheet: Any, value: Any) -> Any:
    """A value as a workbook cell: numbers, booleans and dates as such, text never a formula."""
    if value is None or isinstance(value, bool | int | float | date):
        return value
    text = cell_text(value) or ""
    if not text.startswith("="):
        return text
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=text)
    cell.data_type = "s"
    return cell


def write_sheets(sheets: Sequence[Sheet], suffix: str) -> bytes:
    """Tables as a file of ``suffix``: ``.xlsx`` (every table) or ``.csv`` (the first)."""
    kind = suffix.lower()
    if kind == ".xlsx":
        return write_xlsx(sheets)
    if kind == ".csv":
        return write_csv(sheets[0])
    raise InvalidInput(f"unsupported file type {kind!r} (.csv or .xlsx)")


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested record (a result's JSON form) as one row: nested objects as ``a.b`` columns,
    lists of plain values joined by ``, ``, lists of objects as compact JSON."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            row.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            plain = all(not isinstance(item, Mapping | list) for item in value)
            row[name] = (
                ", ".join(cell_text(item) or "" for item in value)
                if plain
                else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            )
        else:
            row[name] = value
    return row


def records_sheet(name: str, records: Sequence[Mapping[str, Any]]) -> Sheet:
    """Records (e.g. the items of a view) as one table: a column for every field any of them
    has, in the order first seen (a null object where others have fields: empty cells)."""
    rows = [flatten(record) for record in records]
    found = list(dict.fromkeys(column for row in rows for column in row))
    nested = {column.rsplit(".", 1)[0] for column in found if "." in column}
    # An object that is null in some records is a column of its own only where never given.
    columns = [c for c in found if c not in nested or any(row.get(c) is not None for row in rows)]
    return Sheet(name, columns, [[row.get(column) for column in columns] for row in rows])
