"""``tracer owners``, ``tracer paths`` and ``tracer network`` in-process on the test database."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.cli.main import app
from tracer.queries.runner import QueryRunner

T, B = uscc(1), uscc(2)
P, Q = resident_id(1), resident_id(2)


@pytest.fixture()
def cli(runner: QueryRunner, neo4j_env: dict[str, str]) -> CliRunner:
    """P owns 60% of B, B owns 70% of T; Q is T's legal representative."""
    g = GraphBuilder()
    t, b = g.enterprise(T, "目标公司"), g.enterprise(B, "控股公司")
    p, q = g.person(P, "张三"), g.person(Q, "李四")
    g.owns(p, b, 0.6, date(2015, 1, 1))
    g.owns(b, t, 0.7, date(2015, 1, 1))
    g.holds(q, t, "LEGAL_REPRESENTATIVE", date(2016, 1, 1))
    g.write(runner)
    return CliRunner()


def test_owners_json_masks_ids(cli: CliRunner) -> None:
    result = cli.invoke(app, ["owners", T, "--json", "--as-of", "2024-01-01"])
    assert result.exit_code == 0, result.output
    assert P not in result.stdout
    document = json.loads(result.stdout)
    owners = {o["subject"]["name"]: o for o in document["owners"]}
    person = owners["张三"]
    assert person["subject"]["person"] == {
        "id_type": "RESIDENT_ID",
        "id_masked": P[:6] + "********" + P[-4:],
        "name": "张三",
    }
    assert person["share"] == pytest.approx(0.42) and person["direct_share"] == 0
    assert person["beneficial_owner"] is True and person["controller"] == "derived"
    assert [c["product"] for c in person["chains"]] == [pytest.approx(0.42)]
    assert owners["控股公司"]["controller"] is None and owners["控股公司"]["controls"] is True
    assert document["as_of"] == "2024-01-01"


def test_owners_human_output(cli: CliRunner) -> None:
    result = cli.invoke(app, ["owners", T, "--threshold", "0.5"])
    assert result.exit_code == 0, result.output
    assert "张三" in result.stdout and "42.00%" in result.stdout
    assert "derived" in result.stdout and P not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["owners", "91110105000000000X"], "USCC"),
        (["owners", uscc(77)], "no enterprise"),
        (["owners", T, "--max-depth", "99"], "max_depth"),
        (["owners", T, "--as-of", "2024-13-45"], "--as-of"),
        (["paths", T, "nonsense"], "TO"),
        (["paths", T, B, "--max-hops", "9"], "max_hops"),
        (["network", T, "--depth", "4"], "depth"),
    ],
)
def test_errors_are_one_line(cli: CliRunner, args: list[str], message: str) -> None:
    result = cli.invoke(app, args)
    assert result.exit_code != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_paths_with_bare_and_typed_person_ids(cli: CliRunner) -> None:
    bare = cli.invoke(app, ["paths", P, Q, "--json"])
    assert bare.exit_code == 0, bare.output
    document = json.loads(bare.stdout)
    assert [p["hops"] for p in document["paths"]] == [3]
    assert P not in bare.stdout and Q not in bare.stdout
    typed = cli.invoke(app, ["paths", f"resident_id:{P}", T, "--max-hops", "2"])
    assert typed.exit_code == 0, typed.output
    assert "2 hop(s)" in typed.stdout and "目标公司" in typed.stdout
    none = cli.invoke(app, ["paths", P, T, "--max-hops", "1"])
    assert none.exit_code == 0 and "No connection" in none.stdout


def test_network(cli: CliRunner) -> None:
    result = cli.invoke(app, ["network", T, "--depth", "2", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert len(document["nodes"]) == 4 and len(document["edges"]) == 3
    assert P not in result.stdout and Q not in result.stdout
    human = cli.invoke(app, ["network", T])
    assert human.exit_code == 0 and "3 nodes, 2 relationships" in human.stdout
    assert "李四" in human.stdout and Q not in human.stdout


def test_owners_shows_ranges_unknown_and_possibly(
    runner: QueryRunner, neo4j_env: dict[str, str]
) -> None:
    """A range prints as ``20–30 %``, an unknown share as ``unknown``, a decision that unknown
    or ranged shares leave open as ``possibly``; JSON carries the bounds and statuses."""
    g = GraphBuilder()
    t = g.enterprise(T, "目标公司")
    p, q = g.person(P, "张三"), g.person(Q, "李四")
    g.owns(p, t, share_min=0.2, share_max=0.3)
    g.owns(q, t)
    g.write(runner)
    cli = CliRunner()
    result = cli.invoke(app, ["owners", T], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if "(RESIDENT_ID" in line}
    assert "20–30 %" in lines["张三"] and "possibly (share)" in lines["张三"]
    assert "unknown (≤ 80 %)" in lines["李四"] and "possibly" in lines["李四"]
    document = json.loads(cli.invoke(app, ["owners", T, "--json"]).stdout)
    owners = {o["subject"]["name"]: o for o in document["owners"]}
    ranged, unknown = owners["张三"], owners["李四"]
    assert ranged["share"] is None and ranged["direct_share"] is None
    assert (ranged["share_min"], ranged["share_max"]) == (0.2, 0.3)
    assert ranged["beneficial_owner"] is False
    assert ranged["beneficial_owner_status"] == "possibly"
    assert unknown["share"] is None and unknown["unknown_direct"] == 1
    assert (unknown["share_min"], unknown["share_max"]) == (0.0, 0.8)
    assert unknown["control_status"] == "possibly" and ranged["control_status"] == "no"
