"""Turning engine results into responses: role-based ID redaction, JSON encoding."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from tracer.api.roles import Principal
from tracer.queries.models import redact


def present(
    document: Any, principal: Principal, status_code: int = 200, reveal: bool | None = None
) -> JSONResponse:
    """``document`` as JSON, full ID numbers removed unless ``reveal`` (default: unless the
    caller's role may see them)."""
    shown = principal.reveals_ids if reveal is None else reveal
    return JSONResponse(jsonable_encoder(redact(document, reveal=shown)), status_code=status_code)
