"""Name search: latency of ``search_names`` by kind of text against an exact-name index lookup in
the same run, the backfill of pinyin keys, and what an in-memory index would hold instead.

By default a data set of ``--enterprises`` is generated and loaded into a private bundled Neo4j
(stopped afterwards); ``--loaded`` measures the configured database instead. Writes
``bench/results/search.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import tracemalloc
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import free_port, latency_ms, timed
from tracer.graph.driver import Target, open_driver, resolve_target
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings
from tracer.loaders.generate import DEFAULT_AS_OF, generate_dataset
from tracer.loaders.load import load_directory
from tracer.queries.names import name_keys
from tracer.queries.runner import QueryRunner
from tracer.queries.search import SearchKind, search_enterprises, search_names
from tracer.queries.upgrade import backfill_name_keys

RESULTS = Path(__file__).parent / "results"
EXACT = "MATCH (p:Person {name: $name}) RETURN p.id_type AS t, p.id_number AS n LIMIT 20"
SAMPLE = (
    "MATCH (p:Person) WHERE p.name IS NOT NULL WITH p.name AS name, rand() AS r ORDER BY r "
    "LIMIT $n RETURN name"
)
ENTERPRISES = (
    "MATCH (e:Enterprise) WHERE e.name IS NOT NULL WITH e.name AS name, rand() AS r ORDER BY r "
    "LIMIT $n RETURN name"
)
COUNTS = (
    "MATCH (p:Person) WITH count(p) AS persons "
    "MATCH (e:Enterprise) RETURN persons, count(e) AS enterprises"
)
#: Remove a batch of stored keys (to time the backfill of a database from before name search).
FORGET = [
    f"MATCH (n:{label}) WHERE n.name_pinyin IS NOT NULL WITH n LIMIT 10000 "
    "REMOVE n.name_pinyin, n.name_pinyin_joined, n.name_initials RETURN count(n) AS removed"
    for label in ("Person", "Enterprise")
]
ALL_NAMES = "MATCH (p:Person) WHERE p.name IS NOT NULL RETURN p.id_number AS n, p.name AS name"


def _texts(runner: QueryRunner, count: int, seed: int) -> dict[str, list[str]]:
    """Search texts per kind, from names in the graph."""
    rng = random.Random(seed)
    names = [row["name"] for row in runner.read(SAMPLE, n=count)]
    firms = [row["name"] for row in runner.read(ENTERPRISES, n=count)]
    partial = [name[2:].removesuffix("有限公司") or name for name in firms]
    return {
        "exact_name": names,
        "pinyin_spaced": [name_keys(name).pinyin for name in names],
        "pinyin_joined": [name_keys(name).joined for name in names],
        "initials": [name_keys(name).initials for name in names],
        "typo_pinyin": [_typo(name_keys(name).joined, rng) for name in names],
        "enterprise_partial": partial,
    }


def _typo(text: str, rng: random.Random) -> str:
    """One adjacent transposition (zhangwei → zhangwie)."""
    if len(text) < 3:
        return text
    at = rng.randrange(1, len(text) - 1)
    return text[:at] + text[at + 1] + text[at] + text[at + 2 :]


def _latencies(call: Callable[[str], Any], texts: list[str]) -> tuple[list[float], int]:
    samples, found = [], 0
    for text in texts:
        seconds, result = timed(partial(call, text))
        samples.append(seconds)
        found += bool(result)
    return samples, found


def _found(runner: QueryRunner, on: date, kind: SearchKind, text: str) -> Any:
    """The candidates of one kind that a search for ``text`` finds."""
    return getattr(search_names(runner, text, on, kind), f"{kind}s")


def measure(runner: QueryRunner, on: date, count: int, seed: int) -> dict[str, Any]:
    """Latencies per kind of text, each interleaved with the exact-name baseline."""
    result: dict[str, Any] = {**runner.read(COUNTS)[0]}
    seconds, names = timed(lambda: backfill_name_keys(runner))
    result["backfill_after_load"] = {"names": names, "seconds": round(seconds, 2)}
    for statement in FORGET:
        while runner.write(statement)[0]["removed"]:
            pass
    seconds, names = timed(lambda: backfill_name_keys(runner))
    result["backfill_all"] = {
        "names": names,
        "seconds": round(seconds, 2),
        "names_per_s": round(names / seconds),
    }
    texts = _texts(runner, count, seed)
    for warm in texts["exact_name"][:20]:  # plans and page cache
        search_names(runner, warm, on)
        runner.read(EXACT, name=warm)
    baseline, _ = _latencies(lambda t: runner.read(EXACT, name=t), texts["exact_name"])
    result["baseline_exact_index"] = latency_ms(baseline)
    for kind, batch in texts.items():
        search_kind: SearchKind = "enterprise" if kind == "enterprise_partial" else "person"
        samples, hits = _latencies(partial(_found, runner, on, search_kind), batch)
        again, _ = _latencies(lambda t: runner.read(EXACT, name=t), texts["exact_name"])
        result[kind] = {
            **latency_ms(samples),
            "found_share": round(hits / len(batch), 3),
            "baseline_same_run": latency_ms(again),
        }
        print(kind, result[kind], flush=True)
    both, _ = _latencies(lambda t: search_names(runner, t, on), texts["exact_name"])
    result["exact_name_both_kinds"] = latency_ms(both)
    old, _ = _latencies(
        lambda t: search_enterprises(runner, t, on).items, texts["enterprise_partial"]
    )
    result["substring_enterprise_search"] = latency_ms(old)
    result["in_memory_alternative"] = _in_memory(runner)
    return result


def _in_memory(runner: QueryRunner) -> dict[str, Any]:
    """What an in-process index of every person's name keys costs to build and hold."""
    tracemalloc.start()
    seconds, index = timed(
        lambda: {row["n"]: (row["name"], name_keys(row["name"])) for row in runner.read(ALL_NAMES)}
    )
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "persons": len(index),
        "build_seconds": round(seconds, 2),
        "python_bytes": size,
        "bytes_per_person": round(size / max(len(index), 1)),
    }


def _generated(enterprises: int, seed: int, count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench_search_") as tmp:
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
                measured = measure(runner, DEFAULT_AS_OF, count, seed)
                return {"enterprises": enterprises, "load_seconds": round(seconds, 1), **measured}
            finally:
                driver.close()
        finally:
            local.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=300, help="texts per kind")
    parser.add_argument("--loaded", action="store_true", help="use the configured database")
    args = parser.parse_args()
    if args.loaded:
        target = resolve_target()
        driver = open_driver(target)
        try:
            runner = QueryRunner(driver, target.database)
            run = {
                "database": target.uri,
                **measure(runner, DEFAULT_AS_OF, args.queries, args.seed),
            }
        finally:
            driver.close()
    else:
        run = _generated(args.enterprises, args.seed, args.queries)
    RESULTS.mkdir(parents=True, exist_ok=True)
    document = {"date": date.today().isoformat(), "run": run}
    (RESULTS / "search.json").write_text(json.dumps(document, indent=2, ensure_ascii=False))
    print(json.dumps(document, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
