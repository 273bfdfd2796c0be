"""Objections end to end through the API with real keys: filing (a viewer may not), suspension
of the finding or of one person's liabilities, the initiating department's deadlines and
overdue flags, decisions carried out by the lifecycle, and the refusals."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.fixtures.database import wipe
from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.cli.main import app
from tracer.domain.clock import Clock
from tracer.graph.driver import Target
from tracer.graph.settings import get_clock
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
ACME, BETA = uscc(20000001), uscc(20000002)
REP, CONTROLLER, BETA_REP = resident_id(21), resident_id(22), resident_id(23)
FINDING, SECOND = "F-OBJ-1", "F-OBJ-2"
START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai


class Api:
    """The app with a movable server clock and keys: admin, viewer, the initiating department's
    implementer (MKT01) and another department's (HR01)."""

    def __init__(self, client: TestClient, settings: ApiSettings, moment: list[dt.datetime]):
        self.client, self.moment = client, moment
        store = KeyStore(settings.keys_path)
        self.keys = {
            "admin": store.create(Role.ADMIN, "admin-obj").key,
            "viewer": store.create(Role.VIEWER, "viewer-obj").key,
            "mkt": store.create(Role.IMPLEMENTER, "mkt-obj", "MKT01").key,
            "hr": store.create(Role.IMPLEMENTER, "hr-obj", "HR01").key,
        }

    def at(self, moment: dt.datetime) -> None:
        self.moment[0] = moment

    def post(self, who: str, url: str, body: Any) -> Any:
        return self.client.post(url, json=body, headers={"X-API-Key": self.keys[who]})

    def get(self, who: str, url: str, **params: Any) -> Any:
        return self.client.get(url, params=params, headers={"X-API-Key": self.keys[who]})

    def liable(self, number: str, **body: Any) -> bool:
        response = self.post("admin", "/v1/checks", {"id_number": number, **body})
        assert response.status_code == 200, response.text
        return bool(response.json()["liable"])

    def restricted(self, code: str, **body: Any) -> bool:
        response = self.post("admin", "/v1/checks", {"uscc": code, **body})
        assert response.status_code == 200, response.text
        return bool(response.json()["restricted"])


def build(runner: QueryRunner) -> None:
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("MKT01", "市场监督管理局", kind="MARKET_SUPERVISION", region_code="110000")
    g.department("HR01", "人力资源和社会保障局", kind="HUMAN_RESOURCES", region_code="110000")
    for code, name in ((ACME, "顶点科技有限公司"), (BETA, "贝塔贸易有限公司")):
        g.enterprise(code, name, ownership="PRIVATE", region_code="110105")
    rep, controller = g.person(REP, "张三"), g.person(CONTROLLER, "赵六")
    beta_rep = g.person(BETA_REP, "钱七")
    g.holds(rep, ACME, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(controller, ACME, "ACTUAL_CONTROLLER", D(2010, 1, 1))
    g.holds(beta_rep, BETA, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    for finding_id, subject in ((FINDING, ACME), (SECOND, BETA)):
        g.finding(
            finding_id,
            subject,
            decided_on=D(2025, 1, 15),
            act_date=D(2024, 3, 1),
            effective_until=D(2030, 1, 15),
            category="MARKET_ORDER",
            authority="MKT01",
        )
    g.write(runner)


@pytest.fixture(scope="module")
def api(
    neo4j_driver: neo4j.Driver, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    wipe(neo4j_driver, neo4j_target.database)
    build(QueryRunner(neo4j_driver, neo4j_target.database))
    settings = ApiSettings(home=tmp_path_factory.mktemp("objections"), audit_fsync=False)
    moment = [START]
    app = create_app(settings, neo4j_target)
    app.dependency_overrides[get_clock] = lambda: Clock(now=lambda: moment[0])
    with TestClient(app) as client:
        yield Api(client, settings, moment)


def _ok(response: Any, status: int = 200) -> Any:
    """The JSON body of a response with the expected status (an object or a list)."""
    assert response.status_code == status, response.text
    return response.json()


def _problem(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_a_persons_objection_suspends_only_them_until_released(api: Api) -> None:
    api.at(START)
    body = {
        "finding_id": FINDING,
        "person": {"id_number": REP},
        "filed_on": "2026-03-01",
        "accepted_on": "2026-03-02",
        "reason": "我不是该公司的法定代表人",
    }
    _problem(api.post("viewer", "/v1/objections", body), 403)
    _problem(api.post("admin", "/v1/objections", {**body, "filed_on": "2026-3-1"}), 422)
    _problem(api.post("admin", "/v1/objections", {**body, "accepted_on": "2026-02-28"}), 409)
    _problem(api.post("admin", "/v1/objections", {**body, "filed_on": "2020-01-01"}), 409)
    _problem(api.post("admin", "/v1/objections", {**body, "finding_id": "NOPE"}), 404)
    filed = _ok(api.post("hr", "/v1/objections", body), 201)
    assert (filed["status"], filed["accepted_on"], filed["deadline"]) == (
        "OPEN",
        "2026-03-02",
        "2026-03-17",
    )
    assert filed["person"]["id_masked"] and "id_number" not in filed["person"]
    assert filed["filed_by"].startswith("hr-obj (key ")
    _problem(api.post("admin", "/v1/objections", body), 409)  # the same one is open
    assert not api.liable(REP)  # suspended from the acceptance
    assert api.liable(CONTROLLER)  # the finding goes on for the others
    assert api.restricted(ACME)
    assert api.liable(REP, as_of="2026-03-01")  # the day before: liable
    # Before the objection was recorded, the system answered "liable".
    assert api.liable(REP, known_on="2026-03-02T01:00:00Z")
    url = f"/v1/objections/{filed['objection_id']}/decision"
    decision = {"outcome": "RELEASED", "reason": "身份被冒用", "wrongful": True}
    _problem(api.post("hr", url, decision), 403)  # not the initiating department
    _problem(api.post("viewer", url, decision), 403)
    _problem(api.post("mkt", url, {**decision, "outcome": "REVOKED"}), 409)
    api.at(START + dt.timedelta(days=3))
    decided = _ok(api.post("mkt", url, decision))
    assert (decided["status"], decided["outcome"], decided["decided_on"]) == (
        "DECIDED",
        "RELEASED",
        "2026-03-05",
    )
    assert decided["decided_by"].startswith("mkt-obj (key ")
    _problem(api.post("mkt", url, decision), 409)  # deciding twice
    _problem(api.post("mkt", "/v1/objections/OBJ-AAAAAAAAAAAAAAAA/decision", decision), 404)
    assert not api.liable(REP, as_of="2025-06-01")  # wrongful: void from the start
    assert api.liable(CONTROLLER)


def test_an_objection_to_the_finding_suspends_it_until_upheld(api: Api) -> None:
    api.at(START + dt.timedelta(days=10))
    body = {"finding_id": SECOND, "filed_on": "2026-03-12", "reason": "罚款已缴纳"}
    filed = _ok(api.post("admin", "/v1/objections", body), 201)
    assert filed["person"] is None and filed["deadline"] == "2026-03-27"
    assert not api.liable(BETA_REP) and not api.restricted(BETA)
    history = _ok(api.get("viewer", f"/v1/findings/{SECOND}/transitions"))["items"]
    assert [(t["to_status"], t["effective_on"]) for t in history][-1] == (
        "UNDER_REVIEW",
        "2026-03-12",
    )
    # the initiating department's work: open, with its deadline; overdue once it has passed
    work = _ok(api.get("mkt", "/v1/objections", department="MKT01", status="OPEN"))
    assert [(item["objection_id"], item["overdue"]) for item in work] == [
        (filed["objection_id"], False)
    ]
    worklist = _ok(api.get("mkt", "/v1/departments/MKT01/worklist"))
    assert [item["objection_id"] for item in worklist["objections"]] == [filed["objection_id"]]
    api.at(START + dt.timedelta(days=26))
    work = _ok(api.get("admin", "/v1/objections", department="MKT01", status="OPEN"))
    assert [item["overdue"] for item in work] == [True]
    assert _ok(api.get("admin", "/v1/objections", department="HR01")) == []
    url = f"/v1/objections/{filed['objection_id']}/decision"
    _problem(api.post("mkt", url, {"outcome": "RELEASED", "reason": "x"}), 409)
    upheld = _ok(api.post("mkt", url, {"outcome": "UPHELD", "reason": "核实无误，维持"}))
    assert (upheld["outcome"], upheld["overdue"]) == ("UPHELD", False)
    assert api.liable(BETA_REP) and api.restricted(BETA)
    assert not api.liable(BETA_REP, as_of="2026-03-20")  # under review back then
    hr = _ok(api.get("hr", "/v1/departments/HR01/worklist"))
    applies = [
        entry
        for entry in hr["entries"]
        if entry["finding"]["finding_id"] == SECOND and entry["action"] == "APPLY"
    ]
    assert applies and {entry["since"] for entry in applies} == {"2026-03-28"}  # pushed again
    _problem(api.post("mkt", url, {"outcome": "UPHELD", "reason": "again"}), 409)


def test_revoked_objection_voids_the_finding(api: Api) -> None:
    api.at(START + dt.timedelta(days=30))
    body = {"finding_id": SECOND, "filed_on": "2026-04-01", "reason": "认定依据错误"}
    filed = _ok(api.post("mkt", "/v1/objections", body), 201)
    url = f"/v1/objections/{filed['objection_id']}/decision"
    revoked = _ok(api.post("admin", url, {"outcome": "REVOKED", "reason": "经核实有误"}))
    assert revoked["outcome"] == "REVOKED"
    assert not api.liable(BETA_REP, as_of="2025-06-01")  # void from the start
    assert api.liable(BETA_REP, as_of="2025-06-01", known_on="2026-03-31")
    _problem(api.post("admin", "/v1/objections", body), 409)  # nothing left to object to
    listed = _ok(api.get("viewer", "/v1/objections", finding_id=SECOND))
    assert [item["outcome"] for item in listed] == ["UPHELD", "REVOKED"]


def test_the_command_line_files_lists_and_decides(api: Api, neo4j_env: dict[str, str]) -> None:
    cli = CliRunner()

    def run(*args: str) -> Any:
        result = cli.invoke(app, [*args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    filed = run(
        "objection", "file", FINDING, "--filed-on", "2026-04-02", "--actor", "信用办",
        "--reason", "罚款已缴纳",
    )  # fmt: skip
    assert (filed["status"], filed["person"]) == ("OPEN", None)
    assert [o["objection_id"] for o in run("objection", "list", "--open")] == [
        filed["objection_id"]
    ]
    decided = run(
        "objection", "decide", filed["objection_id"], "--outcome", "UPHELD",
        "--actor", "市场监管局", "--reason", "维持",
    )  # fmt: skip
    assert decided["outcome"] == "UPHELD"
    twice = cli.invoke(
        app, ["objection", "decide", filed["objection_id"], "--outcome", "UPHELD",
              "--actor", "x", "--reason", "again"],
    )  # fmt: skip
    assert twice.exit_code != 0
