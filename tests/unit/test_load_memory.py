"""What a load hands back between its partitions and stems: the cycles the paused collector
left, and what a bulk writer kept for a stem once the stem's last rows were taken."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pandas as pd
import pytest

from tracer.domain.clock import Clock
from tracer.loaders import heap, partition
from tracer.loaders.bulk_files import BULK_STEMS
from tracer.loaders.generate import generate_dataset
from tracer.loaders.load import load_directory
from tracer.loaders.report import BulkImportReport


class _Node:
    def __init__(self) -> None:
        self.itself = self


def test_the_cycles_left_while_the_collector_is_paused_are_freed() -> None:
    enabled = gc.isenabled()
    gc.disable()
    try:
        node = _Node()
        gone = weakref.ref(node)
        del node
        assert gone() is not None  # in a cycle: only the collector frees it
        heap.collect_recent()
        assert gone() is None
    finally:
        if enabled:
            gc.enable()


class _Recorder:
    """A bulk writer that records what it is told, in order."""

    stems = frozenset(BULK_STEMS)
    into_empty = True

    def __init__(self, events: list[tuple[str, str]]) -> None:
        self.events = events

    def add(self, stem: str, rows: pd.DataFrame, clock: Clock) -> None:
        self.events.append(("add", stem))

    def end(self, stem: str) -> None:
        self.events.append(("end", stem))

    def finish(self, clock: Clock) -> BulkImportReport:
        self.events.append(("finish", ""))
        return BulkImportReport(files_directory="", imported=False)


def test_a_bulk_writer_is_told_a_stem_ended_before_the_next_stem_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    generate_dataset(data, enterprises=200, seed=5)
    monkeypatch.setattr(partition, "PARTITION_BYTES", 1024)  # large stems come in partitions
    events: list[tuple[str, str]] = []

    def progress(kind: str, stem: str, done: int, total: int) -> None:
        if kind == "validate":
            events.append(("validate", stem))

    load_directory(
        None,
        data,
        dry_run=True,
        rejects_path=tmp_path / "rejects.csv",
        progress=progress,
        bulk=_Recorder(events),
    )
    adds = [stem for kind, stem in events if kind == "add"]
    assert adds.count("persons") >= 2 and adds.count("shareholdings") >= 2
    ended = [stem for kind, stem in events if kind == "end"]
    assert ended == sorted(set(adds), key=adds.index)  # each stem handed over ends once
    for stem in ended:  # right after its last rows, before the next stem is read
        assert events[events.index(("end", stem)) - 1] == ("add", stem)
    assert events[-1] == ("finish", "")
