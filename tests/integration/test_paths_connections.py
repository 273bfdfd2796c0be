"""Shortest connections between subjects: order, hop cap, limit, dates, masking."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.errors import InvalidInput, NotFound
from tracer.domain.keys import SubjectKey
from tracer.queries.paths import find_paths
from tracer.queries.runner import QueryRunner

P1, P2, P3 = resident_id(1), resident_id(2), resident_id(3)
A, B, C = uscc(1), uscc(2), uscc(3)


def person(number: str) -> SubjectKey:
    return SubjectKey.person("RESIDENT_ID", number)


@pytest.fixture()
def graph(runner: QueryRunner) -> QueryRunner:
    """P1 and P2 officers of A (P2 also a shareholder); P1 owns B, B owns C; a finding against
    C names P2; A and C are supervised by one department; P3 was C's legal representative
    until 2019."""
    g = GraphBuilder()
    g.department("SASAC", "国资委")
    a, b = g.enterprise(A, "甲", superior="SASAC"), g.enterprise(B, "乙")
    c = g.enterprise(C, "丙", superior="SASAC")
    p1, p2, p3 = g.person(P1, "张三"), g.person(P2, "李四"), g.person(P3, "王五")
    g.holds(p1, a, "LEGAL_REPRESENTATIVE", date(2015, 1, 1))
    g.holds(p2, a, "DIRECTOR", date(2016, 1, 1))
    g.owns(p2, a, 0.1, date(2016, 1, 1))  # a second P2-A relationship: walks could loop
    g.owns(p1, b, 0.3, date(2017, 1, 1))
    g.owns(b, c, 0.6, date(2017, 1, 1))
    g.holds(p3, c, "LEGAL_REPRESENTATIVE", date(2010, 1, 1), end_date=date(2019, 1, 1))
    g.finding("F1", c, decided_on=date(2021, 1, 1))
    g.names("F1", p2)
    g.write(runner)
    return runner


def test_person_to_person_through_a_shared_enterprise(graph: QueryRunner) -> None:
    result = find_paths(graph, person(P1), person(P2), max_hops=2)
    assert [path.hops for path in result.paths] == [2, 2]
    path = result.paths[0]
    assert [node.kind for node in path.nodes] == ["PERSON", "ENTERPRISE", "PERSON"]
    assert path.nodes[1].key == A
    assert {(p.edges[0].role, p.edges[1].role or p.edges[1].type) for p in result.paths} == {
        ("LEGAL_REPRESENTATIVE", "DIRECTOR"),
        ("LEGAL_REPRESENTATIVE", "OWNS"),
    }
    assert path.edges[0].source == path.nodes[0].id and path.edges[0].target == "E:" + A
    assert path.nodes[2].person is not None and path.nodes[2].person.id_masked.endswith(P2[-4:])
    document = json.dumps(result.model_dump(mode="json"))
    assert P1 not in document and P2 not in document
    assert result.source.label == "张三" and result.target.flags == ["NAMED"]


def test_shortest_first_and_limit(graph: QueryRunner) -> None:
    result = find_paths(graph, person(P1), SubjectKey.enterprise(C))
    hops = [path.hops for path in result.paths]
    assert hops == sorted(hops) and hops[0] == 2 and len(hops) >= 3
    wide = find_paths(graph, person(P1), person(P2), max_hops=8, limit=50)
    assert len(wide.paths) >= 3  # the 2-hop one, then detours through C and the finding
    for path in [*result.paths, *wide.paths]:
        assert len({node.id for node in path.nodes}) == len(path.nodes)  # no node twice
    first = result.paths[0]
    assert [e.type for e in first.edges] == ["OWNS", "OWNS"] and first.edges[1].share == 0.6
    assert result.target.flags == ["LISTED"]
    assert len(find_paths(graph, person(P1), SubjectKey.enterprise(C), limit=1).paths) == 1


def test_hop_cap(graph: QueryRunner) -> None:
    assert find_paths(graph, person(P1), SubjectKey.enterprise(C), max_hops=1).paths == []
    three = find_paths(graph, person(P1), SubjectKey.enterprise(C), max_hops=3)
    assert max(path.hops for path in three.paths) <= 3
    with pytest.raises(InvalidInput):
        find_paths(graph, person(P1), person(P2), max_hops=9)
    with pytest.raises(InvalidInput):
        find_paths(graph, person(P1), person(P2), limit=51)


def test_dates_and_ended_relationships(graph: QueryRunner) -> None:
    history = find_paths(graph, person(P3), SubjectKey.enterprise(C))
    assert history.paths[0].hops == 1 and history.paths[0].edges[0].ended
    assert history.paths[0].edges[0].end_date == date(2019, 1, 1)
    now = find_paths(graph, person(P3), SubjectKey.enterprise(C), as_of=date(2024, 1, 1))
    assert now.paths == []
    then = find_paths(graph, person(P3), SubjectKey.enterprise(C), as_of=date(2018, 1, 1))
    assert [path.hops for path in then.paths][:1] == [1] and not then.paths[0].edges[0].ended


def test_unknown_and_invalid_subjects(graph: QueryRunner) -> None:
    with pytest.raises(NotFound):
        find_paths(graph, person(resident_id(9)), person(P1))
    with pytest.raises(InvalidInput):
        find_paths(graph, person(P1), person(P1))
    with pytest.raises(InvalidInput):
        find_paths(graph, SubjectKey.enterprise("911101050000000000"), person(P1))
    with pytest.raises(InvalidInput):
        find_paths(graph, SubjectKey(), person(P1))
