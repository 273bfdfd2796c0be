"""Readable output (issue 14): ``--measure`` filters the evidence, unknown measure codes list the
valid ones, reference tables, division names, overdue limited to findings that still apply."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.cli.main import app
from tracer.graph.driver import Target
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

CO = uscc(71, division="500103")
BOSS = resident_id(71)
J1 = "J-2021-CQ-ENFORCEMENT-000000000000000071"
AS_OF = "2022-06-01"
COURT = "CQ5COURT"


@pytest.fixture()
def cli(runner: QueryRunner, neo4j_env: dict[str, str]) -> CliRunner:
    """CO (registered in 重庆市渝中区) is a judgment defaulter (J1); BOSS was its LR."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department(COURT, "重庆市第五中级人民法院", kind="COURT", region_code="500103")
    co = g.enterprise(CO, "甲公司", region_code="500103")
    boss = g.person(BOSS, "张三")
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", date(2015, 1, 1))
    g.finding(
        J1, co, decided_on=date(2021, 5, 1), act_date=date(2020, 1, 1),
        list_type="JUDGMENT_DEFAULTER", authority=COURT,
    )  # fmt: skip
    g.write(runner)
    return CliRunner()


def invoke_json(cli: CliRunner, *args: str) -> Any:
    result = cli.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_measure_filters_the_evidence(cli: CliRunner) -> None:
    everything = invoke_json(cli, "check", "--id", BOSS, "--as-of", AS_OF)
    flights = invoke_json(cli, "check", "--id", BOSS, "--as-of", AS_OF, "--measure", "flight_ban")
    assert flights["restricted"] is True and flights["measure"] == "FLIGHT_BAN"
    # the JSON keeps one entry per (finding, rule) (INTERFACES §2) and marks the evidence
    carrying = [item for item in flights["liabilities"] if item["carries_measure"]]
    assert carrying and all("FLIGHT_BAN" in item["measures"] for item in carrying)
    rules = {item["rule"] for item in everything["liabilities"]}
    assert {item["rule"] for item in flights["liabilities"]} == rules
    assert {item["rule"] for item in carrying} == {"R5"} < rules
    assert all(item["carries_measure"] is None for item in everything["liabilities"])
    assert flights["liabilities_omitted"] == len(everything["liabilities"]) - 1
    assert everything["liabilities_omitted"] == 0
    human = cli.invoke(app, ["check", "--id", BOSS, "--as-of", AS_OF, "--measure", "FLIGHT_BAN"])
    assert human.exit_code == 0, human.output
    assert "Liabilities that carry FLIGHT_BAN" in human.stdout
    assert f"{flights['liabilities_omitted']} other liabilities (without FLIGHT_BAN)" in (
        " ".join(human.stdout.split())
    )


def test_unknown_measure_lists_the_valid_codes(cli: CliRunner) -> None:
    result = cli.invoke(app, ["check", "--id", BOSS, "--measure", "FLYING_BAN"])
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "unknown measure code 'FLYING_BAN'; valid:" in message
    assert "FLIGHT_BAN" in message and "HIGH_SPEED_RAIL_BAN" in message
    feedback = cli.invoke(
        app,
        ["feedback", COURT, J1, "--subject", CO, "--measure", "FLYING_BAN",
         "--outcome", "APPLIED", "--on", AS_OF, "--actor", "clerk"],
    )  # fmt: skip
    assert feedback.exit_code == 1 and "valid: " in feedback.output
    assert "FLIGHT_BAN" in feedback.output


def test_api_unknown_measure_is_a_404_with_the_codes(
    cli: CliRunner, neo4j_target: Target, tmp_path: Path
) -> None:
    settings = ApiSettings(home=tmp_path / "api", audit_fsync=False)
    key = KeyStore(settings.keys_path).create(Role.ADMIN, "admin-test", None).key
    with TestClient(create_app(settings, neo4j_target)) as client:
        body = {
            "id_type": "RESIDENT_ID",
            "id_number": BOSS,
            "as_of": AS_OF,
            "measure": "FLYING_BAN",
        }
        response = client.post("/v1/checks", json=body, headers={"X-API-Key": key})
        assert response.status_code == 404, response.text  # docs/DECISIONS.md: 404, not 422
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert "FLIGHT_BAN" in problem["valid_codes"] and "FLIGHT_BAN" in problem["detail"]
        body["measure"] = "FLIGHT_BAN"
        answer = client.post("/v1/checks", json=body, headers={"X-API-Key": key}).json()
        carrying = {item["rule"] for item in answer["liabilities"] if item["carries_measure"]}
        assert carrying == {"R5"}
        assert answer["liabilities_omitted"] >= 1


def flat(output: str) -> str:
    """The output with runs of whitespace as one space (table cells wrap between words)."""
    return " ".join(output.split())


def test_stats_name_divisions_and_departments(cli: CliRunner) -> None:
    document = invoke_json(cli, "stats", "--as-of", AS_OF)
    findings = document["findings"]
    assert findings["by_province"] == {"50": 1} and findings["by_authority"] == {COURT: 1}
    assert findings["labels"] == {
        "province": {"50": "重庆市 (50)"},
        "authority": {COURT: f"重庆市第五中级人民法院 ({COURT})"},
    }
    human = flat(cli.invoke(app, ["stats", "--as-of", AS_OF]).stdout)
    assert "重庆市 (50)" in human and f"重庆市第五中级人民法院 ({COURT})" in human


def test_reference_tables(cli: CliRunner) -> None:
    measures = invoke_json(cli, "reference", "measures", "--as-of", AS_OF)
    assert measures["table"] == "measures" and measures["as_of"] == AS_OF
    flight = next(row for row in measures["rows"] if row["code"] == "FLIGHT_BAN")
    assert flight["kind"] and flight["source"] and flight["authorised"] is True
    rules = invoke_json(cli, "reference", "rules", "--as-of", AS_OF)["rows"]
    r7 = next(row for row in rules if row["rule_id"] == "R7")
    assert "83号" in r7["source"] and r7["list_types"] == ["MARKET_SUPERVISION_SERIOUS"]
    kinds = invoke_json(cli, "reference", "list-types", "--as-of", AS_OF)["rows"]
    defaulter = next(row for row in kinds if row["code"] == "JUDGMENT_DEFAULTER")
    assert defaulter["category"] == "REFUSE_OBLIGATION"
    assert defaulter["person_reference"] == "DECIDED_ON"
    assert {p["ground"] or "" for p in defaulter["periods"]} == {"ABLE_BUT_REFUSING", ""}
    # a period that starts later is not yet in force on an earlier date
    early = invoke_json(cli, "reference", "list-types", "--as-of", "2016-01-01")["rows"]
    assert next(row for row in early if row["code"] == "JUDGMENT_DEFAULTER")["periods"] == []
    [court] = invoke_json(cli, "reference", "departments", "--as-of", AS_OF)["rows"]
    assert (court["code"], court["region_name"]) == (COURT, "重庆市渝中区")
    assert "FLIGHT_BAN" in court["measures"]
    human = cli.invoke(app, ["reference", "measures", "--as-of", AS_OF])
    assert human.exit_code == 0 and "HIGH_SPEED_RAIL_BAN" in human.stdout
    assert f"{len(measures['rows'])} measures in force on {AS_OF}" in human.stdout
    shown = flat(cli.invoke(app, ["reference", "departments"]).stdout)
    assert f"{COURT}" in shown and "重庆市渝中区 (500103)" in shown
    wrong = cli.invoke(app, ["reference", "laws"])
    assert wrong.exit_code == 1 and "valid: rules, measures, list-types, departments" in (
        flat(wrong.output)
    )


# -- paths, owners, overdue ------------------------------------------------------------------
OWNER, SMALL = resident_id(72), resident_id(73)
HOLDING, SUB, LATE, OLD, GONE = (uscc(n, division="500103") for n in (72, 73, 74, 75, 76))
TODAY = date(2026, 6, 30)
LOADED = datetime(2026, 6, 20, 2, 0, tzinfo=UTC)


@pytest.fixture()
def world(cli: CliRunner, runner: QueryRunner) -> CliRunner:
    """OWNER is both LEGAL_REPRESENTATIVE and CHAIRMAN of HOLDING and holds all of it; HOLDING
    holds 60 % of SUB, SMALL 10 %. COURT was pushed three judgment-defaulter findings: LATE
    (decided 2026-01-01), OLD (decided 2018 with no fixed term, loaded 2026-06-20) and GONE
    (decided 2004, expired in 2006)."""
    g = GraphBuilder()
    owner, small = g.person(OWNER, "王五"), g.person(SMALL, "赵六")
    holding, sub = g.enterprise(HOLDING, "控股公司"), g.enterprise(SUB, "子公司")
    for role in ("LEGAL_REPRESENTATIVE", "CHAIRMAN"):
        g.holds(owner, holding, role, date(2010, 1, 1))
    g.owns(owner, holding, 1.0, date(2010, 1, 1))
    g.owns(holding, sub, 0.6, date(2010, 1, 1))
    g.owns(small, sub, 0.1, date(2010, 1, 1))
    for code, decided, until, recorded, ground in (
        (LATE, date(2026, 1, 1), None, None, None),
        (OLD, date(2018, 3, 1), None, LOADED, "ABLE_BUT_REFUSING"),
        (GONE, date(2004, 3, 1), date(2006, 2, 28), None, None),
    ):
        g.enterprise(code, f"企业{code[-4:]}", region_code="500103")
        g.finding(
            f"J-{code[-4:]}", code, decided_on=decided, effective_until=until,
            list_type="JUDGMENT_DEFAULTER", authority=COURT, recorded_at=recorded, ground=ground,
        )  # fmt: skip
    g.write(runner)
    return cli


def test_paths_differing_only_in_a_role_are_merged(world: CliRunner) -> None:
    document = invoke_json(world, "paths", f"RESIDENT_ID:{OWNER}", SUB)
    # OWNER→HOLDING as LR, as chairman (one path) and as its shareholder (another)
    first = sorted(path["edges"][0]["type"] for path in document["paths"])
    assert first == ["HOLDS", "OWNS"]
    [held] = [path for path in document["paths"] if path["edges"][0]["type"] == "HOLDS"]
    assert held["hops"] == 2 and held["edges"][1]["type"] == "OWNS"
    assert held["edges"][0]["roles"] == ["CHAIRMAN", "LEGAL_REPRESENTATIVE"]
    human = world.invoke(app, ["paths", f"RESIDENT_ID:{OWNER}", SUB])
    assert "2 shortest connection(s)" in human.stdout
    assert "CHAIRMAN + LEGAL_REPRESENTATIVE" in flat(human.stdout)


def test_owners_threshold_omits_small_owners_that_do_not_control(world: CliRunner) -> None:
    every = invoke_json(world, "owners", SUB)
    assert len(every["owners"]) == 3 and every["omitted"] == 0
    cut = invoke_json(world, "owners", SUB, "--threshold", "0.25")
    names = {owner["subject"]["name"] for owner in cut["owners"]}
    assert names == {"控股公司", "王五"} and cut["omitted"] == 1
    assert "1 owner(s) below 25.00% that do not control: omitted" in cut["notes"]
    assert [c["subject"]["name"] for c in cut["controllers"]] == [
        c["subject"]["name"] for c in every["controllers"]
    ]
    strict = invoke_json(world, "owners", SUB, "--threshold", "0.9")
    assert {owner["subject"]["name"] for owner in strict["owners"]} == {"控股公司", "王五"}


def test_overdue_counts_only_findings_in_force_since_they_were_recorded(
    world: CliRunner,
) -> None:
    report = invoke_json(world, "overdue", "--days", "30", "--as-of", TODAY.isoformat())
    [court] = report["departments"]
    assert court["department"]["code"] == COURT
    items = {item["finding_id"]: item for item in court["overdue"]}
    assert set(items) == {f"J-{LATE[-4:]}"}  # OLD was loaded 10 days ago; GONE expired in 2006
    late = items[f"J-{LATE[-4:]}"]
    assert (late["since"], late["overdue_since"], late["days_waiting"]) == (
        "2026-01-01", "2026-01-31", 180,
    )  # fmt: skip
    later = invoke_json(world, "overdue", "--days", "30", "--as-of", "2026-07-31")
    waiting = {item["finding_id"]: item for item in later["departments"][0]["overdue"]}
    assert waiting[f"J-{OLD[-4:]}"]["since"] == "2026-06-20"
    assert waiting[f"J-{OLD[-4:]}"]["overdue_since"] == "2026-07-20"
    human = flat(world.invoke(app, ["overdue", "--as-of", TODAY.isoformat()]).stdout)
    assert "重庆市第五中级人民法院" in human and f"({COURT})" in human and "2026-01-31" in human
