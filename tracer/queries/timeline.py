"""A finding's stored status line (``tracer.domain.timeline``): how it is computed from the
finding, its transitions and the default period of its list type, and kept fresh.

Every writer of a finding or a transition (the loader, lifecycle changes) stores the line in the
same statement; ``refresh_lines`` recomputes it where the inputs changed outside a write of the
finding itself — the default periods of the reference tables, or a database from before status
lines existed (``tracer db init`` and every load call it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from tracer.domain.clock import Clock
from tracer.domain.timeline import Change, Line, status_line
from tracer.domain.timeline import period_end as period_end_of
from tracer.queries.catalogue import cypher
from tracer.queries.measures import default_period
from tracer.queries.reference import Snapshot, snapshot
from tracer.queries.runner import QueryRunner, Row

REFRESH_BATCH = 2000
#: The moment "as now known": after every recording (rows still open end at OPEN_INSTANT).
LATEST = dt.datetime(9999, 12, 31, 23, 59, 58, tzinfo=dt.UTC)


class Period(BaseModel):
    """How a finding's period ends: by its decision, a list type's default, or open."""

    until: dt.date | None
    basis: str
    source: str | None = None


def history(props: Mapping[str, Any]) -> list[Change]:
    """The transitions stored on a finding (parallel lists), oldest first."""
    seqs = props.get("status_seq") or []
    return [
        Change(
            seq=int(seq),
            to_status=str(props["status_to"][index]),
            effective_on=props["status_effective"][index],
            recorded_at=props["status_recorded"][index],
            new_effective_until=_term(props.get("status_term") or [], index),
        )
        for index, seq in enumerate(seqs)
    ]


def _term(values: Sequence[Any], index: int) -> dt.date | None:
    if index >= len(values):
        return None
    value = values[index]
    return None if value == NO_TERM else value


#: Stored in ``status_term`` for a transition that does not change the term (lists hold no null).
NO_TERM = dt.date(1, 1, 1)


def period(reference: Snapshot, props: Mapping[str, Any], region: str | None) -> Period:
    """The period a finding has when it gives none: its list type's default for its ground."""
    explicit = props.get("effective_until")
    if explicit is not None:
        return Period(until=explicit, basis="DECISION")
    row = default_period(
        reference, props.get("list_type"), props.get("ground"), props["decided_on"], region
    )
    if row is None:
        return Period(
            until=None,
            basis="OPEN",
            source="no period in the decision and no default period known for this list type",
        )
    if row.get("years"):
        return Period(
            until=period_end_of(props["decided_on"], int(row["years"])),
            basis="DEFAULT",
            source=f"{row['years']} years from the decision: {row['source']}",
        )
    return Period(
        until=None, basis="OPEN", source=f"until {row.get('open_until')}: {row['source']}"
    )


def line_properties(
    props: Mapping[str, Any], changes: Sequence[Change], term: Period
) -> dict[str, Any]:
    """The properties that store a finding's line, its transitions and its period basis."""
    line: Line = status_line(
        props["decided_on"],
        props["recorded_at"],
        changes,
        effective_until=props.get("effective_until"),
        default_until=term.until if term.basis == "DEFAULT" else None,
    )
    ordered = sorted(changes, key=lambda change: change.seq)
    return {
        "line_from": [row.valid_from for row in line.applies],
        "line_to": [row.valid_to for row in line.applies],
        "line_known_from": [row.known_from for row in line.applies],
        "line_known_to": [row.known_to for row in line.applies],
        "listed_from": [row.valid_from for row in line.listed],
        "listed_to": [row.valid_to for row in line.listed],
        "listed_known_from": [row.known_from for row in line.listed],
        "listed_known_to": [row.known_to for row in line.listed],
        "term_until": [item.until for item in line.terms],
        "term_known_from": [item.known_from for item in line.terms],
        "term_basis": term.basis if not any(c.new_effective_until for c in ordered) else "DECISION",
        "term_source": term.source,
        "status_seq": [change.seq for change in ordered],
        "status_to": [change.to_status for change in ordered],
        "status_effective": [change.effective_on for change in ordered],
        "status_recorded": [change.recorded_at for change in ordered],
        "status_term": [change.new_effective_until or NO_TERM for change in ordered],
    }


def status_on(changes: Sequence[Change], day: dt.date, known_at: dt.datetime) -> str:
    """The status in force on ``day`` as known at ``known_at`` (ACTIVE before any change)."""
    known = [c for c in changes if c.recorded_at <= known_at and c.effective_on <= day]
    if any(c.to_status == "REVOKED" for c in changes if c.recorded_at <= known_at):
        return "REVOKED"
    known.sort(key=lambda c: (c.effective_on, c.seq))
    return known[-1].to_status if known else "ACTIVE"


def stopped_on(
    changes: Sequence[Change],
    decided_on: dt.date,
    term_until: dt.date | None,
    day: dt.date,
    known_at: dt.datetime,
) -> dt.date | None:
    """The first day of the run of days, up to ``day``, on which the finding has not applied
    (as known at ``known_at``): the day after its last applying day, or the revocation's
    effective date. None when its status line says it applied through ``day`` (a finding not
    yet recorded at ``known_at``)."""
    known = sorted(
        (c for c in changes if c.recorded_at <= known_at), key=lambda c: (c.effective_on, c.seq)
    )
    revoked = [c.effective_on for c in known if c.to_status == "REVOKED"]
    if revoked:
        return revoked[0]
    pieces = [(decided_on, "ACTIVE"), *((c.effective_on, c.to_status) for c in known)]
    last: dt.date | None = None
    for index, (start, status) in enumerate(pieces):
        if status not in ("ACTIVE", "CORRECTED"):
            continue
        end = pieces[index + 1][0] - dt.timedelta(days=1) if index + 1 < len(pieces) else day
        end = min(end, day, term_until or day)
        if start <= end:
            last = end
    if last is None:
        return decided_on
    return last + dt.timedelta(days=1) if last < day else None


def _legacy_changes(row: Row, clock: Clock) -> list[Change]:
    """Transitions of a database from before effective dates: ``at`` was both times."""
    found = []
    for item in row["transitions"]:
        recorded = item.get("recorded_at") or item.get("at") or clock.now()
        effective = item.get("effective_on") or clock.day_of(recorded)
        found.append(
            Change(
                seq=int(item["seq"]),
                to_status=str(item["to_status"]),
                effective_on=effective,
                recorded_at=recorded,
                new_effective_until=item.get("new_effective_until"),
            )
        )
    return found


def refresh_lines(
    runner: QueryRunner,
    finding_ids: Sequence[str] | None = None,
    clock: Clock | None = None,
    everything: bool = False,
) -> int:
    """Recompute the stored lines of ``finding_ids`` — or of every finding without a line
    (``everything``: of all findings, after the default periods changed). Returns the number of
    findings rewritten. Transitions recorded before effective dates existed take their effective
    date from their recording time."""
    clock = clock or Clock()
    reference = snapshot(runner)
    done = 0
    after = ""
    while True:
        if finding_ids is not None:
            batch = list(finding_ids[done : done + REFRESH_BATCH])
            if not batch:
                return done
        else:
            rows = runner.read(
                cypher("timeline_pending"), after=after, everything=everything, limit=REFRESH_BATCH
            )
            batch = [row["finding_id"] for row in rows]
            if not batch:
                return done
            after = batch[-1]
        found = runner.read(cypher("timeline_read"), finding_ids=batch)
        updates = []
        for row in found:
            props = dict(row["finding"])
            changes = _legacy_changes(row, clock)
            props["recorded_at"] = props.get("recorded_at") or min(
                (change.recorded_at for change in changes), default=clock.now()
            )
            term = period(reference, props, row["region_code"])
            updates.append(
                {
                    "finding_id": props["finding_id"],
                    "props": {
                        "recorded_at": props["recorded_at"],
                        **line_properties(props, changes, term),
                    },
                    "transitions": [
                        {
                            "seq": change.seq,
                            "effective_on": change.effective_on,
                            "recorded_at": change.recorded_at,
                        }
                        for change in changes
                    ],
                }
            )
        if updates:
            runner.write(cypher("timeline_write"), rows=updates)
        done += len(batch)
