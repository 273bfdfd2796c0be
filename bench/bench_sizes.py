"""Single checks on two graph sizes, interleaved call by call: whether a check's cost depends on
the size of the graph (issue 12: the 1M p99 within 20 % of the 100k p99).

``bench engine`` measures one size after the other; on this shared 2-core machine the noise
between two such phases (CPU steal, the other size's Neo4j still compiling) was larger than the
difference sought. Here both stopped bundled Neo4j homes (e.g. kept by ``bench import
--keep-home``) are started together, their query plans warmed, both left to go idle, and then
each round asks ``RETURN 1``, a person check and an enterprise check of one size, then of the
other (the order alternating), so both sizes meet the same conditions.

Run: ``./run bench sizes --homes HOME_A,HOME_B --data DATA_A,DATA_B --names 100000,1000000``;
numbers go to ``bench/results/sizes.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import random
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from bench.bench_engine import AS_OF, _listed_enterprises, _persons, _rows
from bench.common import free_port, latency_ms, settle, timed
from tracer.domain.keys import PersonKey
from tracer.graph.driver import Target, open_driver
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings
from tracer.queries.liability import check_enterprise, check_person, linked_people
from tracer.queries.runner import QueryRunner
from tracer.queries.warmup import warm_plans

RESULTS = Path(__file__).parent / "results" / "sizes.json"
CALLS = 2000
WARM = 200


@contextlib.contextmanager
def _served(home: Path, memory: str) -> Iterator[tuple[LocalNeo4j, QueryRunner]]:
    local = LocalNeo4j(
        LocalNeo4jSettings(home=home, port=free_port(), heap=memory, pagecache=memory)
    )
    if local.status().running:
        raise SystemExit(f"the Neo4j of {home} is running: stop it first (tracer db stop)")
    local.start(echo=lambda _message: None)
    driver = open_driver(Target(local.uri, "neo4j", local.password(), "neo4j", bundled=True))
    try:
        yield local, QueryRunner(driver, "neo4j")
    finally:
        driver.close()
        local.stop()


def _subjects(runner: QueryRunner, data: Path, rng: random.Random) -> dict[str, list[Any]]:
    """Half random subjects, half linked to a finding (as ``bench engine`` draws them)."""
    persons, linked = _persons(data), linked_people(runner, AS_OF)
    people = rng.sample(persons, CALLS // 2) + rng.sample(linked, min(CALLS // 2, len(linked)))
    enterprises = [row["uscc"] for row in _rows(data, "enterprises")]
    listed = _listed_enterprises(data)
    firms = rng.sample(enterprises, CALLS // 2) + rng.sample(listed, min(CALLS // 2, len(listed)))
    rng.shuffle(people)
    rng.shuffle(firms)
    return {"people": people, "firms": firms}


def _calls(
    runner: QueryRunner, people: list[PersonKey], firms: list[str]
) -> list[Callable[[int], Any]]:
    return [
        lambda _i: runner.read("RETURN 1 AS ok"),
        lambda i: check_person(runner, people[i % len(people)], AS_OF),
        lambda i: check_enterprise(runner, firms[i % len(firms)], AS_OF),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", required=True, help="two stopped bundled Neo4j homes")
    parser.add_argument("--data", required=True, help="the data set each was loaded from")
    parser.add_argument("--names", required=True, help="a label for each, e.g. 100000,1000000")
    parser.add_argument("--memory", default="3g", help="heap and page cache of each Neo4j")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    homes = [Path(part) for part in args.homes.split(",")]
    sets = [Path(part) for part in args.data.split(",")]
    names = args.names.split(",")
    if not len(homes) == len(sets) == len(names) == 2:
        parser.error("--homes, --data and --names name two of each")
    kinds = ("return_1", "check_person", "check_enterprise")
    samples: dict[str, dict[str, list[float]]] = {n: {k: [] for k in kinds} for n in names}
    result: dict[str, Any] = {"date": date.today().isoformat(), "homes": args.homes}
    with _served(homes[0], args.memory) as first, _served(homes[1], args.memory) as second:
        served = dict(zip(names, (first, second), strict=True))
        calls = {}
        for name, data in zip(names, sets, strict=True):
            local, runner = served[name]
            result[f"{name}_warm_plans_s"] = warm_plans(runner, AS_OF)
            subjects = _subjects(runner, data, random.Random(args.seed))
            calls[name] = _calls(runner, subjects["people"], subjects["firms"])
        gc.collect()
        gc.freeze()
        for name, (local, _runner) in served.items():
            pid = local.status().pid
            result[f"{name}_settled_after_s"] = settle(pid, 90.0) if pid else None
        result["load_average_start"] = [round(x, 2) for x in os.getloadavg()]
        for i in range(WARM + CALLS):
            order = names if i % 2 == 0 else names[::-1]
            for name in order:
                for kind, call in zip(kinds, calls[name], strict=True):
                    seconds, _ = timed(partial(call, i))
                    if i >= WARM:
                        samples[name][kind].append(seconds)
        result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    for name in names:
        result[name] = {kind: latency_ms(samples[name][kind]) for kind in kinds}
    small, large = (result[name]["check_person"]["p99_ms"] for name in names)
    result["check_person_p99_second_to_first"] = round(large / small, 3)
    small, large = (result[name]["check_enterprise"]["p99_ms"] for name in names)
    result["check_enterprise_p99_second_to_first"] = round(large / small, 3)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
