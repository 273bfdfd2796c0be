"""Screening from spreadsheets: ``tracer check --file`` (xlsx and GBK CSV in, xlsx/CSV out, read
back with pandas) and ``POST /v1/checks/file`` (roles, garbage, audit)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.fixtures.database import wipe
from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.api.app import create_app
from tracer.api.audit import SubjectRefs
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings, get_api_settings
from tracer.cli.main import app
from tracer.domain.sheets import XLSX_TYPE
from tracer.graph.driver import Target
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

LISTED, CLEAN = uscc(71), uscc(72)
REP, CONTROLLER, NEWCOMER, STRANGER = (resident_id(n) for n in (71, 72, 73, 74))
BAD_DIGIT = REP[:-1] + ("0" if REP[-1] != "0" else "1")
FINDING = "F-2021-071"
AS_OF = "2026-01-01"
#: One row per verdict, and a name that is not the record's.
ROWS = [
    {"id_type": "RESIDENT_ID", "id_number": REP, "uscc": None, "name": "张三"},
    {"id_type": None, "id_number": None, "uscc": LISTED, "name": "顶点科技有限公司"},
    {"id_type": None, "id_number": None, "uscc": CLEAN, "name": "无关贸易有限公司"},
    {"id_type": "RESIDENT_ID", "id_number": BAD_DIGIT, "uscc": None, "name": None},
    {"id_type": "RESIDENT_ID", "id_number": STRANGER, "uscc": None, "name": "路人"},
    {"id_type": "居民身份证", "id_number": NEWCOMER, "uscc": None, "name": "王五"},
    {"id_type": "RESIDENT_ID", "id_number": CONTROLLER, "uscc": None, "name": "赵六"},
]
EXPECTED = ["RESTRICTED", "RESTRICTED", "CLEAR", "INVALID", "NOT_FOUND", "CLEAR"]


def build(runner: QueryRunner) -> None:
    """LISTED is seriously dishonest (decided 2021); REP was its legal representative then,
    NEWCOMER (李四) came later, CONTROLLER declared; REP is a director of CLEAN."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("MKT01", "市场监督管理局", kind="MARKET_SUPERVISION", region_code="110000")
    listed = g.enterprise(LISTED, "顶点科技有限公司", region_code="110105")
    clean = g.enterprise(CLEAN, "无关贸易有限公司", region_code="110105")
    rep, newcomer = g.person(REP, "张三"), g.person(NEWCOMER, "李四")
    controller = g.person(CONTROLLER, "赵六")
    g.holds(rep, listed, "LEGAL_REPRESENTATIVE", date(2015, 1, 1), date(2021, 6, 30))
    g.holds(newcomer, listed, "LEGAL_REPRESENTATIVE", date(2021, 7, 1))
    g.holds(rep, clean, "DIRECTOR", date(2012, 1, 1))
    g.holds(controller, listed, "ACTUAL_CONTROLLER", date(2010, 1, 1))
    g.owns(controller, listed, 0.8, date(2010, 1, 1))
    g.finding(
        FINDING,
        listed,
        decided_on=date(2021, 1, 15),
        act_date=date(2020, 3, 1),
        effective_until=date(2030, 1, 15),
        category="MARKET_ORDER",
        authority="MKT01",
    )
    g.write(runner)


def workbook(rows: list[dict[str, Any]], columns: dict[str, str] | None = None) -> bytes:
    frame = pd.DataFrame(rows).rename(columns=columns or {})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    return buffer.getvalue()


def results(data: bytes, sheet: str = "results") -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name=sheet, dtype=str).fillna("")


@pytest.fixture()
def cli(runner: QueryRunner, neo4j_env: dict[str, str]) -> CliRunner:
    build(runner)
    return CliRunner()


def test_xlsx_round_trip(cli: CliRunner, tmp_path: Path) -> None:
    source, target = tmp_path / "bidders.xlsx", tmp_path / "screened.xlsx"
    source.write_bytes(workbook(ROWS))
    result = cli.invoke(app, ["check", "--file", str(source), "--out", str(target),
                              "--as-of", AS_OF])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "7 rows: 2 restricted, 1 liable, 2 clear, 1 not found, 1 invalid" in result.stderr
    found = results(target.read_bytes())
    assert list(found["verdict"]) == [*EXPECTED, "LIABLE_NOT_RESTRICTED"]
    assert list(found["row"]) == [str(n) for n in range(2, 9)]
    rep, firm, clean, bad, stranger, newcomer, controller = found.to_dict("records")
    assert rep["name_check"] == "MATCH" and rep["record_name"] == "张三"
    assert (
        "R2" in rep["rules"] and FINDING in rep["findings"] and "HONOURS_REVOKED" in rep["measures"]
    )
    assert f"via LEGAL_REPRESENTATIVE of 顶点科技有限公司 — finding {FINDING}" in rep["why"]
    assert firm["subject_kind"] == "ENTERPRISE" and firm["name_check"] == "MATCH"
    assert clean["why"] == "" and clean["measures"] == ""  # REP's liability is not CLEAN's
    assert bad["reason"].startswith("ID_CHECK") or "check" in bad["reason"].lower()
    assert stranger["record_name"] == "" and stranger["name_check"] == ""
    assert newcomer["name_check"] == "NAME_MISMATCH" and newcomer["record_name"] == "李四"
    assert controller["rules"] == "R4"
    for number in (REP, NEWCOMER, STRANGER, CONTROLLER):
        assert number not in target.read_bytes().decode("latin-1")
        assert number not in result.output
    assert rep["id_number"] == REP[:6] + "********" + REP[-4:]
    evidence = results(target.read_bytes(), "evidence")
    assert set(evidence["finding_id"]) == {FINDING}
    assert {"2", "3", "8"} <= set(evidence["row"])
    assert all(evidence["source"] != "")


def test_gbk_csv_with_chinese_headers_to_csv(cli: CliRunner, tmp_path: Path) -> None:
    lines = ["证件类型,证件号码,统一社会信用代码,姓名"]
    lines += [f"{r['id_type'] or ''},{r['id_number'] or ''},{r['uscc'] or ''},{r['name'] or ''}"
              for r in ROWS[:6]]  # fmt: skip
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes("\r\n".join(lines).encode("gbk"))
    result = cli.invoke(app, ["check", "--file", str(source), "--out", str(target),
                              "--as-of", AS_OF, "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["summary"]["rows"] == 6 and document["summary"]["restricted"] == 2
    assert [row["verdict"] for row in document["rows"]] == EXPECTED
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    found = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str).fillna("")
    assert list(found["verdict"]) == EXPECTED
    assert found["姓名"].iloc[0] == "张三"


def test_audit_names_every_person_checked(cli: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.xlsx"
    source.write_bytes(workbook(ROWS))
    result = cli.invoke(app, ["check", "--file", str(source), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "NAME_MISMATCH" in result.stdout
    settings = get_api_settings()
    entry = json.loads(settings.audit_path.read_text().splitlines()[-1])
    assert entry["endpoint"] == "tracer check --file"
    refs = SubjectRefs(settings.secret_bytes())
    for number in (REP, STRANGER, NEWCOMER, CONTROLLER):
        assert refs.person("RESIDENT_ID", number) in entry["subjects"]


def test_file_without_identifier_columns_fails_with_a_reason(
    cli: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("名字,电话\n张三,123\n")
    result = cli.invoke(app, ["check", "--file", str(source)])
    assert result.exit_code == 1
    assert "证件号码" in result.stderr and "'名字'" in result.stderr


def test_views_exported_with_out(cli: CliRunner, tmp_path: Path) -> None:
    owners, worklist = tmp_path / "owners.csv", tmp_path / "worklist.xlsx"
    result = cli.invoke(app, ["owners", LISTED, "--as-of", AS_OF, "--out", str(owners)])
    assert result.exit_code == 0, result.output
    assert owners.read_bytes().startswith(b"\xef\xbb\xbf")
    found = pd.read_csv(owners, encoding="utf-8-sig", dtype=str)
    assert list(found["subject.name"]) == ["赵六"]
    assert CONTROLLER not in owners.read_text(encoding="utf-8-sig")
    assert (
        found["subject.person.id_masked"].iloc[0] == CONTROLLER[:6] + "********" + CONTROLLER[-4:]
    )
    result = cli.invoke(app, ["worklist", "MKT01", "--scope", "all", "--as-of", AS_OF,
                              "--out", str(worklist)])  # fmt: skip
    assert result.exit_code == 0, result.output
    entries = pd.read_excel(worklist, sheet_name="worklist", dtype=str)
    assert FINDING in set(entries["finding.finding_id"])
    assert set(entries["action"]) == {"APPLY"}
    signal = tmp_path / "signal.xlsx"
    result = cli.invoke(app, ["signals", "--kind", "repeat-offenders", "--out", str(signal)])
    assert result.exit_code == 0, result.output
    with pd.ExcelFile(signal) as book:
        assert book.sheet_names == ["repeat-offenders"]
    refused = cli.invoke(app, ["owners", LISTED, "--out", str(tmp_path / "o.pdf")])
    assert refused.exit_code == 1 and "neither .csv nor .xlsx" in refused.stderr


# -- the API ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(
    neo4j_driver: neo4j.Driver, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, ApiSettings, dict[Role, str]]]:
    wipe(neo4j_driver, neo4j_target.database)
    build(QueryRunner(neo4j_driver, neo4j_target.database))
    settings = ApiSettings(home=tmp_path_factory.mktemp("api"), audit_fsync=False)
    store = KeyStore(settings.keys_path)
    keys = {
        role: store.create(
            role, f"{role.value}-test", "MKT01" if role is Role.IMPLEMENTER else None
        ).key
        for role in Role
    }
    with TestClient(create_app(settings, neo4j_target)) as client:
        yield client, settings, keys


def upload(api: Any, role: Role, data: bytes, content_type: str, **params: str) -> Any:
    client, _, keys = api
    headers = {"X-API-Key": keys[role], "Content-Type": content_type}
    return client.post("/v1/checks/file", content=data, headers=headers, params=params)


def test_upload_returns_a_workbook_and_is_audited(api: Any) -> None:
    response = upload(api, Role.IMPLEMENTER, workbook(ROWS), XLSX_TYPE, as_of=AS_OF)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX_TYPE
    assert "screened" in response.headers["content-disposition"]
    assert response.headers["x-screening-restricted"] == "2"
    assert list(results(response.content)["verdict"]) == [*EXPECTED, "LIABLE_NOT_RESTRICTED"]
    _, settings, _ = api
    entry = json.loads(settings.audit_path.read_text().splitlines()[-1])
    refs = SubjectRefs(settings.secret_bytes())
    assert entry["endpoint"].endswith("/v1/checks/file")
    for number in (REP, STRANGER, NEWCOMER, CONTROLLER):
        assert refs.person("RESIDENT_ID", number) in entry["subjects"]


def test_upload_csv_answers_csv(api: Any) -> None:
    data = "id_number,name\n" + f"{REP},张三\n{STRANGER},\n"
    response = upload(api, Role.ADMIN, data.encode("gbk"), "text/csv", format="csv", as_of=AS_OF)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    found = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig", dtype=str)
    assert list(found["verdict"]) == ["RESTRICTED", "NOT_FOUND"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"", "text/csv"),
        (b"PK\x03\x04garbage", XLSX_TYPE),
        (b"\xff\xfe\x00\x81\x00", "application/octet-stream"),
        (b"a,b\n1,2\n", "text/csv"),
    ],
)
def test_garbage_is_a_422_problem(api: Any, data: bytes, content_type: str) -> None:
    response = upload(api, Role.ADMIN, data, content_type)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"]


def test_viewers_and_anonymous_may_not_screen(api: Any) -> None:
    client, _, _ = api
    assert upload(api, Role.VIEWER, workbook(ROWS), XLSX_TYPE).status_code == 403
    anonymous = client.post("/v1/checks/file", content=workbook(ROWS))
    assert anonymous.status_code == 401


def test_exports_of_views_follow_the_views_roles(api: Any) -> None:
    client, _, keys = api
    path = f"/v1/exports/enterprises/{LISTED}/owners"
    response = client.get(
        path, params={"as_of": AS_OF}, headers={"X-API-Key": keys[Role.INVESTIGATOR]}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX_TYPE
    assert list(results(response.content, "owners")["subject.name"]) == ["赵六"]
    viewer = client.get(path, headers={"X-API-Key": keys[Role.VIEWER]})
    assert viewer.status_code == 403
    worklist = client.get(
        "/v1/exports/departments/MKT01/worklist",
        params={"as_of": AS_OF, "scope": "ALL", "format": "csv"},
        headers={"X-API-Key": keys[Role.ADMIN]},
    )
    assert worklist.status_code == 200, worklist.text
    assert worklist.content.startswith(b"\xef\xbb\xbf")
    assert FINDING in worklist.content.decode("utf-8-sig")
    signal = client.get("/v1/exports/signals/phoenix", headers={"X-API-Key": keys[Role.ADMIN]})
    assert signal.status_code == 200 and signal.headers["content-type"] == XLSX_TYPE
