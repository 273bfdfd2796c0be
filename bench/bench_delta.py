"""Delta benchmark (``./run bench delta``): is a daily change file's ``tracer load`` proportional
to the delta, not to the graph it lands on?

For each size, a change set of ``--fraction`` of the data set (``make_delta``: enterprises
renamed or struck off, positions and shareholdings ended, new persons in new positions, new
findings naming persons, status changes of existing findings; derived from the generated files
with the seed) is loaded by the real ``tracer load`` command into a copy of an imported store:
first a one-row file (the fixed cost of a load) twice — on the freshly started Neo4j, then again
(``one_row_again``: its caches and query plans warm, as for a daily load) — then the delta. The
same fraction at 10x the enterprises gives 10x the delta rows on a 10x graph: a load
proportional to the delta takes about 10x as long, one whose per-row cost grows with the graph
about 100x; ``per_row_write_ratio`` (seconds per delta row, largest size against smallest) is 1.0
when the graph size costs nothing.
``--profile`` then loads the one-row file again and a tenth-size delta (seed + 1) in process with
every statement under ``PROFILE``: db hits and plan operators per statement, the statements that
scan a whole label (``scanning``), the loader statements' db hits per row against the smallest
size, and the one-row load's statements whose db hits grow with the graph (``one_row_growing``:
the fixed cost of a load should not).

Stores: ``--case SIZE=DATA:HOME`` measures a copy of the stopped bundled Neo4j in HOME (imported
from DATA; the copy is deleted afterwards); a size without a case is generated with the seed and
imported by ``tracer import``. Writes ``bench/results/delta.json`` (runs keyed by size, earlier
sizes kept) with the load averages.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import neo4j
import pandas as pd

from bench.bench_import import TRACER, _environment, _run, fresh_instance
from tracer.domain.identifiers import resident_id_check_char
from tracer.graph.local import LocalNeo4j
from tracer.loaders.generate import generate_dataset
from tracer.loaders.load import load_directory
from tracer.queries.catalogue import catalogue_names, cypher
from tracer.queries.runner import QueryRunner

RESULTS = Path(__file__).parent / "results" / "delta.json"
#: Plan operators that read a whole label or relationship type: a write of a delta row that
#: uses one costs in proportion to the graph.
SCANS = (
    "AllNodesScan",
    "NodeByLabelScan",
    "UnionNodeByLabelsScan",
    "IntersectionNodeByLabelsScan",
    "RelationshipTypeScan",
    "DirectedRelationshipTypeScan",
    "UndirectedRelationshipTypeScan",
    "DirectedAllRelationshipsScan",
    "UndirectedAllRelationshipsScan",
    "NodeIndexScan",
)
T = TypeVar("T")
#: The day the delta's changes take effect (after the generator's default as-of date).
CHANGED_ON = "2026-11-02"


def _csv(directory: Path, stem: str) -> pd.DataFrame:
    return pd.read_csv(directory / f"{stem}.csv", dtype=str, keep_default_na=False)


def _new_resident_ids(
    template: pd.Series, taken: set[str], count: int, rng: random.Random
) -> list[str]:
    """``count`` valid resident IDs not in ``taken``: region and birth date of a sampled
    existing one, a fresh sequence number."""
    found: list[str] = []
    while len(found) < count:
        for existing in template.sample(n=count, replace=True, random_state=rng.randrange(2**31)):
            base = existing[:14] + f"{rng.randrange(1000):03d}"
            number = base + resident_id_check_char(base)
            if number not in taken and len(found) < count:
                taken.add(number)
                found.append(number)
    return found


def _transitions(full: Path, fraction: float, seed: int) -> pd.DataFrame:
    """Status changes of ``fraction`` of the findings: ACTIVE findings with no recorded
    transition go UNDER_REVIEW (an objection accepted) on the change day, by their authority."""
    findings = _csv(full, "findings")
    touched = set(_csv(full, "transitions")["finding_id"])
    quiet = findings[(findings["status"] == "ACTIVE") & ~findings["finding_id"].isin(touched)]
    chosen = quiet.sample(n=max(1, round(fraction * len(findings))), random_state=seed)
    return pd.DataFrame(
        {
            "finding_id": chosen["finding_id"],
            "to_status": "UNDER_REVIEW",
            "effective_on": CHANGED_ON,
            "actor": chosen["authority"],
            "reason": "异议受理，信息核实中",
        }
    )


def make_delta(full: Path, out: Path, fraction: float, seed: int) -> dict[str, int]:
    """A change set of ``fraction`` of the data set in ``full``, written to ``out``: rows per
    file. Enterprises renamed (dated name change) or struck off, open positions and
    shareholdings ended, new persons in new positions at existing enterprises, new findings
    (copies of existing ones with new ids) with the persons they name, existing findings put
    under review."""
    rng = random.Random(seed)
    out.mkdir(parents=True)
    rows: dict[str, int] = {}
    enterprises = _csv(full, "enterprises").sample(frac=fraction, random_state=seed)
    renamed = enterprises.iloc[: len(enterprises) // 2].copy()
    renamed["former_name"] = renamed["name"]
    renamed["name"] = "新" + renamed["name"]
    renamed["name_changed_on"] = CHANGED_ON
    struck = enterprises.iloc[len(enterprises) // 2 :].copy()
    struck["status"] = [rng.choice(("CANCELLED", "REVOKED")) for _ in range(len(struck))]
    pd.concat([renamed, struck]).to_csv(out / "enterprises.csv", index=False)
    rows["enterprises"] = len(enterprises)
    del enterprises, renamed, struck

    positions = _csv(full, "positions")
    open_positions = positions[positions["end_date"] == ""]
    ended = open_positions.sample(
        frac=fraction * len(positions) / len(open_positions), random_state=seed
    )
    ended = ended.assign(end_date=CHANGED_ON)
    added = positions.sample(frac=fraction, random_state=seed + 1).copy()
    del positions, open_positions
    persons = _csv(full, "persons")
    residents = persons.loc[persons["id_type"] == "RESIDENT_ID", "id_number"]
    numbers = _new_resident_ids(residents, set(persons["id_number"]), len(added), rng)
    added["id_type"], added["id_number"] = "RESIDENT_ID", numbers
    added["role"] = [rng.choice(("DIRECTOR", "SUPERVISOR", "SENIOR_MANAGER")) for _ in numbers]
    added["start_date"], added["end_date"] = CHANGED_ON, ""
    pd.concat([ended, added]).to_csv(out / "positions.csv", index=False)
    rows["positions"] = len(ended) + len(added)
    new_persons = persons.sample(n=len(added), replace=True, random_state=seed).copy()
    del persons, residents
    new_persons["id_type"], new_persons["id_number"] = "RESIDENT_ID", numbers
    new_persons["nationality"], new_persons["name_changed_on"], new_persons["former_name"] = (
        "CHN",
        "",
        "",
    )
    new_persons.to_csv(out / "persons.csv", index=False)
    rows["persons"] = len(new_persons)

    shareholdings = _csv(full, "shareholdings")
    open_holdings = shareholdings[shareholdings["end_date"] == ""]
    holdings = open_holdings.sample(
        frac=fraction * len(shareholdings) / len(open_holdings), random_state=seed
    )
    holdings.assign(end_date=CHANGED_ON).to_csv(out / "shareholdings.csv", index=False)
    rows["shareholdings"] = len(holdings)
    del shareholdings, open_holdings, holdings

    findings, named = _csv(full, "findings"), _csv(full, "finding_persons")
    chosen = findings[
        (findings["status"] == "ACTIVE") & findings["finding_id"].isin(named["finding_id"])
    ]
    copied = chosen.sample(n=max(1, round(fraction * len(findings))), random_state=seed).copy()
    renamed_ids = {old: f"{old}-D{index}" for index, old in enumerate(copied["finding_id"])}
    copied["finding_id"] = copied["finding_id"].map(renamed_ids)
    copied.to_csv(out / "findings.csv", index=False)
    named = named[named["finding_id"].isin(renamed_ids)].copy()
    named["finding_id"] = named["finding_id"].map(renamed_ids)
    named.to_csv(out / "finding_persons.csv", index=False)
    transitions = _transitions(full, fraction, seed)
    transitions.to_csv(out / "transitions.csv", index=False)
    rows |= {"findings": len(copied), "finding_persons": len(named)}
    rows["transitions"] = len(transitions)
    return rows


def _load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def _operators(plan: Mapping[str, Any]) -> tuple[int, set[str]]:
    """Db hits and operator names of a profiled plan and its children."""
    hits, names = int(plan.get("dbHits", 0)), {str(plan["operatorType"]).split("@")[0]}
    for child in plan.get("children", []):
        child_hits, child_names = _operators(child)
        hits, names = hits + child_hits, names | child_names
    return hits, names


class ProfilingRunner(QueryRunner):
    """Runs every statement with ``PROFILE`` and adds up its db hits and plan operators by
    catalogue name (the first line of a statement outside the catalogue)."""

    def __init__(self, driver: neo4j.Driver, database: str) -> None:
        super().__init__(driver, database)
        self.names = {cypher(name): name for name in catalogue_names()}
        self.plans: dict[str, dict[str, Any]] = {}

    def _execute(
        self,
        query: str,
        params: Mapping[str, Any],
        routing: neo4j.RoutingControl,
        transformer: Callable[[neo4j.Result], T],
    ) -> T:
        summaries: list[neo4j.ResultSummary] = []

        def keep(result: neo4j.Result) -> T:
            value = transformer(result)
            summaries.append(result.consume())
            return value

        try:
            value = super()._execute("PROFILE " + query, params, routing, keep)
        except neo4j.exceptions.CypherSyntaxError:
            return super()._execute(query, params, routing, transformer)
        plan = summaries[-1].profile if summaries else None
        if plan:
            hits, names = _operators(plan)
            name = self.names.get(query, query.strip().splitlines()[0][:100])
            entry = self.plans.setdefault(name, {"calls": 0, "db_hits": 0, "operators": set()})
            entry["calls"] += 1
            entry["db_hits"] += hits
            entry["operators"] |= names
        return value


def _profile(local: LocalNeo4j, delta: Path, work: Path) -> dict[str, Any]:
    """An in-process load of ``delta`` with every statement profiled: db hits and operators by
    statement, and the statements whose plans scan a label or type."""
    auth = ("neo4j", local.password())
    quiet = neo4j.NotificationMinimumSeverity.OFF
    with neo4j.GraphDatabase.driver(
        local.uri, auth=auth, notifications_min_severity=quiet
    ) as driver:
        runner = ProfilingRunner(driver, "neo4j")
        report = load_directory(runner, delta, rejects_path=work / "rejects-profile.csv")
    plans = {
        name: {**entry, "operators": sorted(entry["operators"])}
        for name, entry in sorted(runner.plans.items())
    }
    return {
        "rows": sum(counts.read for counts in report.files.values()),
        "db_hits": sum(entry["db_hits"] for entry in plans.values()),
        "scanning": sorted(
            name
            for name, entry in plans.items()
            if any(op.startswith(SCANS) for op in entry["operators"])
        ),
        "statements": plans,
    }


def _summary(run: dict[str, Any]) -> dict[str, Any]:
    """Rows, wall seconds, phases and per-stem write seconds of one ``tracer load`` run."""
    report = run["report"]
    files = report["files"]
    return {
        "rows": sum(counts["read"] for counts in files.values()),
        "rejected": sum(counts["rejected"] for counts in files.values()),
        "seconds": run["seconds"],
        "peak_rss_mib": run["peak_rss_mib"],
        "read_seconds": report["read_seconds"],
        "validate_seconds": report["validate_seconds"],
        "write_seconds": round(sum(report["write_seconds"].values()), 3),
        "write_seconds_by_stem": report["write_seconds"],
        "load_average_at_end": _load_average(),
    }


def _store(
    size: int, cases: dict[int, tuple[Path, Path]], work: Path, seed: int
) -> tuple[Path, Path]:
    """The data set and the stopped, imported store of ``size``: a case given on the command
    line, else generated with the seed and imported by ``tracer import``."""
    if size in cases:
        return cases[size]
    data, home = work / f"data-{size}", work / f"import-{size}"
    generate_dataset(data, size, seed=seed)
    local = fresh_instance(home, "1g", "1g")
    local.start(echo=lambda _message: None)
    try:
        command = [TRACER, "import", str(data), "--json", "--allow-rejects"]
        _run([*command, "--rejects", str(work / f"rejects-{size}-import.csv")], _environment(local))
    finally:
        local.stop()
    return data, home


def _measure(
    size: int, data: Path, home: Path, work: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """The delta of ``size`` made, then a one-row load and the delta's load on a copy of the
    store in ``home``."""
    delta, single = work / f"delta-{size}", work / f"single-{size}"
    began = time.monotonic()
    # In a child process: the loads' peak RSS (wait4) starts from their parent's at fork time.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        rows = pool.submit(make_delta, data, delta, args.fraction, args.seed).result()
        if args.profile:
            profiled = work / f"profiled-{size}"
            pool.submit(make_delta, data, profiled, args.fraction / 10, args.seed + 1).result()
    made = round(time.monotonic() - began, 1)
    single.mkdir()
    pd.read_csv(data / "enterprises.csv", dtype=str, keep_default_na=False, nrows=1).to_csv(
        single / "enterprises.csv", index=False
    )
    copy = work / f"home-{size}"
    shutil.copytree(home, copy, symlinks=True)
    local = fresh_instance(copy, args.heap, args.pagecache)
    figures: dict[str, Any] = {"enterprises": size, "fraction": args.fraction}
    figures |= {"delta_files": rows, "delta_rows": sum(rows.values()), "make_seconds": made}
    figures["load_average_before"] = _load_average()
    local.start(echo=lambda _message: None)
    try:
        loads = (("one_row", single), ("one_row_again", single), ("delta", delta))
        for label, directory in loads:
            command = [TRACER, "load", str(directory), "--json", "--allow-rejects"]
            command += ["--rejects", str(work / f"rejects-{size}-{label}.csv")]
            figures[label] = _summary(_run(command, _environment(local)))
            print(f"{size:>8} {label:<8} {json.dumps(figures[label])}", flush=True)
        if args.profile:
            figures["one_row_profile"] = _profile(local, single, work)
            figures["profile"] = _profile(local, work / f"profiled-{size}", work)
            print(f"{size:>8} profile  {json.dumps(figures['profile'])}", flush=True)
    finally:
        local.stop()
        shutil.rmtree(copy, ignore_errors=True)
    delta_run, fixed = figures["delta"], figures["one_row"]
    figures["seconds_beyond_fixed"] = round(delta_run["seconds"] - fixed["seconds"], 2)
    figures["write_ms_per_row"] = round(1000 * delta_run["write_seconds"] / delta_run["rows"], 3)
    return figures


def _comparison(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """The largest size against the smallest: how the delta's time grows against its rows and
    against the graph."""

    def ratio(key: str, sub: str | None = None) -> float:
        a, b = (large[sub][key], small[sub][key]) if sub else (large[key], small[key])
        return round(float(a) / float(b), 3)

    rows = ratio("delta_rows")
    return {
        "sizes": [small["enterprises"], large["enterprises"]],
        "graph_ratio": round(large["enterprises"] / small["enterprises"], 3),
        "delta_rows_ratio": rows,
        "wall_ratio": ratio("seconds", "delta"),
        "wall_beyond_fixed_ratio": ratio("seconds_beyond_fixed"),
        "write_ratio": ratio("write_seconds", "delta"),
        "validate_ratio": ratio("validate_seconds", "delta"),
        "fixed_cost_ratio": ratio("seconds", "one_row"),
        "fixed_cost_again_ratio": ratio("seconds", "one_row_again"),
        "per_row_write_ratio": ratio("write_ms_per_row"),
    } | _hits_ratio(small, large)


def _hits_ratio(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """Profiled db hits per delta row of the loader's own statements (``load_*``: row writes and
    look-ups), largest size against smallest, and the db hits of the statements that scan a
    whole label (a cost of every load that grows with the graph), when both sizes were profiled."""
    if "profile" not in small or "profile" not in large:
        return {}

    def per_row(run: dict[str, Any]) -> float:
        statements = run["profile"]["statements"]
        hits = sum(v["db_hits"] for k, v in statements.items() if k.startswith("load_"))
        return float(hits) / float(run["profile"]["rows"])

    return {
        "load_statements_db_hits_per_row_ratio": round(per_row(large) / per_row(small), 3),
        "scanning_db_hits": {
            str(run["enterprises"]): {
                name: run["profile"]["statements"][name]["db_hits"]
                for name in run["profile"]["scanning"]
            }
            for run in (small, large)
        },
    } | _one_row_growth(small, large)


def _one_row_growth(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """The one-row load's profiled db hits at both sizes, and the statements whose db hits grew
    (more than twice, by more than 100): a fixed cost that grows with the graph."""
    if "one_row_profile" not in small or "one_row_profile" not in large:
        return {}
    before, after = small["one_row_profile"], large["one_row_profile"]

    def hits(run: dict[str, Any], name: str) -> int:
        return int(run["statements"].get(name, {}).get("db_hits", 0))

    return {
        "one_row_db_hits": {
            str(run["enterprises"]): run["one_row_profile"]["db_hits"] for run in (small, large)
        },
        "one_row_growing": {
            name: [hits(before, name), hits(after, name)]
            for name in sorted(after["statements"])
            if hits(after, name) > 2 * hits(before, name) + 100
        },
    }


def _cases(values: list[str]) -> dict[int, tuple[Path, Path]]:
    cases = {}
    for value in values:
        size, _, paths = value.partition("=")
        data, _, home = paths.partition(":")
        cases[int(size)] = (Path(data), Path(home))
    return cases


def main() -> None:
    """Measure each size, print and write the figures."""
    parser = argparse.ArgumentParser(prog="bench delta", description=__doc__)
    parser.add_argument("--sizes", default="2000,20000", help="enterprises, comma-separated")
    parser.add_argument("--case", action="append", default=[], help="SIZE=DATA:HOME (a store)")
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="then load a tenth-size delta (seed + 1) with every statement profiled",
    )
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="3g")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    cases = _cases(args.case)
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-delta-") as tmp:
        work = Path(tmp)
        for size in sizes:
            data, home = _store(size, cases, work, args.seed)
            runs[str(size)] = _measure(size, data, home, work, args)
    document = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    document = {**document.get("runs", {}), **runs}
    ordered = sorted(document, key=int)
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count()},
        "neo4j": {"heap": args.heap, "pagecache": args.pagecache},
        "runs": {size: document[size] for size in ordered},
    }
    if len(sizes) > 1:
        result["comparison"] = _comparison(runs[str(sizes[0])], runs[str(sizes[-1])])
        print(json.dumps(result["comparison"], indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
