"""Screening a spreadsheet over HTTP: the file is the request body (names and ID numbers travel
only there), the answer a workbook (or CSV) to download — the same rows as
``tracer check --file``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Response

from tracer.api.deps import ClockDep, RunnerDep, ScreenerDep, TrailDep
from tracer.api.responses import problem_responses
from tracer.api.routes.checks import known_instant, measure_code
from tracer.domain.errors import InvalidInput
from tracer.domain.sheets import CSV_TYPE, MEDIA_TYPES, XLSX_TYPE, read_rows, write_sheets
from tracer.queries.liability import MAX_BATCH
from tracer.queries.screening import result_sheets, screen

router = APIRouter(prefix="/v1/checks", tags=["checks"])

_FILE = Body(
    media_type="application/octet-stream",
    description=f"A .xlsx workbook or a CSV (UTF-8, UTF-8 with BOM or GBK), at most {MAX_BATCH} "
    "rows: columns id_type, id_number or uscc (证件类型, 证件号码, 统一社会信用代码), name "
    "(姓名/名称) optional. Any Content-Type: the kind is told by the content.",
)


@router.post(
    "/file",
    summary=f"Screen a spreadsheet of up to {MAX_BATCH} persons and enterprises",
    responses={
        **problem_responses(401, 403, 404, 413, 422, 503),
        200: {
            "description": "The results (and, in a workbook, the evidence) as a file.",
            "content": {XLSX_TYPE: {}, CSV_TYPE: {}},
        },
    },
    response_class=Response,
)
def check_file(
    data: Annotated[bytes, _FILE],
    principal: ScreenerDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    as_of: dt.date | None = None,
    measure: Annotated[str | None, Query(max_length=60)] = None,
    known_on: Annotated[str | None, Query(max_length=40)] = None,
    output: Annotated[Literal["xlsx", "csv"], Query(alias="format")] = "xlsx",
) -> Response:
    """One result row per input row (verdict RESTRICTED, LIABLE_NOT_RESTRICTED, CLEAR,
    NOT_FOUND or INVALID with the reason; masked ID; the record's name and whether the given
    one matches; measures, rules, findings, why) and, in a workbook, one evidence row per
    liability. ID numbers are always masked in the file. The counts are in the
    ``X-Screening-*`` headers; every subject checked is written to the audit log."""
    rows = read_rows(data)
    if len(rows.rows) > MAX_BATCH:
        raise InvalidInput(f"the file has {len(rows.rows)} rows; at most {MAX_BATCH} per upload")
    if not rows.rows:
        raise InvalidInput("the file has a header but no rows")
    screening = screen(
        runner,
        rows,
        as_of or clock.today(),
        measure_code(runner, measure),
        known_instant(clock, known_on),
    )
    for entry in screening.entries:
        if entry.key is not None:
            trail.key(entry.key)
    trail.disclosed([check for check in screening.checks if check is not None])
    suffix = f".{output}"
    headers = {
        "Content-Disposition": f'attachment; filename="screened{suffix}"',
        **{
            f"X-Screening-{name.replace('_', '-').title()}": str(n)
            for name, n in screening.summary().items()
        },
    }
    content = write_sheets(result_sheets(screening), suffix)
    return Response(content, media_type=MEDIA_TYPES[suffix], headers=headers)
