"""Command: tracer export — the graph or a subject's network as FollowTheMoney or BODS 0.4."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from tracer.cli.context import AS_OF_OPTION, JSON_OPTION, audit_read, database, day, emit_json
from tracer.cli.context import out as console_out
from tracer.cli.context import uscc as parse_uscc
from tracer.domain.keys import SubjectKey
from tracer.loaders.interchange.export import (
    bods_statements,
    enterprise_id,
    ftm_entities,
    write_bods,
    write_ftm,
)
from tracer.queries.export import Page, liabilities, network, pages
from tracer.queries.liability import EnterpriseLiabilities
from tracer.queries.models import PersonRef


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("export")(export_command)


def export_command(
    target: Annotated[Path, typer.Argument(metavar="OUT", help="File to write.")],
    fmt: str = typer.Option(..., "--format", help="ftm (JSON lines) or bods (BODS 0.4 array)."),
    code: str | None = typer.Option(None, "--uscc", help="Export this enterprise's network."),
    depth: int = typer.Option(2, "--depth", min=0, max=6, help="Hops of the network."),
    as_of: str | None = AS_OF_OPTION,
    reveal_ids: bool = typer.Option(
        False, "--reveal-ids", help="Write full ID numbers (audited as such); masked otherwise."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Export a subject's network (or the whole graph) and, in FtM, each liability as a
    Sanction. An export is a disclosure: every person written is recorded in the audit log."""
    if fmt not in ("ftm", "bods"):
        raise typer.BadParameter("--format must be ftm or bods")
    when = day(as_of)
    root = parse_uscc(code) if code is not None else None
    disclosed: list[PersonRef] = []
    exported: list[str] = []

    def tracked(source: Iterator[Page]) -> Iterator[Page]:
        for page in source:
            for person in page.persons:
                disclosed.append(PersonRef.of(person["id_type"], person["id_number"]))
            exported.extend(row["uscc"] for row in page.enterprises)
            yield page

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".tmp")
    temporary = Path(name)
    try:
        with database() as runner, os.fdopen(handle, "w", encoding="utf-8") as stream:
            scope = network(runner, root, depth) if root is not None else None
            source = tracked(
                pages(runner, scope[0] if scope else None, scope[1] if scope else None)
            )
            if fmt == "ftm":

                def reports() -> Iterator[EnterpriseLiabilities]:
                    for uscc in exported:
                        report = liabilities(runner, uscc, when)
                        if report.findings:
                            disclosed.extend(p.person for p in report.liable)
                            yield report

                count = write_ftm(stream, ftm_entities(source, reports(), reveal_ids))
            else:
                subject = enterprise_id(root) if root is not None else None
                count = write_bods(stream, bods_statements(source, when, subject, reveal_ids))
        command = "export --reveal-ids" if reveal_ids else "export"
        subjects = [SubjectKey.enterprise(root)] if root is not None else []
        audit_read(command, *subjects, disclosed=disclosed)
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    summary = {
        "format": fmt,
        "out": str(target),
        "records": count,
        "enterprises": len(exported),
        "persons": len({(p.id_type, p.id_masked, p.name) for p in disclosed}),
        "ids_revealed": reveal_ids,
    }
    if json_output:
        emit_json(summary)
    else:
        console_out.print(
            f"{count} {'entities' if fmt == 'ftm' else 'statements'} written to {target} "
            f"({len(exported)} enterprises; ID numbers {'revealed' if reveal_ids else 'masked'})"
        )
