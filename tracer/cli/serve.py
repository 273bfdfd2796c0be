"""Commands: tracer serve, keys, audit."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from tracer.api.audit import AuditLog
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings, get_api_settings
from tracer.cli.context import console, emit_json, fail, out
from tracer.domain.errors import TracerError

keys_app = typer.Typer(help="API keys: create (shown once), list, revoke.", no_args_is_help=True)
audit_app = typer.Typer(help="The API's hash-chained audit log.", no_args_is_help=True)

JSON_OPTION = typer.Option(False, "--json", help="Machine output.")


def _settings() -> ApiSettings:
    """The API settings, or a one-line exit naming what is wrong with them."""
    try:
        return get_api_settings()
    except ValidationError as exc:
        fail("; ".join(str(error["msg"]).removeprefix("Value error, ") for error in exc.errors()))


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
    """The HTTP API (uvicorn): OpenAPI at /docs, JSON access log on stdout."""
    import uvicorn

    try:
        _settings().secret_bytes()
    except TracerError as exc:
        fail(str(exc))
    uvicorn.run(
        "tracer.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=_log_config(),
        proxy_headers=False,
    )


def _store() -> KeyStore:
    return KeyStore(_settings().keys_path)


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="viewer, implementer, investigator or admin.")],
    department: str | None = typer.Option(None, help="Department code (implementer keys)."),
    name: str | None = typer.Option(None, help="Who or what uses the key (shown in the audit)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Create a key; it is printed this once and stored only as a salted hash."""
    try:
        created = _store().create(role, name or f"{role.value}-key", department)
    except TracerError as exc:
        fail(str(exc))
    if json_output:
        emit_json(created.model_dump(mode="json"))
        return
    out.print(created.key, highlight=False)
    console.print(
        f"created key {created.key_id} ({created.role.value}"
        + (f", department {created.department}" if created.department else "")
        + "): store it now, it is not shown again",
        highlight=False,
    )


@keys_app.command("list")
def keys_list(json_output: bool = JSON_OPTION) -> None:
    """Every key (never the secret), revoked ones included."""
    keys = _store().list_keys()
    if json_output:
        emit_json([key.model_dump(mode="json") for key in keys])
        return
    table = Table("key id", "name", "role", "department", "created", "revoked")
    for key in keys:
        table.add_row(
            key.key_id,
            key.name,
            key.role.value,
            key.department or "",
            key.created_at.isoformat(timespec="seconds"),
            key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "",
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: str = typer.Argument(..., help="The key id (from `tracer keys list`)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Revoke a key at once (kept in the store for the record)."""
    try:
        info = _store().revoke(key_id)
    except TracerError as exc:
        fail(str(exc))
    if json_output:
        emit_json(info.model_dump(mode="json"))
    else:
        out.print(f"revoked {info.key_id} ({info.name})", highlight=False)


@audit_app.command("verify")
def audit_verify(json_output: bool = JSON_OPTION) -> None:
    """Check the hash chain; exit 1 naming the first broken entry."""
    settings = _settings()
    report = AuditLog(settings.audit_path).verify()
    if json_output:
        emit_json({"path": str(settings.audit_path), **report.model_dump()})
    elif report.ok:
        out.print(f"audit log intact: {report.entries} entries in {settings.audit_path}")
    if not report.ok:
        if not json_output:
            console.print(
                f"[bold red]broken:[/] line {report.broken_line} (entry {report.broken_seq}): "
                f"{report.reason}; {report.entries} entries before it are intact",
                highlight=False,
            )
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(serve)
    app.add_typer(keys_app, name="keys")
    app.add_typer(audit_app, name="audit")
