"""Every endpoint against the real Neo4j: allowed and refused roles, masking, audit subjects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from fastapi.testclient import TestClient

from tests.conftest import wipe
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.domain.identifiers import org_code_check_char, resident_id_check_char, uscc_check_char
from tracer.graph.driver import Target
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

ROLES = tuple(Role)


def make_uscc(serial: int) -> str:
    """A valid USCC of an enterprise registered in Beijing."""
    org8 = f"{serial:08d}"
    first17 = "91110000" + org8 + org_code_check_char(org8)
    return first17 + uscc_check_char(first17)


def make_resident_id(serial: int, born: str = "19800101") -> str:
    """A valid 18-digit resident ID."""
    first17 = f"110105{born}{serial:03d}"
    return first17 + resident_id_check_char(first17)


ACME, HOLDING, OTHER = make_uscc(10000001), make_uscc(10000002), make_uscc(10000003)
LEGAL_REP, NEWCOMER, OWNER, STRANGER = (make_resident_id(n) for n in (11, 12, 13, 14))
FINDING = "F-2021-001"
PERSON = {"id_type": "RESIDENT_ID"}

# Test data written directly (the loaders have their own tests); values are parameters.
GRAPH = """
MERGE (mkt:Department {code: 'MKT01'}) SET mkt.name = '市场监管局', mkt.kind = 'MARKET_SUPERVISION'
MERGE (tax:Department {code: 'TAX01'}) SET tax.name = '税务局', tax.kind = 'TAX'
CREATE (acme:Enterprise {uscc: $acme, name: '顶点科技有限公司', kind: 'ENTERPRISE',
        ownership: 'PRIVATE', status: 'ACTIVE', region_code: '110000'})
CREATE (holding:Enterprise {uscc: $holding, name: '控股集团有限公司', kind: 'ENTERPRISE',
        ownership: 'PRIVATE', status: 'ACTIVE', region_code: '110000'})
CREATE (other:Enterprise {uscc: $other, name: '无关贸易有限公司', kind: 'ENTERPRISE',
        ownership: 'PRIVATE', status: 'ACTIVE', region_code: '110000'})
CREATE (rep:Person {id_type: 'RESIDENT_ID', id_number: $rep, name: '张三'})
CREATE (newcomer:Person {id_type: 'RESIDENT_ID', id_number: $newcomer, name: '李四'})
CREATE (owner:Person {id_type: 'RESIDENT_ID', id_number: $owner, name: '王五'})
CREATE (rep)-[:HOLDS {role: 'LEGAL_REPRESENTATIVE', start_date: date('2015-01-01'),
        end_date: date('2021-06-30')}]->(acme)
CREATE (newcomer)-[:HOLDS {role: 'LEGAL_REPRESENTATIVE', start_date: date('2021-07-01')}]->(acme)
CREATE (owner)-[:OWNS {share: 0.8, start_key: '2010-01-01',
        start_date: date('2010-01-01')}]->(holding)
CREATE (holding)-[:OWNS {share: 0.7, start_key: '2010-01-01',
        start_date: date('2010-01-01')}]->(acme)
CREATE (rep)-[:HOLDS {role: 'DIRECTOR', start_date: date('2012-01-01')}]->(other)
CREATE (f:Finding {finding_id: $finding, subject_kind: 'ENTERPRISE', subject_id: $acme,
        list_type: 'SERIOUS_DISHONESTY', category: 'MARKET_ORDER', authority: 'MKT01',
        basis: '国发〔2016〕33号', act_date: date('2020-03-01'), decided_on: date('2021-01-15'),
        effective_until: date('2030-01-15'), status: 'ACTIVE'})
CREATE (f)-[:AGAINST]->(acme)
CREATE (f)-[:DECIDED_BY]->(mkt)
"""


def build_graph(runner: QueryRunner) -> None:
    """Reference data plus a listed enterprise with a liable and an exposed officer, an owner."""
    install_reference_data(runner)
    runner.write(
        GRAPH,
        acme=ACME,
        holding=HOLDING,
        other=OTHER,
        rep=LEGAL_REP,
        newcomer=NEWCOMER,
        owner=OWNER,
        finding=FINDING,
    )


class Api:
    """A running app with one key per role (plus a second implementer department)."""

    def __init__(self, client: TestClient, settings: ApiSettings) -> None:
        self.client = client
        self.settings = settings
        store = KeyStore(settings.keys_path)
        self.keys = {
            role: store.create(
                role, f"{role.value}-test", "TAX01" if role is Role.IMPLEMENTER else None
            ).key
            for role in ROLES
        }
        self.other_department = store.create(Role.IMPLEMENTER, "court", "COURT01").key

    def headers(self, role: Role) -> dict[str, str]:
        return {"X-API-Key": self.keys[role]}

    def get(self, role: Role, url: str, **params: Any) -> Any:
        return self.client.get(url, params=params, headers=self.headers(role))

    def post(self, role: Role, url: str, body: Any) -> Any:
        return self.client.post(url, json=body, headers=self.headers(role))

    def audit(self) -> list[dict[str, Any]]:
        lines = self.settings.audit_path.read_text().splitlines()
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def api(
    neo4j_driver: neo4j.Driver, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    wipe(neo4j_driver, neo4j_target.database)
    build_graph(QueryRunner(neo4j_driver, neo4j_target.database))
    settings = ApiSettings(home=tmp_path_factory.mktemp("api"), audit_fsync=False)
    with TestClient(create_app(settings, neo4j_target)) as client:
        yield Api(client, settings)


def _allowed(api: Api, call: Any, allowed: set[Role]) -> dict[Role, Any]:
    """Call as every role; assert 403 exactly for the roles not allowed; the answers by role."""
    answers = {}
    for role in ROLES:
        response = call(role)
        if role in allowed:
            assert response.status_code == 200, (role, response.text)
            answers[role] = response.json()
        else:
            assert response.status_code == 403, (role, response.text)
            assert response.headers["content-type"] == "application/problem+json"
    return answers


def _numbers(document: Any) -> set[str]:
    """Every ``id_number`` anywhere in a document."""
    found: set[str] = set()
    if isinstance(document, dict):
        if document.get("id_number"):
            found.add(document["id_number"])
        for value in document.values():
            found |= _numbers(value)
    elif isinstance(document, list):
        for item in document:
            found |= _numbers(item)
    return found


def _assert_masking(answers: dict[Role, Any], expected: set[str]) -> None:
    for role, document in answers.items():
        text = json.dumps(document)
        if role in (Role.INVESTIGATOR, Role.ADMIN):
            assert _numbers(document) >= expected, role
        else:
            assert not _numbers(document), role
            assert not any(number in text for number in expected), role


# -- investigation ---------------------------------------------------------------------------


def test_paths_between_person_and_enterprise(api: Api) -> None:
    body = {"source": {**PERSON, "id_number": OWNER}, "target": {"uscc": ACME}, "max_hops": 4}
    answers = _allowed(
        api, lambda role: api.post(role, "/v1/paths", body), {Role.INVESTIGATOR, Role.ADMIN}
    )
    result = answers[Role.INVESTIGATOR]
    assert result["paths"][0]["hops"] == 2
    assert [node["key"] for node in result["paths"][0]["nodes"]][1:] == [HOLDING, ACME]
    assert _numbers(result) == {OWNER}
    entry = api.audit()[-1]
    assert entry["endpoint"] == "/v1/paths"
    assert entry["status"] == 200
    assert f"enterprise:{ACME}" in entry["subjects"]
    assert any(s.startswith("person:") for s in entry["subjects"])
    assert OWNER not in json.dumps(api.audit())


def test_person_network_and_enterprise_network(api: Api) -> None:
    body = {"center": {**PERSON, "id_number": LEGAL_REP}, "depth": 2, "limit": 50}
    answers = _allowed(
        api, lambda role: api.post(role, "/v1/network", body), {Role.INVESTIGATOR, Role.ADMIN}
    )
    keys = {node["key"] for node in answers[Role.ADMIN]["nodes"]}
    assert {ACME, OTHER} <= keys
    answers = _allowed(
        api,
        lambda role: api.get(role, f"/v1/enterprises/{ACME}/network", depth=1),
        {Role.INVESTIGATOR, Role.ADMIN},
    )
    kinds = {node["kind"] for node in answers[Role.INVESTIGATOR]["nodes"]}
    assert {"ENTERPRISE", "PERSON", "FINDING"} <= kinds
    assert _numbers(answers[Role.INVESTIGATOR]) >= {LEGAL_REP, NEWCOMER}


def test_network_depth_and_limit_are_capped(api: Api) -> None:
    assert api.get(Role.ADMIN, f"/v1/enterprises/{ACME}/network", depth=4).status_code == 422
    assert api.get(Role.ADMIN, f"/v1/enterprises/{ACME}/network", limit=100000).status_code == 422
    body = {"center": {"uscc": ACME}, "depth": 3, "limit": 2}
    result = api.post(Role.ADMIN, "/v1/network", body).json()
    assert len(result["nodes"]) == 2
    assert result["truncated"] is True


def test_owners_with_pagination(api: Api) -> None:
    answers = _allowed(
        api,
        lambda role: api.get(role, f"/v1/enterprises/{ACME}/owners", threshold=0.25),
        {Role.INVESTIGATOR, Role.ADMIN},
    )
    report = answers[Role.INVESTIGATOR]
    shares = {
        o["subject"]["uscc"] or o["subject"]["person"]["id_number"]: o["share"]
        for o in report["owners"]
    }
    assert shares[HOLDING] == pytest.approx(0.7)
    assert shares[OWNER] == pytest.approx(0.56)
    assert report["page"]["total"] == 2
    page = api.get(Role.ADMIN, f"/v1/enterprises/{ACME}/owners", limit=1).json()
    assert len(page["owners"]) == 1
    assert page["page"]["next_offset"] == 1
    assert api.get(Role.ADMIN, f"/v1/enterprises/{ACME}/owners", limit=501).status_code == 422


@pytest.mark.parametrize(
    ("url", "status", "reason"),
    [
        (f"/v1/enterprises/{ACME[:-1]}0/owners", 422, "USCC_CHECK"),
        ("/v1/enterprises/SHORT/owners", 422, "USCC_LENGTH"),
        (f"/v1/enterprises/{make_uscc(99999999)}/owners", 404, None),
    ],
)
def test_bad_or_unknown_uscc(api: Api, url: str, status: int, reason: str | None) -> None:
    response = api.get(Role.ADMIN, url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json().get("reason") == reason


def test_bad_date_is_a_validation_problem(api: Api) -> None:
    response = api.get(Role.ADMIN, f"/v1/enterprises/{ACME}/owners", as_of="2021-02-30")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "as_of"]


def test_unknown_person_in_paths_is_404_without_echo(api: Api) -> None:
    body = {"source": {**PERSON, "id_number": STRANGER}, "target": {"uscc": ACME}}
    response = api.post(Role.ADMIN, "/v1/paths", body)
    assert response.status_code == 404
    assert STRANGER not in response.text


# -- checks ----------------------------------------------------------------------------------


def test_single_check_liable_person_all_roles_with_masking(api: Api) -> None:
    body = {**PERSON, "id_number": LEGAL_REP, "as_of": "2026-01-01"}
    answers = _allowed(api, lambda role: api.post(role, "/v1/checks", body), set(ROLES))
    result = answers[Role.VIEWER]
    assert result["restricted"] is True
    assert result["subject"]["id_masked"] == LEGAL_REP[:6] + "********" + LEGAL_REP[-4:]
    rules = {item["rule"] for item in result["liabilities"]}
    assert {"R1", "R2"} <= rules
    assert all(item["finding_id"] == FINDING for item in result["liabilities"])
    _assert_masking(answers, {LEGAL_REP})


def test_check_shows_exposure_of_officer_appointed_after_the_act(api: Api) -> None:
    body = {**PERSON, "id_number": NEWCOMER.lower(), "as_of": "2026-01-01"}
    result = api.post(Role.IMPLEMENTER, "/v1/checks", body).json()
    assert result["restricted"] is False
    assert result["exposures"][0]["reason"] == "appointed after the act"


def test_check_with_measure_and_unknown_person(api: Api) -> None:
    body = {**PERSON, "id_number": LEGAL_REP, "as_of": "2026-01-01", "measure": "FLIGHT_BAN"}
    assert api.post(Role.VIEWER, "/v1/checks", body).json()["restricted"] is False
    body["measure"] = "MARKET_BAN"
    assert api.post(Role.VIEWER, "/v1/checks", body).json()["restricted"] is True
    unknown = api.post(Role.VIEWER, "/v1/checks", {**PERSON, "id_number": STRANGER}).json()
    assert (unknown["known"], unknown["restricted"]) == (False, False)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            {**PERSON, "id_number": LEGAL_REP[:-1] + ("0" if LEGAL_REP[-1] != "0" else "1")},
            "ID_CHECK",
        ),
        ({**PERSON, "id_number": "110105203001010011"}, "ID_BIRTH_DATE"),
        ({"id_type": "PASSPORT", "id_number": "E1"}, "ID_LENGTH"),
        ({**PERSON, "id_number": LEGAL_REP, "measure": "NO_SUCH_MEASURE"}, None),
    ],
)
def test_check_refuses_bad_input_with_422_and_no_echo(
    api: Api, body: dict[str, str], reason: str | None
) -> None:
    response = api.post(Role.VIEWER, "/v1/checks", body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json().get("reason") == reason
    assert body["id_number"] not in response.text or len(body["id_number"]) < 5


def test_batch_check_in_input_order_with_per_entry_errors(api: Api) -> None:
    people = [
        {**PERSON, "id_number": NEWCOMER},
        {**PERSON, "id_number": "110105198001010000"},
        {**PERSON, "id_number": LEGAL_REP},
    ]
    body = {"people": people, "as_of": "2026-01-01"}
    allowed = {Role.IMPLEMENTER, Role.INVESTIGATOR, Role.ADMIN}
    answers = _allowed(api, lambda role: api.post(role, "/v1/checks/batch", body), allowed)
    result = answers[Role.IMPLEMENTER]
    assert (result["checked"], result["invalid"], result["restricted"]) == (2, 1, 1)
    assert [item["index"] for item in result["results"]] == [0, 1, 2]
    assert result["results"][1]["error"]["reason"] == "ID_CHECK"
    assert result["results"][2]["check"]["restricted"] is True
    _assert_masking(answers, {LEGAL_REP, NEWCOMER})
    entry = api.audit()[-1]
    assert entry["endpoint"] == "/v1/checks/batch"
    assert len([s for s in entry["subjects"] if s.startswith("person:")]) == 2


def test_batch_size_is_capped(api: Api) -> None:
    from tracer.api.schemas import MAX_BATCH

    body = {"people": [{**PERSON, "id_number": NEWCOMER}] * (MAX_BATCH + 1)}
    response = api.post(Role.ADMIN, "/v1/checks/batch", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "too_long"
    assert api.post(Role.ADMIN, "/v1/checks/batch", {"people": []}).status_code == 422


# -- enterprises and findings ----------------------------------------------------------------


def test_enterprise_profile_all_roles_with_masking(api: Api) -> None:
    answers = _allowed(api, lambda role: api.get(role, f"/v1/enterprises/{ACME}"), set(ROLES))
    profile = answers[Role.VIEWER]
    assert profile["enterprise"] == {"uscc": ACME, "name": "顶点科技有限公司"}
    officers = {(o["person"]["name"], o["current"]) for o in profile["officers"]}
    assert officers == {("张三", False), ("李四", True)}
    _assert_masking(answers, {LEGAL_REP, NEWCOMER})


def test_enterprise_findings_paginated(api: Api) -> None:
    answers = _allowed(
        api, lambda role: api.get(role, f"/v1/enterprises/{ACME}/findings"), set(ROLES)
    )
    page = answers[Role.VIEWER]
    assert [item["finding_id"] for item in page["items"]] == [FINDING]
    assert (page["total"], page["next_offset"]) == (1, None)
    assert api.get(Role.VIEWER, f"/v1/enterprises/{ACME}/findings", offset=10001).status_code == 422
    assert api.get(Role.VIEWER, f"/v1/enterprises/{OTHER}/findings").json()["items"] == []


def test_finding_reach_all_roles(api: Api) -> None:
    answers = _allowed(
        api, lambda role: api.get(role, f"/v1/findings/{FINDING}", as_of="2026-01-01"), set(ROLES)
    )
    reach = answers[Role.ADMIN]
    assert reach["finding"]["applies"] is True
    assert [item["person"]["id_number"] for item in reach["liable"]] == [LEGAL_REP]
    assert NEWCOMER in {item["person"]["id_number"] for item in reach["exposures"]}
    _assert_masking(answers, {LEGAL_REP, NEWCOMER})
    assert api.get(Role.VIEWER, "/v1/findings/NO-SUCH").status_code == 404


# -- departments, feedback, statistics -------------------------------------------------------


def test_worklist_own_department_only_with_full_ids_for_its_implementer(api: Api) -> None:
    url = "/v1/departments/TAX01/worklist"
    answers = _allowed(
        api, lambda role: api.get(role, url, as_of="2026-01-01"), {Role.IMPLEMENTER, Role.ADMIN}
    )
    work = answers[Role.IMPLEMENTER]
    assert work["department"]["code"] == "TAX01"
    people = [entry for entry in work["entries"] if entry["person"]]
    assert [entry["person"]["id_number"] for entry in people] == [LEGAL_REP]
    assert "TAX_PREFERENCE_BAN" in people[0]["measures"]
    other = api.client.get(url, headers={"X-API-Key": api.other_department})
    assert other.status_code == 403
    assert api.get(Role.ADMIN, "/v1/departments/NOPE/worklist").status_code == 404
    assert api.get(Role.ADMIN, url, limit=501).status_code == 422


def test_feedback_for_own_department_then_conflicts(api: Api) -> None:
    body = {
        "department": "TAX01",
        "finding_id": FINDING,
        "subject": {**PERSON, "id_number": LEGAL_REP},
        "measure": "TAX_PREFERENCE_BAN",
        "outcome": "APPLIED",
        "on": "2025-12-01",
    }
    for role in (Role.VIEWER, Role.INVESTIGATOR):
        assert api.post(role, "/v1/feedback", body).status_code == 403
    other = api.client.post("/v1/feedback", json=body, headers={"X-API-Key": api.other_department})
    assert other.status_code == 403
    recorded = api.post(Role.IMPLEMENTER, "/v1/feedback", body)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["actor"].startswith("implementer-test")
    not_owned = api.post(Role.IMPLEMENTER, "/v1/feedback", {**body, "measure": "MARKET_BAN"})
    assert not_owned.status_code == 409
    no_reason = api.post(Role.IMPLEMENTER, "/v1/feedback", {**body, "outcome": "REFUSED"})
    assert no_reason.status_code == 422
    work = api.get(Role.IMPLEMENTER, "/v1/departments/TAX01/worklist", as_of="2026-01-01").json()
    person_entry = next(entry for entry in work["entries"] if entry["person"])
    assert [item["outcome"] for item in person_entry["feedback"]] == ["APPLIED"]


def test_overdue_feedback_admin_only(api: Api) -> None:
    answers = _allowed(
        api, lambda role: api.get(role, "/v1/feedback/overdue", as_of="2026-01-01"), {Role.ADMIN}
    )
    report = answers[Role.ADMIN]
    overdue = {d["department"]["code"]: d["overdue"] for d in report["departments"]}
    assert FINDING in {item["finding_id"] for item in overdue.get("MKT01", [])}
    assert FINDING not in {item["finding_id"] for item in overdue.get("TAX01", [])}


def test_stats_without_identifiers(api: Api) -> None:
    answers = _allowed(
        api,
        lambda role: api.get(role, "/v1/stats", as_of="2026-01-01"),
        {Role.INVESTIGATOR, Role.ADMIN},
    )
    stats = answers[Role.INVESTIGATOR]
    assert stats["findings"]["total"] == 1
    assert stats["liable"]["persons"] == 1
    assert LEGAL_REP not in json.dumps(stats)


def test_transitions_admin_only_legal_and_illegal(api: Api) -> None:
    url = f"/v1/findings/{FINDING}/transitions"
    objection = {"to_status": "UNDER_REVIEW", "reason": "objection filed", "document": "异议-1"}
    for role in (Role.VIEWER, Role.IMPLEMENTER, Role.INVESTIGATOR):
        assert api.post(role, url, objection).status_code == 403
    response = api.post(Role.ADMIN, url, objection)
    assert response.status_code == 201, response.text
    assert response.json()["actor"].startswith("admin-test (key ")
    check = {**PERSON, "id_number": LEGAL_REP, "as_of": "2026-01-01"}
    assert api.post(Role.VIEWER, "/v1/checks", check).json()["restricted"] is False
    illegal = api.post(Role.ADMIN, url, {"to_status": "REPAIRED", "reason": "x"})
    assert illegal.status_code == 409
    assert illegal.headers["content-type"] == "application/problem+json"
    upheld = api.post(Role.ADMIN, url, {"to_status": "ACTIVE", "reason": "objection rejected"})
    assert upheld.status_code == 201
    assert api.post(Role.VIEWER, "/v1/checks", check).json()["restricted"] is True
    history = api.get(Role.VIEWER, url).json()
    assert [t["to_status"] for t in history["items"]][-2:] == ["UNDER_REVIEW", "ACTIVE"]
    naive = api.post(
        Role.ADMIN, url, {"to_status": "UNDER_REVIEW", "reason": "x", "at": "2026-01-01T00:00:00"}
    )
    assert naive.status_code == 422


def test_release_admin_only_then_person_no_longer_restricted(api: Api) -> None:
    url = f"/v1/findings/{FINDING}/releases"
    body = {**PERSON, "id_number": LEGAL_REP, "reason": "court lifted the restriction"}
    for role in (Role.VIEWER, Role.IMPLEMENTER, Role.INVESTIGATOR):
        assert api.post(role, url, body).status_code == 403
    first = api.post(Role.ADMIN, url, body)
    assert first.status_code == 201, first.text
    assert first.json()["person"]["id_number"] == LEGAL_REP
    assert api.post(Role.ADMIN, url, body).status_code == 200
    check = {**PERSON, "id_number": LEGAL_REP, "as_of": "2026-01-01"}
    result = api.post(Role.VIEWER, "/v1/checks", check).json()
    assert result["restricted"] is False
    assert api.post(Role.ADMIN, url, {**body, "id_number": STRANGER}).status_code == 404
    assert api.post(Role.ADMIN, "/v1/findings/NOPE/releases", body).status_code == 404


def test_search_enterprises_by_name_and_uscc_prefix(api: Api) -> None:
    answers = _allowed(api, lambda r: api.get(r, "/v1/enterprises", q="科技"), set(ROLES))
    hits = answers[Role.VIEWER]["items"]
    assert [(hit["uscc"], hit["name"], hit["listed"]) for hit in hits] == [
        (ACME, "顶点科技有限公司", True)
    ]
    by_prefix = api.get(Role.VIEWER, "/v1/enterprises", q=OTHER[:17].lower()).json()["items"]
    assert [hit["uscc"] for hit in by_prefix] == [OTHER]
    everything = api.get(Role.VIEWER, "/v1/enterprises", q="有限公司", limit=2).json()
    assert len(everything["items"]) == 2 and everything["next_offset"] == 2
    last = api.get(Role.VIEWER, "/v1/enterprises", q="有限公司", limit=2, offset=2).json()
    assert len(last["items"]) == 1 and last["next_offset"] is None
    too_long = api.get(Role.VIEWER, "/v1/enterprises", q="x" * 51)
    assert too_long.status_code == 422
    assert too_long.headers["content-type"] == "application/problem+json"
