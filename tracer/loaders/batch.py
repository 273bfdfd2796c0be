"""One input stem under validation: its rows, which of them are rejected, and why."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tracer.loaders.aliases import code_aliases
from tracer.loaders.read import FILE, LINE, RawTable
from tracer.loaders.specs import Spec
from tracer.loaders.spill import Spill


@dataclass(frozen=True)
class Reject:
    """One line of the rejects file."""

    file: str
    line: int
    column: str
    reason_code: str
    message: str
    raw_row: str


def _stripped(cell: object) -> str | None:
    """A cell as stripped text, None when empty or null."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell):
        return None
    text = (cell if isinstance(cell, str) else str(cell)).strip()
    return text or None


def objects(values: Iterable[object], index: pd.Index) -> pd.Series:
    """An object Series of ``values`` (one per row of ``index``), built without pandas' per-cell
    inference (four times faster on a column of millions)."""
    return pd.Series(np.fromiter(values, dtype=object, count=len(index)), index=index, copy=False)


def nones(index: pd.Index) -> pd.Series:
    """An all-None object Series on ``index``."""
    return pd.Series(np.full(len(index), None), index=index, copy=False)


def emptied(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s columns without its rows (a copy: an empty slice would keep them alive)."""
    return frame.iloc[0:0].copy()


class Batch:
    """The rows of every file of one stem, with the reasons each rejected row failed.

    A row may collect several reasons (all independent cell checks are reported); it is counted
    once. ``read == loaded + rejected`` is kept by construction: every row read is either in
    ``bad`` or handed to the writer (identical repeats counted as loaded, written once).
    """

    def __init__(self, spec: Spec, tables: list[RawTable]) -> None:
        self.spec = spec
        self.tables = {table.path.name: table for table in tables}
        frames = [table.frame for table in tables]
        if len(frames) == 1 and frames[0].index.equals(pd.RangeIndex(len(frames[0]))):
            self.frame = frames[0]  # one file: its cells as read, not a copy
        else:
            self.frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        if FILE not in self.frame:
            self.frame = pd.DataFrame({FILE: pd.Series(dtype=object), LINE: pd.Series(dtype=int)})
        self.row_count = len(self.frame)  # kept when the rows are released
        self.bad = pd.Series(False, index=self.frame.index)
        self.file_bad = self.bad.copy()
        self.rejects: list[Reject] = []  # this partition's (all, for a stem validated whole)
        self._earlier: Spill[list[Reject]] | None = None  # those of partitions absorbed
        self.malformed = 0
        self.repeats = 0
        self._absorbed_bad = 0  # rows rejected in partitions absorbed (their flags dropped)
        self._text: dict[str, pd.Series] = {}
        for table in tables:
            for row in table.malformed:
                self.rejects.append(
                    Reject(table.path.name, row.line, "", "ROW_MALFORMED", row.message, row.raw)
                )
            self.malformed += len(table.malformed)
            self._check_columns(table)
        self.file_bad = self.bad.copy()

    # -- counts --------------------------------------------------------------------------------
    @property
    def read(self) -> int:
        """Rows read, malformed ones included."""
        return self.row_count + self.malformed

    @property
    def rejected(self) -> int:
        """Rows rejected (each counted once)."""
        return int(self.bad.sum()) + self.malformed + self._absorbed_bad

    @property
    def good(self) -> pd.Series:
        """Rows not rejected so far."""
        return ~self.bad

    # -- cells ---------------------------------------------------------------------------------
    def text(self, column: str) -> pd.Series:
        """The stripped cells of ``column`` (None for empty or an absent column), a Chinese code
        word of ``code_aliases.csv`` read as its code."""
        if column not in self._text:
            if column in self.frame:
                codes = code_aliases(self.spec.stem, column)
                cells: Iterable[str | None] = (
                    (cell.strip() or None) if type(cell) is str else _stripped(cell)
                    for cell in self.frame[column].to_numpy(dtype=object)
                )
                if codes:
                    cells = (codes.get(cell, cell) if cell is not None else None for cell in cells)
                values = objects(cells, self.frame.index)
            else:
                values = nones(self.frame.index)
            self._text[column] = values
        return self._text[column]

    def upper(self, column: str) -> pd.Series:
        """The stripped, upper-case cells of ``column`` (None for empty)."""
        cells = (
            None if cell is None else upper if (upper := cell.upper()) != cell else cell
            for cell in self.text(column)
        )
        return objects(cells, self.frame.index)

    def forget_cells(self) -> None:
        """Drop the stripped cells kept for the checks (validation is over)."""
        self._text.clear()

    def release(self) -> None:
        """Drop the rows as read (the stem is validated): the counts, the rejected flags and
        the rejects stay."""
        self._text.clear()
        self.frame = emptied(self.frame)
        for table in self.tables.values():
            table.frame = emptied(table.frame)

    def absorb(self, other: Batch) -> None:
        """Count ``other``, another partition of this stem (released), as rows of this batch:
        its rows read, rejected and repeated, and its rejects (the rejects held so far go to
        disk; not its rows' flags: a byte a row of a stem of hundreds of millions)."""
        self._absorbed_bad += other.rejected - other.malformed
        self.row_count += other.row_count
        self.malformed += other.malformed
        self.repeats += other.repeats
        if self.rejects:
            if self._earlier is None:
                self._earlier = Spill()
            self._earlier.append(self.rejects, len(self.rejects))
        self.rejects = other.rejects

    def every_reject(self) -> Iterator[Reject]:
        """The rejects of every partition, in order (read back from disk)."""
        for earlier in self._earlier or ():
            yield from earlier
        yield from self.rejects

    # -- rejecting -----------------------------------------------------------------------------
    def reject(self, mask: pd.Series, column: str, reason: str, message: str) -> None:
        """Reject every row in ``mask`` with one reason and message."""
        self.reject_each(
            mask, column, pd.Series(reason, index=self.frame.index), lambda _i: message
        )

    def reject_each(
        self,
        mask: pd.Series,
        column: str,
        reasons: pd.Series,
        message: Callable[[int], str],
    ) -> None:
        """Reject every row in ``mask`` with its own reason (``reasons``) and ``message(index)``.

        Rows of a file already rejected whole (missing column) get no further reasons.
        """
        mask = mask & ~self.file_bad
        rows = mask[mask].index
        if len(rows) == 0:
            return
        self.bad.loc[rows] = True
        files = self.frame.loc[rows, FILE]
        lines = self.frame.loc[rows, LINE]
        for index in rows:
            self.rejects.append(
                Reject(
                    str(files[index]),
                    int(lines[index]),
                    column,
                    str(reasons[index]),
                    message(index),
                    self.raw_row(index),
                )
            )

    def raw_row(self, index: int) -> str:
        """The row as it was read, as JSON with the file's own column names."""
        row = self.frame.loc[index]
        names = self.tables[str(row[FILE])].columns
        return json.dumps(
            {name: row[low] for low, name in names.items() if low in row.index},
            ensure_ascii=False,
        )

    def _check_columns(self, table: RawTable) -> None:
        in_file = self.frame[FILE] == table.path.name
        if table.duplicate_columns:
            dup = "|".join(sorted(set(table.duplicate_columns)))
            self.reject(
                in_file,
                dup,
                "FILE_DUPLICATE_COLUMN",
                f"the file has the column(s) {dup} more than once (names are case-insensitive)",
            )
            return
        missing = [name for name in self.spec.required if name not in table.columns]
        if missing:
            names = "|".join(missing)
            self.reject(
                in_file,
                names,
                "FILE_MISSING_COLUMN",
                f"the file has no required column {names}: every row is rejected",
            )
