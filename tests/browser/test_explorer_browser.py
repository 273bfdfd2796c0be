"""The explorer page in Chromium: what is on screen matches the API's answers."""

from __future__ import annotations

import json
from typing import Any

from tests.fixtures.graph_builder import uscc
from tests.fixtures.story import STORY, Served
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


def search_enterprise_profile(page: Any, uscc: str) -> None:
    """Open an enterprise's profile from the enterprise tab."""
    page.fill("#enterprise-query", uscc)
    page.click("#enterprise-form button[type=submit]")
    page.wait_for_selector("#detail h2")


def search_enterprise(page: Any, uscc: str) -> None:
    """Open an enterprise's profile and wait for its network (the status line counts it).
    Waits are on the DOM: ``wait_for_function`` polls with ``eval``, which the page's CSP
    forbids."""
    search_enterprise_profile(page, uscc)
    page.wait_for_selector("#graph-status:has-text('nodes')")


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
    page.wait_for_selector("#graph-status:has-text('(+')")  # "N nodes (+k) · M edges"
    after = {n["id"] for n in graph(page)["nodes"]}
    expected = served.api(
        "POST",
        "/v1/network",
        json={"center": {"id_type": "RESIDENT_ID", "id_number": STORY.liable}, "depth": 1},
    )
    assert after == before | {n["id"] for n in expected["nodes"]}


def check_person(page: Any, number: str) -> None:
    """Open the person tab and check a person by ID number."""
    page.click("button[data-tab=person]")
    page.fill("#person-id", number)
    page.click("#person-form button[type=submit]")
    page.wait_for_selector("#detail #restricted")


def shown_measures(card: Any) -> dict[str, str]:
    """Measure code → "must" or "may" as a liability card shows them."""
    chips = card.locator(".measure")
    return {
        chips.nth(i).get_attribute("data-measure"): chips.nth(i)
        .locator("small")
        .inner_text()
        .strip()
        for i in range(chips.count())
    }


def test_enterprise_search_posts_what_is_typed(page: Any, served: Served) -> None:
    """The search box's text travels in a POST body, never in a URL (an ID number typed there
    would reach access logs): by name, by full USCC (the profile is opened by the USCC the
    search answers with), and an ID number typed by mistake."""
    login(page, served)
    sent: list[tuple[str, str, str | None]] = []
    page.on(
        "request", lambda request: sent.append((request.method, request.url, request.post_data))
    )
    search = served.base_url + "/v1/enterprises/search"

    def posted() -> list[Any]:
        return [
            json.loads(data or "{}")
            for method, url, data in sent
            if (method, url) == ("POST", search)
        ]

    page.fill("#enterprise-query", "顶点科技")
    page.click("#enterprise-form button[type=submit]")
    page.wait_for_selector("#detail h2")
    assert page.inner_text("#detail h2") == "顶点科技有限公司"
    assert posted() == [{"q": "顶点科技", "limit": 20}]
    search_enterprise_profile(page, STORY.listed)
    page.fill("#enterprise-query", STORY.liable)
    page.click("#enterprise-form button[type=submit]")
    page.wait_for_selector("#enterprise-matches li.hint")
    assert "No match" in page.inner_text("#enterprise-matches")
    assert [body["q"] for body in posted()] == ["顶点科技", STORY.listed, STORY.liable]
    urls = [url for _, url, _ in sent]
    assert not any("/v1/enterprises?" in url or STORY.liable in url for url in urls)
    assert served.base_url + f"/v1/enterprises/{STORY.listed}" in urls  # the answered USCC


def test_person_liabilities_path_and_exposures(page: Any, served: Served) -> None:
    login(page, served)
    check_person(page, STORY.liable)
    check = served.api("POST", "/v1/checks", json={"id_number": STORY.liable})
    assert (check["liable"], check["restricted"]) == (True, True)
    cards = page.locator("#liabilities .card.liability")
    assert cards.count() == len(check["liabilities"])
    assert sorted(page.locator("#liabilities .card .rule").all_inner_texts()) == sorted(
        f"{item['rule']} · {item['rule_name']}" for item in check["liabilities"]
    )
    assert "RESTRICTED" in page.inner_text("#restricted")
    assert "LIABLE" in page.inner_text("#liable")
    for index, item in enumerate(check["liabilities"]):
        card = page.locator(f'#liabilities .card[data-liability="{index}"]')
        expected = {d["code"]: "must" if d["mandatory"] else "may" for d in item["measure_details"]}
        assert shown_measures(card) == expected
        if item["eligible_measures"]:
            assert "not a restriction" in card.locator(".eligible").inner_text()
        if item["period_basis"] == "OPEN":
            assert "until performance / removal" in card.locator(".until").inner_text()
    page.locator('#liabilities .card[data-rule="R3"] .show-path').first.click()
    highlighted = set(graph(page)["highlighted"])
    assert {f"E:{STORY.listed}", f"F:{STORY.finding}"} <= highlighted
    center = page.evaluate("window.explorer.graph.cy.nodes('.center')[0].id()")
    assert center in highlighted


def test_credit_record_alone_is_liable_but_not_restricted(page: Any, served: Served) -> None:
    login(page, served)
    check_person(page, STORY.controller)
    check = served.api("POST", "/v1/checks", json={"id_number": STORY.controller})
    assert (check["liable"], check["restricted"]) == (True, False)
    assert "LIABLE" in page.inner_text("#liable")
    assert "not restricted" in page.inner_text("#restricted")
    assert page.locator("#record-only").is_visible()
    card = page.locator("#liabilities .card.liability")
    assert card.count() == 1 and "record-only" in (card.get_attribute("class") or "")
    assert shown_measures(card) == {"CREDIT_RECORD_ENTRY": "must"}


def test_newcomer_is_exposed_not_liable(page: Any, served: Served) -> None:
    login(page, served)
    check_person(page, STORY.newcomer)
    check = served.api("POST", "/v1/checks", json={"id_number": STORY.newcomer})
    assert check["liabilities"] == [] and check["exposures"]
    assert page.locator("#liabilities .card").count() == 0
    text = page.inner_text("#exposures")
    assert "Exposed, not liable" in text
    assert "appointed after the act" in text
    kinds = page.locator("#exposures .card").evaluate_all("cards => cards.map(c => c.dataset.kind)")
    assert kinds == [exposure["kind"] for exposure in check["exposures"]]
    assert "APPOINTED_AFTER_REFERENCE" in page.inner_text("#exposures .kind")
    assert "not restricted" in page.inner_text("#restricted")
    assert "not liable" in page.inner_text("#liable")


# -- the enterprise panel: may it bid today? -------------------------------------------------


def check_bid(page: Any, uscc: str, as_of: str = "", known_on: str = "") -> None:
    """Check an enterprise in the Bid tab (public bidding, default today)."""
    page.click("button[data-tab=bid]")
    page.fill("#bid-uscc", uscc)
    page.fill("#bid-as-of", as_of)
    page.fill("#bid-known-on", known_on)
    page.click("#bid-form button[type=submit]")
    page.wait_for_selector("#verdict")


def test_listed_enterprise_may_not_bid(page: Any, served: Served) -> None:
    login(page, served)
    check_bid(page, STORY.listed)
    check = served.api(
        "POST", "/v1/checks", json={"uscc": STORY.listed, "measure": "PUBLIC_BIDDING_BAN"}
    )
    assert check["restricted"] is True
    verdict = page.inner_text("#verdict")
    assert "May it bid today?" in verdict and "No — restricted" in verdict
    assert "may 可以执行" in page.inner_text("#verdict .asked")  # 推荐性 in the memorandum
    (listing,) = check["liabilities"]
    rows = page.locator(f'#listing .card[data-finding="{STORY.finding}"] tr[data-measure]')
    shown = {
        rows.nth(i).get_attribute("data-measure"): rows.nth(i).locator("td").nth(1).inner_text()
        for i in range(rows.count())
    }
    expected = {d["code"]: "must" if d["mandatory"] else "may" for d in listing["measure_details"]}
    assert {code: text.split()[0] for code, text in shown.items()} == expected
    assert "asked" in (
        page.locator('#listing tr[data-measure="PUBLIC_BIDDING_BAN"]').get_attribute("class") or ""
    )
    assert STORY.finding in page.inner_text("#listing .path-text")
    page.locator("#listing .show-path").first.click()
    assert {f"E:{STORY.listed}", f"F:{STORY.finding}"} <= set(graph(page)["highlighted"])
    assert "None" in page.inner_text("#related-risk")


def test_clean_enterprise_may_bid_and_shows_related_risk_as_information(
    page: Any, served: Served
) -> None:
    login(page, served)
    check_bid(page, STORY.supplier)
    check = served.api(
        "POST", "/v1/checks", json={"uscc": STORY.supplier, "measure": "PUBLIC_BIDDING_BAN"}
    )
    assert (check["restricted"], len(check["related_risk"])) == (False, 1)
    assert "Yes — not restricted" in page.inner_text("#verdict")
    assert page.locator("#listing .card").count() == 0
    assert "Information, not a restriction" in page.inner_text("#detail .info-only")
    risk = page.locator("#related-risk .card.risk")
    assert risk.count() == 1
    assert risk.get_attribute("data-relation") == "SHAREHOLDER"
    assert "60.0%" in risk.inner_text() and "顶点科技有限公司" in risk.inner_text()
    risk.locator(".show-path").click()
    highlighted = set(graph(page)["highlighted"])
    assert {f"F:{STORY.finding}", f"E:{STORY.listed}", f"E:{STORY.supplier}"} <= highlighted


def test_bid_check_as_known_before_a_revocation(page: Any, served: Served) -> None:
    """An audit: on 2024-03-01 the lapsed enterprise was listed as then known (the revocation
    was recorded on 2024-06-01); as now known the listing is void from the start."""
    login(page, served)
    check_bid(page, STORY.lapsed, as_of="2024-03-01", known_on="2024-05-31")
    verdict = page.inner_text("#verdict")
    assert "May it bid on 2024-03-01?" in verdict and "No — restricted" in verdict
    assert "as known on 2024-05-31" in verdict
    check_bid(page, STORY.lapsed, as_of="2024-03-01")
    page.wait_for_selector("#verdict.yes")
    assert "as known on" not in page.inner_text("#verdict")


def test_bid_check_from_the_profile_for_a_viewer(page: Any, served: Served) -> None:
    login(page, served, Role.VIEWER)
    search_enterprise_profile(page, STORY.listed)
    page.click("#bid-check")
    page.wait_for_selector("#verdict")
    assert "No — restricted" in page.inner_text("#verdict")
    assert page.locator("#listing .card").count() == 1


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
    assert len(steps) == len(reach["transitions"]) == 3
    assert "→ ACTIVE" in steps[0] and "2021-01-15" in steps[0]
    assert "UNDER_REVIEW" in steps[1] and "异议申请" in steps[1]
    assert "effective 2021-02-01" in steps[1] and "recorded 2021-02-01 09:00" in steps[1]
    assert "维持认定" in steps[2]


def test_masking_follows_the_role(page: Any, served: Served) -> None:
    login(page, served, Role.IMPLEMENTER)
    check_person(page, STORY.liable)
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


def test_external_listing_shown_to_investigators_only(
    page: Any, served: Served, neo4j_driver: Any, neo4j_target: Any
) -> None:
    """An imported sanction (external listing) is a section of the profile for investigators,
    marked as information; a viewer's profile has none."""
    link = (
        "MATCH (e:Enterprise {uscc: $uscc}) "
        "MERGE (l:ExternalListing {listing_id: 'browser-test'}) "
        "SET l.authority = 'Office of Foreign Assets Control', l.program = 'SDN', "
        "    l.reason = 'Example listing', l.start_date = date('2021-06-03') "
        "MERGE (e)-[:LISTED_AS]->(l)"
    )
    neo4j_driver.execute_query(link, uscc=STORY.listed, database_=neo4j_target.database)
    try:
        login(page, served)
        search_enterprise_profile(page, STORY.listed)
        shown = page.inner_text("#external-listings")
        assert "Office of Foreign Assets Control · SDN" in shown
        assert "not a finding" in shown
        page.click("text=Log out")
        login(page, served, Role.VIEWER)
        search_enterprise_profile(page, STORY.listed)
        assert page.locator("#external-listings").count() == 0
    finally:
        neo4j_driver.execute_query(
            "MATCH (l:ExternalListing {listing_id: 'browser-test'}) DETACH DELETE l",
            database_=neo4j_target.database,
        )


def test_an_error_message_goes_with_the_next_success(page: Any, served: Served) -> None:
    login(page, served)
    page.click("button[data-tab=paths]")
    page.select_option("#paths-from-kind", "RESIDENT_ID")
    page.fill("#paths-from", STORY.liable)
    page.select_option("#paths-to-kind", "uscc")
    page.fill("#paths-to", uscc(99_999))  # valid, but not in the graph: 404
    page.click("#paths-form button[type=submit]")
    page.wait_for_selector("#message:not([hidden])")
    assert "404" in page.inner_text("#message")
    page.click("button[data-tab=enterprise]")
    search_enterprise(page, STORY.listed)
    assert page.locator("#message").is_hidden()


def test_edge_labels_are_readable(page: Any, served: Served) -> None:
    login(page, served)
    search_enterprise(page, STORY.listed)
    style = page.evaluate(
        "(() => { const e = window.explorer.graph.cy.edges()[0]; return ["
        "e.style('font-size'), e.style('text-background-opacity')]; })()"
    )
    assert float(style[0].removesuffix("px")) >= 11 and float(style[1]) > 0.5


def test_show_fits_a_long_chain_into_view(page: Any, served: Served) -> None:
    """An 8-hop chain of nodes not shown yet: "show" lays them out and fits all of them,
    the ultimate owner included, into the view."""
    login(page, served)
    search_enterprise(page, STORY.listed)
    inside: list[list[Any]] = page.evaluate(
        "(() => {"
        " const subjects = Array.from({length: 9}, (_, i) => ({id: `E:CHAIN${i}`,"
        "   kind: 'ENTERPRISE', name: `链${i}`}));"
        f" subjects[8] = {{id: 'E:{STORY.listed}', kind: 'ENTERPRISE', name: 'listed'}};"
        " window.explorer.ctx.showChain({subjects, links: Array(8).fill('OWNS')});"
        " const cy = window.explorer.graph.cy, box = cy.extent();"
        " return subjects.map((s) => { const p = cy.getElementById(s.id).position();"
        "   return [p.x, p.y, p.x >= box.x1 && p.x <= box.x2 && p.y >= box.y1 && p.y <= box.y2];"
        " });"
        "})()"
    )
    assert [seen for _, _, seen in inside] == [True] * 9
    spots = [(x, y) for x, y, _ in inside]  # laid out, not piled up where they were added
    assert all(
        abs(a[0] - b[0]) + abs(a[1] - b[1]) > 10 for i, a in enumerate(spots) for b in spots[:i]
    )
