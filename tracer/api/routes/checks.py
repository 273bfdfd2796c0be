"""Checks of persons and enterprises: one, or a batch in one engine round trip per kind
(personal identifiers in the body only)."""

from __future__ import annotations

import asyncio
import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel

from tracer.api.deps import (
    AsyncRunnerDep,
    ClockDep,
    RunnerDep,
    ScreenerDep,
    SingleCheckDep,
    TrailDep,
)
from tracer.api.responses import problem_responses
from tracer.api.schemas import BatchCheckRequest, CheckRequest, SubjectBody
from tracer.domain.clock import Clock
from tracer.domain.errors import InvalidInput, UnknownCode
from tracer.domain.identifiers import InvalidIdentifier
from tracer.domain.keys import SubjectKey
from tracer.queries.async_checks import read_subjects
from tracer.queries.liability import MAX_BATCH, Check, Moment
from tracer.queries.reference import Snapshot, snapshot
from tracer.queries.runner import QueryRunner

router = APIRouter(prefix="/v1/checks", tags=["checks"])


class BatchError(BaseModel):
    """Why one entry of a batch was not checked."""

    reason: str
    detail: str


class BatchItem(BaseModel):
    """The answer for one entry, in input order: a check, or the reason it was refused."""

    index: int
    check: Check | None = None
    error: BatchError | None = None


class BatchResult(BaseModel):
    """Answers of a batch; ``restricted`` counts the restricted subjects."""

    as_of: dt.date
    known_on: dt.datetime | None = None
    measure: str | None
    checked: int
    invalid: int
    restricted: int
    results: list[BatchItem]


def known_instant(clock: Clock, text: str | None) -> dt.datetime | None:
    """``known_on`` of a request (a date: the end of that day here; or an ISO instant)."""
    return clock.parse_instant(text) if text else None


def measure_in(reference: Snapshot, code: str | None) -> str | None:
    """The measure a check asks about, upper case; ``UnknownCode`` (404, listing the valid
    codes) when the installed catalogue has no such code: the catalogue is data an installation
    may extend, so the schema cannot list its codes, and a code it lacks names nothing — like an
    unknown department or finding."""
    if code is None:
        return None
    measure = code.upper()
    codes = {row["code"] for row in reference.rows("measures")}
    if measure not in codes:
        raise UnknownCode("the measures catalogue has no measure with this code", sorted(codes))
    return measure


def measure_code(runner: QueryRunner, code: str | None) -> str | None:
    """``measure_in`` the installed catalogue."""
    return None if code is None else measure_in(snapshot(runner), code)


@router.post(
    "",
    summary="Is this person or enterprise restricted?",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def check(body: CheckRequest, call: SingleCheckDep) -> Check:
    """Liabilities (with evidence: finding, rule, role or capacity, path, source clause, each
    measure with ``mandatory``) of a person — or the findings against an enterprise with the
    memoranda's measures and its related risk — on ``as_of``, as known on ``known_on``. ID
    numbers are masked unless the role reveals them."""
    key = call.trail.subject(body)
    moment = Moment(body.as_of or call.clock.today(), known_instant(call.clock, body.known_on))
    rows = await call.reads.read(key, moment)
    answer = rows.checks(measure_in(rows.reference, body.measure))[0]
    call.trail.disclosed(answer)
    return answer


@router.post(
    "/batch",
    summary=f"Screen up to {MAX_BATCH} persons and enterprises",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def check_batch(
    body: BatchCheckRequest,
    principal: ScreenerDep,
    runner: RunnerDep,
    reader: AsyncRunnerDep,
    trail: TrailDep,
    clock: ClockDep,
) -> BatchResult:
    """Check every subject (``subjects``: persons and enterprises; or ``people``: persons) in
    input order; entries with an invalid identifier get an ``error`` (reason code) instead."""
    entries = body.subjects or [SubjectBody(**p.model_dump()) for p in body.people]
    moment = Moment(body.as_of or clock.today(), known_instant(clock, body.known_on))
    valid: list[tuple[int, SubjectKey]] = []
    errors: dict[int, BatchError] = {}
    for index, entry in enumerate(entries):
        try:
            valid.append((index, trail.subject(entry)))
        except InvalidIdentifier as exc:
            errors[index] = BatchError(reason=exc.reason, detail=str(exc))
        except InvalidInput as exc:
            errors[index] = BatchError(reason="SUBJECT_SHAPE", detail=str(exc))
    rows = await read_subjects(reader, runner, [key for _, key in valid], moment)
    measure = measure_in(rows.reference, body.measure)

    def answer() -> BatchResult:  # the assembly of up to MAX_BATCH checks: in a worker thread
        answers = rows.checks(measure)
        checked = {index: check for (index, _), check in zip(valid, answers, strict=True)}
        trail.disclosed(answers)
        return BatchResult(
            as_of=moment.as_of,
            known_on=moment.known_on,
            measure=measure,
            checked=len(answers),
            invalid=len(errors),
            restricted=sum(check.restricted for check in answers),
            results=[
                BatchItem(index=index, check=checked.get(index), error=errors.get(index))
                for index in range(len(entries))
            ],
        )

    return await asyncio.to_thread(answer)
