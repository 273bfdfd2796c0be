"""What `tracer serve` adds around the app: objects frozen once the app has started, and no
per-request question to OpenTelemetry unless telemetry is on."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from starlette.types import Message, Receive, Scope, Send

from tests.fixtures.database import free_port
from tracer.api.app import create_app
from tracer.api.server import (
    YOUNG_GC_THRESHOLD,
    FreezeAfterStartup,
    ServeSettings,
    build_config,
)
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target


@pytest.fixture()
def unfrozen() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


async def _lifespan_app(scope: Scope, receive: Receive, send: Send) -> None:
    assert gc.get_freeze_count() == 0, "frozen before the app reported its start"
    await receive()
    await send({"type": "lifespan.startup.complete"})


def test_objects_are_frozen_when_the_app_reports_its_start(unfrozen: None) -> None:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "lifespan.startup"}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(FreezeAfterStartup(_lifespan_app)({"type": "lifespan"}, receive, send))
    assert sent == [{"type": "lifespan.startup.complete"}]
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == YOUNG_GC_THRESHOLD


def test_requests_pass_through_and_freeze_nothing(unfrozen: None) -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    async def nothing() -> Message:
        raise AssertionError("not read")

    async def ignore(message: Message) -> None:
        raise AssertionError("not sent")

    thresholds = gc.get_threshold()
    asyncio.run(FreezeAfterStartup(app)({"type": "http"}, nothing, ignore))
    assert seen == ["http"]
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_the_server_loads_the_app_wrapped() -> None:
    config = build_config(ServeSettings(), app=_lifespan_app, port=1)
    config.load()
    assert isinstance(config.loaded_app, FreezeAfterStartup)


@pytest.mark.parametrize("telemetry", [False, True])
def test_telemetry_off_asks_opentelemetry_nothing_per_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, telemetry: bool
) -> None:
    asked: list[int] = []
    real = trace.get_tracer_provider

    def counted() -> trace.TracerProvider:
        asked.append(1)
        return real()

    settings = ApiSettings(home=tmp_path, telemetry=telemetry, warm_plans=False)
    nowhere = Target(f"bolt://127.0.0.1:{free_port()}", "neo4j", "x", "neo4j", bundled=False)
    with TestClient(create_app(settings, nowhere)) as client:
        monkeypatch.setattr(trace, "get_tracer_provider", counted)
        assert client.get("/healthz").status_code == 200
    assert bool(asked) is telemetry
