"""A stem validated in partitions keeps the rows and rejects of its earlier partitions on disk
(``Spill``) and gives them back, in order and unchanged, when they are written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from tracer.domain.keys import PersonKey
from tracer.loaders.batch import Batch, Reject
from tracer.loaders.read import RawTable
from tracer.loaders.specs import Spec
from tracer.loaders.validate import Validated


def _partition(first: int, count: int) -> Validated:
    rows = pd.DataFrame(
        {
            "person": [PersonKey("RESIDENT_ID", f"{n:017d}X") for n in range(first, first + count)],
            "decided_on": [date(2024, 1, 1 + n % 28) for n in range(count)],
            "props": [{"name": f"名{n}"} if n % 2 else None for n in range(count)],
        }
    )
    batch = Batch(Spec("findings", ()), [RawTable(Path("findings.csv"), pd.DataFrame(), {})])
    batch.rejects = [
        Reject("findings.csv", n, "status", "CODE_UNKNOWN", f"第 {n} 行", "{}")
        for n in range(first, first + count)
        if n % 3 == 0
    ]
    return Validated("findings", batch, rows)


def test_partitions_come_back_in_order_and_unchanged() -> None:
    parts = [_partition(0, 3), _partition(3, 0), _partition(3, 4), _partition(7, 2)]
    expected = pd.concat([part.rows for part in parts], ignore_index=True)
    rejects = [reject for part in parts for reject in part.batch.rejects]
    whole = parts[0]
    for part in parts[1:]:
        whole.absorb(part)
    assert whole.spilled is not None and len(whole.spilled) == 7  # the last is held
    assert whole.row_count == 9
    for _ in range(2):  # read again: the report and the writer both read them
        got = pd.concat(list(whole.frames()), ignore_index=True)
        pd.testing.assert_frame_equal(got, expected)
        assert list(whole.batch.every_reject()) == rejects


def test_a_stem_validated_whole_is_one_frame() -> None:
    whole = _partition(0, 5)
    assert [len(frame) for frame in whole.frames()] == [5]
    assert whole.spilled is None and whole.row_count == 5
