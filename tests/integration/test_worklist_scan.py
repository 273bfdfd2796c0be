"""A work list page reads about its own findings: the scan grows from the page and stops once
the page is full (DOMAIN.md §9; total_findings is then a lower bound)."""

from __future__ import annotations

import datetime as dt

from tests.fixtures.graph_builder import GraphBuilder, uscc
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.queries.worklist import FIRST_CHUNK, worklist

AS_OF = dt.date(2024, 6, 1)
DEFAULTERS = 30
OTHERS = 2 * FIRST_CHUNK  # newer findings that push no court measure: read, never counted


def build(runner: QueryRunner) -> None:
    """Judgment defaulters decided in 2023, and newer market-order findings."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("COURT1", "北京市第一中级人民法院")
    for i in range(DEFAULTERS + OTHERS):
        g.enterprise(uscc(i + 1), region_code="110105")
    for i in range(DEFAULTERS):
        decided = dt.date(2023, 1, 1) + dt.timedelta(days=i)
        g.finding(f"J{i:02}", uscc(i + 1), decided_on=decided, list_type="JUDGMENT_DEFAULTER")
    for i in range(OTHERS):
        decided = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        g.finding(f"M{i:02}", uscc(DEFAULTERS + i + 1), decided_on=decided, category="MARKET_ORDER")
    g.write(runner)


def test_a_page_stops_the_scan_and_pages_still_cover_the_list(runner: QueryRunner) -> None:
    build(runner)
    whole = worklist(runner, "COURT1", AS_OF, limit=100)
    newest_first = [f"J{i:02}" for i in reversed(range(DEFAULTERS))]
    assert [e.finding.finding_id for e in whole.entries] == newest_first
    assert (whole.total_findings, whole.total_exact, whole.next_offset) == (DEFAULTERS, True, None)
    first = worklist(runner, "COURT1", AS_OF, limit=5)
    assert not first.total_exact and 5 < first.total_findings < DEFAULTERS
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = worklist(runner, "COURT1", AS_OF, limit=5, offset=offset)
        assert page.total_exact or offset + 5 < page.total_findings < DEFAULTERS
        seen += [e.finding.finding_id for e in page.entries]
        offset = page.next_offset
    assert seen == newest_first
