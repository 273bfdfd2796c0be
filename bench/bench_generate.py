"""Benchmark of ``tracer generate``: wall and CPU time, peak RSS and output size per size.

``python -m bench generate [N ...] [--runs K] [--baseline REV]`` (default sizes 10000 100000,
one run each). Every run is a fresh subprocess (its peak RSS is its own) generating with seed 1
and corrupt rate 0.001 into a temporary directory. ``--baseline REV``: the generator of git
revision ``REV`` (its ``tracer`` package exported to a temporary directory) runs before each run
of the current one, on the same machine in the same minutes, so the ratios hold under load;
the two outputs' file hashes are compared. Each size's entry in ``bench/results/generate.json``
(with the load average at its start and end, and the baseline revision) replaces that size's
earlier entry; other sizes' entries stay.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "generate.json"
_CHILD = """
import hashlib, json, resource, sys, time
from pathlib import Path
import tracer
from tracer.loaders.generate import generate_dataset
out = Path(sys.argv[1])
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
began, cpu_began = time.perf_counter(), cpu()
summary = generate_dataset(out, int(sys.argv[2]), seed=1, corrupt_rate=0.001)
seconds, cpu_seconds = time.perf_counter() - began, cpu() - cpu_began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
hashes = {}
for path in sorted(out.iterdir()):
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    hashes[path.name] = digest.hexdigest()
print(json.dumps({
    "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_rss_mb": peak, "rows": summary.rows,
    "bytes": sum(path.stat().st_size for path in out.iterdir()), "hashes": hashes,
    "source": str(Path(tracer.__file__).parent),
}))
"""


def _load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def _export(revision: str, into: Path) -> Path:
    """The ``tracer`` package of git ``revision``, unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "tracer"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def _child(enterprises: int, source: Path | None) -> dict[str, object]:
    """One generation in a fresh process (``source``: where ``tracer`` is imported from)."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    with tempfile.TemporaryDirectory() as work:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, work, str(enterprises)],
            check=False,
            capture_output=True,
            text=True,
            cwd=tempfile.gettempdir(),  # not the repository: ``source`` must win the import
            env=env,
        )
    if done.returncode:
        raise SystemExit(f"generating {enterprises} failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout)
    if source is not None and not str(result["source"]).startswith(str(source)):
        raise SystemExit(f"the baseline imported tracer from {result['source']}")
    return result


def _times(runs: list[dict[str, object]], key: str) -> list[float]:
    return [float(str(run[key])) for run in runs]


def _summary(runs: list[dict[str, object]]) -> dict[str, object]:
    walls, cpus = _times(runs, "seconds"), _times(runs, "cpu_seconds")
    return {
        "runs": [
            {"seconds": round(wall, 1), "cpu_seconds": round(cpu, 1)}
            for wall, cpu in zip(walls, cpus, strict=True)
        ],
        "seconds_min": round(min(walls), 1),
        "seconds_median": round(statistics.median(walls), 1),
        "cpu_seconds_min": round(min(cpus), 1),
        "cpu_seconds_median": round(statistics.median(cpus), 1),
        "peak_rss_mb": round(max(_times(runs, "peak_rss_mb")), 1),
    }


def measure(enterprises: int, runs: int, baseline: Path | None) -> dict[str, object]:
    """``runs`` generations of ``enterprises`` organisations (each after one of ``baseline``)."""
    load_start = _load()
    current: list[dict[str, object]] = []
    before: list[dict[str, object]] = []
    for _ in range(runs):
        if baseline is not None:
            before.append(_child(enterprises, baseline))
        current.append(_child(enterprises, None))
    last = current[-1]
    rows = last["rows"]
    assert isinstance(rows, dict)
    result: dict[str, object] = {
        "enterprises": enterprises,
        "rows": rows,
        "total_rows": sum(rows.values()),
        "output_mb": round(int(str(last["bytes"])) / 2**20, 1),
        **_summary(current),
    }
    if before:
        result["baseline"] = _summary(before)
        result["identical_output"] = all(run["hashes"] == last["hashes"] for run in before)
        for key in ("seconds", "cpu_seconds"):
            ratio = statistics.median(_times(current, key)) / statistics.median(_times(before, key))
            result[f"{key}_median_ratio"] = round(ratio, 3)
    result["load_average_start"] = load_start
    result["load_average_end"] = _load()
    return result


def main() -> None:
    """Measure each size given on the command line and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--baseline", help="git revision whose generator runs beside")
    args = parser.parse_args()
    results = _earlier()
    with tempfile.TemporaryDirectory() as exported:
        baseline = _export(args.baseline, Path(exported)) if args.baseline else None
        for enterprises in args.sizes:
            result = measure(enterprises, args.runs, baseline)
            line = (
                f"{enterprises:>9,} organisations: {result['seconds_median']} s "
                f"(CPU {result['cpu_seconds_median']} s), peak RSS {result['peak_rss_mb']} MB, "
                f"{result['total_rows']:,} rows, {result['output_mb']} MB"
            )
            if baseline is not None:
                line += (
                    f"; baseline {args.baseline}: x{result['seconds_median_ratio']} wall, "
                    f"x{result['cpu_seconds_median_ratio']} CPU, "
                    f"identical output: {result['identical_output']}"
                )
            print(line, flush=True)
            if args.baseline:
                result["baseline_revision"] = args.baseline
            results[enterprises] = result
            _save(results)


def _earlier() -> dict[int, dict[str, object]]:
    """The entries of the results file by size (none when it has none in this shape)."""
    if not RESULTS.exists():
        return {}
    entries = json.loads(RESULTS.read_text(encoding="utf-8")).get("generate", [])
    return {entry["enterprises"]: entry for entry in entries if "cpu_seconds_median" in entry}


def _save(results: dict[int, dict[str, object]]) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    document = {"generate": [results[size] for size in sorted(results)]}
    RESULTS.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
