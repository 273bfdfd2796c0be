"""Command: tracer serve — the HTTP API and the explorer."""

from __future__ import annotations

from typing import Any

import typer
from pydantic import ValidationError

from tracer.api.server import ServeSettings, build_config, run
from tracer.cli.context import api_settings, fail
from tracer.domain.errors import TracerError


def _log_config() -> dict[str, Any]:
    """uvicorn logging: our JSON access lines as-is on stdout, uvicorn's own lines on stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "raw": {"format": "%(message)s"},
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "raw",
                "stream": "ext://sys.stdout",
            },
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            },
        },
        "loggers": {
            "tracer.api.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "tracer.api": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
        },
    }


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes."),
) -> None:
    """The HTTP API (uvicorn): OpenAPI at /docs, JSON access log on stdout.

    Read timeouts and connection caps come from TRACER_SERVE_* (per worker process).
    """
    try:
        api_settings().secret_bytes()
    except TracerError as exc:
        fail(str(exc))
    try:
        limits = ServeSettings()
    except ValidationError as exc:
        fail(
            "; ".join(
                f"TRACER_SERVE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                for e in exc.errors()
            )
        )
    run(
        build_config(
            limits,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            log_config=_log_config(),
            proxy_headers=False,
        )
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(serve)
