"""Differential test: the engine's owners() equals the reference model on random graphs.

Random small ownership graphs (cycles, cross-holdings, parallel and ended holdings, unknown
shares, ranges — closed and half-open —, declared controllers, a department owner) are written
to Neo4j; penetrated shares and their bounds must agree within 1e-9, and beneficial owners,
control, their three-valued statuses and controller labels exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import neo4j
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.database import wipe
from tests.fixtures.graph_builder import GraphBuilder, Subject, resident_id, uscc
from tests.reference_model.ownership import Node, penetrate
from tracer.graph.driver import Target
from tracer.queries.ownership import owners
from tracer.queries.runner import QueryRunner

ON = date(2024, 1, 1)
#: A point, unknown (None), or a range (share_min, share_max), either bound possibly open.
Share = float | tuple[float | None, float | None] | None
SHARES: list[Share] = [
    0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1.0, None,
    (0.2, 0.3), (0.1, 0.6), (0.5, 0.75), (0.25, None), (None, 0.3), (0.3, 0.3),
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    """A random ownership graph: enterprise 0 is the target."""

    enterprises: int
    persons: int
    department: bool
    holdings: list[tuple[int, int, Share, str]]
    declarations: list[tuple[int, int, bool]]
    threshold: float
    max_depth: int


@st.composite
def cases(draw: st.DrawFn) -> Case:
    enterprises = draw(st.integers(2, 6))
    persons = draw(st.integers(1, 3))
    department = draw(st.booleans())
    holders = enterprises + persons + int(department)
    holdings = draw(
        st.lists(
            st.tuples(
                st.integers(0, holders - 1),
                st.integers(0, enterprises - 1),
                st.sampled_from(SHARES),
                st.sampled_from(["open", "open", "open", "ended", "future"]),
            ),
            max_size=14,
        )
    )
    declarations = draw(
        st.lists(
            st.tuples(st.integers(0, persons - 1), st.integers(0, enterprises - 1), st.booleans()),
            max_size=2,
        )
    )
    return Case(
        enterprises=enterprises,
        persons=persons,
        department=department,
        holdings=[h for h in holdings if h[0] != h[1]],
        declarations=declarations,
        threshold=draw(st.sampled_from([0.25, 0.1, 0.5])),
        max_depth=draw(st.sampled_from([1, 2, 3, 10])),
    )


def build(case: Case) -> GraphBuilder:
    """The case as a graph: holder indexes run over enterprises, then persons, then the dept."""
    g = GraphBuilder()
    companies = [g.enterprise(uscc(n + 1)) for n in range(case.enterprises)]
    people = [g.person(resident_id(n + 1)) for n in range(case.persons)]
    dept = [g.department("DEPT-1")] if case.department else []
    for number, (holder, investee, stake, state) in enumerate(case.holdings):
        start = {"open": date(2000, 1, 1), "ended": date(2000, 1, 1), "future": date(2030, 1, 1)}
        first = start[state] + timedelta(days=number)  # distinct start keys: parallel edges
        end = date(2010, 1, 1) if state == "ended" else None
        share, (low, high) = (None, stake) if isinstance(stake, tuple) else (stake, (None, None))
        source: Subject
        kind: str | None = None
        if holder < case.enterprises:
            source = companies[holder]
        elif holder < case.enterprises + case.persons:
            source = people[holder - case.enterprises]
        else:
            source, kind = dept[0], "DEPARTMENT"
        g.owns(source, companies[investee], share, first, end, kind, share_min=low, share_max=high)
    for number, (person, company, held) in enumerate(case.declarations):
        first = date(2015, 1, 1) + timedelta(days=number)  # distinct MERGE keys
        end = None if held else date(2020, 1, 1)
        g.holds(people[person], companies[company], "ACTUAL_CONTROLLER", first, end)
    return g


def key(node: Node) -> str:
    """The key the engine reports for a model node."""
    return node[-1]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_engine_equals_reference_model(
    case: Case, neo4j_driver: neo4j.Driver, neo4j_target: Target
) -> None:
    wipe(neo4j_driver, neo4j_target.database)
    runner = QueryRunner(neo4j_driver, neo4j_target.database)
    g = build(case)
    g.write(runner)
    target = uscc(1)
    report = owners(runner, target, ON, threshold=case.threshold, max_depth=case.max_depth)
    expected = penetrate(
        g.to_networkx(), ("Enterprise", target), ON, case.threshold, case.max_depth
    )
    got = {
        owner.subject.uscc
        or owner.subject.code
        or (owner.subject.person.id_number if owner.subject.person else ""): owner
        for owner in report.owners
    }
    assert set(got) == {key(node) for node in expected}
    for node, want in expected.items():
        have = got[key(node)]
        assert abs(have.share_known_part - want.share_known_part) < 1e-9, node
        assert abs(have.share_min - want.share_min) < 1e-9, node
        assert abs(have.share_max - want.share_max) < 1e-9, node
        assert have.share_min <= have.share_max + 1e-12, node
        assert abs(have.direct_share_min - want.direct_share_min) < 1e-9, node
        assert abs(have.direct_share_max - want.direct_share_max) < 1e-9, node
        assert (have.share is None) == (want.share is None), node
        if have.share is not None and want.share is not None:
            assert abs(have.share - want.share) < 1e-9, node
        assert (have.direct_share is None) == (want.direct_share is None), node
        if have.direct_share is not None and want.direct_share is not None:
            assert abs(have.direct_share - want.direct_share) < 1e-9, node
        assert have.unknown_chains == want.unknown_chains, node
        assert len(have.chains) == want.chains, node
        assert have.beneficial_owner == want.beneficial_owner, node
        assert have.beneficial_owner_status == want.beneficial_owner_status, node
        assert have.controls == want.controls, node
        assert have.control_status == want.control_status, node
        assert have.controller == want.controller, node
        assert have.ultimate_controller == want.ultimate, node
    assert {c.subject.id for c in report.controllers} == {
        owner.subject.id for owner in report.owners if owner.controller
    }
