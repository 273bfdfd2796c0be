"""Lifecycle (DOMAIN.md §8): legal moves recorded append-only; liabilities follow the status."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.fixtures.graph_builder import GraphBuilder, PersonKey, resident_id, uscc
from tracer.domain.errors import Conflict, InvalidInput, NotFound, TracerError
from tracer.queries.liability import check_person, finding_reach
from tracer.queries.lifecycle import (
    LEGAL_TRANSITIONS,
    expire_due,
    release_person,
    transition_finding,
    transitions,
)
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
AS_OF = D(2022, 1, 1)
AT = dt.datetime(2022, 1, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture()
def listed(runner: QueryRunner) -> tuple[QueryRunner, PersonKey]:
    """One enterprise, its legal representative, finding F1 (ACTIVE, until 2024-12-31)."""
    install_reference_data(runner)
    g = GraphBuilder()
    co = g.enterprise(uscc(21))
    boss = g.person(resident_id(31), "法代")
    g.holds(boss, co, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.finding(
        "F1", co, decided_on=D(2021, 5, 1), act_date=D(2020, 1, 1), effective_until=D(2024, 12, 31)
    )
    g.write(runner)
    return runner, boss


def restricted(runner: QueryRunner, person: PersonKey, as_of: dt.date = AS_OF) -> bool:
    return check_person(runner, person[0], person[1], as_of).restricted


def test_objection_upheld_then_repaired_is_recorded_in_order(
    listed: tuple[QueryRunner, PersonKey],
) -> None:
    runner, boss = listed
    assert restricted(runner, boss)
    first = transition_finding(
        runner, "F1", "UNDER_REVIEW", "信用办", "异议申请", document="异议-2022-1", at=AT
    )
    assert (first.transition_id, first.seq, first.from_status) == ("F1#1", 1, "ACTIVE")
    assert first.to_status == "UNDER_REVIEW" and first.document == "异议-2022-1"
    assert first.at == AT
    assert not restricted(runner, boss)  # measures suspended while the information is verified

    transition_finding(runner, "F1", "active", "信用办", "核实无误，维持", at=AT)
    assert restricted(runner, boss)
    transition_finding(runner, "F1", "REPAIRED", "信用办", "信用修复完成", at=AT)
    assert not restricted(runner, boss)

    history = transitions(runner, "F1")
    assert [(t.seq, t.from_status, t.to_status) for t in history] == [
        (1, "ACTIVE", "UNDER_REVIEW"),
        (2, "UNDER_REVIEW", "ACTIVE"),
        (3, "ACTIVE", "REPAIRED"),
    ]
    reach = finding_reach(runner, "F1", AS_OF)
    assert reach.finding.status == "REPAIRED" and reach.liable == []
    assert [t.transition_id for t in reach.transitions] == ["F1#1", "F1#2", "F1#3"]


def test_review_can_end_corrected_and_relisted_or_revoked(
    listed: tuple[QueryRunner, PersonKey],
) -> None:
    runner, boss = listed
    transition_finding(runner, "F1", "UNDER_REVIEW", "a", "objection")
    transition_finding(runner, "F1", "CORRECTED", "a", "data fixed")
    assert not restricted(runner, boss)
    transition_finding(runner, "F1", "ACTIVE", "a", "re-listed with corrected data")
    assert restricted(runner, boss)
    transition_finding(runner, "F1", "REVOKED", "court", "wrongly listed")
    assert not restricted(runner, boss)
    assert [t.to_status for t in transitions(runner, "F1")] == [
        "UNDER_REVIEW",
        "CORRECTED",
        "ACTIVE",
        "REVOKED",
    ]


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "CORRECTED"),
        ([], "ACTIVE"),
        (["REVOKED"], "ACTIVE"),
        (["REPAIRED"], "UNDER_REVIEW"),
        (["UNDER_REVIEW"], "REPAIRED"),
    ],
)
def test_illegal_moves_are_conflicts_and_change_nothing(
    listed: tuple[QueryRunner, PersonKey], path: list[str], illegal: str
) -> None:
    runner, _ = listed
    for status in path:
        transition_finding(runner, "F1", status, "a", "step")
    with pytest.raises(Conflict, match=f"cannot move from .* to {illegal}"):
        transition_finding(runner, "F1", illegal, "a", "illegal")
    assert len(transitions(runner, "F1")) == len(path)
    assert illegal not in LEGAL_TRANSITIONS[path[-1] if path else "ACTIVE"]


def test_bad_requests(listed: tuple[QueryRunner, PersonKey]) -> None:
    runner, boss = listed
    with pytest.raises(NotFound):
        transition_finding(runner, "NOPE", "UNDER_REVIEW", "a", "r")
    with pytest.raises(NotFound):
        transitions(runner, "NOPE")
    with pytest.raises(InvalidInput, match="unknown status"):
        transition_finding(runner, "F1", "DELETED", "a", "r")
    with pytest.raises(InvalidInput, match="actor"):
        transition_finding(runner, "F1", "UNDER_REVIEW", " ", "r")
    with pytest.raises(NotFound):
        release_person(runner, "NOPE", boss[0], boss[1], "a", "r")
    with pytest.raises(NotFound, match="no person"):
        release_person(runner, "F1", "RESIDENT_ID", resident_id(77), "a", "r")


def test_expiry_derives_from_dates_and_expire_due_records_it(
    listed: tuple[QueryRunner, PersonKey],
) -> None:
    runner, boss = listed
    assert restricted(runner, boss, D(2024, 12, 31))
    assert not restricted(runner, boss, D(2025, 1, 1))  # no cron needed
    with pytest.raises(Conflict, match="cannot expire"):
        transition_finding(runner, "F1", "EXPIRED", "a", "too early", at=AT)
    assert expire_due(runner, D(2024, 12, 31)) == []
    recorded = expire_due(runner, D(2025, 1, 1), actor="nightly")
    assert [(t.transition_id, t.from_status, t.to_status, t.actor) for t in recorded] == [
        ("F1#1", "ACTIVE", "EXPIRED", "nightly")
    ]
    assert "2024-12-31" in recorded[0].reason
    assert expire_due(runner, D(2025, 1, 1)) == []
    assert finding_reach(runner, "F1", D(2024, 6, 1)).finding.status == "EXPIRED"
    assert not restricted(runner, boss, D(2024, 6, 1))


def test_release_is_recorded_idempotent_and_personal(
    listed: tuple[QueryRunner, PersonKey],
) -> None:
    runner, boss = listed
    first = release_person(
        runner, "F1", boss[0], boss[1], "法院", "因经营原因离职", "（2022）渝01执1号"
    )
    assert first.created and first.person.name == "法代" and first.document == "（2022）渝01执1号"
    assert not restricted(runner, boss)
    again = release_person(runner, "F1", boss[0], boss[1], "someone else", "again")
    assert not again.created and again.actor == "法院" and again.at == first.at
    assert finding_reach(runner, "F1", AS_OF).finding.applies  # the finding itself stays


def test_concurrent_transitions_serialise(listed: tuple[QueryRunner, PersonKey]) -> None:
    runner, _ = listed

    def attempt(index: int) -> str:
        try:
            transition_finding(runner, "F1", "UNDER_REVIEW", f"actor-{index}", "objection")
        except TracerError as exc:
            return type(exc).__name__
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(4)))
    assert sorted(outcomes) == ["Conflict", "Conflict", "Conflict", "ok"]
    assert [t.seq for t in transitions(runner, "F1")] == [1]
