"""Differential test: the Cypher engine equals the pure-Python model on random small graphs."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.graph_builder import GraphBuilder, PersonKey, uscc
from tests.reference_model.liability import LiabilityKey, liabilities
from tracer.domain.codes import POSITION_ROLES
from tracer.queries.liability import check_people, finding_reach
from tracer.queries.reference import install_reference_data, shipped_tables
from tracer.queries.runner import QueryRunner

D = dt.date
DATES = [D(2018, 1, 1), D(2019, 1, 1), D(2019, 6, 1), D(2020, 1, 1), D(2021, 1, 1), D(2022, 1, 1)]
AS_OF = [*DATES[2:], D(2022, 6, 1), D(2023, 6, 1), D(2025, 1, 1)]
ROLES = list(POSITION_ROLES)
TABLES = shipped_tables()
LIST_TYPES = [str(row["code"]) for row in TABLES["list_types"]] + ["NOT_IN_THE_TABLE"]
STATUSES = ["ACTIVE", "ACTIVE", "ACTIVE", "UNDER_REVIEW", "REVOKED", "REPAIRED"]
CATEGORIES = [None, None, "REFUSE_OBLIGATION", "MARKET_ORDER", "HEALTH_SAFETY"]
_examples = itertools.count()
_enterprise_numbers = itertools.count(700_000)


def _maybe_date(draw: st.DrawFn) -> dt.date | None:
    return draw(st.one_of(st.none(), st.sampled_from(DATES)))


@st.composite
def graphs(draw: st.DrawFn) -> tuple[GraphBuilder, list[PersonKey], list[str], dt.date]:
    """A random small graph with unique keys (a fresh prefix per example)."""
    prefix = f"X{next(_examples)}-"
    g = GraphBuilder()
    enterprises = [
        g.enterprise(
            uscc(next(_enterprise_numbers)),
            kind=draw(st.sampled_from(["ENTERPRISE", "PUBLIC_INSTITUTION"])),
            ownership=draw(st.sampled_from([None, "STATE", "PRIVATE"])),
        )
        for i in range(draw(st.integers(1, 2)))
    ]
    # two persons share a name on purpose: names are never identity
    people = [
        g.person(f"{prefix}P{i}", name="同名" if i < 2 else None, id_type="PASSPORT")
        for i in range(draw(st.integers(1, 4)))
    ]
    keys: set[tuple[object, ...]] = set()
    linked: set[tuple[PersonKey, str]] = set()
    for _ in range(draw(st.integers(0, 7))):
        person, enterprise = draw(st.sampled_from(people)), draw(st.sampled_from(enterprises))
        kind = draw(st.sampled_from(["HOLDS", "HOLDS", "OWNS", "REGISTERED_AT"]))
        role = draw(st.sampled_from(ROLES)) if kind == "HOLDS" else kind
        start = draw(st.sampled_from(DATES))
        end = draw(st.one_of(st.none(), st.sampled_from([d for d in DATES if d >= start])))
        key = (person, enterprise, kind, role, start)
        if key in keys:
            continue
        keys.add(key)
        linked.add((person, enterprise))
        if kind == "HOLDS":
            g.holds(person, enterprise, role, start, end)
        elif kind == "OWNS":
            g.owns(person, enterprise, 0.5, start, end)
        else:
            g.registered(person, enterprise, start, end)
    findings = []
    subjects: dict[str, object] = {}
    for i in range(draw(st.integers(1, 3))):
        against_person = draw(st.integers(0, 4)) == 0
        subject = (
            draw(st.sampled_from(people)) if against_person else draw(st.sampled_from(enterprises))
        )
        decided = draw(st.sampled_from(DATES))
        subjects[f"{prefix}F{i}"] = subject
        findings.append(
            g.finding(
                f"{prefix}F{i}",
                subject,
                decided_on=decided,
                list_type=draw(st.sampled_from(LIST_TYPES)),
                category=draw(st.sampled_from(CATEGORIES)),
                act_date=_maybe_date(draw),
                effective_until=draw(st.one_of(st.none(), st.none(), st.sampled_from(DATES))),
                status=draw(st.sampled_from(STATUSES)),
            )
        )
    named: set[tuple[str, PersonKey, str]] = set()
    for _ in range(draw(st.integers(0, 3))):
        named.add(
            (
                draw(st.sampled_from(findings)),
                draw(st.sampled_from(people)),
                draw(st.sampled_from(["DIRECTLY_RESPONSIBLE", "ACTUAL_CONTROLLER"])),
            )
        )
    for finding_id, person, capacity in named:
        g.names(finding_id, person, capacity)
    # releases target people the finding can actually reach, so that they matter
    reachable = sorted(
        (finding_id, person)
        for finding_id, subject in subjects.items()
        for person in people
        if (person, subject) in linked
        or person == subject
        or (finding_id, person) in {(f, p) for f, p, _ in named}
    )
    if reachable:
        for finding_id, person in draw(
            st.lists(st.sampled_from(reachable), max_size=2, unique=True)
        ):
            g.release(finding_id, person)
    return g, people, findings, draw(st.sampled_from(AS_OF))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=graphs())
def test_engine_equals_reference_model(
    runner: QueryRunner, case: tuple[GraphBuilder, list[PersonKey], list[str], dt.date]
) -> None:
    builder, people, findings, as_of = case
    install_reference_data(runner)  # idempotent; keys are unique per example, no wipe needed
    builder.write(runner)
    expected = liabilities(builder.to_networkx(), TABLES["rules"], TABLES["list_types"], as_of)

    by_person: set[LiabilityKey] = set()
    for check in check_people(runner, people, as_of):
        assert check.restricted == bool(check.liabilities)
        for item in check.liabilities:
            person = (check.subject.id_type, str(check.subject.id_number))
            by_person.update((person, item.finding_id, item.rule, e) for e in item.effects)
    assert by_person == expected

    by_finding: set[LiabilityKey] = set()
    for finding_id in findings:
        for entry in finding_reach(runner, finding_id, as_of).liable:
            person = (entry.person.id_type, str(entry.person.id_number))
            for item in entry.liabilities:
                by_finding.update((person, item.finding_id, item.rule, e) for e in item.effects)
    assert by_finding == expected
