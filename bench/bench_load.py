"""Loader benchmark: generate N enterprises, load them into a fresh private Neo4j (heap 4g,
page cache 2g), report rows/s per file and overall, wall time and the loader's peak RSS.

Run with ``./run bench load [--sizes 10000,100000] [--batch-sizes 1000,5000,20000]``: every batch
size is measured at the first size, the default batch size at the others. Writes
``bench/results/load.json`` (runs of other sizes or batch sizes already there are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import free_port
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings
from tracer.loaders.generate import generate_dataset
from tracer.loaders.write import BATCH_SIZE

RESULTS = Path(__file__).parent / "results" / "load.json"


def _load_once(data: Path, work: Path, batch_size: int, timeout: float) -> dict[str, Any]:
    """One ``tracer load`` in a child process against a fresh Neo4j; its report and costs."""
    home = work / f"neo4j-{batch_size}"
    local = LocalNeo4j(LocalNeo4jSettings(home=home, port=free_port(), heap="4g", pagecache="2g"))
    local.start(echo=lambda _msg: None)
    try:
        env = {
            **os.environ,
            "NEO4J_URI": local.uri,
            "NEO4J_USER": "neo4j",
            "NEO4J_PASSWORD": local.password(),
            "NEO4J_DATABASE": "neo4j",
        }
        command = [sys.executable, "-m", "tracer.cli", "load", str(data), "--json"]
        command += ["--rejects", str(work / "rejects.csv"), "--batch-size", str(batch_size)]
        began = time.monotonic()
        with (work / "report.json").open("w") as stdout:
            proc = subprocess.Popen(command, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid == proc.pid:
                    break
                if time.monotonic() - began > timeout:
                    proc.kill()
                    _, status, usage = os.wait4(proc.pid, 0)
                    return {"batch_size": batch_size, "timed_out_after_seconds": timeout}
                time.sleep(0.2)
        wall = time.monotonic() - began
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"tracer load failed with status {status}")
        report: dict[str, Any] = json.loads((work / "report.json").read_text())
    finally:
        local.stop()
        shutil.rmtree(home, ignore_errors=True)
    read = sum(counts["read"] for counts in report["files"].values())
    loaded = sum(counts["loaded"] for counts in report["files"].values())
    per_file = {
        stem: {
            "rows": counts["loaded"],
            "write_seconds": report["write_seconds"].get(stem, 0.0),
            "rows_per_second": round(counts["loaded"] / report["write_seconds"][stem], 1)
            if report["write_seconds"].get(stem)
            else None,
        }
        for stem, counts in report["files"].items()
    }
    return {
        "batch_size": batch_size,
        "rows_read": read,
        "rows_loaded": loaded,
        "rows_rejected": read - loaded,
        "wall_seconds": round(wall, 2),
        "read_seconds": report["read_seconds"],
        "validate_seconds": report["validate_seconds"],
        "write_seconds": round(sum(report["write_seconds"].values()), 2),
        "rows_per_second": round(read / wall, 1),
        "rows_per_second_in_loader": report["rows_per_second"],
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "files": per_file,
    }


def main() -> None:
    """Generate, load, print and save the numbers."""
    parser = argparse.ArgumentParser(prog="bench load")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--batch-sizes", default=f"1000,{BATCH_SIZE},20000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per load")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    batch_sizes = [int(size) for size in args.batch_sizes.split(",")]
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        for index, size in enumerate(sizes):
            data = Path(tmp) / f"data-{size}"
            began = time.monotonic()
            generate_dataset(data, size, seed=args.seed)
            generated = round(time.monotonic() - began, 1)
            for batch_size in batch_sizes if index == 0 else [BATCH_SIZE]:
                run: dict[str, Any] = {"enterprises": size, "generate_seconds": generated}
                run |= _load_once(data, Path(tmp), batch_size, args.timeout)
                runs.append(run)
                if "timed_out_after_seconds" in run:
                    print(f"{size:>7} enterprises  batch {batch_size:>6}: timed out", flush=True)
                    continue
                print(
                    f"{size:>7} enterprises  batch {batch_size:>6}: {run['rows_read']:>9} rows "
                    f"in {run['wall_seconds']:>7.1f}s = {run['rows_per_second']:>8.0f} rows/s "
                    f"(read {run['read_seconds']}s, validate {run['validate_seconds']}s, "
                    f"write {run['write_seconds']}s), peak RSS {run['peak_rss_mb']} MB",
                    flush=True,
                )
                for stem, numbers in run["files"].items():
                    rate = numbers["rows_per_second"]
                    print(f"      {stem:<16} {numbers['rows']:>9} rows  {rate} rows/s")
    for run in runs:
        run["load_average_at_end"] = [round(value, 1) for value in os.getloadavg()]
    previous = json.loads(RESULTS.read_text())["runs"] if RESULTS.exists() else []
    measured = {(run["enterprises"], run["batch_size"]) for run in runs}
    kept = [run for run in previous if (run["enterprises"], run["batch_size"]) not in measured]
    document = {
        "machine": {"cpus": os.cpu_count()},
        "neo4j": {"heap": "4g", "pagecache": "2g"},
        "runs": sorted([*kept, *runs], key=lambda run: (run["enterprises"], run["batch_size"])),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
