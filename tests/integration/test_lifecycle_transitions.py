"""Lifecycle on two time axes (DOMAIN.md §8): each transition has an effective date (checked) and
a recorded-at time (the server's clock). Answers about a date use the status in force on it as
now known; ``known_on`` answers as the system would have then."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict, InvalidInput, NotFound, TracerError
from tracer.domain.keys import PersonKey
from tracer.queries.liability import check_person, finding_reach
from tracer.queries.lifecycle import (
    LEGAL_TRANSITIONS,
    FindingInput,
    end_suspension,
    expire_due,
    record_findings,
    release_person,
    suspend_person,
    transition_finding,
    transitions,
)
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
DECIDED = D(2021, 5, 1)
AS_OF = D(2022, 1, 1)


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def clock(moment: dt.datetime) -> Clock:
    return Clock(now=lambda: moment)


@pytest.fixture()
def listed(runner: QueryRunner) -> tuple[QueryRunner, PersonKey, PersonKey]:
    """One enterprise, its legal representative and principal; finding F1 (ACTIVE from
    2021-05-01 until 2024-12-31), recorded on 2021-05-02."""
    install_reference_data(runner)
    g = GraphBuilder()
    co = g.enterprise(uscc(21))
    boss = g.person(resident_id(31), "法代")
    head = g.person(resident_id(32), "负责人")
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(head, co, "PRINCIPAL", D(2015, 1, 1))
    g.finding(
        "F1",
        co,
        decided_on=DECIDED,
        act_date=D(2020, 1, 1),
        effective_until=D(2024, 12, 31),
        category="MARKET_ORDER",
        recorded_at=at(2021, 5, 2),
    )
    g.write(runner)
    return runner, PersonKey(*boss), PersonKey(*head)


def liable(
    runner: QueryRunner, person: PersonKey, as_of: dt.date, known_on: dt.datetime | None = None
) -> bool:
    return check_person(runner, person, as_of, known_on=known_on).liable


def test_an_objection_suspends_from_its_effective_date_and_keeps_the_past(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, boss, _ = listed
    review = transition_finding(
        runner, "F1", "UNDER_REVIEW", "信用办", "异议申请", D(2022, 3, 1), "异议-2022-1",
        clock=clock(at(2022, 3, 2)),
    )  # fmt: skip
    assert (review.transition_id, review.seq, review.from_status) == ("F1#2", 2, "ACTIVE")
    assert review.effective_on == D(2022, 3, 1) and review.recorded_at == at(2022, 3, 2)
    assert liable(runner, boss, D(2022, 2, 28))  # the day before: it applied
    assert not liable(runner, boss, D(2022, 3, 1))  # the day of: suspended
    assert liable(runner, boss, D(2022, 3, 1), known_on=at(2022, 3, 1))  # not yet known then

    upheld = transition_finding(
        runner,
        "F1",
        "ACTIVE",
        "信用办",
        "核实无误，维持",
        D(2022, 4, 1),
        clock=clock(at(2022, 4, 1)),
    )
    assert upheld.from_status == "UNDER_REVIEW"
    assert not liable(runner, boss, D(2022, 3, 31))
    assert liable(runner, boss, D(2022, 4, 1))
    history = [
        (t.seq, t.from_status, t.to_status, t.effective_on) for t in transitions(runner, "F1")
    ]
    assert history == [
        (1, None, "ACTIVE", DECIDED),
        (2, "ACTIVE", "UNDER_REVIEW", D(2022, 3, 1)),
        (3, "UNDER_REVIEW", "ACTIVE", D(2022, 4, 1)),
    ]


def test_repair_is_prospective_and_answers_about_the_past_stay(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, boss, _ = listed
    before = check_person(runner, boss, AS_OF)
    transition_finding(
        runner,
        "F1",
        "REPAIRED",
        "信用办",
        "信用修复完成",
        D(2022, 6, 1),
        clock=clock(at(2022, 6, 2)),
    )
    assert liable(runner, boss, D(2022, 5, 31))
    assert not liable(runner, boss, D(2022, 6, 1))
    after = check_person(runner, boss, AS_OF)
    assert [i.rule for i in after.liabilities] == [i.rule for i in before.liabilities]  # no flip
    reach = finding_reach(runner, "F1", D(2022, 7, 1))
    assert reach.finding.status == "REPAIRED" and reach.finding.status_on_date == "REPAIRED"
    assert "REPAIRED" in (reach.finding.not_applying_reason or "")
    assert finding_reach(runner, "F1", AS_OF).finding.applies


def test_revocation_voids_the_past_but_not_what_was_known_before_it_was_recorded(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, boss, head = listed
    transition_finding(
        runner, "F1", "REVOKED", "法院", "经核实有误", D(2022, 6, 1), clock=clock(at(2022, 6, 3))
    )
    for day in (DECIDED, AS_OF, D(2022, 5, 31)):
        assert not liable(runner, boss, day)  # void from the start, as now known
    assert liable(runner, boss, AS_OF, known_on=at(2022, 6, 2))  # known then: it applied
    assert not liable(runner, boss, AS_OF, known_on=at(2022, 6, 4))
    assert not liable(runner, head, AS_OF)
    assert not finding_reach(runner, "F1", AS_OF).finding.applies
    assert finding_reach(runner, "F1", AS_OF, known_on=at(2022, 6, 2)).finding.applies


def test_corrected_applies_again_from_its_effective_date(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, boss, _ = listed
    transition_finding(
        runner, "F1", "UNDER_REVIEW", "a", "objection", D(2022, 2, 1), clock=clock(at(2022, 2, 1))
    )
    transition_finding(
        runner, "F1", "CORRECTED", "a", "data corrected", D(2022, 3, 1), clock=clock(at(2022, 3, 1))
    )
    assert not liable(runner, boss, D(2022, 2, 28))
    assert liable(runner, boss, D(2022, 3, 1))


def test_a_change_of_term_is_a_transition_known_from_its_recording(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, boss, _ = listed
    extended = transition_finding(
        runner, "F1", "ACTIVE", "法院", "延长期限", D(2022, 2, 1),
        new_effective_until=D(2026, 12, 31), clock=clock(at(2022, 2, 1)),
    )  # fmt: skip
    assert extended.new_effective_until == D(2026, 12, 31) and extended.to_status == "ACTIVE"
    assert liable(runner, boss, D(2026, 12, 31)) and not liable(runner, boss, D(2027, 1, 1))
    assert not liable(runner, boss, D(2025, 6, 1), known_on=at(2022, 1, 31))  # the old term then
    reach = finding_reach(runner, "F1", D(2025, 6, 1))
    assert reach.finding.effective_until == D(2026, 12, 31)
    with pytest.raises(InvalidInput, match="only changes the term"):
        transition_finding(runner, "F1", "ACTIVE", "a", "nothing", clock=clock(at(2022, 2, 2)))


def test_a_finding_recorded_again_changes_its_term_once_and_never_its_decision(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, _, _ = listed
    co = uscc(21)
    given = FindingInput(
        finding_id="F1", subject_uscc=co, list_type="SERIOUS_DISHONESTY",
        authority="TEST-AUTHORITY", decided_on=DECIDED, effective_until=D(2025, 12, 31),
        status_since=D(2022, 2, 1),
    )  # fmt: skip
    record_findings(runner, [given], "loader", clock(at(2022, 2, 1)))
    record_findings(runner, [given], "loader", clock(at(2022, 2, 2)))  # the same file again
    transition_finding(
        runner, "F1", "ACTIVE", "法院", "延长期限", D(2022, 3, 1),
        new_effective_until=D(2026, 6, 30), clock=clock(at(2022, 3, 1)),
    )  # fmt: skip
    record_findings(runner, [given], "loader", clock(at(2022, 4, 1)))  # after a later change
    terms = [(t.seq, t.new_effective_until) for t in transitions(runner, "F1")]
    assert terms == [(1, None), (2, D(2025, 12, 31)), (3, D(2026, 6, 30))]
    for change in ({"decided_on": D(2021, 6, 1)}, {"list_type": "WAGE_ARREARS"}):
        with pytest.raises(
            InvalidInput, match=f"cannot change its decision \\({next(iter(change))}"
        ):
            record_findings(
                runner, [given.model_copy(update=change)], "loader", clock(at(2022, 4, 2))
            )
    transition_finding(runner, "F1", "UNDER_REVIEW", "a", "异议", clock=clock(at(2022, 5, 1)))
    later = given.model_copy(update={"effective_until": D(2027, 1, 1)})
    with pytest.raises(InvalidInput, match="status is UNDER_REVIEW"):
        record_findings(runner, [later], "loader", clock(at(2022, 5, 2)))
    assert len(transitions(runner, "F1")) == 4


def test_effective_dates_are_checked_and_the_time_of_record_is_the_servers(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, _, _ = listed
    now = clock(at(2022, 1, 10))
    with pytest.raises(InvalidInput, match="before finding F1 was decided"):
        transition_finding(runner, "F1", "UNDER_REVIEW", "a", "r", D(2021, 4, 30), clock=now)
    with pytest.raises(InvalidInput, match="in the future"):
        transition_finding(runner, "F1", "UNDER_REVIEW", "a", "r", D(2022, 1, 11), clock=now)
    record = transition_finding(runner, "F1", "UNDER_REVIEW", "a", "r", D(2022, 1, 5), clock=now)
    assert record.recorded_at == at(2022, 1, 10)
    with pytest.raises(Conflict, match="later change cannot take effect earlier"):
        transition_finding(runner, "F1", "ACTIVE", "a", "r", D(2022, 1, 4), clock=now)


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "CORRECTED"),
        (["REVOKED"], "ACTIVE"),
        (["REPAIRED"], "UNDER_REVIEW"),
        (["UNDER_REVIEW"], "REPAIRED"),
    ],
)
def test_illegal_moves_are_conflicts_and_change_nothing(
    listed: tuple[QueryRunner, PersonKey, PersonKey], path: list[str], illegal: str
) -> None:
    runner, _, _ = listed
    for status in path:
        transition_finding(runner, "F1", status, "a", "step", clock=clock(at(2022, 1, 1)))
    with pytest.raises(Conflict, match=f"cannot move from .* to {illegal}"):
        transition_finding(runner, "F1", illegal, "a", "illegal", clock=clock(at(2022, 1, 2)))
    assert len(transitions(runner, "F1")) == len(path) + 1
    assert illegal not in LEGAL_TRANSITIONS[path[-1] if path else "ACTIVE"]


def test_bad_requests(listed: tuple[QueryRunner, PersonKey, PersonKey]) -> None:
    runner, boss, _ = listed
    with pytest.raises(NotFound):
        transition_finding(runner, "NOPE", "UNDER_REVIEW", "a", "r")
    with pytest.raises(NotFound):
        transitions(runner, "NOPE")
    with pytest.raises(InvalidInput, match="unknown status"):
        transition_finding(runner, "F1", "DELETED", "a", "r")
    with pytest.raises(InvalidInput, match="actor"):
        transition_finding(runner, "F1", "UNDER_REVIEW", " ", "r")
    with pytest.raises(NotFound):
        release_person(runner, "NOPE", boss, "a", "r")
    with pytest.raises(NotFound, match="no person"):
        release_person(runner, "F1", PersonKey("RESIDENT_ID", resident_id(77)), "a", "r")


def test_expiry_derives_from_dates_and_expire_due_records_it(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, boss, _ = listed
    assert liable(runner, boss, D(2024, 12, 31))
    assert not liable(runner, boss, D(2025, 1, 1))  # no cron needed
    with pytest.raises(Conflict, match="cannot expire"):
        transition_finding(runner, "F1", "EXPIRED", "a", "too early", clock=clock(at(2024, 12, 31)))
    assert expire_due(runner, clock=clock(at(2024, 12, 31, 12))) == []
    recorded = expire_due(runner, actor="nightly", clock=clock(at(2025, 1, 1, 3)))
    assert [(t.transition_id, t.from_status, t.to_status, t.actor) for t in recorded] == [
        ("F1#2", "ACTIVE", "EXPIRED", "nightly")
    ]
    assert recorded[0].effective_on == D(2025, 1, 1)
    assert expire_due(runner, clock=clock(at(2025, 1, 2))) == []
    assert liable(runner, boss, D(2024, 6, 1))  # the past keeps its answer
    assert finding_reach(runner, "F1", D(2024, 6, 1)).finding.status == "EXPIRED"


def test_a_release_is_prospective_unless_wrongful(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, boss, head = listed
    first = release_person(
        runner, "F1", boss, "法院", "FORMER_OFFICER", D(2022, 3, 1), document="（2022）渝01执1号",
        clock=clock(at(2022, 3, 2)),
    )  # fmt: skip
    assert first.created and first.person.name == "法代" and not first.wrongful
    assert liable(runner, boss, D(2022, 2, 28)) and not liable(runner, boss, D(2022, 3, 1))
    again = release_person(
        runner, "F1", boss, "someone else", "again", D(2022, 3, 1), clock=clock(at(2022, 3, 5))
    )
    assert not again.created and again.actor == "法院" and again.recorded_at == first.recorded_at

    wrongful = release_person(
        runner, "F1", head, "法院", "冒用身份", wrongful=True, clock=clock(at(2022, 5, 1))
    )
    assert wrongful.wrongful and wrongful.effective_on == DECIDED
    assert not liable(runner, head, D(2021, 6, 1))  # void from the start
    assert liable(runner, head, D(2021, 6, 1), known_on=at(2022, 4, 30))
    assert finding_reach(runner, "F1", AS_OF).finding.applies  # the finding itself stays


def test_a_persons_objection_to_their_role_suspends_only_their_liabilities(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, boss, head = listed
    suspend_person(
        runner, "F1", boss, "信用办", "对本人身份异议", D(2022, 2, 1), clock=clock(at(2022, 2, 1))
    )
    assert not liable(runner, boss, D(2022, 2, 1)) and liable(runner, head, D(2022, 2, 1))
    assert end_suspension(runner, "F1", boss, D(2022, 3, 1), clock=clock(at(2022, 3, 1))) == 1
    assert not liable(runner, boss, D(2022, 2, 28))
    assert liable(runner, boss, D(2022, 3, 1))
    assert not liable(runner, boss, D(2022, 3, 1), known_on=at(2022, 2, 15))  # open back then


def test_concurrent_transitions_serialise(
    listed: tuple[QueryRunner, PersonKey, PersonKey],
) -> None:
    runner, _, _ = listed

    def attempt(index: int) -> str:
        try:
            transition_finding(runner, "F1", "UNDER_REVIEW", f"actor-{index}", "objection")
        except TracerError as exc:
            return type(exc).__name__
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(4)))
    assert sorted(outcomes) == ["Conflict", "Conflict", "Conflict", "ok"]
    assert [t.seq for t in transitions(runner, "F1")] == [1, 2]
