"""Views as files: the work list, owners and signals as .xlsx or CSV (UTF-8 with BOM). Each
export runs the view's own handler — same roles, same masking, same audit entry — and writes
its rows as tables instead of JSON."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from tracer.api.responses import problem_responses
from tracer.api.routes.departments import department_worklist
from tracer.api.routes.enterprises import owners
from tracer.api.routes.signals import SignalPage, signal
from tracer.domain.sheets import (
    CSV_TYPE,
    MEDIA_TYPES,
    XLSX_TYPE,
    Sheet,
    records_sheet,
    write_sheets,
)
from tracer.queries.ownership import OwnersReport
from tracer.queries.worklist import Worklist

router = APIRouter(prefix="/v1/exports", tags=["exports"])

FileFormat = Annotated[
    Literal["xlsx", "csv"],
    Query(alias="format", description="xlsx (every table) or csv (the first, UTF-8 with BOM)."),
]
RESPONSES = {
    **problem_responses(401, 403, 404, 422, 503),
    200: {"description": "The view's rows as a file.", "content": {XLSX_TYPE: {}, CSV_TYPE: {}}},
}


def _sheet(name: str, items: list[BaseModel]) -> Sheet:
    return records_sheet(name, [item.model_dump(mode="json") for item in items])


def _file(name: str, sheets: list[Sheet], output: str) -> Response:
    suffix = f".{output}"
    disposition = f'attachment; filename="{name}{suffix}"'
    return Response(
        write_sheets(sheets, suffix),
        media_type=MEDIA_TYPES[suffix],
        headers={"Content-Disposition": disposition},
    )


@router.get(
    "/departments/{code}/worklist",
    summary="A department's work list as a file",
    responses=RESPONSES,
    response_class=Response,
)
def worklist_file(
    result: Annotated[Worklist, Depends(department_worklist)], output: FileFormat = "xlsx"
) -> Response:
    """The entries of ``GET /v1/departments/{code}/worklist`` (same parameters), one row each."""
    return _file("worklist", [_sheet("worklist", list(result.entries))], output)


@router.get(
    "/enterprises/{uscc}/owners",
    summary="Owners and actual controllers as a file",
    responses=RESPONSES,
    response_class=Response,
)
def owners_file(
    result: Annotated[OwnersReport, Depends(owners)], output: FileFormat = "xlsx"
) -> Response:
    """The owners (one page, as ``GET /v1/enterprises/{uscc}/owners``) and the controllers."""
    sheets = [
        _sheet("owners", list(result.owners)),
        _sheet("controllers", list(result.controllers)),
    ]
    return _file("owners", sheets, output)


@router.get(
    "/signals/{kind}",
    summary="A signal as a file",
    responses=RESPONSES,
    response_class=Response,
)
def signal_file(
    result: Annotated[SignalPage, Depends(signal)], output: FileFormat = "xlsx"
) -> Response:
    """The items of ``GET /v1/signals/{kind}`` (same parameters), one row each."""
    return _file("signal", [_sheet("signal", list(result.items))], output)
