"""Checks of persons and enterprises on the asyncio driver (the API's hot path): the statements
and the assembly of ``liability.check_subjects``, with the reads awaited instead of blocking."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from tracer.domain.keys import SubjectKey
from tracer.queries.async_runner import AsyncQueryRunner
from tracer.queries.liability import (
    Check,
    Moment,
    enterprises_checks,
    enterprises_query,
    people_checks,
    people_query,
    rows_stamp,
)
from tracer.queries.reference import Snapshot, snapshot
from tracer.queries.runner import QueryRunner, Row

#: The install stamp each database's snapshot was last refreshed for from here.
_SEEN: dict[tuple[int, str], str] = {}
#: One refresh at a time: the requests that find a new stamp together read the tables once.
_REFRESH = threading.Lock()


def _refresh(runner: QueryRunner, stamp: str) -> Snapshot:
    with _REFRESH:
        return snapshot(runner, stamp)


async def reference_for(runner: QueryRunner, stamp: str) -> Snapshot:
    """The reference snapshot for an install ``stamp`` (read with a check's rows): from
    ``snapshot``'s cache, or read by ``runner`` in a worker thread when the stamp is new here
    (so the event loop never waits on that read; concurrent requests wait for one read)."""
    slot = (id(runner.driver), runner.database)
    if _SEEN.get(slot) == stamp:
        return snapshot(runner, stamp)
    reference = await asyncio.to_thread(_refresh, runner, stamp)
    _SEEN[slot] = stamp
    return reference


@dataclass(frozen=True)
class SubjectRows:
    """What the checks of some subjects read: rows of persons and of enterprises, and the
    reference snapshot they were read with."""

    subjects: Sequence[SubjectKey]
    moment: Moment
    people: list[Row]
    enterprises: list[Row]
    reference: Snapshot

    def checks(self, measure: str | None) -> list[Check]:
        """The checks, in the order of ``subjects``. ``UnknownCode`` for an unknown measure."""
        people = iter(people_checks(self.people, self.reference, self.moment, measure))
        firms = iter(enterprises_checks(self.enterprises, self.reference, self.moment, measure))
        return [next(people) if key.uscc is None else next(firms) for key in self.subjects]


async def read_subjects(
    reader: AsyncQueryRunner,
    runner: QueryRunner,
    subjects: Sequence[SubjectKey],
    moment: Moment,
    *,
    retried: bool = True,
) -> SubjectRows:
    """Read what checking ``subjects`` (normalised keys) needs: one round trip for the persons
    and one for the enterprises, as ``check_subjects`` does; ``runner`` refreshes the snapshot.
    ``retried`` False: auto-commit reads, not retried (cheaper; for a check asked again at once
    when it fails, e.g. a single check answered 503)."""
    read = reader.read if retried else reader.read_once
    people = [key.person_key for key in subjects if key.uscc is None and key.person_key]
    firms = [key.uscc for key in subjects if key.uscc is not None]
    person_rows: list[Row] = []
    firm_rows: list[Row] = []
    if people:
        query, params = people_query(people, moment)
        person_rows = await read(query, **params)
    if firms:
        query, params = enterprises_query(firms, moment)
        firm_rows = await read(query, **params)
    if person_rows or firm_rows:
        reference = await reference_for(runner, rows_stamp(person_rows or firm_rows))
    else:
        reference = await asyncio.to_thread(snapshot, runner)
    return SubjectRows(subjects, moment, person_rows, firm_rows, reference)
