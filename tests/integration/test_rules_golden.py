"""Golden scenarios: one per propagation rule (R1–R10) and per principle of DOMAIN.md §5, §5b."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.errors import UnknownCode
from tracer.domain.keys import PersonKey
from tracer.queries.liability import (
    APPOINTED_AFTER_ACT,
    IN_OFFICE_DURING_ACT,
    NAMED_ONLY,
    SUCCESSOR,
    Check,
    Liability,
    check_enterprise,
    check_person,
    finding_reach,
)
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
ACT = D(2020, 3, 1)
DECIDED = D(2021, 5, 10)
AS_OF = D(2022, 1, 1)


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)


@pytest.fixture()
def engine(runner: QueryRunner) -> QueryRunner:
    install_reference_data(runner)
    return runner


def check(
    runner: QueryRunner, person: tuple[str, str], as_of: dt.date = AS_OF, measure: str | None = None
) -> Check:
    return check_person(runner, PersonKey(*person), as_of, measure=measure)


def rules(result: Check) -> set[tuple[str, str]]:
    return {(item.finding_id, item.rule) for item in result.liabilities}


def rule(result: Check, rule_id: str) -> Liability:
    return next(item for item in result.liabilities if item.rule == rule_id)


def test_r1_role_held_on_the_act_date_not_after_and_not_before(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(1), "甲建筑有限公司")
    during = g.person(resident_id(1), "张三")
    after = g.person(resident_id(2), "李四")
    before = g.person(resident_id(3), "王五")
    g.holds(before, co, "LEGAL_REPRESENTATIVE", D(2010, 1, 1), D(2014, 12, 31))
    g.holds(during, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1), D(2020, 12, 31))
    g.holds(after, co, "LEGAL_REPRESENTATIVE", D(2021, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT, category="MARKET_ORDER")
    g.write(engine)

    liable = check(engine, during)
    assert liable.liable and liable.restricted and liable.known
    assert rules(liable) == {("F1", "R1"), ("F1", "R2"), ("F1", "R3"), ("F1", "R4")}
    r1 = rule(liable, "R1")
    assert r1.via == "LEGAL_REPRESENTATIVE" and r1.effects == ["CREDIT_RECORD"]
    assert r1.measures == ["CREDIT_RECORD_ENTRY"] and not r1.restricting
    assert r1.reference == "ACT_DATE" and r1.basis_date == ACT
    assert r1.enterprise is not None and r1.enterprise.uscc == co and "33号" in r1.source
    labels = [getattr(step, "label", getattr(step, "type", None)) for step in r1.path]
    assert labels == ["Person", "HOLDS", "Enterprise", "AGAINST", "Finding"]
    assert r1.path[1].properties == {
        "role": "LEGAL_REPRESENTATIVE",
        "start_date": D(2015, 1, 1),
        "end_date": D(2020, 12, 31),
    }
    assert liable.exposures == []

    appointed_after = check(engine, after)
    assert not appointed_after.liable and appointed_after.liabilities == []
    assert [
        (e.finding_id, e.role, e.since, e.kind, e.reason) for e in appointed_after.exposures
    ] == [
        (
            "F1",
            "LEGAL_REPRESENTATIVE",
            D(2021, 1, 1),
            "APPOINTED_AFTER_REFERENCE",
            APPOINTED_AFTER_ACT,
        )
    ]

    left_before = check(engine, before)
    assert not left_before.liable and left_before.exposures == []


def test_r1_unknown_act_date_falls_back_to_the_decision(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(2))
    early = g.person(resident_id(4))
    late = g.person(resident_id(5))
    g.holds(early, co, "PRINCIPAL", D(2015, 1, 1), D(2021, 1, 1))
    g.holds(late, co, "PRINCIPAL", D(2021, 1, 2))
    g.finding("F1", co, decided_on=DECIDED, category="MARKET_ORDER")
    g.write(engine)
    assert check(engine, early).liabilities == []
    assert ("F1", "R1") in rules(check(engine, late))
    assert rule(check(engine, late), "R1").basis_date == DECIDED


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
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT, category="MARKET_ORDER")
    for person in (named_director, named_shareholder, named_only):
        g.names("F1", person)
    g.write(engine)

    assert check(engine, director).liabilities == [] and check(engine, director).exposures == []
    assert check(engine, shareholder).liabilities == []
    named_dir = check(engine, named_director)
    assert rules(named_dir) == {("F1", "R1"), ("F1", "R3")}
    r3 = rule(named_dir, "R3")
    assert (r3.via, r3.role, r3.capacity) == ("DIRECTOR", "DIRECTOR", "DIRECTLY_RESPONSIBLE")
    r1 = rule(named_dir, "R1")
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
    assert rule(named_sh, "R3").via == "SHAREHOLDER"
    assert rules(check(engine, named_only)) == {("F1", "R1")}


def test_r2_without_a_person_level_basis_is_only_eligible(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(4))
    boss = g.person(resident_id(11), "法代甲")
    named = g.person(resident_id(12), "建造师甲")
    unnamed = g.person(resident_id(29), "建造师乙")
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.registered(named, co, D(2018, 1, 1), qualification="一级注册建造师")
    g.registered(unnamed, co, D(2018, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT, list_type="WORK_SAFETY_SERIOUS")
    g.names("F1", named)
    g.write(engine)

    for person, via in ((boss, "LEGAL_REPRESENTATIVE"), (named, "REGISTERED_PRACTITIONER")):
        result = check(engine, person, measure="MARKET_BAN")
        assert not result.restricted  # eligible: for the authority to decide (依法依规)
        r2 = rule(result, "R2")
        assert r2.via == via and r2.measures == [] and r2.effects == []
        assert r2.eligible_measures == ["MARKET_BAN"] and not r2.restricting
    assert check(engine, unnamed).liabilities == []


def test_r2_market_ban_with_its_legal_basis_runs_its_own_period(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(30))
    boss = g.person(resident_id(30), "食品公司法代")
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding(
        "FD1",
        co,
        decided_on=D(2020, 1, 1),
        act_date=D(2019, 6, 1),
        list_type="FOOD_DRUG_SERIOUS",
        ground="LICENCE_REVOKED",
        effective_until=D(2020, 12, 31),
    )
    g.write(engine)

    during = check(engine, boss, D(2023, 6, 1), measure="MARKET_BAN")
    assert during.restricted  # the finding's own period has ended; the law's five years run
    r2 = rule(during, "R2")
    assert r2.measures == ["MARKET_BAN"] and r2.effects == ["MARKET_BAN"]
    detail = r2.measure_details[0]
    assert (
        detail.mandatory and detail.until == D(2024, 12, 31) and "第一百三十五条" in detail.source
    )
    assert r2.effective_until == D(2024, 12, 31) and r2.period_basis == "RULE"
    assert rules(during) == {("FD1", "R2")}
    assert not check(engine, boss, D(2025, 1, 1), measure="MARKET_BAN").restricted


def test_r3_senior_managers_by_role_r4_records_controllers_without_restricting(
    engine: QueryRunner,
) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(5))
    manager = g.person(resident_id(13))
    declared = g.person(resident_id(14))
    named = g.person(resident_id(15))
    g.holds(manager, co, "GENERAL_MANAGER", D(2016, 1, 1))
    g.holds(declared, co, "ACTUAL_CONTROLLER", D(2016, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT, list_type="MAJOR_TAX_VIOLATION")
    g.names("F1", named, "ACTUAL_CONTROLLER")
    g.write(engine)

    manager_check = check(engine, manager, measure="HONOURS_REVOKED")
    assert rules(manager_check) == {("F1", "R3")} and manager_check.restricted
    assert not check(engine, manager, measure="MARKET_BAN").restricted
    for person in (declared, named):
        result = check(engine, person)
        assert rules(result) == {("F1", "R4")}
        assert result.liable and not result.restricted  # recorded, not restricted (§5b)
        r4 = result.liabilities[0]
        assert r4.effects == ["CREDIT_RECORD"] and r4.measures == ["CREDIT_RECORD_ENTRY"]
        assert not check(engine, person, measure="PUBLIC_BIDDING_BAN").restricted


def test_enterprise_measures_are_not_given_to_its_officers(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(7))
    clean = g.enterprise(uscc(31), "无关公司")
    boss = g.person(resident_id(19))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(boss, clean, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("T1", co, decided_on=DECIDED, act_date=ACT, list_type="MAJOR_TAX_VIOLATION")
    g.write(engine)
    assert not check(engine, boss, measure="FLIGHT_BAN").restricted
    assert not check(engine, boss, measure="PUBLIC_BIDDING_BAN").restricted
    assert check(engine, boss).restricted  # honours (R3)
    listed = check_enterprise(engine, co, AS_OF, "PUBLIC_BIDDING_BAN")
    assert listed.restricted and listed.liabilities[0].rule == "LIST"
    assert not check_enterprise(engine, clean, AS_OF, "PUBLIC_BIDDING_BAN").restricted


def test_r5_refusal_lists_reach_the_officer_in_charge_at_the_listing(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(6))
    at_listing = g.person(resident_id(16), "现任法代")
    before_listing = g.person(resident_id(17), "前任法代")
    controller = g.person(resident_id(18), "实控人")
    g.holds(before_listing, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1), D(2020, 12, 31))
    g.holds(at_listing, co, "LEGAL_REPRESENTATIVE", D(2021, 1, 1))
    g.finding("J1", co, decided_on=DECIDED, act_date=ACT, list_type="JUDGMENT_DEFAULTER")
    g.names("J1", controller, "ACTUAL_CONTROLLER")
    g.write(engine)

    current = check(engine, at_listing, measure="FLIGHT_BAN")
    assert current.restricted
    assert rules(current) == {("J1", rule_id) for rule_id in ("R1", "R2", "R3", "R4", "R5")}
    r5 = rule(current, "R5")
    assert r5.effects == ["CONSUMPTION_RESTRICTION"] and r5.basis_date == DECIDED
    assert r5.reference == "DECIDED_ON" and r5.category == "REFUSE_OBLIGATION"
    for code in ("FLIGHT_BAN", "HIGH_SPEED_RAIL_BAN", "REAL_ESTATE_BAN", "STAR_HOTEL_BAN"):
        assert code in r5.measures
    assert "EXIT_BAN" not in r5.measures  # an individual decision (R8), never by role
    assert all(d.mandatory for d in r5.measure_details)
    assert "限制被执行人高消费" in r5.source
    assert rule(current, "R1").reference == "DECIDED_ON"  # the list type's reference date

    former = check(engine, before_listing)
    assert not former.liable and former.liabilities == []
    assert [(e.kind, e.reason) for e in former.exposures] == [
        ("IN_OFFICE_DURING_ACT_PERIOD", IN_OFFICE_DURING_ACT)
    ]

    named = check(engine, controller, measure="HIGH_SPEED_RAIL_BAN")
    assert named.restricted and rules(named) == {("J1", "R4"), ("J1", "R5")}


def test_r5_outlives_the_role_until_a_former_officer_release(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(32))
    former = g.person(resident_id(32), "原法代")
    successor = g.person(resident_id(33), "新法代")
    g.holds(former, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1), D(2021, 8, 31))
    g.holds(successor, co, "LEGAL_REPRESENTATIVE", D(2021, 9, 1))
    g.finding(
        "J2", co, decided_on=DECIDED, list_type="JUDGMENT_DEFAULTER", ground="ABLE_BUT_REFUSING"
    )
    g.names("J2", successor, "RESTRICTED_OFFICER", effective_on=D(2022, 3, 1))
    g.release("J2", former, effective_on=D(2022, 6, 1), reason="FORMER_OFFICER")
    g.write(engine)

    assert check(engine, former, D(2022, 5, 31), measure="FLIGHT_BAN").restricted
    after_release = check(engine, former, D(2022, 6, 1), measure="FLIGHT_BAN")
    assert not after_release.restricted  # prospective: from the release's effective date
    assert "RELEASED" in {e.kind for e in after_release.exposures}
    assert check(engine, former, D(2022, 5, 1)).liabilities  # the past keeps its answer

    before_naming = check(engine, successor, D(2022, 2, 28), measure="FLIGHT_BAN")
    assert not before_naming.restricted
    assert [
        (e.kind, e.reason) for e in before_naming.exposures if e.role == "LEGAL_REPRESENTATIVE"
    ] == [("APPOINTED_AFTER_REFERENCE", SUCCESSOR)]
    named = check(engine, successor, D(2022, 3, 1), measure="FLIGHT_BAN")
    assert named.restricted and rule(named, "R5").via == "RESTRICTED_OFFICER"
    reach = finding_reach(engine, "J2", D(2023, 1, 1))
    assert reach.finding.effective_until is None and reach.finding.period_basis == "OPEN"
    assert "第十条" in (reach.finding.period_note or "")


def test_administrative_refusal_lists_give_no_consumption_restriction(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(34))
    boss = g.person(resident_id(34))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("A1", co, decided_on=DECIDED, list_type="ADMINISTRATIVE_DECISION_DEFAULTER")
    g.write(engine)
    result = check(engine, boss, measure="FLIGHT_BAN")
    assert not result.restricted and ("A1", "R5") not in rules(result)
    assert rule(result, "R1").reference == "DECIDED_ON"


def test_a_defaulter_keeps_its_consumption_restrictions_whatever_category_it_carries(
    engine: QueryRunner,
) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(35))
    boss = g.person(resident_id(35))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("J3", co, decided_on=DECIDED, list_type="JUDGMENT_DEFAULTER", category="MARKET_ORDER")
    g.write(engine)
    assert check(engine, boss, measure="FLIGHT_BAN").restricted


def test_default_period_of_the_list_type_and_ground(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(36))
    boss = g.person(resident_id(36))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding(
        "J4",
        co,
        decided_on=D(2020, 3, 1),
        list_type="JUDGMENT_DEFAULTER",
        ground="EVADING_ENFORCEMENT",
    )
    g.write(engine)
    last_day = check(engine, boss, D(2022, 2, 28), measure="FLIGHT_BAN")
    assert last_day.restricted
    r5 = rule(last_day, "R5")
    assert r5.effective_until == D(2022, 2, 28) and r5.period_basis == "DEFAULT"
    assert "第二条" in (r5.period_note or "")
    assert not check(engine, boss, D(2022, 3, 1), measure="FLIGHT_BAN").restricted


def test_r6_notifies_superior_and_audit_departments_of_state_bodies(engine: QueryRunner) -> None:
    g = GraphBuilder()
    g.department("SASAC-CQ", "重庆市国资委", kind="SASAC", region_code="500000")
    g.department("AUDIT-CQ", "重庆市审计局", kind="AUDIT", region_code="500000")
    g.department("AUDIT-BJ", "北京市审计局", kind="AUDIT", region_code="110000")
    # no declared kind: an audit office by its name (department_kinds.csv), a finance one not
    g.department("YZ-SJ", "重庆市渝中区审计局", region_code="500103")
    g.department("YZ-CZ", "重庆市渝中区财政局", region_code="500103")
    soe = g.enterprise(
        uscc(8), "国有甲", ownership="STATE", region_code="500103", superior="SASAC-CQ"
    )
    institution = g.enterprise(uscc(9, prefix="12"), "事业单位乙", kind="PUBLIC_INSTITUTION")
    organ = g.enterprise(uscc(37, prefix="11"), "机关丁", kind="ORGAN")
    private = g.enterprise(uscc(10), "民营丙", ownership="PRIVATE", superior="SASAC-CQ")
    for finding_id, subject in (("S1", soe), ("S2", institution), ("S3", private), ("S4", organ)):
        g.finding(finding_id, subject, decided_on=DECIDED, act_date=ACT, category="MARKET_ORDER")
    g.write(engine)

    soe_reach = finding_reach(engine, "S1", AS_OF)
    notified = {(n.rule, n.relation, n.code) for n in soe_reach.notified}
    assert notified == {
        ("R6", "SUPERIOR", "SASAC-CQ"),
        ("R6", "AUDIT", "AUDIT-CQ"),
        ("R6", "AUDIT", "YZ-SJ"),
    }
    assert all(n.effect == "NOTIFICATION" and "118号" in n.source for n in soe_reach.notified)
    assert soe_reach.liable == []  # R6 reaches organisations, not persons

    institution_reach = finding_reach(engine, "S2", AS_OF)
    assert {(n.relation, n.code) for n in institution_reach.notified} == {
        ("SUPERIOR", None),
        ("AUDIT", None),
    }
    assert all(n.missing for n in institution_reach.notified)
    assert finding_reach(engine, "S3", AS_OF).notified == []
    assert {n.rule for n in finding_reach(engine, "S4", AS_OF).notified} == {"R6"}


def test_r7_only_for_its_ground_with_its_own_period_from_the_listing(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(11))
    other = g.enterprise(uscc(38))
    boss = g.person(resident_id(20))
    other_boss = g.person(resident_id(38))
    successor = g.person(resident_id(28))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2020, 1, 1), D(2020, 12, 31))  # on the decision
    g.holds(successor, co, "LEGAL_REPRESENTATIVE", D(2021, 1, 1))
    g.holds(other_boss, other, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding(
        "M1",
        co,
        decided_on=D(2020, 5, 1),
        act_date=D(2019, 1, 1),
        list_type="MARKET_SUPERVISION_SERIOUS",
        ground="ABNORMAL_3_YEARS",
        effective_until=D(2021, 4, 30),
    )
    g.finding("M2", other, decided_on=D(2020, 5, 1), list_type="MARKET_SUPERVISION_SERIOUS")
    g.write(engine)

    on_last_day = check(engine, boss, D(2023, 4, 30), measure="OFFICER_BAN")
    assert on_last_day.restricted  # its own three years outlast the finding's period
    assert rules(on_last_day) == {("M1", "R7")}
    r7 = on_last_day.liabilities[0]
    assert r7.effects == ["OFFICER_BAN"] and r7.effective_until == D(2023, 4, 30)
    assert r7.basis_date == D(2020, 5, 1) and r7.period_basis == "RULE"
    assert not check(engine, boss, D(2023, 5, 1), measure="OFFICER_BAN").restricted
    assert not check(engine, successor, D(2022, 1, 1), measure="OFFICER_BAN").restricted
    assert not check(engine, other_boss, D(2021, 1, 1), measure="OFFICER_BAN").restricted

    install_reference_data(engine, {"rules": [{"rule_id": "R7", "ban_years": "5"}]})
    longer = check(engine, boss, D(2024, 6, 1), measure="OFFICER_BAN")
    assert longer.restricted and longer.liabilities[0].effective_until == D(2025, 4, 30)


def test_a_rule_version_answers_the_dates_it_is_valid_on(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(39))
    boss = g.person(resident_id(39))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2019, 1, 1))
    g.finding(
        "M3",
        co,
        decided_on=D(2020, 5, 1),
        list_type="MARKET_SUPERVISION_SERIOUS",
        ground="ABNORMAL_3_YEARS",
    )
    g.write(engine)
    install_reference_data(
        engine, {"rules": [{"rule_id": "R7", "valid_from": "2022-01-01", "ban_years": "1"}]}
    )
    assert check(engine, boss, D(2021, 12, 31), measure="OFFICER_BAN").restricted  # 3-year row
    assert not check(engine, boss, D(2022, 1, 1), measure="OFFICER_BAN").restricted  # 1-year row


def test_r8_exit_ban_only_when_decided(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(40))
    boss = g.person(resident_id(40), "法代")
    restricted = g.person(resident_id(41), "被限制出境者")
    debtor = g.person(resident_id(42), "自然人被执行人")
    free_debtor = g.person(resident_id(43), "未限制出境者")
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("J5", co, decided_on=DECIDED, list_type="JUDGMENT_DEFAULTER")
    g.names("J5", restricted, "EXIT_RESTRICTED")
    g.finding(
        "P2", debtor, decided_on=DECIDED, list_type="JUDGMENT_DEFAULTER", exit_restricted=True
    )
    g.finding("P3", free_debtor, decided_on=DECIDED, list_type="JUDGMENT_DEFAULTER")
    g.write(engine)
    assert not check(engine, boss, measure="EXIT_BAN").restricted
    named = check(engine, restricted, measure="EXIT_BAN")
    assert named.restricted and rules(named) == {("J5", "R8")}
    r8 = named.liabilities[0]
    assert r8.effects == ["EXIT_BAN_DECIDED"] and not r8.measure_details[0].mandatory
    assert check(engine, debtor, measure="EXIT_BAN").restricted
    assert not check(engine, free_debtor, measure="EXIT_BAN").restricted


def test_r10_lists_that_name_their_persons(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(41))
    boss = g.person(resident_id(44), "未被列入的法代")
    listed = g.person(resident_id(45), "共同列入的负责人")
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(listed, co, "PRINCIPAL", D(2015, 1, 1))
    g.finding("W1", co, decided_on=DECIDED, act_date=ACT, list_type="WAGE_ARREARS")
    g.names("W1", listed, "CO_LISTED")
    g.write(engine)

    unnamed = check(engine, boss)
    assert unnamed.liabilities == []  # nobody is liable by role alone on this list
    assert ("NAMED_ONLY_LIST", NAMED_ONLY) in {(e.kind, e.reason) for e in unnamed.exposures}
    named = check(engine, listed, measure="FLIGHT_BAN")
    assert named.restricted
    r10 = rule(named, "R10")
    assert r10.via == "CO_LISTED" and {"FLIGHT_BAN", "PUBLIC_BIDDING_BAN"} <= set(r10.measures)
    assert not any(d.mandatory for d in r10.measure_details)
    assert "第四十八条" in r10.source
    assert ("W1", "R1") in rules(named)


@pytest.mark.parametrize("status", ["UNDER_REVIEW", "CORRECTED", "REVOKED", "REPAIRED", "EXPIRED"])
def test_a_status_from_the_decision_on_stops_the_finding(engine: QueryRunner, status: str) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(12))
    boss = g.person(resident_id(21))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding(
        "F1",
        co,
        decided_on=DECIDED,
        act_date=ACT,
        status=status,
        category="MARKET_ORDER",
        effective_until=D(2021, 12, 31) if status == "EXPIRED" else None,
        status_since=D(2022, 1, 1) if status == "EXPIRED" else DECIDED,
    )
    g.write(engine)
    result = check(engine, boss)
    applies = status == "CORRECTED"  # corrected data applies again from its effective date
    assert result.liable is applies
    reach = finding_reach(engine, "F1", AS_OF)
    assert reach.finding.applies is applies
    if not applies:
        assert result.exposures == []
        reason = reach.finding.not_applying_reason or ""
        assert status in reason or "period ended" in reason


def test_decision_date_and_punishment_period_bound_the_finding(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(13))
    boss = g.person(resident_id(22))
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding(
        "F1",
        co,
        decided_on=DECIDED,
        act_date=ACT,
        effective_until=D(2023, 5, 9),
        category="MARKET_ORDER",
    )
    g.write(engine)
    assert not check(engine, boss, DECIDED - dt.timedelta(days=1)).liable
    assert check(engine, boss, DECIDED).liable
    assert check(engine, boss, D(2023, 5, 9)).liable
    assert rule(check(engine, boss, D(2023, 5, 9)), "R1").effective_until == D(2023, 5, 9)
    assert not check(engine, boss, D(2023, 5, 10)).liable


def test_released_person_is_exposed_not_liable_and_others_stay_liable(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(14))
    released = g.person(resident_id(23))
    other = g.person(resident_id(24))
    g.holds(released, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(other, co, "PRINCIPAL", D(2015, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT, category="MARKET_ORDER")
    g.release("F1", released)
    g.write(engine)
    result = check(engine, released)
    assert not result.liable
    assert {(e.role, e.kind, e.reason) for e in result.exposures} == {
        ("LEGAL_REPRESENTATIVE", "RELEASED", "released from this finding")
    }
    assert check(engine, other).restricted


def test_same_name_different_id_is_never_confused(engine: QueryRunner) -> None:
    g = GraphBuilder()
    co = g.enterprise(uscc(15))
    zhang_wei = g.person(resident_id(25), "张伟")
    namesake = g.person(resident_id(26, birth="19900202"), "张伟")
    passport = g.person(resident_id(25), "张伟", id_type="PASSPORT")
    g.holds(zhang_wei, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("F1", co, decided_on=DECIDED, act_date=ACT, category="MARKET_ORDER")
    g.write(engine)
    assert check(engine, zhang_wei).restricted
    assert not check(engine, namesake).liable and check(engine, namesake).known
    assert not check(engine, passport).liable  # same number, other document type


def test_finding_against_a_person_makes_the_subject_liable(engine: QueryRunner) -> None:
    g = GraphBuilder()
    debtor = g.person(resident_id(27), "被执行人")
    g.finding("P1", debtor, decided_on=DECIDED, list_type="JUDGMENT_DEFAULTER")
    g.write(engine)
    result = check(engine, debtor, measure="FLIGHT_BAN")
    assert result.restricted
    assert rules(result) == {("P1", "R1"), ("P1", "R3"), ("P1", "R5"), ("P1", "LIST")}
    assert {item.via for item in result.liabilities} == {"SUBJECT"}
    assert all(item.enterprise is None for item in result.liabilities)
    listed = rule(result, "LIST")
    assert "FLIGHT_BAN" in listed.measures and listed.effects == ["LISTED"]


def test_unknown_person_is_not_restricted_and_unknown_measure_is_rejected(
    engine: QueryRunner,
) -> None:
    nobody = ("RESIDENT_ID", resident_id(99))
    result = check(engine, nobody)
    assert not result.known and not result.restricted and result.subject.name is None
    with pytest.raises(UnknownCode, match="NO_SUCH_MEASURE") as unknown:
        check(engine, nobody, measure="NO_SUCH_MEASURE")
    assert "FLIGHT_BAN" in unknown.value.valid_codes


def test_enterprise_check_with_related_risk(engine: QueryRunner) -> None:
    g = GraphBuilder()
    parent = g.enterprise(uscc(42), "母公司（被列入）")
    bidder = g.enterprise(uscc(43), "投标人（未被列入）")
    boss = g.person(resident_id(46), "投标人法代")
    g.owns(parent, bidder, 0.6, D(2015, 1, 1))
    g.holds(boss, bidder, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding("E1", parent, decided_on=DECIDED, list_type="MAJOR_TAX_VIOLATION")
    g.finding("E2", boss, decided_on=DECIDED, list_type="JUDGMENT_DEFAULTER")
    g.write(engine)

    listed = check_enterprise(engine, parent, AS_OF, "PUBLIC_BIDDING_BAN")
    assert listed.restricted and listed.liable
    assert [item.finding_id for item in listed.liabilities] == ["E1"]
    assert listed.liabilities[0].choices  # graded industry sanctions, offered as one choice

    clean = check_enterprise(engine, bidder, AS_OF, "PUBLIC_BIDDING_BAN")
    assert not clean.restricted and not clean.liable and clean.liabilities == []
    related = {(risk.relation, risk.finding_id) for risk in clean.related_risk}
    assert related == {("SHAREHOLDER", "E1"), ("OFFICER", "E2")}
    holder = next(risk for risk in clean.related_risk if risk.relation == "SHAREHOLDER")
    assert (
        holder.share == 0.6 and holder.enterprise is not None and holder.enterprise.uscc == parent
    )
    assert [getattr(step, "label", getattr(step, "type", None)) for step in holder.path] == [
        "Finding",
        "AGAINST",
        "Enterprise",
        "OWNS",
        "Enterprise",
    ]
    assert not check_enterprise(engine, uscc(44), AS_OF).known
