"""Work lists, feedback and overdue feedback (DOMAIN.md §9) on small hand-made graphs."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.errors import Conflict, InvalidInput, NotFound
from tracer.queries.lifecycle import transition_finding
from tracer.queries.paths import SubjectKey
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.queries.worklist import (
    department,
    derive_department_kind,
    overdue_feedback,
    record_feedback,
    region_scope,
    worklist,
)

AS_OF = dt.date(2024, 6, 1)
A, B, C, D = uscc(1), uscc(2), uscc(3, division="310101"), uscc(4)
ZHANG = ("RESIDENT_ID", resident_id(1))
LI = ("RESIDENT_ID", resident_id(2))
STRANGER = ("RESIDENT_ID", resident_id(3))


def build(runner: QueryRunner) -> None:
    """Courts own consumption bans, market supervision owns market bans and licence controls."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("COURT1", "北京市第一中级人民法院")  # no kind: derived from the name
    g.department("MSA11", "市场监管", kind="MARKET_SUPERVISION", region_code="110000")
    g.department("OFFICE", "综合办公室")  # no kind can be told
    for code, region in ((A, "110105"), (B, "110105"), (C, "310101"), (D, "110105")):
        g.enterprise(code, region_code=region)
    zhang = g.person(*reversed(ZHANG))
    li = g.person(*reversed(LI))
    g.person(*reversed(STRANGER))
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
    g.write(runner)


def test_department_kinds_are_declared_or_derived(runner: QueryRunner) -> None:
    build(runner)
    court = department(runner, "COURT1")
    assert (court.kind, court.kind_source) == ("COURT", "NAME")
    assert "FLIGHT_BAN" in court.measures and "MARKET_BAN" not in court.measures
    msa = department(runner, "MSA11")
    assert (msa.kind, msa.kind_source, msa.scope) == ("MARKET_SUPERVISION", "DECLARED", "11")
    office = department(runner, "OFFICE")
    assert office.kind is None and office.measures == []
    assert derive_department_kind("TAX-5001", None, {"TAX", "COURT"}) == ("TAX", "CODE")
    assert derive_department_kind("X1", "某某办", {"TAX"}) is None
    assert region_scope("500100") == "5001" and region_scope("100000") is None
    with pytest.raises(NotFound):
        department(runner, "NOPE")


def test_court_sees_only_its_measures_and_no_finding_under_review(runner: QueryRunner) -> None:
    build(runner)
    court = worklist(runner, "COURT1", AS_OF)
    owned = set(court.department.measures)
    assert court.total_findings == 2
    assert [e.finding.finding_id for e in court.entries if e.target == "SUBJECT"] == ["F1", "F4"]
    assert all(set(entry.measures) <= owned for entry in court.entries)
    assert all(entry.finding.finding_id not in ("F2", "F3") for entry in court.entries)
    zhang = next(e for e in court.entries if e.person and e.person.id_number == ZHANG[1])
    assert zhang.target == "LIABLE_PERSON"
    assert {"FLIGHT_BAN", "EXIT_BAN"} <= set(zhang.measures)
    assert zhang.rules == ["R5"] and zhang.evidence[0].rule == "R5"
    subject = next(
        e for e in court.entries if e.target == "SUBJECT" and e.finding.finding_id == "F1"
    )
    assert subject.enterprise is not None and subject.enterprise.uscc == A
    assert "EXIT_BAN" not in subject.measures  # EXIT_BAN hits persons only
    assert "FLIGHT_BAN" in subject.measures


def test_region_scope_and_pagination(runner: QueryRunner) -> None:
    build(runner)
    msa = worklist(runner, "MSA11", AS_OF)
    ids = {entry.finding.finding_id for entry in msa.entries}
    assert ids == {"F1", "F4"}  # F3 is in Shanghai, F2 under review
    zhang = next(e for e in msa.entries if e.person and e.person.id_number == ZHANG[1])
    assert zhang.measures == ["MARKET_BAN"] and zhang.rules == ["R2"]
    first = worklist(runner, "COURT1", AS_OF, limit=1)
    second = worklist(runner, "COURT1", AS_OF, limit=1, offset=1)
    assert first.next_offset == 1 and second.next_offset is None
    assert {e.finding.finding_id for e in first.entries} == {"F1"}
    assert {e.finding.finding_id for e in second.entries} == {"F4"}
    assert worklist(runner, "OFFICE", AS_OF).entries == []
    with pytest.raises(InvalidInput):
        worklist(runner, "COURT1", AS_OF, limit=0)


def _record(runner: QueryRunner, **changes: object) -> object:
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
    zhang = next(e for e in court.entries if e.person and e.person.id_number == ZHANG[1])
    assert [fb.feedback_id for fb in zhang.feedback] == [saved.feedback_id]  # type: ignore[attr-defined]
    assert zhang.feedback[0].outcome == "APPLIED" and zhang.feedback[0].actor == "clerk"
    subject = next(
        e for e in court.entries if e.target == "SUBJECT" and e.finding.finding_id == "F1"
    )
    assert [fb.feedback_id for fb in subject.feedback] == [on_subject.feedback_id]  # type: ignore[attr-defined]
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
        ({"finding_id": "F2", "subject": SubjectKey.enterprise(B)}, Conflict, "does not apply"),
        ({"measure": "EXIT_BAN", "subject": SubjectKey.enterprise(A)}, Conflict, "reached only"),
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
    when = dt.datetime(2024, 5, 20, tzinfo=dt.UTC)
    transition_finding(runner, "F4", "UNDER_REVIEW", "clerk", "objection", at=when)
    transition_finding(runner, "F4", "ACTIVE", "clerk", "upheld", at=when)
    report = overdue_feedback(runner, AS_OF, days=30)
    court = next(d for d in report.departments if d.department.code == "COURT1")
    assert [f.finding_id for f in court.overdue] == ["F1"]
    still = overdue_feedback(runner, AS_OF, days=5)
    court = next(d for d in still.departments if d.department.code == "COURT1")
    f4 = next(f for f in court.overdue if f.finding_id == "F4")
    assert f4.pushed_on == dt.date(2024, 5, 20)
