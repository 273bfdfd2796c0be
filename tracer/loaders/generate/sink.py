"""Where rows go: one streaming writer per file, row counts, and the corruption hook."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Protocol

from tracer.loaders.generate.writer import STEMS, Row, TableWriter, Values, open_writer
from tracer.loaders.specs import SPECS


class Corrupter(Protocol):
    """Decides, after each clean row, whether to add bad rows (and of which kind)."""

    def strikes(self, stem: str) -> bool:
        """Whether bad rows follow the clean row of ``stem`` just written."""
        ...

    def bad_rows(self, stem: str, row: Row) -> list[tuple[str, Row]]:
        """The bad rows (with their kind) to write after ``row``."""
        ...


class Sink:
    """Writers for every file of one data set."""

    def __init__(self, directory: Path, fmt: str, corrupter: Corrupter | None) -> None:
        self._writers: dict[str, TableWriter] = {
            stem: open_writer(directory, stem, fmt) for stem in STEMS
        }
        self._corrupter = corrupter
        self.rows: dict[str, int] = dict.fromkeys(STEMS, 0)
        self.injected: dict[str, Counter[str]] = {stem: Counter() for stem in STEMS}

    def emit(self, stem: str, values: Values) -> None:
        """Write one clean row, its values in the file's column order (``SPECS[stem].columns``,
        "" for an empty cell), and any bad rows the corrupter adds after it."""
        writer = self._writers[stem]
        writer.write(values)
        self.rows[stem] += 1
        corrupter = self._corrupter
        if corrupter is None or not corrupter.strikes(stem):
            return
        columns = SPECS[stem].columns
        for kind, bad in corrupter.bad_rows(stem, dict(zip(columns, values, strict=True))):
            writer.write(tuple(bad.get(column) or "" for column in columns))
            self.rows[stem] += 1
            self.injected[stem][kind] += 1

    def emit_row(self, stem: str, row: Row) -> None:
        """``emit`` a row given by column name (absent columns and None are empty)."""
        self.emit(stem, tuple(row.get(column) or "" for column in SPECS[stem].columns))

    def close(self) -> None:
        """Finish every file."""
        for writer in self._writers.values():
            writer.close()
