"""Read input files (INTERFACES.md §1) into string tables that remember each row's line.

Every reader returns the same shape: a ``RawTable`` whose ``frame`` has lower-case column
names, cells as ``str`` or ``None`` (empty cell = null, nothing else is interpreted), and the
bookkeeping columns ``_file`` and ``_line``. Line numbers are what a person sees: CSV and
XLSX count the header as line 1; JSONL counts physical lines; Parquet counts records from 1.
Fully empty rows are skipped (they are not rows). Rows that cannot be read at all (a CSV row
with more cells than the header, a JSONL line that is not an object) are kept as ``malformed``.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from tracer.domain.sheets import BOM, cell_text
from tracer.domain.sheets import UnreadableFile as UnreadableFile  # re-exported
from tracer.domain.sheets import decode_csv as decode_csv  # re-exported
from tracer.loaders.specs import LOAD_ORDER

STEMS = LOAD_ORDER
FORMATS = (".csv", ".xlsx", ".parquet", ".jsonl")
#: Interchange files (BODS 0.4, FollowTheMoney), read by ``tracer.loaders.interchange``; their
#: rows fall into several stems, so ``discover`` lists them under this key.
INTERCHANGE = "interchange"
INTERCHANGE_SUFFIXES = (".bods.json", ".bods.jsonl", ".ftm.json", ".ftm.jsonl")
LINE = "_line"
FILE = "_file"
#: Files ``tracer load`` writes itself into DIR: never input, never reported as unknown.
OWN_STEMS = ("rejects",)
#: Rows of an Arrow column converted to Python strings at a time.
CONVERT_ROWS = 1 << 20
#: Bytes of a plain CSV file read at a time by ``plain_pieces``.
PIECE_BYTES = 32 << 20


@dataclass(frozen=True)
class Malformed:
    """A row that could not be turned into cells."""

    line: int
    message: str
    raw: str


@dataclass
class RawTable:
    """One file's rows as strings, with the original column names for the rejects file."""

    path: Path
    frame: pd.DataFrame
    columns: dict[str, str]  # lower-case name -> name as written in the file
    duplicate_columns: list[str] = field(default_factory=list)
    malformed: list[Malformed] = field(default_factory=list)


def discover(directory: Path) -> dict[str, list[Path]]:
    """Input files of ``directory`` by stem (known stems and formats only), sorted by name."""
    found: dict[str, list[Path]] = {}
    for path in sorted(directory.iterdir()):
        stem = path.stem.lower()
        if path.is_file() and is_interchange(path):
            found.setdefault(INTERCHANGE, []).append(path)
        elif path.is_file() and stem in STEMS and path.suffix.lower() in FORMATS:
            found.setdefault(stem, []).append(path)
    return {stem: found[stem] for stem in (*STEMS, INTERCHANGE) if stem in found}


@dataclass(frozen=True)
class UnknownFile:
    """A data file whose name is no input stem (so it is not loaded), and the closest stem."""

    file: str
    suggestion: str | None


def unknown_files(directory: Path, ignore: Iterable[str] = ()) -> list[UnknownFile]:
    """Files of ``directory`` in a loadable format whose stem is not an input stem (e.g.
    ``person.csv``), with the closest stem; hidden files, the loader's own rejects files and
    the names in ``ignore`` are left out."""
    skipped = set(ignore)
    found = []
    for path in sorted(directory.iterdir()):
        stem = path.stem.lower()
        if (
            not path.is_file()
            or path.name.startswith((".", "~$"))
            or path.name in skipped
            or is_interchange(path)
            or path.suffix.lower() not in FORMATS
            or stem in STEMS
            or stem in OWN_STEMS
        ):
            continue
        close = difflib.get_close_matches(stem, STEMS, n=1, cutoff=0.6)
        found.append(UnknownFile(path.name, close[0] if close else None))
    return found


def is_interchange(path: Path) -> bool:
    """A BODS or FollowTheMoney file (``*.bods.json(l)``, ``*.ftm.json(l)``)."""
    return path.name.lower().endswith(INTERCHANGE_SUFFIXES)


def _column(values: Iterable[Any], texts: bool, count: int) -> np.ndarray:
    """The ``count`` cells as text or None; ``texts`` says every cell already is a string (or
    None)."""
    if not texts:
        return np.fromiter((cell_text(value) for value in values), dtype=object, count=count)
    return np.fromiter(
        (value if value is not None and value.strip() else None for value in values),
        dtype=object,
        count=count,
    )


def _table(
    path: Path,
    header: list[Any],
    rows: Iterable[tuple[int, list[Any]]],
    malformed: list[Malformed],
    texts: bool = False,
) -> RawTable:
    width = len(header)
    lines: list[int] = []
    cells: list[list[Any]] = []
    for line, values in rows:
        if len(values) > width:
            if any(cell_text(value) is not None for value in values[width:]):
                message = f"{len(values)} cells but the header has {width}"
                malformed.append(Malformed(line, message, repr(values)))
                continue
            values = values[:width]
        lines.append(line)
        cells.append(values if len(values) == width else [*values, *[None] * (width - len(values))])
    columns: list[Any] = list(zip(*cells, strict=True)) if cells else [() for _ in range(width)]
    del cells
    return _frame(path, header, lines, columns, malformed, texts)


def _frame(
    path: Path,
    header: list[Any],
    lines: Sequence[int] | np.ndarray,
    columns: list[Any],
    malformed: list[Malformed],
    texts: bool,
) -> RawTable:
    """The table of ``columns`` (cells of each header column) read from ``lines``. ``columns``
    is consumed: each is converted and dropped in turn, and rows are copied only when some row
    is empty (a file of millions of rows is held once)."""
    names = [str(name).strip() if name is not None else "" for name in header]
    lower = [name.lower() for name in names]
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for name, low in zip(names, lower, strict=True):
        if low in seen:
            duplicates.append(low)
        else:
            seen[low] = name
    unique = [index for index, low in enumerate(lower) if lower.index(low) == index and low]
    count = len(lines)
    cells: dict[str, np.ndarray] = {}
    for index, source in enumerate(columns):
        columns[index] = ()
        if index in unique:
            cells[lower[index]] = _column(source, texts, count)
        del source
    filled = np.zeros(count, dtype=bool)
    for values in cells.values():
        filled |= values != None  # noqa: E711 (element-wise: a cell that is not None)
    lines = np.asarray(lines, dtype=np.int64)
    if not filled.all():
        cells = {name: values[filled] for name, values in cells.items()}
        lines = lines[filled]
    frame = pd.DataFrame({**cells, LINE: lines}, copy=False)
    frame[FILE] = path.name
    seen.pop("", None)
    return RawTable(path, frame, seen, duplicates, malformed)


def _plain_header(line: bytes) -> list[str] | None:
    """The header of a plain file (its first line, without the newline), None if it is not
    one."""
    if not line or b'"' in line or b"\r" in line or b"\x00" in line:
        return None
    if len(line) >= csv.field_size_limit():
        return None
    try:
        return line.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None


def _plain_rows(
    data: memoryview | bytes, width: int, first_line: int
) -> tuple[np.ndarray, pa.Table] | None:
    """The rows of ``data`` (whole lines of a plain file after its header; the caller has
    checked there are no quotes, carriage returns or NUL): their line numbers (``first_line``
    is the number of data's first line) and cells as Arrow text columns ``c0``..; None when a
    non-empty line has another number of cells than ``width``, a line is longer than the csv
    module's field size limit, or the text is not UTF-8."""
    buffer = np.frombuffer(data, dtype=np.uint8)
    if len(buffer) == 0:
        return np.empty(0, dtype=np.int64), empty_columns(width)
    ends = np.flatnonzero(buffer == ord("\n"))
    if buffer[-1] != ord("\n"):
        ends = np.append(ends, len(buffer))
    starts = np.concatenate([[0], ends[:-1] + 1])
    filled = ends > starts
    if (ends - starts).max() >= csv.field_size_limit():
        return None
    commas = np.bincount(
        np.searchsorted(ends, np.flatnonzero(buffer == ord(","))), minlength=len(ends)
    )
    if (commas[filled] != width - 1).any():
        return None
    lines = np.flatnonzero(filled) + first_line
    del ends, starts, filled, commas
    names = [f"c{index}" for index in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pacsv.ParseOptions(
                quote_char=False, double_quote=False, escape_char=False, ignore_empty_lines=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:  # not UTF-8
        return None
    if table.num_rows != len(lines):
        return None
    return lines.astype(np.int64), table


def _read_plain_csv(path: Path, raw: bytes) -> RawTable | None:
    """``_read_csv`` by pyarrow's reader for a plain UTF-8 file — no quotes, carriage returns or
    NUL, every non-empty line with as many cells as the header, no cell beyond the csv module's
    field size limit — where both read the same cells; None for any other file. The bytes are
    read as they are (never decoded into one string: that would double a large file's memory)."""
    if b'"' in raw or b"\r" in raw or b"\x00" in raw:
        return None
    view = memoryview(raw)[len(BOM) if raw.startswith(BOM) else 0 :]
    cut = raw.find(b"\n", len(raw) - len(view))
    header_end = len(view) if cut < 0 else cut - (len(raw) - len(view))
    header = _plain_header(bytes(view[:header_end]))
    if header is None:
        return None
    found = _plain_rows(view[header_end + 1 :], len(header), first_line=2)
    del raw, view  # the table holds the cells now
    if found is None:
        return None
    return arrow_frame(path, header, *found)


@dataclass
class PlainPiece:
    """Some whole lines of a plain CSV file as Arrow text columns ``c0``.. in header order."""

    header: list[str]
    lines: np.ndarray
    table: pa.Table


class NotPlain(Exception):
    """A file the piecewise reader does not read (``read_table`` reads it whole)."""


def plain_pieces(path: Path, piece_bytes: int = PIECE_BYTES) -> Iterator[PlainPiece]:
    """A plain CSV file (see ``_read_plain_csv``) read ``piece_bytes`` at a time, as the
    pieces ``read_table`` would read from it whole (cells and line numbers alike; at least one
    piece, empty for a file without rows); raises ``NotPlain`` on reaching a line that makes
    the file not plain."""
    with path.open("rb") as handle:
        first = handle.readline()
        header = _plain_header(first.removeprefix(BOM).removesuffix(b"\n"))
        if header is None:
            raise NotPlain(path.name)
        line, carry, pieces = 2, b"", 0
        while True:
            block = handle.read(piece_bytes)
            data = carry + block
            cut = data.rfind(b"\n") + 1 if block else len(data)
            piece, carry = data[:cut], data[cut:]
            del data
            if piece:
                if b'"' in piece or b"\r" in piece or b"\x00" in piece:
                    raise NotPlain(path.name)
                found = _plain_rows(piece, len(header), first_line=line)
                if found is None:
                    raise NotPlain(path.name)
                line += piece.count(b"\n")
                pieces += 1
                yield PlainPiece(header, *found)
            if not block:
                break
        if not pieces:
            yield PlainPiece(header, np.empty(0, dtype=np.int64), empty_columns(len(header)))


def empty_columns(width: int) -> pa.Table:
    """No rows, as the Arrow text columns ``c0``.. of a plain file ``width`` cells wide."""
    return pa.table({f"c{index}": pa.array([], pa.string()) for index in range(width)})


def arrow_frame(path: Path, header: list[str], lines: np.ndarray, table: pa.Table) -> RawTable:
    """The ``RawTable`` of plain rows read as Arrow text columns (``table``, header order):
    each column's Arrow buffers are freed (and handed back to the system) once converted."""
    columns: list[Any] = []
    while table.num_columns:
        columns.append(_objects(table.column(0)))
        table = table.remove_column(0)
        pa.default_memory_pool().release_unused()
    del table
    return _frame(path, header, lines, columns, [], texts=True)


def _objects(column: pa.ChunkedArray) -> np.ndarray:
    """The cells of an Arrow text column as Python strings, converted a slice at a time (the
    conversion's working memory stays that of a slice), one object per distinct cell of a
    slice (codes, dates and keys repeat: a third of the memory)."""
    cells = np.empty(len(column), dtype=object)
    for start in range(0, len(column), CONVERT_ROWS):
        part = column.slice(start, CONVERT_ROWS).to_pandas(deduplicate_objects=True)
        cells[start : start + len(part)] = part.to_numpy()
    return cells


def _read_csv(path: Path) -> RawTable:
    plain = _read_plain_csv(path, path.read_bytes())  # the bytes are freed once parsed
    if plain is not None:
        return plain
    raw = path.read_bytes()
    text = decode_csv(raw)
    utf8 = text.encode("utf-8")
    if utf8 != raw.removeprefix(BOM):  # GB18030: plain once read as UTF-8?
        plain = _read_plain_csv(path, utf8)
        if plain is not None:
            return plain
    del raw, utf8
    reader = csv.reader(io.StringIO(text, newline=""))

    def records() -> Iterator[tuple[int, list[Any]]]:
        previous = reader.line_num
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if row:
                yield start, row

    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableFile("FILE_EMPTY", "the file has no header row") from None
    except csv.Error as exc:
        raise UnreadableFile("FILE_FORMAT", f"not a CSV file: {exc}") from None
    malformed: list[Malformed] = []
    try:
        return _table(path, list(header), records(), malformed, texts=True)
    except csv.Error as exc:
        message = f"CSV syntax error near line {reader.line_num}: {exc}"
        raise UnreadableFile("FILE_FORMAT", message) from None


def _read_xlsx(path: Path) -> RawTable:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt workbook
        raise UnreadableFile("FILE_FORMAT", f"not a readable .xlsx workbook: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise UnreadableFile("FILE_EMPTY", "the first worksheet has no header row")
        numbered = ((number, list(row)) for number, row in enumerate(rows, start=2))
        return _table(path, list(header), numbered, [])
    finally:
        workbook.close()


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError … for a bad file
        raise UnreadableFile("FILE_FORMAT", f"not a readable Parquet file: {exc}") from None
    columns = table.column_names
    data = [table.column(name).to_pylist() for name in columns]
    rows = ((index + 1, [column[index] for column in data]) for index in range(table.num_rows))
    return _table(path, list(columns), rows, [])


def _read_jsonl(path: Path) -> RawTable:
    text = decode_csv(path.read_bytes())
    header: list[str] = []
    known: set[str] = set()
    objects: list[tuple[int, dict[str, Any]]] = []
    malformed: list[Malformed] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            malformed.append(Malformed(number, f"not JSON: {exc.msg}", line))
            continue
        if not isinstance(value, dict):
            malformed.append(Malformed(number, "a JSONL line must be one JSON object", line))
            continue
        objects.append((number, value))
        for key in value:
            if key not in known:
                known.add(key)
                header.append(key)
    rows = ((number, [value.get(key) for key in header]) for number, value in objects)
    return _table(path, header, rows, malformed)


def read_table(path: Path) -> RawTable:
    """Read one input file by its suffix; ``UnreadableFile`` when it cannot be read at all."""
    suffix = path.suffix.lower()
    readers = {
        ".csv": _read_csv,
        ".xlsx": _read_xlsx,
        ".parquet": _read_parquet,
        ".jsonl": _read_jsonl,
    }
    if suffix not in readers:
        raise UnreadableFile("FILE_FORMAT", f"unsupported file type {suffix!r}")
    return readers[suffix](path)
