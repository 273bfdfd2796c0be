"""``/docs`` and ``/redoc``: same-origin files only, no inline script, a strict policy."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tracer.api.app import create_app
from tracer.api.explorer import STATIC_DIR
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target

PAGES = ["/docs", "/redoc"]
REFERENCE = re.compile(r'\b(?:src|href)="([^"]*)"')
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
VENDORED = {"swagger-ui-dist": ("swagger-ui-dist@5.", "Apache"), "redoc": ("redoc@2.", "MIT")}
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
# Unused target: the lifespan (which opens the driver) does not run without ``with``.
NOWHERE = Target("bolt://127.0.0.1:9", "neo4j", "", "neo4j", bundled=False)


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(ApiSettings(home=tmp_path, audit_fsync=False), NOWHERE))


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize("path", PAGES)
def test_page_has_the_strict_policy(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    policy = _policy(page.headers["content-security-policy"])
    for name in ["default-src", "base-uri", "form-action", "frame-ancestors"]:
        assert policy[name] == ["'none'"], name
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["style-src"][0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & {s for v in policy.values() for s in v}


def test_only_redoc_gets_a_fresh_style_nonce_and_blob_workers(client: TestClient) -> None:
    docs = _policy(client.get("/docs").headers["content-security-policy"])
    assert docs["style-src"] == ["'self'"]
    assert "worker-src" not in docs
    nonces = []
    for _ in range(2):
        page = client.get("/redoc")
        policy = _policy(page.headers["content-security-policy"])
        assert policy["worker-src"] == ["blob:"]
        nonce = re.search(r'data-style-nonce="([^"]+)"', page.text)
        assert nonce is not None
        assert f"'nonce-{nonce[1]}'" in policy["style-src"]
        nonces.append(nonce[1])
    assert nonces[0] != nonces[1]


@pytest.mark.parametrize("path", PAGES)
def test_page_names_no_other_host_and_runs_no_inline_script(client: TestClient, path: str) -> None:
    text = client.get(path).text
    assert not re.search(r"https?:|//", text), path
    scripts = SCRIPT.findall(text)
    assert scripts
    for attributes, body in scripts:
        assert 'src="/' in attributes and not body.strip()
    assert 'data-openapi="/openapi.json"' in text


@pytest.mark.parametrize("path", PAGES)
def test_every_asset_is_served_with_its_type(client: TestClient, path: str) -> None:
    assets = REFERENCE.findall(client.get(path).text)
    assert len(assets) >= 2
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        expected = CONTENT_TYPES[Path(asset).suffix]
        assert response.headers["content-type"].startswith(expected), asset
        assert response.headers["x-content-type-options"] == "nosniff"


def test_pages_are_left_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/docs", "/redoc", "/docs/oauth2-redirect"} & set(paths)


@pytest.mark.parametrize("package", sorted(VENDORED))
def test_vendored_package_keeps_its_licence_and_version(package: str) -> None:
    version, licence = VENDORED[package]
    vendor = STATIC_DIR / "vendor" / package
    assert licence in (vendor / "LICENSE").read_text(encoding="utf-8")
    assert (vendor / "VERSION").read_text(encoding="utf-8").startswith(version)


def test_vendored_files_are_package_data() -> None:
    """A wheel carries every vendored file (setuptools' package-data patterns match each)."""
    patterns = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["*"]
    for package in VENDORED:
        for path in (STATIC_DIR / "vendor" / package).iterdir():
            assert any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns), path
