"""``tracer check, enterprise, finding, transition, release, expire`` in-process on the test DB."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.cli.main import app
from tracer.queries.liability import APPOINTED_AFTER_LISTING, SUCCESSOR
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

CO, CO2 = uscc(51), uscc(52)
BOSS, NEWCOMER = resident_id(51), resident_id(52)
#: A finding id longer than the finding column of an 80-character table.
J1 = "J-2021-BJ01-ENFORCEMENT-000000000000001234"


@pytest.fixture()
def cli(runner: QueryRunner, neo4j_env: dict[str, str]) -> CliRunner:
    """CO is a judgment defaulter (J1, default period 2021-05-01 .. 2023-04-30); BOSS was LR on
    the decision, NEWCOMER came later; CO holds 60 % of CO2."""
    install_reference_data(runner)
    g = GraphBuilder()
    co, co2 = g.enterprise(CO, "甲公司"), g.enterprise(CO2, "乙公司")
    boss, newcomer = g.person(BOSS, "张三"), g.person(NEWCOMER, "李四")
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", date(2015, 1, 1), date(2021, 12, 31))
    g.holds(newcomer, co, "LEGAL_REPRESENTATIVE", date(2022, 1, 1))
    g.owns(co, co2, 0.6, date(2015, 1, 1))
    g.finding(
        J1,
        co,
        decided_on=date(2021, 5, 1),
        act_date=date(2020, 1, 1),
        list_type="JUDGMENT_DEFAULTER",
    )
    g.write(runner)
    return CliRunner()


def invoke_json(cli: CliRunner, *args: str) -> dict[str, Any]:
    result = cli.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def restricted(cli: CliRunner, person: str, as_of: str, *more: str) -> bool:
    document = invoke_json(cli, "check", "--id", person, "--as-of", as_of, *more)
    return bool(document["restricted"])


def column(output: str, index: int) -> str:
    """The text of one column of a table's body rows without spaces (folded cells rejoin); in
    the one-block-per-row layout of a narrow terminal, all the text without spaces."""
    if "│" not in output:
        return "".join(output.split())
    cells = [line.split("│")[index] for line in output.splitlines() if line.count("│") > index]
    return "".join(cells).replace(" ", "")


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
    assert document["as_of"] == "2022-06-01" and document["known_on"] is None
    assert document["restricted"] is True and document["liable"] is True
    r5 = next(item for item in document["liabilities"] if item["rule"] == "R5")
    assert r5["finding_id"] == J1 and r5["via"] == "LEGAL_REPRESENTATIVE"
    assert r5["enterprise"] == {"uscc": CO, "name": "甲公司"}
    assert r5["effects"] == ["CONSUMPTION_RESTRICTION"] and "FLIGHT_BAN" in r5["measures"]
    assert "EXIT_BAN" not in r5["measures"]  # R8: only when the court decided it
    flight = next(d for d in r5["measure_details"] if d["code"] == "FLIGHT_BAN")
    assert flight["mandatory"] is True and flight["restricting"] is True
    assert (r5["effective_until"], r5["period_basis"]) == ("2023-04-30", "DEFAULT")
    assert r5["source"] and r5["path"]
    # --measure marks the evidence for FLIGHT_BAN; the other liabilities are counted
    carrying = {item["rule"] for item in document["liabilities"] if item["carries_measure"]}
    assert carrying == {"R5"} and len(document["liabilities"]) >= 3
    assert document["liabilities_omitted"] == len(document["liabilities"]) - 1
    document = invoke_json(cli, "check", "--id", BOSS, "--as-of", "2022-06-01")
    r4 = next(item for item in document["liabilities"] if item["rule"] == "R4")
    assert r4["measures"] == ["CREDIT_RECORD_ENTRY"] and r4["restricting"] is False
    r2 = next(item for item in document["liabilities"] if item["rule"] == "R2")
    assert (r2["measures"], r2["eligible_measures"]) == ([], ["MARKET_BAN"])
    assert document["exposures"] == [] and document["related_risk"] == []


def test_check_newcomer_is_exposed_and_human_output(cli: CliRunner) -> None:
    document = invoke_json(cli, "check", "--id", NEWCOMER, "--as-of", "2022-06-01")
    assert document["restricted"] is False and document["liabilities"] == []
    [exposure] = document["exposures"]
    assert (exposure["finding_id"], exposure["role"], exposure["since"], exposure["kind"]) == (
        J1,
        "LEGAL_REPRESENTATIVE",
        "2022-01-01",
        "APPOINTED_AFTER_REFERENCE",
    )
    assert exposure["reason"] in (APPOINTED_AFTER_LISTING, SUCCESSOR)
    assert "R5" in exposure["rules"]
    human = cli.invoke(app, ["check", "--id", BOSS, "--as-of", "2022-06-01"])
    assert human.exit_code == 0 and "RESTRICTED" in human.stdout
    assert BOSS not in human.stdout
    assert J1 in column(human.stdout, 1)  # folded, never cut short
    assert "FLIGHT_BAN(must)" in column(human.stdout, 5)
    assert "MARKET_BAN(eligible:fortheauthoritytodecide)" in column(human.stdout, 5)


def test_check_enterprise_with_related_risk(cli: CliRunner) -> None:
    listed = invoke_json(cli, "check", "--uscc", CO, "--as-of", "2022-06-01")
    assert listed["subject"] == {"uscc": CO, "name": "甲公司"} and listed["restricted"] is True
    [entry] = listed["liabilities"]
    assert (entry["rule"], entry["via"], entry["finding_id"]) == ("LIST", "SUBJECT", J1)
    assert {"FLIGHT_BAN", "PUBLIC_BIDDING_BAN"} <= set(entry["measures"])
    owned = invoke_json(cli, "check", "--uscc", CO2, "--as-of", "2022-06-01")
    assert owned["restricted"] is False and owned["liabilities"] == []
    [risk] = owned["related_risk"]
    assert (risk["relation"], risk["finding_id"], risk["share"]) == ("SHAREHOLDER", J1, 0.6)
    assert risk["enterprise"] == {"uscc": CO, "name": "甲公司"}
    bidding = invoke_json(
        cli, "check", "--uscc", CO, "--as-of", "2022-06-01", "--measure", "MARKET_BAN"
    )
    assert bidding["restricted"] is False and bidding["measure"] == "MARKET_BAN"
    human = cli.invoke(app, ["check", "--uscc", CO2, "--as-of", "2022-06-01"])
    assert human.exit_code == 0 and "not restricted" in human.stdout
    assert "Related risk" in human.stdout and "60.00%" in human.stdout


def test_enterprise_and_finding_commands(cli: CliRunner) -> None:
    document = invoke_json(cli, "enterprise", CO, "--as-of", "2022-06-01")
    assert [o["person"]["name"] for o in document["officers"]] == ["李四", "张三"]
    assert [p["person"]["name"] for p in document["liable"]] == ["张三"]
    assert BOSS not in json.dumps(document) and NEWCOMER not in json.dumps(document)
    human = cli.invoke(app, ["enterprise", CO, "--as-of", "2022-06-01"])
    assert human.exit_code == 0 and "甲公司" in human.stdout and J1 in column(human.stdout, 1)

    reach = invoke_json(cli, "finding", J1, "--as-of", "2022-06-01")
    assert reach["finding"]["applies"] is True
    assert [(t["transition_id"], t["to_status"]) for t in reach["transitions"]] == [
        (f"{J1}#1", "ACTIVE")
    ]
    later = invoke_json(cli, "finding", J1, "--as-of", "2023-06-01")
    assert later["finding"]["applies"] is False
    assert "period ended on 2023-04-30" in later["finding"]["not_applying_reason"]
    assert "李四" in cli.invoke(app, ["finding", J1, "--as-of", "2022-06-01"]).stdout


def test_transition_takes_effect_on_its_date(cli: CliRunner) -> None:
    moved = invoke_json(
        cli, "transition", J1, "--to", "UNDER_REVIEW", "--effective-on", "2022-03-01",
        "--actor", "市信用办", "--reason", "异议", "--document", "YY-1",
    )  # fmt: skip
    assert (moved["transition_id"], moved["from_status"], moved["effective_on"]) == (
        f"{J1}#2",
        "ACTIVE",
        "2022-03-01",
    )
    assert moved["document"] == "YY-1" and moved["recorded_at"]
    assert restricted(cli, BOSS, "2022-02-28") is True  # before the objection: applied
    assert restricted(cli, BOSS, "2022-06-01") is False  # suspended while under review
    illegal = cli.invoke(
        app, ["transition", J1, "--to", "REPAIRED", "--actor", "a", "--reason", "r"]
    )
    assert illegal.exit_code != 0 and "cannot move from UNDER_REVIEW to REPAIRED" in illegal.stderr
    assert len(illegal.stderr.strip().splitlines()) == 1
    back = cli.invoke(
        app,
        ["transition", J1, "--to", "ACTIVE", "--effective-on", "2022-07-01", "--actor", "a",
         "--reason", "upheld"],
    )  # fmt: skip
    assert back.exit_code == 0 and f"{J1}#3" in back.stdout and "2022-07-01" in back.stdout
    assert restricted(cli, BOSS, "2022-06-01") is False and restricted(cli, BOSS, "2022-08-01")
    assert restricted(cli, BOSS, "2023-06-01") is False  # the two years ended on 2023-04-30
    extended = invoke_json(
        cli, "transition", J1, "--to", "ACTIVE", "--new-effective-until", "2024-04-30",
        "--effective-on", "2022-08-01", "--actor", "法院", "--reason", "延长一年",
    )  # fmt: skip
    assert extended["new_effective_until"] == "2024-04-30"
    assert restricted(cli, BOSS, "2023-06-01") is True
    history = cli.invoke(app, ["finding", J1, "--as-of", "2023-06-01"])
    assert history.exit_code == 0 and "2024-04-30" in history.stdout


def test_revocation_voids_the_past_but_not_what_was_known(cli: CliRunner) -> None:
    revoked = invoke_json(
        cli, "transition", J1, "--to", "REVOKED", "--effective-on", "2022-07-01",
        "--actor", "法院", "--reason", "经核实有误",
    )  # fmt: skip
    assert revoked["to_status"] == "REVOKED"
    assert restricted(cli, BOSS, "2022-06-01") is False  # void from the start, as now known
    before = invoke_json(
        cli, "check", "--id", BOSS, "--as-of", "2022-06-01", "--known-on", "2025-01-01"
    )
    assert before["restricted"] is True and str(before["known_on"]).startswith("2025-01-01")
    listed = invoke_json(
        cli, "check", "--uscc", CO, "--as-of", "2022-06-01", "--known-on", "2025-01-01"
    )
    assert listed["restricted"] is True
    assert invoke_json(cli, "check", "--uscc", CO, "--as-of", "2022-06-01")["restricted"] is False
    human = cli.invoke(
        app, ["check", "--id", BOSS, "--as-of", "2022-06-01", "--known-on", "2025-01-01"]
    )
    assert human.exit_code == 0 and "as known on 2025-01-01T23:59:59+08:00" in human.stdout


def test_release_commands(cli: CliRunner) -> None:
    released = invoke_json(
        cli, "release", J1, "--id", BOSS, "--effective-on", "2022-09-01", "--actor", "法院",
        "--reason", "FORMER_OFFICER",
    )  # fmt: skip
    assert (released["created"], released["wrongful"], released["effective_on"]) == (
        True,
        False,
        "2022-09-01",
    )
    assert BOSS not in json.dumps(released)
    again = cli.invoke(
        app,
        ["release", J1, "--id", BOSS, "--effective-on", "2022-09-01", "--actor", "法院",
         "--reason", "x"],
    )  # fmt: skip
    assert again.exit_code == 0 and "already released" in again.stdout
    assert restricted(cli, BOSS, "2022-08-01") is True  # prospective
    after = invoke_json(cli, "check", "--id", BOSS, "--as-of", "2022-10-01")
    assert after["liable"] is False
    wrongful = cli.invoke(
        app,
        ["release", J1, "--id", BOSS, "--wrongful", "--actor", "法院", "--reason", "身份被冒用"],
    )
    assert wrongful.exit_code == 0 and "from the start (wrongful)" in wrongful.stdout
    assert BOSS not in wrongful.stdout
    before = invoke_json(cli, "check", "--id", BOSS, "--as-of", "2022-06-01")
    assert before["liable"] is False and before["restricted"] is False


def test_expire_records_what_the_period_ended(cli: CliRunner) -> None:
    expired = cli.invoke(app, ["expire", "--json"])
    assert expired.exit_code == 0, expired.output
    [record] = json.loads(expired.stdout)
    assert (record["finding_id"], record["to_status"], record["effective_on"]) == (
        J1,
        "EXPIRED",
        "2023-05-01",
    )
    assert record["actor"] == "system:expire"
    again = cli.invoke(app, ["expire"])
    assert again.exit_code == 0 and "0 finding(s) recorded as EXPIRED" in again.stdout
    status = invoke_json(cli, "finding", J1, "--as-of", "2022-06-01")
    assert status["finding"]["status"] == "EXPIRED"
    assert status["finding"]["applies"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--id", "110105198001010010"], "check character"),
        (["check", "--id-type", "NOPE", "--id", "X1234567"], "unknown id_type"),
        (["check", "--id", BOSS, "--as-of", "2022-13-01"], "--as-of"),
        (["check", "--id", BOSS, "--known-on", "last week"], "--known-on"),
        (["check", "--id", BOSS, "--measure", "NOPE"], "unknown measure"),
        (["check", "--id", BOSS, "--uscc", CO], "either --id"),
        (["check", "--uscc", "91110105000000019X"], "USCC"),
        (["enterprise", "91110105000000019X"], "USCC"),
        (["enterprise", uscc(59)], "no enterprise"),
        (["finding", "NOPE"], "no finding"),
        (["transition", "NOPE", "--to", "REVOKED", "--actor", "a", "--reason", "r"], "no finding"),
        (
            [
                "transition",
                J1,
                "--to",
                "REVOKED",
                "--effective-on",
                "2999-01-01",
                "--actor",
                "a",
                "--reason",
                "r",
            ],
            "in the future",
        ),
        (["release", J1, "--id", resident_id(58), "--actor", "a", "--reason", "r"], "no person"),
        (
            [
                "release",
                J1,
                "--id",
                BOSS,
                "--effective-on",
                "2020-01-01",
                "--actor",
                "a",
                "--reason",
                "r",
            ],
            "before the decision",
        ),
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
    assert cli.invoke(app, ["check", "--uscc", CO, "--json"]).exit_code == 0
    log = Path(neo4j_env["TRACER_API_HOME"]) / "audit.jsonl"
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["method"], e["endpoint"]) for e in entries] == [
        ("CLI", "tracer check"),
        ("CLI", "tracer enterprise"),
        ("CLI", "tracer check"),
    ]
    assert entries[0]["subjects"][0].startswith("person:") and BOSS not in log.read_text()
    boss = entries[0]["subjects"][0]
    # the enterprise's profile discloses its officers, the former legal representative too
    assert entries[1]["subjects"][0] == entries[2]["subjects"][0] == f"enterprise:{CO}"
    assert boss in entries[1]["subjects"]
    verified = cli.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
