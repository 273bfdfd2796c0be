"""``/`` leads a browser to the explorer."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tracer.api.app import create_app
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target

# Unused target: the lifespan (which opens the driver) does not run without ``with``.
NOWHERE = Target("bolt://127.0.0.1:9", "neo4j", "", "neo4j", bundled=False)


def test_root_redirects_to_the_explorer(tmp_path: Path) -> None:
    client = TestClient(create_app(ApiSettings(home=tmp_path, audit_fsync=False), NOWHERE))
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"] == "/explore"
    assert client.get("/").headers["content-type"].startswith("text/html")
