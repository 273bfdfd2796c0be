"""Loading against the real Neo4j: content, idempotence, history, the lifecycle's checks,
versioned reference overrides, formats, references and interrupted-load recovery (a generated
corrupt set: test_generate_load.py)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import pytest

from tests.fixtures.database import wipe
from tests.unit.test_validate import EXPECTED, rejects_by_line
from tracer.domain.clock import Clock
from tracer.graph.driver import Target
from tracer.loaders.generate import generate_dataset
from tracer.loaders.load import load_directory
from tracer.loaders.report import LoadReport
from tracer.queries.reference import shipped_tables
from tracer.queries.runner import QueryRunner

FIXTURES = Path(__file__).parents[1] / "fixtures" / "load"
TRACER = [sys.executable, "-m", "tracer.cli"]
D = dt.date
#: A fixed server clock: times of record are known in advance.
NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
CLOCK = Clock(now=lambda: NOW)
#: Random ids by design (a reference change, an install stamp): never compared.
RANDOM_IDS = ("change_id", "stamp")


def stats(runner: QueryRunner) -> dict[str, int]:
    """Counts of nodes, relationships and their properties (test marker excluded)."""
    nodes = runner.read_one(
        "MATCH (n) WHERE NOT n:TracerTestSession "
        "RETURN count(n) AS nodes, sum(size(keys(n))) AS node_props"
    )
    rels = runner.read_one(
        "MATCH ()-[r]->() RETURN count(r) AS rels, sum(size(keys(r))) AS rel_props"
    )
    assert nodes is not None and rels is not None
    return {**nodes, **rels}


def _key(props: dict[str, Any]) -> str:
    for name in ("transition_id", "version_id", "uscc", "code", "finding_id", "honour_id"):
        if name in props:
            return f"{name}={props[name]}"
    return f"{props.get('id_type')}:{props.get('id_number')}"


def _recorded(value: Any) -> Any:
    """A time of record (a server instant) as a placeholder; the open end (year 9999) kept."""
    if isinstance(value, list):
        return [_recorded(item) for item in value]
    if isinstance(value, dt.datetime) and value.year < 9999:
        return "<recorded>"
    return value


def fingerprint(
    runner: QueryRunner, ignore: tuple[str, ...] = (), times_of_record: bool = True
) -> str:
    """A hash of every node and relationship with its properties, ``ignore``d ones and random
    ids excluded; ``times_of_record=False`` replaces server instants by a placeholder (to compare
    loads made at different times)."""

    def shown(props: dict[str, Any]) -> str:
        kept = {k: v for k, v in props.items() if k not in (*ignore, *RANDOM_IDS)}
        if not times_of_record:
            kept = {k: _recorded(v) for k, v in kept.items()}
        return json.dumps(kept, default=str, sort_keys=True, ensure_ascii=False)

    nodes = runner.read(
        "MATCH (n) WHERE NOT n:TracerTestSession RETURN labels(n) AS labels, properties(n) AS p"
    )
    rels = runner.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS p, "
        "properties(a) AS a, properties(b) AS b"
    )
    lines = sorted(f"{row['labels']} {shown(row['p'])}" for row in nodes) + sorted(
        f"{row['type']} {shown(row['p'])} {_key(row['a'])} {_key(row['b'])}" for row in rels
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def counts(report: LoadReport) -> dict[str, tuple[int, int, int]]:
    """(read, loaded, rejected) per file; asserts ``read = loaded + rejected``."""
    found = {stem: (c.read, c.loaded, c.rejected) for stem, c in report.files.items()}
    for stem, (read, loaded, rejected) in found.items():
        assert read == loaded + rejected, stem
    return found


def history(runner: QueryRunner, finding_id: str) -> list[tuple[Any, ...]]:
    """(seq, from, to, effective_on, new_effective_until) of a finding's transitions."""
    rows = runner.read(
        "MATCH (:Finding {finding_id: $id})-[:HAS_TRANSITION]->(t) "
        "RETURN t.seq AS seq, t.from_status AS from_status, t.to_status AS to, "
        "t.effective_on AS effective_on, t.new_effective_until AS until ORDER BY seq",
        id=finding_id,
    )
    return [tuple(row.values()) for row in rows]


def write_files(directory: Path, files: dict[str, str]) -> Path:
    """Write ``{name: text}`` (UTF-8) into ``directory``; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture()
def clean(neo4j_driver: neo4j.Driver, neo4j_target: Target) -> Iterator[QueryRunner]:
    """A runner plus the ability to wipe again inside a test (via ``wipe_again``)."""
    wipe(neo4j_driver, neo4j_target.database)
    yield QueryRunner(neo4j_driver, neo4j_target.database)


def wipe_again(runner: QueryRunner) -> None:
    wipe(runner.driver, runner.database)


# -- content ----------------------------------------------------------------------------------
def test_basic_load_content(runner: QueryRunner, tmp_path: Path) -> None:
    report = load_directory(
        runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv", clock=CLOCK
    )
    assert all(rejected == 0 for _, _, rejected in counts(report).values())
    assert report.files["transitions"].loaded == 4
    assert report.status_since_defaulted == 0
    assert report.reference_data["list_types"] >= 5
    kinds = runner.read("MATCH (e:Enterprise) RETURN e.uscc AS uscc, e.kind AS kind ORDER BY uscc")
    assert {r["uscc"]: r["kind"] for r in kinds} == {
        "1211000040000123XG": "PUBLIC_INSTITUTION",
        "91110105MA01A2B325": "ENTERPRISE",
        "91110108MA02C4D594": "ENTERPRISE",
        "93500101MA03E6F751": "COOPERATIVE",
    }
    dates = runner.read("MATCH (e:Enterprise) RETURN e.established_on AS d ORDER BY d")
    assert [r["d"] for r in dates] == [D(2001, 1, 1), D(2012, 7, 15), D(2015, 3, 2), D(2018, 5, 6)]
    shares = runner.read(
        "MATCH (h)-[o:OWNS]->(e) RETURN labels(h)[0] AS holder, o.share AS share, "
        "o.start_key AS start_key ORDER BY share, holder"
    )
    assert [(r["holder"], r["share"], r["start_key"]) for r in shares] == [
        ("Enterprise", 0.4, "2015-03-02"),
        ("Person", 0.6, "2015-03-02"),
        ("Department", 1.0, ""),
        ("Person", 1.0, ""),
    ]
    findings = runner.read(
        "MATCH (f:Finding)-[:AGAINST]->(s) RETURN f.finding_id AS id, labels(s)[0] AS subject, "
        "f.category AS category, f.ground AS ground, f.severe AS severe, "
        "f.exit_restricted AS exit, f.status AS status ORDER BY id"
    )
    assert [tuple(row.values()) for row in findings] == [
        # category from the list type; booleans also as 是/否 and 1
        ("F-2023-001", "Enterprise", "REFUSE_OBLIGATION", "EVADING_ENFORCEMENT", None, True,
         "ACTIVE"),
        ("F-2023-002", "Enterprise", "MARKET_ORDER", None, True, False, "ACTIVE"),
        ("F-2024-003", "Person", "REFUSE_OBLIGATION", "ABLE_BUT_REFUSING", None, True,
         "UNDER_REVIEW"),
    ]  # fmt: skip
    transitions = runner.read(
        "MATCH (f:Finding)-[:HAS_TRANSITION]->(t:Transition) "
        "RETURN t.transition_id AS id, t.from_status AS from_status, t.to_status AS to, "
        "t.effective_on AS effective_on, t.recorded_at AS recorded_at, "
        "t.new_effective_until AS until, t.actor AS actor ORDER BY id"
    )
    loader = "loader:findings.csv"
    assert [tuple(row.values()) for row in transitions] == [
        ("F-2023-001#1", None, "ACTIVE", D(2023, 1, 10), NOW, None, loader),
        ("F-2023-002#1", None, "ACTIVE", D(2023, 6, 1), NOW, None, loader),
        # the transitions file, through the lifecycle: objection, upheld, longer term
        ("F-2023-002#2", "ACTIVE", "UNDER_REVIEW", D(2024, 1, 5), NOW, None, "BJ_AMR"),
        ("F-2023-002#3", "UNDER_REVIEW", "ACTIVE", D(2024, 2, 1), NOW, None, "BJ_AMR"),
        ("F-2023-002#4", "ACTIVE", "ACTIVE", D(2024, 2, 1), NOW, D(2026, 5, 31), "BJ_AMR"),
        # a status given with status_since: ACTIVE from the decision, then the status
        ("F-2024-003#1", None, "ACTIVE", D(2024, 2, 1), NOW, None, loader),
        ("F-2024-003#2", "ACTIVE", "UNDER_REVIEW", D(2024, 3, 1), NOW, None, loader),
    ]
    line = runner.read_one(
        "MATCH (f:Finding {finding_id: 'F-2023-002'}) "
        "RETURN f.line_from AS starts, f.line_to AS ends, f.term_until AS terms"
    )
    assert line == {
        "starts": [D(2023, 6, 1), D(2024, 2, 1)],  # suspended while under review
        "ends": [D(2024, 1, 4), D(2026, 5, 31)],
        "terms": [D(2026, 5, 31)],
    }
    named = runner.read(
        "MATCH (f:Finding)-[n]->(p:Person) WHERE type(n) IN ['NAMES', 'RELEASES'] "
        "RETURN f.finding_id AS f, type(n) AS type, coalesce(n.capacity, n.reason) AS what, "
        "n.effective_on AS effective_on, p.id_number AS person ORDER BY f, type, what"
    )
    assert [tuple(row.values()) for row in named] == [
        ("F-2023-001", "NAMES", "DIRECTLY_RESPONSIBLE", None, "110105198001010016"),
        ("F-2023-001", "NAMES", "EXIT_RESTRICTED", D(2023, 2, 1), "110105198001010016"),
        ("F-2023-002", "NAMES", "DIRECTLY_RESPONSIBLE", None, "110108197512120027"),
        ("F-2023-002", "RELEASES", "FORMER_OFFICER", D(2024, 7, 1), "110108197512120027"),
    ]
    decided = runner.read("MATCH (f:Finding)-[:DECIDED_BY]->(d) RETURN d.code AS d ORDER BY d")
    assert [r["d"] for r in decided] == ["BJ_AMR", "BJ_COURT"]
    assert stats(runner)["rels"] == 30


def test_reload_changes_nothing(runner: QueryRunner, tmp_path: Path) -> None:
    first = load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    before, print_before = stats(runner), fingerprint(runner)
    again = load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    assert counts(again) == counts(first)  # transitions already recorded count as loaded
    assert again.status_since_defaulted == 0
    assert stats(runner) == before
    assert fingerprint(runner) == print_before  # times of record included


def test_later_file_closes_a_position_and_changes_a_status(
    runner: QueryRunner, tmp_path: Path
) -> None:
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    report = load_directory(runner, FIXTURES / "update", rejects_path=tmp_path / "r2.csv")
    assert counts(report) == {"positions": (2, 2, 0), "findings": (1, 1, 0)}
    held = runner.read(
        "MATCH (p:Person)-[h:HOLDS {role: 'LEGAL_REPRESENTATIVE'}]->"
        "(:Enterprise {uscc: '91110105MA01A2B325'}) "
        "RETURN p.name AS name, h.start_date AS start, h.end_date AS end ORDER BY start"
    )
    assert held == [
        {"name": "张三", "start": D(2015, 3, 2), "end": D(2024, 6, 30)},
        {"name": "王五", "start": D(2024, 7, 1), "end": None},
    ]
    finding = runner.read_one(
        "MATCH (f:Finding {finding_id: 'F-2023-001'}) "
        "RETURN f.status AS status, f.basis AS basis, f.ground AS ground"
    )
    # absent never erases
    assert finding == {
        "status": "REVOKED",
        "basis": "(2023)京01执123号",
        "ground": "EVADING_ENFORCEMENT",
    }
    assert history(runner, "F-2023-001") == [
        (1, None, "ACTIVE", D(2023, 1, 10), None),
        (2, "ACTIVE", "REVOKED", D(2024, 9, 1), None),
    ]
    # loading either delivery again neither reopens the position nor records a status its
    # history already holds (basic says ACTIVE: an earlier status of F-2023-001)
    before = stats(runner), fingerprint(runner)
    load_directory(runner, FIXTURES / "update", rejects_path=tmp_path / "r3.csv")
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r4.csv")
    assert (stats(runner), fingerprint(runner)) == before


def test_the_lifecycle_refuses_illegal_changes(runner: QueryRunner, tmp_path: Path) -> None:
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv", clock=CLOCK)
    rejects = tmp_path / "refused.csv"
    report = load_directory(runner, FIXTURES / "refused", rejects_path=rejects, clock=CLOCK)
    assert counts(report) == {"findings": (2, 0, 2), "transitions": (6, 2, 4)}
    expected = {
        ("findings.csv", 2): {"ILLEGAL_TRANSITION"},  # ACTIVE -> CORRECTED
        ("findings.csv", 3): {"DATE_ORDER"},  # before the finding's last change
        # refused by the lifecycle, row by row, with its reason
        ("transitions.csv", 2): {"ILLEGAL_TRANSITION"},
        ("transitions.csv", 5): {"DATE_ORDER"},  # before the decision (checked up front)
        ("transitions.csv", 6): {"BAD_VALUE"},
        ("transitions.csv", 7): {"ILLEGAL_TRANSITION"},
    }
    assert rejects_by_line(rejects) == expected
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        messages = {
            (row["file"], int(row["line"])): row["message"] for row in csv.DictReader(handle)
        }
    assert "cannot move from UNDER_REVIEW to REPAIRED" in messages[("transitions.csv", 2)]
    assert "after the period ended (2026-05-31)" in messages[("transitions.csv", 6)]
    assert "cannot take effect earlier" in messages[("transitions.csv", 7)]
    assert report.quality.reasons["transitions"] == {
        "ILLEGAL_TRANSITION": 2,
        "DATE_ORDER": 1,
        "BAD_VALUE": 1,
    }
    # rows are applied in file order: once upheld, the same repair is legal
    assert history(runner, "F-2024-003")[2:] == [
        (3, "UNDER_REVIEW", "ACTIVE", D(2024, 5, 1), None),
        (4, "ACTIVE", "REPAIRED", D(2024, 6, 1), None),
    ]
    assert len(history(runner, "F-2023-001")) == 1
    assert len(history(runner, "F-2023-002")) == 4
    before = stats(runner), fingerprint(runner)
    again = load_directory(runner, FIXTURES / "refused", rejects_path=rejects)
    assert counts(again) == counts(report)
    assert rejects_by_line(rejects) == expected
    assert (stats(runner), fingerprint(runner)) == before


def test_status_without_status_since_takes_effect_on_the_load_date(
    runner: QueryRunner, tmp_path: Path
) -> None:
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv", clock=CLOCK)
    header = "finding_id,subject_id,list_type,category,authority,decided_on,status,status_since\n"
    later = write_files(
        tmp_path / "later",
        {
            "findings.csv": header
            + "F-2025-005,91110105MA01A2B325,WAGE_ARREARS,,BJ_AMR,2025-03-01,REPAIRED,\n"
            + "F-2025-006,91110105MA01A2B325,WAGE_ARREARS,,BJ_AMR,2025-03-01,REPAIRED,2025-06-01\n"
            # in F-2023-002's history already (objection, then upheld): nothing to record
            + "F-2023-002,91110105MA01A2B325,MARKET_SUPERVISION_SERIOUS,MARKET_ORDER,BJ_AMR,"
            "2023-06-01,UNDER_REVIEW,\n"
        },
    )
    report = load_directory(runner, later, rejects_path=tmp_path / "r2.csv", clock=CLOCK)
    assert counts(report) == {"findings": (3, 3, 0)}
    assert report.status_since_defaulted == 1
    assert history(runner, "F-2025-005")[1] == (2, "ACTIVE", "REPAIRED", CLOCK.today(), None)
    assert history(runner, "F-2025-006")[1] == (2, "ACTIVE", "REPAIRED", D(2025, 6, 1), None)
    assert len(history(runner, "F-2023-002")) == 4


def test_a_term_change_in_a_reloaded_file_is_recorded_once(
    runner: QueryRunner, tmp_path: Path
) -> None:
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    longer = write_files(
        tmp_path / "longer",
        {
            "findings.csv": "finding_id,subject_id,list_type,authority,decided_on,"
            "effective_until,status_since\n"
            "F-2023-001,91110108MA02C4D594,JUDGMENT_DEFAULTER,BJ_COURT,2023-01-10,"
            "2026-01-10,2024-12-01\n"
        },
    )
    for _ in range(2):
        load_directory(runner, longer, rejects_path=tmp_path / "r2.csv")
        assert history(runner, "F-2023-001") == [
            (1, None, "ACTIVE", D(2023, 1, 10), None),
            (2, "ACTIVE", "ACTIVE", D(2024, 12, 1), D(2026, 1, 10)),
        ]


def test_a_reload_keeps_the_decision(runner: QueryRunner, tmp_path: Path) -> None:
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv", clock=CLOCK)
    before = stats(runner), fingerprint(runner)
    changed = write_files(
        tmp_path / "changed",
        {
            "findings.csv": "finding_id,subject_kind,subject_id,list_type,authority,decided_on,"
            "effective_until\n"
            "F-2023-001,,91110108MA02C4D594,JUDGMENT_DEFAULTER,BJ_COURT,2023-02-10,\n"
            "F-2023-002,,91110105MA01A2B325,WAGE_ARREARS,BJ_AMR,2023-06-01,\n"
            # under review: its term cannot change
            "F-2024-003,PERSON,RESIDENT_ID:500103199003150033,JUDGMENT_DEFAULTER,某区人民法院,"
            "2024-02-01,2027-01-31\n"
        },
    )
    rejects = tmp_path / "changed.csv"
    report = load_directory(runner, changed, rejects_path=rejects, clock=CLOCK)
    assert counts(report) == {"findings": (3, 0, 3)}
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        found = {
            (int(row["line"]), row["reason_code"], row["column"]): row["message"]
            for row in csv.DictReader(handle)
        }
    assert set(found) == {
        (2, "DECISION_CHANGED", "decided_on"),
        (3, "DECISION_CHANGED", "list_type"),
        (4, "ILLEGAL_TRANSITION", "effective_until"),
    }
    assert (
        "stored decided_on 2023-01-10, given 2023-02-10"
        in found[2, "DECISION_CHANGED", "decided_on"]
    )
    assert "UNDER_REVIEW" in found[4, "ILLEGAL_TRANSITION", "effective_until"]
    assert (stats(runner), fingerprint(runner)) == before


def test_broken_rows_with_the_graph(runner: QueryRunner, tmp_path: Path) -> None:
    rejects = tmp_path / "r.csv"
    report = load_directory(runner, FIXTURES / "broken", rejects_path=rejects)
    assert report.graph_checked and report.unchecked_references == {}
    assert rejects_by_line(rejects) == {
        **EXPECTED,
        ("enterprises.csv", 15): {"REF_DEPARTMENT"},
        ("positions.csv", 5): {"REF_REJECTED"},
        ("positions.csv", 6): {"REF_ENTERPRISE"},
        ("positions.csv", 7): {"REF_PERSON"},
        ("finding_persons.csv", 3): {"REF_FINDING"},
        ("finding_persons.csv", 4): {"REF_REJECTED"},
        ("transitions.csv", 6): {"REF_FINDING"},
    }
    counts(report)
    # nothing rejected reached the graph; the custom list type did
    # three rows loaded: two enterprises, one of them also as an identical repeat
    assert runner.read_one("MATCH (e:Enterprise) RETURN count(e) AS n") == {"n": 2}
    assert runner.read_one("MATCH (l:ListType {code: 'CUSTOM_LIST'}) RETURN l.name AS n") == {
        "n": "自定义名单"
    }
    refused = runner.read_one(
        "MATCH (r) WHERE r.rule_id IN ['R98', 'R99'] OR r:MeasureBasis RETURN count(r) AS n"
    )
    assert refused == {"n": 0}
    assert runner.read_one("MATCH (t:Transition) RETURN collect(t.finding_id) AS f") == {
        "f": ["F1", "F5"]  # recorded with the findings; no row of transitions.csv applied
    }


def test_references_resolve_from_the_graph(runner: QueryRunner, tmp_path: Path) -> None:
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    only_positions = tmp_path / "later"
    only_positions.mkdir()
    shutil.copy(FIXTURES / "basic" / "positions.csv", only_positions / "positions.csv")
    report = load_directory(runner, only_positions, rejects_path=tmp_path / "r2.csv")
    assert report.files["positions"].rejected == 0


# -- reference overrides --------------------------------------------------------------------------
def test_a_versioned_rule_override_is_recorded_beside_the_old_version(
    runner: QueryRunner, tmp_path: Path
) -> None:
    revised = write_files(
        tmp_path / "revised",
        {
            "rules.csv": "rule_id,name,valid_from,source\n"
            "R1,记入个人信用记录（本地修订）,2026-01-01,本地文件\n"
        },
    )
    report = load_directory(runner, revised, rejects_path=tmp_path / "r.csv", actor="tester")
    assert counts(report) == {"rules": (1, 1, 0)}
    assert report.reference_data["rules"] == len(shipped_tables()["rules"]) + 1
    versions = runner.read(
        "MATCH (r:Rule {rule_id: 'R1'}) RETURN r.version_id AS id, r.name AS name, "
        "r.origin AS origin, r.effect AS effect ORDER BY id"
    )
    shipped = next(row for row in shipped_tables()["rules"] if row["rule_id"] == "R1")
    assert versions == [
        {"id": "R1|0001-01-01|", "name": shipped["name"], "origin": "SHIPPED",
         "effect": "CREDIT_RECORD"},
        # the new version builds on the old one: columns not given are kept
        {"id": "R1|2026-01-01|", "name": "记入个人信用记录（本地修订）", "origin": "OVERRIDE",
         "effect": "CREDIT_RECORD"},
    ]  # fmt: skip
    change = runner.read(
        "MATCH (c:ReferenceChange {version_id: 'R1|2026-01-01|'}) "
        "RETURN c.stem AS stem, c.actor AS actor, c.before AS before, c.after AS after"
    )
    assert len(change) == 1
    assert change[0]["stem"] == "rules" and change[0]["actor"] == "tester"
    assert change[0]["before"] is None
    assert json.loads(change[0]["after"])["valid_from"] == "2026-01-01"
    before = stats(runner), fingerprint(runner)
    load_directory(runner, revised, rejects_path=tmp_path / "r.csv", actor="tester")
    assert (stats(runner), fingerprint(runner)) == before  # no second change recorded


def test_old_list_types_period_column_still_gives_a_default_period(
    runner: QueryRunner, tmp_path: Path
) -> None:
    list_type = (
        "code,name,category,default_period_years,source\nLOCAL_LIST,地方名单,MARKET_ORDER,{},test\n"
    )
    first = write_files(
        tmp_path / "first",
        {
            "list_types.csv": list_type.format(3),
            "enterprises.csv": "uscc,name\n91110105MA01A2B325,北京甲科技有限公司\n",
            "findings.csv": "finding_id,subject_id,list_type,authority,decided_on\n"
            "L-1,91110105MA01A2B325,LOCAL_LIST,某局,2024-01-10\n",
        },
    )
    report = load_directory(runner, first, rejects_path=tmp_path / "r.csv")
    assert counts(report)["findings"] == (1, 1, 0)
    term = (
        "MATCH (f:Finding {finding_id: 'L-1'}) RETURN f.term_until AS until, f.term_basis AS basis"
    )
    assert runner.read_one(term) == {"until": [D(2027, 1, 9)], "basis": "DEFAULT"}
    # a later change of the period redoes the stored lines of findings already loaded
    longer = write_files(tmp_path / "longer", {"list_types.csv": list_type.format(5)})
    load_directory(runner, longer, rejects_path=tmp_path / "r2.csv")
    assert runner.read_one(term) == {"until": [D(2029, 1, 9)], "basis": "DEFAULT"}


# -- formats and encodings ---------------------------------------------------------------------
def _convert(source: Path, target: Path, fmt: str) -> None:
    """Every CSV of ``source`` as ``fmt`` in ``target``, column names upper-cased (they are
    case-insensitive); ``gbk`` is a CSV in GBK."""
    target.mkdir()
    for path in source.glob("*.csv"):
        if fmt == "gbk":
            header, body = path.read_text(encoding="utf-8").split("\n", 1)
            (target / path.name).write_bytes(f"{header.upper()}\n{body}".encode("gbk"))
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame = frame.rename(columns=str.upper)
        out = target / f"{path.stem}.{fmt}"
        if fmt == "xlsx":
            frame.to_excel(out, index=False)
        elif fmt == "parquet":
            frame.replace("", None).to_parquet(out)
        else:
            frame.to_json(out, orient="records", lines=True, force_ascii=False)


def new_columns(runner: QueryRunner) -> list[tuple[Any, ...]]:
    """The columns added this round as the graph holds them: ground, severe, exit_restricted,
    the status effective from status_since, finding_persons.effective_on and the transitions."""
    findings = runner.read(
        "MATCH (f:Finding) RETURN f.finding_id AS id, f.ground AS ground, f.severe AS severe, "
        "f.exit_restricted AS exit, last(f.status_to) AS status, "
        "last(f.status_effective) AS since ORDER BY id"
    )
    named = runner.read(
        "MATCH (:Finding)-[n:NAMES|RELEASES]->() RETURN type(n) AS type, "
        "coalesce(n.capacity, n.reason) AS what, n.effective_on AS effective_on ORDER BY what"
    )
    changes = runner.read(
        "MATCH (t:Transition) WHERE t.actor = 'BJ_AMR' "
        "RETURN t.to_status AS to, t.reason AS reason ORDER BY t.seq"
    )
    return [tuple(row.values()) for row in (*findings, *named, *changes)]


NEW_COLUMNS = [
    ("F-2023-001", "EVADING_ENFORCEMENT", None, True, "ACTIVE", D(2023, 1, 10)),
    ("F-2023-002", None, True, False, "ACTIVE", D(2024, 2, 1)),
    ("F-2024-003", "ABLE_BUT_REFUSING", None, True, "UNDER_REVIEW", D(2024, 3, 1)),
    ("NAMES", "DIRECTLY_RESPONSIBLE", None),
    ("NAMES", "DIRECTLY_RESPONSIBLE", None),
    ("NAMES", "EXIT_RESTRICTED", D(2023, 2, 1)),
    ("RELEASES", "FORMER_OFFICER", D(2024, 7, 1)),
    ("UNDER_REVIEW", "异议受理，信息核实中"),
    ("ACTIVE", "核实无误，维持原认定"),
    ("ACTIVE", "延长惩戒期限"),
]


@pytest.mark.parametrize("fmt", ["gbk", "xlsx", "parquet", "jsonl"])
def test_every_format_loads_the_same_graph(clean: QueryRunner, tmp_path: Path, fmt: str) -> None:
    load_directory(clean, FIXTURES / "basic", rejects_path=tmp_path / "r.csv", clock=CLOCK)
    assert new_columns(clean) == NEW_COLUMNS
    expected = fingerprint(clean, ignore=("actor",))  # it names the file: loader:findings.xlsx
    wipe_again(clean)
    directory = tmp_path / fmt
    _convert(FIXTURES / "basic", directory, fmt)
    report = load_directory(clean, directory, rejects_path=tmp_path / f"{fmt}.csv", clock=CLOCK)
    assert all(rejected == 0 for _, _, rejected in counts(report).values())
    assert report.files["transitions"].loaded == 4
    assert new_columns(clean) == NEW_COLUMNS
    assert fingerprint(clean, ignore=("actor",)) == expected


# -- dry run and the command line ----------------------------------------------------------
def test_dry_run_writes_nothing(runner: QueryRunner, tmp_path: Path) -> None:
    before = stats(runner)
    report = load_directory(
        runner, FIXTURES / "basic", dry_run=True, rejects_path=tmp_path / "r.csv"
    )
    assert report.dry_run and report.graph_checked
    assert report.files["positions"].loaded == 5
    assert stats(runner) == before


def test_cli_json_and_errors(
    runner: QueryRunner, neo4j_env: dict[str, str], tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    proc = subprocess.run(
        [*TRACER, "load", str(FIXTURES / "broken"), "--json", "--rejects", str(rejects)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **neo4j_env},
    )
    assert proc.returncode == 4, proc.stderr  # rows were rejected
    assert "enterprises.csv: 16 read, 3 loaded, 13 rejected — most common: " in proc.stderr
    document = json.loads(proc.stdout)
    assert document["rejects_file"] == str(rejects)
    assert document["files"]["enterprises"] == {"read": 16, "loaded": 3, "rejected": 13}
    assert document["files"]["transitions"] == {"read": 5, "loaded": 0, "rejected": 5}
    assert document["status_since_defaulted"] == 0
    missing = subprocess.run(
        [*TRACER, "load", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **neo4j_env},
    )
    assert missing.returncode != 0
    assert "no such directory" in missing.stderr
    down = subprocess.run(
        [*TRACER, "load", str(FIXTURES / "basic"), "--rejects", str(rejects)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **neo4j_env, "NEO4J_URI": "bolt://127.0.0.1:1"},
    )
    assert down.returncode != 0
    assert "unreachable" in down.stderr
    dry = subprocess.run(
        [
            *TRACER,
            "load",
            str(FIXTURES / "basic"),
            "--dry-run",
            "--json",
            "--rejects",
            str(rejects),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **neo4j_env, "NEO4J_URI": "bolt://127.0.0.1:1"},
    )
    assert dry.returncode == 0, dry.stderr  # nothing rejected
    assert json.loads(dry.stdout)["graph_checked"] is False


# -- generated data: interrupted loads ----------------------------------------------------------
def test_interrupted_load_completes_to_the_same_graph(
    clean: QueryRunner, neo4j_env: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    generate_dataset(data, 300, seed=3)
    command = [*TRACER, "load", str(data), "--batch-size", "100", "--json"]
    env = {**os.environ, **neo4j_env}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        row = clean.read_one("MATCH (p:Person) RETURN count(p) AS n")
        if row is not None and row["n"] > 0:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = stats(clean)
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
    resumed = stats(clean), fingerprint(clean, times_of_record=False)
    assert resumed[0] != partial  # the kill really happened mid-load
    wipe_again(clean)
    subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert (stats(clean), fingerprint(clean, times_of_record=False)) == resumed


def test_department_kind_and_enterprise_address_are_loaded(
    runner: QueryRunner, tmp_path: Path
) -> None:
    (tmp_path / "departments.csv").write_text(
        "code,name,kind\nAUD1,审计局,audit\nBAD1,某局,not a code!\n", encoding="utf-8"
    )
    (tmp_path / "enterprises.csv").write_text(
        "uscc,name,address\n91110105MA01A2B325,北京甲科技有限公司,  北京市朝阳区\t建国路 1 号 \n",
        encoding="utf-8",
    )
    report = load_directory(runner, tmp_path).to_json()
    assert report["files"]["departments"] == {"read": 2, "loaded": 1, "rejected": 1}
    assert report["files"]["enterprises"] == {"read": 1, "loaded": 1, "rejected": 0}
    with Path(report["rejects_file"]).open(encoding="utf-8-sig") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(r["line"], r["column"], r["reason_code"]) for r in rejects] == [
        ("3", "kind", "CODE_UNKNOWN")
    ]
    assert runner.read("MATCH (d:Department) RETURN d.code AS code, d.kind AS kind") == [
        {"code": "AUD1", "kind": "AUDIT"}
    ]
    assert runner.read("MATCH (e:Enterprise) RETURN e.address AS address") == [
        {"address": "北京市朝阳区 建国路 1 号"}
    ]


def test_unknown_and_ranged_shares_and_record_ids(runner: QueryRunner, tmp_path: Path) -> None:
    """An empty share is stored as null (never 0), a range as share_min/share_max, and records
    of one holder with the same start date load side by side when they carry record ids; a
    reload changes nothing."""
    data = write_files(
        tmp_path / "data",
        {
            "enterprises.csv": (FIXTURES / "basic" / "enterprises.csv").read_text(encoding="utf-8"),
            "persons.csv": (FIXTURES / "basic" / "persons.csv").read_text(encoding="utf-8"),
            "departments.csv": (FIXTURES / "basic" / "departments.csv").read_text(encoding="utf-8"),
            "shareholdings.csv": (
                "investee_uscc,holder_kind,holder_id,share,share_min,share_max,start_date,"
                "record_id\n"
                "91110105MA01A2B325,ENTERPRISE,91110108MA02C4D594,,,,2020-01-01,\n"
                "91110105MA01A2B325,ENTERPRISE,93500101MA03E6F751,,20%,30%,,\n"
                "91110105MA01A2B325,PERSON,110105198001010016,0.1,,,2020-01-01,oc-1\n"
                "91110105MA01A2B325,PERSON,110105198001010016,0.3,,,2020-01-01,oc-2\n"
                "91110105MA01A2B325,PERSON,110108197512120027,0.5,0.1,0.3,,\n"
            ),
        },
    )
    report = load_directory(runner, data, rejects_path=tmp_path / "r.csv", clock=CLOCK)
    assert counts(report)["shareholdings"] == (5, 4, 1)
    rows = runner.read(
        "MATCH (h)-[o:OWNS]->(:Enterprise {uscc: '91110105MA01A2B325'}) "
        "RETURN o.share AS share, o.share_min AS lo, o.share_max AS hi, o.start_key AS key, "
        "o.record_id AS record ORDER BY key, record"
    )
    assert [tuple(row.values()) for row in rows] == [
        (None, 0.2, 0.3, "", None),
        (None, None, None, "2020-01-01", None),
        (0.1, None, None, "2020-01-01#oc-1", "oc-1"),
        (0.3, None, None, "2020-01-01#oc-2", "oc-2"),
    ]
    before = fingerprint(runner)
    again = load_directory(runner, data, rejects_path=tmp_path / "r2.csv", clock=CLOCK)
    assert counts(again) == counts(report)
    assert fingerprint(runner) == before
