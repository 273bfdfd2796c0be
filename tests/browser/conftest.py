"""The explorer in a real browser: a small graph, the API on a loopback port, Debian's Chromium.

The browser is Debian's ``/usr/bin/chromium`` driven by Playwright (never ``playwright install``);
without it every test here is skipped with the reason. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import neo4j
import pytest
import uvicorn
from fastapi import FastAPI

from tests.conftest import free_port, wipe
from tests.fixtures.graph_builder import GraphBuilder, fixed_clock, resident_id, uscc
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target
from tracer.queries.lifecycle import transition_finding
from tracer.queries.reference import install_reference_data
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


@dataclass(frozen=True)
class Story:
    """The subjects of the test graph, by what they show."""

    listed: str  # 顶点科技: listed enterprise (an objection upheld)
    holding: str  # 控股集团: owns 70% of the listed enterprise
    other: str  # 无关贸易: where the liable person is a director
    supplier: str  # 供应链管理: clean, 60% owned by the listed enterprise: related risk only
    debtor: str  # 债务建材: a judgment defaulter (no fixed term), the liable person its LR
    lapsed: str  # 撤销建设: listed, then the listing revoked (recorded 2024-06-01)
    liable: str  # 张三: legal representative at the act (ended later) and of the debtor: liable
    newcomer: str  # 李四: appointed after the act: exposed, not liable
    owner: str  # 王五: owns 80% of the holding: derived actual controller
    controller: str  # 赵六: declared actual controller: credit record only (liable, not restricted)
    finding: str
    default: str  # the debtor's finding
    revoked: str  # the lapsed enterprise's finding


STORY = Story(
    listed=uscc(1001),
    holding=uscc(1002),
    other=uscc(1003),
    supplier=uscc(1004),
    debtor=uscc(1005),
    lapsed=uscc(1006),
    liable=resident_id(11),
    newcomer=resident_id(12),
    owner=resident_id(13),
    controller=resident_id(15),
    finding="F-2021-001",
    default="F-2022-007",
    revoked="F-2023-002",
)
#: When the revocation of the lapsed enterprise's listing was recorded.
REVOKED_AT = dt.datetime(2024, 6, 1, 2, 0, tzinfo=dt.UTC)


def _story_graph() -> GraphBuilder:
    g = GraphBuilder()
    g.department("MKT01", "市场监督管理局", kind="MARKET_SUPERVISION")
    for code, name in (
        (STORY.listed, "顶点科技有限公司"),
        (STORY.holding, "控股集团有限公司"),
        (STORY.other, "无关贸易有限公司"),
        (STORY.supplier, "供应链管理有限公司"),
        (STORY.debtor, "债务建材有限公司"),
        (STORY.lapsed, "撤销建设有限公司"),
    ):
        g.enterprise(code, name, ownership="PRIVATE", region_code="110105")
    zhang = g.person(STORY.liable, "张三")
    li = g.person(STORY.newcomer, "李四")
    wang = g.person(STORY.owner, "王五")
    zhao = g.person(STORY.controller, "赵六")
    g.holds(zhang, STORY.listed, "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1), dt.date(2021, 6, 30))
    g.holds(li, STORY.listed, "LEGAL_REPRESENTATIVE", dt.date(2021, 7, 1))
    g.holds(zhang, STORY.other, "DIRECTOR", dt.date(2012, 1, 1))
    g.holds(zhang, STORY.debtor, "LEGAL_REPRESENTATIVE", dt.date(2019, 1, 1))
    g.holds(zhao, STORY.listed, "ACTUAL_CONTROLLER", dt.date(2010, 1, 1))
    g.owns(wang, STORY.holding, 0.8, dt.date(2010, 1, 1))
    g.owns(STORY.holding, STORY.listed, 0.7, dt.date(2010, 1, 1))
    g.owns(STORY.listed, STORY.supplier, 0.6, dt.date(2016, 1, 1))
    g.finding(
        STORY.finding,
        STORY.listed,
        decided_on=dt.date(2021, 1, 15),
        act_date=dt.date(2020, 3, 1),
        effective_until=dt.date(2030, 1, 15),
        category="MARKET_ORDER",
        authority="MKT01",
        basis="国发〔2016〕33号",
    )
    g.finding(
        STORY.default,
        STORY.debtor,
        decided_on=dt.date(2022, 5, 10),
        list_type="JUDGMENT_DEFAULTER",
        ground="ABLE_BUT_REFUSING",
        authority="北京市朝阳区人民法院",
        basis="(2022)京0105执1234号",
    )
    g.finding(
        STORY.revoked,
        STORY.lapsed,
        decided_on=dt.date(2023, 1, 10),
        category="MARKET_ORDER",
        authority="MKT01",
    )
    g.transition(STORY.revoked, "REVOKED", dt.date(2024, 6, 1), REVOKED_AT)
    return g


def build_story(runner: QueryRunner) -> None:
    """Reference data and the story graph, and one objection upheld on the finding (each
    transition recorded on its effective day)."""
    install_reference_data(runner)
    _story_graph().write(runner)
    for on, status, reason, document in (
        (dt.date(2021, 2, 1), "UNDER_REVIEW", "异议申请", "异议-1"),
        (dt.date(2021, 2, 21), "ACTIVE", "异议不成立，维持认定", "复核-1"),
    ):
        clock = fixed_clock(dt.datetime.combine(on, dt.time(9), dt.UTC))
        transition_finding(runner, STORY.finding, status, "test", reason, on, document, clock=clock)


def explorer_app(settings: ApiSettings, target: Target) -> FastAPI:
    """The API app (``create_app`` includes the explorer router)."""
    return create_app(settings, target)


@dataclass(frozen=True)
class Served:
    """The running API: its base URL and one key per role."""

    base_url: str
    keys: dict[Role, str]

    def api(self, method: str, path: str, role: Role = Role.INVESTIGATOR, **kwargs: Any) -> Any:
        """Call the API as ``role``; raise for an error status; the JSON answer."""
        response = httpx.request(
            method, self.base_url + path, headers={"X-API-Key": self.keys[role]}, **kwargs
        )
        response.raise_for_status()
        return response.json()


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
        explorer_app(settings, neo4j_target),
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
