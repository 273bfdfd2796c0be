"""The FastAPI application: ``create_app`` wires settings, driver, keys, audit and routers."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from tracer.api import docs, explorer
from tracer.api.audit import SubjectRefs, checkpoint_sink, open_audit_log
from tracer.api.audit.group import GroupCommit
from tracer.api.keys import KeyStore
from tracer.api.middleware import (
    AccessLogMiddleware,
    AuditMiddleware,
    BodyLimitMiddleware,
    IdentifierGuardMiddleware,
    InternalErrorMiddleware,
)
from tracer.api.problems import install_problem_handlers
from tracer.api.report_keys import report_keyring
from tracer.api.responses import problems_as_problem_json
from tracer.api.routes import (
    checks,
    departments,
    enterprises,
    exports,
    findings,
    health,
    investigate,
    objections,
    records,
    reports,
    screening,
    search,
    signals,
    stats,
)
from tracer.api.settings import ApiSettings, get_api_settings
from tracer.graph.driver import Target, open_async_driver, open_driver, resolve_target
from tracer.graph.settings import get_clock
from tracer.queries.async_checks import SingleChecks
from tracer.queries.async_runner import AsyncQueryRunner
from tracer.queries.runner import QueryRunner
from tracer.queries.warmup import warm_plans

DESCRIPTION = """
Who is responsible for a seriously dishonest enterprise, and why.

Authenticate with an API key (`X-API-Key: trk_…` or `Authorization: Bearer trk_…`), created with
`tracer keys create --role ROLE`. Personal identifiers travel only in request bodies. Errors are
`application/problem+json` (RFC 9457). Every `/v1` request is written to a keyed, chained audit
log; a URL that carries a personal identifier is refused (422).
"""


def _problem_json_openapi(app: FastAPI) -> None:
    """Serve an OpenAPI document whose error responses are ``application/problem+json``."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problems_as_problem_json(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: ApiSettings | None = None, target: Target | None = None) -> FastAPI:
    """The app; the Neo4j driver opens in the lifespan (``target`` default: the environment)."""
    settings = settings or get_api_settings()
    audit_log = open_audit_log(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = target or resolve_target()
        driver = open_driver(resolved, max_retry_time=settings.db_retry_seconds)
        async_driver = open_async_driver(resolved, max_retry_time=settings.db_retry_seconds)
        app.state.runner = QueryRunner(driver, resolved.database)
        app.state.async_runner = AsyncQueryRunner(async_driver, resolved.database)
        app.state.single_checks = SingleChecks(app.state.async_runner, app.state.runner)
        audit_log.sink = checkpoint_sink(app.state.runner, audit_log.path)
        stop_warming = threading.Event()
        warming = (
            asyncio.get_running_loop().run_in_executor(
                None, warm_plans, app.state.runner, get_clock().today(), stop_warming
            )
            if settings.warm_plans
            else None
        )
        try:
            yield
        finally:
            stop_warming.set()
            if warming is not None:
                await warming  # the step in progress, if any
            await commit.settled()  # a checkpoint in flight uses the driver
            audit_log.checkpoint()
            audit_log.sink = None
            driver.close()
            await async_driver.close()

    app = FastAPI(
        title="Liability Tracer API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        telemetry=None
        if settings.telemetry
        else {"tracing": False, "metrics": False, "logs": False, "auto_configure": False},
    )
    app.state.keys = KeyStore(settings.keys_path)
    app.state.refs = SubjectRefs(settings.secret_bytes())
    app.state.report_keys = report_keyring(settings)
    install_problem_handlers(app, settings.retry_after)
    _problem_json_openapi(app)
    app.add_middleware(IdentifierGuardMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(InternalErrorMiddleware)
    commit = GroupCommit(audit_log)
    app.add_middleware(AuditMiddleware, commit=commit, retry_after=settings.retry_after)
    app.add_middleware(AccessLogMiddleware)
    app.include_router(health.router)
    app.include_router(checks.router)
    app.include_router(screening.router)
    app.include_router(exports.router)
    app.include_router(enterprises.router)
    app.include_router(search.router)
    app.include_router(findings.router)
    app.include_router(objections.router)
    app.include_router(investigate.router)
    app.include_router(departments.router)
    app.include_router(stats.router)
    app.include_router(reports.router)
    app.include_router(signals.router)
    app.include_router(signals.honours)
    app.include_router(records.router)
    app.include_router(explorer.router)
    app.include_router(docs.router)
    return app
