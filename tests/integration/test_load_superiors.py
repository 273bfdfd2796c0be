"""The loader's one-superior edges against the real Neo4j: a department REPORTS_TO one
superior and an enterprise is SUPERVISED_BY one department; a later row naming another moves
the edge, and a repeated batch changes nothing."""

from __future__ import annotations

import pandas as pd

from tracer.domain.clock import Clock
from tracer.loaders.write import write_stem
from tracer.queries.runner import QueryRunner

CLOCK = Clock()
USCC = "91110105MAHXE14B2Y"


def _departments(superior: str | None) -> pd.DataFrame:
    rows = [
        {"code": "D-A", "name": "甲", "region_code": "110000", "superior_code": None},
        {"code": "D-B", "name": "乙", "region_code": "110000", "superior_code": None},
        {"code": "D-C", "name": "丙", "region_code": "110105", "superior_code": superior},
    ]
    return pd.DataFrame([{**row, "kind": None} for row in rows])


def _enterprise(department: str) -> pd.DataFrame:
    row: dict[str, str | None] = {
        "uscc": USCC,
        "name": "北京宏宇食品有限公司",
        "kind": "ENTERPRISE",
        "status": "ACTIVE",
    }
    row |= {"ownership": "STATE", "region_code": "110105", "established_on": None}
    row |= {"address": None, "superior_department": department, "name_changes": None}
    return pd.DataFrame([row])


def _targets(runner: QueryRunner, query: str) -> list[str]:
    return sorted(row["code"] for row in runner.read(query))


def test_a_later_superior_replaces_the_earlier_one_and_repeats_change_nothing(
    runner: QueryRunner,
) -> None:
    superiors = "MATCH (:Department {code: 'D-C'})-[:REPORTS_TO]->(s) RETURN s.code AS code"
    supervisors = (
        f"MATCH (:Enterprise {{uscc: '{USCC}'}})-[:SUPERVISED_BY]->(d) RETURN d.code AS code"
    )
    write_stem(runner, "departments", _departments("D-A"), CLOCK)
    write_stem(runner, "enterprises", _enterprise("D-A"), CLOCK)
    assert _targets(runner, superiors) == ["D-A"]
    assert _targets(runner, supervisors) == ["D-A"]

    for _ in range(2):  # the second time is a repeated batch
        assert write_stem(runner, "departments", _departments("D-B"), CLOCK) == 3
        assert write_stem(runner, "enterprises", _enterprise("D-B"), CLOCK) == 1
        assert _targets(runner, superiors) == ["D-B"]
        assert _targets(runner, supervisors) == ["D-B"]

    write_stem(runner, "departments", _departments(None), CLOCK)  # no superior given: kept
    assert _targets(runner, superiors) == ["D-B"]
