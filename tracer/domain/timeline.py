"""A finding's status line on two time axes (DOMAIN.md §8).

*Valid time*: the dates on which the finding applies. *Record time*: what the system knew when.
Replaying a finding's transitions gives, for every state of knowledge (after each recording),
the set of dates on which it applied as known then. The rows are stored on the finding, so a
query asks one hop: "was there a row with ``valid_from <= D <= valid_to`` and
``known_from <= K < known_to``?".

What each status does on the valid-time line:
- ACTIVE, CORRECTED: the finding applies (within its period);
- UNDER_REVIEW: suspended from its effective date until the next transition;
- REPAIRED, EXPIRED: the finding stops applying from the effective date (prospective);
- REVOKED: void from the start, on every date, from the moment it is known.

Two lines are kept: ``applies`` (status and period) and ``listed`` (on record and not
suspended, whatever the period or a repair says) for rules whose own period outlasts the
finding's (an officer ban runs three years from the listing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

#: The open end of a valid-time interval and of a record-time interval.
OPEN_DAY = dt.date(9999, 12, 31)
OPEN_INSTANT = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)

APPLYING = frozenset({"ACTIVE", "CORRECTED"})
SUSPENDING = frozenset({"UNDER_REVIEW"})
ENDING = frozenset({"REPAIRED", "EXPIRED"})
VOIDING = frozenset({"REVOKED"})


@dataclass(frozen=True)
class Change:
    """One recorded transition: a status from ``effective_on``, and/or a new term."""

    seq: int
    to_status: str
    effective_on: dt.date
    recorded_at: dt.datetime
    new_effective_until: dt.date | None = None


@dataclass(frozen=True)
class Row:
    """``valid_from..valid_to`` (inclusive) as known from ``known_from`` until ``known_to``."""

    valid_from: dt.date
    valid_to: dt.date
    known_from: dt.datetime
    known_to: dt.datetime


@dataclass(frozen=True)
class Term:
    """The period's end as known from ``known_from`` (``OPEN_DAY``: no end)."""

    until: dt.date
    known_from: dt.datetime


@dataclass(frozen=True)
class Line:
    """Everything a query needs, as parallel lists of primitives (Neo4j properties)."""

    applies: tuple[Row, ...]
    listed: tuple[Row, ...]
    terms: tuple[Term, ...]


Interval = tuple[dt.date, dt.date]


def _segments(decided_on: dt.date, changes: Sequence[Change]) -> list[tuple[dt.date, str]]:
    """(from date, status) pieces from the decision on, as the known changes say (a change
    effective before the decision counts from the decision; the later of two on one day wins)."""
    pieces = [(decided_on, "ACTIVE")]
    for change in sorted(changes, key=lambda item: (item.effective_on, item.seq)):
        start = max(change.effective_on, decided_on)
        if pieces[-1][0] == start:
            pieces[-1] = (start, change.to_status)
        else:
            pieces.append((start, change.to_status))
    return pieces


def _intervals(
    pieces: Sequence[tuple[dt.date, str]], keep: frozenset[str], until: dt.date
) -> list[Interval]:
    result: list[Interval] = []
    for index, (start, status) in enumerate(pieces):
        end = pieces[index + 1][0] - dt.timedelta(days=1) if index + 1 < len(pieces) else OPEN_DAY
        end = min(end, until)
        if status in keep and start <= end:
            if result and result[-1][1] + dt.timedelta(days=1) >= start:
                result[-1] = (result[-1][0], end)
            else:
                result.append((start, end))
    return result


def _term(
    initial: dt.date | None, default: dt.date | None, changes: Sequence[Change]
) -> dt.date | None:
    explicit = initial
    for change in sorted(changes, key=lambda item: item.seq):
        if change.new_effective_until is not None:
            explicit = change.new_effective_until
    return explicit if explicit is not None else default


def status_line(
    decided_on: dt.date,
    recorded_at: dt.datetime,
    changes: Sequence[Change],
    effective_until: dt.date | None = None,
    default_until: dt.date | None = None,
) -> Line:
    """The bitemporal line of a finding decided on ``decided_on``, first recorded at
    ``recorded_at``, with its transitions, its own ``effective_until`` and the default end of
    its period (used when it has none and no change of term set one)."""
    ordered = sorted(changes, key=lambda item: item.seq)
    moments = [recorded_at, *(max(c.recorded_at, recorded_at) for c in ordered)]
    applies: list[Row] = []
    listed: list[Row] = []
    terms: list[Term] = []
    for index, known_from in enumerate(moments):
        known = ordered[:index]
        if index + 1 < len(moments) and moments[index + 1] == known_from:
            continue  # recorded at the same instant as the next change: never visible alone
        known_to = next((m for m in moments[index + 1 :] if m > known_from), OPEN_INSTANT)
        term = _term(effective_until, default_until, known)
        if any(change.to_status in VOIDING for change in known):
            now_applies: list[Interval] = []
            now_listed: list[Interval] = []
        else:
            pieces = _segments(decided_on, known)
            now_applies = _intervals(pieces, APPLYING, term or OPEN_DAY)
            now_listed = _intervals(pieces, APPLYING | ENDING, OPEN_DAY)
        _extend(applies, now_applies, known_from, known_to)
        _extend(listed, now_listed, known_from, known_to)
        if not terms or terms[-1].until != (term or OPEN_DAY):
            terms.append(Term(term or OPEN_DAY, known_from))
    return Line(tuple(applies), tuple(listed), tuple(terms))


def _extend(
    rows: list[Row], intervals: Sequence[Interval], known_from: dt.datetime, known_to: dt.datetime
) -> None:
    """Append the intervals known from ``known_from``; an interval already open with the same
    valid dates just stays open longer (fewer rows)."""
    for start, end in intervals:
        for position, row in enumerate(rows):
            if (row.valid_from, row.valid_to) == (start, end) and row.known_to == known_from:
                rows[position] = Row(start, end, row.known_from, known_to)
                break
        else:
            rows.append(Row(start, end, known_from, known_to))


def applies_on(rows: Sequence[Row], day: dt.date, known_at: dt.datetime) -> bool:
    """The reference reading of the stored rows (the Cypher fragment does the same)."""
    return any(
        row.valid_from <= day <= row.valid_to and row.known_from <= known_at < row.known_to
        for row in rows
    )


def term_known_at(terms: Sequence[Term], known_at: dt.datetime) -> dt.date | None:
    """The period's end as known at ``known_at`` (None: open, or not yet recorded)."""
    found = [term.until for term in terms if term.known_from <= known_at]
    if not found or found[-1] == OPEN_DAY:
        return None
    return found[-1]


def plus_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_end(start: dt.date, years: int) -> dt.date:
    """The last day of a period of ``years`` years from ``start``: start + N years − 1 day."""
    return plus_years(start, years) - dt.timedelta(days=1)
