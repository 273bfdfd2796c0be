"""Commands: tracer keys create / list / rotate / revoke."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

import typer
from rich.table import Table

from tracer.api.keys import KeyStore, NewKey
from tracer.api.roles import Role
from tracer.cli.context import api_settings, console, emit_json, fail, out
from tracer.domain.errors import TracerError
from tracer.graph.settings import get_clock

keys_app = typer.Typer(
    help="API keys: create (shown once), list, rotate, revoke.", no_args_is_help=True
)

JSON_OPTION = typer.Option(False, "--json", help="Machine output.")
_DURATION = re.compile(r"(\d{1,6})([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def duration(text: str, option: str) -> dt.timedelta:
    """``90d``, ``12h`` or ``30m``."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        fail(f"{option}: give a duration such as 90d, 12h or 30m")
    return dt.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def expiry(text: str | None) -> dt.datetime | None:
    """``--expires``: a duration from now, a date (the key works through that day) or an
    ISO 8601 timestamp."""
    if text is None:
        return None
    if _DURATION.fullmatch(text.strip().lower()):
        return get_clock().now() + duration(text, "--expires")
    try:
        return get_clock().parse_instant(text)
    except TracerError:
        fail("--expires: give a duration (90d, 12h, 30m), a date or an ISO 8601 timestamp")


def _show(created: NewKey, json_output: bool, message: str) -> None:
    """A new key: the key alone on stdout (or the JSON document), the message on stderr."""
    if json_output:
        emit_json(created.model_dump(mode="json"))
        return
    out.print(created.key, highlight=False)
    console.print(message, highlight=False)


def _store() -> KeyStore:
    return KeyStore(api_settings().keys_path)


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="viewer, implementer, investigator or admin.")],
    department: str | None = typer.Option(None, help="Department code (implementer keys)."),
    name: str | None = typer.Option(None, help="Who or what uses the key (shown in the audit)."),
    expires: str | None = typer.Option(
        None, "--expires", help="90d, 12h, 30m, a date or an ISO timestamp (default: never)."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Create a key; it is printed this once and stored only as a salted hash."""
    try:
        created = _store().create(role, name or f"{role.value}-key", department, expiry(expires))
    except TracerError as exc:
        fail(str(exc))
    department_text = f", department {created.department}" if created.department else ""
    _show(
        created,
        json_output,
        f"created key {created.key_id} ({created.role.value}{department_text}): "
        "store it now, it is not shown again",
    )


@keys_app.command("list")
def keys_list(json_output: bool = JSON_OPTION) -> None:
    """Every key (never the secret), revoked ones included."""
    keys = _store().list_keys()
    if json_output:
        emit_json([key.model_dump(mode="json") for key in keys])
        return
    table = Table(
        "key id", "name", "role", "department", "created", "expires", "revoked", "last used"
    )
    for key in keys:
        table.add_row(
            key.key_id,
            key.name,
            key.role.value,
            key.department or "",
            *(
                moment.isoformat(timespec="seconds") if moment else ""
                for moment in (key.created_at, key.expires_at, key.revoked_at, key.last_used_at)
            ),
        )
    out.print(table)


@keys_app.command("rotate")
def keys_rotate(
    key_id: str = typer.Argument(..., help="The key id (from `tracer keys list`)."),
    grace: str | None = typer.Option(
        None, "--grace", help="Keep the old key working this long (e.g. 1h); default: revoke now."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Replace a key by a new one (same name, role, department and lifetime), shown once."""
    try:
        created = _store().rotate(key_id, duration(grace, "--grace") if grace else None)
    except TracerError as exc:
        fail(str(exc))
    ending = f"works until the end of --grace {grace}" if grace else "is revoked"
    _show(
        created,
        json_output,
        f"rotated {key_id} to {created.key_id}: store the new key now; the old one {ending}",
    )


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
