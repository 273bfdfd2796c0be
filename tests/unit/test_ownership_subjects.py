"""Subject keys, graph-view nodes and edges, and the CLI's FROM/TO parsing (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.fixtures.graph_builder import resident_id, uscc
from tracer.cli.context import subject_candidates
from tracer.domain.errors import InvalidInput
from tracer.domain.keys import SubjectKey
from tracer.queries.paths import to_edge, to_node

NUMBER = resident_id(7)


def test_person_node_id_is_opaque_and_ref_carries_the_mask() -> None:
    raw = {
        "element_id": "4:abc:17",
        "labels": ["Person"],
        "props": {"id_type": "RESIDENT_ID", "id_number": NUMBER, "name": "张三"},
    }
    node = to_node(raw, ["NAMED"])
    assert node.id == "P:4:abc:17" and NUMBER not in node.id and node.key is None
    assert node.person is not None and node.person.id_masked == NUMBER[:6] + "*" * 8 + NUMBER[-4:]
    assert node.label == "张三" and node.flags == ["NAMED"]
    nameless = to_node({**raw, "props": {"id_type": "PASSPORT", "id_number": "E12345678"}})
    assert nameless.label == "E1*****78"


def test_other_nodes_use_their_keys() -> None:
    firm = to_node({"element_id": "x", "labels": ["Enterprise"], "props": {"uscc": uscc(1)}})
    assert firm.id == "E:" + uscc(1) and firm.label == uscc(1) and firm.kind == "ENTERPRISE"
    finding = to_node(
        {
            "element_id": "y",
            "labels": ["Finding"],
            "props": {"finding_id": "F9", "list_type": "WAGE_ARREARS", "status": "REVOKED"},
        }
    )
    assert (finding.id, finding.label, finding.status) == ("F:F9", "WAGE_ARREARS F9", "REVOKED")
    dept = to_node({"element_id": "z", "labels": ["Department"], "props": {"code": "D1"}})
    assert dept.id == "D:D1"


def test_edge_ended_relative_to_the_date() -> None:
    raw = {
        "element_id": "r1",
        "type": "HOLDS",
        "source": "a",
        "target": "b",
        "props": {"role": "DIRECTOR", "start_date": date(2010, 1, 1), "end_date": date(2020, 1, 1)},
    }
    ids = {"a": "P:a", "b": "E:b"}
    assert to_edge(raw, ids, date(2020, 1, 1)).ended is False  # still held on its end date
    edge = to_edge(raw, ids, date(2020, 1, 2))
    assert edge.ended and edge.source == "P:a" and edge.role == "DIRECTOR" and edge.share is None


def test_subject_key_validation() -> None:
    assert SubjectKey.enterprise(uscc(1).lower()).normalised().uscc == uscc(1)
    legacy = SubjectKey.person("resident_id", NUMBER[:6] + NUMBER[8:17]).normalised()
    assert legacy.id_type == "RESIDENT_ID" and legacy.id_number == NUMBER
    for bad in (SubjectKey(), SubjectKey(uscc=uscc(1), id_number=NUMBER)):
        with pytest.raises(InvalidInput):
            bad.normalised()
    with pytest.raises(InvalidInput):
        SubjectKey.enterprise(uscc(1)[:-1] + "0").normalised()


def test_command_line_subjects() -> None:
    assert subject_candidates(uscc(5)) == [SubjectKey(uscc=uscc(5))]
    assert subject_candidates(NUMBER) == [SubjectKey(id_type="RESIDENT_ID", id_number=NUMBER)]
    assert subject_candidates("passport:e1234567") == [
        SubjectKey(id_type="PASSPORT", id_number="E1234567")
    ]
    with pytest.raises(InvalidInput):
        subject_candidates("hello")
    with pytest.raises(InvalidInput):
        subject_candidates("PASSPORT:!")
