"""Checks of persons and enterprises on the asyncio driver (the API's hot path): the statements
and the assembly of ``liability.check_subjects``, with the reads awaited instead of blocking."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tracer.domain.keys import PersonKey, SubjectKey
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
) -> SubjectRows:
    """Read what checking ``subjects`` (normalised keys) needs: one round trip for the persons
    and one for the enterprises, as ``check_subjects`` does (managed transactions, retried);
    ``runner`` refreshes the snapshot."""
    people = [key.person_key for key in subjects if key.uscc is None and key.person_key]
    firms = [key.uscc for key in subjects if key.uscc is not None]
    person_rows: list[Row] = []
    firm_rows: list[Row] = []
    if people:
        query, params = people_query(people, moment)
        person_rows = await reader.read(query, **params)
    if firms:
        query, params = enterprises_query(firms, moment)
        firm_rows = await reader.read(query, **params)
    return await _with_reference(runner, subjects, moment, person_rows, firm_rows)


async def _with_reference(
    runner: QueryRunner,
    subjects: Sequence[SubjectKey],
    moment: Moment,
    person_rows: list[Row],
    firm_rows: list[Row],
) -> SubjectRows:
    if person_rows or firm_rows:
        reference = await reference_for(runner, rows_stamp(person_rows or firm_rows))
    else:
        reference = await asyncio.to_thread(snapshot, runner)
    return SubjectRows(subjects, moment, person_rows, firm_rows, reference)


K = TypeVar("K", bound=Hashable)
Read = Callable[..., Awaitable[list[Row]]]
Statement = Callable[[Sequence[K], Moment], tuple[str, dict[str, Any]]]


class Coalescer(Generic[K]):
    """Reads of single subjects asked together become one read: the subjects (of one moment)
    asked while ``parallel`` reads are in flight form the next read — one round trip and one
    transaction for up to ``max_batch`` of them, as a batch check — and each caller gets its
    own row. ``statement`` must answer one row per subject, in order.

    One read in flight by default: with two, the second slot mostly carried a read of one or
    two subjects (half the reads were of one), which cost Neo4j and the driver a round trip each
    and left the next group smaller."""

    def __init__(
        self, read: Read, statement: Statement[K], parallel: int = 1, max_batch: int = 32
    ) -> None:
        self.read = read
        self.statement = statement
        self.parallel = parallel
        self.max_batch = max_batch
        self._pending: dict[Moment, list[tuple[K, asyncio.Future[Row]]]] = {}
        self._reads: set[asyncio.Task[None]] = set()

    async def row(self, key: K, moment: Moment) -> Row:
        """The row of ``key`` on ``moment``; raises what its read raised."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Row] = loop.create_future()
        self._pending.setdefault(moment, []).append((key, answer))
        self._start(loop)
        return await answer

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        while self._pending and len(self._reads) < self.parallel:
            moment, waiting = next(iter(self._pending.items()))
            group = waiting[: self.max_batch]
            if len(waiting) > self.max_batch:
                self._pending[moment] = waiting[self.max_batch :]
            else:
                del self._pending[moment]
            task = loop.create_task(self._read(moment, group))
            self._reads.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._reads.discard(task)
        self._start(task.get_loop())

    async def _read(self, moment: Moment, group: list[tuple[K, asyncio.Future[Row]]]) -> None:
        try:
            query, params = self.statement([key for key, _ in group], moment)
            rows = await self.read(query, **params)
            if len(rows) != len(group):
                raise RuntimeError(f"{len(rows)} rows for {len(group)} subjects")
        except Exception as exc:  # every caller of the group learns that its read failed
            for _, answer in group:
                if not answer.done():
                    answer.set_exception(exc)
            return
        for (_, answer), row in zip(group, rows, strict=True):
            if not answer.done():
                answer.set_result(row)


class SingleChecks:
    """The reads of single checks (one subject each), coalesced per kind: auto-commit reads,
    not retried (a transient failure is a 503 the caller asks again after); ``runner``
    refreshes the reference snapshot."""

    def __init__(
        self,
        reader: AsyncQueryRunner,
        runner: QueryRunner,
        parallel: int = 1,
        max_batch: int = 32,
    ) -> None:
        self.runner = runner
        self.people: Coalescer[PersonKey] = Coalescer(
            reader.read_once, people_query, parallel, max_batch
        )
        self.enterprises: Coalescer[str] = Coalescer(
            reader.read_once, enterprises_query, parallel, max_batch
        )

    async def read(self, key: SubjectKey, moment: Moment) -> SubjectRows:
        """What checking ``key`` (normalised) needs, as ``read_subjects`` reads it."""
        person_rows: list[Row] = []
        firm_rows: list[Row] = []
        if key.uscc is not None:
            firm_rows = [await self.enterprises.row(key.uscc, moment)]
        elif key.person_key:
            person_rows = [await self.people.row(key.person_key, moment)]
        return await _with_reference(self.runner, [key], moment, person_rows, firm_rows)
