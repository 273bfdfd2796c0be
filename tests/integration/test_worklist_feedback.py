"""Work lists, feedback and overdue feedback (DOMAIN.md §9) on small hand-made graphs."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict, InvalidInput, NotFound
from tracer.domain.keys import PersonKey, SubjectKey
from tracer.queries.departments import department, derive_department_kind, region_scope
from tracer.queries.feedback import Feedback, record_feedback
from tracer.queries.liability import finding_reach
from tracer.queries.lifecycle import release_person, transition_finding
from tracer.queries.overdue import overdue_feedback
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.queries.worklist import WorklistEntry, worklist

AS_OF = dt.date(2024, 6, 1)
STOPPED = dt.date(2024, 7, 1)
LATER = dt.date(2024, 9, 1)
A, B, C, D = uscc(1), uscc(2), uscc(3, division="310101"), uscc(4)
E, F = uscc(5), uscc(6)
ZHANG = PersonKey("RESIDENT_ID", resident_id(1))
LI = PersonKey("RESIDENT_ID", resident_id(2))
STRANGER = PersonKey("RESIDENT_ID", resident_id(3))
WANG = PersonKey("RESIDENT_ID", resident_id(4))
INDUSTRY_SANCTIONS = [
    "INDUSTRY_CRITICISM", "INDUSTRY_WARNING", "MEMBERSHIP_EXPULSION", "MEMBERSHIP_REFUSED",
    "PUBLIC_CENSURE",
]  # fmt: skip


def at(day: dt.date) -> Clock:
    """A clock that reads noon (UTC) of ``day``."""
    moment = dt.datetime.combine(day, dt.time(12), dt.UTC)
    return Clock(now=lambda: moment)


def build(runner: QueryRunner) -> None:
    """Courts own consumption and exit bans, market supervision owns licence controls; A and D
    are judgment defaulters (Li named EXIT_RESTRICTED), B's finding is under review, C is in
    Shanghai."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("COURT1", "北京市第一中级人民法院")  # no kind: derived from the name
    g.department("MSA11", "市场监管", kind="MARKET_SUPERVISION", region_code="110000")
    g.department("OFFICE", "综合办公室")  # no kind can be told
    for code, region in ((A, "110105"), (B, "110105"), (C, "310101"), (D, "110105")):
        g.enterprise(code, region_code=region)
    zhang = g.person(ZHANG[1])
    li = g.person(LI[1])
    g.person(STRANGER[1])
    g.holds(zhang, A, "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1))
    g.holds(li, D, "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1))
    g.finding("F1", A, decided_on=dt.date(2024, 1, 1), list_type="JUDGMENT_DEFAULTER")
    g.finding(
        "F2",
        B,
        decided_on=dt.date(2024, 1, 1),
        list_type="JUDGMENT_DEFAULTER",
        status="UNDER_REVIEW",
    )
    g.finding("F3", C, decided_on=dt.date(2024, 2, 1), category="MARKET_ORDER")
    g.finding("F4", D, decided_on=dt.date(2023, 1, 1), list_type="JUDGMENT_DEFAULTER")
    g.names("F4", li, "EXIT_RESTRICTED")
    g.write(runner)


def build_measures(runner: QueryRunner) -> None:
    """Departments of several kinds; a severe finding against E (Zhang its legal representative,
    Wang its actual controller) and an ordinary one against F."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("TAX11", "北京市税务局")
    g.department("GGZY", "北京市公共资源交易中心")
    g.department("ASSOC", "北京市建筑业协会")
    g.department("PUB", "市委宣传部")
    g.department("PSB", "北京市公安局")
    g.enterprise(E, region_code="110105")
    g.enterprise(F, region_code="110105")
    zhang, wang = g.person(ZHANG[1]), g.person(WANG[1])
    g.holds(zhang, E, "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1))
    g.holds(wang, E, "ACTUAL_CONTROLLER", dt.date(2015, 1, 1))
    g.finding("FS", E, decided_on=dt.date(2024, 1, 1), category="HEALTH_SAFETY", severe=True)
    g.finding("FN", F, decided_on=dt.date(2024, 2, 1), category="HEALTH_SAFETY")
    g.write(runner)


def person_entry(entries: list[WorklistEntry], key: PersonKey) -> WorklistEntry:
    return next(e for e in entries if e.person is not None and e.person.id_number == key[1])


def subject_entry(entries: list[WorklistEntry], finding_id: str) -> WorklistEntry:
    return next(e for e in entries if e.target == "SUBJECT" and e.finding.finding_id == finding_id)


def test_department_kinds_are_declared_or_derived(runner: QueryRunner) -> None:
    build(runner)
    court = department(runner, "COURT1", AS_OF)
    assert (court.kind, court.kind_source) == ("COURT", "NAME")
    assert "FLIGHT_BAN" in court.measures and "MARKET_BAN" not in court.measures
    msa = department(runner, "MSA11", AS_OF)
    assert (msa.kind, msa.kind_source, msa.scope) == ("MARKET_SUPERVISION", "DECLARED", "11")
    office = department(runner, "OFFICE", AS_OF)
    assert office.kind is None and office.measures == []
    assert derive_department_kind("TAX-5001", None, {"TAX", "COURT"}) == ("TAX", "CODE")
    assert derive_department_kind("X1", "某某办", {"TAX"}) is None
    assert region_scope("500100") == "5001" and region_scope("100000") is None
    with pytest.raises(NotFound):
        department(runner, "NOPE", AS_OF)


def test_court_sees_only_its_measures_and_no_finding_under_review(runner: QueryRunner) -> None:
    build(runner)
    court = worklist(runner, "COURT1", AS_OF)
    owned = set(court.department.measures)
    assert [e.finding.finding_id for e in court.entries if e.target == "SUBJECT"] == ["F1", "F4"]
    assert all(set(entry.measures) <= owned and entry.action == "APPLY" for entry in court.entries)
    assert all(entry.finding.finding_id not in ("F2", "F3") for entry in court.entries)
    zhang = person_entry(court.entries, ZHANG)
    assert zhang.target == "LIABLE_PERSON" and zhang.since == dt.date(2024, 1, 1)
    assert "FLIGHT_BAN" in zhang.measures
    assert "EXIT_BAN" not in zhang.measures  # R8: only when the court decided it
    assert zhang.rules == ["R5"] and zhang.evidence[0].rule == "R5"
    assert all(d.mandatory for d in zhang.measure_details)  # 限高规定 第三条第二款
    li = person_entry(court.entries, LI)
    assert "EXIT_BAN" in li.measures and li.rules == ["R5", "R8"]
    subject = subject_entry(court.entries, "F1")
    assert subject.enterprise is not None and subject.enterprise.uscc == A
    assert "EXIT_BAN" not in subject.measures and "FLIGHT_BAN" in subject.measures
    assert subject.rules == ["LIST"]


def test_region_scope_and_pagination(runner: QueryRunner) -> None:
    build(runner)
    msa = worklist(runner, "MSA11", AS_OF)
    assert msa.scope == "REGION" and msa.total_findings == 2
    assert {entry.finding.finding_id for entry in msa.entries} == {"F1", "F4"}  # F3 elsewhere
    assert all(entry.target == "SUBJECT" for entry in msa.entries)  # R2 only eligible here
    everywhere = worklist(runner, "MSA11", AS_OF, scope="ALL")
    assert everywhere.scope == "ALL"
    assert {entry.finding.finding_id for entry in everywhere.entries} == {"F1", "F3", "F4"}
    first = worklist(runner, "MSA11", AS_OF, limit=1)
    second = worklist(runner, "MSA11", AS_OF, limit=1, offset=1)
    assert first.next_offset == 1 and second.next_offset is None
    assert {e.finding.finding_id for e in first.entries} == {"F1"}
    assert {e.finding.finding_id for e in second.entries} == {"F4"}
    assert worklist(runner, "OFFICE", AS_OF).entries == []
    with pytest.raises(InvalidInput):
        worklist(runner, "COURT1", AS_OF, limit=0)


def test_only_measures_that_apply_are_pushed(runner: QueryRunner) -> None:
    build_measures(runner)
    tax = worklist(runner, "TAX11", AS_OF)  # no memorandum names a tax measure for these lists
    assert tax.department.measures == ["TAX_PREFERENCE_BAN"]
    assert (tax.entries, tax.total_findings) == ([], 0)
    bidding = worklist(runner, "GGZY", AS_OF)
    assert [(e.target, e.finding.finding_id, e.measures) for e in bidding.entries] == [
        ("SUBJECT", "FN", ["PUBLIC_BIDDING_BAN"]),
        ("SUBJECT", "FS", ["PUBLIC_BIDDING_BAN"]),
    ]
    reach = finding_reach(runner, "FS", AS_OF)
    r4 = {
        (item.person.id_number, liability.via): liability.measures
        for item in reach.liable
        for liability in item.liabilities
        if liability.rule == "R4"
    }
    assert r4 == {  # R4 records, it pushes no bidding ban to the persons
        (ZHANG[1], "LEGAL_REPRESENTATIVE"): ["CREDIT_RECORD_ENTRY"],
        (WANG[1], "ACTUAL_CONTROLLER"): ["CREDIT_RECORD_ENTRY"],
    }
    publicity = worklist(runner, "PUB", AS_OF)
    assert [(e.finding.finding_id, e.measures) for e in publicity.entries] == [
        ("FS", ["PUBLIC_EXPOSURE"])
    ]
    ordinary = finding_reach(runner, "FN", AS_OF).subject_measures
    assert ordinary is not None and "PUBLIC_EXPOSURE" not in ordinary.measures
    assert [item.code for item in ordinary.not_applied] == ["PUBLIC_EXPOSURE"]
    report = overdue_feedback(runner, AS_OF, days=30)
    overdue = {d.department.code: [f.finding_id for f in d.overdue] for d in report.departments}
    assert overdue == {"ASSOC": ["FS", "FN"], "GGZY": ["FS", "FN"], "PUB": ["FS"]}


def test_total_counts_only_findings_that_push_a_measure(runner: QueryRunner) -> None:
    build_measures(runner)
    police = worklist(runner, "PSB", AS_OF)
    assert police.department.measures == ["EXIT_BAN"] and police.entries == []
    assert police.total_findings == 0


def test_industry_sanctions_are_offered_as_one_choice(runner: QueryRunner) -> None:
    build_measures(runner)
    association = worklist(runner, "ASSOC", AS_OF)
    entry = subject_entry(association.entries, "FS")
    assert entry.measures == [] and len(entry.choices) == 1
    assert (entry.choices[0].group, entry.choices[0].measures) == (
        "INDUSTRY_SANCTION",
        INDUSTRY_SANCTIONS,
    )
    saved = record_feedback(
        runner, "ASSOC", "FS", SubjectKey.enterprise(E), "PUBLIC_CENSURE", "APPLIED", AS_OF,
        None, "协会秘书处", at(AS_OF),
    )  # fmt: skip
    entry = subject_entry(worklist(runner, "ASSOC", AS_OF).entries, "FS")
    assert [(fb.measure, fb.outcome) for fb in entry.feedback] == [("PUBLIC_CENSURE", "APPLIED")]
    assert entry.feedback[0].feedback_id == saved.feedback_id
    overdue = overdue_feedback(runner, AS_OF, days=30)
    association_overdue = next(d for d in overdue.departments if d.department.code == "ASSOC")
    assert [item.finding_id for item in association_overdue.overdue] == ["FN"]


def _record(runner: QueryRunner, **changes: object) -> Feedback:
    values: dict[str, object] = {
        "department_code": "COURT1",
        "finding_id": "F1",
        "subject": SubjectKey.person(*ZHANG),
        "measure": "FLIGHT_BAN",
        "outcome": "APPLIED",
        "on": AS_OF,
        "reason": None,
        "actor": "clerk",
    }
    values.update(changes)
    return record_feedback(runner, **values)  # type: ignore[arg-type]


def test_feedback_is_recorded_and_shown_on_the_worklist(runner: QueryRunner) -> None:
    build(runner)
    saved = _record(runner)
    on_subject = _record(
        runner, subject=SubjectKey.enterprise(A), outcome="NOT_APPLICABLE", reason="no flights"
    )
    court = worklist(runner, "COURT1", AS_OF)
    zhang = person_entry(court.entries, ZHANG)
    assert [fb.feedback_id for fb in zhang.feedback] == [saved.feedback_id]
    assert zhang.feedback[0].outcome == "APPLIED" and zhang.feedback[0].actor == "clerk"
    subject = subject_entry(court.entries, "F1")
    assert [fb.feedback_id for fb in subject.feedback] == [on_subject.feedback_id]
    count = runner.read_one("MATCH (f:Feedback) RETURN count(f) AS n")
    assert count == {"n": 2}


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"outcome": "DONE"}, InvalidInput, "outcome"),
        ({"outcome": "REFUSED"}, InvalidInput, "reason"),
        ({"actor": " "}, InvalidInput, "actor"),
        ({"on": dt.date(2999, 1, 1)}, InvalidInput, "future"),
        ({"department_code": "NOPE"}, NotFound, "department"),
        ({"finding_id": "NOPE"}, NotFound, "finding"),
        ({"measure": "NO_SUCH"}, NotFound, "measure"),
        ({"measure": "MARKET_BAN"}, Conflict, "does not implement"),
        ({"subject": SubjectKey.person(*STRANGER)}, Conflict, "not reached"),
        ({"subject": SubjectKey.enterprise(B)}, Conflict, "not reached"),
        ({"finding_id": "F2", "subject": SubjectKey.enterprise(B)}, Conflict, "not reached"),
        ({"measure": "EXIT_BAN", "subject": SubjectKey.enterprise(A)}, Conflict, "reached only"),
        ({"measure": "EXIT_BAN"}, Conflict, "reached only"),  # no exit ban decided for Zhang
        ({"outcome": "LIFTED"}, Conflict, "never recorded"),
    ],
)
def test_feedback_validation(
    runner: QueryRunner, changes: dict[str, object], error: type[Exception], message: str
) -> None:
    build(runner)
    with pytest.raises(error, match=message):
        _record(runner, **changes)
    assert runner.read_one("MATCH (f:Feedback) RETURN count(f) AS n") == {"n": 0}


def test_overdue_feedback_per_department(runner: QueryRunner) -> None:
    build(runner)
    report = overdue_feedback(runner, AS_OF, days=30)
    by_department = {
        d.department.code: [f.finding_id for f in d.overdue] for d in report.departments
    }
    assert by_department["COURT1"] == ["F4", "F1"]  # longest waiting first
    assert by_department["MSA11"] == ["F4", "F1"]
    assert "OFFICE" not in by_department
    _record(runner)
    report = overdue_feedback(runner, AS_OF, days=30)
    by_department = {
        d.department.code: [f.finding_id for f in d.overdue] for d in report.departments
    }
    assert by_department["COURT1"] == ["F4"]
    assert by_department["MSA11"] == ["F4", "F1"]  # feedback from one department only
    longer = overdue_feedback(runner, AS_OF, days=200)
    assert {d.department.code: [f.finding_id for f in d.overdue] for d in longer.departments} == {
        "COURT1": ["F4"],
        "MSA11": ["F4"],
    }


def test_reactivation_restarts_the_feedback_clock(runner: QueryRunner) -> None:
    build(runner)
    objected, upheld = dt.date(2024, 5, 10), dt.date(2024, 5, 20)
    transition_finding(
        runner, "F4", "UNDER_REVIEW", "clerk", "objection", objected, clock=at(objected)
    )
    transition_finding(runner, "F4", "ACTIVE", "clerk", "upheld", upheld, clock=at(upheld))
    report = overdue_feedback(runner, AS_OF, days=30)
    court = next(d for d in report.departments if d.department.code == "COURT1")
    assert [f.finding_id for f in court.overdue] == ["F1"]
    still = overdue_feedback(runner, AS_OF, days=5)
    court = next(d for d in still.departments if d.department.code == "COURT1")
    f4 = next(f for f in court.overdue if f.finding_id == "F4")
    assert (f4.action, f4.since, f4.days_waiting) == ("APPLY", upheld, 12)


def _applied_to_zhang_and_a(runner: QueryRunner) -> None:
    for subject in (SubjectKey.person(*ZHANG), SubjectKey.enterprise(A)):
        _record(runner, subject=subject, clock=at(AS_OF))


def test_a_repair_gives_lift_items_closed_by_lifted(runner: QueryRunner) -> None:
    build(runner)
    _record(runner, clock=at(AS_OF))
    transition_finding(runner, "F1", "REPAIRED", "法院", "performed", STOPPED, clock=at(STOPPED))
    court = worklist(runner, "COURT1", LATER)
    assert court.lifts == 1 and "F1" not in {e.finding.finding_id for e in court.entries[1:]}
    lift = court.entries[0]
    assert (lift.action, lift.target, lift.finding.finding_id, lift.measures) == (
        "LIFT",
        "LIABLE_PERSON",
        "F1",
        ["FLIGHT_BAN"],
    )
    assert lift.person is not None and lift.person.id_number == ZHANG[1]
    assert lift.reason is not None and "REPAIRED" in lift.reason
    with pytest.raises(Conflict, match="still applies"):
        _record(runner, outcome="LIFTED", on=AS_OF)
    _record(runner, outcome="LIFTED", on=LATER)
    assert worklist(runner, "COURT1", LATER).lifts == 0


def test_a_release_lifts_for_that_person_only(runner: QueryRunner) -> None:
    build(runner)
    _applied_to_zhang_and_a(runner)
    release_person(runner, "F1", ZHANG, "法院", "FORMER_OFFICER", STOPPED, clock=at(STOPPED))
    court = worklist(runner, "COURT1", LATER)
    lifts = [(e.action, e.target, e.measures) for e in court.entries if e.action != "APPLY"]
    assert lifts == [("LIFT", "LIABLE_PERSON", ["FLIGHT_BAN"])]
    assert subject_entry(court.entries, "F1").action == "APPLY"
    assert all(e.person is None or e.person.id_number != ZHANG[1] for e in court.entries[1:])


@pytest.mark.parametrize("voided", ["REVOKED", "WRONGFUL"])
def test_voided_from_the_start_gives_restore_items(runner: QueryRunner, voided: str) -> None:
    build(runner)
    _applied_to_zhang_and_a(runner)
    if voided == "REVOKED":
        transition_finding(runner, "F1", "REVOKED", "法院", "wrong", STOPPED, clock=at(STOPPED))
    else:
        release_person(
            runner, "F1", ZHANG, "法院", "stolen identity", STOPPED, wrongful=True,
            clock=at(STOPPED),
        )  # fmt: skip
    court = worklist(runner, "COURT1", LATER)
    restores = {e.target: e for e in court.entries if e.action == "RESTORE"}
    expected = {"LIABLE_PERSON", "SUBJECT"} if voided == "REVOKED" else {"LIABLE_PERSON"}
    assert set(restores) == expected and court.lifts == len(expected)
    assert all(e.reason and "恢复信誉" in e.reason for e in restores.values())
    for target in expected:
        subject = (
            SubjectKey.person(*ZHANG) if target == "LIABLE_PERSON" else SubjectKey.enterprise(A)
        )
        _record(runner, subject=subject, outcome="RESTORED", on=LATER)
    assert worklist(runner, "COURT1", LATER).lifts == 0


def test_overdue_includes_pending_lifts(runner: QueryRunner) -> None:
    build(runner)
    _record(runner, finding_id="F4", subject=SubjectKey.person(*LI), clock=at(AS_OF))
    expired = dt.date(2025, 3, 1)  # F4's default period of two years ended on 2024-12-31
    report = overdue_feedback(runner, expired, days=30)
    court = next(d for d in report.departments if d.department.code == "COURT1")
    lift = next(item for item in court.overdue if item.action == "LIFT")
    assert (lift.finding_id, lift.since, lift.days_waiting, lift.measures) == (
        "F4",
        dt.date(2025, 1, 1),
        59,
        ["FLIGHT_BAN"],
    )
    assert "F4" not in {item.finding_id for item in court.overdue if item.action == "APPLY"}
    msa = next(d for d in report.departments if d.department.code == "MSA11")
    assert [item.action for item in msa.overdue] == ["APPLY"]  # it applied nothing to lift


def test_a_lift_waits_from_the_day_the_measure_stopped(runner: QueryRunner) -> None:
    build(runner)
    _record(runner, clock=at(AS_OF))
    transition_finding(runner, "F1", "REPAIRED", "法院", "performed", STOPPED, clock=at(STOPPED))
    assert worklist(runner, "COURT1", LATER).entries[0].since == STOPPED
    report = overdue_feedback(runner, LATER, days=30)
    court = next(d for d in report.departments if d.department.code == "COURT1")
    assert ("LIFT", "F1", STOPPED) in {(i.action, i.finding_id, i.since) for i in court.overdue}


def test_overdue_at_the_start_of_the_calendar_finds_nothing(runner: QueryRunner) -> None:
    """schemathesis found ``days`` reaching before 0001-01-01 (a 500): nothing is overdue."""
    build(runner)
    report = overdue_feedback(runner, dt.date(2, 1, 1), days=512)
    assert all(not department.overdue for department in report.departments)


def test_a_measure_that_only_a_liable_person_gets_brings_the_finding(runner: QueryRunner) -> None:
    """The police own exit bans, which reach Li (named EXIT_RESTRICTED in F4) through a rule
    and never the listed enterprise D: F4 is on the police's list, with Li alone."""
    build(runner)
    g = GraphBuilder()
    g.department("PSB", "北京市公安局")
    g.write(runner)
    police = worklist(runner, "PSB", AS_OF)
    assert police.department.measures == ["EXIT_BAN"]
    assert police.total_findings == 1
    assert [
        (e.target, e.finding.finding_id, e.person and e.person.id_number, e.measures)
        for e in police.entries
    ] == [("LIABLE_PERSON", "F4", LI[1], ["EXIT_BAN"])]
