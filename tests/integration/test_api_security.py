"""The audit guarantees over HTTP against the real Neo4j: every disclosed person in the request's
entry, identifiers refused in URLs, reads of persons failing closed when the log cannot be
written, a torn last line recovered, heads checkpointed in Neo4j and verified by the CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.fixtures.database import wipe
from tests.integration.test_api_endpoints import (
    ACME,
    AS_OF,
    CONTROLLER,
    DEFAULT,
    DEFAULTER,
    FINDING,
    LEGAL_REP,
    OWNER,
    PERSON,
    Api,
    build_graph,
)
from tracer.api.app import create_app
from tracer.api.audit import verify_log
from tracer.api.audit.log import TORN_LINE
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings, get_api_settings
from tracer.cli.main import app as cli_app
from tracer.graph.driver import Target
from tracer.queries.audit import checkpoints
from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner

#: A full resident ID anywhere in a response (admins see full numbers).
RESIDENT = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")


@pytest.fixture(scope="module")
def graph(neo4j_driver: neo4j.Driver, neo4j_target: Target) -> QueryRunner:
    runner = QueryRunner(neo4j_driver, neo4j_target.database)
    wipe(neo4j_driver, neo4j_target.database)
    build_graph(runner)
    _credit_records(runner)
    return runner


@pytest.fixture()
def api(graph: QueryRunner, neo4j_target: Target, tmp_path: Path) -> Iterator[Api]:
    settings = ApiSettings(home=tmp_path / "api", audit_fsync=False, audit_checkpoint_every=5)
    with TestClient(create_app(settings, neo4j_target)) as client:
        yield Api(client, settings)


def _person(number: str) -> dict[str, str]:
    return {**PERSON, "id_number": number}


#: One request per operation of the API (writes last): every one must record whom it disclosed.
REQUESTS: list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]] = [
    ("POST", "/v1/checks", None, _person(LEGAL_REP)),
    ("POST", "/v1/checks", None, {"uscc": ACME, "as_of": AS_OF}),
    ("POST", "/v1/checks/batch", None, {"subjects": [_person(CONTROLLER), {"uscc": ACME}]}),
    ("GET", "/v1/enterprises", {"q": "顶点"}, None),
    ("POST", "/v1/enterprises/search", None, {"q": "顶点"}),
    ("GET", f"/v1/enterprises/{ACME}", {"as_of": AS_OF}, None),
    ("GET", f"/v1/enterprises/{ACME}/findings", None, None),
    ("GET", f"/v1/enterprises/{ACME}/owners", None, None),
    ("GET", f"/v1/enterprises/{ACME}/network", {"depth": 2}, None),
    ("GET", f"/v1/findings/{FINDING}", {"as_of": AS_OF}, None),
    ("GET", f"/v1/findings/{FINDING}/transitions", None, None),
    ("POST", "/v1/paths", None, {"source": {"uscc": ACME}, "target": _person(OWNER)}),
    ("POST", "/v1/network", None, {"center": _person(LEGAL_REP), "depth": 2}),
    ("GET", "/v1/departments/HR01/worklist", {"as_of": AS_OF, "scope": "ALL"}, None),
    ("GET", "/v1/feedback/overdue", {"as_of": AS_OF}, None),
    ("GET", "/v1/stats", {"as_of": AS_OF}, None),
    ("GET", "/v1/signals/repeat-offenders", {"as_of": AS_OF}, None),
    ("GET", "/v1/signals/ban-breaches", {"as_of": AS_OF}, None),
    ("GET", "/v1/signals/phoenix", {"as_of": AS_OF}, None),
    ("GET", "/v1/signals/redlist-conflicts", {"as_of": AS_OF}, None),
    (
        "POST",
        "/v1/feedback",
        None,
        {
            "department": "HR01",
            "finding_id": FINDING,
            "subject": _person(LEGAL_REP),
            "measure": "HONOURS_REVOKED",
            "outcome": "APPLIED",
            "on": "2025-12-01",
        },
    ),
    (
        "POST",
        f"/v1/findings/{FINDING}/transitions",
        None,
        {"to_status": "UNDER_REVIEW", "effective_on": "2025-12-01", "reason": "异议申请"},
    ),
    (
        "POST",
        f"/v1/findings/{DEFAULT}/releases",
        None,
        {**_person(DEFAULTER), "reason": "FORMER_OFFICER", "effective_on": "2025-12-01"},
    ),
    ("POST", "/v1/signals/green-channel", None, {"subject": _person(LEGAL_REP)}),
    (
        "POST",
        "/v1/commitments",
        None,
        {
            "subject": _person(OWNER),
            "department": "MKT01",
            "matter": "承诺",
            "committed_on": "2025-12-01",
        },
    ),
    ("POST", "/v1/commitments/CMT-SEC-1/fulfilment", None, {"on": "2025-12-01"}),
    ("POST", "/v1/commitments/CMT-SEC-2/breach", None, {"on": "2025-12-01"}),
    (
        "POST",
        "/v1/interviews",
        None,
        {
            "subject": _person(OWNER),
            "department": "MKT01",
            "kind": "WARNING",
            "held_on": "2025-12-01",
        },
    ),
    ("POST", "/v1/interviews/ITV-SEC-1/rectification", None, {"on": "2025-12-01"}),
    (
        "POST",
        "/v1/honours/revocations",
        None,
        {
            "honour_id": f"{LEGAL_REP}|劳动模范|2019-05-01",
            "revoked_on": "2025-12-01",
            "reason": "red-list conflict",
        },
    ),
]


def _credit_records(runner: QueryRunner) -> None:
    """Two open commitments and an interview of the controller, to close over HTTP."""
    subject = {
        "subject_uscc": None,
        "subject_id_type": "RESIDENT_ID",
        "subject_id_number": CONTROLLER,
        "department": "MKT01",
    }
    day = dt.date(2025, 1, 2)
    commitments = [
        {
            **subject,
            "commitment_id": f"CMT-SEC-{n}",
            "props": {"matter": "承诺", "committed_on": day},
        }
        for n in (1, 2)
    ]
    interview = {
        **subject,
        "interview_id": "ITV-SEC-1",
        "props": {"kind": "WARNING", "held_on": day, "rectify_by": day},
    }
    now = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
    runner.write(cypher("load_commitments"), rows=commitments, recorded_at=now)
    runner.write(cypher("load_interviews"), rows=[interview], recorded_at=now)


#: A court listing drafted by an admin and approved by an implementer of the court (no notice).
DRAFT = {
    "finding_id": "F-SEC-DRAFT",
    "subject_uscc": ACME,
    "list_type": "JUDGMENT_DEFAULTER",
    "ground": "ABLE_BUT_REFUSING",
    "authority": "MKT01",
    "basis": "(2025)京01执9号",
    "decided_on": "2025-11-01",
    "persons": [{**_person(OWNER), "capacity": "ACTUAL_CONTROLLER"}],
}


def _exercise(
    api: Api, method: str, url: str, headers: dict[str, str], **request: Any
) -> tuple[Any, dict[str, Any], int]:
    """One request; asserts success and that every resident ID it shows is in its audit entry
    (as a keyed reference, never in clear). The response, its entry, and how many it showed."""
    response = api.client.request(method, url, headers=headers, **request)
    assert response.status_code < 300, (url, response.text)
    text = response.content.decode("utf-8", errors="replace")
    shown = set(RESIDENT.findall(text))
    entry = api.audit()[-1]
    assert entry["status"] == response.status_code
    missing = {number for number in shown if api.person_ref(number) not in entry["subjects"]}
    assert not missing, (url, sorted(missing))
    assert not any(number in json.dumps(entry) for number in shown)
    return response, entry, len(shown)


def test_every_disclosed_person_is_in_the_entry_of_its_request(api: Api) -> None:
    """Each response (as an admin, who sees full numbers) is scanned for resident IDs; each one
    found must be in that request's audit entry as its keyed reference. Every /v1 operation of
    the schema is exercised."""
    called = set()
    disclosing = 0
    admin = api.headers(Role.ADMIN)
    for method, url, params, body in REQUESTS:
        key = Role.IMPLEMENTER if url == "/v1/feedback" else Role.ADMIN
        _, entry, shown = _exercise(api, method, url, api.headers(key), params=params, json=body)
        disclosing += bool(shown)
        called.add((method, entry["endpoint"]))
    reads: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/v1/search", {"json": {"text": "张三", "kind": "person"}}),
        ("POST", "/v1/reports", {"json": {"uscc": ACME, "as_of": AS_OF}}),
        (
            "POST",
            "/v1/checks/file",
            {"content": f"id_type,id_number\nRESIDENT_ID,{LEGAL_REP}\n".encode()},
        ),
        ("GET", "/v1/exports/departments/HR01/worklist", {"params": {"scope": "ALL"}}),
        ("GET", f"/v1/exports/enterprises/{ACME}/owners", {"params": {"format": "csv"}}),
        ("GET", "/v1/exports/signals/repeat-offenders", {"params": {"format": "csv"}}),
    ]
    for method, url, request in reads:
        _, entry, shown = _exercise(api, method, url, admin, **request)
        disclosing += bool(shown)
        called.add((method, entry["endpoint"]))
    # the listing process: a draft approved by another person, an objection decided
    approver = {
        "X-API-Key": KeyStore(api.settings.keys_path).create(Role.IMPLEMENTER, "li", "MKT01").key
    }
    steps: list[tuple[str, str, dict[str, str], dict[str, Any]]] = [
        ("POST", "/v1/findings", admin, DRAFT),
        ("POST", "/v1/findings/F-SEC-DRAFT/approve", approver, {}),
        (
            "POST",
            "/v1/objections",
            admin,
            {
                "finding_id": "F-SEC-DRAFT",
                "person": _person(OWNER),
                "filed_on": "2025-11-20",
                "reason": "不是实际控制人",
            },
        ),
    ]
    for method, url, headers, body in steps:
        response, entry, shown = _exercise(api, method, url, headers, json=body)
        called.add((method, entry["endpoint"]))
    objection = response.json()["objection_id"]
    listed = {"params": {"finding_id": "F-SEC-DRAFT"}}
    _, entry, _ = _exercise(api, "GET", "/v1/objections", admin, **listed)
    called.add(("GET", entry["endpoint"]))
    decision = {"outcome": "UPHELD", "reason": "核实无误"}
    _, entry, _ = _exercise(
        api, "POST", f"/v1/objections/{objection}/decision", approver, json=decision
    )
    called.add(("POST", entry["endpoint"]))
    operations = {
        (method.upper(), path)
        for path, item in api.client.app.openapi()["paths"].items()  # type: ignore[attr-defined]
        for method in item
        if path.startswith("/v1/")
    }
    assert operations <= called, sorted(operations - called)
    assert disclosing >= 12
    assert verify_log(api_log(api)).ok


def api_log(api: Api) -> Any:
    from tracer.api.audit import open_audit_log

    return open_audit_log(api.settings)


@pytest.mark.parametrize(
    "url",
    [
        f"/v1/findings/{LEGAL_REP}",
        f"/v1/findings/F-{LEGAL_REP}/transitions",
        f"/v1/departments/{LEGAL_REP}/worklist",
        "/v1/findings/E12345678",
        f"/v1/enterprises?q={LEGAL_REP}",
        f"/v1/stats?as_of=2025-01-01&note={LEGAL_REP[:6]}%20{LEGAL_REP[6:]}",
        f"/v1/stats?{LEGAL_REP}=1",
        "/v1/signals/phoenix?q=110105900101002",
    ],
)
def test_identifiers_in_a_url_are_refused_before_they_are_logged(api: Api, url: str) -> None:
    response = api.client.get(url, headers=api.headers(Role.ADMIN))
    if "%20" in url:  # split by a space: not an identifier, an ordinary bad parameter
        assert response.status_code in (200, 422)
        return
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.text
    for value in (LEGAL_REP, "E12345678", "110105900101002"):
        assert value not in body
    raw = api.settings.audit_path.read_text()
    assert LEGAL_REP not in raw and "E12345678" not in raw
    assert api.audit()[-1]["status"] == 422


def test_an_identifier_in_a_body_finding_id_is_never_logged_in_clear(api: Api) -> None:
    body = {
        "department": "HR01",
        "finding_id": LEGAL_REP,
        "subject": _person(LEGAL_REP),
        "measure": "HONOURS_REVOKED",
        "outcome": "APPLIED",
        "on": "2025-12-01",
    }
    response = api.client.post("/v1/feedback", json=body, headers=api.headers(Role.IMPLEMENTER))
    assert response.status_code in (404, 422), response.text
    assert LEGAL_REP not in api.settings.audit_path.read_text()


def test_reads_of_persons_fail_closed_when_the_log_cannot_be_written(api: Api) -> None:
    api.check(Role.ADMIN, id_type="RESIDENT_ID", id_number=LEGAL_REP)
    path = api.settings.audit_path
    path.unlink()
    path.mkdir()  # a directory where the log should be: every append fails
    try:
        refused = api.client.post(
            "/v1/checks", json=_person(LEGAL_REP), headers=api.headers(Role.ADMIN)
        )
        assert refused.status_code == 503, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["retry-after"]
        assert LEGAL_REP not in refused.text and "张三" not in refused.text
        profile = api.get(Role.ADMIN, f"/v1/enterprises/{ACME}")
        assert profile.status_code == 503
        stats = api.get(Role.ADMIN, "/v1/stats", as_of=AS_OF)
        assert stats.status_code == 200, stats.text
        assert api.client.get("/healthz").status_code == 200
        assert api.client.get("/v1/stats").status_code == 401
    finally:
        path.rmdir()


def test_a_torn_last_line_is_recovered_and_the_api_keeps_serving(api: Api) -> None:
    api.check(Role.ADMIN, id_type="RESIDENT_ID", id_number=LEGAL_REP)
    with api.settings.audit_path.open("ab") as handle:
        handle.write(b'{"seq": 99, "at": "2026-')  # a crash mid-write
    answer = api.client.post("/v1/checks", json=_person(LEGAL_REP), headers=api.headers(Role.ADMIN))
    assert answer.status_code == 200
    unauthorised = api.client.post("/v1/checks", json=_person(LEGAL_REP))
    assert unauthorised.status_code == 401
    assert unauthorised.headers["content-type"] == "application/problem+json"
    events = [entry.get("event") for entry in api.audit()]
    assert events.count(TORN_LINE) == 1
    assert verify_log(api_log(api)).ok
    assert list(api.settings.audit_path.parent.glob("audit.jsonl.torn-*"))


def test_heads_are_checkpointed_in_neo4j_and_the_cli_verifies_against_them(
    graph: QueryRunner,
    neo4j_target: Target,
    neo4j_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "api"
    settings = ApiSettings(home=home, audit_fsync=False, audit_checkpoint_every=5)
    with TestClient(create_app(settings, neo4j_target)) as client:
        api = Api(client, settings)
        for _ in range(12):
            api.check(Role.ADMIN, id_type="RESIDENT_ID", id_number=LEGAL_REP)
    ring = api_log(api).keyring.read()
    assert ring is not None
    seqs = [c.seq for c in checkpoints(graph, ring.log_id, str(settings.audit_path.resolve()))]
    assert seqs[:3] == [1, 5, 10] and seqs[-1] == len(api.audit())  # … and one at shutdown

    for name, value in neo4j_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TRACER_API_HOME", str(home))
    get_api_settings.cache_clear()
    try:
        kept = tmp_path / "kept-head.json"
        made = CliRunner().invoke(cli_app, ["audit", "checkpoint", "--out", str(kept)])
        assert made.exit_code == 0, made.output
        verified = CliRunner().invoke(cli_app, ["audit", "verify", "--against", str(kept)])
        assert verified.exit_code == 0, verified.output
        assert "intact" in verified.stdout
        who = CliRunner().invoke(cli_app, ["audit", "who", "--id", LEGAL_REP, "--json"])
        assert who.exit_code == 0, who.output
        seen = json.loads(who.stdout)
        assert [viewer["key_name"] for viewer in seen] == ["admin-test"]
        assert seen[0]["requests"] == 12
        # cut the last 6 lines and forge a consistent head file: Neo4j still knows better
        lines = settings.audit_path.read_text().splitlines()[:-6]
        settings.audit_path.write_text("".join(line + "\n" for line in lines))
        settings.audit_path.with_name("audit.jsonl.head").unlink()
        broken = CliRunner().invoke(cli_app, ["audit", "verify", "--json"])
        assert broken.exit_code == 1
        report = json.loads(broken.stdout)
        assert "Neo4j checkpoint" in report["reason"] or "head file" in report["reason"]
    finally:
        get_api_settings.cache_clear()
