"""Golden scenarios: one per propagation rule (R1–R7) and per principle of DOMAIN.md §5."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.graph_builder import GraphBuilder, PersonKey, resident_id, uscc
from tracer.domain.errors import InvalidInput
from tracer.queries.liability import (
    APPOINTED_AFTER_ACT,
    PersonCheck,
    check_person,
    finding_reach,
)
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
ACT = D(2020, 3, 1)
DECIDED = D(2021, 5, 10)
AS_OF = D(2022, 1, 1)


@pytest.fixture()
def engine(runner: QueryRunner) -> QueryRunner:
    install_reference_data(runner)
    return runner


def check(runner: QueryRunner, person: PersonKey, as_of: dt.date = AS_OF, **kw: str) -> PersonCheck:
    return check_person(runner, person[0], person[1], as_of, **kw)


def rules(result: PersonCheck) -> set[tuple[str, str]]:
    return {(item.finding_id, item.rule) for item in result.liabilities}


def test_r1_role_held_on_the_act_date_not_after_and_not_before(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(1), "甲建筑有限公司")
    during = g.person(resident_id(1), "张三")
    after = g.person(resident_id(2), "李四")
    before = g.person(resident_id(3), "王五")
    g.holds(before, co, "LEGAL_REPRESENTATIVE", D(2010, 1, 1), D(2014, 12, 31))
    g.holds(during, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1), D(2020, 12, 31))
    g.holds(after, co, "LEGAL_REPRESENTATIVE", D(2021, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT)
    g.write(engine)

    liable = check(engine, during)
    assert liable.restricted and liable.known
    assert rules(liable) == {("F1", "R1"), ("F1", "R2"), ("F1", "R3"), ("F1", "R4")}
    r1 = next(item for item in liable.liabilities if item.rule == "R1")
    assert r1.via == "LEGAL_REPRESENTATIVE" and r1.effects == ["CREDIT_RECORD"]
    assert r1.basis_date == ACT and r1.enterprise is not None and r1.enterprise.uscc == co
    assert "33号" in r1.source
    labels = [getattr(step, "label", getattr(step, "type", None)) for step in r1.path]
    assert labels == ["Person", "HOLDS", "Enterprise", "AGAINST", "Finding"]
    assert r1.path[1].properties == {
        "role": "LEGAL_REPRESENTATIVE",
        "start_date": D(2015, 1, 1),
        "end_date": D(2020, 12, 31),
    }
    assert liable.exposures == []

    appointed_after = check(engine, after)
    assert not appointed_after.restricted and appointed_after.liabilities == []
    assert [(e.finding_id, e.role, e.since, e.reason) for e in appointed_after.exposures] == [
        ("F1", "LEGAL_REPRESENTATIVE", D(2021, 1, 1), APPOINTED_AFTER_ACT)
    ]

    left_before = check(engine, before)
    assert not left_before.restricted and left_before.exposures == []


def test_r1_unknown_act_date_falls_back_to_the_decision(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(2))
    early = g.person(resident_id(4))
    late = g.person(resident_id(5))
    g.holds(early, co, "PRINCIPAL", D(2015, 1, 1), D(2021, 1, 1))
    g.holds(late, co, "PRINCIPAL", D(2021, 1, 2))
    g.finding("F1", co, decided_on=DECIDED)
    g.write(engine)
    assert check(engine, early).liabilities == []
    assert ("F1", "R1") in rules(check(engine, late))
    assert check(engine, late).liabilities[0].basis_date == DECIDED


def test_named_capacity_reaches_but_unnamed_director_and_shareholder_do_not(
    engine: QueryRunner,
) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(3))
    named_director = g.person(resident_id(6), "董事甲")
    director = g.person(resident_id(7), "董事乙")
    shareholder = g.person(resident_id(8), "股东丙")
    named_shareholder = g.person(resident_id(9), "股东丁")
    named_only = g.person(resident_id(10), "财务戊")
    for person in (named_director, director):
        g.holds(person, co, "DIRECTOR", D(2015, 1, 1))
    g.holds(director, co, "CHAIRMAN", D(2015, 1, 1))
    g.owns(shareholder, co, 0.6, D(2015, 1, 1))
    g.owns(named_shareholder, co, 0.4, D(2015, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT)
    for person in (named_director, named_shareholder, named_only):
        g.names("F1", person)
    g.write(engine)

    assert check(engine, director).liabilities == []
    assert check(engine, director).exposures == []
    assert check(engine, shareholder).liabilities == []
    named_dir = check(engine, named_director)
    assert rules(named_dir) == {("F1", "R1"), ("F1", "R3")}
    r3 = next(item for item in named_dir.liabilities if item.rule == "R3")
    assert (r3.via, r3.role, r3.capacity) == ("DIRECTOR", "DIRECTOR", "DIRECTLY_RESPONSIBLE")
    r1 = next(item for item in named_dir.liabilities if item.rule == "R1")
    assert (r1.via, r1.capacity) == ("DIRECTLY_RESPONSIBLE", "DIRECTLY_RESPONSIBLE")
    assert [getattr(s, "label", getattr(s, "type", None)) for s in r1.path] == [
        "Person",
        "NAMES",
        "Finding",
        "AGAINST",
        "Enterprise",
    ]
    named_sh = check(engine, named_shareholder)
    assert rules(named_sh) == {("F1", "R1"), ("F1", "R3")}
    sh_r3 = next(item for item in named_sh.liabilities if item.rule == "R3")
    assert sh_r3.via == "SHAREHOLDER" and sh_r3.path[1].type == "OWNS"  # type: ignore[union-attr]
    assert rules(check(engine, named_only)) == {("F1", "R1")}


def test_r2_registered_practitioner_only_when_named(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(4))
    named = g.person(resident_id(11), "建造师甲")
    unnamed = g.person(resident_id(12), "建造师乙")
    g.registered(named, co, D(2018, 1, 1), qualification="一级注册建造师")
    g.registered(unnamed, co, D(2018, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT, list_type="WORK_SAFETY_SERIOUS")
    g.names("F1", named)
    g.write(engine)

    result = check(engine, named, measure="MARKET_BAN")
    assert result.restricted
    assert rules(result) == {("F1", "R1"), ("F1", "R2")}
    r2 = next(item for item in result.liabilities if item.rule == "R2")
    assert r2.via == "REGISTERED_PRACTITIONER" and r2.effects == ["MARKET_BAN"]
    assert "MARKET_BAN" in r2.measures
    assert r2.path[1].properties["qualification"] == "一级注册建造师"
    assert check(engine, unnamed).liabilities == []


def test_r3_senior_managers_by_role_r4_declared_and_named_actual_controllers(
    engine: QueryRunner,
) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(5))
    manager = g.person(resident_id(13))
    declared = g.person(resident_id(14))
    named = g.person(resident_id(15))
    g.holds(manager, co, "GENERAL_MANAGER", D(2016, 1, 1))
    g.holds(declared, co, "ACTUAL_CONTROLLER", D(2016, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT)
    g.names("F1", named, "ACTUAL_CONTROLLER")
    g.write(engine)

    manager_check = check(engine, manager, measure="HONOURS_REVOKED")
    assert rules(manager_check) == {("F1", "R3")} and manager_check.restricted
    assert not check(engine, manager, measure="MARKET_BAN").restricted
    assert rules(check(engine, declared)) == {("F1", "R4")}
    r4 = check(engine, named).liabilities
    assert [(item.rule, item.via, item.effects) for item in r4] == [
        ("R4", "ACTUAL_CONTROLLER", ["PERSONAL_PUNISHMENT"])
    ]


def test_r5_consumption_restrictions_follow_the_decision_date(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(6))
    at_decision = g.person(resident_id(16), "现任法代")
    at_act_only = g.person(resident_id(17), "前任法代")
    controller = g.person(resident_id(18), "实控人")
    g.holds(at_act_only, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1), D(2020, 12, 31))
    g.holds(at_decision, co, "LEGAL_REPRESENTATIVE", D(2021, 1, 1))
    g.finding("J1", co, decided_on=DECIDED, act_date=ACT, list_type="JUDGMENT_DEFAULTER")
    g.names("J1", controller, "ACTUAL_CONTROLLER")
    g.write(engine)

    current = check(engine, at_decision, measure="FLIGHT_BAN")
    assert current.restricted
    assert rules(current) == {("J1", "R5")}
    r5 = current.liabilities[0]
    assert r5.effects == ["CONSUMPTION_RESTRICTION"] and r5.basis_date == DECIDED
    for code in (
        "FLIGHT_BAN",
        "HIGH_SPEED_RAIL_BAN",
        "EXIT_BAN",
        "REAL_ESTATE_BAN",
        "STAR_HOTEL_BAN",
    ):
        assert code in r5.measures
    assert r5.category == "REFUSE_OBLIGATION"

    former = check(engine, at_act_only, measure="FLIGHT_BAN")
    assert not former.restricted
    assert rules(former) == {("J1", "R1"), ("J1", "R2"), ("J1", "R3"), ("J1", "R4")}

    named = check(engine, controller, measure="HIGH_SPEED_RAIL_BAN")
    assert named.restricted and rules(named) == {("J1", "R4"), ("J1", "R5")}


def test_consumption_restrictions_need_a_refuse_obligation_finding(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(7))
    boss = g.person(resident_id(19))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("T1", co, decided_on=DECIDED, act_date=ACT, list_type="MAJOR_TAX_VIOLATION")
    g.write(engine)
    assert not check(engine, boss, measure="FLIGHT_BAN").restricted
    assert check(engine, boss, measure="PUBLIC_BIDDING_BAN").restricted
    assert check(engine, boss).restricted


def test_r6_notifies_superior_and_audit_departments_of_state_bodies(engine: QueryRunner) -> None:
    g = GraphBuilder()
    g.department("SASAC-CQ", "重庆市国资委", kind="SASAC", region_code="500000")
    g.department("AUDIT-CQ", "重庆市审计局", kind="AUDIT", region_code="500000")
    g.department("AUDIT-BJ", "北京市审计局", kind="AUDIT", region_code="110000")
    soe = g.enterprise(
        uscc(8), "国有甲", ownership="STATE", region_code="500103", superior="SASAC-CQ"
    )
    institution = g.enterprise(uscc(9, prefix="12"), "事业单位乙", kind="PUBLIC_INSTITUTION")
    private = g.enterprise(uscc(10), "民营丙", ownership="PRIVATE", superior="SASAC-CQ")
    for finding_id, subject in (("S1", soe), ("S2", institution), ("S3", private)):
        g.finding(finding_id, subject, decided_on=DECIDED, act_date=ACT)
    g.write(engine)

    soe_reach = finding_reach(engine, "S1", AS_OF)
    notified = {(n.rule, n.relation, n.code) for n in soe_reach.notified}
    assert notified == {("R6", "SUPERIOR", "SASAC-CQ"), ("R6", "AUDIT", "AUDIT-CQ")}
    assert all(n.effect == "NOTIFICATION" and "118号" in n.source for n in soe_reach.notified)
    assert soe_reach.liable == []  # R6 reaches organisations, not persons

    institution_reach = finding_reach(engine, "S2", AS_OF)
    assert {(n.relation, n.code) for n in institution_reach.notified} == {
        ("SUPERIOR", None),
        ("AUDIT", None),
    }
    assert all(n.missing for n in institution_reach.notified)
    assert finding_reach(engine, "S3", AS_OF).notified == []


def test_r7_officer_ban_lasts_ban_years_from_the_decision(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(11))
    boss = g.person(resident_id(20))
    successor = g.person(resident_id(28))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2020, 1, 1), D(2020, 12, 31))  # on the decision
    g.holds(successor, co, "LEGAL_REPRESENTATIVE", D(2021, 1, 1))
    g.finding(
        "M1",
        co,
        decided_on=D(2020, 5, 1),
        act_date=D(2019, 1, 1),
        list_type="MARKET_SUPERVISION_SERIOUS",
    )
    g.write(engine)

    on_last_day = check(engine, boss, D(2023, 5, 1), measure="OFFICER_BAN")
    assert on_last_day.restricted
    assert rules(on_last_day) == {("M1", "R7")}  # not an officer on the act date: R7 only
    r7 = on_last_day.liabilities[0]
    assert r7.effects == ["OFFICER_BAN"] and r7.effective_until == D(2023, 5, 1)
    assert r7.basis_date == D(2020, 5, 1)
    assert not check(engine, boss, D(2023, 5, 2), measure="OFFICER_BAN").restricted
    assert not check(engine, successor, D(2022, 1, 1), measure="OFFICER_BAN").restricted

    install_reference_data(engine, {"rules": [{"rule_id": "R7", "ban_years": "5"}]})
    longer = check(engine, boss, D(2024, 6, 1), measure="OFFICER_BAN")
    assert longer.restricted and longer.liabilities[0].effective_until == D(2025, 5, 1)


@pytest.mark.parametrize("status", ["UNDER_REVIEW", "CORRECTED", "REVOKED", "REPAIRED", "EXPIRED"])
def test_only_active_findings_apply(engine: QueryRunner, status: str) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(12))
    boss = g.person(resident_id(21))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT, status=status)
    g.write(engine)
    result = check(engine, boss)
    assert not result.restricted and result.liabilities == [] and result.exposures == []
    reach = finding_reach(engine, "F1", AS_OF)
    assert not reach.finding.applies and reach.finding.not_applying_reason == f"status is {status}"


def test_decision_date_and_punishment_period_bound_the_finding(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(13))
    boss = g.person(resident_id(22))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT, effective_until=D(2023, 5, 9))
    g.write(engine)
    assert not check(engine, boss, DECIDED - dt.timedelta(days=1)).restricted
    assert check(engine, boss, DECIDED).restricted
    assert check(engine, boss, D(2023, 5, 9)).restricted
    assert check(engine, boss, D(2023, 5, 9)).liabilities[0].effective_until == D(2023, 5, 9)
    assert not check(engine, boss, D(2023, 5, 10)).restricted


def test_released_person_is_exposed_not_liable_and_others_stay_liable(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(14))
    released = g.person(resident_id(23))
    other = g.person(resident_id(24))
    g.holds(released, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(other, co, "PRINCIPAL", D(2015, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT)
    g.release("F1", released)
    g.write(engine)
    result = check(engine, released)
    assert not result.restricted
    assert [(e.role, e.reason) for e in result.exposures] == [
        ("LEGAL_REPRESENTATIVE", "released from this finding")
    ]
    assert check(engine, other).restricted


def test_same_name_different_id_is_never_confused(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(15))
    zhang_wei = g.person(resident_id(25), "张伟")
    namesake = g.person(resident_id(26, birth="19900202"), "张伟")
    passport = g.person(resident_id(25), "张伟", id_type="PASSPORT")
    g.holds(zhang_wei, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT)
    g.write(engine)
    assert check(engine, zhang_wei).restricted
    assert not check(engine, namesake).restricted and check(engine, namesake).known
    assert not check(engine, passport).restricted  # same number, other document type


def test_finding_against_a_person_makes_the_subject_liable(engine: QueryRunner) -> None:
    g = GraphBuilder()
    debtor = g.person(resident_id(27), "被执行人")
    g.finding("P1", debtor, decided_on=DECIDED, list_type="JUDGMENT_DEFAULTER")
    g.write(engine)
    result = check(engine, debtor, measure="FLIGHT_BAN")
    assert result.restricted
    assert rules(result) == {("P1", "R1"), ("P1", "R3"), ("P1", "R5")}
    assert {item.via for item in result.liabilities} == {"SUBJECT"}
    assert all(item.enterprise is None for item in result.liabilities)


def test_unknown_person_is_not_restricted_and_unknown_measure_is_rejected(
    engine: QueryRunner,
) -> None:
    nobody = ("RESIDENT_ID", resident_id(99))
    result = check(engine, nobody)
    assert not result.known and not result.restricted and result.subject.name is None
    with pytest.raises(InvalidInput, match="NO_SUCH_MEASURE"):
        check(engine, nobody, measure="NO_SUCH_MEASURE")
