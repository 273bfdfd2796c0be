"""Errors as ``application/problem+json`` (RFC 9457), one handler table for the whole app.

Nothing in a problem echoes raw input: ``instance`` is the matched route's template
(``/v1/findings/{finding_id}``), never the request's path, and is left out when no route
matched; details pass through ``scrub`` (no full ID number); request validation errors list only
location, message and type — never the offending input.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tracer.domain.errors import Conflict, InvalidInput, TracerError, Unavailable, UnknownCode
from tracer.domain.identifiers import InvalidIdentifier
from tracer.domain.masking import mask_number

PROBLEM_JSON = "application/problem+json"
_LOG = logging.getLogger("tracer.api")
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{14,17}[0-9Xx](?![0-9A-Za-z])")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_PARAMETER = re.compile(r"\{[^}]*\}")


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


def route_template(request: Request) -> str | None:
    """The path template of the route the request matched (``/v1/findings/{finding_id}``), or
    None before routing or when none matched. Never the path itself, which may carry an
    identifier."""
    path = getattr(request.scope.get("route"), "path", None)
    return path if isinstance(path, str) else None


def problem(
    request: Request,
    status: int,
    slug: str,
    detail: str,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """One problem+json response; ``instance`` is the matched route's template, if any."""
    body: dict[str, Any] = {
        "type": problem_type(slug),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": scrub(detail),
    }
    instance = route_template(request)
    if instance is not None:
        body["instance"] = instance
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


@contextmanager
def state_conflicts() -> Iterator[None]:
    """Inside, an ``InvalidInput`` other than an identifier's is a conflict (409) with the stored
    state or today's date: the request already passed its published schema, so what is left to
    refuse is not its shape but, say, an effective date before the decision or in the future."""
    try:
        yield
    except InvalidIdentifier:
        raise
    except InvalidInput as exc:
        raise Conflict(str(exc)) from None


def allowed_methods(request: Request) -> str | None:
    """The ``Allow`` header of a 405: the methods the published schema gives the resource the
    path names — the most specific documented template that matches it
    (``/v1/enterprises/search`` before ``/v1/enterprises/{uscc}``), all its methods, not only
    those of the first route tried. None when no documented path matches (e.g. ``/explore``)."""
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    path = request.scope.get("path", "")
    matching = [
        template
        for template in paths
        if re.fullmatch("[^/]+".join(map(re.escape, _PARAMETER.split(template))), path)
    ]
    if not matching:
        return None
    template = min(matching, key=lambda candidate: candidate.count("{"))
    methods = {method.upper() for method in paths[template]}
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


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
        if isinstance(exc, UnknownCode):
            extensions["valid_codes"] = exc.valid_codes
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
                "loc": [scrub(str(part)) for part in error.get("loc", ())],
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
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allow = allowed_methods(request)
            if allow is not None:
                headers["Allow"] = allow
        return problem(request, exc.status_code, slug, detail, headers=headers or None)

    app.add_exception_handler(TracerError, tracer_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
