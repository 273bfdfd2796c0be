"""Credit reports end to end on the real Neo4j: the CLI writes a PDF and a JSON that verify
(and fail when altered or sealed elsewhere), the report carries the subject's findings,
liabilities with their evidence, officers' liabilities, red list, commitments, interviews and
objections as of the date; the API answers PDF or JSON by Accept to implementers and above,
masks ID numbers unless an investigator asks, audits every person, 404s unknown subjects."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.fixtures.database import wipe
from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.api.app import create_app
from tracer.api.audit import SubjectRefs
from tracer.api.keys import KeyStore
from tracer.api.report_keys import report_keyring
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.cli.main import app as cli_app
from tracer.graph.driver import Target
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.reports.issue import verify_file
from tracer.reports.pdf import ATTACHMENT
from tracer.reports.seal import Verdict

D = dt.date
ACME = uscc(20000001)
REP, OFFICER = resident_id(21), resident_id(22)
FINDING = "F-2021-101"
AS_OF = "2026-01-01"

RECORDS = """
MATCH (e:Enterprise {uscc: $uscc}), (d:Department {code: 'MKT01'}), (p:Person {id_number: $rep})
MATCH (f:Finding {finding_id: $finding})
CREATE (c1:Commitment {commitment_id: 'C-1', matter: '告知承诺制审批',
        committed_on: date('2024-01-10'), due_on: date('2024-06-30'),
        breached_on: date('2024-08-01')})-[:GIVEN_BY]->(e),
       (c1)-[:RECEIVED_BY]->(d),
       (c2:Commitment {commitment_id: 'C-2', matter: '以后的承诺',
        committed_on: date('2026-06-01')})-[:GIVEN_BY]->(e),
       (i:Interview {interview_id: 'I-1', kind: 'WARNING', held_on: date('2025-03-01'),
        rectify_by: date('2025-04-01')})-[:OF]->(e),
       (i)-[:HELD_BY]->(d),
       (o:Objection {objection_id: 'O-1', filed_on: date('2025-02-01'), status: 'DECIDED',
        outcome: 'UPHELD', deadline: date('2025-02-16'), decided_on: date('2026-03-01')})
        -[:AGAINST]->(f),
       (o)-[:DISPUTED_BY]->(p)
"""


def build_graph(runner: QueryRunner) -> None:
    """ACME listed (SERIOUS_DISHONESTY, decided 2021-01-15), its legal representative liable,
    an honour, a breached commitment and one given after the date, an interview unrectified
    past its deadline, and an objection by the representative still open on the date."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("MKT01", "市场监督管理局", kind="MARKET_SUPERVISION", region_code="110000")
    g.enterprise(ACME, "顶点科技有限公司", ownership="PRIVATE", region_code="110105")
    rep, officer = g.person(REP, "张三"), g.person(OFFICER, "李四")
    g.holds(rep, ACME, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(officer, ACME, "DIRECTOR", D(2016, 1, 1))
    g.honour(ACME, "守合同重信用企业", D(2019, 5, 1), granted_by="市场监督管理局")
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
    g.write(runner)
    runner.write(RECORDS, uscc=ACME, rep=REP, finding=FINDING)


def _text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_cli_report_and_verify(
    runner: QueryRunner, neo4j_env: dict[str, str], tmp_path: Path
) -> None:
    build_graph(runner)
    cli = CliRunner()
    pdf, sealed = tmp_path / "report.pdf", tmp_path / "report.json"
    for target in (pdf, sealed):
        made = cli.invoke(
            cli_app, ["report", "--uscc", ACME, "--as-of", AS_OF, "--out", str(target)]
        )
        assert made.exit_code == 0, made.output
        verified = cli.invoke(cli_app, ["report", "verify", str(target)])
        assert verified.exit_code == 0, verified.output
        assert "AUTHENTIC AND UNALTERED" in verified.output
    content = json.loads(sealed.read_bytes())["content"]
    assert content["header"]["as_of"] == AS_OF and content["header"]["ids"] == "MASKED"
    assert [f["finding_id"] for f in content["findings"]] == [FINDING]
    assert content["restricted"] is True
    officers = {item["person"]["name"] for item in content["officers_liabilities"]}
    assert "张三" in officers
    assert [c["commitment_id"] for c in content["commitments"]] == ["C-1"]
    assert content["commitments"][0]["state"] == "BREACHED"
    assert content["interviews"][0]["state"] == "UNRECTIFIED_OVERDUE"
    objection = content["objections"][0]
    assert objection["state"] == "OPEN" and objection["outcome"] is None
    assert objection["person"]["id_masked"] != REP and REP not in sealed.read_text()
    assert [h["honour"] for h in content["red_list"]] == ["守合同重信用企业"]

    text = _text(pdf.read_bytes())
    for expected in ("信用报告", "顶点科技有限公司", ACME, AS_OF, "告知承诺制审批", "第 1 页"):
        assert expected in text, expected
    assert REP not in text

    altered = tmp_path / "altered.json"
    altered.write_bytes(sealed.read_bytes().replace(b'"BREACHED"', b'"FULFILED"', 1))
    result = cli.invoke(cli_app, ["report", "verify", str(altered), "--json"])
    assert result.exit_code == 1 and json.loads(result.output)["verdict"] == "ALTERED"
    neo4j_env_home = Path(neo4j_env["TRACER_API_HOME"])
    keys = report_keyring(ApiSettings(home=neo4j_env_home))
    keys.path.unlink()
    result = cli.invoke(cli_app, ["report", "verify", str(sealed)])
    assert result.exit_code == 2 and "NOT ISSUED BY THIS SERVER" in result.output

    audit = [json.loads(line) for line in (neo4j_env_home / "audit.jsonl").read_text().splitlines()]
    refs = SubjectRefs(ApiSettings(home=neo4j_env_home).secret_bytes())
    entries = [entry for entry in audit if entry.get("endpoint") == "tracer report"]
    assert len(entries) == 2
    assert all(refs.person("RESIDENT_ID", REP) in entry["subjects"] for entry in entries)


class Api:
    """A running app with one key per role."""

    def __init__(self, client: TestClient, settings: ApiSettings) -> None:
        self.client, self.settings = client, settings
        store = KeyStore(settings.keys_path)
        self.keys = {
            role: store.create(
                role, f"{role.value}-r", "MKT01" if role is Role.IMPLEMENTER else None
            ).key
            for role in Role
        }

    def report(self, role: Role, accept: str, **body: Any) -> Any:
        headers = {"X-API-Key": self.keys[role], "Accept": accept}
        return self.client.post("/v1/reports", json=body, headers=headers)


@pytest.fixture(scope="module")
def api(
    neo4j_driver: neo4j.Driver, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    wipe(neo4j_driver, neo4j_target.database)
    build_graph(QueryRunner(neo4j_driver, neo4j_target.database))
    settings = ApiSettings(home=tmp_path_factory.mktemp("api"), audit_fsync=False)
    with TestClient(create_app(settings, neo4j_target)) as client:
        yield Api(client, settings)


def test_api_answers_pdf_or_json_by_accept_to_implementers_and_above(api: Api) -> None:
    ring = report_keyring(api.settings)
    for role in Role:
        response = api.report(role, "application/json", uscc=ACME, as_of=AS_OF)
        if role is Role.VIEWER:
            assert response.status_code == 403
            assert response.headers["content-type"] == "application/problem+json"
            continue
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        assert verify_file(response.content, ring.read()).verdict is Verdict.AUTHENTIC
        assert REP not in response.text
    pdf = api.report(Role.IMPLEMENTER, "application/pdf", uscc=ACME, as_of=AS_OF)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["x-report-number"] in pdf.headers["content-disposition"]
    assert verify_file(pdf.content, ring.read()).verdict is Verdict.AUTHENTIC
    embedded = pdfium.PdfDocument(io.BytesIO(pdf.content)).get_attachment(0)
    assert embedded.get_name() == ATTACHMENT
    assert (
        json.loads(bytes(embedded.get_data()))["verification"]["sha256"]
        == (pdf.headers["x-report-sha256"])
    )


def test_api_reveals_ids_only_to_investigators_and_audits_every_person(api: Api) -> None:
    refused = api.report(Role.IMPLEMENTER, "application/json", uscc=ACME, reveal_ids=True)
    assert refused.status_code == 403
    revealed = api.report(
        Role.INVESTIGATOR, "application/json", uscc=ACME, as_of=AS_OF, reveal_ids=True
    )
    assert revealed.status_code == 200 and REP in revealed.text
    assert json.loads(revealed.content)["content"]["header"]["ids"] == "FULL"
    refs = SubjectRefs(api.settings.secret_bytes())
    lines = api.settings.audit_path.read_text().splitlines()
    entry = json.loads(lines[-1])
    assert entry["endpoint"].endswith("/v1/reports")
    assert refs.person("RESIDENT_ID", REP) in entry["subjects"]
    assert refs.person("RESIDENT_ID", OFFICER) in entry["subjects"]  # shown as an officer


def test_api_refuses_unknown_subjects_and_bad_input(api: Api) -> None:
    unknown = api.report(Role.ADMIN, "application/pdf", uscc=uscc(29999999))
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    person = api.report(
        Role.ADMIN, "application/json", id_type="RESIDENT_ID", id_number=resident_id(99)
    )
    assert person.status_code == 404
    for body in ({"uscc": "not-a-uscc"}, {"uscc": ACME, "as_of": "2026-13-01"}, {}):
        assert api.report(Role.ADMIN, "application/json", **body).status_code == 422
