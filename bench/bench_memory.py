"""Loader memory benchmark (``./run bench memory --enterprises N``): ``tracer import`` of the
seeded data set of N enterprises as for a server (``NEO4J_URI`` set, a fresh empty bundled
Neo4j behind it): rows read, validated and written to import files, with no offline importer
JVM beside the loader. The command runs in a memory cgroup limited to ``--limit`` (2g), which
holds it to that memory, page cache included, as a machine or container of that size would.

It reports whether the command finished within the limit, and from ``/proc``, sampled every
0.1 s, the command's peak anonymous RSS (its own heap, which the kernel cannot drop), its peak
RSS with mapped files (pages of memory-mapped key files, dropped under pressure and read back
when asked) and, from the kernel, its peak RSS (``ru_maxrss``). Where no memory cgroup can be
made (not root, no cgroup file system) it runs unlimited and says so.

Writes ``bench/results/memory.json`` (runs keyed by size; earlier sizes are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.bench_import import TRACER, fresh_instance
from tracer.loaders.generate import generate_dataset

RESULTS = Path(__file__).parent / "results" / "memory.json"
_UNITS = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def _bytes(size: str) -> int:
    """``2g``, ``512m`` … as bytes."""
    unit = _UNITS.get(size[-1].lower())
    return int(float(size[:-1]) * unit) if unit else int(size)


class MemoryCgroup:
    """A child memory cgroup of this process's own, limited to ``limit`` bytes (cgroup v2's
    ``memory.max`` or v1's ``memory.limit_in_bytes``)."""

    def __init__(self, limit: int) -> None:
        self.path, self.v2 = self._made(limit)

    @staticmethod
    def _made(limit: int) -> tuple[Path, bool]:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
        for line in lines:
            _, controllers, own = line.split(":", 2)
            if "memory" in controllers.split(","):
                path = Path("/sys/fs/cgroup/memory") / own.lstrip("/") / f"bench-{os.getpid()}"
                path.mkdir()
                (path / "memory.limit_in_bytes").write_text(str(limit))
                return path, False
        own = next(line.split(":", 2)[2] for line in lines if line.startswith("0::"))
        path = Path("/sys/fs/cgroup") / own.lstrip("/") / f"bench-{os.getpid()}"
        path.mkdir()
        (path / "memory.max").write_text(str(limit))
        return path, True

    def enter(self) -> None:
        """Move the calling process into the group (in the child, before it runs the command)."""
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def outcome(self) -> dict[str, Any]:
        """The group's peak usage (page cache included) and whether the kernel had to kill."""
        if self.v2:
            events = dict(
                line.split() for line in (self.path / "memory.events").read_text().splitlines()
            )
            peak = self.path / "memory.peak"
            usage = int(peak.read_text()) if peak.exists() else None
            return {
                "peak_usage_mib": round(usage / 2**20, 1) if usage is not None else None,
                "oom_kills": int(events.get("oom_kill", 0)),
            }
        usage = int((self.path / "memory.max_usage_in_bytes").read_text())
        return {"peak_usage_mib": round(usage / 2**20, 1), "hit_limit_times": int(
            (self.path / "memory.failcnt").read_text())}  # fmt: skip

    def remove(self) -> None:
        self.path.rmdir()


def _limited(limit: int) -> MemoryCgroup | None:
    try:
        return MemoryCgroup(limit)
    except (OSError, StopIteration, ValueError):
        return None


class _Sampler(threading.Thread):
    """Peak anonymous RSS and peak RSS of a process, from ``/proc/PID/status``."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.anon_kib, self.rss_kib = pid, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        status = Path(f"/proc/{self.pid}/status")
        while not self.done.wait(0.1):
            try:
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
            except (OSError, ValueError):
                continue
            self.anon_kib = max(self.anon_kib, int(fields.get("RssAnon", "0 kB").split()[0]))
            self.rss_kib = max(self.rss_kib, int(fields.get("VmRSS", "0 kB").split()[0]))


def _prepare(data: Path, files: Path, uri: str, password: str, limit: int) -> dict[str, Any]:
    """``tracer import DATA`` against the server at ``uri`` in a cgroup limited to ``limit``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    environment.update(NEO4J_URI=uri, NEO4J_USER="neo4j", NEO4J_PASSWORD=password)
    group = _limited(limit)
    command = [TRACER, "import", str(data), "--files", str(files), "--json", "--allow-rejects",
               "--rejects", str(files.parent / "rejects.csv")]  # fmt: skip
    began = time.monotonic()
    try:
        child = subprocess.Popen(
            command,
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=group.enter if group is not None else None,
        )
        sampler = _Sampler(child.pid)
        sampler.start()
        assert child.stdout is not None
        output = child.stdout.read()
        _pid, status, usage = os.wait4(child.pid, 0)
        sampler.done.set()
        sampler.join()
        code = os.waitstatus_to_exitcode(status)
        result: dict[str, Any] = {
            "limit_mib": round(limit / 2**20) if group is not None else None,
            "finished": code in (0, 4),
            "exit_code": code,
            "seconds": round(time.monotonic() - began, 1),
            "peak_rss_anon_mib": round(sampler.anon_kib / 1024, 1),
            "peak_rss_mib": round(sampler.rss_kib / 1024, 1),
            "peak_rss_mib_kernel": round(usage.ru_maxrss / 1024, 1),
        }
        if group is not None:
            result["cgroup"] = group.outcome()
    finally:
        if group is not None:
            group.remove()
    if result["finished"]:
        report = json.loads(output)
        rows = sum(counts["read"] for counts in report["files"].values())
        result.update(
            rows=rows,
            read_seconds=report["read_seconds"],
            validate_seconds=report["validate_seconds"],
            files_seconds=report["bulk_import"]["files_seconds"],
        )
    return result


def main() -> None:
    """Generate if needed, prepare the import in a limited cgroup, print and write."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", default="2g", help="the cgroup's memory limit")
    parser.add_argument("--data", type=Path, help="reuse (or keep) the generated data here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    data = args.data or work / "data"
    result: dict[str, Any] = {
        "enterprises": args.enterprises,
        "load_average_before": os.getloadavg(),
    }
    try:
        if not (data / "enterprises.csv").exists():
            generate_dataset(data, args.enterprises, seed=args.seed)
        local = fresh_instance(work / "home", "1g", "512m")
        local.start(echo=lambda _message: None)
        try:
            uri = f"bolt://127.0.0.1:{local.settings.port}"
            prepared = _prepare(data, work / "files", uri, local.password(), _bytes(args.limit))
        finally:
            local.stop()
        result["prepare"] = prepared
        result["load_average_after"] = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    runs = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs[str(args.enterprises)] = result
    RESULTS.write_text(json.dumps(runs, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if not result["prepare"]["finished"]:
        sys.exit(f"tracer import exited {result['prepare']['exit_code']}")


if __name__ == "__main__":
    main()
