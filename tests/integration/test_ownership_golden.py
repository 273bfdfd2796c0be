"""Ownership penetration and actual controllers on hand-made graphs with known answers."""

from __future__ import annotations

from datetime import date

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.errors import InvalidInput, NotFound
from tracer.queries.ownership import Owner, OwnersReport, actual_controllers, owners
from tracer.queries.runner import QueryRunner

ON = date(2024, 1, 1)
T = uscc(1)


def by_key(report: OwnersReport) -> dict[str, Owner]:
    """Owners keyed by USCC, department code or ID number."""
    keyed: dict[str, Owner] = {}
    for owner in report.owners:
        subject = owner.subject
        key = subject.uscc or subject.code or (subject.person.id_number if subject.person else None)
        assert key is not None
        keyed[key] = owner
    return keyed


def test_pyramid_penetrates_and_derives_the_ultimate_controller(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t, a, b = g.enterprise(T), g.enterprise(uscc(2)), g.enterprise(uscc(3))
    p, q = g.person(resident_id(1), "张三"), g.person(resident_id(2), "李四")
    g.owns(p, a, 0.6)
    g.owns(q, a, 0.4)
    g.owns(a, b, 0.7)
    g.owns(b, t, 0.8)
    g.write(runner)
    report = owners(runner, T, ON)
    rows = by_key(report)
    assert set(rows) == {a, b, p[1], q[1]}
    assert rows[p[1]].share == pytest.approx(0.336)
    assert rows[q[1]].share == pytest.approx(0.224)
    assert rows[a].share == pytest.approx(0.56)
    assert rows[b].share == pytest.approx(0.8) and rows[b].direct_share == pytest.approx(0.8)
    assert rows[p[1]].direct_share == 0.0
    assert [c.product for c in rows[p[1]].chains] == [pytest.approx(0.336)]
    chain = rows[p[1]].chains[0]
    assert [s.id for s in chain.subjects] == [rows[p[1]].subject.id, "E:" + a, "E:" + b, "E:" + t]
    assert chain.subjects[0].person is not None
    assert chain.subjects[0].person.id_masked == p[1][:6] + "********" + p[1][-4:]
    assert chain.shares == [0.6, 0.7, 0.8] and chain.links == ["OWNS"] * 3
    # B holds 80% directly: controlling shareholder, not an "actual controller".
    assert rows[b].controls and rows[b].controller is None
    assert rows[a].controller == "derived" and not rows[a].ultimate_controller
    assert rows[p[1]].controller == "derived" and rows[p[1]].ultimate_controller
    assert rows[q[1]].controller is None and not rows[q[1]].controls
    assert rows[p[1]].beneficial_owner and rows[p[1]].beneficial_owner_basis == "share"
    assert not rows[q[1]].beneficial_owner
    proving = rows[p[1]].control_chains
    assert [[s.id for s in c.subjects] for c in proving] == [
        [rows[p[1]].subject.id, "E:" + a, "E:" + b, "E:" + t]
    ]
    assert {c.subject.id for c in report.controllers} == {rows[a].subject.id, rows[p[1]].subject.id}
    assert report.owners[0].subject.uscc == b  # largest share first
    assert not report.truncated


def test_forty_plus_twenty_through_controlled_companies_is_control(runner: QueryRunner) -> None:
    g = GraphBuilder()
    x, b, c, d = (g.enterprise(uscc(n)) for n in (1, 2, 3, 4))
    p, q = g.person(resident_id(1)), g.person(resident_id(2))
    g.owns(p, b, 0.6)
    g.owns(p, c, 0.6)
    g.owns(b, x, 0.4)
    g.owns(c, x, 0.2)
    g.owns(q, d, 0.5)  # Q holds only half of D: D's 30% does not count for Q
    g.owns(d, x, 0.3)
    g.write(runner)
    rows = by_key(owners(runner, x, ON))
    assert rows[p[1]].share == pytest.approx(0.36)
    assert rows[p[1]].controls and rows[p[1]].controller == "derived"
    assert len(rows[p[1]].control_chains) == 2
    assert not rows[q[1]].controls and rows[q[1]].share == pytest.approx(0.15)
    assert not rows[b].controls and not rows[c].controls
    controllers = actual_controllers(runner, x, ON)
    assert [c.subject.id for c in controllers] == [rows[p[1]].subject.id]
    assert controllers[0].basis == "derived" and controllers[0].ultimate


def test_cross_holding_cycle_never_loops(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t, a, b = g.enterprise(T), g.enterprise(uscc(2)), g.enterprise(uscc(3))
    p = g.person(resident_id(1))
    g.owns(a, b, 0.5)
    g.owns(b, a, 0.5)
    g.owns(a, t, 0.6)
    g.owns(p, a, 0.5)
    g.owns(t, b, 0.1)  # the target holds a stake upstream too
    g.write(runner)
    rows = by_key(owners(runner, t, ON))
    assert set(rows) == {a, b, p[1]}
    assert rows[a].share == pytest.approx(0.6)
    assert rows[b].share == pytest.approx(0.3)
    assert rows[p[1]].share == pytest.approx(0.3)
    assert rows[a].controls and rows[a].controller is None and rows[a].ultimate_controller
    assert not rows[p[1]].controls and not rows[b].controls
    assert rows[p[1]].beneficial_owner and rows[p[1]].beneficial_owner_basis == "share"


def test_several_chains_sum_and_prove_derived_control(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t, a, b = g.enterprise(T), g.enterprise(uscc(2)), g.enterprise(uscc(3))
    p = g.person(resident_id(1))
    g.owns(p, a, 1.0)
    g.owns(p, b, 1.0)
    g.owns(a, t, 0.25)
    g.owns(b, t, 0.2)
    g.owns(p, t, 0.1)
    g.write(runner)
    owner = by_key(owners(runner, t, ON))[p[1]]
    assert owner.share == pytest.approx(0.55)
    assert owner.direct_share == pytest.approx(0.1)
    assert sorted(c.product or 0 for c in owner.chains) == pytest.approx([0.1, 0.2, 0.25])
    assert owner.controller == "derived" and len(owner.control_chains) == 3


def test_unknown_share_is_null_never_zero(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t, a = g.enterprise(T), g.enterprise(uscc(2))
    p, q, r, s = (g.person(resident_id(n)) for n in (1, 2, 3, 4))
    g.owns(p, a)  # share unknown
    g.owns(a, t, 0.6)
    g.owns(q, t, 0.3)
    g.owns(q, a, start_date=date(2010, 1, 1))  # second holding, unknown share
    g.owns(r, a, 0.4)
    g.owns(s, t)  # direct holding, unknown
    g.write(runner)
    report = owners(runner, t, ON)
    rows = by_key(report)
    assert rows[p[1]].share is None
    assert rows[p[1]].share_known_part == 0.0 and rows[p[1]].unknown_chains == 1
    assert rows[p[1]].chains[0].product is None and rows[p[1]].chains[0].shares == [None, 0.6]
    assert rows[q[1]].share is None
    assert rows[q[1]].share_known_part == pytest.approx(0.3) and rows[q[1]].unknown_chains == 1
    assert rows[q[1]].direct_share == pytest.approx(0.3)
    assert rows[r[1]].share == pytest.approx(0.24) and rows[r[1]].unknown_chains == 0
    assert rows[s[1]].direct_share is None and rows[s[1]].share is None
    # The known part is a lower bound: 30% is enough for a beneficial owner.
    assert rows[q[1]].beneficial_owner and not rows[p[1]].beneficial_owner
    # Unknown shares never establish control: A's holders are 40% known + unknown.
    assert not any(row.controls for row in report.owners if row.subject.kind == "PERSON")


def test_only_shareholdings_held_on_the_date_count(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t = g.enterprise(T)
    p, q, r = (g.person(resident_id(n)) for n in (1, 2, 3))
    g.owns(p, t, 0.6, start_date=date(2015, 1, 1), end_date=date(2020, 1, 1))
    g.owns(q, t, 0.6, start_date=date(2020, 1, 2))
    g.owns(r, t, 0.4, start_date=date(2030, 1, 1))
    g.write(runner)
    assert set(by_key(owners(runner, t, date(2021, 6, 1)))) == {q[1]}
    assert set(by_key(owners(runner, t, date(2019, 6, 1)))) == {p[1]}
    assert set(by_key(owners(runner, t, date(2020, 1, 1)))) == {p[1]}  # end date inclusive
    assert set(by_key(owners(runner, t, date(2031, 1, 1)))) == {q[1], r[1]}


def test_depth_is_bounded(runner: QueryRunner) -> None:
    g = GraphBuilder()
    chain = [g.enterprise(uscc(n)) for n in range(1, 13)]  # chain[0] is the target
    p = g.person(resident_id(1))
    for holder, investee in zip(chain[1:], chain[:-1], strict=True):
        g.owns(holder, investee, 1.0)
    g.owns(p, chain[-1], 1.0)
    g.write(runner)
    rows = by_key(owners(runner, chain[0], ON))
    assert set(rows) == set(chain[1:11])  # 10 edges from the target
    deep = by_key(owners(runner, chain[0], ON, max_depth=12))
    assert deep[p[1]].share == pytest.approx(1.0)
    assert deep[p[1]].controller == "derived" and deep[p[1]].ultimate_controller
    assert len(deep[p[1]].chains[0].subjects) == 13
    shallow = by_key(owners(runner, chain[0], ON, max_depth=2))
    assert set(shallow) == set(chain[1:3])
    with pytest.raises(InvalidInput):
        owners(runner, chain[0], ON, max_depth=16)
    with pytest.raises(InvalidInput):
        owners(runner, chain[0], ON, threshold=0)


def test_declared_controllers(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t, b = g.enterprise(T), g.enterprise(uscc(2))
    p, q, old = (g.person(resident_id(n)) for n in (1, 2, 3))
    g.holds(p, t, "ACTUAL_CONTROLLER", date(2018, 1, 1))
    g.holds(old, t, "ACTUAL_CONTROLLER", date(2010, 1, 1), end_date=date(2017, 12, 31))
    g.holds(q, b, "ACTUAL_CONTROLLER", date(2018, 1, 1))
    g.owns(b, t, 0.6)
    g.write(runner)
    report = owners(runner, t, ON)
    rows = by_key(report)
    assert old[1] not in rows
    assert rows[p[1]].controller == "declared" and rows[p[1]].share == 0.0
    assert [c.links for c in rows[p[1]].control_chains] == [["ACTUAL_CONTROLLER"]]
    assert rows[q[1]].controller == "derived"
    assert [c.links for c in rows[q[1]].control_chains] == [["ACTUAL_CONTROLLER", "OWNS"]]
    assert rows[q[1]].control_chains[0].product is None
    # No person holds 25%: the persons who control are the beneficial owners.
    assert {k for k, row in rows.items() if row.beneficial_owner} == {p[1], q[1]}
    assert {row.beneficial_owner_basis for row in rows.values() if row.beneficial_owner} == {
        "control"
    }
    controllers = actual_controllers(runner, t, ON)
    assert sorted(c.basis for c in controllers) == ["declared", "derived"]


def test_organisation_owner(runner: QueryRunner) -> None:
    g = GraphBuilder()
    sasac = g.department("SASAC-11", "北京市国资委")
    group = g.enterprise(uscc(2), "国有集团", ownership="STATE")
    t = g.enterprise(T, "国有子公司", ownership="STATE")
    g.owns(sasac, group, 1.0, holder_kind="DEPARTMENT")
    g.owns(group, t, 0.7)
    g.write(runner)
    report = owners(runner, t, ON)
    rows = by_key(report)
    dept = rows[sasac]
    assert dept.subject.kind == "DEPARTMENT" and dept.subject.name == "北京市国资委"
    assert dept.share == pytest.approx(0.7)
    assert dept.controller == "derived" and dept.ultimate_controller
    assert not dept.beneficial_owner
    assert report.enterprise.name == "国有子公司"


def test_unknown_and_invalid_enterprise(runner: QueryRunner) -> None:
    with pytest.raises(NotFound):
        owners(runner, uscc(99), ON)
    with pytest.raises(InvalidInput):
        owners(runner, "91110105000000000", ON)


# -- unknown and ranged shares (docs/DECISIONS.md, "Unknown and ranged shares") ---------------
def test_an_unknown_link_makes_the_chain_unknown_and_bounded(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t, a = g.enterprise(T), g.enterprise(uscc(2))
    p, q, s = (g.person(resident_id(n)) for n in (1, 2, 3))
    g.owns(p, a)  # unknown: at most the 30% Q leaves
    g.owns(q, a, 0.7)
    g.owns(a, t, 0.8)
    g.owns(s, t)  # unknown: at most the 20% A leaves
    g.write(runner)
    rows = by_key(owners(runner, t, ON))
    owner = rows[p[1]]
    assert owner.share is None and owner.unknown_chains == 1
    assert owner.share_min == 0.0 and owner.share_max == pytest.approx(0.24)
    chain = owner.chains[0]
    assert chain.product is None and chain.shares == [None, 0.8]
    assert chain.product_min == 0.0 and chain.product_max == pytest.approx(0.24)
    assert rows[s[1]].direct_share is None and rows[s[1]].unknown_direct == 1
    assert rows[s[1]].share_max == pytest.approx(0.2)
    assert rows[q[1]].share == pytest.approx(0.56) and rows[q[1]].share_max == pytest.approx(0.56)
    # 25%: neither unknown share can reach it; Q is one for sure.
    statuses = {k: row.beneficial_owner_status for k, row in rows.items()}
    assert statuses == {a: "no", p[1]: "no", q[1]: "yes", s[1]: "no"}
    # 20%: both unknown shares could reach it ("possibly", never silently no).
    rows = by_key(owners(runner, t, ON, threshold=0.2))
    assert rows[p[1]].beneficial_owner_status == "possibly" and not rows[p[1]].beneficial_owner
    assert rows[p[1]].beneficial_owner_basis == "share"
    assert rows[s[1]].beneficial_owner_status == "possibly"
    assert rows[a].control_status == "yes" and rows[q[1]].control_status == "yes"
    assert rows[p[1]].control_status == "no"


def test_a_range_propagates_as_a_range(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t, a = g.enterprise(T), g.enterprise(uscc(2))
    p, q = g.person(resident_id(1)), g.person(resident_id(2))
    g.owns(p, a, share_min=0.4, share_max=0.6)
    g.owns(a, t, 0.55)
    g.owns(q, t, 0.45)
    g.write(runner)
    report = owners(runner, t, ON)
    rows = by_key(report)
    owner = rows[p[1]]
    assert owner.share is None and owner.unknown_chains == 0
    assert (owner.share_min, owner.share_max) == pytest.approx((0.22, 0.33))
    chain = owner.chains[0]
    assert chain.shares == [None, 0.55]
    assert chain.shares_min == [0.4, None] and chain.shares_max == [0.6, None]
    assert (chain.product_min, chain.product_max) == pytest.approx((0.22, 0.33))
    assert owner.beneficial_owner_status == "possibly" and not owner.beneficial_owner
    # P holds 40-60% of A, which holds 55% of T: P possibly controls T, A controls it.
    assert owner.control_status == "possibly" and not owner.controls and owner.controller is None
    assert rows[a].control_status == "yes" and rows[a].controls
    assert rows[q[1]].beneficial_owner_status == "yes" and rows[q[1]].control_status == "no"
    assert report.controllers == []  # A is the controlling shareholder, no actual controller
    # A point share is a degenerate range.
    assert (rows[q[1]].share_min, rows[q[1]].share_max) == (0.45, 0.45)


def test_joint_ownership_by_two_holders_with_ranges(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t = g.enterprise(T)
    p, q = g.person(resident_id(1)), g.person(resident_id(2))
    g.owns(p, t, share_min=0.5, share_max=0.7)
    g.owns(q, t, share_min=0.4, share_max=0.5)
    g.write(runner)
    report = owners(runner, t, ON)
    rows = by_key(report)
    # Each top is lowered to what the other's bottom leaves: P 50-60%, Q 40-50%.
    assert (rows[p[1]].share_min, rows[p[1]].share_max) == pytest.approx((0.5, 0.6))
    assert (rows[q[1]].share_min, rows[q[1]].share_max) == pytest.approx((0.4, 0.5))
    assert (rows[p[1]].direct_share_min, rows[p[1]].direct_share_max) == pytest.approx((0.5, 0.6))
    assert rows[p[1]].direct_share is None and rows[p[1]].unknown_direct == 0
    assert {k: row.beneficial_owner_status for k, row in rows.items()} == {
        p[1]: "yes",
        q[1]: "yes",
    }
    # 50% is not a majority; P could hold up to 60%, Q at most 50%.
    assert rows[p[1]].control_status == "possibly" and rows[q[1]].control_status == "no"
    assert report.controllers == []


def test_a_cycle_with_an_unknown_share(runner: QueryRunner) -> None:
    g = GraphBuilder()
    t, a, b = g.enterprise(T), g.enterprise(uscc(2)), g.enterprise(uscc(3))
    p, r = g.person(resident_id(1)), g.person(resident_id(2))
    g.owns(p, a, 0.5)
    g.owns(a, b, 0.5)
    g.owns(b, a)  # unknown: at most the 50% P leaves
    g.owns(a, t, 0.6)
    g.owns(b, t, 0.2)
    g.owns(r, b, 1.0)
    g.write(runner)
    rows = by_key(owners(runner, t, ON))
    # P's chains avoid the unknown link: P→A→T 30%, P→A→B→T 5%.
    assert rows[p[1]].share == pytest.approx(0.35) and rows[p[1]].unknown_chains == 0
    assert rows[a].share == pytest.approx(0.7)
    # B: 20% directly, B→A→T at most 50% × 60%.
    assert rows[b].share is None and rows[b].unknown_chains == 1
    assert (rows[b].share_min, rows[b].share_max) == pytest.approx((0.2, 0.5))
    assert rows[r[1]].share is None
    assert (rows[r[1]].share_min, rows[r[1]].share_max) == pytest.approx((0.2, 0.5))
    assert rows[r[1]].beneficial_owner_status == "possibly"
    assert rows[p[1]].beneficial_owner_status == "yes"
    assert rows[a].control_status == "yes" and rows[a].controller is None
    assert rows[b].control_status == "no" and rows[r[1]].control_status == "no"
