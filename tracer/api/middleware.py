"""Pure-ASGI middleware that records requests: the JSON access log and the audit trail.

Neither records bodies, query strings or raw paths: only the route template (``/v1/findings/
{finding_id}``), so no personal identifier reaches a log; and a URL that carries one is refused
before anything else sees it.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracer.api.audit.group import GroupCommit
from tracer.api.audit.log import request_payload
from tracer.api.problems import PayloadTooLarge, log_unexpected, problem
from tracer.api.roles import Principal
from tracer.domain.errors import TracerError
from tracer.domain.identifiers import looks_like_person_id

ACCESS_LOG = logging.getLogger("tracer.api.access")
AUDIT_FAILURES = logging.getLogger("tracer.api.audit")


def route_template(scope: Scope) -> str:
    """The matched route's path template, or ``<unmatched>``."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "<unmatched>"


def _principal(scope: Scope) -> Principal | None:
    principal = scope.get("state", {}).get("principal")
    return principal if isinstance(principal, Principal) else None


class AccessLogMiddleware:
    """One JSON line per request: method, path template, status, duration, key id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            principal = _principal(scope)
            line: dict[str, Any] = {
                "method": scope["method"],
                "path": route_template(scope),
                "status": status,
                "duration_ms": round((time.perf_counter() - began) * 1000, 2),
                "key_id": principal.key_id if principal else None,
            }
            ACCESS_LOG.info(json.dumps(line))


class AuditMiddleware:
    """Writes an audit entry for every ``/v1`` request before its response starts.

    The entry is durable before the first byte goes out (entries of concurrent requests are
    fsynced together: ``GroupCommit``). When the audit log cannot be written, a response that
    discloses a person is replaced by a 503 (reads of persons fail closed); other responses go
    out, and the failure is logged.
    """

    def __init__(
        self, app: ASGIApp, commit: GroupCommit, retry_after: int, prefix: str = "/v1"
    ) -> None:
        self.app = app
        self.commit = commit
        self.retry_after = retry_after
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        refused = False

        async def audited(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start":
                refused = not await self._write(scope, message["status"])
                if refused:
                    await self._refuse(scope, receive, send)
            if not refused:
                await send(message)

        await self.app(scope, receive, audited)

    async def _write(self, scope: Scope, status: int) -> bool:
        """Write the entry; False when it failed for a response that discloses a person."""
        principal = _principal(scope)
        actor = {
            "key_id": principal.key_id if principal else None,
            "key_name": principal.name if principal else None,
            "role": principal.role.value if principal else None,
        }
        subjects = scope.get("state", {}).get("audit_subjects", [])
        payload = request_payload(actor, scope["method"], route_template(scope), status, subjects)
        try:
            await self.commit.append(payload)
        except (OSError, ValueError, TracerError) as exc:
            refuse = _discloses_persons(subjects)
            AUDIT_FAILURES.error(
                "audit log %s not written (%s): %s",
                self.commit.log.path,
                type(exc).__name__,
                "refusing a read of persons" if refuse else "answering",
            )
            return not refuse
        return True

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = "the audit log cannot be written, so no person's data is disclosed; retry later"
        headers = {"Retry-After": str(self.retry_after)}
        response = problem(
            Request(scope), 503, "audit-unavailable", detail, "Audit unavailable", headers
        )
        await response(scope, receive, send)


def _discloses_persons(subjects: list[str]) -> bool:
    return any(subject.startswith("person:") for subject in subjects)


class IdentifierGuardMiddleware:
    """422 for a request whose path or query string carries something shaped like a personal
    identifier (INTERFACES §3: identifiers travel in bodies only), before any handler, trail or
    log sees it. The answer names neither the value nor where it was."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _carries_identifier(scope):
            detail = (
                "personal identifiers may not appear in a URL (they reach access logs); "
                "send them in the request body (e.g. POST /v1/checks)"
            )
            response = problem(
                Request(scope), 422, "identifier-in-url", detail, "Identifier in URL"
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _carries_identifier(scope: Scope) -> bool:
    segments = str(scope.get("path", "")).split("/")
    query = parse_qsl(bytes(scope.get("query_string", b"")).decode("latin-1"), True)
    values = [*segments, *(part for pair in query for part in pair)]
    return any(looks_like_person_id(value) for value in values if value)


class BodyLimitMiddleware:
    """413 problem+json for bodies over ``max_bytes``: up front from ``Content-Length``, or
    while streaming (the handler's body read raises ``PayloadTooLarge``)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = problem(
                Request(scope), 413, "payload-too-large", self._detail(), "Payload too large"
            )
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise PayloadTooLarge(self._detail())
            return message

        await self.app(scope, counted, send)

    def _detail(self) -> str:
        return f"the request body exceeds {self.max_bytes} bytes"


class InternalErrorMiddleware:
    """Turns an unhandled exception into a 500 problem+json, logged without its message.

    It sits inside the audit and access-log middleware (they record the 500) and keeps the
    exception from reaching the server, whose own log would print the message and traceback.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            log_unexpected(exc)
            if started:
                return
            detail = "an internal error occurred; it is logged"
            response = problem(Request(scope), 500, "internal-error", detail)
            await response(scope, receive, send)
