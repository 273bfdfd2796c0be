"""Commands: tracer keys create / list / revoke."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.cli.context import api_settings, console, emit_json, fail, out
from tracer.domain.errors import TracerError

keys_app = typer.Typer(help="API keys: create (shown once), list, revoke.", no_args_is_help=True)

JSON_OPTION = typer.Option(False, "--json", help="Machine output.")


def _store() -> KeyStore:
    return KeyStore(api_settings().keys_path)


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


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(keys_app, name="keys")
