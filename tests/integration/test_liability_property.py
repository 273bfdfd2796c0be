"""Differential test: the engine (Cypher over stored status lines) equals the naive pure-Python
model on random small graphs with status histories, namings, releases and suspensions recorded
over time, asked about random dates as known at random moments — liabilities and exposures
both."""

from __future__ import annotations

import datetime as dt
import itertools
import os

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.fixtures.graph_builder import GraphBuilder, uscc
from tests.reference_model.liability import ExposureKey, LiabilityKey, model
from tracer.domain.codes import POSITION_ROLES
from tracer.domain.keys import PersonKey
from tracer.queries.liability import Check, check_people, finding_reach
from tracer.queries.lifecycle import LEGAL_TRANSITIONS
from tracer.queries.reference import install_reference_data, shipped_tables
from tracer.queries.runner import QueryRunner

D = dt.date
DATES = [D(2018, 1, 1), D(2019, 1, 1), D(2019, 6, 1), D(2020, 1, 1), D(2021, 1, 1), D(2022, 1, 1)]
AS_OF = [*DATES[2:], D(2022, 6, 1), D(2023, 6, 1), D(2025, 1, 1), D(2027, 1, 1)]
ROLES = [*POSITION_ROLES, "LEGAL_REPRESENTATIVE", "LEGAL_REPRESENTATIVE", "PRINCIPAL"]
TABLES = shipped_tables()
LIST_TYPES = [str(row["code"]) for row in TABLES["list_types"]] + ["NOT_IN_THE_TABLE"]
#: The list types whose rules differ most (court, officer ban, named-only, a person-level ban).
TELLING = ["JUDGMENT_DEFAULTER", "MARKET_SUPERVISION_SERIOUS", "WAGE_ARREARS", "FOOD_DRUG_SERIOUS"]
CATEGORIES = [None, None, "REFUSE_OBLIGATION", "MARKET_ORDER", "HEALTH_SAFETY"]
GROUNDS = {
    "JUDGMENT_DEFAULTER": [None, "ABLE_BUT_REFUSING", "EVADING_ENFORCEMENT"],
    "MARKET_SUPERVISION_SERIOUS": [None, "ABNORMAL_3_YEARS", "ABNORMAL_3_YEARS"],
    "FOOD_DRUG_SERIOUS": [None, "LICENCE_REVOKED", "LICENCE_REVOKED"],
}
CAPACITIES = [
    "DIRECTLY_RESPONSIBLE",
    "ACTUAL_CONTROLLER",
    "EXIT_RESTRICTED",
    "RESTRICTED_OFFICER",
    "CO_LISTED",
]
#: More examples where the suite is the gate (CI); fewer on a developer's quick run.
EXAMPLES = int(os.environ.get("TRACER_PROPERTY_EXAMPLES", "60" if os.environ.get("CI") else "30"))
_examples = itertools.count()
_enterprise_numbers = itertools.count(700_000)


def moment(day: dt.date, hours: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC) + dt.timedelta(hours=hours)


def _maybe_date(draw: st.DrawFn) -> dt.date | None:
    return draw(st.one_of(st.none(), st.sampled_from(DATES)))


def _history(
    draw: st.DrawFn, g: GraphBuilder, finding_id: str, decided: dt.date, loaded: dt.datetime
) -> None:
    """A legal sequence of transitions, effective dates in order, recorded after each other."""
    status, effective, recorded = "ACTIVE", decided, loaded
    for _ in range(draw(st.integers(0, 3))):
        moves = sorted(LEGAL_TRANSITIONS[status] - {"EXPIRED"})
        if not moves:
            return
        to_status = draw(st.sampled_from(moves))
        effective += dt.timedelta(days=draw(st.integers(0, 500)))
        recorded = max(recorded, moment(effective)) + dt.timedelta(days=draw(st.integers(0, 200)))
        term = None
        if to_status == status:
            term = effective + dt.timedelta(days=draw(st.integers(0, 1500)))
        g.transition(finding_id, to_status, effective, recorded, new_effective_until=term)
        status = to_status


@st.composite
def graphs(
    draw: st.DrawFn,
) -> tuple[GraphBuilder, list[PersonKey], list[str], dt.date, dt.datetime | None]:
    """A random small graph with unique keys (a fresh prefix per example)."""
    prefix = f"X{next(_examples)}-"
    g = GraphBuilder()
    enterprises = [
        g.enterprise(
            uscc(next(_enterprise_numbers)),
            kind=draw(st.sampled_from(["ENTERPRISE", "PUBLIC_INSTITUTION"])),
            ownership=draw(st.sampled_from([None, "STATE", "PRIVATE"])),
        )
        for _ in range(draw(st.integers(1, 2)))
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
    findings: list[str] = []
    subjects: dict[str, object] = {}
    decisions: dict[str, dt.date] = {}
    for i in range(draw(st.integers(1, 3))):
        against_person = draw(st.integers(0, 4)) == 0
        subject = (
            draw(st.sampled_from(people)) if against_person else draw(st.sampled_from(enterprises))
        )
        decided = draw(st.sampled_from(DATES))
        list_type = draw(st.sampled_from([*LIST_TYPES, *TELLING, *TELLING]))
        until = draw(
            st.one_of(st.none(), st.none(), st.sampled_from([d for d in DATES if d >= decided]))
        )
        finding_id = f"{prefix}F{i}"
        loaded = moment(decided) + dt.timedelta(days=draw(st.integers(0, 300)))
        subjects[finding_id], decisions[finding_id] = subject, decided
        findings.append(
            g.finding(
                finding_id,
                subject,
                decided_on=decided,
                list_type=list_type,
                category=draw(st.sampled_from(CATEGORIES)),
                ground=draw(st.sampled_from(GROUNDS.get(list_type, [None]))),
                act_date=draw(
                    st.one_of(st.none(), st.sampled_from([d for d in DATES if d <= decided]))
                ),
                effective_until=until,
                exit_restricted=draw(st.booleans()),
                recorded_at=loaded,
            )
        )
        _history(draw, g, finding_id, decided, loaded)
        if not against_person and draw(st.booleans()):  # someone in charge around the decision
            start = decided - dt.timedelta(days=draw(st.integers(-200, 900)))
            lasts = draw(st.one_of(st.none(), st.integers(-400, 600)))
            holder = draw(st.sampled_from(people))
            role = draw(st.sampled_from(["LEGAL_REPRESENTATIVE", "PRINCIPAL"]))
            if (holder, subject, "HOLDS", role, start) not in keys:
                keys.add((holder, subject, "HOLDS", role, start))
                linked.add((holder, str(subject)))
                g.holds(
                    holder,
                    str(subject),
                    role,
                    start,
                    None if lasts is None else max(start, decided + dt.timedelta(days=lasts)),
                )
    named: set[tuple[str, PersonKey, str]] = set()
    for _ in range(draw(st.integers(0, 4))):
        named.add(
            (
                draw(st.sampled_from(findings)),
                draw(st.sampled_from(people)),
                draw(st.sampled_from(CAPACITIES)),
            )
        )
    for finding_id, person, capacity in sorted(named):
        effective = draw(
            st.one_of(st.none(), st.sampled_from([d for d in DATES if d >= decisions[finding_id]]))
        )
        g.names(finding_id, person, capacity, effective_on=effective)
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
            effective = decisions[finding_id] + dt.timedelta(days=draw(st.integers(0, 1500)))
            g.release(
                finding_id,
                person,
                effective_on=effective,
                recorded_at=moment(effective) + dt.timedelta(days=draw(st.integers(0, 100))),
                wrongful=draw(st.integers(0, 3)) == 0,
            )
        # a person's objection to their own role: suspended from acceptance until decided
        for finding_id, person in draw(
            st.lists(st.sampled_from(reachable), max_size=1, unique=True)
        ):
            accepted = decisions[finding_id] + dt.timedelta(days=draw(st.integers(0, 1200)))
            recorded = moment(accepted) + dt.timedelta(days=draw(st.integers(0, 30)))
            lasts = draw(st.one_of(st.none(), st.integers(1, 400)))
            g.suspend(
                finding_id,
                person,
                accepted,
                recorded,
                None if lasts is None else accepted + dt.timedelta(days=lasts),
                None if lasts is None else recorded + dt.timedelta(days=lasts),
            )
    first = min(decisions.values())
    as_of = draw(
        st.one_of(
            st.sampled_from([d for d in AS_OF if d >= first]),
            st.integers(0, 1200).map(lambda days: first + dt.timedelta(days=days)),
        )
    )
    known_on = draw(st.one_of(st.none(), st.sampled_from([moment(d, 20) for d in AS_OF])))
    return g, [PersonKey(*p) for p in people], findings, as_of, known_on


def _liability_keys(person: PersonKey, check: Check) -> set[LiabilityKey]:
    return {
        (
            (person.id_type, person.id_number),
            item.finding_id,
            item.rule,
            tuple(sorted(item.measures)) if item.measures else ("ELIGIBLE",),
        )
        for item in check.liabilities
        if item.rule != "LIST"
    }


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    case=graphs(),
)
def test_engine_equals_reference_model(
    runner: QueryRunner,
    case: tuple[GraphBuilder, list[PersonKey], list[str], dt.date, dt.datetime | None],
) -> None:
    builder, people, findings, as_of, known_on = case
    install_reference_data(runner)  # idempotent; keys are unique per example, no wipe needed
    builder.write(runner)
    known_at = known_on or dt.datetime(9999, 12, 31, 23, 59, 58, tzinfo=dt.UTC)
    liabilities, exposures = model(builder.to_networkx(), TABLES, as_of, known_at)

    by_person: set[LiabilityKey] = set()
    exposed: set[ExposureKey] = set()
    for person, check in zip(
        people, check_people(runner, people, as_of, known_on=known_on), strict=True
    ):
        assert check.liable == bool(check.liabilities)
        by_person |= _liability_keys(person, check)
        exposed |= {
            ((person.id_type, person.id_number), e.finding_id, e.kind) for e in check.exposures
        }
    assert by_person == liabilities
    assert exposed == exposures
    for key in liabilities:
        event(f"liable {key[2]} {'eligible' if key[3] == ('ELIGIBLE',) else 'measures'}")
    for _, _, kind in exposures:
        event(f"exposed {kind}")
    event(f"as known {'at a moment' if known_on else 'now'}")

    by_finding: set[LiabilityKey] = set()
    for finding_id in findings:
        for entry in finding_reach(runner, finding_id, as_of, known_on).liable:
            by_finding |= _liability_keys(entry.person.key, Check(
                subject=entry.person, as_of=as_of, known=True, liable=True, restricted=True,
                liabilities=entry.liabilities,
            ))  # fmt: skip
    assert by_finding == liabilities
