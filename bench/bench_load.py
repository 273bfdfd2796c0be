"""Loader benchmark, three modes (``./run bench load --mode …``), each against fresh private
Neo4j servers (heap 4g, page cache 2g; the installed launcher build is reused):

- ``full`` (default): generate N enterprises and ``tracer load`` them; rows/s per file and
  overall, wall time, the loader's peak RSS. Every batch size is measured at the first size,
  the default batch size at the others.
- ``delta``: load N enterprises, then a one-row directory (the fixed cost of a load) and a
  change set of ``--fraction`` of the data (``bench_delta.make_delta``): seconds per phase and
  per stem, and the delta's time against the full load's (``bench delta`` loads such deltas
  into imported stores of several sizes).
- ``raw``: the same validated rows of every registry stem written by the loader's MERGE
  statements into one empty database and by plain ``UNWIND $rows AS row CREATE …`` into
  another (same schema, batch size and driver call), stem by stem in turn: the ratio per stem
  and overall (CREATE seconds / MERGE seconds: 1.0 means the MERGE costs nothing extra).

Writes ``bench/results/load.json``: full runs under ``runs`` (other sizes and batch sizes
already there are kept), the latest delta and raw runs under ``delta`` and ``raw``.
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd

from bench.bench_delta import make_delta
from bench.common import free_port
from tracer.domain.clock import Clock
from tracer.graph.local import LocalNeo4j
from tracer.graph.schema import apply_schema
from tracer.graph.settings import LocalNeo4jSettings, get_local_settings
from tracer.loaders import load
from tracer.loaders.generate import generate_dataset
from tracer.loaders.validate import Validated
from tracer.loaders.write import BATCH_SIZE, STEPS, name_table, write_findings
from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner

RESULTS = Path(__file__).parent / "results" / "load.json"

_SUBJECT = """CALL (row) {
  OPTIONAL MATCH (e:Enterprise {uscc: row.subject_uscc})
  OPTIONAL MATCH (p:Person {id_type: row.subject_id_type, id_number: row.subject_id_number})
  RETURN coalesce(e, p) AS s
}
"""
_PERSON = "MATCH (p:Person {id_type: row.id_type, id_number: row.id_number})\n"
#: The baseline: each loader statement as a plain CREATE of the same rows (no MERGE, no
#: removal of older edges), by the name of the loader's statement.
RAW: dict[str, str] = {
    "load_departments": "CREATE (d:Department {code: row.code}) SET d += row.props",
    "load_department_superiors": "MATCH (d:Department {code: row.code}) "
    "MATCH (s:Department {code: row.superior_code}) CREATE (d)-[:REPORTS_TO]->(s)",
    "load_enterprises": "CREATE (e:Enterprise {uscc: row.uscc}) SET e += row.props",
    "load_enterprise_supervisors": "MATCH (e:Enterprise {uscc: row.uscc}) "
    "MATCH (d:Department {code: row.department}) CREATE (e)-[:SUPERVISED_BY]->(d)",
    "load_enterprise_name_changes": "MATCH (e:Enterprise {uscc: row.uscc}) "
    "CREATE (e)-[:NAME_CHANGED]->(c:NameChange {change_id: row.change_id}) "
    "SET c += row.props, c.recorded_at = $recorded_at",
    "load_persons": "CREATE (p:Person {id_type: row.id_type, id_number: row.id_number}) "
    "SET p += row.props",
    "load_person_name_changes": _PERSON
    + "CREATE (p)-[:NAME_CHANGED]->(c:NameChange {change_id: row.change_id}) "
    "SET c += row.props, c.recorded_at = $recorded_at",
    "load_positions": _PERSON + "MATCH (e:Enterprise {uscc: row.uscc}) "
    "CREATE (p)-[:HOLDS {role: row.role, start_date: row.start_date, end_date: row.end_date}]->(e)",
    "load_shareholdings_person": "MATCH (h:Person {id_type: row.holder_id_type, "
    "id_number: row.holder_id}) MATCH (e:Enterprise {uscc: row.investee}) "
    "CREATE (h)-[o:OWNS {start_key: row.start_key}]->(e) SET o += row.props",
    "load_shareholdings_enterprise": "MATCH (h:Enterprise {uscc: row.holder_id}) "
    "MATCH (e:Enterprise {uscc: row.investee}) "
    "CREATE (h)-[o:OWNS {start_key: row.start_key}]->(e) SET o += row.props",
    "load_shareholdings_department": "MATCH (h:Department {code: row.holder_id}) "
    "MATCH (e:Enterprise {uscc: row.investee}) "
    "CREATE (h)-[o:OWNS {start_key: row.start_key}]->(e) SET o += row.props",
    "load_practitioners": _PERSON + "MATCH (e:Enterprise {uscc: row.uscc}) "
    "CREATE (p)-[r:REGISTERED_AT {qualification: row.qualification, "
    "start_date: row.start_date}]->(e) SET r += row.props",
    "load_finding_persons": _PERSON + "MATCH (f:Finding {finding_id: row.finding_id}) "
    "CREATE (f)-[:NAMES {capacity: row.capacity, recorded_at: $recorded_at, "
    "effective_on: row.effective_on}]->(p)",
    "load_honours": _SUBJECT + "CREATE (h:Honour {honour_id: row.honour_id})-[:GRANTED_TO]->(s) "
    "SET h += row.props",
    "load_employments_enterprise": _PERSON + "MATCH (w:Enterprise {uscc: row.employer_id}) "
    "CREATE (p)-[e:EMPLOYED_BY {start_date: row.start_date}]->(w) "
    "SET e += row.props, e.public_sector = coalesce(row.props.public_sector, false)",
    "load_employments_department": _PERSON + "MATCH (w:Department {code: row.employer_id}) "
    "CREATE (p)-[e:EMPLOYED_BY {start_date: row.start_date}]->(w) "
    "SET e += row.props, e.public_sector = coalesce(row.props.public_sector, false)",
    "load_commitments": _SUBJECT + "MATCH (d:Department {code: row.department}) "
    "CREATE (s)<-[:GIVEN_BY]-(c:Commitment {commitment_id: row.commitment_id})"
    "-[:RECEIVED_BY]->(d) SET c += row.props, c.recorded_at = $recorded_at",
    "load_interviews": _SUBJECT + "MATCH (d:Department {code: row.department}) "
    "CREATE (s)<-[:OF]-(i:Interview {interview_id: row.interview_id})"
    "-[:HELD_BY]->(d) SET i += row.props, i.recorded_at = $recorded_at",
}


def _load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


@contextmanager
def _neo4j(work: Path, name: str) -> Iterator[LocalNeo4j]:
    """A private bundled Neo4j under ``work``, stopped and removed on exit."""
    home = work / name
    home.mkdir()
    installed = get_local_settings().home / "launcher"
    if installed.is_dir():
        (home / "launcher").symlink_to(installed)
    local = LocalNeo4j(LocalNeo4jSettings(home=home, port=free_port(), heap="4g", pagecache="2g"))
    local.start(echo=lambda _msg: None)
    try:
        yield local
    finally:
        local.stop()
        shutil.rmtree(home, ignore_errors=True)


def _tracer_load(
    local: LocalNeo4j, data: Path, work: Path, batch_size: int, timeout: float
) -> dict[str, Any]:
    """One ``tracer load`` of ``data`` in a child process: its JSON report, wall seconds and peak
    RSS, or ``timed_out_after_seconds``."""
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
                os.wait4(proc.pid, 0)
                return {"timed_out_after_seconds": timeout}
            time.sleep(0.2)
    wall = time.monotonic() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"tracer load {data} failed with status {status}")
    report: dict[str, Any] = json.loads((work / "report.json").read_text())
    report["wall"] = wall
    report["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return report


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """Rows, seconds per phase and per stem of one load report."""
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
        "rows_read": read,
        "rows_loaded": loaded,
        "rows_rejected": read - loaded,
        "wall_seconds": round(report["wall"], 2),
        "read_seconds": report["read_seconds"],
        "validate_seconds": report["validate_seconds"],
        "write_seconds": round(sum(report["write_seconds"].values()), 2),
        "rows_per_second": round(read / report["wall"], 1),
        "rows_per_second_in_loader": report["rows_per_second"],
        "peak_rss_mb": report["peak_rss_mb"],
        "files": per_file,
    }


def _print_run(label: str, run: dict[str, Any]) -> None:
    print(
        f"{label}: {run['rows_read']:>9} rows in {run['wall_seconds']:>7.1f}s = "
        f"{run['rows_per_second']:>8.0f} rows/s (read {run['read_seconds']}s, validate "
        f"{run['validate_seconds']}s, write {run['write_seconds']}s), peak RSS "
        f"{run['peak_rss_mb']} MB, load average {_load_average()}",
        flush=True,
    )
    for stem, numbers in run["files"].items():
        print(f"      {stem:<16} {numbers['rows']:>9} rows  {numbers['write_seconds']:>8}s")


def _full(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Mode ``full``: the ``runs`` of the results document."""
    runs: list[dict[str, Any]] = []
    for index, size in enumerate(args.sizes):
        data = tmp / f"data-{size}"
        began = time.monotonic()
        generate_dataset(data, size, seed=args.seed)
        generated = round(time.monotonic() - began, 1)
        for batch_size in args.batch_sizes if index == 0 else [BATCH_SIZE]:
            run: dict[str, Any] = {"enterprises": size, "batch_size": batch_size}
            run["generate_seconds"] = generated
            with _neo4j(tmp, f"neo4j-{size}-{batch_size}") as local:
                report = _tracer_load(local, data, tmp, batch_size, args.timeout)
            run |= _summary(report) if "files" in report else report
            run["load_average_at_end"] = _load_average()
            runs.append(run)
            if "files" in run:
                _print_run(f"{size:>7} enterprises  batch {batch_size:>6}", run)
    previous = json.loads(RESULTS.read_text()).get("runs", []) if RESULTS.exists() else []
    measured = {(run["enterprises"], run["batch_size"]) for run in runs}
    kept = [run for run in previous if (run["enterprises"], run["batch_size"]) not in measured]
    return {"runs": sorted([*kept, *runs], key=lambda run: (run["enterprises"], run["batch_size"]))}


# -- delta --------------------------------------------------------------------------------------
def _delta(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Mode ``delta``: full load, a one-row load, the change set; the ``delta`` document."""
    size = args.sizes[0]
    data, changes, single = tmp / f"data-{size}", tmp / "delta", tmp / "single"
    generate_dataset(data, size, seed=args.seed)
    delta_rows = make_delta(data, changes, args.fraction, args.seed)
    single.mkdir()
    first = pd.read_csv(data / "enterprises.csv", dtype=str, keep_default_na=False, nrows=1)
    first.to_csv(single / "enterprises.csv", index=False)
    figures: dict[str, Any] = {"enterprises": size, "fraction": args.fraction}
    figures["batch_size"], figures["delta_files"] = args.batch_size, delta_rows
    with _neo4j(tmp, "neo4j-delta") as local:
        for label, directory in (("full", data), ("one_row", single), ("delta", changes)):
            report = _tracer_load(local, directory, tmp, args.batch_size, args.timeout)
            figures[label] = _summary(report) | {"load_average_at_end": _load_average()}
            _print_run(f"{label:>8}", figures[label])
    full, delta, fixed = figures["full"], figures["delta"], figures["one_row"]
    figures["rows_ratio"] = round(delta["rows_read"] / full["rows_read"], 4)
    figures["wall_ratio"] = round(delta["wall_seconds"] / full["wall_seconds"], 4)
    figures["write_ratio"] = round(delta["write_seconds"] / full["write_seconds"], 4)
    beyond = delta["wall_seconds"] - fixed["wall_seconds"]
    figures["wall_beyond_fixed_ratio"] = round(beyond / full["wall_seconds"], 4)
    print(
        f"delta: {delta['rows_read']} rows ({figures['rows_ratio']:.2%} of the rows) in "
        f"{delta['wall_seconds']}s = {figures['wall_ratio']:.2%} of the full load's "
        f"{full['wall_seconds']}s; fixed cost of a load {fixed['wall_seconds']}s; beyond it "
        f"{figures['wall_beyond_fixed_ratio']:.2%}",
        flush=True,
    )
    return {"delta": figures}


# -- raw ----------------------------------------------------------------------------------------
def _runner(local: LocalNeo4j) -> QueryRunner:
    auth = ("neo4j", local.password())
    driver = neo4j.GraphDatabase.driver(local.uri, auth=auth, notifications_min_severity="OFF")
    return QueryRunner(driver, "neo4j")


def _interleaved(
    merge: QueryRunner, create: QueryRunner, result: Validated, clock: Clock, batch_size: int
) -> dict[str, Any]:
    """One stem's validated rows written batch by batch into both servers: the loader's
    statements and batches (as ``write_stem`` runs them) into ``merge``, the plain CREATE of
    the same rows into ``create``; which goes first alternates by batch, so a change in the
    machine's load falls on both alike. Seconds of each."""
    seconds = {"merge": 0.0, "create": 0.0}
    turn = 0
    for step in STEPS[result.stem](result.rows, name_table(result.stem, result.rows)):
        queries = {"merge": cypher(step.query), "create": "UNWIND $rows AS row\n" + RAW[step.query]}
        for start in range(0, len(step.rows), batch_size):
            chunk = step.rows[start : start + batch_size]
            order = ("merge", "create") if turn % 2 == 0 else ("create", "merge")
            turn += 1
            for side in order:
                runner = merge if side == "merge" else create
                began = time.monotonic()
                runner.write(queries[side], rows=chunk, recorded_at=clock.now())
                seconds[side] += time.monotonic() - began
    return {
        "rows": len(result.rows),
        "create_seconds": round(seconds["create"], 3),
        "merge_seconds": round(seconds["merge"], 3),
        "ratio": round(seconds["create"] / seconds["merge"], 3) if seconds["merge"] else None,
    }


def _raw(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Mode ``raw``: ``load_directory`` validates the data set and writes it into one empty
    server, except that each registry stem is written by ``_interleaved`` (the loader's
    statements there, plain CREATE into a second empty server); the ``raw`` document."""
    size = args.sizes[0]
    data = tmp / f"data-{size}"
    generate_dataset(data, size, seed=args.seed)
    stems: dict[str, dict[str, Any]] = {}
    loader_write = load._write

    with _neo4j(tmp, "neo4j-merge") as merging, _neo4j(tmp, "neo4j-create") as creating:
        merge, create = _runner(merging), _runner(creating)
        apply_schema(create.driver, create.database)

        def both(
            runner: QueryRunner,
            stem: str,
            result: Validated,
            clock: Clock,
            batch_size: int,
            progress: load.Progress | None,
        ) -> list[Any]:
            if stem not in STEPS:
                if stem == "findings":  # not a registry stem; the baseline needs them
                    write_findings(create, result.rows, clock, batch_size)
                return loader_write(runner, stem, result, clock, batch_size, progress)
            stems[stem] = _interleaved(runner, create, result, clock, batch_size)
            print(f"  {stem:<16} {stems[stem]}  load average {_load_average()}", flush=True)
            return []

        load._write = both
        try:
            load.load_directory(
                merge, data, rejects_path=tmp / "rejects.csv", batch_size=args.batch_size
            )
        finally:
            load._write = loader_write
            merge.driver.close()
            create.driver.close()
    created = sum(numbers["create_seconds"] for numbers in stems.values())
    merged = sum(numbers["merge_seconds"] for numbers in stems.values())
    figures = {
        "enterprises": size,
        "batch_size": args.batch_size,
        "order": "alternating by batch",
        "stems": stems,
        "create_seconds": round(created, 2),
        "merge_seconds": round(merged, 2),
        "ratio": round(created / merged, 3),
        "load_average_at_end": _load_average(),
    }
    print(
        f"  all: CREATE {created:.1f}s MERGE {merged:.1f}s ratio {figures['ratio']} "
        f"(target >= 0.8), load average {figures['load_average_at_end']}",
        flush=True,
    )
    return {"raw": figures}


def main() -> None:
    """Run one mode, print and save the numbers."""
    parser = argparse.ArgumentParser(prog="bench load")
    parser.add_argument("--mode", choices=("full", "delta", "raw"), default="full")
    parser.add_argument("--sizes", default="10000,100000", help="delta and raw: the first")
    parser.add_argument("--batch-sizes", default=f"1000,{BATCH_SIZE},20000", help="full")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="delta and raw")
    parser.add_argument("--fraction", type=float, default=0.01, help="delta: share changed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per load")
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",")]
    args.batch_sizes = list(dict.fromkeys(int(size) for size in args.batch_sizes.split(",")))
    modes = {"full": _full, "delta": _delta, "raw": _raw}
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        measured = modes[args.mode](args, Path(tmp))
    document = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    document |= {"machine": {"cpus": os.cpu_count()}, "neo4j": {"heap": "4g", "pagecache": "2g"}}
    document |= measured
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
