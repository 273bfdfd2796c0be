"""Commands: tracer audit verify / checkpoint / rotate-key / who."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tracer.api.audit import SubjectRefs, open_audit_log, verify_log
from tracer.api.audit.log import AuditLog
from tracer.api.audit.verify import signed_head_document
from tracer.api.audit.viewers import viewers
from tracer.api.settings import ApiSettings
from tracer.cli.context import (
    ID_TYPE_OPTION,
    api_settings,
    audit_read,
    console,
    database,
    emit_json,
    fail,
    out,
    person_key,
)
from tracer.domain.errors import TracerError
from tracer.domain.keys import SubjectKey
from tracer.queries.audit import checkpoints, record_checkpoint

audit_app = typer.Typer(
    help="The audit log: keyed, numbered, chained, with heads kept in Neo4j.",
    no_args_is_help=True,
)

JSON_OPTION = typer.Option(False, "--json", help="Machine output.")


def _log() -> tuple[ApiSettings, AuditLog]:
    settings = api_settings()
    return settings, open_audit_log(settings)


@audit_app.command("verify")
def audit_verify(
    against: Annotated[
        list[Path] | None,
        typer.Option("--against", help="A signed checkpoint file kept elsewhere (repeatable)."),
    ] = None,
    offline: bool = typer.Option(
        False, "--offline", help="Skip the checkpoints in Neo4j (the file and its head only)."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Check every entry's MAC, link and sequence, and that the log still holds every head kept
    elsewhere (head file, Neo4j checkpoints, --against files); exit 1 naming the first break."""
    settings, log = _log()
    kept = []
    try:
        if not offline:
            ring = log.keyring.read()
            with database(ensure_schema=False) as runner:
                kept = checkpoints(runner, ring.log_id if ring else None, str(log.path.resolve()))
        report = verify_log(log, kept, against or [])
    except TracerError as exc:
        fail(str(exc))
    if json_output:
        emit_json({"path": str(settings.audit_path), **report.model_dump()})
    elif report.ok:
        legacy = f", {report.legacy_entries} of them unkeyed (first build)" * bool(
            report.legacy_entries
        )
        out.print(
            f"audit log intact: {report.entries} entries{legacy} in {settings.audit_path}; "
            f"{report.heads_checked} heads kept elsewhere agree"
            + ("" if not offline else " (Neo4j checkpoints not read: --offline)"),
            highlight=False,
        )
    if not report.ok:
        if not json_output:
            where = [f"line {report.broken_line}"] if report.broken_line else []
            where += [f"entry {report.broken_seq}"] if report.broken_seq else []
            console.print(
                f"[bold red]broken:[/] {', '.join(where) + ': ' if where else ''}{report.reason}; "
                f"{report.entries} entries before it are intact",
                highlight=False,
            )
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the signed head here.")
    ] = None,
    offline: bool = typer.Option(False, "--offline", help="Do not record it in Neo4j."),
) -> None:
    """Print (or write) the log's current head, signed, for an operator to keep elsewhere; also
    record it in Neo4j. `tracer audit verify --against FILE` checks the log against it later."""
    _, log = _log()
    try:
        document = signed_head_document(log)
        if document is None:
            fail("the audit log has no keyed entry yet: nothing to checkpoint")
        head = log.head()
        if not offline and head is not None:
            with database(ensure_schema=False) as runner:
                if not record_checkpoint(runner, head, str(log.path.resolve())):
                    fail(f"Neo4j holds another MAC for entry {head.seq}: run tracer audit verify")
    except TracerError as exc:
        fail(str(exc))
    text = json.dumps(document, ensure_ascii=False)
    if out_file is None:
        out.print(text, highlight=False, soft_wrap=True)
        return
    out_file.write_text(text + "\n", encoding="utf-8")
    out.print(f"signed head of entry {document['seq']} written to {out_file}", highlight=False)


@audit_app.command("rotate-key")
def audit_rotate_key(json_output: bool = JSON_OPTION) -> None:
    """Start signing with a new key; older keys stay for verification. The next entry records
    the hand-over, signed with the old key."""
    _, log = _log()
    try:
        key = log.keyring.rotate()
    except (OSError, TracerError) as exc:
        fail(f"cannot rotate the audit key: {exc}")
    audit_read("audit rotate-key")
    if json_output:
        emit_json({"kid": key.kid, "created_at": key.created_at.isoformat()})
    else:
        out.print(f"audit entries are now signed with key {key.kid}", highlight=False)


@audit_app.command("who")
def audit_who(
    id_type: str = ID_TYPE_OPTION,
    id_number: str = typer.Option(..., "--id", help="Document number."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Who was shown this person, from when to when, through what (each API key or CLI user)."""
    settings, log = _log()
    person = person_key(id_type, id_number)
    try:
        ref = SubjectRefs(settings.secret_bytes()).person(person.id_type, person.id_number)
    except TracerError as exc:
        fail(str(exc))
    seen = viewers(log, ref)
    audit_read("audit who", SubjectKey.of_person(person))
    if json_output:
        emit_json([viewer.model_dump(mode="json") for viewer in seen])
        return
    table = Table("key id", "name", "role", "first", "last", "requests", "through")
    for viewer in seen:
        table.add_row(
            viewer.key_id or "",
            viewer.key_name or "",
            viewer.role or "",
            viewer.first_at.isoformat(timespec="seconds"),
            viewer.last_at.isoformat(timespec="seconds"),
            str(viewer.requests),
            ", ".join(viewer.endpoints),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(audit_app, name="audit")
