"""Pure-ASGI middleware that records requests: the JSON access log and the audit trail.

Neither records bodies, query strings or raw paths: only the route template (``/v1/findings/
{finding_id}``), so no personal identifier reaches a log.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracer.api.audit import AuditLog
from tracer.api.problems import PayloadTooLarge, log_unexpected, problem
from tracer.api.roles import Principal

ACCESS_LOG = logging.getLogger("tracer.api.access")


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

    The entry is written before the first byte goes out: when the audit log cannot be written,
    the request fails instead of answering unaudited.
    """

    def __init__(self, app: ASGIApp, log: AuditLog, prefix: str = "/v1") -> None:
        self.app = app
        self.log = log
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return

        async def audited(message: Message) -> None:
            if message["type"] == "http.response.start":
                await run_in_threadpool(self._write, scope, message["status"])
            await send(message)

        await self.app(scope, receive, audited)

    def _write(self, scope: Scope, status: int) -> None:
        principal = _principal(scope)
        actor = {
            "key_id": principal.key_id if principal else None,
            "key_name": principal.name if principal else None,
            "role": principal.role.value if principal else None,
        }
        subjects = scope.get("state", {}).get("audit_subjects", [])
        self.log.append(
            actor=actor,
            method=scope["method"],
            endpoint=route_template(scope),
            status=status,
            subjects=subjects,
        )


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
