"""Benchmark of the loader's read and validate stages (``tracer load --dry-run`` without a
database): seconds and rows/s of each stage, seconds per stem, peak RSS, against a baseline.

``./run bench validate [--enterprises N] [--baseline REF]`` generates N organisations with the
seed (cached in the temporary directory), then dry-runs ``load_directory(None, …)`` in a fresh
subprocess per variant: the working tree, and the package as it was at git revision REF
(default: the commit before validation was vectorised), so the ratio is measured in one run on
the same data. The rejects files of both must hold the same lines (a stem validated in
partitions writes its rejects partition by partition, so their order may differ). Writes
``bench/results/validate.json`` with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[1]
RESULTS = Path(__file__).parent / "results" / "validate.json"
#: The last commit whose validation was row by row.
BASELINE = "126eb6f"
SEED = 1
CORRUPT_RATE = 0.001
_CHILD = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
from tracer.domain.clock import Clock
from tracer.loaders.load import load_directory
marks = []
def progress(stage, stem, done, total):
    if stage == "validate":
        marks.append((stem, time.perf_counter()))
clock = Clock(now=lambda: dt.datetime(2026, 11, 15, 4, tzinfo=dt.UTC))
report = load_directory(None, Path(sys.argv[1]), dry_run=True, rejects_path=Path(sys.argv[2]),
                        progress=progress, clock=clock)
ended = time.perf_counter()
stems = {}
for (stem, began), (_, until) in zip(marks, [*marks[1:], (None, ended)]):
    stems[stem] = {"rows": report.files[stem].read, "seconds": round(until - began, 3)}
print(json.dumps({
    "read_seconds": report.read_seconds,
    "validate_seconds": report.validate_seconds,
    "rows": sum(counts.read for counts in report.files.values()),
    "rejected": sum(counts.rejected for counts in report.files.values()),
    "stems": stems,
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
"""


def dataset(enterprises: int) -> Path:
    """The generated data set of ``enterprises`` organisations (made once, then reused)."""
    from tracer.loaders.generate import generate_dataset

    target = Path(tempfile.gettempdir()) / f"tracer-bench-validate-{enterprises}-seed{SEED}"
    done = target / ".complete"
    if not done.exists():
        generate_dataset(target, enterprises, seed=SEED, corrupt_rate=CORRUPT_RATE)
        done.touch()
    return target


def export(revision: str, into: Path) -> Path:
    """The ``tracer`` package as it was at ``revision``, unpacked under ``into``."""
    archive = into / "tree.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "-o", str(archive), revision, "tracer"], check=True
    )
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


def measure(data: Path, rejects: Path, source: Path) -> dict[str, Any]:
    """Dry-run ``data`` with the package under ``source`` in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(data), str(rejects)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=source,
    )
    if done.returncode:
        raise SystemExit(f"validating {data} with {source} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    rows = result["rows"]
    result["read_rows_per_s"] = round(rows / result["read_seconds"])
    result["validate_rows_per_s"] = round(rows / result["validate_seconds"])
    for stem in result["stems"].values():
        stem["rows_per_s"] = round(stem["rows"] / stem["seconds"]) if stem["seconds"] else None
    return result


def _rejects(path: Path) -> list[str]:
    """The lines of a rejects file, sorted."""
    return sorted(path.read_text(encoding="utf-8-sig").splitlines())


def main() -> None:
    """Measure the baseline and the working tree on one generated data set."""
    parser = argparse.ArgumentParser(prog="bench validate", description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--no-baseline", action="store_true", help="measure the tree only")
    args = parser.parse_args()
    data = dataset(args.enterprises)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as work:
        variants: dict[str, Path] = {"current": ROOT}
        if not args.no_baseline:
            variants = {"baseline": export(args.baseline, Path(work)), **variants}
        results: dict[str, Any] = {}
        for name, source in variants.items():
            results[name] = measure(data, Path(work) / f"{name}-rejects.csv", source)
            print(
                f"{name:>8}: read {results[name]['read_seconds']} s "
                f"({results[name]['read_rows_per_s']:,} rows/s), validate "
                f"{results[name]['validate_seconds']} s "
                f"({results[name]['validate_rows_per_s']:,} rows/s), "
                f"peak RSS {results[name]['peak_rss_mb']} MB",
                flush=True,
            )
        same = None
        if "baseline" in results:
            base, now = results["baseline"], results["current"]
            same = _rejects(Path(work) / "baseline-rejects.csv") == _rejects(
                Path(work) / "current-rejects.csv"
            )
            results["ratios"] = {
                "validate_speedup": round(base["validate_seconds"] / now["validate_seconds"], 2),
                "read_speedup": round(base["read_seconds"] / now["read_seconds"], 2),
                "peak_rss": round(now["peak_rss_mb"] / base["peak_rss_mb"], 2),
            }
            print(f"ratios: {results['ratios']}; rejects identical: {same}")
    summary = {
        "enterprises": args.enterprises,
        "seed": SEED,
        "corrupt_rate": CORRUPT_RATE,
        "baseline_revision": None if args.no_baseline else args.baseline,
        "rejects_identical": same,
        "loadavg_before": [round(value, 2) for value in load_before],
        "loadavg_after": [round(value, 2) for value in os.getloadavg()],
        **results,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
