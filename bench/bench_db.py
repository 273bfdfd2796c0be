"""Benchmark of the bundled Neo4j: cold launcher build, start time, JVM memory at rest.

Run with ``./run bench db``. Writes ``bench/results/db.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import free_port
from tracer.graph.local import LAUNCHER_DIR, OUTPUT_PROPERTY, LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings

RESULTS = Path(__file__).parent / "results" / "db.json"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cold_build_seconds(work: Path) -> float:
    """Build the launcher against an empty Maven repository (downloads everything) into a
    scratch directory."""
    mvn = shutil.which("mvn") or "mvn"
    began = time.monotonic()
    subprocess.run(
        [
            mvn,
            "-B",
            "-q",
            f"-Dmaven.repo.local={work / 'm2'}",
            f"-D{OUTPUT_PROPERTY}={work / 'cold-launcher'}",
            "-f",
            str(LAUNCHER_DIR / "pom.xml"),
            "package",
            "-DskipTests",
        ],
        check=True,
        capture_output=True,
    )
    return time.monotonic() - began


def main() -> None:
    """Measure and write the results."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build = cold_build_seconds(work)
        settings = LocalNeo4jSettings(home=work / "home", port=free_port())
        local = LocalNeo4j(settings)
        local.build(echo=lambda _m: None)  # the launcher lives in the home: not part of a start
        starts, rss = [], []
        for _ in range(3):
            began = time.monotonic()
            status = local.start(echo=lambda _m: None)
            starts.append(time.monotonic() - began)
            time.sleep(15)
            assert status.pid is not None
            rss.append(_rss_mb(status.pid))
            local.stop()
    result = {
        "cold_build_seconds": round(build, 1),
        "start_seconds": [round(s, 2) for s in starts],
        "jvm_rss_at_rest_mb": [round(r) for r in rss],
        "heap": settings.heap,
        "pagecache": settings.pagecache,
        "cpus": os.cpu_count(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
