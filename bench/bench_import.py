"""Offline import benchmark (``./run bench import --enterprises N``): the seeded data set of N
enterprises imported by ``tracer import`` into a fresh bundled Neo4j, against ``tracer load`` of
the same files into another fresh one in the same run (the baseline; ``--no-baseline`` skips
it, e.g. at 1M where it takes half an hour). Both run as the real command line in a child
process: wall time, rows/s, the phases each reports, and the peak RSS of the command's own
process and (``wait4``) with the processes it waited for — the offline importer's JVM.

Writes ``bench/results/import.json`` (runs keyed by size; earlier sizes are kept). ``--keep-home
DIR`` leaves the imported instance there, stopped, for ``./run bench engine --reuse-home DIR``.
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
from tracer.graph.settings import LocalNeo4jSettings, get_local_settings
from tracer.loaders.generate import generate_dataset

RESULTS = Path(__file__).parent / "results" / "import.json"
TRACER = str(Path(sys.executable).with_name("tracer"))


def fresh_instance(home: Path, heap: str, pagecache: str) -> LocalNeo4j:
    """A fresh bundled instance in ``home`` that reuses the installed launcher build."""
    home.mkdir(parents=True, exist_ok=True)
    shared = LocalNeo4j(get_local_settings())
    if shared.is_built() and not (home / "launcher").exists():
        (home / "launcher").symlink_to(shared.build_dir)
    settings = LocalNeo4jSettings(home=home, port=free_port(), heap=heap, pagecache=pagecache)
    return LocalNeo4j(settings)


def _environment(local: LocalNeo4j) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    settings = local.settings
    environment.update(
        TRACER_NEO4J_HOME=str(local.home),
        TRACER_NEO4J_PORT=str(settings.port),
        TRACER_NEO4J_HEAP=settings.heap,
        TRACER_NEO4J_PAGECACHE=settings.pagecache,
    )
    return environment


#: Runs a console script (argv: the file to write its own peak RSS in KiB to, the script, its
#: arguments) and writes its peak RSS at exit: without the processes it starts.
_OWN_RSS = """
import atexit, resource, runpy, sys
out = sys.argv.pop(1)
own = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
atexit.register(lambda: open(out, "w").write(str(own())))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def _run(command: list[str], environment: dict[str, str]) -> dict[str, Any]:
    """Run ``command`` (a console script and its arguments); its wall seconds, JSON output and
    peak RSS (MiB): its own, and with the processes it waited for (``wait4``: Neo4j's offline
    importer, a JVM that takes what memory it is given)."""
    with tempfile.NamedTemporaryFile(suffix=".rss") as own:
        began = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-c", _OWN_RSS, own.name, *command],
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        output = child.stdout.read()
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 4):
            raise SystemExit(f"{' '.join(command)} exited {child.returncode}")
        own_kib = int(Path(own.name).read_text() or 0)
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mib": round(own_kib / 1024, 1),
        "peak_rss_mib_with_children": round(usage.ru_maxrss / 1024, 1),
        "report": json.loads(output),
    }


def _store_mib(local: LocalNeo4j) -> float:
    data = local.db_dir / "data"
    size = sum(path.stat().st_size for path in data.rglob("*") if path.is_file())
    return round(size / 2**20, 1)


def _summary(run: dict[str, Any]) -> dict[str, Any]:
    report = run["report"]
    rows = sum(counts["read"] for counts in report["files"].values())
    summary = {
        "seconds": run["seconds"],
        "rows": rows,
        "rows_per_second": round(rows / run["seconds"], 1),
        "peak_rss_mib": run["peak_rss_mib"],
        "peak_rss_mib_with_children": run["peak_rss_mib_with_children"],
        "read_seconds": report["read_seconds"],
        "validate_seconds": report["validate_seconds"],
        "validate_rows_per_second": round(rows / report["validate_seconds"], 1)
        if report["validate_seconds"]
        else None,
        "write_seconds": report["write_seconds"],
    }
    bulk = report.get("bulk_import")
    if bulk:
        written = sum(bulk["nodes"].values()) + sum(bulk["relationships"].values())
        summary["offline_import"] = {
            "nodes": sum(bulk["nodes"].values()),
            "relationships": sum(bulk["relationships"].values()),
            "files_seconds": bulk["files_seconds"],
            "import_seconds": bulk["import_seconds"],
            "restart_seconds": bulk["restart_seconds"],
            "entities_per_second": round(written / bulk["import_seconds"], 1)
            if bulk["import_seconds"]
            else None,
        }
    return summary


def _measure(
    command: str, directory: Path, home: Path, heap: str, pagecache: str
) -> tuple[dict[str, Any], LocalNeo4j]:
    local = fresh_instance(home, heap, pagecache)
    local.start(echo=lambda _message: None)
    try:
        run = _run(
            [TRACER, command, str(directory), "--json", "--allow-rejects",
             "--rejects", str(home / "rejects.csv")],
            _environment(local),
        )  # fmt: skip
    finally:
        local.stop()
    summary = _summary(run)
    summary["store_mib"] = _store_mib(local)
    return summary, local


def main() -> None:
    """Generate, import, load (baseline), print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true", help="skip tracer load")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="2g")
    parser.add_argument("--keep-home", type=Path, help="keep the imported instance here")
    parser.add_argument("--data", type=Path, help="reuse (or keep) the generated data here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    data = args.data or work / "data"
    result: dict[str, Any] = {
        "enterprises": args.enterprises,
        "seed": args.seed,
        "load_average_before": os.getloadavg(),
    }
    try:
        if not (data / "enterprises.csv").exists():
            began = time.monotonic()
            generate_dataset(data, args.enterprises, seed=args.seed)
            result["generate_seconds"] = round(time.monotonic() - began, 1)
        home = args.keep_home or work / "import-home"
        result["import"], _local = _measure("import", data, home, args.heap, args.pagecache)
        result["load_average_after_import"] = os.getloadavg()
        print(json.dumps({"import": result["import"]}, indent=2))
        if not args.no_baseline:
            baseline, _ = _measure("load", data, work / "load-home", args.heap, args.pagecache)
            result["load_baseline"] = baseline
            result["ratio_import_to_load_rows_per_second"] = round(
                result["import"]["rows_per_second"] / baseline["rows_per_second"], 2
            )
            print(json.dumps({"load_baseline": baseline}, indent=2))
        result["load_average_after"] = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    runs = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs[str(args.enterprises)] = result
    RESULTS.write_text(json.dumps(runs, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k not in ("import", "load_baseline")}))


if __name__ == "__main__":
    main()
