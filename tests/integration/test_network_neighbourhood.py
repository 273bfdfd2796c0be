"""Neighbourhoods for the graph view: depth, caps, flags, opaque person ids."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.errors import InvalidInput
from tracer.domain.keys import SubjectKey
from tracer.queries.network import neighbourhood
from tracer.queries.runner import QueryRunner

P1, P2 = resident_id(1), resident_id(2)
A, B, C = uscc(1), uscc(2), uscc(3)


@pytest.fixture()
def graph(runner: QueryRunner) -> QueryRunner:
    """A has officers P1, P2 and a finding; P1 owns B (ended 2019); B owns C."""
    g = GraphBuilder()
    a, b, c = g.enterprise(A, "甲"), g.enterprise(B, "乙"), g.enterprise(C, "丙")
    p1, p2 = g.person(P1, "张三"), g.person(P2, "李四")
    g.holds(p1, a, "LEGAL_REPRESENTATIVE", date(2015, 1, 1))
    g.holds(p2, a, "DIRECTOR", date(2016, 1, 1))
    g.owns(p1, b, 0.3, date(2012, 1, 1), end_date=date(2019, 1, 1))
    g.owns(b, c, 0.6, date(2017, 1, 1))
    g.finding("F1", a, decided_on=date(2021, 1, 1))
    g.names("F1", p2)
    g.write(runner)
    return runner


def test_depth_one_and_no_id_numbers_in_ids(graph: QueryRunner) -> None:
    network = neighbourhood(graph, SubjectKey.enterprise(A))
    kinds = sorted(node.kind for node in network.nodes)
    assert kinds == ["ENTERPRISE", "FINDING", "PERSON", "PERSON"]
    assert network.center == "E:" + A and not network.truncated
    by_id = {node.id: node for node in network.nodes}
    assert by_id["E:" + A].flags == ["LISTED"]
    assert by_id["F:F1"].status == "ACTIVE" and by_id["F:F1"].label == "SERIOUS_DISHONESTY F1"
    persons = [node for node in network.nodes if node.kind == "PERSON"]
    for node in persons:
        assert P1 not in node.id and P2 not in node.id and node.key is None
    assert sorted(n.flags for n in persons) == [[], ["NAMED"]]
    # edges among the collected nodes, F1 -NAMES-> P2 included
    types = sorted(edge.type for edge in network.edges)
    assert types == ["AGAINST", "HOLDS", "HOLDS", "NAMES"]
    assert all(edge.source in by_id and edge.target in by_id for edge in network.edges)
    document = json.dumps(network.model_dump(mode="json"))
    assert P1 not in document and P2 not in document


def test_depth_two_history_and_dates(graph: QueryRunner) -> None:
    network = neighbourhood(graph, SubjectKey.enterprise(A), depth=2)
    assert "E:" + B in {node.id for node in network.nodes}
    assert "E:" + C not in {node.id for node in network.nodes}
    owns = next(edge for edge in network.edges if edge.type == "OWNS")
    assert owns.ended and owns.share == 0.3 and owns.end_date == date(2019, 1, 1)
    today = neighbourhood(graph, SubjectKey.enterprise(A), depth=2, as_of=date(2024, 1, 1))
    assert "E:" + B not in {node.id for node in today.nodes}
    three = neighbourhood(graph, SubjectKey.enterprise(A), depth=3)
    assert "E:" + C in {node.id for node in three.nodes}
    graph_nx = three.to_networkx()
    assert graph_nx.number_of_nodes() == len(three.nodes)
    assert graph_nx.number_of_edges() == len(three.edges)


def test_caps(graph: QueryRunner) -> None:
    small = neighbourhood(graph, SubjectKey.enterprise(A), limit=2)
    assert len(small.nodes) == 2 and small.truncated
    with pytest.raises(InvalidInput):
        neighbourhood(graph, SubjectKey.enterprise(A), depth=4)
    with pytest.raises(InvalidInput):
        neighbourhood(graph, SubjectKey.enterprise(A), limit=1001)


def test_person_centre(graph: QueryRunner) -> None:
    network = neighbourhood(graph, SubjectKey.person("RESIDENT_ID", P2))
    assert network.center.startswith("P:") and P2 not in network.center
    assert {node.kind for node in network.nodes} == {"PERSON", "ENTERPRISE", "FINDING"}
