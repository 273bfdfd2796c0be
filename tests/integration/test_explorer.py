"""The explorer's files: served offline from the package, with a strict policy, nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tracer.api.app import create_app
from tracer.api.explorer import STATIC_DIR
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target

ASSET = re.compile(r'(?:src|href)="(/explore/static/[^"]+)"')
# Unused target: the lifespan (which opens the driver) does not run without ``with``.
NOWHERE = Target("bolt://127.0.0.1:9", "neo4j", "", "neo4j", bundled=False)


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(ApiSettings(home=tmp_path, audit_fsync=False), NOWHERE))


def test_page_and_every_asset_are_served_with_the_policy(client: TestClient) -> None:
    page = client.get("/explore")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assets = ASSET.findall(page.text)
    assert "/explore/static/vendor/cytoscape/cytoscape.min.js" in assets
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.headers["x-content-type-options"] == "nosniff"
    modules = sorted(path.name for path in (STATIC_DIR / "js").glob("*.js"))
    for name in modules:
        assert client.get(f"/explore/static/js/{name}").status_code == 200


def test_nothing_is_fetched_from_elsewhere() -> None:
    """Offline: no page file names another host (the vendored library is self-contained)."""
    for path in STATIC_DIR.rglob("*"):
        if path.suffix in {".html", ".css"} or path.parent.name == "js":
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"https?://", text), path


def test_vendored_library_keeps_its_licence() -> None:
    vendor = STATIC_DIR / "vendor" / "cytoscape"
    assert "MIT" in (vendor / "LICENSE").read_text(encoding="utf-8")
    assert (vendor / "VERSION").read_text(encoding="utf-8").startswith("cytoscape@")


@pytest.mark.parametrize(
    "path",
    ["/explore/static/../explorer.py", "/explore/static/%2e%2e/explorer.py", "/explore/static/js"],
)
def test_only_static_files_are_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_session_tells_the_role_of_a_key(client: TestClient, tmp_path: Path) -> None:
    refused = client.get("/explore/session")
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    key = KeyStore(tmp_path / "keys.json").create(Role.VIEWER, "page").key
    answer = client.get("/explore/session", headers={"X-API-Key": key})
    assert answer.status_code == 200
    assert answer.json()["role"] == "viewer"


def test_search_text_never_goes_into_a_url() -> None:
    """The enterprise search box POSTs what is typed (it may be an ID number, and a URL reaches
    access logs): no script calls ``GET /v1/enterprises?q=`` or builds a path from the typed
    text; the browser test checks the requests the page really sends."""
    scripts = {
        path.name: path.read_text(encoding="utf-8") for path in (STATIC_DIR / "js").glob("*.js")
    }
    for name, text in scripts.items():
        assert "/v1/enterprises?" not in text, name
        assert "?q=" not in text, name
    assert re.search(
        r'searchEnterprises: \(q\) => api\("POST", "/v1/enterprises/search", \{ q\b',
        scripts["api.js"],
    )
