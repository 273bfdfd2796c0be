"""A validated stem's rows are released (``Batch.release``): the counts, flags and rejects stay,
and no frame keeps the rows alive (an empty slice of a frame would: it is a view of them)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pandas as pd

from tracer.loaders.batch import Batch
from tracer.loaders.read import FILE, LINE, RawTable
from tracer.loaders.specs import SPECS


class Cell(str):
    """A cell that can be watched (``str`` itself takes no weak reference)."""


def test_release_keeps_the_counts_and_rejects_and_frees_the_rows() -> None:
    watched = Cell("丙")
    alive = weakref.ref(watched)
    frame = pd.DataFrame(
        {"code": ["D1", "D2", "D3"], "name": ["甲", "乙", watched], LINE: [2, 3, 4]}, dtype=object
    )
    frame[FILE] = "departments.csv"
    table = RawTable(Path("departments.csv"), frame, {"code": "code", "name": "name"})
    batch = Batch(SPECS["departments"], [table])
    batch.reject(batch.frame["code"] == "D2", "code", "BAD", "a bad code")
    rejects = list(batch.rejects)
    del frame, watched
    batch.release()
    gc.collect()
    assert (batch.read, batch.rejected, batch.rejects) == (3, 1, rejects)
    assert batch.frame.empty and table.frame.empty
    assert list(batch.frame.columns) == ["code", "name", LINE, FILE]
    assert alive() is None
