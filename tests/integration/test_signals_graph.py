"""Investigator signals (DOMAIN.md §10–§11) on one small hand-made graph, positive and negative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import neo4j
import pytest

from tests.fixtures.database import wipe
from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.errors import InvalidInput, NotFound
from tracer.domain.keys import PersonKey, SubjectKey
from tracer.graph.driver import Target
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.queries.signals import (
    ban_breaches,
    green_channel,
    phoenix_candidates,
    red_list_conflicts,
    repeat_offenders,
)

AS_OF = dt.date(2024, 6, 1)
D = dt.date
# enterprises
A, A2, B, C, D1, E = (uscc(i) for i in range(1, 7))
X1, X2, X3, X4, N, R = (uscc(i) for i in range(11, 17))
P1, P2, P3, P4, P5 = (uscc(i) for i in range(21, 26))
FOOD, G, H, J, W0, S, S2, EX = (uscc(i) for i in range(31, 39))
ADDRESS = "重庆市渝中区解放碑1号"


def person(seq: int) -> PersonKey:
    return PersonKey("RESIDENT_ID", resident_id(seq))


ZHANG, WANG, LI, CHEN, HONG, LATE = (person(i) for i in range(1, 7))
COOK, PRAC, SUN = (person(i) for i in range(7, 10))


def build(runner: QueryRunner) -> None:
    install_reference_data(runner)
    g = GraphBuilder()
    established = {
        A: D(2005, 1, 1),
        A2: D(2005, 1, 1),
        B: D(2005, 1, 1),
        C: D(2010, 1, 1),
        D1: D(2005, 1, 1),
        E: D(2005, 1, 1),
        X1: D(2005, 1, 1),
        X2: D(2005, 1, 1),
        X3: D(2005, 1, 1),
        X4: D(2005, 1, 1),
        N: D(2023, 1, 1),
        R: D(2005, 1, 1),
        P1: D(2023, 3, 1),
        P2: D(2025, 1, 1),
        P3: D(2023, 5, 1),
        P4: D(2022, 6, 1),
        P5: D(2023, 2, 1),
        **{code: D(2005, 1, 1) for code in (FOOD, G, H, J, W0, S, S2, EX)},
    }
    for code, on in established.items():
        g.enterprise(code, established_on=on)
    for key in (ZHANG, WANG, LI, CHEN, HONG, LATE, COOK, PRAC, SUN):
        g.person(key[1])
    # zhang: legal representative of A when it acted -> R1, R3, R4; only *eligible* for a
    # market ban (R2 without a person-level basis), so his later posts breach nothing
    g.holds(ZHANG, A, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding(
        "F1",
        A,
        decided_on=D(2023, 1, 1),
        act_date=D(2022, 6, 1),
        effective_until=D(2026, 1, 1),
        category="MARKET_ORDER",
    )
    g.holds(ZHANG, B, "LEGAL_REPRESENTATIVE", D(2023, 6, 1))
    g.holds(ZHANG, C, "DIRECTOR", D(2020, 1, 1))
    g.holds(ZHANG, A, "GENERAL_MANAGER", D(2023, 3, 1))
    g.holds(ZHANG, P1, "LEGAL_REPRESENTATIVE", D(2023, 3, 1))  # phoenix
    g.holds(ZHANG, P2, "SUPERVISOR", D(2025, 1, 1))  # too late for phoenix
    g.holds(ZHANG, P4, "SUPERVISOR", D(2022, 6, 1))  # founded before the listing
    g.holds(LATE, A, "DIRECTOR", D(2023, 2, 1))  # joined A after the decision
    g.holds(LATE, P5, "LEGAL_REPRESENTATIVE", D(2023, 2, 1))
    # wang: representative of A2 on the decision date of an ABNORMAL_3_YEARS listing -> R7
    # officer ban for 3 years from the listing (2022-01-01 .. 2024-12-31)
    g.holds(WANG, A2, "LEGAL_REPRESENTATIVE", D(2021, 6, 1))
    g.finding(
        "F2",
        A2,
        decided_on=D(2022, 1, 1),
        act_date=D(2021, 1, 1),
        list_type="MARKET_SUPERVISION_SERIOUS",
        ground="ABNORMAL_3_YEARS",
    )
    g.holds(WANG, D1, "DIRECTOR", D(2022, 6, 1))  # not an OFFICER_BAN post
    g.holds(WANG, E, "PRINCIPAL", D(2023, 1, 1))  # breach: appointed during the ban
    g.holds(WANG, W0, "LEGAL_REPRESENTATIVE", D(2020, 1, 1))  # breach: held before, still held
    # sun: the same list on another ground -> no R7, no breach
    g.holds(SUN, S, "LEGAL_REPRESENTATIVE", D(2010, 1, 1))
    g.finding(
        "F9",
        S,
        decided_on=D(2022, 1, 1),
        list_type="MARKET_SUPERVISION_SERIOUS",
        ground="FALSE_INFORMATION",
    )
    g.holds(SUN, S2, "LEGAL_REPRESENTATIVE", D(2023, 1, 1))
    # cook and prac: a food licence revoked -> R2 market ban with its own basis (食品安全法
    # art. 135: five years from the decision) for the legal representative and the practitioner
    # named directly responsible
    g.holds(COOK, FOOD, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.registered(PRAC, FOOD, D(2018, 1, 1), qualification="执业药师")
    g.finding(
        "F7",
        FOOD,
        decided_on=D(2023, 1, 1),
        act_date=D(2022, 10, 1),
        list_type="FOOD_DRUG_SERIOUS",
        ground="LICENCE_REVOKED",
    )
    g.names("F7", PRAC)
    g.holds(COOK, G, "LEGAL_REPRESENTATIVE", D(2023, 8, 1))  # breach: an officer post
    g.registered(PRAC, H, D(2023, 9, 1), qualification="执业药师")  # breach: registers elsewhere
    g.registered(PRAC, J, D(2019, 1, 1), qualification="执业药师")  # registered before the ban
    # li: legal representative of two listed enterprises -> repeat offender
    g.holds(LI, X1, "LEGAL_REPRESENTATIVE", D(2010, 1, 1))
    g.holds(LI, X2, "LEGAL_REPRESENTATIVE", D(2010, 1, 1))
    g.finding("F3", X1, decided_on=D(2023, 5, 1), category="HEALTH_SAFETY")
    g.finding("F4", X2, decided_on=D(2023, 7, 1), category="HEALTH_SAFETY")
    # chen: representative of one listed enterprise, mere director of another -> one liability
    g.holds(CHEN, X3, "LEGAL_REPRESENTATIVE", D(2010, 1, 1))
    g.holds(CHEN, X4, "DIRECTOR", D(2010, 1, 1))
    g.finding("F5", X3, decided_on=D(2023, 5, 1), category="HEALTH_SAFETY")
    g.finding("F6", X4, decided_on=D(2023, 5, 1), category="HEALTH_SAFETY")
    # R: repaired long ago; EX: its period ended at the end of 2022
    g.finding(
        "FR", R, decided_on=D(2019, 1, 1), effective_until=D(2022, 1, 1), category="MARKET_ORDER"
    )
    g.transition("FR", "REPAIRED", D(2020, 5, 1), dt.datetime(2020, 5, 1, 12, tzinfo=dt.UTC))
    g.finding(
        "FX", EX, decided_on=D(2020, 1, 1), effective_until=D(2022, 12, 31), category="MARKET_ORDER"
    )
    # red list
    g.honour(A, "守合同重信用企业", D(2021, 1, 1))
    g.honour(C, "A级纳税人", D(2022, 1, 1))
    g.honour(ZHANG, "劳动模范", D(2020, 1, 1))
    g.honour(WANG, "优秀企业家", D(2020, 1, 1))
    g.honour(HONG, "道德模范", D(2023, 1, 1))
    g.honour(LI, "先进个人", D(2015, 1, 1), valid_until=D(2018, 1, 1))  # expired
    g.write(runner)
    runner.write(
        "UNWIND $codes AS code MATCH (e:Enterprise {uscc: code}) SET e.address = $address",
        codes=[A, P3],
        address=ADDRESS,
    )


@pytest.fixture(scope="module")
def graph(neo4j_driver: neo4j.Driver, neo4j_target: Target) -> Iterator[QueryRunner]:
    """One graph for the module: every test here only reads."""
    wipe(neo4j_driver, neo4j_target.database)
    runner = QueryRunner(neo4j_driver, neo4j_target.database)
    build(runner)
    yield runner
    wipe(neo4j_driver, neo4j_target.database)


def test_ban_breaches_per_officer_and_market_bans(graph: QueryRunner) -> None:
    page = ban_breaches(graph, AS_OF)
    found = [
        (b.person.id_number, b.new_position.enterprise.uscc, b.effect, b.ban.rule)
        for b in page.items
    ]
    assert found == [  # newest post first
        (PRAC[1], H, "MARKET_BAN", "R2"),
        (COOK[1], G, "MARKET_BAN", "R2"),
        (WANG[1], E, "OFFICER_BAN", "R7"),
        (WANG[1], W0, "OFFICER_BAN", "R7"),
    ]  # not zhang (only eligible for a market ban), not sun (another ground), not prac at J
    wang = page.items[2]
    assert (wang.ban_from, wang.ban_until) == (D(2022, 1, 1), D(2024, 12, 31))  # 3 years
    assert wang.new_position.role == "PRINCIPAL" and wang.new_position.start_date == D(2023, 1, 1)
    assert wang.ban.enterprise is not None and wang.ban.enterprise.uscc == A2
    assert wang.ban.path[1].properties["role"] == "LEGAL_REPRESENTATIVE"  # the banned post
    prac = page.items[0]
    assert (prac.new_position.role, prac.new_position.start_date) == (
        "REGISTERED_PRACTITIONER",
        D(2023, 9, 1),
    )
    assert prac.ban.via == "REGISTERED_PRACTITIONER" and prac.ban_until == D(2027, 12, 31)
    assert "食品安全法" in prac.ban.measure_details[0].source
    # before cook and prac took their new places, only wang's breaches exist
    early = ban_breaches(graph, D(2023, 2, 1))
    assert {(b.person.id_number, b.new_position.enterprise.uscc) for b in early.items} == {
        (WANG[1], E),
        (WANG[1], W0),
    }
    # after the 3-year officer ban ended, wang is no longer listed; the 5-year market ban runs
    late = ban_breaches(graph, D(2025, 6, 1))
    assert {b.person.id_number for b in late.items} == {COOK[1], PRAC[1]}
    assert ban_breaches(graph, AS_OF, limit=1, offset=1).items == page.items[1:2]


def test_repeat_offender_needs_two_distinct_liable_findings(graph: QueryRunner) -> None:
    page = repeat_offenders(graph, AS_OF)
    assert [o.person.id_number for o in page.items] == [LI[1]]
    li = page.items[0]
    assert li.findings == 2 and li.enterprises == 2 and li.finding_ids == ["F3", "F4"]
    assert {item.finding_id for item in li.evidence} == {"F3", "F4"}
    assert repeat_offenders(graph, D(2023, 6, 1)).items == []  # F4 not decided yet
    with pytest.raises(InvalidInput):
        repeat_offenders(graph, AS_OF, min_findings=1)


def test_red_list_conflicts(graph: QueryRunner) -> None:
    page = red_list_conflicts(graph, AS_OF)
    found = {
        (c.enterprise.uscc if c.enterprise else c.person.id_number if c.person else None)
        for c in page.items
    }
    assert found == {A, ZHANG[1]}  # C is clean, wang is not reached by R3, li's honour expired
    company = next(c for c in page.items if c.enterprise)
    assert company.finding_ids == ["F1"] and company.rules == ["LIST"]  # the memoranda
    zhang = next(c for c in page.items if c.person)
    assert zhang.rules == ["R3"] and zhang.evidence[0].via == "LEGAL_REPRESENTATIVE"
    assert red_list_conflicts(graph, D(2022, 6, 1)).items == []  # before the finding


def test_green_channel(graph: QueryRunner) -> None:
    clean = green_channel(graph, SubjectKey.enterprise(C), AS_OF)
    assert clean.eligible and clean.basis == "RED_LIST"
    listed = green_channel(graph, SubjectKey.enterprise(A), AS_OF)
    assert not listed.eligible and "must be revoked" in listed.reason
    assert [r.finding_id for r in listed.bad_records] == ["F1"]
    repaired = green_channel(graph, SubjectKey.enterprise(R), AS_OF)
    assert repaired.eligible and repaired.basis == "CLEAN_RECORD"
    too_soon = green_channel(graph, SubjectKey.enterprise(R), D(2022, 6, 1))
    assert not too_soon.eligible and "until 2020-04-30, less than 3 years" in too_soon.reason
    assert too_soon.clean_since == D(2020, 5, 1)  # the repair took effect on 2020-05-01
    young = green_channel(graph, SubjectKey.enterprise(N), AS_OF)
    assert not young.eligible and "established on 2023-01-01" in young.reason
    never_listed = green_channel(graph, SubjectKey.enterprise(D1), AS_OF)
    assert never_listed.eligible and never_listed.basis == "CLEAN_RECORD"
    hong = green_channel(graph, SubjectKey.person(*HONG), AS_OF)
    assert hong.eligible and hong.basis == "RED_LIST" and "道德模范" in hong.reason
    zhang = green_channel(graph, SubjectKey.person(*ZHANG), AS_OF)
    assert not zhang.eligible and {r.via for r in zhang.bad_records} >= {"R1", "R3", "R4"}
    with pytest.raises(NotFound):
        green_channel(graph, SubjectKey.enterprise(uscc(99)), AS_OF)


def test_green_channel_counts_every_bad_record_of_three_years(graph: QueryRunner) -> None:
    ended = green_channel(graph, SubjectKey.enterprise(EX), AS_OF)  # period ended 2022-12-31
    assert not ended.eligible and ended.basis is None
    assert [(r.finding_id, r.ended, r.current) for r in ended.bad_records] == [
        ("FX", D(2022, 12, 31), False)
    ]
    assert "until 2022-12-31, less than 3 years ago" in ended.reason
    during = green_channel(graph, SubjectKey.enterprise(EX), D(2022, 6, 1))
    assert not during.eligible and "still applies (FX)" in during.reason
    passed = green_channel(graph, SubjectKey.enterprise(EX), D(2026, 1, 1))
    assert passed.eligible and passed.basis == "CLEAN_RECORD" and passed.bad_records == []


def test_green_channel_clean_since_is_the_day_after_the_last_bad_record(
    graph: QueryRunner,
) -> None:
    passed = green_channel(graph, SubjectKey.enterprise(EX), D(2026, 1, 1))
    assert passed.clean_since == D(2023, 1, 1) and "since 2023-01-01" in passed.reason
    repaired = green_channel(graph, SubjectKey.enterprise(R), AS_OF)
    assert repaired.clean_since == D(2020, 5, 1)


def test_phoenix_candidates(graph: QueryRunner) -> None:
    page = phoenix_candidates(graph, AS_OF)
    pairs = {(c.listed.uscc, c.new.uscc) for c in page.items}
    assert pairs == {(A, P1), (A, P3)}  # P2 too late, P4 too early, P5 via a later joiner
    by_new = {c.new.uscc: c for c in page.items}
    p1, p3 = by_new[P1], by_new[P3]
    assert [s.person.id_number for s in p1.shared_people] == [ZHANG[1]]
    assert p1.shared_people[0].new_roles == ["LEGAL_REPRESENTATIVE"]
    assert not p1.same_address and p1.days_after_listing == 59
    assert p3.same_address and p3.address == ADDRESS and p3.shared_people == []
    assert page.items[0].score >= page.items[1].score
    wide = phoenix_candidates(graph, AS_OF, window_days=1000)
    assert (A, P2) not in {(c.listed.uscc, c.new.uscc) for c in wide.items}  # after as_of
    later = phoenix_candidates(graph, D(2025, 6, 1), window_days=1000)
    assert (A, P2) in {(c.listed.uscc, c.new.uscc) for c in later.items}
