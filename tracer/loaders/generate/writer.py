"""Streaming table writers (CSV, JSON lines, Parquet, XLSX): rows go to disk as they come.

A writer takes a row as its values in the file's column order (``SPECS[stem].columns``), the
empty string for an empty cell.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook

from tracer.loaders.specs import DATA_STEMS, SPECS

Row = dict[str, str | None]
Values = tuple[str, ...]

#: The files the generator writes: the loader's data files (no reference tables), with the
#: loader's columns (``tracer.loaders.specs.SPECS``), required then optional.
STEMS = DATA_STEMS
FORMATS = ("csv", "jsonl", "parquet", "xlsx")
PARQUET_BATCH = 50_000


class TableWriter(Protocol):
    """Writes rows of one table; ``close`` finishes the file."""

    def write(self, values: Values) -> None: ...

    def close(self) -> None: ...


class CsvWriter:
    """UTF-8 CSV with a header and ``\\n`` line ends, quoted as ``csv.writer`` quotes (only
    cells holding a comma, quote or line break)."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self._file = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._file, lineterminator="\n")
        self._csv.writerow(columns)
        self._commas = len(columns) - 1

    def write(self, values: Values) -> None:
        line = ",".join(values)  # what csv.writer writes for a row with nothing to quote
        if line.count(",") != self._commas or '"' in line or "\n" in line or "\r" in line:
            self._csv.writerow(values)
        else:
            self._file.write(line + "\n")

    def close(self) -> None:
        self._file.close()


class JsonlWriter:
    """One JSON object per line, keys in column order, null for empty."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self._file = path.open("w", encoding="utf-8", newline="\n")
        self._columns = columns

    def write(self, values: Values) -> None:
        pairs = zip(self._columns, values, strict=True)
        document = {column: value or None for column, value in pairs}
        self._file.write(json.dumps(document, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._file.close()


class ParquetWriter:
    """Parquet with string columns, written in batches of ``PARQUET_BATCH`` rows."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self._columns = columns
        self._schema = pa.schema([(column, pa.string()) for column in columns])
        self._writer = pq.ParquetWriter(path, self._schema)
        self._buffer: list[list[str | None]] = [[] for _ in columns]

    def write(self, values: Values) -> None:
        for column, value in zip(self._buffer, values, strict=True):
            column.append(value or None)
        if len(self._buffer[0]) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        arrays = [pa.array(values, type=pa.string()) for values in self._buffer]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self._buffer = [[] for _ in self._columns]

    def close(self) -> None:
        if self._buffer[0]:
            self._flush()
        self._writer.close()


class XlsxWriter:
    """One worksheet per file (openpyxl write-only mode streams rows to a temporary file)."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self._path = path
        self._book = Workbook(write_only=True)
        self._sheet: Any = self._book.create_sheet(path.stem)
        self._sheet.append(list(columns))

    def write(self, values: Values) -> None:
        self._sheet.append([value or None for value in values])

    def close(self) -> None:
        self._book.save(self._path)


_WRITERS: dict[str, type[CsvWriter | JsonlWriter | ParquetWriter | XlsxWriter]] = {
    "csv": CsvWriter,
    "jsonl": JsonlWriter,
    "parquet": ParquetWriter,
    "xlsx": XlsxWriter,
}


def open_writer(directory: Path, stem: str, fmt: str) -> TableWriter:
    """A writer for ``directory/stem.fmt``."""
    return _WRITERS[fmt](directory / f"{stem}.{fmt}", SPECS[stem].columns)
