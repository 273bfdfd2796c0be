"""Person checks: one, or a batch in one engine round trip (identifiers in the body only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tracer.api.deps import ReaderDep, RunnerDep, ScreenerDep, TrailDep
from tracer.api.present import present
from tracer.api.responses import problem_responses
from tracer.api.schemas import MAX_BATCH, BatchCheckRequest, CheckRequest
from tracer.domain.identifiers import InvalidIdentifier, normalise_person_id
from tracer.queries.liability import PersonCheck, check_people, check_person

router = APIRouter(prefix="/v1/checks", tags=["checks"])


class BatchError(BaseModel):
    """Why one entry of a batch was not checked."""

    reason: str
    detail: str


class BatchItem(BaseModel):
    """The answer for one entry, in input order: a check, or the reason it was refused."""

    index: int
    check: PersonCheck | None = None
    error: BatchError | None = None


class BatchResult(BaseModel):
    """Answers of a batch; ``restricted`` counts the restricted persons."""

    as_of: dt.date
    measure: str | None
    checked: int
    invalid: int
    restricted: int
    results: list[BatchItem]


@router.post(
    "",
    summary="Is this person restricted?",
    response_model=PersonCheck,
    responses=problem_responses(401, 403, 422, 503),
)
def check(
    body: CheckRequest, principal: ReaderDep, runner: RunnerDep, trail: TrailDep
) -> JSONResponse:
    """Liabilities (with evidence: finding, rule, role or capacity, path, source clause) and
    exposures of one person on ``as_of``. ID numbers are masked unless the role reveals them."""
    number = normalise_person_id(body.id_type, body.id_number)
    trail.person(body.id_type, number)
    result = check_person(runner, body.id_type, number, body.as_of or dt.date.today(), body.measure)
    return present(result, principal)


@router.post(
    "/batch",
    summary=f"Screen up to {MAX_BATCH} persons",
    response_model=BatchResult,
    responses=problem_responses(401, 403, 422, 503),
)
def check_batch(
    body: BatchCheckRequest, principal: ScreenerDep, runner: RunnerDep, trail: TrailDep
) -> JSONResponse:
    """Check every person in one engine round trip; entries with an invalid identifier get an
    ``error`` (reason code) instead of a check, the others are answered in input order."""
    as_of = body.as_of or dt.date.today()
    valid: list[tuple[int, str, str]] = []
    results: dict[int, dict[str, Any]] = {}
    for index, person in enumerate(body.people):
        try:
            number = normalise_person_id(person.id_type, person.id_number)
        except InvalidIdentifier as exc:
            results[index] = {"index": index, "error": {"reason": exc.reason, "detail": str(exc)}}
            continue
        trail.person(person.id_type, number)
        valid.append((index, person.id_type, number))
    checks = check_people(
        runner, [(kind, number) for _, kind, number in valid], as_of, body.measure
    )
    for (index, _, _), answer in zip(valid, checks, strict=True):
        results[index] = {"index": index, "check": answer}
    document = {
        "as_of": as_of,
        "measure": body.measure,
        "checked": len(checks),
        "invalid": len(body.people) - len(checks),
        "restricted": sum(answer.restricted for answer in checks),
        "results": [results[index] for index in range(len(body.people))],
    }
    return present(document, principal)
