"""The explorer in a real browser: a small graph, the API on a loopback port, Debian's Chromium.

The browser is Debian's ``/usr/bin/chromium`` driven by Playwright (never ``playwright install``);
without it every test here is skipped with the reason. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
import uvicorn

from tests.fixtures.database import free_port, wipe
from tests.fixtures.story import Served, build_story
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target
from tracer.queries.runner import QueryRunner

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "explorer"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests; skip them with the reason when Debian's Chromium is absent."""
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is absent (Debian: apt-get install chromium)")
    for item in items:
        if "browser" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.integration)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.fixture(scope="package")
def served(
    neo4j_driver: neo4j.Driver,
    neo4j_target: Target,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    """The story graph, written once for the package, served by uvicorn on a free port."""
    wipe(neo4j_driver, neo4j_target.database)
    build_story(QueryRunner(neo4j_driver, neo4j_target.database))
    settings = ApiSettings(home=tmp_path_factory.mktemp("api"), audit_fsync=False)
    store = KeyStore(settings.keys_path)
    keys = {role: store.create(role, f"browser-{role.value}", "MKT01").key for role in Role}
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, neo4j_target),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", keys)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: Any, served: Served, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page (own sessionStorage) that fails the test on a script error; a screenshot
    of its last state is saved under ``test-artifacts/explorer/<test>.png``."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # An API error answer (e.g. a 403 the page explains) is logged by Chromium as a failed
    # resource; anything else on the console at error level is a bug.
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.set_default_timeout(60_000)  # a busy 2-core CI machine answers slowly
    try:
        yield page
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
        context.close()
    assert not errors, f"script errors on the page: {errors}"
