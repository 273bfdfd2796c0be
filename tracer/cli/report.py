"""Commands: tracer report — a sealed credit report (PDF or JSON) on an enterprise or a person;
tracer report verify — is a report file authentic and unaltered?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracer.api.report_keys import report_keyring
from tracer.cli.context import (
    AS_OF_OPTION,
    ID_TYPE_OPTION,
    JSON_OPTION,
    KNOWN_ON_OPTION,
    api_settings,
    audit_read,
    database,
    day,
    emit_json,
    fail,
    known_on,
    out,
    person_key,
    uscc,
)
from tracer.domain.errors import TracerError
from tracer.domain.keys import SubjectKey
from tracer.graph.settings import get_clock
from tracer.reports.issue import Format, issue, verify_file
from tracer.reports.settings import get_report_settings

report_app = typer.Typer(
    help="Credit reports (信用报告): issue one (PDF or JSON), or verify a report file.",
    no_args_is_help=True,
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(report_app, name="report")


def _format(target: Path) -> Format:
    suffix = target.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".json":
        return "json"
    fail("--out must end in .pdf or .json")


@report_app.callback()
def report_command(
    ctx: typer.Context,
    id_type: str = ID_TYPE_OPTION,
    id_number: str | None = typer.Option(None, "--id", help="Document number (shown masked)."),
    enterprise: str | None = typer.Option(None, "--uscc", help="An enterprise's USCC."),
    as_of: str | None = AS_OF_OPTION,
    known: str | None = KNOWN_ON_OPTION,
    target: Annotated[
        Path | None, typer.Option("--out", help="FILE.pdf or FILE.json to write.")
    ] = None,
    reveal_ids: bool = typer.Option(
        False, "--reveal-ids", help="Full ID numbers in the report (audited as such)."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Issue a credit report on an enterprise (--uscc) or a person (--id) on a date: findings,
    liabilities with their evidence, officers, related risk, red list, commitments, interviews
    and objections, sealed with a SHA-256 and the server's HMAC. ID numbers are masked unless
    --reveal-ids. Every person in it is recorded in the audit log."""
    if ctx.invoked_subcommand is not None:
        return
    if target is None:
        fail("give --out FILE.pdf or --out FILE.json")
    if (id_number is None) == (enterprise is None):
        fail("give either --id (a person, with --id-type) or --uscc (an enterprise)")
    fmt = _format(target)
    if enterprise is not None:
        key = SubjectKey.enterprise(uscc(enterprise))
    else:
        assert id_number is not None
        key = SubjectKey.of_person(person_key(id_type, id_number))
    when, instant = day(as_of), known_on(known)
    ring = report_keyring(api_settings()).load()
    with database() as runner:
        issued = issue(
            runner,
            key,
            when,
            instant,
            ring=ring,
            issuer=get_report_settings().issuer,
            clock=get_clock(),
            fmt=fmt,
            full_ids=reveal_ids,
        )
    audit_read("report --reveal-ids" if reveal_ids else "report", key, disclosed=issued.report)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(issued.data)
    except OSError as exc:
        fail(f"cannot write {target}: {exc}")
    summary = {
        "out": str(target),
        "format": fmt,
        "report_no": issued.report.header.report_no,
        "sha256": issued.sha256,
        "ids_revealed": reveal_ids,
    }
    if json_output:
        emit_json(summary)
    else:
        out.print(
            f"report {summary['report_no']} written to {target} (SHA-256 {issued.sha256}); "
            f"check it with: tracer report verify {target}",
            highlight=False,
            soft_wrap=True,
        )


@report_app.command("verify")
def verify_command(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A report (.pdf or .json).")],
    json_output: bool = JSON_OPTION,
) -> None:
    """Is FILE a report this server issued, unaltered? Exit 0: AUTHENTIC AND UNALTERED; 1:
    ALTERED (the content does not match its SHA-256, or the file is not as issued); 2: NOT
    ISSUED BY THIS SERVER (the HMAC does not match, or the key is not this server's)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc}")
    try:
        ring = report_keyring(api_settings()).read()
    except TracerError as exc:
        fail(str(exc))
    result = verify_file(data, ring)
    if json_output:
        emit_json(
            {
                "file": str(path),
                "verdict": result.verdict.name,
                "text": result.verdict.text,
                "reason": result.reason,
                "report_no": result.report_no,
            }
        )
    else:
        out.print(
            f"{result.verdict.text}: {result.reason}"
            + (f" (report {result.report_no})" if result.report_no else ""),
            highlight=False,
            soft_wrap=True,
        )
    raise typer.Exit(result.verdict.value)


@report_app.command("rotate-key")
def rotate_key_command() -> None:
    """Seal new reports with a new key (reports sealed before still verify)."""
    key = report_keyring(api_settings()).rotate()
    out.print(f"new report key {key.kid}; older reports still verify", highlight=False)
