"""Every endpoint against the real Neo4j: allowed and refused roles, masking, audit subjects, and
the engine's answers as the API shows them (two time axes, memoranda measures, related risk)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from fastapi.testclient import TestClient

from tests.fixtures.database import wipe
from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.api.app import create_app
from tracer.api.audit import SubjectRefs
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target
from tracer.graph.settings import get_clock
from tracer.queries.liability import MAX_BATCH
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

ROLES = tuple(Role)
D = dt.date

ACME, HOLDING, OTHER, SUPPLIER, LAPSED = (uscc(n) for n in range(10000001, 10000006))
LEGAL_REP, NEWCOMER, OWNER, CONTROLLER, LAPSED_REP, DEFAULTER, STRANGER = (
    resident_id(n) for n in (11, 12, 13, 15, 16, 17, 14)
)
FINDING = "F-2021-001"  # against ACME: SERIOUS_DISHONESTY, act 2020-03-01, decided 2021-01-15
REVOKED = "F-2023-002"  # against LAPSED: revoked, recorded at REVOKED_AT
DEFAULT = "F-2022-003"  # against DEFAULTER (a person): JUDGMENT_DEFAULTER, no fixed term
REVOKED_AT = dt.datetime(2024, 6, 1, 2, 0, tzinfo=dt.UTC)
AS_OF = "2026-01-01"
PERSON: dict[str, Any] = {"id_type": "RESIDENT_ID"}


def build_graph(runner: QueryRunner) -> None:
    """Reference data plus: ACME listed, its former legal representative liable (R1–R4), the
    new one exposed, a declared controller liable through R4 only, a holding and its owner
    upstream, a supplier 60 % owned by ACME; LAPSED listed then revoked; a listed person who is
    the supplier's supervisor; an honour of the liable legal representative."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("MKT01", "市场监督管理局", kind="MARKET_SUPERVISION", region_code="110000")
    g.department("HR01", "人力资源和社会保障局", kind="HUMAN_RESOURCES", region_code="110000")
    g.department("HR31", "上海市人力资源和社会保障局", kind="HUMAN_RESOURCES", region_code="310000")
    for code, name in (
        (ACME, "顶点科技有限公司"),
        (HOLDING, "控股集团有限公司"),
        (OTHER, "无关贸易有限公司"),
        (SUPPLIER, "供应链管理有限公司"),
        (LAPSED, "撤销建设有限公司"),
    ):
        g.enterprise(code, name, ownership="PRIVATE", region_code="110105")
    rep, new, owner = (
        g.person(LEGAL_REP, "张三"),
        g.person(NEWCOMER, "李四"),
        g.person(OWNER, "王五"),
    )
    controller, lapsed_rep = g.person(CONTROLLER, "赵六"), g.person(LAPSED_REP, "钱七")
    defaulter = g.person(DEFAULTER, "孙八")
    g.holds(rep, ACME, "LEGAL_REPRESENTATIVE", D(2015, 1, 1), D(2021, 6, 30))
    g.holds(new, ACME, "LEGAL_REPRESENTATIVE", D(2021, 7, 1))
    g.holds(rep, OTHER, "DIRECTOR", D(2012, 1, 1))
    g.holds(controller, ACME, "ACTUAL_CONTROLLER", D(2010, 1, 1))
    g.holds(lapsed_rep, LAPSED, "LEGAL_REPRESENTATIVE", D(2018, 1, 1))
    g.holds(defaulter, SUPPLIER, "SUPERVISOR", D(2019, 1, 1))
    g.honour(rep, "劳动模范", D(2019, 5, 1), granted_by="市总工会")
    g.owns(owner, HOLDING, 0.8, D(2010, 1, 1))
    g.owns(HOLDING, ACME, 0.7, D(2010, 1, 1))
    g.owns(ACME, SUPPLIER, 0.6, D(2016, 1, 1))
    g.finding(
        FINDING,
        ACME,
        decided_on=D(2021, 1, 15),
        act_date=D(2020, 3, 1),
        effective_until=D(2030, 1, 15),
        category="MARKET_ORDER",
        authority="MKT01",
        basis="国发〔2016〕33号",
    )
    g.finding(
        REVOKED, LAPSED, decided_on=D(2023, 1, 10), category="MARKET_ORDER", authority="MKT01"
    )
    g.transition(REVOKED, "REVOKED", D(2024, 6, 1), REVOKED_AT)
    g.finding(
        DEFAULT,
        defaulter,
        decided_on=D(2022, 3, 1),
        list_type="JUDGMENT_DEFAULTER",
        ground="ABLE_BUT_REFUSING",
        authority="COURT01",
    )
    g.write(runner)


class Api:
    """A running app with one key per role (the implementer for HR01) and a second implementer
    bound to another department."""

    def __init__(self, client: TestClient, settings: ApiSettings) -> None:
        self.client = client
        self.settings = settings
        store = KeyStore(settings.keys_path)
        self.keys = {
            role: store.create(
                role, f"{role.value}-test", "HR01" if role is Role.IMPLEMENTER else None
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

    def check(self, role: Role = Role.ADMIN, **body: Any) -> dict[str, Any]:
        """``POST /v1/checks``; asserts 200; the answer."""
        response = self.post(role, "/v1/checks", body)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def worklist(self, code: str, role: Role = Role.ADMIN, **params: Any) -> dict[str, Any]:
        """A department's work list; asserts 200."""
        response = self.get(role, f"/v1/departments/{code}/worklist", **params)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def audit(self) -> list[dict[str, Any]]:
        lines = self.settings.audit_path.read_text().splitlines()
        return [json.loads(line) for line in lines]

    def person_ref(self, number: str) -> str:
        """How the audit log refers to a resident (keyed hash)."""
        return SubjectRefs(self.settings.secret_bytes()).person("RESIDENT_ID", number)


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


def _assert_masked(document: Any, numbers: set[str]) -> None:
    assert not _numbers(document)
    assert not any(number in json.dumps(document) for number in numbers)


def _assert_masking(answers: dict[Role, Any], expected: set[str]) -> None:
    """Investigators and admins see the full numbers; every other role none of them."""
    for role, document in answers.items():
        if role in (Role.INVESTIGATOR, Role.ADMIN):
            assert _numbers(document) >= expected, role
        else:
            _assert_masked(document, expected)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    return problem


def _by_rule(check: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["rule"]: item for item in check["liabilities"]}


def _details(liability: dict[str, Any]) -> dict[str, bool]:
    return {item["code"]: item["mandatory"] for item in liability["measure_details"]}


def _all_measures(check: dict[str, Any]) -> set[str]:
    return {code for item in check["liabilities"] for code in item["measures"]}


def _path_keys(path: list[dict[str, Any]]) -> list[str]:
    return [element["key"] for element in path if element["element"] == "node"]


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
    assert report["page"]["total"] == len(report["owners"]) >= 2
    page = api.get(Role.ADMIN, f"/v1/enterprises/{ACME}/owners", limit=1).json()
    assert len(page["owners"]) == 1
    assert page["page"]["next_offset"] == 1
    assert api.get(Role.ADMIN, f"/v1/enterprises/{ACME}/owners", limit=501).status_code == 422


@pytest.mark.parametrize(
    ("url", "status", "reason"),
    [
        (f"/v1/enterprises/{ACME[:-1]}{'0' if ACME[-1] != '0' else '1'}/owners", 422, "USCC_CHECK"),
        ("/v1/enterprises/SHORT/owners", 422, "USCC_LENGTH"),
        (f"/v1/enterprises/{uscc(99999999)}/owners", 404, None),
    ],
)
def test_bad_or_unknown_uscc(api: Api, url: str, status: int, reason: str | None) -> None:
    assert _problem(api.get(Role.ADMIN, url), status).get("reason") == reason


def test_bad_date_is_a_validation_problem(api: Api) -> None:
    response = api.get(Role.ADMIN, f"/v1/enterprises/{ACME}/owners", as_of="2021-02-30")
    assert _problem(response, 422)["errors"][0]["loc"] == ["query", "as_of"]


def test_unknown_person_in_paths_is_404_without_echo(api: Api) -> None:
    body = {"source": {**PERSON, "id_number": STRANGER}, "target": {"uscc": ACME}}
    response = api.post(Role.ADMIN, "/v1/paths", body)
    assert response.status_code == 404
    assert STRANGER not in response.text


# -- checks of persons -----------------------------------------------------------------------


def test_single_check_liable_person_all_roles_with_masking(api: Api) -> None:
    body = {**PERSON, "id_number": LEGAL_REP, "as_of": AS_OF}
    answers = _allowed(api, lambda role: api.post(role, "/v1/checks", body), set(ROLES))
    result = answers[Role.VIEWER]
    assert (result["liable"], result["restricted"]) == (True, True)
    assert result["subject"]["id_masked"] == LEGAL_REP[:6] + "********" + LEGAL_REP[-4:]
    rules = _by_rule(result)
    assert set(rules) == {"R1", "R2", "R3", "R4"}
    assert all(item["finding_id"] == FINDING for item in result["liabilities"])
    assert all(item["via"] == "LEGAL_REPRESENTATIVE" for item in result["liabilities"])
    _assert_masking(answers, {LEGAL_REP})


def test_person_measures_carry_mandatory_and_eligible_apart(api: Api) -> None:
    rules = _by_rule(api.check(**PERSON, id_number=LEGAL_REP, as_of=AS_OF))
    assert rules["R4"]["measures"] == ["CREDIT_RECORD_ENTRY"]  # recorded, nothing more by R4
    assert rules["R4"]["effects"] == ["CREDIT_RECORD"]
    assert _details(rules["R1"]) == {"CREDIT_RECORD_ENTRY": True}
    assert _details(rules["R3"]) == {"HONOURS_REVOKED": False}
    assert rules["R3"]["restricting"] is True and rules["R4"]["restricting"] is False
    # R2 without a person-level basis in the memoranda: eligible, for the authority to decide.
    assert (rules["R2"]["measures"], rules["R2"]["eligible_measures"]) == ([], ["MARKET_BAN"])
    assert rules["R3"]["effective_until"] == "2030-01-15"


def test_credit_record_entry_alone_is_liable_not_restricted(api: Api) -> None:
    result = api.check(**PERSON, id_number=CONTROLLER, as_of=AS_OF)
    assert (result["liable"], result["restricted"]) == (True, False)
    assert [(item["rule"], item["via"]) for item in result["liabilities"]] == [
        ("R4", "ACTUAL_CONTROLLER")
    ]
    assert _all_measures(result) == {"CREDIT_RECORD_ENTRY"}


def test_exit_ban_is_never_given_by_role(api: Api) -> None:
    for number in (LEGAL_REP, CONTROLLER, NEWCOMER):
        result = api.check(**PERSON, id_number=number, as_of=AS_OF, measure="EXIT_BAN")
        assert result["restricted"] is False
        assert "EXIT_BAN" not in _all_measures(result)


def test_check_shows_exposure_of_officer_appointed_after_the_act(api: Api) -> None:
    result = api.check(Role.IMPLEMENTER, **PERSON, id_number=NEWCOMER.lower(), as_of=AS_OF)
    assert (result["liable"], result["restricted"], result["liabilities"]) == (False, False, [])
    exposure = result["exposures"][0]
    assert exposure["kind"] == "APPOINTED_AFTER_REFERENCE"
    assert exposure["reason"] == "appointed after the act"
    assert (exposure["finding_id"], exposure["since"]) == (FINDING, "2021-07-01")


def test_check_with_measure_and_unknown_person(api: Api) -> None:
    def restricted(measure: str) -> bool:
        answer = api.check(Role.VIEWER, **PERSON, id_number=LEGAL_REP, as_of=AS_OF, measure=measure)
        assert answer["measure"] == measure
        return bool(answer["restricted"])

    assert restricted("HONOURS_REVOKED") is True
    assert restricted("MARKET_BAN") is False  # eligible only
    assert restricted("FLIGHT_BAN") is False
    unknown = api.check(Role.VIEWER, **PERSON, id_number=STRANGER)
    assert (unknown["known"], unknown["liable"], unknown["restricted"]) == (False, False, False)


def test_listed_person_gets_the_memoranda_measures_until_performance(api: Api) -> None:
    result = api.check(**PERSON, id_number=DEFAULTER, as_of=AS_OF, measure="FLIGHT_BAN")
    assert (result["liable"], result["restricted"]) == (True, True)
    rules = _by_rule(result)
    assert {item["via"] for item in result["liabilities"]} == {"SUBJECT"}
    assert _details(rules["LIST"])["FLIGHT_BAN"] is True  # the memoranda: mandatory
    assert rules["R5"]["effects"] == ["CONSUMPTION_RESTRICTION"]
    assert "EXIT_BAN" not in _all_measures(result)  # the court did not restrict exit
    for item in result["liabilities"]:  # ABLE_BUT_REFUSING: no fixed term
        assert (item["effective_until"], item["period_basis"]) == (None, "OPEN")
        assert item["period_note"].startswith("until performance")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            {**PERSON, "id_number": LEGAL_REP[:-1] + ("0" if LEGAL_REP[-1] != "0" else "1")},
            "ID_CHECK",
        ),
        ({**PERSON, "id_number": "110105203001010011"}, "ID_BIRTH_DATE"),
        ({"id_type": "PASSPORT", "id_number": "E1"}, "ID_LENGTH"),
        ({"uscc": ACME[:-1] + ("0" if ACME[-1] != "0" else "1")}, "USCC_CHECK"),
        ({"uscc": ACME, **PERSON, "id_number": LEGAL_REP}, None),
        ({}, None),
    ],
)
def test_check_refuses_bad_input_with_422_and_no_echo(
    api: Api, body: dict[str, str], reason: str | None
) -> None:
    response = api.post(Role.VIEWER, "/v1/checks", body)
    assert _problem(response, 422).get("reason") == reason
    if "id_number" in body:
        assert body["id_number"] not in response.text or len(body["id_number"]) < 5


@pytest.mark.parametrize(
    "body",
    [
        {"uscc": ACME, "id_type": "RESIDENT_ID"},  # an enterprise is given by its USCC alone
        {"uscc": f" {ACME}"},  # the published pattern has no spaces around
        {"id_type": "PASSPORT", "id_number": "Ｅ12345678"},  # nor other scripts' letters
        {"uscc": ACME, "as_of": 0},  # a date is YYYY-MM-DD, not a Unix time
        {"uscc": ACME, "as_of": "2026-01-01T00:00:00"},
        {"uscc": ACME, "known_on": "2024-06-01 10:00"},  # an instant has its T
        {"uscc": ACME, "known_on": "0001-06-01"},  # years 0002-9998
    ],
)
def test_check_refuses_what_its_schema_refuses(api: Api, body: dict[str, Any]) -> None:
    _problem(api.post(Role.VIEWER, "/v1/checks", body), 422)


def test_unknown_measure_is_404_like_in_feedback(api: Api) -> None:
    """A code the installed catalogue lacks names nothing (the catalogue is data an
    installation may extend, so the schema cannot list the codes)."""
    body = {**PERSON, "id_number": LEGAL_REP, "measure": "no_such_measure"}
    assert (
        "no_such_measure"
        not in _problem(api.post(Role.VIEWER, "/v1/checks", body), 404)["detail"].lower()
    )
    batch = {"subjects": [{"uscc": ACME}], "measure": "NO_SUCH_MEASURE"}
    _problem(api.post(Role.ADMIN, "/v1/checks/batch", batch), 404)
    known = api.check(**PERSON, id_number=LEGAL_REP, measure="honours_revoked")
    assert known["measure"] == "HONOURS_REVOKED"


# -- checks of enterprises -------------------------------------------------------------------


def test_listed_enterprise_may_not_bid(api: Api) -> None:
    answers = _allowed(
        api,
        lambda role: api.post(
            role, "/v1/checks", {"uscc": ACME, "as_of": AS_OF, "measure": "PUBLIC_BIDDING_BAN"}
        ),
        set(ROLES),
    )
    result = answers[Role.VIEWER]
    assert result["subject"] == {"uscc": ACME, "name": "顶点科技有限公司"}
    assert (result["known"], result["liable"], result["restricted"]) == (True, True, True)
    (listing,) = result["liabilities"]
    assert (listing["rule"], listing["via"], listing["finding_id"]) == ("LIST", "SUBJECT", FINDING)
    details = _details(listing)
    assert details["PUBLIC_BIDDING_BAN"] is False  # 推荐性: the department may apply it
    assert details["PUBLIC_DISCLOSURE"] is True  # 强制性
    assert listing["measures"] == [item["code"] for item in listing["measure_details"]]
    assert "EXIT_BAN" not in listing["measures"]
    assert _path_keys(listing["path"]) == [ACME, FINDING]
    assert result["related_risk"] == []


def test_clean_enterprise_with_a_listed_shareholder_has_related_risk_only(api: Api) -> None:
    answers = _allowed(
        api,
        lambda role: api.post(
            role, "/v1/checks", {"uscc": SUPPLIER, "as_of": AS_OF, "measure": "PUBLIC_BIDDING_BAN"}
        ),
        set(ROLES),
    )
    result = answers[Role.INVESTIGATOR]
    assert (result["liable"], result["restricted"], result["liabilities"]) == (False, False, [])
    risks = {(risk["relation"], risk["finding_id"]): risk for risk in result["related_risk"]}
    shareholder = risks[("SHAREHOLDER", FINDING)]
    assert shareholder["enterprise"]["uscc"] == ACME
    assert shareholder["share"] == pytest.approx(0.6)
    assert _path_keys(shareholder["path"]) == [FINDING, ACME, SUPPLIER]
    officer = risks[("OFFICER", DEFAULT)]
    assert (officer["role"], officer["person"]["id_number"]) == ("SUPERVISOR", DEFAULTER)
    _assert_masking(answers, {DEFAULTER})
    subjects = api.audit()[-1]["subjects"]
    assert f"enterprise:{SUPPLIER}" in subjects
    assert any(s.startswith("person:") for s in subjects)  # the disclosed supervisor


def test_parent_of_a_listed_subsidiary_is_neither_restricted_nor_at_risk(api: Api) -> None:
    """Risk runs from holders to what they hold: the 70 % parent of a listed enterprise is
    not restricted by its subsidiary's listing, nor related to it."""
    result = api.check(uscc=HOLDING, as_of=AS_OF)
    assert (result["liable"], result["restricted"], result["related_risk"]) == (False, False, [])


# -- checks in batch -------------------------------------------------------------------------


def test_mixed_batch_in_input_order_with_per_entry_errors(api: Api) -> None:
    subjects = [
        {"uscc": SUPPLIER},
        {**PERSON, "id_number": NEWCOMER},
        {**PERSON, "id_number": "110105198001010000"},
        {"uscc": ACME.lower()},
        {"uscc": "91110105MA00000000"},
        {**PERSON, "id_number": LEGAL_REP},
        {"id_type": "PASSPORT"},
    ]
    body = {"subjects": subjects, "as_of": AS_OF, "measure": "PUBLIC_BIDDING_BAN"}
    allowed = {Role.IMPLEMENTER, Role.INVESTIGATOR, Role.ADMIN}
    answers = _allowed(api, lambda role: api.post(role, "/v1/checks/batch", body), allowed)
    result = answers[Role.IMPLEMENTER]
    assert (result["checked"], result["invalid"], result["restricted"]) == (4, 3, 1)
    assert result["measure"] == "PUBLIC_BIDDING_BAN"
    items = result["results"]
    assert [item["index"] for item in items] == list(range(len(subjects)))
    errors = {item["index"]: item["error"]["reason"] for item in items if item["error"]}
    assert errors == {2: "ID_CHECK", 4: "USCC_CHECK", 6: "SUBJECT_SHAPE"}
    checks = {item["index"]: item["check"] for item in items if item["check"]}
    assert checks[0]["subject"]["uscc"] == SUPPLIER and checks[0]["related_risk"]
    assert checks[3]["subject"]["uscc"] == ACME and checks[3]["restricted"] is True
    assert (checks[5]["liable"], checks[5]["restricted"]) == (True, False)
    _assert_masking(answers, {LEGAL_REP, NEWCOMER, DEFAULTER})
    entry = api.audit()[-1]
    assert entry["endpoint"] == "/v1/checks/batch"
    assert {f"enterprise:{SUPPLIER}", f"enterprise:{ACME}"} <= set(entry["subjects"])
    assert len({s for s in entry["subjects"] if s.startswith("person:")}) == 3


def test_batch_keeps_the_people_field_of_older_clients(api: Api) -> None:
    body = {"people": [{**PERSON, "id_number": LEGAL_REP}], "as_of": AS_OF}
    result = api.post(Role.ADMIN, "/v1/checks/batch", body).json()
    assert (result["checked"], result["restricted"]) == (1, 1)
    assert result["results"][0]["check"]["subject"]["id_number"] == LEGAL_REP


def test_batch_size_is_capped(api: Api) -> None:
    body = {"subjects": [{"uscc": ACME}] * (MAX_BATCH + 1)}
    assert _problem(api.post(Role.ADMIN, "/v1/checks/batch", body), 422)["errors"][0]["type"] == (
        "too_long"
    )
    # One list or the other (so never more than MAX_BATCH subjects), not empty.
    both = api.post(
        Role.ADMIN,
        "/v1/checks/batch",
        {"subjects": [{"uscc": ACME}], "people": [{**PERSON, "id_number": NEWCOMER}]},
    )
    assert _problem(both, 422)["errors"][0]["loc"] == ["body"]
    _problem(api.post(Role.ADMIN, "/v1/checks/batch", {"subjects": []}), 422)
    _problem(api.post(Role.ADMIN, "/v1/checks/batch", {"subjects": [], "people": []}), 422)


# -- two time axes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("known_on", "liable"),
    [
        ("2024-05-31", True),
        ("2024-06-01T09:59:59+08:00", True),  # 01:59:59 UTC: before the revocation was recorded
        ("2024-06-01T10:00:00+08:00", False),
        ("2024-06-01", False),  # the end of that day in Beijing
        (None, False),
    ],
)
def test_known_on_answers_as_the_system_knew_it(
    api: Api, known_on: str | None, liable: bool
) -> None:
    """Revoked (void from the start) on 2024-06-01, recorded at 02:00 UTC: a refusal on
    2024-03-01 was right given what was known before that instant, and is not as now known."""
    body: dict[str, Any] = {"as_of": "2024-03-01", "measure": "PUBLIC_BIDDING_BAN"}
    if known_on is not None:
        body["known_on"] = known_on
    enterprise = api.check(uscc=LAPSED, **body)
    assert (enterprise["liable"], enterprise["restricted"]) == (liable, liable)
    person = api.check(**PERSON, id_number=LAPSED_REP, **body)
    assert person["liable"] is liable
    if known_on is None:
        assert enterprise["known_on"] is None
    else:
        echoed = dt.datetime.fromisoformat(enterprise["known_on"])
        assert echoed == get_clock().parse_instant(known_on)


def test_known_on_in_a_mixed_batch_and_a_finding(api: Api) -> None:
    body = {
        "subjects": [{"uscc": LAPSED}, {**PERSON, "id_number": LAPSED_REP}],
        "as_of": "2024-03-01",
        "known_on": "2024-05-31",
    }
    result = api.post(Role.ADMIN, "/v1/checks/batch", body).json()
    assert result["known_on"].startswith("2024-05-31T15:59:59")  # end of day in Beijing, UTC
    assert [item["check"]["liable"] for item in result["results"]] == [True, True]
    then = api.get(
        Role.VIEWER, f"/v1/findings/{REVOKED}", as_of="2024-03-01", known_on="2024-05-31"
    )
    assert then.json()["finding"]["applies"] is True
    assert [t["to_status"] for t in then.json()["transitions"]] == ["ACTIVE"]
    now = api.get(Role.VIEWER, f"/v1/findings/{REVOKED}", as_of="2024-03-01").json()
    assert now["finding"]["applies"] is False
    assert [t["to_status"] for t in now["transitions"]] == ["ACTIVE", "REVOKED"]


@pytest.mark.parametrize(
    "known_on",
    ["2024-06-01T00:00:00+19:00", "2024-06-01T00:00:00-18:30", "9999-12-31", "yesterday"],
)
def test_known_on_out_of_range_is_422_not_500(api: Api, known_on: str) -> None:
    check = api.post(Role.ADMIN, "/v1/checks", {"uscc": ACME, "known_on": known_on})
    assert _problem(check, 422)["status"] == 422
    batch = api.post(
        Role.ADMIN, "/v1/checks/batch", {"subjects": [{"uscc": ACME}], "known_on": known_on}
    )
    _problem(batch, 422)
    _problem(api.get(Role.ADMIN, f"/v1/findings/{FINDING}", known_on=known_on), 422)
    _problem(api.get(Role.ADMIN, f"/v1/enterprises/{ACME}", known_on=known_on), 422)


# -- enterprises and findings ----------------------------------------------------------------


def test_enterprise_profile_all_roles_with_masking(api: Api) -> None:
    answers = _allowed(api, lambda role: api.get(role, f"/v1/enterprises/{ACME}"), set(ROLES))
    profile = answers[Role.VIEWER]
    assert profile["enterprise"] == {"uscc": ACME, "name": "顶点科技有限公司"}
    officers = {(o["person"]["name"], o["role"], o["current"]) for o in profile["officers"]}
    assert officers == {
        ("张三", "LEGAL_REPRESENTATIVE", False),
        ("李四", "LEGAL_REPRESENTATIVE", True),
        ("赵六", "ACTUAL_CONTROLLER", True),
    }
    assert [item["rule"] for item in profile["subject_measures"]] == ["LIST"]
    candidates = [x for x in profile["exposures"] if x["kind"] == "DERIVED_CONTROLLER"]
    assert [x["person"]["name"] for x in candidates] == ["王五"]
    _assert_masking(answers, {LEGAL_REP, NEWCOMER, CONTROLLER, OWNER})
    subjects = set(api.audit()[-1]["subjects"])  # every person the profile discloses
    assert {api.person_ref(n) for n in (LEGAL_REP, NEWCOMER, CONTROLLER, OWNER)} <= subjects


def test_enterprise_findings_paginated(api: Api) -> None:
    answers = _allowed(
        api, lambda role: api.get(role, f"/v1/enterprises/{ACME}/findings"), set(ROLES)
    )
    page = answers[Role.VIEWER]
    assert [item["finding_id"] for item in page["items"]] == [FINDING]
    assert (page["total"], page["next_offset"]) == (1, None)
    assert api.get(Role.VIEWER, f"/v1/enterprises/{ACME}/findings", offset=10001).status_code == 422
    assert api.get(Role.VIEWER, f"/v1/enterprises/{OTHER}/findings").json()["items"] == []
    revoked = api.get(Role.VIEWER, f"/v1/enterprises/{LAPSED}/findings").json()["items"]
    assert [(item["status"], item["applies"]) for item in revoked] == [("REVOKED", False)]


def test_finding_reach_all_roles(api: Api) -> None:
    answers = _allowed(
        api, lambda role: api.get(role, f"/v1/findings/{FINDING}", as_of=AS_OF), set(ROLES)
    )
    reach = answers[Role.ADMIN]
    assert reach["finding"]["applies"] is True
    assert {item["person"]["id_number"] for item in reach["liable"]} == {LEGAL_REP, CONTROLLER}
    kinds = {(x["person"]["id_number"], x["kind"]) for x in reach["exposures"]}
    assert (NEWCOMER, "APPOINTED_AFTER_REFERENCE") in kinds
    assert reach["subject_measures"]["rule"] == "LIST"
    assert [t["to_status"] for t in reach["transitions"]] == ["ACTIVE"]
    _assert_masking(answers, {LEGAL_REP, NEWCOMER, CONTROLLER})
    assert api.get(Role.VIEWER, "/v1/findings/NO-SUCH").status_code == 404


def test_search_enterprises_by_name_and_uscc_prefix(api: Api) -> None:
    answers = _allowed(api, lambda r: api.get(r, "/v1/enterprises", q="科技"), set(ROLES))
    hits = answers[Role.VIEWER]["items"]
    assert [(hit["uscc"], hit["name"], hit["listed"]) for hit in hits] == [
        (ACME, "顶点科技有限公司", True)
    ]
    by_prefix = api.get(Role.VIEWER, "/v1/enterprises", q=OTHER[:17].lower()).json()["items"]
    assert [hit["uscc"] for hit in by_prefix] == [OTHER]
    first = api.get(Role.VIEWER, "/v1/enterprises", q="有限公司", limit=3).json()
    assert len(first["items"]) == 3 and first["next_offset"] == 3
    last = api.get(Role.VIEWER, "/v1/enterprises", q="有限公司", limit=3, offset=3).json()
    assert len(last["items"]) == 2 and last["next_offset"] is None
    _problem(api.get(Role.VIEWER, "/v1/enterprises", q="x" * 51), 422)
    _problem(api.get(Role.VIEWER, "/v1/enterprises", q=" \u3000"), 422)


@pytest.mark.parametrize(
    "query",
    [{"q": "科技"}, {"q": OTHER[:17].lower()}, {"q": "有限公司", "limit": 3, "offset": 3}],
)
def test_search_in_the_body_answers_like_the_query_string(api: Api, query: dict[str, Any]) -> None:
    """``POST /v1/enterprises/search`` keeps the typed text out of the URL (and the access log)
    and answers exactly what ``GET /v1/enterprises?q=`` answers."""
    answers = _allowed(api, lambda r: api.post(r, "/v1/enterprises/search", query), set(ROLES))
    assert answers[Role.VIEWER] == api.get(Role.VIEWER, "/v1/enterprises", **query).json()
    entry = api.audit()[-2]
    assert entry["endpoint"] == "/v1/enterprises/search" and entry["method"] == "POST"


@pytest.mark.parametrize(
    "body",
    [
        {"q": ""},
        {"q": "  "},
        {"q": "x" * 51},
        {"q": "科技", "limit": 101},
        {"q": "科技", "limit": "3"},
        {"q": "科技", "offset": False},
        {"q": "科技", "offset": 10001},
        {"q": "科技", "page": 2},
        {},
    ],
)
def test_search_in_the_body_refuses_bad_input(api: Api, body: dict[str, Any]) -> None:
    _problem(api.post(Role.VIEWER, "/v1/enterprises/search", body), 422)


def test_search_path_takes_post_only(api: Api) -> None:
    """``/v1/enterprises/search`` is not read as the profile of an enterprise ``search``."""
    for method in ("GET", "PUT", "DELETE", "OPTIONS"):
        response = api.client.request(
            method, "/v1/enterprises/search", headers=api.headers(Role.VIEWER)
        )
        assert _problem(response, 405)["instance"] == "/v1/enterprises/search"
        assert response.headers["allow"] == "POST"
    assert api.post(Role.VIEWER, "/v1/enterprises/search", {"q": "科技"}).status_code == 200


def test_problems_name_the_route_template_never_the_path(api: Api) -> None:
    """``instance`` is the matched route's template: an identifier in the path (an ID number
    typed where a finding id belongs) appears nowhere in the answer."""
    number = "11010519491231002X"
    for url in (
        f"/v1/findings/{number}",
        f"/v1/findings/{number}/transitions",
        f"/v1/enterprises/{number}",
        f"/v1/nothing/{number}",
    ):
        response = api.get(Role.VIEWER, url)
        assert response.status_code in (404, 422), response.text
        assert number not in response.text
        assert number.lower() not in response.text.lower()
        assert "{" in _problem(response, response.status_code).get("instance", "{")
    answer = api.get(Role.VIEWER, "/v1/findings/NO-SUCH")
    assert _problem(answer, 404)["instance"] == "/v1/findings/{finding_id}"
    assert "instance" not in _problem(api.get(Role.VIEWER, "/v1/nothing/at-all"), 404)


# -- signals and statistics ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["ban-breaches", "repeat-offenders", "phoenix", "redlist-conflicts"]
)
def test_signals_for_investigators(api: Api, kind: str) -> None:
    answers = _allowed(
        api,
        lambda role: api.get(role, f"/v1/signals/{kind}", as_of=AS_OF, limit=5),
        {Role.INVESTIGATOR, Role.ADMIN},
    )
    page = answers[Role.INVESTIGATOR]
    assert (page["limit"], page["offset"]) == (5, 0)
    assert page["total"] == len(page["items"])


def test_red_list_conflict_names_the_honoured_liable_person(api: Api) -> None:
    page = api.get(Role.INVESTIGATOR, "/v1/signals/redlist-conflicts", as_of=AS_OF).json()
    (conflict,) = page["items"]
    assert (conflict["person"]["id_number"], conflict["honour"]["honour"]) == (
        LEGAL_REP,
        "劳动模范",
    )
    assert (conflict["finding_ids"], conflict["rules"]) == ([FINDING], ["R3"])
    assert any(s.startswith("person:") for s in api.audit()[-1]["subjects"])


def test_unknown_signal_and_bad_parameters_are_422(api: Api) -> None:
    _problem(api.get(Role.ADMIN, "/v1/signals/astrology"), 422)
    _problem(api.get(Role.ADMIN, "/v1/signals/repeat-offenders", min_findings=1), 422)
    _problem(api.get(Role.ADMIN, "/v1/signals/phoenix", limit=501), 422)


def test_stats_without_identifiers(api: Api) -> None:
    answers = _allowed(
        api,
        lambda role: api.get(role, "/v1/stats", as_of=AS_OF),
        {Role.INVESTIGATOR, Role.ADMIN},
    )
    stats = answers[Role.INVESTIGATOR]
    assert stats["findings"]["total"] == 3
    assert stats["findings"]["by_status"] == {"ACTIVE": 2, "REVOKED": 1}
    assert stats["liable"]["persons"] == 3  # the former legal representative, controller, defaulter
    assert stats["liable"]["by_rule"] == {"R1": 2, "R3": 2, "R4": 2, "R5": 1}
    assert not any(number in json.dumps(stats) for number in (LEGAL_REP, CONTROLLER, DEFAULTER))


# -- departments: work lists, feedback, overdue ----------------------------------------------


def _entries(work: dict[str, Any], finding_id: str = FINDING) -> dict[tuple[str, str], Any]:
    """Entries of one finding by (action, USCC of the listed enterprise or person's number)."""
    found = {}
    for entry in work["entries"]:
        if entry["finding"]["finding_id"] != finding_id:
            continue
        who = entry["person"]["id_masked"] if entry["person"] else entry["enterprise"]["uscc"]
        found[(entry["action"], who)] = entry
    return found


def _masked(number: str) -> str:
    return number[:6] + "********" + number[-4:]


def test_worklist_own_department_only_with_full_ids_for_its_implementer(api: Api) -> None:
    url = "/v1/departments/HR01/worklist"
    answers = _allowed(
        api, lambda role: api.get(role, url, as_of=AS_OF), {Role.IMPLEMENTER, Role.ADMIN}
    )
    work = answers[Role.IMPLEMENTER]
    assert (work["department"]["code"], work["scope"]) == ("HR01", "REGION")
    entries = _entries(work)
    assert set(entries) == {("APPLY", ACME), ("APPLY", _masked(LEGAL_REP))}
    subject, person = entries[("APPLY", ACME)], entries[("APPLY", _masked(LEGAL_REP))]
    assert (subject["target"], subject["measures"], subject["rules"]) == (
        "SUBJECT",
        ["HONOURS_REVOKED"],
        ["LIST"],
    )
    assert (person["target"], person["rules"]) == ("LIABLE_PERSON", ["R3"])
    assert person["person"]["id_number"] == LEGAL_REP
    assert [(d["code"], d["mandatory"]) for d in person["measure_details"]] == [
        ("HONOURS_REVOKED", False)
    ]
    other = api.client.get(url, headers={"X-API-Key": api.other_department})
    assert other.status_code == 403
    assert api.get(Role.ADMIN, "/v1/departments/NOPE/worklist").status_code == 404
    assert api.get(Role.ADMIN, url, limit=501).status_code == 422


def test_implementer_sees_full_numbers_only_on_its_own_worklist(api: Api) -> None:
    check = api.check(Role.IMPLEMENTER, **PERSON, id_number=LEGAL_REP, as_of=AS_OF)
    _assert_masked(check, {LEGAL_REP})
    finding = api.get(Role.IMPLEMENTER, f"/v1/findings/{FINDING}", as_of=AS_OF).json()
    _assert_masked(finding, {LEGAL_REP, CONTROLLER})
    own = api.worklist("HR01", Role.IMPLEMENTER, as_of=AS_OF)
    assert LEGAL_REP in _numbers(own)


def test_worklist_scope_region_or_all(api: Api) -> None:
    shanghai = api.worklist("HR31", as_of=AS_OF)
    assert (shanghai["scope"], _entries(shanghai)) == ("REGION", {})
    everywhere = api.worklist("HR31", as_of=AS_OF, scope="ALL")
    assert everywhere["scope"] == "ALL"
    assert ("APPLY", ACME) in _entries(everywhere)
    _problem(api.get(Role.ADMIN, "/v1/departments/HR31/worklist", scope="PROVINCE"), 422)


def test_feedback_for_own_department_then_conflicts(api: Api) -> None:
    body = {
        "department": "HR01",
        "finding_id": FINDING,
        "subject": {**PERSON, "id_number": LEGAL_REP},
        "measure": "HONOURS_REVOKED",
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
    assert recorded.json()["person"]["id_number"] == LEGAL_REP
    _problem(api.post(Role.IMPLEMENTER, "/v1/feedback", {**body, "measure": "MARKET_BAN"}), 409)
    _problem(api.post(Role.IMPLEMENTER, "/v1/feedback", {**body, "outcome": "REFUSED"}), 422)
    work = api.worklist("HR01", Role.IMPLEMENTER, as_of=AS_OF)
    person_entry = _entries(work)[("APPLY", _masked(LEGAL_REP))]
    assert [item["outcome"] for item in person_entry["feedback"]] == ["APPLIED"]


def test_overdue_feedback_admin_only(api: Api) -> None:
    answers = _allowed(
        api, lambda role: api.get(role, "/v1/feedback/overdue", as_of=AS_OF), {Role.ADMIN}
    )
    report = answers[Role.ADMIN]
    overdue = {d["department"]["code"]: d["overdue"] for d in report["departments"]}
    assert (FINDING, "APPLY") in {(i["finding_id"], i["action"]) for i in overdue["MKT01"]}
    assert FINDING not in {item["finding_id"] for item in overdue.get("HR01", [])}
    assert REVOKED not in {i["finding_id"] for items in overdue.values() for i in items}


# -- lifecycle: transitions and releases -----------------------------------------------------


def test_transition_is_admin_only_and_refuses_a_client_time_of_record(api: Api) -> None:
    url = f"/v1/findings/{FINDING}/transitions"
    objection = {"to_status": "UNDER_REVIEW", "reason": "objection filed", "document": "异议-1"}
    for role in (Role.VIEWER, Role.IMPLEMENTER, Role.INVESTIGATOR):
        assert api.post(role, url, objection).status_code == 403
    with_at = api.post(Role.ADMIN, url, {**objection, "at": "2026-01-01T00:00:00+00:00"})
    errors = _problem(with_at, 422)["errors"]
    assert [error["loc"] for error in errors] == [["body", "at"]]
    # Well formed, but the finding's decision date or today refuses it: a conflict, not a 422.
    future = get_clock().today() + dt.timedelta(days=2)
    _problem(api.post(Role.ADMIN, url, {**objection, "effective_on": future.isoformat()}), 409)
    _problem(api.post(Role.ADMIN, url, {**objection, "effective_on": "2020-01-01"}), 409)
    _problem(api.post(Role.ADMIN, url, {**objection, "effective_on": 0}), 422)
    _problem(api.post(Role.ADMIN, url, {**objection, "reason": " \t"}), 422)
    _problem(api.post(Role.ADMIN, "/v1/findings/NOPE/transitions", objection), 404)
    assert [t["to_status"] for t in api.get(Role.VIEWER, url).json()["items"]] == ["ACTIVE"]


def test_objection_suspends_from_its_effective_date_then_upheld(api: Api) -> None:
    url = f"/v1/findings/{FINDING}/transitions"
    today = get_clock().today().isoformat()
    response = api.post(
        Role.ADMIN,
        url,
        {"to_status": "UNDER_REVIEW", "reason": "objection filed", "document": "异议-1"},
    )
    assert response.status_code == 201, response.text
    record = response.json()
    assert record["actor"].startswith("admin-test (key ")
    assert record["effective_on"] == today
    recorded = dt.datetime.fromisoformat(record["recorded_at"])
    assert abs(recorded - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    check = {**PERSON, "id_number": LEGAL_REP}
    assert api.check(**check)["restricted"] is False  # suspended today
    assert api.check(**check, as_of=AS_OF)["restricted"] is True  # earlier dates keep their answer
    lifts = _entries(api.worklist("HR01", Role.IMPLEMENTER))
    assert lifts[("LIFT", _masked(LEGAL_REP))]["measures"] == ["HONOURS_REVOKED"]
    _problem(api.post(Role.ADMIN, url, {"to_status": "REPAIRED", "reason": "x"}), 409)
    upheld = api.post(Role.ADMIN, url, {"to_status": "ACTIVE", "reason": "objection rejected"})
    assert upheld.status_code == 201, upheld.text
    assert api.check(**check)["restricted"] is True
    assert ("LIFT", _masked(LEGAL_REP)) not in _entries(api.worklist("HR01"))
    history = api.get(Role.VIEWER, url).json()["items"]
    assert [t["to_status"] for t in history] == ["ACTIVE", "UNDER_REVIEW", "ACTIVE"]
    assert [t["effective_on"] for t in history] == ["2021-01-15", today, today]


def test_prospective_release_keeps_the_past(api: Api) -> None:
    url = f"/v1/findings/{FINDING}/releases"
    body = {**PERSON, "id_number": CONTROLLER, "reason": "FORMER_OFFICER"}
    for role in (Role.VIEWER, Role.IMPLEMENTER, Role.INVESTIGATOR):
        assert api.post(role, url, body).status_code == 403
    first = api.post(Role.ADMIN, url, body)
    assert first.status_code == 201, first.text
    assert (first.json()["person"]["id_number"], first.json()["wrongful"]) == (CONTROLLER, False)
    assert api.post(Role.ADMIN, url, body).status_code == 200
    assert api.check(**PERSON, id_number=CONTROLLER)["liable"] is False
    assert api.check(**PERSON, id_number=CONTROLLER, as_of=AS_OF)["liable"] is True
    _problem(api.post(Role.ADMIN, url, {**body, "id_number": STRANGER}), 404)
    _problem(api.post(Role.ADMIN, "/v1/findings/NOPE/releases", body), 404)
    _problem(api.post(Role.ADMIN, url, {**body, "at": "2026-01-01T00:00:00Z"}), 422)


def test_wrongful_release_voids_the_past_and_asks_to_restore(api: Api) -> None:
    url = f"/v1/findings/{FINDING}/releases"
    body = {**PERSON, "id_number": LEGAL_REP, "reason": "stolen identity", "wrongful": True}
    released = api.post(Role.ADMIN, url, body)
    assert released.status_code == 201, released.text
    assert (released.json()["wrongful"], released.json()["effective_on"]) == (True, "2021-01-15")
    result = api.check(**PERSON, id_number=LEGAL_REP, as_of=AS_OF)
    assert (result["liable"], result["restricted"]) == (False, False)
    entries = _entries(api.worklist("HR01", Role.IMPLEMENTER))
    restore = entries[("RESTORE", _masked(LEGAL_REP))]
    assert (restore["measures"], restore["person"]["id_number"]) == (["HONOURS_REVOKED"], LEGAL_REP)
    assert "restore reputation" in restore["reason"]
    assert ("APPLY", ACME) in entries
