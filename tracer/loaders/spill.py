"""The validated rows of a stem validated in partitions, kept on disk until they are written.

A load validates every stem before it writes any, so the rows to write wait for the rest of
the load. A stem validated in partitions hands each partition's rows here: they are pickled to
an unlinked temporary file (in ``TMPDIR``) and read back a partition at a time when written, so
memory holds one partition's rows, not the stem's.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from collections.abc import Iterator

import pandas as pd


class SpilledRows:
    """Frames of rows appended to a temporary file, read back in the order they came."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="tracer-rows-")  # noqa: SIM115 (close)
        self._count = 0
        weakref.finalize(self, self._file.close)  # the file goes when the rows do

    def __len__(self) -> int:
        return self._count

    def append(self, rows: pd.DataFrame) -> None:
        """Keep ``rows`` (nothing is kept for an empty frame)."""
        if len(rows):
            pickle.dump(rows, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._count += len(rows)

    def frames(self) -> Iterator[pd.DataFrame]:
        """The frames kept, one at a time, in the order they were appended."""
        self._file.seek(0)
        while True:
            try:
                frame: pd.DataFrame = pickle.load(self._file)  # our own file
            except EOFError:
                return
            yield frame
