"""What a stem validated in partitions keeps until the end of the load, kept on disk.

A load validates every stem before it writes any, so the rows to write, and the rejects to
report, wait for the rest of the load. A stem validated in partitions hands each partition's
rows and rejects to a ``Spill``: they are pickled to an unlinked temporary file (in ``TMPDIR``)
and read back a partition at a time, so memory holds one partition's, not the stem's.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Spill(Generic[T]):
    """Items (a partition's rows or rejects) appended to a temporary file, read back in the
    order they came, as often as asked; its length counts what the items hold."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="tracer-spill-")  # noqa: SIM115
        weakref.finalize(self, self._file.close)  # the file goes when the spill does
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, item: T, count: int) -> None:
        """Keep ``item``, which holds ``count`` rows (nothing is kept for none)."""
        if count:
            self._file.seek(0, 2)
            pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._count += count

    def __iter__(self) -> Iterator[T]:
        self._file.seek(0)
        while True:
            try:
                item: T = pickle.load(self._file)  # our own file
            except EOFError:
                return
            yield item
