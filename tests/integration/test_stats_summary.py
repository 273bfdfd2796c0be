"""Summary statistics on a known graph: exact numbers, as models and as DataFrames."""

from __future__ import annotations

import datetime as dt

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.keys import PersonKey, SubjectKey
from tracer.queries.feedback import record_feedback
from tracer.queries.liability import linked_people
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.queries.stats import feedback_df, findings_df, liabilities_df, summary

AS_OF = dt.date(2024, 6, 1)
A, B = uscc(1), uscc(2, division="310101")
ZHANG = PersonKey("RESIDENT_ID", resident_id(1))
PENG = PersonKey("RESIDENT_ID", resident_id(2))


def build(runner: QueryRunner) -> None:
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("COURT1", "北京市第一中级人民法院")
    g.department("MSA", "市场监管局", kind="MARKET_SUPERVISION", region_code="110000")
    g.enterprise(A, region_code="110105")
    g.enterprise(B, region_code="310101")
    g.person(ZHANG[1])
    g.person(PENG[1])
    g.holds(ZHANG, A, "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1))
    on = dt.date(2024, 1, 1)
    g.finding("F1", A, decided_on=on, list_type="JUDGMENT_DEFAULTER", authority="COURT1")
    g.finding(
        "F2", B, decided_on=on, category="MARKET_ORDER", status="UNDER_REVIEW", authority="MSA"
    )
    g.finding("F3", A, decided_on=on, category="HEALTH_SAFETY", authority="MSA")
    g.finding("F4", PENG, decided_on=on, list_type="JUDGMENT_DEFAULTER", authority="COURT1")
    g.write(runner)


def test_summary_numbers(runner: QueryRunner) -> None:
    build(runner)
    record_feedback(
        runner,
        "COURT1",
        "F1",
        SubjectKey.person(*ZHANG),
        "FLIGHT_BAN",
        "APPLIED",
        AS_OF,
        None,
        "clerk",
    )
    stats = summary(runner, AS_OF)
    findings = stats.findings
    assert findings.total == 4
    assert findings.by_category == {"REFUSE_OBLIGATION": 2, "HEALTH_SAFETY": 1, "MARKET_ORDER": 1}
    assert findings.by_list_type == {"JUDGMENT_DEFAULTER": 2, "SERIOUS_DISHONESTY": 2}
    assert findings.by_status == {"ACTIVE": 3, "UNDER_REVIEW": 1}
    assert findings.by_subject_kind == {"ENTERPRISE": 3, "PERSON": 1}
    assert findings.by_province == {"11": 2, "31": 1, "UNKNOWN": 1}
    assert findings.by_authority == {"COURT1": 2, "MSA": 2}
    liable = stats.liable
    assert liable.persons == 2
    # zhang: F1 R1 R3 R4 R5, F3 R1 R3 R4; peng (listed): R1 R3 R5 — R2 only eligible is not
    # counted (no measure applies), nor the listed person's own memoranda measures
    assert liable.liabilities == 10
    assert liable.by_rule == {"R1": 2, "R3": 2, "R4": 1, "R5": 2}
    assert liable.by_effect == {
        "CONSUMPTION_RESTRICTION": 2,
        "CREDIT_RECORD": 2,
        "HONOURS_REVOKED": 2,
    }  # R4 records; it adds no personal punishment
    feedback = {row.department: row for row in stats.feedback}
    court, msa = feedback["COURT1"], feedback["MSA"]
    assert (court.pushed, court.answered, court.completion) == (2, 1, 0.5)
    assert court.outcomes == {"APPLIED": 1}
    assert (msa.pushed, msa.answered, msa.completion) == (3, 0, 0.0)  # F1, F3 and peng's F4
    assert not stats.truncated


def test_frames(runner: QueryRunner) -> None:
    build(runner)
    frame = findings_df(runner)
    assert int(frame["findings"].sum()) == 4
    assert int(frame[frame["status"] == "UNDER_REVIEW"]["findings"].sum()) == 1
    liabilities = liabilities_df(runner, AS_OF)
    assert len(liabilities) == 10 and "id_number" not in liabilities.columns
    assert set(liabilities["finding_id"]) == {"F1", "F3", "F4"}
    assert all("*" in masked for masked in liabilities["id_masked"])
    completion = feedback_df(runner, AS_OF).set_index("department")
    assert completion.loc["COURT1", "pushed"] == 2 and completion.loc["COURT1", "answered"] == 0


def test_a_shareholder_is_not_linked_unless_named(runner: QueryRunner) -> None:
    build(runner)
    owner, named = (PersonKey("RESIDENT_ID", resident_id(n)) for n in (3, 4))
    g = GraphBuilder()
    for person in (owner, named):
        g.person(person[1])
        g.owns(person, A, 0.6, dt.date(2015, 1, 1))
    g.names("F3", named, "DIRECTLY_RESPONSIBLE")
    g.write(runner)
    linked = set(linked_people(runner, AS_OF))
    assert named in linked and owner not in linked
    assert summary(runner, AS_OF).liable.persons == 3  # zhang, peng and the named shareholder


def test_empty_graph(runner: QueryRunner) -> None:
    stats = summary(runner, AS_OF)
    assert stats.findings.total == 0 and stats.liable.persons == 0 and stats.feedback == []
    assert findings_df(runner).empty and liabilities_df(runner, AS_OF).empty
