"""The bitemporal status line of a finding (DOMAIN.md §8), on its own: each status's effect on the
valid-time line, at the edges of each effective date and of each recording."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tracer.domain.timeline import (
    Change,
    applies_on,
    period_end,
    plus_years,
    status_line,
    term_known_at,
)
from tracer.queries.timeline import stopped_on

D = dt.date
DECIDED = D(2020, 1, 1)
LOADED = dt.datetime(2020, 1, 2, tzinfo=dt.UTC)


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)


NOW = at(2030, 1, 1)


def test_an_active_finding_applies_from_its_decision_to_its_term() -> None:
    line = status_line(DECIDED, LOADED, [], effective_until=D(2021, 12, 31))
    assert not applies_on(line.applies, D(2019, 12, 31), NOW)
    assert applies_on(line.applies, DECIDED, NOW)
    assert applies_on(line.applies, D(2021, 12, 31), NOW)  # last day
    assert not applies_on(line.applies, D(2022, 1, 1), NOW)  # day after
    assert not applies_on(line.applies, D(2020, 6, 1), at(2020, 1, 1))  # not yet recorded
    assert term_known_at(line.terms, NOW) == D(2021, 12, 31)


def test_the_default_period_applies_only_without_a_term_of_its_own() -> None:
    default = period_end(DECIDED, 2)
    assert default == D(2021, 12, 31)
    line = status_line(DECIDED, LOADED, [], default_until=default)
    assert applies_on(line.applies, D(2021, 12, 31), NOW)
    assert not applies_on(line.applies, D(2022, 1, 1), NOW)
    own = status_line(DECIDED, LOADED, [], effective_until=D(2024, 6, 30), default_until=default)
    assert applies_on(own.applies, D(2024, 6, 30), NOW)
    assert term_known_at(status_line(DECIDED, LOADED, []).terms, NOW) is None  # open


def test_under_review_suspends_from_its_effective_date_until_the_next_transition() -> None:
    changes = [
        Change(1, "UNDER_REVIEW", D(2020, 6, 1), at(2020, 6, 2)),
        Change(2, "ACTIVE", D(2020, 9, 1), at(2020, 9, 1)),
    ]
    line = status_line(DECIDED, LOADED, changes)
    assert applies_on(line.applies, D(2020, 5, 31), NOW)  # day before
    assert not applies_on(line.applies, D(2020, 6, 1), NOW)  # day of
    assert not applies_on(line.applies, D(2020, 8, 31), NOW)
    assert applies_on(line.applies, D(2020, 9, 1), NOW)  # upheld: applies again
    assert not applies_on(line.listed, D(2020, 7, 1), NOW)  # suspended for every rule
    # before the review was recorded, the system answered that it applied
    assert applies_on(line.applies, D(2020, 7, 1), at(2020, 6, 1))


def test_revocation_voids_the_past_from_the_moment_it_is_recorded() -> None:
    line = status_line(DECIDED, LOADED, [Change(1, "REVOKED", D(2021, 3, 1), at(2021, 3, 5))])
    for day in (DECIDED, D(2020, 12, 31), D(2021, 6, 1)):
        assert not applies_on(line.applies, day, NOW)
        assert not applies_on(line.listed, day, NOW)
    assert applies_on(line.applies, D(2020, 12, 31), at(2021, 3, 4))  # known before: applied
    assert not applies_on(line.applies, D(2020, 12, 31), at(2021, 3, 6))


def test_repair_is_prospective_and_keeps_the_past() -> None:
    line = status_line(DECIDED, LOADED, [Change(1, "REPAIRED", D(2021, 3, 1), at(2021, 3, 5))])
    assert applies_on(line.applies, D(2021, 2, 28), NOW)
    assert not applies_on(line.applies, D(2021, 3, 1), NOW)
    assert applies_on(line.listed, D(2021, 6, 1), NOW)  # still on record for own-period rules


def test_a_change_of_term_is_known_from_its_recording() -> None:
    changes = [
        Change(1, "ACTIVE", D(2021, 6, 1), at(2021, 6, 1), new_effective_until=D(2023, 12, 31))
    ]
    line = status_line(DECIDED, LOADED, changes, effective_until=D(2021, 12, 31))
    assert applies_on(line.applies, D(2023, 12, 31), NOW)
    assert not applies_on(line.applies, D(2022, 1, 1), at(2021, 5, 1))  # old term then
    assert term_known_at(line.terms, at(2021, 5, 1)) == D(2021, 12, 31)
    assert term_known_at(line.terms, NOW) == D(2023, 12, 31)


def test_corrected_applies_again_from_its_effective_date() -> None:
    changes = [
        Change(1, "UNDER_REVIEW", D(2020, 3, 1), at(2020, 3, 1)),
        Change(2, "CORRECTED", D(2020, 4, 1), at(2020, 4, 1)),
    ]
    line = status_line(DECIDED, LOADED, changes)
    assert not applies_on(line.applies, D(2020, 3, 31), NOW)
    assert applies_on(line.applies, D(2020, 4, 1), NOW)


def test_expiry_records_the_end_of_the_period() -> None:
    changes = [Change(1, "EXPIRED", D(2022, 1, 1), at(2022, 1, 2))]
    line = status_line(DECIDED, LOADED, changes, effective_until=D(2021, 12, 31))
    assert applies_on(line.applies, D(2021, 12, 31), NOW)
    assert not applies_on(line.applies, D(2022, 1, 1), NOW)


def test_plus_years_on_29_february() -> None:
    assert plus_years(D(2020, 2, 29), 1) == D(2021, 2, 28)
    assert period_end(D(2020, 2, 29), 3) == D(2023, 2, 27)


STATUSES = ["ACTIVE", "UNDER_REVIEW", "CORRECTED", "REPAIRED", "EXPIRED", "REVOKED"]


@st.composite
def histories(draw: st.DrawFn) -> list[Change]:
    count = draw(st.integers(0, 5))
    days = sorted(draw(st.lists(st.integers(0, 1500), min_size=count, max_size=count)))
    lags = draw(st.lists(st.integers(0, 400), min_size=count, max_size=count))
    recorded, moment = [], at(2020, 1, 3)
    for day, lag in zip(days, lags, strict=True):  # recording times grow with the sequence
        moment = max(moment, at(2020, 1, 3) + dt.timedelta(days=day + lag))
        recorded.append(moment)
    return [
        Change(
            seq=index + 1,
            to_status=draw(st.sampled_from(STATUSES)),
            effective_on=DECIDED + dt.timedelta(days=day),
            recorded_at=moment,
        )
        for index, (day, moment) in enumerate(zip(days, recorded, strict=True))
    ]


def _replay(changes: list[Change], day: dt.date, known: dt.datetime) -> bool:
    """The naive reading: replay what was recorded by ``known`` and look at ``day``."""
    seen = [c for c in changes if c.recorded_at <= known]
    if known < LOADED or day < DECIDED:
        return False
    if any(c.to_status == "REVOKED" for c in seen):
        return False
    status = "ACTIVE"
    for change in sorted(seen, key=lambda c: (c.effective_on, c.seq)):
        if change.effective_on <= day:
            status = change.to_status
    return status in ("ACTIVE", "CORRECTED")


@given(
    changes=histories(),
    offset=st.integers(-10, 1700),
    lag=st.integers(-5, 2100),
)
def test_the_stored_rows_equal_a_naive_replay(changes: list[Change], offset: int, lag: int) -> None:
    line = status_line(DECIDED, LOADED, changes)
    day = DECIDED + dt.timedelta(days=offset)
    known = LOADED + dt.timedelta(days=lag)
    assert applies_on(line.applies, day, known) == _replay(changes, day, known)


def test_stopped_on_is_the_day_after_the_last_applying_day_and_none_at_the_calendar_edge() -> None:
    repaired = [Change(1, "REPAIRED", D(2021, 3, 1), at(2021, 3, 5))]
    assert stopped_on(repaired, DECIDED, None, D(2022, 1, 1), NOW) == D(2021, 3, 1)
    assert stopped_on([], DECIDED, D(2020, 12, 31), D(2022, 1, 1), NOW) == D(2021, 1, 1)
    # asked as known before anything was recorded, on the last day of the calendar: no overflow
    assert stopped_on([], DECIDED, None, dt.date.max, at(2019, 1, 1)) is None
