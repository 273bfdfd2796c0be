"""Benchmark of the liability engine and the investigator queries on generated data sets.

For each size: generate a data set (``generate_dataset``), load it (``load_directory``) into a
private bundled Neo4j (free port, temporary directory, heap and page cache 4g), warm its query
plans as ``tracer serve`` does on start (``warm_plans``), then time:
single ``check_person`` and ``check_enterprise`` (p50/p99: half random subjects, half linked to
a finding), ``check_people`` and ``check_enterprises`` batches of 10,000, ``owners`` on the
deepest ownership pyramids, ``find_paths`` between random pairs, ``worklist`` of the busiest
departments, and the signals and statistics. The PROFILE plans (db hits) of the main queries are
saved in ``bench/results/engine_plans/``; numbers go to ``bench/results/engine.json``. The db hits
are taken on subjects drawn from the data files alone (not from the engine's answers), so two
versions of the engine measured on the same data set profile the same subjects.

Run: ``./run bench engine --sizes 10000,100000`` (``--work DIR`` keeps and
reuses the data sets and loaded databases; ``--enterprises N`` is ``--sizes N``). On a database
already loaded (e.g. by ``tracer import``): ``./run bench engine --enterprises 1000000
--reuse-home HOME --data DIR`` — HOME is the stopped bundled Neo4j's home, DIR the data set it
was loaded from (generated with the seed when absent); nothing is loaded.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import random
import tempfile
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx

from bench.common import free_port, latency_ms, settle, timed
from tracer.domain.keys import PersonKey, SubjectKey
from tracer.graph.driver import Target, open_driver
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings
from tracer.loaders.generate import DEFAULT_AS_OF, generate_dataset
from tracer.loaders.load import load_directory
from tracer.queries import signals, stats
from tracer.queries.catalogue import cypher
from tracer.queries.departments import departments
from tracer.queries.liability import (
    check_enterprise,
    check_enterprises,
    check_people,
    check_person,
    linked_people,
)
from tracer.queries.ownership import owners
from tracer.queries.paths import find_paths
from tracer.queries.runner import QueryRunner
from tracer.queries.timeline import LATEST
from tracer.queries.warmup import warm_plans
from tracer.queries.worklist import worklist

RESULTS = Path(__file__).parent / "results"
PLANS = RESULTS / "engine_plans"
AS_OF = DEFAULT_AS_OF


def _rows(directory: Path, stem: str) -> list[dict[str, str]]:
    with (directory / f"{stem}.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _persons(directory: Path) -> list[PersonKey]:
    return [
        PersonKey((row.get("id_type") or "RESIDENT_ID").upper(), row["id_number"])
        for row in _rows(directory, "persons")
    ]


def _listed_enterprises(directory: Path) -> list[str]:
    """Enterprises some finding in the data set is against (whatever its status)."""
    return sorted(
        {
            row["subject_id"]
            for row in _rows(directory, "findings")
            if (row.get("subject_kind") or "ENTERPRISE").upper() == "ENTERPRISE"
        }
    )


def _newest_findings(directory: Path, count: int) -> list[str]:
    """The ``count`` findings decided last (a work list's first page, before any filter)."""
    rows = _rows(directory, "findings")
    rows.sort(key=lambda row: (row["decided_on"], row["finding_id"]), reverse=True)
    return [row["finding_id"] for row in rows[:count]]


def _deepest_pyramids(directory: Path, count: int) -> list[tuple[str, int]]:
    """Enterprises at the bottom of the longest enterprise→enterprise shareholding chains."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    with (directory / "shareholdings.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["holder_kind"].upper() == "ENTERPRISE":
                graph.add_edge(row["holder_id"], row["investee_uscc"])
    depth: dict[str, int] = {}
    condensed = nx.condensation(graph)
    for node in nx.topological_sort(condensed):
        preds = list(condensed.predecessors(node))
        depth[node] = 1 + max((depth[p] for p in preds), default=0)
    mapping = condensed.graph["mapping"]
    ranked = sorted(((depth[mapping[uscc]], uscc) for uscc in graph.nodes), reverse=True)
    return [(uscc, d) for d, uscc in ranked[:count]]


def _profile(
    driver: neo4j.Driver, name: str, params: dict[str, Any], tag: str, save: bool = True
) -> int | str:
    """PROFILE one catalogue query; save the plan if asked; return its db hits (or the error)."""

    def plan(result: neo4j.Result) -> Any:
        return result.consume().profile

    try:
        profile = driver.execute_query(
            neo4j.Query("PROFILE " + cypher(name)),
            parameters_=params,
            database_="neo4j",
            routing_=neo4j.RoutingControl.READ,
            result_transformer_=plan,
        )
    except neo4j.exceptions.Neo4jError as exc:
        return f"PROFILE failed: {exc.message}"

    def hits(node: dict[str, Any]) -> int:
        return int(node.get("dbHits", 0)) + sum(hits(c) for c in node.get("children", []))

    total = hits(profile)
    if not save:
        return total
    PLANS.mkdir(parents=True, exist_ok=True)
    (PLANS / f"{tag}_{name}.json").write_text(
        json.dumps({"query": name, "db_hits": total, "plan": profile}, indent=1, default=str)
    )
    return total


def bench_size(
    enterprises: int,
    work: Path,
    seed: int,
    home: Path | None = None,
    data: Path | None = None,
) -> dict[str, Any]:
    """Generate, load and measure one data set size; with ``home``, measure the database
    already loaded there (from ``data``) without loading anything."""
    result: dict[str, Any] = {"enterprises": enterprises, "as_of": AS_OF.isoformat()}
    data = data or work / f"data_{enterprises}"
    if not (data / "persons.csv").exists():
        seconds, _ = timed(lambda: generate_dataset(data, enterprises, seed=seed))
        result["generate_s"] = round(seconds, 1)
        print(f"[{enterprises}] generated in {seconds:.1f}s", flush=True)
    settings = LocalNeo4jSettings(
        home=home or work / f"neo4j_{enterprises}", port=free_port(), heap="4g", pagecache="4g"
    )
    local = LocalNeo4j(settings)
    if home is not None and local.status().running:
        raise SystemExit(f"the Neo4j of {home} is running: stop it first (tracer db stop)")
    local.start(echo=lambda _msg: None)
    result["load_average_start"] = [round(x, 2) for x in os.getloadavg()]
    try:
        driver = open_driver(Target(local.uri, "neo4j", local.password(), "neo4j", bundled=True))
        runner = QueryRunner(driver, "neo4j")
        loaded = settings.home / "loaded.json"
        if home is not None:
            result["reused_home"] = str(home)
        elif not loaded.exists():
            seconds, report = timed(lambda: load_directory(runner, data))
            rows = {stem: counts.loaded for stem, counts in report.files.items()}
            loaded.write_text(json.dumps({"load_s": round(seconds, 1), "rows": rows}))
            print(f"[{enterprises}] loaded in {seconds:.1f}s", flush=True)
        if loaded.exists():
            result.update(json.loads(loaded.read_text()))
        neo4j = local.status().pid
        result.update(_measure(runner, driver, data, enterprises, seed, neo4j))
        result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        driver.close()
    finally:
        local.stop()
    return result


def _latency(call: Any, subjects: list[Any], warm: int = 200) -> dict[str, float]:
    for subject in subjects[:warm]:
        call(subject)
    return latency_ms([timed(partial(call, subject))[0] for subject in subjects])


def _batches(call: Any, subjects: list[Any]) -> dict[str, Any]:
    runs = [timed(partial(call, subjects)) for _ in range(3)]
    return {
        "n": len(subjects),
        "seconds": [round(seconds, 3) for seconds, _ in runs],
        "restricted": sum(1 for answer in runs[0][1] if answer.restricted),
        "liable": sum(1 for answer in runs[0][1] if answer.liable),
    }


def _median_hits(driver: neo4j.Driver, name: str, rows: list[dict[str, Any]], tag: str) -> Any:
    """Median db hits of ``name`` over single-subject parameter sets (the first plan is kept)."""
    hits = [_profile(driver, name, params, tag, save=not i) for i, params in enumerate(rows)]
    numbers = sorted(hit for hit in hits if isinstance(hit, int))
    if len(numbers) < len(hits):
        return next(hit for hit in hits if not isinstance(hit, int))
    return {"median": numbers[len(numbers) // 2], "max": numbers[-1], "n": len(numbers)}


def _measure(
    runner: QueryRunner,
    driver: neo4j.Driver,
    data: Path,
    size: int,
    seed: int,
    neo4j_pid: int | None,
) -> dict[str, Any]:
    rng = random.Random(seed)
    out: dict[str, Any] = {}
    # as `tracer serve` does on start (the first call after a start otherwise plans for seconds)
    out["warm_plans_s"] = warm_plans(runner, AS_OF)
    print(f"[{size}] plans warmed {out['warm_plans_s']}", flush=True)
    persons = _persons(data)
    enterprises = [row["uscc"] for row in _rows(data, "enterprises")]
    listed = _listed_enterprises(data)
    linked = linked_people(runner, AS_OF)
    out["linked_persons"] = len(linked)
    pyramids = _deepest_pyramids(data, 20)
    # the subject lists (millions of objects at 1M) out of the cycle collector's reach: its
    # full passes over them paused single calls for seconds, which no server holding no such
    # lists would see
    gc.collect()
    gc.freeze()
    # Neo4j may still be busy after the warm-up (compiling): in one run measuring 100k and 1M,
    # 100k (whose data set is read sooner) was up to twice as slow, `RETURN 1` included
    if neo4j_pid is not None:
        out["neo4j_settled_after_s"] = settle(neo4j_pid, 90.0)
    # single checks: half random subjects, half linked to a finding (the ones with answers)
    sample = rng.sample(persons, min(1000, len(persons))) + rng.sample(
        linked, min(1000, len(linked))
    )
    rng.shuffle(sample)
    # the floor in the same run: the same driver call answering `RETURN 1`
    out["return_1"] = _latency(lambda _key: runner.read("RETURN 1 AS ok"), sample)
    out["check_person"] = _latency(lambda key: check_person(runner, key, AS_OF), sample)
    out["check_person_p99_to_return_1_p99"] = round(
        out["check_person"]["p99_ms"] / out["return_1"]["p99_ms"], 2
    )
    print(f"[{size}] RETURN 1 {out['return_1']}", flush=True)
    print(f"[{size}] check_person {out['check_person']}", flush=True)
    firms = rng.sample(enterprises, min(1000, len(enterprises))) + rng.sample(
        listed, min(1000, len(listed))
    )
    rng.shuffle(firms)
    out["check_enterprise"] = _latency(lambda uscc: check_enterprise(runner, uscc, AS_OF), firms)
    print(f"[{size}] check_enterprise {out['check_enterprise']}", flush=True)
    # batches and profiled subjects are drawn from the data files alone (own generators)
    batch = random.Random(seed + 1).sample(persons, min(10_000, len(persons)))
    out["check_people_10000"] = _batches(lambda keys: check_people(runner, keys, AS_OF), batch)
    print(f"[{size}] check_people {out['check_people_10000']}", flush=True)
    bids = random.Random(seed + 2).sample(enterprises, min(10_000, len(enterprises)))
    out["check_enterprises_10000"] = _batches(
        lambda codes: check_enterprises(runner, codes, AS_OF), bids
    )
    print(f"[{size}] check_enterprises {out['check_enterprises_10000']}", flush=True)
    reports = [timed(partial(owners, runner, u, AS_OF)) for u, _ in pyramids]
    out["owners_deepest"] = {
        "depths": [d for _, d in pyramids[:5]],
        "truncated": sum(1 for _, report in reports if report.truncated),
        **latency_ms([seconds for seconds, _ in reports]),
    }
    print(f"[{size}] owners {out['owners_deepest']}", flush=True)
    pairs = [
        (SubjectKey.person(*rng.choice(linked)), SubjectKey.person(*rng.choice(linked)))
        for _ in range(100)
    ]
    connections = [timed(partial(find_paths, runner, a, b, as_of=AS_OF)) for a, b in pairs]
    out["find_paths_linked_pairs"] = {
        "connected": sum(1 for _, result in connections if result.paths),
        "truncated": sum(1 for _, result in connections if result.truncated),
        **latency_ms([seconds for seconds, _ in connections]),
    }
    print(f"[{size}] find_paths {out['find_paths_linked_pairs']}", flush=True)
    depts = sorted(departments(runner, AS_OF), key=lambda d: (-len(d.measures), d.code))
    busy = [d for d in depts if d.measures][:20]
    times: list[float] = []
    entries: list[int] = []
    for dept in busy:
        seconds, page = timed(partial(worklist, runner, dept.code, AS_OF, limit=50))
        times.append(seconds)
        entries.append(page.total_findings)
    out["worklist_50"] = {
        "departments": len(busy),
        "with_kind": sum(1 for d in depts if d.kind),
        "total_findings_max": max(entries, default=0),
        "first_ms": round(times[0] * 1000, 2) if times else None,
        **(latency_ms(times) if times else {}),
    }
    print(f"[{size}] worklist {out['worklist_50']}", flush=True)
    # the same departments once more: the first call above also plans the work list's queries
    again = [timed(partial(worklist, runner, d.code, AS_OF, limit=50))[0] for d in busy]
    out["worklist_50_again"] = latency_ms(again) if again else {}
    print(f"[{size}] worklist again {out['worklist_50_again']}", flush=True)
    for name, call in (
        ("ban_breaches", lambda: signals.ban_breaches(runner, AS_OF)),
        ("repeat_offenders", lambda: signals.repeat_offenders(runner, AS_OF)),
        ("phoenix_candidates", lambda: signals.phoenix_candidates(runner, AS_OF)),
        ("red_list_conflicts", lambda: signals.red_list_conflicts(runner, AS_OF)),
        ("stats_summary", lambda: stats.summary(runner, AS_OF)),
    ):
        seconds, value = timed(call)
        found = getattr(value, "total", None)
        out[name] = {"seconds": round(seconds, 2), "found": found}
        print(f"[{size}] {name} {out[name]}", flush=True)
    out["db_hits"] = _db_hits(
        driver, persons, enterprises, batch, bids, _newest_findings(data, 50), seed, f"{size}"
    )
    print(f"[{size}] db hits {out['db_hits']}", flush=True)
    return out


def _db_hits(
    driver: neo4j.Driver,
    persons: list[PersonKey],
    enterprises: list[str],
    batch: list[PersonKey],
    bids: list[str],
    page: list[str],
    seed: int,
    tag: str,
) -> dict[str, Any]:
    moment = {"as_of": AS_OF, "known_at": LATEST, "limit": 1000}
    probes = random.Random(seed + 3).sample(persons, min(50, len(persons)))
    firms = random.Random(seed + 4).sample(enterprises, min(50, len(enterprises)))

    def people(keys: list[PersonKey]) -> dict[str, Any]:
        return {"people": [{"id_type": t, "id_number": n} for t, n in keys], **moment}

    return {
        "liability_by_person_1": _median_hits(
            driver, "liability_by_person", [people([key]) for key in probes], tag + "_one"
        ),
        "liability_by_person_1000": _profile(
            driver, "liability_by_person", people(batch[:1000]), tag + "_batch"
        ),
        "liability_by_enterprise_1": _median_hits(
            driver,
            "liability_by_enterprise",
            [{"usccs": [uscc], **moment} for uscc in firms],
            tag + "_one",
        ),
        "liability_by_enterprise_1000": _profile(
            driver, "liability_by_enterprise", {"usccs": bids[:1000], **moment}, tag + "_batch"
        ),
        "worklist_findings": _profile(
            driver,
            "worklist_findings",
            {
                **moment,
                "finding_ids": None,
                "scope": None,
                "limit": 500,
                "before": date.max,
                "after_id": None,
            },  # the first chunk of a work list
            tag,
        ),
        "liability_by_finding_50": _profile(
            driver, "liability_by_finding", {"finding_ids": page, **moment}, tag
        ),  # the reach of a work list page
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        "--enterprises",
        default="10000,100000",
        help="comma-separated enterprise counts",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work", type=Path, help="keep data sets and loaded databases here (reused when present)"
    )
    parser.add_argument(
        "--reuse-home",
        help="measure the (stopped) bundled Neo4j of this home as loaded: nothing is loaded "
        "(comma-separated, one home per size)",
    )
    parser.add_argument(
        "--data",
        help="the data set of each size (comma-separated; with --reuse-home, the one each "
        "database was loaded from)",
    )
    args = parser.parse_args()
    sizes = [int(part) for part in args.sizes.split(",")]
    homes: list[Path | None] = [None] * len(sizes)
    sets: list[Path | None] = [None] * len(sizes)
    if args.data:
        sets = [Path(part) for part in args.data.split(",")]
    if args.reuse_home:
        homes = [Path(part) for part in args.reuse_home.split(",")]
    if len(homes) != len(sizes) or len(sets) != len(sizes):
        parser.error("--reuse-home and --data name one home and one data set per size")
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench_engine_") as tmp:
        work = args.work or Path(tmp)
        for size, home, data in zip(sizes, homes, sets, strict=True):
            runs.append(bench_size(size, work, args.seed, home, data))
            RESULTS.mkdir(parents=True, exist_ok=True)
            document = {"date": date.today().isoformat(), "runs": runs}
            (RESULTS / "engine.json").write_text(json.dumps(document, indent=2))
    print(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
