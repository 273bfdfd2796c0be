"""The explorer's Name tab in Chromium: the name travels in a POST body only, candidates show
their facts, and a candidate opens — by a check with the ID in the body, for roles that see full
numbers; a viewer sees masked candidates it cannot open."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from tests.browser.test_explorer_browser import login
from tests.fixtures.story import STORY, Served
from tracer.api.roles import Role


def _search(page: Any, text: str) -> None:
    page.click('.tabs button[data-tab="name"]')
    page.fill("#name-query", text)
    page.click("#name-form button[type=submit]")
    page.wait_for_selector("#name-matches li.candidate")


def test_name_search_posts_the_name_and_opens_a_candidate(page: Any, served: Served) -> None:
    login(page, served)
    sent: list[tuple[str, str, str | None]] = []
    page.on(
        "request", lambda request: sent.append((request.method, request.url, request.post_data))
    )
    _search(page, "张三")
    shown = page.inner_text("#name-matches")
    assert "张三" in shown and "EXACT" in shown and "not findings" in shown
    search = served.base_url + "/v1/search"
    bodies = [
        json.loads(data or "{}") for method, url, data in sent if (method, url) == ("POST", search)
    ]
    assert bodies == [{"text": "张三", "kind": None, "limit": 20}]
    page.locator("#name-matches li.candidate button").first.click()
    page.wait_for_selector("#liabilities")
    checks = [
        data or ""
        for method, url, data in sent
        if (method, url) == ("POST", served.base_url + "/v1/checks")
    ]
    assert any(STORY.liable in body for body in checks)
    assert not any("张三" in unquote(url) or STORY.liable in url for _, url, _ in sent)


def test_a_viewer_sees_masked_candidates_only(page: Any, served: Served) -> None:
    login(page, served, Role.VIEWER)
    _search(page, "张三")
    assert page.locator("#name-matches li.candidate button").count() == 0
    shown = page.inner_text("#name-matches")
    assert STORY.liable not in shown and STORY.liable[:6] + "********" in shown
