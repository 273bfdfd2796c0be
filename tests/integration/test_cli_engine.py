"""``tracer check, enterprise, finding, transition, release`` in-process on the test DB."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.cli.main import app
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

CO = uscc(51)
BOSS, NEWCOMER = resident_id(51), resident_id(52)


@pytest.fixture()
def cli(runner: QueryRunner, neo4j_env: dict[str, str]) -> CliRunner:
    """CO is a judgment defaulter (J1); BOSS was LR on the decision, NEWCOMER came later."""
    install_reference_data(runner)
    g = GraphBuilder()
    co = g.enterprise(CO, "甲公司")
    boss, newcomer = g.person(BOSS, "张三"), g.person(NEWCOMER, "李四")
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", date(2015, 1, 1), date(2021, 12, 31))
    g.holds(newcomer, co, "LEGAL_REPRESENTATIVE", date(2022, 1, 1))
    g.finding(
        "J1",
        co,
        decided_on=date(2021, 5, 1),
        act_date=date(2020, 1, 1),
        list_type="JUDGMENT_DEFAULTER",
    )
    g.write(runner)
    return CliRunner()


def test_check_json_matches_the_interface(cli: CliRunner) -> None:
    result = cli.invoke(
        app,
        ["check", "--id-type", "RESIDENT_ID", "--id", BOSS.lower(), "--as-of", "2022-06-01",
         "--measure", "flight_ban", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert BOSS not in result.stdout
    document = json.loads(result.stdout)
    assert document["subject"] == {
        "id_type": "RESIDENT_ID",
        "id_masked": BOSS[:6] + "********" + BOSS[-4:],
        "name": "张三",
    }
    assert document["as_of"] == "2022-06-01" and document["restricted"] is True
    r5 = next(item for item in document["liabilities"] if item["rule"] == "R5")
    assert r5["finding_id"] == "J1" and r5["via"] == "LEGAL_REPRESENTATIVE"
    assert r5["enterprise"] == {"uscc": CO, "name": "甲公司"}
    assert r5["effects"] == ["CONSUMPTION_RESTRICTION"] and "FLIGHT_BAN" in r5["measures"]
    assert r5["effective_until"] is None and r5["source"] and r5["path"]
    assert document["exposures"] == []


def test_check_newcomer_is_exposed_and_human_output(cli: CliRunner) -> None:
    result = cli.invoke(app, ["check", "--id", NEWCOMER, "--as-of", "2022-06-01", "--json"])
    document = json.loads(result.stdout)
    assert document["restricted"] is False and document["liabilities"] == []
    exposure = document["exposures"][0]
    assert (exposure["finding_id"], exposure["role"], exposure["since"], exposure["reason"]) == (
        "J1",
        "LEGAL_REPRESENTATIVE",
        "2022-01-01",
        "appointed after the act",
    )
    human = cli.invoke(app, ["check", "--id", BOSS, "--as-of", "2022-06-01"])
    assert human.exit_code == 0 and "RESTRICTED" in human.stdout and "R5" in human.stdout
    assert BOSS not in human.stdout


def test_enterprise_and_finding_commands(cli: CliRunner) -> None:
    result = cli.invoke(app, ["enterprise", CO, "--as-of", "2022-06-01", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [o["person"]["name"] for o in document["officers"]] == ["李四", "张三"]
    assert [p["person"]["name"] for p in document["liable"]] == ["张三"]
    assert BOSS not in result.stdout and NEWCOMER not in result.stdout
    human = cli.invoke(app, ["enterprise", CO, "--as-of", "2022-06-01"])
    assert human.exit_code == 0 and "甲公司" in human.stdout and "J1" in human.stdout

    finding = cli.invoke(app, ["finding", "J1", "--as-of", "2022-06-01", "--json"])
    assert finding.exit_code == 0, finding.output
    reach = json.loads(finding.stdout)
    assert reach["finding"]["applies"] is True and reach["transitions"] == []
    assert "李四" in cli.invoke(app, ["finding", "J1", "--as-of", "2022-06-01"]).stdout


def test_transition_and_release_commands(cli: CliRunner) -> None:
    moved = cli.invoke(
        app,
        ["transition", "J1", "--to", "UNDER_REVIEW", "--actor", "市信用办", "--reason", "异议",
         "--document", "YY-1", "--json"],
    )  # fmt: skip
    assert moved.exit_code == 0, moved.output
    assert json.loads(moved.stdout)["transition_id"] == "J1#1"
    check = cli.invoke(app, ["check", "--id", BOSS, "--as-of", "2022-06-01", "--json"])
    assert json.loads(check.stdout)["restricted"] is False
    illegal = cli.invoke(
        app, ["transition", "J1", "--to", "REPAIRED", "--actor", "a", "--reason", "r"]
    )
    assert illegal.exit_code != 0 and "cannot move from UNDER_REVIEW to REPAIRED" in illegal.stderr
    assert len(illegal.stderr.strip().splitlines()) == 1
    back = cli.invoke(
        app, ["transition", "J1", "--to", "ACTIVE", "--actor", "a", "--reason", "upheld"]
    )
    assert back.exit_code == 0 and "J1#2" in back.stdout

    released = cli.invoke(
        app,
        ["release", "J1", "--id", BOSS, "--actor", "法院", "--reason", "离职", "--json"],
    )
    assert released.exit_code == 0, released.output
    assert json.loads(released.stdout)["created"] is True and BOSS not in released.stdout
    again = cli.invoke(app, ["release", "J1", "--id", BOSS, "--actor", "法院", "--reason", "x"])
    assert again.exit_code == 0 and "already released" in again.stdout
    check = cli.invoke(app, ["check", "--id", BOSS, "--as-of", "2022-06-01", "--json"])
    assert json.loads(check.stdout)["restricted"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--id", "110105198001010010"], "check character"),
        (["check", "--id-type", "NOPE", "--id", "X1234567"], "unknown id_type"),
        (["check", "--id", BOSS, "--as-of", "2022-13-01"], "--as-of"),
        (["check", "--id", BOSS, "--measure", "NOPE"], "unknown measure"),
        (["enterprise", "91110105000000019X"], "USCC"),
        (["enterprise", uscc(59)], "no enterprise"),
        (["finding", "NOPE"], "no finding"),
        (["transition", "NOPE", "--to", "REVOKED", "--actor", "a", "--reason", "r"], "no finding"),
        (["release", "J1", "--id", resident_id(58), "--actor", "a", "--reason", "r"], "no person"),
    ],
)
def test_errors_are_one_line(cli: CliRunner, args: list[str], message: str) -> None:
    result = cli.invoke(app, args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_reads_of_people_are_audited_without_the_id(
    cli: CliRunner, neo4j_env: dict[str, str]
) -> None:
    check = ["check", "--id-type", "RESIDENT_ID", "--id", BOSS, "--json"]
    assert cli.invoke(app, check).exit_code == 0
    assert cli.invoke(app, ["enterprise", CO, "--json"]).exit_code == 0
    log = Path(neo4j_env["TRACER_API_HOME"]) / "audit.jsonl"
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["method"], e["endpoint"]) for e in entries] == [
        ("CLI", "tracer check"),
        ("CLI", "tracer enterprise"),
    ]
    assert entries[0]["subjects"][0].startswith("person:") and BOSS not in log.read_text()
    assert entries[1]["subjects"] == [f"enterprise:{CO}"]
    verified = cli.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
