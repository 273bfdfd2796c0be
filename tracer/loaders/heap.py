"""Memory handed back between a load's partitions and stems, while the cycle collector is
paused (see ``load._collector_paused``)."""

from __future__ import annotations

import ctypes
import functools
import gc
from collections.abc import Callable


def collect_recent() -> None:
    """Free what the last partitions' validation left in reference cycles (pandas makes some),
    which the paused collector would keep to the end of the load (≈ 1M blocks and 80 MiB of
    cells a million enterprises). Only the young generations are walked, the objects made
    since the partition before last: a full collection walks every object kept (0.2–0.5 s)."""
    gc.collect(1)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS, Windows)."""
    try:
        library = ctypes.CDLL(None)
    except OSError:
        return None
    trim: Callable[[int], int] | None = getattr(library, "malloc_trim", None)
    return trim


def trim() -> None:
    """Return the heap's free pages to the system, where the C library can (glibc): it keeps
    what a stem's rows freed (300–350 MiB between the stems of 2M enterprises), and the next
    stem's peak would stack on it."""
    malloc_trim = _malloc_trim()
    if malloc_trim is not None:
        malloc_trim(0)
