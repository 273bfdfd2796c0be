"""Commands: tracer audit verify."""

from __future__ import annotations

import typer

from tracer.api.audit import AuditLog
from tracer.cli.context import api_settings, console, emit_json, out

audit_app = typer.Typer(help="The API's hash-chained audit log.", no_args_is_help=True)

JSON_OPTION = typer.Option(False, "--json", help="Machine output.")


@audit_app.command("verify")
def audit_verify(json_output: bool = JSON_OPTION) -> None:
    """Check the hash chain; exit 1 naming the first broken entry."""
    settings = api_settings()
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
    app.add_typer(audit_app, name="audit")
