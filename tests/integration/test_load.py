"""Loading against the real Neo4j: content, idempotence, history, formats, references,
interrupted-load recovery and reconciliation on a generated corrupt set."""

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

from tests.conftest import wipe
from tests.unit.test_validate import EXPECTED, rejects_by_line
from tracer.graph.driver import Target
from tracer.loaders.generate import generate_dataset
from tracer.loaders.load import load_directory
from tracer.queries.runner import QueryRunner

FIXTURES = Path(__file__).parents[1] / "fixtures" / "load"
TRACER = [sys.executable, "-m", "tracer.cli"]


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
    for name in ("transition_id", "uscc", "code", "finding_id", "honour_id", "rule_id"):
        if name in props:
            return f"{name}={props[name]}"
    return f"{props.get('id_type')}:{props.get('id_number')}"


def fingerprint(runner: QueryRunner, ignore: tuple[str, ...] = ("at",)) -> str:
    """A hash of every node and relationship with its properties (``ignore``d ones excluded:
    by default the instant of a Transition)."""
    nodes = runner.read(
        "MATCH (n) WHERE NOT n:TracerTestSession RETURN labels(n) AS labels, properties(n) AS p"
    )
    rels = runner.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS p, "
        "properties(a) AS a, properties(b) AS b"
    )
    lines = sorted(
        json.dumps(
            [row["labels"], {k: v for k, v in row["p"].items() if k not in ignore}], default=str
        )
        for row in nodes
    ) + sorted(
        json.dumps([row["type"], row["p"], _key(row["a"]), _key(row["b"])], default=str)
        for row in rels
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.fixture()
def clean(neo4j_driver: neo4j.Driver, neo4j_target: Target) -> Iterator[QueryRunner]:
    """A runner plus the ability to wipe again inside a test (via ``wipe_again``)."""
    wipe(neo4j_driver, neo4j_target.database)
    yield QueryRunner(neo4j_driver, neo4j_target.database)


def wipe_again(runner: QueryRunner) -> None:
    wipe(runner.driver, runner.database)


# -- content ----------------------------------------------------------------------------------
def test_basic_load_content(runner: QueryRunner, tmp_path: Path) -> None:
    report = load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    assert all(c.rejected == 0 and c.read == c.loaded for c in report.files.values())
    assert report.reference_data["list_types"] >= 5
    kinds = runner.read("MATCH (e:Enterprise) RETURN e.uscc AS uscc, e.kind AS kind ORDER BY uscc")
    assert {r["uscc"]: r["kind"] for r in kinds} == {
        "1211000040000123XG": "PUBLIC_INSTITUTION",
        "91110105MA01A2B325": "ENTERPRISE",
        "91110108MA02C4D594": "ENTERPRISE",
        "93500101MA03E6F751": "COOPERATIVE",
    }
    dates = runner.read("MATCH (e:Enterprise) RETURN e.established_on AS d ORDER BY d")
    assert [r["d"] for r in dates] == [
        dt.date(2001, 1, 1),
        dt.date(2012, 7, 15),
        dt.date(2015, 3, 2),
        dt.date(2018, 5, 6),
    ]
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
    transitions = runner.read(
        "MATCH (f:Finding)-[:HAS_TRANSITION]->(t:Transition) "
        "RETURN t.transition_id AS id, t.seq AS seq, t.from_status AS from_status, "
        "t.to_status AS to, t.actor AS actor ORDER BY id"
    )
    assert transitions == [
        {"id": "F-2023-001#1", "seq": 1, "from_status": None, "to": "ACTIVE",
         "actor": "loader:findings.csv"},
        {"id": "F-2023-002#1", "seq": 1, "from_status": None, "to": "ACTIVE",
         "actor": "loader:findings.csv"},
        {"id": "F-2024-003#1", "seq": 1, "from_status": None, "to": "UNDER_REVIEW",
         "actor": "loader:findings.csv"},
    ]  # fmt: skip
    against = runner.read(
        "MATCH (f:Finding)-[:AGAINST]->(s) RETURN f.finding_id AS f, labels(s)[0] AS s, "
        "f.category AS category ORDER BY f"
    )
    assert [(r["f"], r["s"], r["category"]) for r in against] == [
        ("F-2023-001", "Enterprise", "REFUSE_OBLIGATION"),  # category from the list type
        ("F-2023-002", "Enterprise", "MARKET_ORDER"),
        ("F-2024-003", "Person", "REFUSE_OBLIGATION"),
    ]
    decided = runner.read("MATCH (f:Finding)-[:DECIDED_BY]->(d) RETURN d.code AS d ORDER BY d")
    assert [r["d"] for r in decided] == ["BJ_AMR", "BJ_COURT"]
    assert stats(runner)["rels"] == 24


def test_reload_changes_nothing(runner: QueryRunner, tmp_path: Path) -> None:
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    before, print_before = stats(runner), fingerprint(runner)
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    assert stats(runner) == before
    assert fingerprint(runner) == print_before


def test_later_file_closes_a_position_and_changes_a_status(
    runner: QueryRunner, tmp_path: Path
) -> None:
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    report = load_directory(runner, FIXTURES / "update", rejects_path=tmp_path / "r2.csv")
    assert {s: (c.read, c.loaded) for s, c in report.files.items()} == {
        "positions": (2, 2),
        "findings": (1, 1),
    }
    held = runner.read(
        "MATCH (p:Person)-[h:HOLDS {role: 'LEGAL_REPRESENTATIVE'}]->"
        "(:Enterprise {uscc: '91110105MA01A2B325'}) "
        "RETURN p.name AS name, h.start_date AS start, h.end_date AS end ORDER BY start"
    )
    assert held == [
        {"name": "张三", "start": dt.date(2015, 3, 2), "end": dt.date(2024, 6, 30)},
        {"name": "王五", "start": dt.date(2024, 7, 1), "end": None},
    ]
    finding = runner.read_one(
        "MATCH (f:Finding {finding_id: 'F-2023-001'}) RETURN f.status AS status, f.basis AS basis"
    )
    assert finding == {"status": "REVOKED", "basis": "(2023)京01执123号"}  # absent never erases
    transitions = runner.read(
        "MATCH (:Finding {finding_id: 'F-2023-001'})-[:HAS_TRANSITION]->(t) "
        "RETURN t.seq AS seq, t.from_status AS from_status, t.to_status AS to ORDER BY seq"
    )
    assert transitions == [
        {"seq": 1, "from_status": None, "to": "ACTIVE"},
        {"seq": 2, "from_status": "ACTIVE", "to": "REVOKED"},
    ]
    # loading the old delivery again neither reopens the position nor appends a transition
    # that repeats history twice: it records the status the file states, once
    before = stats(runner)
    load_directory(runner, FIXTURES / "update", rejects_path=tmp_path / "r3.csv")
    assert stats(runner) == before


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
    }
    for counts in report.files.values():
        assert counts.read == counts.loaded + counts.rejected
    # nothing rejected reached the graph; the custom list type did
    # three rows loaded: two enterprises, one of them also as an identical repeat
    assert runner.read_one("MATCH (e:Enterprise) RETURN count(e) AS n") == {"n": 2}
    assert runner.read_one("MATCH (l:ListType {code: 'CUSTOM_LIST'}) RETURN l.name AS n") == {
        "n": "自定义名单"
    }
    assert runner.read_one("MATCH (r:Rule {rule_id: 'R9'}) RETURN count(r) AS n") == {"n": 0}


def test_references_resolve_from_the_graph(runner: QueryRunner, tmp_path: Path) -> None:
    load_directory(runner, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    only_positions = tmp_path / "later"
    only_positions.mkdir()
    shutil.copy(FIXTURES / "basic" / "positions.csv", only_positions / "positions.csv")
    report = load_directory(runner, only_positions, rejects_path=tmp_path / "r2.csv")
    assert report.files["positions"].rejected == 0


# -- formats and encodings ---------------------------------------------------------------------
def _convert(source: Path, target: Path, fmt: str) -> None:
    target.mkdir()
    for path in source.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame = frame.rename(columns=str.upper)  # column names are case-insensitive
        out = target / f"{path.stem}.{fmt}"
        if fmt == "csv":
            out.write_bytes(path.read_text(encoding="utf-8").upper().encode("gbk"))
        elif fmt == "xlsx":
            frame.to_excel(out, index=False)
        elif fmt == "parquet":
            frame.replace("", None).to_parquet(out)
        else:
            frame.to_json(out, orient="records", lines=True, force_ascii=False)


def test_every_format_loads_the_same_graph(clean: QueryRunner, tmp_path: Path) -> None:
    load_directory(clean, FIXTURES / "basic", rejects_path=tmp_path / "r.csv")
    actor = ("at", "actor")  # the actor names the file: "loader:findings.xlsx"
    expected = fingerprint(clean, actor)
    for fmt in ("xlsx", "parquet", "jsonl"):
        wipe_again(clean)
        directory = tmp_path / fmt
        _convert(FIXTURES / "basic", directory, fmt)
        report = load_directory(clean, directory, rejects_path=tmp_path / f"{fmt}.csv")
        assert sum(c.rejected for c in report.files.values()) == 0, fmt
        assert fingerprint(clean, actor) == expected, fmt


def test_gbk_csv_with_chinese_round_trips(clean: QueryRunner, tmp_path: Path) -> None:
    directory = tmp_path / "gbk"
    directory.mkdir()
    text = (FIXTURES / "basic" / "enterprises.csv").read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    (directory / "enterprises.csv").write_bytes((header.upper() + "\n" + body).encode("gbk"))
    shutil.copy(FIXTURES / "basic" / "departments.csv", directory / "departments.csv")
    report = load_directory(clean, directory, rejects_path=tmp_path / "r.csv")
    assert report.files["enterprises"].loaded == 4
    names = clean.read("MATCH (e:Enterprise) RETURN e.name AS name ORDER BY name")
    assert sorted(r["name"] for r in names) == sorted(
        ["北京甲科技有限公司", "北京乙建设有限公司", "北京丙研究院", "重庆丁农民专业合作社"]
    )


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
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["rejects_file"] == str(rejects)
    assert document["files"]["enterprises"] == {"read": 16, "loaded": 3, "rejected": 13}
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
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["graph_checked"] is False


# -- generated data: reconciliation and interrupted loads -------------------------------------
def test_reconciliation_on_a_generated_corrupt_set(runner: QueryRunner, tmp_path: Path) -> None:
    summary = generate_dataset(tmp_path / "data", 400, seed=7, corrupt_rate=0.03)
    rejects = tmp_path / "rejects.csv"
    report = load_directory(runner, tmp_path / "data", rejects_path=rejects)
    with rejects.open(encoding="utf-8", newline="") as handle:
        rejected_lines = {(row["file"], row["line"]) for row in csv.DictReader(handle)}
    for stem, counts in report.files.items():
        assert counts.read == counts.loaded + counts.rejected, stem
        assert counts.read == summary.rows[stem], stem
        injected = sum(summary.corruptions.get(stem, {}).values())
        assert counts.rejected >= injected, stem
        assert len({line for file, line in rejected_lines if file == f"{stem}.csv"}) == (
            counts.rejected
        )
    assert sum(c.rejected for c in report.files.values()) > 0


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
    resumed = stats(clean), fingerprint(clean)
    assert resumed[0] != partial  # the kill really happened mid-load
    wipe_again(clean)
    subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert (stats(clean), fingerprint(clean)) == resumed


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
    with Path(report["rejects_file"]).open(encoding="utf-8") as handle:
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
