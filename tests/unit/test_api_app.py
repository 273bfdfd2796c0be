"""The app without a database: auth, roles, problem+json, 503 with Retry-After, OpenAPI."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.database import free_port
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target

PERSON = {"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"}


@pytest.fixture()
def settings(tmp_path: Path) -> ApiSettings:
    return ApiSettings(home=tmp_path, db_retry_seconds=0, audit_fsync=False)


@pytest.fixture()
def client(settings: ApiSettings) -> Iterator[TestClient]:
    nowhere = Target(f"bolt://127.0.0.1:{free_port()}", "neo4j", "x", "neo4j", bundled=False)
    with TestClient(create_app(settings, nowhere)) as test_client:
        yield test_client


def _key(settings: ApiSettings, role: Role) -> dict[str, str]:
    department = "TAX01" if role is Role.IMPLEMENTER else None
    return {"X-API-Key": KeyStore(settings.keys_path).create(role, role.value, department).key}


def test_healthz_needs_no_key_and_readyz_is_503_with_retry_after(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert body["status"] == 503
    assert body["type"].endswith(":unavailable")
    assert body["instance"] == "/readyz"


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": "trk_nope"}, {"Authorization": "Bearer trk_000000000000_" + "a" * 43}],
)
def test_missing_or_bad_key_is_401_problem(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/v1/paths", json={}, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.json()) >= {"type", "title", "status", "detail", "instance"}


def test_bearer_token_works_like_the_header(client: TestClient, settings: ApiSettings) -> None:
    key = _key(settings, Role.VIEWER)["X-API-Key"]
    response = client.post("/v1/paths", json={}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.VIEWER, Role.IMPLEMENTER])
def test_wrong_role_is_403(client: TestClient, settings: ApiSettings, role: Role) -> None:
    body = {"source": PERSON, "target": {"uscc": "91110000600037341L"}}
    response = client.post("/v1/paths", json=body, headers=_key(settings, role))
    assert response.status_code == 403
    assert response.json()["type"].endswith(":forbidden")


def test_validation_errors_are_problems_without_the_input(
    client: TestClient, settings: ApiSettings
) -> None:
    body = {"source": PERSON, "target": {"uscc": "x"}, "max_hops": 99, "extra": PERSON}
    response = client.post("/v1/paths", json=body, headers=_key(settings, Role.INVESTIGATOR))
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith(":validation-error")
    assert {tuple(e["loc"]) for e in problem["errors"]} == {("body", "max_hops"), ("body", "extra")}
    assert PERSON["id_number"] not in response.text


def test_bad_check_character_is_422_with_reason_and_no_echo(
    client: TestClient, settings: ApiSettings
) -> None:
    wrong = {"id_type": "RESIDENT_ID", "id_number": "110105194912310021"}
    body = {"source": wrong, "target": {"uscc": "91110000600037341L"}}
    response = client.post("/v1/paths", json=body, headers=_key(settings, Role.INVESTIGATOR))
    assert response.status_code == 422
    assert response.json()["reason"] == "ID_CHECK"
    assert wrong["id_number"] not in response.text


def test_unavailable_database_is_503_for_a_valid_request(
    client: TestClient, settings: ApiSettings
) -> None:
    body = {"source": PERSON, "target": {"uscc": "91110000600037341L"}}
    response = client.post("/v1/paths", json=body, headers=_key(settings, Role.INVESTIGATOR))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"


def test_unknown_route_and_method_are_problems(client: TestClient) -> None:
    assert client.get("/v1/nothing").headers["content-type"] == "application/problem+json"
    response = client.get("/v1/paths")
    assert response.status_code == 405
    assert response.json()["status"] == 405


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/v1/findings/F-1/transitions", "GET, HEAD, POST"),
        ("DELETE", "/v1/findings/F-1", "GET, HEAD"),
        ("PUT", "/v1/checks", "POST"),
        ("GET", "/v1/enterprises/search", "POST"),
        ("PATCH", "/v1/enterprises/91110000600037341L", "GET, HEAD"),
    ],
)
def test_405_allows_every_documented_method_of_the_resource(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    """``Allow`` lists all the methods the schema gives the path (a GET and a POST on the same
    path are two routes), the literal ``/search`` before the ``{uscc}`` it would also match."""
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow


ID_LIKE = "11010519491231002X"


@pytest.mark.parametrize(
    ("path", "instance"),
    [
        (f"/v1/findings/{ID_LIKE}", "/v1/findings/{finding_id}"),
        (f"/v1/findings/{ID_LIKE}/transitions", "/v1/findings/{finding_id}/transitions"),
        (f"/v1/enterprises/{ID_LIKE}/owners", "/v1/enterprises/{uscc}/owners"),
        (f"/v1/departments/{ID_LIKE}/worklist", "/v1/departments/{code}/worklist"),
        (f"/v1/nothing/{ID_LIKE}", None),
    ],
)
def test_problems_never_echo_the_path(
    client: TestClient, settings: ApiSettings, path: str, instance: str | None
) -> None:
    """An error for a path carrying an 18-character ID-like value (an ID number typed where an
    id belongs) does not contain it: ``instance`` is the matched route's template, or absent
    when no route matched (a refusal before routing, e.g. of an identifier in the URL, too)."""
    for headers in ({}, _key(settings, Role.ADMIN)):
        response = client.get(path, headers=headers)
        assert response.status_code >= 400
        assert response.headers["content-type"] == "application/problem+json"
        assert ID_LIKE not in response.text
        assert ID_LIKE[:14] not in response.text
        body = response.json()
        assert body.get("instance") in (instance, None)
        if "instance" in body:
            assert body["instance"] == instance


def test_validation_errors_do_not_echo_unknown_field_names(
    client: TestClient, settings: ApiSettings
) -> None:
    """A field name is input too: an unknown one shaped like an ID number is masked."""
    body = {"source": PERSON, "target": {"uscc": "91110000600037341L"}, ID_LIKE: 1}
    response = client.post("/v1/paths", json=body, headers=_key(settings, Role.INVESTIGATOR))
    assert response.status_code == 422
    assert ID_LIKE not in response.text
    assert response.json()["instance"] == "/v1/paths"


def test_access_log_is_json_without_bodies_or_ids(
    client: TestClient, settings: ApiSettings, caplog: pytest.LogCaptureFixture
) -> None:
    headers = _key(settings, Role.INVESTIGATOR)
    with caplog.at_level(logging.INFO, logger="tracer.api.access"):
        client.post("/v1/paths", json={"source": PERSON, "target": PERSON}, headers=headers)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "tracer.api.access"]
    assert lines[-1]["path"] == "/v1/paths"
    assert lines[-1]["method"] == "POST"
    assert lines[-1]["key_id"] == headers["X-API-Key"][4:16]
    assert set(lines[-1]) == {"method", "path", "status", "duration_ms", "key_id"}
    assert PERSON["id_number"] not in caplog.text


def test_every_v1_request_is_audited_even_when_refused(
    client: TestClient, settings: ApiSettings
) -> None:
    client.post("/v1/paths", json={})
    client.post(
        "/v1/paths", json={"source": PERSON, "target": PERSON}, headers=_key(settings, Role.VIEWER)
    )
    client.get("/healthz")
    lines = settings.audit_path.read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [(e["endpoint"], e["status"], e["role"]) for e in entries] == [
        ("/v1/paths", 401, None),
        ("/v1/paths", 403, "viewer"),
    ]
    assert PERSON["id_number"] not in "".join(lines)


def test_openapi_documents_problem_json_and_security(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    errors = schema["paths"]["/v1/paths"]["post"]["responses"]["403"]["content"]
    assert list(errors) == ["application/problem+json"]
    assert set(schema["components"]["securitySchemes"]) == {"APIKeyHeader", "HTTPBearer"}


def test_oversized_body_is_413_problem(client: TestClient, settings: ApiSettings) -> None:
    huge = {"people": [PERSON] * 100_000}
    response = client.post("/v1/checks/batch", json=huge, headers=_key(settings, Role.ADMIN))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_oversized_streamed_body_is_413_problem(client: TestClient, settings: ApiSettings) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"people": ['
        for _ in range(200_000):
            yield b'{"id_number": "11010519491231002X"},'
        yield b"]}"

    response = client.post(
        "/v1/checks/batch",
        content=chunks(),
        headers={**_key(settings, Role.ADMIN), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_unexpected_error_is_500_problem_logged_without_its_message(
    settings: ApiSettings, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings, Target("bolt://127.0.0.1:1", "neo4j", "x", "neo4j", False))

    def boom() -> None:
        raise RuntimeError("secret 11010519491231002X")

    app.add_api_route("/v1/boom", boom)
    with TestClient(app) as client, caplog.at_level(logging.INFO):
        response = client.get("/v1/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "11010519491231002X" not in response.text + caplog.text
    assert "RuntimeError" in caplog.text
    entry = json.loads(settings.audit_path.read_text().splitlines()[-1])
    assert (entry["endpoint"], entry["status"]) == ("/v1/boom", 500)
