"""Errors as ``application/problem+json`` (RFC 9457), one handler table for the whole app.

Details never carry a full ID number: every message passes through ``scrub``, and request
validation errors list only location, message and type — never the offending input.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tracer.domain.errors import TracerError, Unavailable
from tracer.domain.masking import mask_number

PROBLEM_JSON = "application/problem+json"
_LOG = logging.getLogger("tracer.api")
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{14,17}[0-9Xx](?![0-9A-Za-z])")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


class PayloadTooLarge(TracerError):
    """The request body exceeds the configured limit."""

    status = 413
    title = "Payload too large"


def scrub(text: str) -> str:
    """``text`` with anything shaped like a resident ID number masked."""
    return _ID_LIKE.sub(lambda match: mask_number(match.group(0)), text)


def problem_type(slug: str) -> str:
    """The ``type`` URI of a problem kind."""
    return f"urn:liability-tracer:problem:{slug}"


def problem(
    request: Request,
    status: int,
    slug: str,
    detail: str,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """One problem+json response."""
    body: dict[str, Any] = {
        "type": problem_type(slug),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": scrub(detail),
        "instance": request.url.path,
        **extensions,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _slug(exc: Exception) -> str:
    return _CAMEL.sub("-", type(exc).__name__).lower()


def log_unexpected(exc: BaseException) -> None:
    """Log an unhandled exception by type and code location only: its message may hold data."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename}:{f.lineno}:{f.name}" for f in reversed(frames[-5:]))
    _LOG.error("unhandled %s at %s", type(exc).__name__, where)


def install_problem_handlers(app: FastAPI, retry_after: int) -> None:
    """Register the handler table on ``app``."""

    async def tracer_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, TracerError)
        extensions: dict[str, Any] = {}
        reason = getattr(exc, "reason", None)
        if isinstance(reason, str):
            extensions["reason"] = reason
        headers = {"Retry-After": str(retry_after)} if isinstance(exc, Unavailable) else None
        if exc.status >= 500:
            _LOG.warning("request failed: %s (%s)", type(exc).__name__, exc.status)
        return problem(
            request, exc.status, _slug(exc), str(exc), exc.title, headers=headers, **extensions
        )

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "msg": scrub(str(error.get("msg", ""))),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors()
        ]
        return problem(
            request,
            422,
            "validation-error",
            f"{len(errors)} field(s) failed validation",
            "Request validation failed",
            errors=errors,
        )

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc.__cause__, TracerError):  # e.g. PayloadTooLarge while reading a body
            return await tracer_error(request, exc.__cause__)
        slug = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-")
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return problem(request, exc.status_code, slug, detail, headers=exc.headers)

    app.add_exception_handler(TracerError, tracer_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
