"""Initiation end to end through the API with real keys: a department drafts a finding with its
named persons and the notice; the draft is invisible to checks and work lists; a second person
of the same department approves it after the objection window; then it applies and is pushed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from fastapi.testclient import TestClient

from tests.fixtures.database import wipe
from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.domain.clock import Clock
from tracer.graph.driver import Target
from tracer.graph.settings import get_clock
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
ACME, COURTED = uscc(30000001), uscc(30000002)
REP, NAMED, COURT_REP = resident_id(31), resident_id(32), resident_id(33)
START = dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai
DRAFT: dict[str, Any] = {
    "finding_id": "F-DRAFT-1",
    "subject_uscc": ACME,
    "list_type": "SERIOUS_DISHONESTY",
    "category": "MARKET_ORDER",
    "authority": "MKT01",
    "basis": "国发〔2016〕33号",
    "act_date": "2026-01-10",
    "decided_on": "2026-05-04",
    "effective_until": "2029-05-03",
    "persons": [{"id_number": NAMED, "capacity": "DIRECTLY_RESPONSIBLE"}],
    "notice": {
        "notified_on": "2026-05-04",
        "reasons": "虚假宣传，情节严重",
        "basis": "国发〔2016〕33号 二(一)",
        "rights": "陈述、申辩及提出异议的权利",
    },
}


class Api:
    """The app with a movable server clock and keys: two holders of MKT01 (one with two keys),
    another department's implementer, a viewer and an admin."""

    def __init__(self, client: TestClient, settings: ApiSettings, moment: list[dt.datetime]):
        self.client, self.moment = client, moment
        store = KeyStore(settings.keys_path)
        self.keys = {
            "drafter": store.create(Role.IMPLEMENTER, "wang", "MKT01").key,
            "drafter-2nd-key": store.create(Role.IMPLEMENTER, "wang", "MKT01").key,
            "approver": store.create(Role.IMPLEMENTER, "li", "MKT01").key,
            "hr": store.create(Role.IMPLEMENTER, "zhao", "HR01").key,
            "viewer": store.create(Role.VIEWER, "viewer").key,
            "admin": store.create(Role.ADMIN, "admin").key,
        }

    def at(self, moment: dt.datetime) -> None:
        self.moment[0] = moment

    def post(self, who: str, url: str, body: Any = None) -> Any:
        return self.client.post(url, json=body, headers={"X-API-Key": self.keys[who]})

    def get(self, who: str, url: str, **params: Any) -> Any:
        return self.client.get(url, params=params, headers={"X-API-Key": self.keys[who]})

    def check(self, **body: Any) -> dict[str, Any]:
        response = self.post("admin", "/v1/checks", body)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def pushed(self, finding_id: str) -> list[str]:
        """Actions of the HR department's work list for one finding."""
        response = self.get("hr", "/v1/departments/HR01/worklist")
        assert response.status_code == 200, response.text
        return [
            entry["action"]
            for entry in response.json()["entries"]
            if entry["finding"]["finding_id"] == finding_id
        ]


def build(runner: QueryRunner) -> None:
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("MKT01", "市场监督管理局", kind="MARKET_SUPERVISION", region_code="110000")
    g.department("HR01", "人力资源和社会保障局", kind="HUMAN_RESOURCES", region_code="110000")
    for code, name in ((ACME, "顶点科技有限公司"), (COURTED, "被执行贸易有限公司")):
        g.enterprise(code, name, ownership="PRIVATE", region_code="110105")
    rep, court_rep = g.person(REP, "张三"), g.person(COURT_REP, "王五")
    g.person(NAMED, "李四")
    g.holds(rep, ACME, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(court_rep, COURTED, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.write(runner)


@pytest.fixture(scope="module")
def api(
    neo4j_driver: neo4j.Driver, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    wipe(neo4j_driver, neo4j_target.database)
    build(QueryRunner(neo4j_driver, neo4j_target.database))
    settings = ApiSettings(home=tmp_path_factory.mktemp("initiation"), audit_fsync=False)
    moment = [START]
    app = create_app(settings, neo4j_target)
    app.dependency_overrides[get_clock] = lambda: Clock(now=lambda: moment[0])
    with TestClient(app) as client:
        yield Api(client, settings, moment)


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _problem(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json().get("detail"))


def test_a_draft_is_checked_invisible_and_approved_by_another_person(api: Api) -> None:
    api.at(START)
    _problem(api.post("viewer", "/v1/findings", DRAFT), 403)
    _problem(api.post("hr", "/v1/findings", DRAFT), 403)  # not its department's finding
    mismatch = {**DRAFT, "list_type": "MAJOR_TAX_VIOLATION", "category": "HEALTH_SAFETY"}
    assert "CATEGORY_MISMATCH" in _problem(api.post("drafter", "/v1/findings", mismatch), 409)
    late = {**DRAFT, "act_date": "2026-06-01"}
    assert "DATE_ORDER" in _problem(api.post("drafter", "/v1/findings", late), 409)
    no_notice = {key: value for key, value in DRAFT.items() if key != "notice"}
    _problem(api.post("drafter", "/v1/findings", no_notice), 409)
    stranger = {**DRAFT, "persons": [{"id_number": resident_id(99), "capacity": "CO_LISTED"}]}
    _problem(api.post("drafter", "/v1/findings", stranger), 404)
    draft = _ok(api.post("drafter", "/v1/findings", DRAFT), 201)
    assert (draft["status"], draft["window_ends"], draft["drafted_by"][:4]) == (
        "DRAFT",
        "2026-05-14",
        "wang",
    )
    assert [p["capacity"] for p in draft["persons"]] == ["DIRECTLY_RESPONSIBLE"]
    _problem(api.post("drafter", "/v1/findings", DRAFT), 409)  # the id is taken
    # invisible: no check, no finding, no work list
    assert api.check(uscc=ACME)["liable"] is False
    assert api.check(id_number=NAMED)["liable"] is False
    _problem(api.get("viewer", "/v1/findings/F-DRAFT-1"), 404)
    assert api.pushed("F-DRAFT-1") == []
    url = "/v1/findings/F-DRAFT-1/approve"
    _problem(api.post("drafter", url), 403)  # the drafter
    _problem(api.post("drafter-2nd-key", url), 403)  # the same holder with another key
    _problem(api.post("hr", url), 403)  # another department
    _problem(api.post("viewer", url), 403)
    _problem(api.post("approver", url), 409)  # the objection window is still open
    api.at(START + dt.timedelta(days=10))
    _problem(api.post("approver", url), 409)  # its last day
    api.at(START + dt.timedelta(days=11))
    approved = _ok(api.post("approver", url))
    assert (approved["status"], approved["approved_by"][:2]) == ("APPROVED", "li")
    _problem(api.post("admin", url), 409)  # approved once
    _problem(api.post("approver", "/v1/findings/NOPE/approve"), 404)
    assert api.check(uscc=ACME)["restricted"] is True
    named = api.check(id_number=NAMED)
    assert named["liable"] and {item["via"] for item in named["liabilities"]} == {
        "DIRECTLY_RESPONSIBLE"
    }
    assert api.check(id_number=REP)["liable"] is True
    assert "APPLY" in api.pushed("F-DRAFT-1")
    finding = _ok(api.get("viewer", "/v1/findings/F-DRAFT-1"))
    assert finding["finding"]["status"] == "ACTIVE"


def test_a_court_list_needs_no_notice_and_an_admin_may_approve(api: Api) -> None:
    api.at(START + dt.timedelta(days=20))
    body = {
        "finding_id": "F-DRAFT-COURT",
        "subject_uscc": COURTED,
        "list_type": "JUDGMENT_DEFAULTER",
        "ground": "ABLE_BUT_REFUSING",
        "authority": "MKT01",
        "decided_on": "2026-05-20",
    }
    draft = _ok(api.post("admin", "/v1/findings", body), 201)
    assert (draft["notice"], draft["window_ends"]) == (None, None)
    assert api.check(uscc=COURTED)["liable"] is False
    _ok(api.post("approver", "/v1/findings/F-DRAFT-COURT/approve"))
    assert api.check(id_number=COURT_REP)["restricted"] is True
