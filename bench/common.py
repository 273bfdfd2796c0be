"""Helpers shared by the benchmark scripts: a free port, timing, latency percentiles, a
process's CPU time and waiting for it to go idle."""

from __future__ import annotations

import os
import socket
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``call`` took, and what it returned."""
    began = time.perf_counter()
    value = call()
    return time.perf_counter() - began, value


def latency_ms(samples: Sequence[float]) -> dict[str, float]:
    """Count, p50/p90/p99, max and mean of samples in seconds, as milliseconds."""
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "n": len(ordered),
        "p50_ms": round(pick(0.50) * 1000, 2),
        "p90_ms": round(pick(0.90) * 1000, 2),
        "p99_ms": round(pick(0.99) * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
    }


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, limit: float, busy: float = 0.1, window: float = 2.0) -> float:
    """Wait until the process ``pid`` uses under ``busy`` of a core over ``window`` seconds (a
    Neo4j that has just been loaded and started keeps compiling and writing for a while), at most
    ``limit`` seconds; return the seconds waited."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        used = cpu_seconds(pid)
        time.sleep(window)
        if cpu_seconds(pid) - used < busy * window:
            break
    return round(time.monotonic() - began, 1)
