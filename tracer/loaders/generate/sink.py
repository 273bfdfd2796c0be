"""Where rows go: one streaming writer per file, row counts, and the corruption hook."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Protocol

from tracer.loaders.generate.writer import STEMS, Row, TableWriter, open_writer


class Corrupter(Protocol):
    """Decides, after each clean row, whether to add bad rows (and of which kind)."""

    def after(self, stem: str, row: Row) -> list[tuple[str, Row]]: ...


class Sink:
    """Writers for every file of one data set."""

    def __init__(self, directory: Path, fmt: str, corrupter: Corrupter | None) -> None:
        self._writers: dict[str, TableWriter] = {
            stem: open_writer(directory, stem, fmt) for stem in STEMS
        }
        self._corrupter = corrupter
        self.rows: Counter[str] = Counter()
        self.injected: dict[str, Counter[str]] = {stem: Counter() for stem in STEMS}

    def emit(self, stem: str, row: Row) -> None:
        """Write one clean row (and any bad rows the corrupter adds after it)."""
        writer = self._writers[stem]
        writer.write(row)
        self.rows[stem] += 1
        if self._corrupter is None:
            return
        for kind, bad in self._corrupter.after(stem, row):
            writer.write(bad)
            self.rows[stem] += 1
            self.injected[stem][kind] += 1

    def close(self) -> None:
        """Finish every file."""
        for writer in self._writers.values():
            writer.close()
