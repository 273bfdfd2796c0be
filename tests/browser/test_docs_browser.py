"""``/docs`` and ``/redoc`` in Chromium with every other host unreachable: both render, use the
API, and break no rule of their policy. Screenshots go to ``test-artifacts/docs/``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.story import Served
from tracer.api.roles import Role

CHECK = "Is this person or enterprise restricted?"  # POST /v1/checks, as ReDoc titles it
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "docs"
#: Runs before the page's own scripts (through the DevTools protocol, so the policy allows it).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


@dataclass
class Offline:
    """A page that can reach only the served API, and what it tried and complained about."""

    page: Any
    base_url: str
    elsewhere: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.cspViolations")
        return found


@pytest.fixture()
def offline(browser: Any, served: Served, request: pytest.FixtureRequest) -> Iterator[Offline]:
    """A fresh page whose requests to any other host are aborted and recorded; every console
    error (a policy violation is one) and script error is recorded too."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    state = Offline(context.new_page(), served.base_url)

    def route(route: Any) -> None:
        url: str = route.request.url
        if url.startswith((served.base_url + "/", "blob:", "data:")):
            route.continue_()
        else:
            state.elsewhere.append(url)
            route.abort()

    context.route("**/*", route)
    state.page.add_init_script(RECORD_VIOLATIONS)
    state.page.on("pageerror", lambda exc: state.errors.append(str(exc)))
    state.page.on(
        "console", lambda msg: state.errors.append(msg.text) if msg.type == "error" else None
    )
    state.page.set_default_timeout(60_000)  # a busy 2-core CI machine answers slowly
    try:
        yield state
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        state.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
        context.close()


def test_swagger_ui_lists_every_operation_and_calls_the_api(
    offline: Offline, served: Served
) -> None:
    page = offline.page
    page.goto(offline.base_url + "/docs")
    page.wait_for_selector(".opblock-summary-path[data-path='/v1/checks']")
    shown = {
        element.get_attribute("data-path")
        for element in page.query_selector_all(".opblock-summary-path")
    }
    assert shown == set(served.api("GET", "/openapi.json")["paths"])
    # Authorize with a key, then try an operation: the call goes to this origin with the key.
    page.click(".auth-wrapper .authorize")
    page.locator(".modal-ux input").first.fill(served.keys[Role.INVESTIGATOR])
    page.locator(".modal-ux .auth-btn-wrapper .authorize").first.click()
    page.click(".modal-ux .close-modal")
    operation = page.locator(".opblock:has(.opblock-summary-path[data-path='/v1/stats'])")
    operation.locator(".opblock-summary-control").click()
    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    assert status.inner_text() == "200"
    assert offline.violations() == []
    assert offline.elsewhere == []
    assert offline.errors == []


def test_redoc_renders_the_reference_and_searches_it(offline: Offline) -> None:
    page = offline.page
    page.goto(offline.base_url + "/redoc")
    assert page.locator("h1").first.inner_text() == "Liability Tracer API (1.0.0)"
    page.wait_for_selector(f"h2:has-text('{CHECK}')")
    # Search runs in ReDoc's worker (worker-src blob:).
    page.fill("input[placeholder='Search...']", "restricted")
    page.wait_for_selector(f"[data-role='search:results'] [aria-label='{CHECK}']")
    # Its styles arrived: styled-components' sheet (nonce) and the scrollbar's (hashes).
    sheets = page.evaluate(
        "[...document.querySelectorAll('style')].map(s => s.sheet ? s.sheet.cssRules.length : 0)"
    )
    assert len(sheets) == 2 and min(sheets) > 0
    assert offline.violations() == []
    assert offline.elsewhere == []
    assert offline.errors == []
