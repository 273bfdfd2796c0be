"""Neo4j goes away under a running app: 503 with Retry-After, then recovery without a restart."""

from __future__ import annotations

import time
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
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings

BODY = {"id_type": "RESIDENT_ID", "id_number": "11010519491231002X", "as_of": "2026-01-01"}


@pytest.fixture()
def local(tmp_path: Path) -> Iterator[LocalNeo4j]:
    settings = LocalNeo4jSettings(
        home=tmp_path / "neo4j", port=free_port(), heap="512m", pagecache="128m"
    )
    instance = LocalNeo4j(settings)
    instance.start(echo=lambda _msg: None)
    try:
        yield instance
    finally:
        instance.stop()


def test_unreachable_neo4j_is_503_then_recovers(local: LocalNeo4j, tmp_path: Path) -> None:
    settings = ApiSettings(home=tmp_path / "api", audit_fsync=False, db_retry_seconds=0.5)
    key = KeyStore(settings.keys_path).create(Role.VIEWER, "outage").key
    target = Target(local.uri, "neo4j", local.password(), "neo4j", bundled=True)
    with TestClient(create_app(settings, target)) as client:
        headers = {"X-API-Key": key}
        assert client.get("/readyz").status_code == 200
        assert client.post("/v1/checks", json=BODY, headers=headers).status_code == 200

        local.stop()
        began = time.monotonic()
        for response in (
            client.get("/readyz"),
            client.post("/v1/checks", json=BODY, headers=headers),
        ):
            assert response.status_code == 503, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert int(response.headers["retry-after"]) > 0
            assert BODY["id_number"] not in response.text
        assert time.monotonic() - began < 20
        assert client.get("/healthz").status_code == 200

        local.start(echo=lambda _msg: None)
        assert client.get("/readyz").status_code == 200
        response = client.post("/v1/checks", json=BODY, headers=headers)
        assert response.status_code == 200
        assert response.json()["known"] is False
    statuses = [entry for entry in settings.audit_path.read_text().splitlines()]
    assert len(statuses) == 3
