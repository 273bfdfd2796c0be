"""Owners and paths do bounded work: a hub or a wide level is cut at its cap, and the answer
says so (``truncated`` and a note) instead of growing with the graph."""

from __future__ import annotations

from datetime import date

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.keys import SubjectKey
from tracer.queries import ownership, paths
from tracer.queries.ownership import owners
from tracer.queries.paths import find_paths
from tracer.queries.runner import QueryRunner

ON = date(2024, 1, 1)
HUB, LEFT, RIGHT, FAR = uscc(1), uscc(2), uscc(3), uscc(4)


@pytest.fixture()
def graph(runner: QueryRunner) -> QueryRunner:
    """Eight persons each hold 10% of HUB; P1 is LEFT's and P2 RIGHT's legal representative;
    FAR is owned 60% by HUB; LEFT and RIGHT each hold 20% of HUB too."""
    g = GraphBuilder()
    hub, left, right = (
        g.enterprise(HUB, "枢纽"),
        g.enterprise(LEFT, "左"),
        g.enterprise(RIGHT, "右"),
    )
    far = g.enterprise(FAR, "远")
    people = [g.person(resident_id(i), f"股东{i}") for i in range(1, 9)]
    for person in people:
        g.owns(person, hub, 0.05, date(2020, 1, 1))
    g.holds(people[0], left, "LEGAL_REPRESENTATIVE", date(2020, 1, 1))
    g.holds(people[1], right, "LEGAL_REPRESENTATIVE", date(2020, 1, 1))
    g.owns(left, hub, 0.2, date(2020, 1, 1))
    g.owns(right, hub, 0.2, date(2020, 1, 1))
    g.owns(hub, far, 0.6, date(2020, 1, 1))
    g.write(runner)
    return runner


def test_paths_exact_under_the_caps(graph: QueryRunner) -> None:
    result = find_paths(graph, SubjectKey.enterprise(LEFT), SubjectKey.enterprise(RIGHT), as_of=ON)
    assert result.paths[0].hops == 2 and not result.truncated and result.notes == []
    assert result.paths[0].nodes[1].key == HUB


def test_paths_through_a_hub_beyond_the_fanout_say_so(
    graph: QueryRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "FANOUT", 3)
    result = find_paths(graph, SubjectKey.enterprise(LEFT), SubjectKey.enterprise(RIGHT), as_of=ON)
    # both ends reach the hub, so the 2-hop path is found although the hub was cut
    assert [path.hops for path in result.paths][:1] == [2]
    assert result.truncated and any("relationships of a node" in note for note in result.notes)


def test_paths_frontier_cap_says_so(graph: QueryRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "FRONTIER", 1)
    source = SubjectKey.person("RESIDENT_ID", resident_id(1))
    result = find_paths(graph, source, SubjectKey.enterprise(FAR), as_of=ON)
    assert result.truncated and any("expanded per hop" in note for note in result.notes)
    assert all(len({n.id for n in p.nodes}) == len(p.nodes) for p in result.paths)


def test_owners_fanout_cap_says_so(graph: QueryRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = owners(graph, FAR, ON)
    assert not whole.truncated and len(whole.owners) == 11  # HUB, LEFT, RIGHT, 8 persons
    monkeypatch.setattr(ownership, "FANOUT", 4)
    cut = owners(graph, FAR, ON)
    assert cut.truncated and any("more than 4 shareholdings" in note for note in cut.notes)
    assert len(cut.owners) < len(whole.owners)


def test_owners_frontier_keeps_the_largest_shares(
    graph: QueryRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ownership, "FRONTIER", 1)
    report = owners(graph, FAR, ON)
    # FAR's one holder is HUB (expanded); of HUB's enterprise holders neither LEFT nor RIGHT has
    # holders, so only the level cap is noted when it drops one of them
    assert report.truncated and any("not followed further" in note for note in report.notes)
    assert {o.subject.uscc for o in report.owners if o.subject.kind == "ENTERPRISE"} == {
        HUB,
        LEFT,
        RIGHT,
    }
