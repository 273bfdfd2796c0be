"""``tracer export``: FtM and BODS 0.4 output valid against the official schemas, ID numbers
masked and audited, liabilities as Sanctions; import(export(graph)) equals the graph for what
the formats carry, and penetrated shares survive the round trip (property test)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.fixtures.database import wipe
from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tests.unit.test_interchange_formats import bods_validator, ftm_problems
from tracer.cli.main import app
from tracer.loaders.interchange.export import ftm_entities, write_ftm
from tracer.loaders.load import load_directory
from tracer.queries.export import pages
from tracer.queries.ownership import Subject, owners
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
CO, HOLDCO, SUB, SIDE = uscc(301), uscc(302), uscc(303), uscc(304)
BOSS, OWNER, OTHER, NAMED = (resident_id(n) for n in (31, 32, 33, 34))
AS_OF = "2022-06-01"  # J-1 in force (default period to 2023-04-30)


def _graph(runner: QueryRunner) -> None:
    install_reference_data(runner)
    g = GraphBuilder()
    for code, name in ((CO, "甲公司"), (HOLDCO, "乙控股"), (SUB, "丙子公司"), (SIDE, "丁公司")):
        g.enterprise(code, name, established_on=D(2010, 1, 1))
    boss, owner = g.person(BOSS, "张三", nationality="CN"), g.person(OWNER, "李四")
    other = g.person(OTHER, "王五")
    named = g.person(NAMED, "赵六")  # no position, no shares: only named in the finding
    g.holds(boss, CO, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(owner, HOLDCO, "CHAIRMAN", D(2016, 1, 1), D(2022, 12, 31))
    g.holds(other, SUB, "SUPERVISOR", D(2017, 1, 1))
    g.owns(owner, HOLDCO, 0.8, D(2015, 1, 1))
    g.owns(HOLDCO, CO, 0.6, D(2015, 1, 1))
    g.owns(CO, SUB, 0.51, D(2016, 1, 1))
    g.owns(SUB, HOLDCO, 0.1, D(2016, 1, 1))  # a cycle
    g.owns(other, CO, None, D(2016, 1, 1))  # unknown
    g.owns(boss, SIDE, None, D(2018, 1, 1), share_min=0.25, share_max=0.5)  # a range
    g.finding(
        "J-1", CO, decided_on=D(2021, 5, 1), act_date=D(2020, 1, 1), list_type="JUDGMENT_DEFAULTER"
    )
    g.names("J-1", named)
    g.write(runner)


@pytest.fixture()
def cli(runner: QueryRunner, neo4j_env: dict[str, str]) -> CliRunner:
    _graph(runner)
    return CliRunner()


def _export(cli: CliRunner, out: Path, *args: str) -> dict[str, Any]:
    result = cli.invoke(app, ["export", *args, "--as-of", AS_OF, "--json", str(out)])
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def _state(runner: QueryRunner) -> dict[str, Any]:
    """What both formats carry: enterprises, persons, shareholdings, positions."""
    enterprises = runner.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS uscc, e.name AS name, "
        "toString(e.established_on) AS founded ORDER BY uscc"
    )
    persons = runner.read(
        "MATCH (p:Person) RETURN p.id_type AS t, p.id_number AS n, p.name AS name ORDER BY n"
    )
    owns = runner.read(
        "MATCH (h)-[o:OWNS]->(e:Enterprise) RETURN coalesce(h.uscc, h.id_number) AS holder, "
        "e.uscc AS investee, o.share AS share, o.share_min AS low, o.share_max AS high, "
        "toString(o.start_date) AS start, toString(o.end_date) AS end "
        "ORDER BY holder, investee, start"
    )
    holds = runner.read(
        "MATCH (p:Person)-[h:HOLDS]->(e:Enterprise) RETURN p.id_number AS person, e.uscc AS uscc, "
        "h.role AS role, toString(h.start_date) AS start, toString(h.end_date) AS end "
        "ORDER BY person, uscc, role"
    )
    for row in owns:
        for name in ("share", "low", "high"):
            if row[name] is not None:
                row[name] = round(row[name], 12)
    return {"enterprises": enterprises, "persons": persons, "owns": owns, "holds": holds}


def test_ftm_export_is_valid_masked_audited_with_sanctions(
    cli: CliRunner, neo4j_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "graph.ftm.jsonl"
    summary = _export(cli, out, "--format", "ftm")
    entities = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert summary["records"] == len(entities) and summary["enterprises"] == 4
    assert ftm_problems(entities) == []
    text = out.read_text(encoding="utf-8")
    assert BOSS not in text and OWNER not in text  # masked
    sanctions = [e for e in entities if e["schema"] == "Sanction"]
    programs = {p for e in sanctions for p in e["properties"]["program"]}
    assert "JUDGMENT_DEFAULTER R1" in programs  # the legal representative, by rule R1
    reasons = " ".join(r for e in sanctions for r in e["properties"]["reason"])
    assert "国发〔2016〕33号" in reasons or "限高" in reasons or "33" in reasons
    log = Path(neo4j_env["TRACER_API_HOME"]) / "audit.jsonl"
    entry = json.loads(log.read_text().splitlines()[-1])
    assert entry["endpoint"] == "tracer export"
    # the three persons with edges, and the person only named in the finding (written once)
    assert sum(s.startswith("person:") for s in entry["subjects"]) == 4
    assert [e["properties"]["name"] for e in entities if e["schema"] == "Person"].count(
        ["赵六"]
    ) == 1


def test_bods_export_of_a_network_is_valid(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "net.bods.json"
    summary = _export(cli, out, "--format", "bods", "--uscc", SUB, "--depth", "1")
    statements = json.loads(out.read_text(encoding="utf-8"))
    assert list(bods_validator().iter_errors(statements)) == []
    entities = {s["recordId"] for s in statements if s["recordType"] == "entity"}
    # one hop from SUB: CO owns it, it owns part of HOLDCO, OTHER is its supervisor
    assert entities == {f"cn-uscc-{CO}", f"cn-uscc-{SUB}", f"cn-uscc-{HOLDCO}"}
    persons = [s for s in statements if s["recordType"] == "person"]
    assert [p["recordDetails"]["names"][0]["fullName"] for p in persons] == ["王五"]
    relationships = [s for s in statements if s["recordType"] == "relationship"]
    assert len(relationships) == 5  # HOLDCO->CO, CO->SUB, SUB->HOLDCO; OTHER at SUB and in CO
    assert summary["enterprises"] == 3


@pytest.mark.parametrize("fmt", ["ftm", "bods"])
def test_round_trip_equals_the_graph(
    cli: CliRunner, runner: QueryRunner, tmp_path: Path, fmt: str
) -> None:
    before = _state(runner)
    directory = tmp_path / "in"
    directory.mkdir()
    name = "graph.ftm.jsonl" if fmt == "ftm" else "graph.bods.json"
    _export(cli, directory / name, "--format", fmt, "--reveal-ids")
    wipe(runner.driver, runner.database)
    report = load_directory(runner, directory, rejects_path=tmp_path / "rejects.csv")
    for stem, counts in report.files.items():
        assert counts.read == counts.loaded + counts.rejected, stem
    after = _state(runner)
    if fmt == "ftm":  # FtM has no share ranges: the range comes back as an unknown share
        for row in before["owns"]:
            row["low"] = row["high"] = None
    assert after == before
    assert runner.read("MATCH (f:Finding) RETURN f") == []  # liabilities come back as listings


# -- property: penetrated shares survive export -> import -----------------------------------
ENTERPRISES = [uscc(400 + i) for i in range(5)]
PEOPLE = [resident_id(40 + i) for i in range(3)]
edge = st.tuples(
    st.sampled_from(["E0", "E1", "E2", "E3", "E4", "P0", "P1", "P2"]),
    st.integers(0, 4),
    st.one_of(st.none(), st.integers(1, 100).map(lambda n: n / 100)),
)


def _clear(runner: QueryRunner) -> None:
    """Remove the subjects (the reference tables stay: a load then need not reinstall them)."""
    runner.write("MATCH (n) WHERE n:Enterprise OR n:Person DETACH DELETE n")


def _subject_key(subject: Subject) -> str:
    """An owner by its key (element ids change when the graph is loaded again)."""
    if subject.person is not None:
        return f"{subject.person.id_type}:{subject.person.id_number}"
    return str(subject.uscc or subject.code)


@settings(
    max_examples=int(os.environ.get("TRACER_PROPERTY_EXAMPLES", "5")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(edges=st.lists(edge, min_size=1, max_size=8, unique_by=lambda e: (e[0], e[1])))
def test_round_trip_keeps_penetrated_shares(
    runner: QueryRunner, tmp_path_factory: pytest.TempPathFactory, edges: list[Any]
) -> None:
    _clear(runner)
    g = GraphBuilder()
    for code in ENTERPRISES:
        g.enterprise(code)
    keys = [g.person(number, f"人{i}") for i, number in enumerate(PEOPLE)]
    for holder, target, share in edges:
        investee = ENTERPRISES[target]
        owner: Any = ENTERPRISES[int(holder[1])] if holder[0] == "E" else keys[int(holder[1])]
        if owner != investee:
            g.owns(owner, investee, share, D(2015, 1, 1))
    g.write(runner)
    day = D(2024, 1, 1)

    def shares() -> dict[str, list[tuple[str, float | None, float]]]:
        found = {}
        for code in ENTERPRISES:
            report = owners(runner, code, day)
            found[code] = sorted(
                (_subject_key(o.subject), o.share, o.share_known_part) for o in report.owners
            )
        return found

    before = shares()
    directory = tmp_path_factory.mktemp("rt")
    with (directory / "g.ftm.jsonl").open("w", encoding="utf-8") as handle:
        write_ftm(handle, ftm_entities(pages(runner), reveal=True))
    _clear(runner)
    load_directory(runner, directory, rejects_path=directory / "rejects.csv")
    after = shares()
    assert before.keys() == after.keys()
    for code, rows in before.items():
        assert len(rows) == len(after[code])
        for (a_id, a_share, a_known), (b_id, b_share, b_known) in zip(
            rows, after[code], strict=True
        ):
            assert a_id == b_id
            assert (a_share is None) == (b_share is None)
            if a_share is not None and b_share is not None:
                assert abs(a_share - b_share) <= 1e-9
            assert abs(a_known - b_known) <= 1e-9
