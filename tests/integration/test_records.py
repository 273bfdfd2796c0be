"""Credit commitments, interviews, the green channel and honour revocations end to end through
the API with real keys: roles (a viewer and another department's implementer refused), dates
(409), unknown subjects (404), flags, bad records of the green channel, a red-list conflict
resolved by a revocation, the enterprise profile and the audit log."""

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
from tracer.cli.main import app as cli_app
from tracer.domain.clock import Clock
from tracer.graph.driver import Target
from tracer.graph.settings import get_clock
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
SHOP, CLEAN, HONOURED = uscc(30000001), uscc(30000002), uscc(30000003)
OWNER = resident_id(301)
NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)


class Api:
    """The app at a fixed server clock with keys: admin, viewer, investigator, the market
    supervision implementer (MKT01) and another department's (HR01)."""

    def __init__(self, client: TestClient, settings: ApiSettings) -> None:
        self.client = client
        store = KeyStore(settings.keys_path)
        self.keys = {
            "admin": store.create(Role.ADMIN, "admin-rec").key,
            "viewer": store.create(Role.VIEWER, "viewer-rec").key,
            "investigator": store.create(Role.INVESTIGATOR, "inv-rec").key,
            "mkt": store.create(Role.IMPLEMENTER, "mkt-rec", "MKT01").key,
            "hr": store.create(Role.IMPLEMENTER, "hr-rec", "HR01").key,
        }

    def post(self, who: str, url: str, body: Any) -> Any:
        return self.client.post(url, json=body, headers={"X-API-Key": self.keys[who]})

    def get(self, who: str, url: str, **params: Any) -> Any:
        return self.client.get(url, params=params, headers={"X-API-Key": self.keys[who]})


@pytest.fixture(scope="module")
def api(
    neo4j_driver: neo4j.Driver, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    wipe(neo4j_driver, neo4j_target.database)
    runner = QueryRunner(neo4j_driver, neo4j_target.database)
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("MKT01", "市场监督管理局", kind="MARKET_SUPERVISION", region_code="110000")
    g.department("HR01", "人力资源和社会保障局", kind="HUMAN_RESOURCES", region_code="110000")
    for code, name in ((SHOP, "甲商店"), (CLEAN, "乙公司"), (HONOURED, "丙公司")):
        g.enterprise(code, name, region_code="110105", established_on=D(2010, 1, 1))
    g.person(OWNER, "张三")
    g.honour(HONOURED, "守合同重信用企业", D(2020, 1, 1), granted_by="MKT01")
    g.finding("F-HON", HONOURED, decided_on=D(2025, 1, 10), category="MARKET_ORDER")
    g.write(runner)
    settings = ApiSettings(home=tmp_path_factory.mktemp("records"), audit_fsync=False)
    app = create_app(settings, neo4j_target)
    app.dependency_overrides[get_clock] = lambda: Clock(now=lambda: NOW)
    with TestClient(app) as client:
        yield Api(client, settings)


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _problem(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


def _green(api: Api, subject: dict[str, str], **body: str) -> dict[str, Any]:
    return _ok(api.post("mkt", "/v1/signals/green-channel", {"subject": subject, **body}))


def test_commitments_roles_dates_flags_and_the_green_channel(api: Api) -> None:
    body = {
        "subject": {"uscc": SHOP},
        "department": "MKT01",
        "matter": "告知承诺：食品经营许可",
        "committed_on": "2025-03-01",
        "due_on": "2025-09-01",
    }
    _problem(api.post("viewer", "/v1/commitments", body), 403)
    _problem(api.post("investigator", "/v1/commitments", body), 403)
    _problem(api.post("hr", "/v1/commitments", body), 403)  # another department
    _problem(api.post("mkt", "/v1/commitments", {**body, "committed_on": "2026-06-02"}), 409)
    _problem(api.post("mkt", "/v1/commitments", {**body, "due_on": "2025-01-01"}), 409)
    _problem(api.post("mkt", "/v1/commitments", {**body, "subject": {"uscc": uscc(39)}}), 404)
    _problem(api.post("mkt", "/v1/commitments", {**body, "committed_on": "2025/03/01"}), 422)
    assert _green(api, {"uscc": SHOP})["eligible"]

    made = _ok(api.post("mkt", "/v1/commitments", body), 201)["commitment"]
    assert made["commitment_id"].startswith("CMT-") and made["flags"] == ["OVERDUE"]
    assert made["recorded_at"].startswith("2026-06-01T02:00")
    url = f"/v1/commitments/{made['commitment_id']}"
    _problem(api.post("hr", f"{url}/breach", {"on": "2025-10-01"}), 403)
    _problem(api.post("mkt", f"{url}/breach", {"on": "2025-02-01"}), 409)  # before it
    _problem(api.post("mkt", "/v1/commitments/CMT-NOPE/breach", {"on": "2025-10-01"}), 404)
    breached = _ok(api.post("mkt", f"{url}/breach", {"on": "2025-10-01"}))["commitment"]
    assert (breached["breached_on"], breached["flags"]) == ("2025-10-01", ["BREACHED"])
    _problem(api.post("mkt", f"{url}/fulfilment", {"on": "2025-10-02"}), 409)  # closed

    green = _green(api, {"uscc": SHOP})
    assert not green["eligible"]
    assert [(r["kind"], r["record_id"]) for r in green["credit_records"]] == [
        ("COMMITMENT_BREACHED", made["commitment_id"])
    ]
    assert green["reason"] == "a bad record applied until 2025-10-01, less than 3 years ago"
    # three years later it is clean again; before the breach it was not yet a bad record
    assert _green(api, {"uscc": SHOP}, as_of="2028-10-02")["eligible"]
    assert _green(api, {"uscc": SHOP}, as_of="2025-09-30")["credit_records"] == []

    profile = _ok(api.get("viewer", f"/v1/enterprises/{SHOP}"))
    assert [c["flags"] for c in profile["records"]["commitments"]] == [["BREACHED"]]


def test_interviews_for_persons_unrectified_warning_is_a_bad_record(api: Api) -> None:
    body = {
        "subject": {"id_number": OWNER},
        "department": "MKT01",
        "kind": "WARNING",
        "held_on": "2026-01-10",
        "rectify_by": "2026-02-10",
    }
    _problem(api.post("viewer", "/v1/interviews", body), 403)
    _problem(api.post("hr", "/v1/interviews", body), 403)
    _problem(api.post("mkt", "/v1/interviews", {**body, "rectify_by": "2026-01-01"}), 409)
    held = _ok(api.post("mkt", "/v1/interviews", body), 201)
    assert held["person"]["id_masked"] and "id_number" not in held["person"]
    interview = held["interview"]
    assert interview["flags"] == ["UNRECTIFIED"]
    prompt = _ok(api.post("mkt", "/v1/interviews", {**body, "kind": "PROMPT"}), 201)
    assert prompt["interview"]["flags"] == ["UNRECTIFIED"]

    green = _green(api, {"id_number": OWNER})
    assert not green["eligible"]
    assert [(r["record_id"], r["current"]) for r in green["credit_records"]] == [
        (interview["interview_id"], True)  # a PROMPT interview is no bad record
    ]
    assert interview["interview_id"] in green["reason"]

    url = f"/v1/interviews/{interview['interview_id']}/rectification"
    _problem(api.post("mkt", url, {"on": "2026-06-02"}), 409)  # in the future
    rectified = _ok(api.post("mkt", url, {"on": "2026-03-01"}))["interview"]
    assert (rectified["rectified_on"], rectified["flags"]) == ("2026-03-01", [])
    _problem(api.post("mkt", url, {"on": "2026-03-02"}), 409)
    green = _green(api, {"id_number": OWNER})
    assert not green["eligible"]  # unrectified past its deadline until 2026-03-01
    assert green["credit_records"][0]["ended"] == "2026-03-01"
    assert not green["credit_records"][0]["current"]


def test_green_channel_needs_a_known_subject_in_the_body(api: Api) -> None:
    _problem(api.post("viewer", "/v1/signals/green-channel", {"subject": {"uscc": CLEAN}}), 403)
    _problem(api.post("mkt", "/v1/signals/green-channel", {"subject": {"uscc": uscc(38)}}), 404)
    assert _green(api, {"uscc": CLEAN})["basis"] == "CLEAN_RECORD"


def test_revoking_an_honour_resolves_the_red_list_conflict(api: Api) -> None:
    conflicts = _ok(api.get("investigator", "/v1/signals/redlist-conflicts"))["items"]
    assert [item["enterprise"]["uscc"] for item in conflicts] == [HONOURED]
    honour_id = conflicts[0]["honour"]["honour_id"]
    body = {"honour_id": honour_id, "revoked_on": "2026-05-01", "reason": "red-list conflict"}
    _problem(api.post("viewer", "/v1/honours/revocations", body), 403)
    _problem(api.post("hr", "/v1/honours/revocations", body), 403)  # not its grant
    _problem(api.post("mkt", "/v1/honours/revocations", {**body, "revoked_on": "2026-07-01"}), 409)
    _problem(api.post("mkt", "/v1/honours/revocations", {**body, "honour_id": "nope"}), 404)
    revoked = _ok(api.post("mkt", "/v1/honours/revocations", body), 201)
    assert revoked["honour"]["revoked_on"] == "2026-05-01"
    assert revoked["honour"]["revoked_by"].startswith("mkt-rec")
    _problem(api.post("admin", "/v1/honours/revocations", body), 409)  # already revoked

    assert _ok(api.get("investigator", "/v1/signals/redlist-conflicts"))["items"] == []
    before = _ok(api.get("investigator", "/v1/signals/redlist-conflicts", as_of="2026-04-30"))
    assert [item["honour"]["honour_id"] for item in before["items"]] == [honour_id]
    profile = _ok(api.get("viewer", f"/v1/enterprises/{HONOURED}"))
    assert [(h["valid"], h["revoked_on"]) for h in profile["honours"]] == [(False, "2026-05-01")]


def test_command_line_records_commitments_and_lists_them(
    api: Api, neo4j_env: dict[str, str]
) -> None:
    def run(*args: str) -> Any:
        result = CliRunner().invoke(cli_app, [*args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    made = run(
        "commitment", "record", "--subject", CLEAN, "--department", "MKT01",
        "--matter", "告知承诺", "--committed-on", "2026-01-05", "--due-on", "2026-02-01",
        "--actor", "张科员",
    )  # fmt: skip
    commitment_id = made["commitment"]["commitment_id"]
    assert made["commitment"]["flags"] == ["OVERDUE"]  # by the real clock: long past due
    breached = run("commitment", "breach", commitment_id, "--on", "2026-03-01", "--actor", "张科员")
    assert breached["commitment"]["flags"] == ["BREACHED"]
    listed = run("records", CLEAN, "--as-of", "2026-02-15")
    assert [c["flags"] for c in listed["commitments"]] == [["OVERDUE"]]
    refused = CliRunner().invoke(
        cli_app, ["commitment", "fulfil", commitment_id, "--on", "2026-03-02", "--actor", "x"]
    )
    assert refused.exit_code != 0 and "already fulfilled or breached" in refused.output
