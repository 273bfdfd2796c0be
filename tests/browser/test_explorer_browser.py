"""The explorer page in Chromium: what is on screen matches the API's answers."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import STORY, Served
from tracer.api.roles import Role


def login(page: Any, served: Served, role: Role = Role.INVESTIGATOR) -> None:
    """Open /explore and log in with the role's key."""
    page.goto(served.base_url + "/explore")
    page.fill("#api-key", served.keys[role])
    page.click("#login")
    page.wait_for_selector("#app:not([hidden])")


def graph(page: Any) -> dict[str, Any]:
    """What the graph shows: node ids/labels/classes, edges, highlighted elements."""
    summary: dict[str, Any] = page.evaluate("window.explorer.graph.summary()")
    return summary


def search_enterprise(page: Any, uscc: str) -> None:
    page.fill("#enterprise-query", uscc)
    page.click("#enterprise-form button[type=submit]")
    page.wait_for_selector("#detail h2")
    page.wait_for_function("window.explorer.graph.cy.nodes().length > 0")


def test_enterprise_network_matches_the_api(page: Any, served: Served) -> None:
    login(page, served)
    search_enterprise(page, STORY.listed)
    expected = served.api(
        "POST", "/v1/network", json={"center": {"uscc": STORY.listed}, "depth": 2, "limit": 300}
    )
    shown = graph(page)
    assert {n["id"] for n in shown["nodes"]} == {n["id"] for n in expected["nodes"]}
    assert len(shown["edges"]) == len(expected["edges"])
    labels = {n["label"] for n in shown["nodes"]}
    assert {"顶点科技有限公司", "张三", "李四", "控股集团有限公司"} <= labels
    # The former legal representative's edge is ended (dashed), with its dates on it.
    ended = [e for e in shown["edges"] if "ended" in e["classes"]]
    assert any("法定代表人" in e["label"] and "2021-06-30" in e["label"] for e in ended)
    assert "listed" in next(n for n in shown["nodes"] if n["id"] == f"E:{STORY.listed}")["classes"]
    assert page.inner_text("#detail h2") == "顶点科技有限公司"


def test_ownership_penetration_and_controller_chain(page: Any, served: Served) -> None:
    login(page, served)
    search_enterprise(page, STORY.listed)
    report = served.api("GET", f"/v1/enterprises/{STORY.listed}/owners")
    owner = next(o for o in report["owners"] if o["subject"]["name"] == "王五")
    row = page.locator(f'#owners tr[data-owner="{owner["subject"]["id"]}"]').inner_text()
    assert f"{owner['share'] * 100:.1f}%" in row  # penetrated 80% x 70% = 56%
    controller = next(c for c in report["controllers"] if c["subject"]["name"] == "王五")
    assert controller["basis"] == "derived"
    page.locator("#controllers .show-chain").first.click()
    highlighted = set(graph(page)["highlighted"])
    assert {s["id"] for s in controller["chains"][0]["subjects"]} <= highlighted


def test_expand_a_node_adds_its_neighbours(page: Any, served: Served) -> None:
    login(page, served)
    page.fill("#depth", "1")
    page.dispatch_event("#depth", "input")
    search_enterprise(page, STORY.listed)
    before = {n["id"] for n in graph(page)["nodes"]}
    assert f"E:{STORY.other}" not in before
    # Double-click the liable person's node where it is drawn.
    person_id = page.evaluate(
        "window.explorer.graph.cy.nodes('.person').filter(n => n.data('label') === '张三')[0].id()"
    )
    box = page.locator("#graph").bounding_box()
    pos = page.evaluate(
        "id => window.explorer.graph.cy.getElementById(id).renderedPosition()", person_id
    )
    page.mouse.dblclick(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_function(
        "id => window.explorer.graph.cy.getElementById(id).nonempty()", arg=f"E:{STORY.other}"
    )
    after = {n["id"] for n in graph(page)["nodes"]}
    expected = served.api(
        "POST",
        "/v1/network",
        json={"center": {"id_type": "RESIDENT_ID", "id_number": STORY.liable}, "depth": 1},
    )
    assert after == before | {n["id"] for n in expected["nodes"]}


def test_person_liabilities_path_and_exposures(page: Any, served: Served) -> None:
    login(page, served)
    page.click("button[data-tab=person]")
    page.fill("#person-id", STORY.liable)
    page.click("#person-form button[type=submit]")
    page.wait_for_selector("#liabilities .card")
    check = served.api("POST", "/v1/checks", json={"id_number": STORY.liable})
    assert check["restricted"] is True
    cards = page.locator("#liabilities .card.liability")
    assert cards.count() == len(check["liabilities"])
    assert sorted(page.locator("#liabilities .card .rule").all_inner_texts()) == sorted(
        f"{item['rule']} · {item['rule_name']}" for item in check["liabilities"]
    )
    assert "RESTRICTED" in page.inner_text("#restricted")
    cards.first.locator(".show-path").click()
    highlighted = set(graph(page)["highlighted"])
    assert {f"E:{STORY.listed}", f"F:{STORY.finding}"} <= highlighted
    center = page.evaluate("window.explorer.graph.cy.nodes('.center')[0].id()")
    assert center in highlighted


def test_newcomer_is_exposed_not_liable(page: Any, served: Served) -> None:
    login(page, served)
    page.click("button[data-tab=person]")
    page.fill("#person-id", STORY.newcomer)
    page.click("#person-form button[type=submit]")
    page.wait_for_selector("#exposures .card")
    check = served.api("POST", "/v1/checks", json={"id_number": STORY.newcomer})
    assert check["liabilities"] == [] and check["exposures"]
    assert page.locator("#liabilities .card").count() == 0
    text = page.inner_text("#exposures")
    assert "Exposed, not liable" in text
    assert "appointed after the act" in text
    assert "not restricted" in page.inner_text("#restricted")


def test_paths_between_two_people(page: Any, served: Served) -> None:
    login(page, served)
    page.click("button[data-tab=paths]")
    page.select_option("#paths-from-kind", "RESIDENT_ID")
    page.fill("#paths-from", STORY.liable)
    page.select_option("#paths-to-kind", "RESIDENT_ID")
    page.fill("#paths-to", STORY.owner)
    page.click("#paths-form button[type=submit]")
    page.wait_for_selector("#paths .card")
    result = served.api(
        "POST",
        "/v1/paths",
        json={
            "source": {"id_number": STORY.liable},
            "target": {"id_number": STORY.owner},
            "max_hops": 6,
            "limit": 10,
        },
    )
    assert page.locator("#paths .card").count() == len(result["paths"]) > 0
    page.locator("#paths .show-path").first.click()
    assert {n["id"] for n in result["paths"][0]["nodes"]} <= set(graph(page)["highlighted"])


def test_finding_timeline(page: Any, served: Served) -> None:
    login(page, served)
    search_enterprise(page, STORY.listed)
    page.click(f'#findings button[data-finding="{STORY.finding}"]')
    page.wait_for_selector("#timeline")
    reach = served.api("GET", f"/v1/findings/{STORY.finding}")
    steps = page.locator("#timeline li[data-seq]").all_inner_texts()
    assert len(steps) == len(reach["transitions"]) == 2
    assert "UNDER_REVIEW" in steps[0] and "异议申请" in steps[0]
    assert "维持认定" in steps[1]


def test_masking_follows_the_role(page: Any, served: Served) -> None:
    login(page, served, Role.IMPLEMENTER)
    page.click("button[data-tab=person]")
    page.fill("#person-id", STORY.liable)
    page.click("#person-form button[type=submit]")
    page.wait_for_selector("#liabilities .card")
    shown = page.inner_text("#detail .sub")
    assert STORY.liable not in page.content()
    assert STORY.liable[:6] in shown and "*" in shown
    # The network is for investigators: the page says so instead of failing.
    assert "may not view networks" in page.inner_text("#message")


def test_bad_key_is_refused(page: Any, served: Served) -> None:
    page.goto(served.base_url + "/explore")
    page.fill("#api-key", "trk_000000000000_" + "x" * 43)
    page.click("#login")
    page.wait_for_selector("#message:not([hidden])")
    assert "401" in page.inner_text("#message")
    assert page.locator("#app").is_hidden()
    assert page.evaluate("sessionStorage.getItem('tracer.apiKey')") is None
