"""Credit reports (信用报告) over HTTP: ``POST /v1/reports`` answers a sealed report as PDF or
JSON by ``Accept``, for implementers and above (those who screen bidders and applicants)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from pydantic import ConfigDict, Field

from tracer.api.audit.keyring import AuditKeyring
from tracer.api.deps import ClockDep, RunnerDep, ScreenerDep, TrailDep
from tracer.api.responses import problem_responses
from tracer.api.routes.checks import known_instant
from tracer.api.schemas import AsOf, KnownOn, Subject
from tracer.domain.errors import Forbidden
from tracer.reports.issue import MEDIA_TYPES, Format, issue
from tracer.reports.settings import get_report_settings

router = APIRouter(prefix="/v1/reports", tags=["reports"])

_SEALED: dict[str, Any] = {
    "type": "object",
    "required": ["content", "verification"],
    "properties": {
        "content": {"type": "object", "description": "The report (header, subject, sections)."},
        "verification": {
            "type": "object",
            "description": "sha256 of the canonical JSON of content, hmac, kid, keyring.",
        },
    },
}


class ReportRequest(Subject):
    """A credit report on an enterprise or a person on ``as_of`` as known on ``known_on``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"uscc": "91110000600037341L", "as_of": "2026-11-24"},
                {"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"},
            ]
        },
    )

    as_of: AsOf = None
    known_on: KnownOn = None
    reveal_ids: bool = Field(
        default=False,
        description="Full ID numbers in the report (investigators and admins only; audited).",
    )


def _format(accept: str | None) -> Format:
    """PDF when the client accepts it before JSON; JSON otherwise."""
    wanted = [part.split(";")[0].strip().lower() for part in (accept or "").split(",")]
    for media in wanted:
        if media == MEDIA_TYPES["pdf"]:
            return "pdf"
        if media in (MEDIA_TYPES["json"], "application/*", "*/*"):
            return "json"
    return "json"


@router.post(
    "",
    summary="A sealed credit report (PDF or JSON by Accept)",
    response_class=Response,
    responses={
        200: {
            "description": "The report: a PDF embedding its sealed JSON, or the sealed JSON.",
            "content": {
                MEDIA_TYPES["pdf"]: {"schema": {"type": "string", "format": "binary"}},
                MEDIA_TYPES["json"]: {"schema": _SEALED},
            },
        },
        **problem_responses(401, 403, 404, 422, 503),
    },
)
def report(
    request: Request,
    body: ReportRequest,
    principal: ScreenerDep,
    runner: RunnerDep,
    trail: TrailDep,
    clock: ClockDep,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Findings, liabilities with their evidence, officers and their liabilities, related risk,
    red list, credit commitments, interviews and objections of the subject on ``as_of``, with
    scope, issuer, generation time and report number, sealed with a SHA-256 of the canonical
    JSON and the server's HMAC (``tracer report verify`` checks a file). ID numbers are masked
    unless ``reveal_ids`` (investigators and admins). Every person in it is audited."""
    if body.reveal_ids and not principal.reveals_ids:
        raise Forbidden("only investigators and admins may ask for full ID numbers")
    key = trail.subject(body)
    keys: AuditKeyring = request.app.state.report_keys
    fmt = _format(accept)
    issued = issue(
        runner,
        key,
        body.as_of or clock.today(),
        known_instant(clock, body.known_on),
        ring=keys.load(),
        issuer=get_report_settings().issuer,
        clock=clock,
        fmt=fmt,
        full_ids=body.reveal_ids,
    )
    trail.disclosed(issued.report)
    number = issued.report.header.report_no
    return Response(
        content=issued.data,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="credit-report-{number}.{fmt}"',
            "X-Report-Number": number,
            "X-Report-SHA256": issued.sha256,
        },
    )
