"""Benchmark of ``tracer generate``: wall time, peak RSS and output size per data-set size.

Each size runs in a fresh subprocess so its peak RSS is its own. Run with
``python bench/bench_generate.py [N ...]`` (default 10000 100000). Writes
``bench/results/generate.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "generate.json"
_CHILD = """
import json, resource, sys, time
from pathlib import Path
from tracer.loaders.generate import generate_dataset
began = time.perf_counter()
summary = generate_dataset(Path(sys.argv[1]), int(sys.argv[2]), seed=1, corrupt_rate=0.001)
seconds = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_rss_mb": peak, "rows": summary.rows}))
"""


def run(enterprises: int) -> dict[str, object]:
    """Generate ``enterprises`` organisations into a temporary directory and measure."""
    with tempfile.TemporaryDirectory() as work:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, work, str(enterprises)],
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"generating {enterprises} failed:\n{done.stderr}")
        result: dict[str, object] = json.loads(done.stdout)
        size = sum(path.stat().st_size for path in Path(work).iterdir())
    rows = result["rows"]
    assert isinstance(rows, dict)
    result["enterprises"] = enterprises
    result["output_mb"] = round(size / 2**20, 1)
    result["total_rows"] = sum(rows.values())
    result["seconds"] = round(float(str(result["seconds"])), 1)
    result["peak_rss_mb"] = round(float(str(result["peak_rss_mb"])), 1)
    return result


def main() -> None:
    """Measure each size given on the command line and write the results file."""
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    results = []
    for enterprises in sizes:
        result = run(enterprises)
        print(
            f"{enterprises:>9,} organisations: {result['seconds']:>7} s, "
            f"peak RSS {result['peak_rss_mb']} MB, {result['total_rows']:,} rows, "
            f"{result['output_mb']} MB on disk",
            flush=True,
        )
        results.append(result)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"generate": results}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
