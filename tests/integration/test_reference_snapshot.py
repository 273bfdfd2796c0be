"""The reference snapshot on a cold start: callers that find it missing together read the
tables once (a stampede of threads each reading every table slowed a cold server down)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tracer.queries import reference
from tracer.queries.reference import install_reference_data, snapshot
from tracer.queries.runner import QueryRunner


def test_callers_on_a_cold_cache_read_the_tables_once(
    runner: QueryRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_reference_data(runner)
    monkeypatch.setattr(reference, "_SNAPSHOTS", {})
    reads: list[int] = []
    read_tables = reference._current
    gate = threading.Barrier(8)

    def counted(on: QueryRunner) -> dict[str, list[reference.Row]]:
        reads.append(1)
        time.sleep(0.2)  # a slow read: the other callers arrive while it runs
        return read_tables(on)

    monkeypatch.setattr(reference, "_current", counted)

    def call(_index: int) -> reference.Snapshot:
        gate.wait()
        return snapshot(runner)

    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(call, range(8)))
    assert len(reads) == 1
    assert all(item is found[0] for item in found)
    assert found[0].tables["list_types"]
