"""Benchmark of ownership penetration, paths and neighbourhoods.

Times ``owners()`` on the enterprises at the bottom of the deepest ownership pyramids,
``find_paths()`` between random enterprise pairs and between each pyramid's target and top
holder, and ``neighbourhood(depth=2)`` around the targets. Numbers go to stdout and
``bench/results/ownership.json``.

By default a data set of ``--enterprises`` is generated and loaded into a private bundled Neo4j
(free port, temporary directory). With ``--loaded`` it runs against whatever the configured
database holds (``NEO4J_URI`` or the bundled Neo4j of ``tracer db start``).

Run: ``.venv/bin/python -m bench ownership --enterprises 10000`` (or ``--loaded``).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import networkx as nx

from bench.common import free_port, latency_ms, timed
from tracer.domain.keys import SubjectKey
from tracer.graph.driver import Target, open_driver, resolve_target
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings
from tracer.loaders.generate import DEFAULT_AS_OF, generate_dataset
from tracer.loaders.load import load_directory
from tracer.queries.catalogue import cypher
from tracer.queries.network import neighbourhood
from tracer.queries.ownership import owners
from tracer.queries.paths import find_paths
from tracer.queries.runner import QueryRunner

RESULTS = Path(__file__).parent / "results"


def _pyramids(runner: QueryRunner, count: int) -> tuple[list[tuple[str, int, str]], list[str]]:
    """The ``count`` enterprises with the longest holding chains above them, as (target,
    depth, top holder); and every enterprise in a holding."""
    rows = runner.read(cypher("ownership_enterprise_holdings"), limit=2_000_000)
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_edges_from((row["holder"], row["investee"]) for row in rows)
    condensed = nx.condensation(graph)
    depth: dict[int, int] = {}
    top: dict[int, int] = {}
    for node in nx.topological_sort(condensed):
        preds = list(condensed.predecessors(node))
        best = max(preds, key=lambda p: depth[p], default=None)
        depth[node] = 0 if best is None else depth[best] + 1
        top[node] = node if best is None else top[best]
    members = condensed.graph["mapping"]
    first = {component: next(iter(condensed.nodes[component]["members"])) for component in top}
    ranked = sorted(((depth[members[u]], u) for u in graph.nodes), reverse=True)[:count]
    return [(u, d, first[top[members[u]]]) for d, u in ranked], sorted(graph.nodes)


def measure(runner: QueryRunner, as_of: date, seed: int) -> dict[str, Any]:
    """Time the three investigator queries on the loaded graph."""
    rng = random.Random(seed)
    result: dict[str, Any] = {"as_of": as_of.isoformat()}
    pyramids, enterprises = _pyramids(runner, 20)
    result["enterprises_in_holdings"] = len(enterprises)
    if not pyramids:
        result["note"] = "no enterprise-to-enterprise holdings loaded"
        return result
    for target, _, _ in pyramids[:3]:  # warm-up (plans, page cache)
        owners(runner, target, as_of)
    times, sizes, deepest, derived, cut = [], [], 0, 0, 0
    for target, _, _ in pyramids:
        seconds, report = timed(partial(owners, runner, target, as_of))
        times.append(seconds)
        cut += report.truncated
        sizes.append(len(report.owners))
        deepest = max([deepest, *(len(c.subjects) - 1 for o in report.owners for c in o.chains)])
        derived += sum(1 for c in report.controllers if c.basis == "derived")
    result["owners_deepest"] = {
        "pyramid_depths": [d for _, d, _ in pyramids[:5]],
        "longest_chain": deepest,
        "owners_max": max(sizes),
        "derived_controllers": derived,
        "truncated": cut,
        **latency_ms(times),
    }
    print(f"owners on the 20 deepest pyramids: {result['owners_deepest']}", flush=True)
    related = [(SubjectKey.enterprise(t), SubjectKey.enterprise(top)) for t, _, top in pyramids]
    randoms = [
        (SubjectKey.enterprise(a), SubjectKey.enterprise(b))
        for a, b in (rng.sample(enterprises, 2) for _ in range(50))
    ]
    for name, pairs in (("paths_pyramid_top", related), ("paths_random_pairs", randoms)):
        times, found, cut = [], 0, 0
        for source_key, target_key in pairs:
            seconds, paths = timed(partial(find_paths, runner, source_key, target_key))
            times.append(seconds)
            found += bool(paths.paths)
            cut += paths.truncated
        result[name] = {"connected": found, "truncated": cut, **latency_ms(times)}
        print(f"{name}: {result[name]}", flush=True)
    times, nodes = [], []
    for target, _, _ in pyramids:
        seconds, network = timed(
            partial(neighbourhood, runner, SubjectKey.enterprise(target), depth=2)
        )
        times.append(seconds)
        nodes.append(len(network.nodes))
    result["network_depth2"] = {"nodes_max": max(nodes), **latency_ms(times)}
    print(f"network depth 2: {result['network_depth2']}", flush=True)
    return result


def _generated(enterprises: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench_ownership_") as tmp:
        work = Path(tmp)
        seconds, _ = timed(lambda: generate_dataset(work / "data", enterprises, seed=seed))
        print(f"generated {enterprises} enterprises in {seconds:.1f}s", flush=True)
        local = LocalNeo4j(
            LocalNeo4jSettings(home=work / "neo4j", port=free_port(), heap="2g", pagecache="1g")
        )
        local.start(echo=lambda _msg: None)
        try:
            target = Target(local.uri, "neo4j", local.password(), "neo4j", bundled=True)
            driver = open_driver(target)
            try:
                runner = QueryRunner(driver, "neo4j")
                seconds, _ = timed(lambda: load_directory(runner, work / "data"))
                print(f"loaded in {seconds:.1f}s", flush=True)
                return {"enterprises": enterprises, **measure(runner, DEFAULT_AS_OF, seed)}
            finally:
                driver.close()
        finally:
            local.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--loaded", action="store_true", help="use the configured database")
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    args = parser.parse_args()
    if args.loaded:
        target = resolve_target()
        driver = open_driver(target)
        try:
            runner = QueryRunner(driver, target.database)
            run = {"database": target.uri, **measure(runner, args.as_of, args.seed)}
        finally:
            driver.close()
    else:
        run = _generated(args.enterprises, args.seed)
    RESULTS.mkdir(parents=True, exist_ok=True)
    document = {"date": date.today().isoformat(), "run": run}
    (RESULTS / "ownership.json").write_text(json.dumps(document, indent=2))
    print(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
