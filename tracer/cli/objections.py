"""Commands: tracer objection file / list / decide — objections as records (DOMAIN.md §8)."""

from __future__ import annotations

import typer

from tracer.cli.context import (
    ACTOR_OPTION,
    DOCUMENT_OPTION,
    JSON_OPTION,
    REASON_OPTION,
    audit_read,
    database,
    day,
    emit_json,
    emit_model,
    optional_day,
    out,
    person_key,
    table,
    who,
)
from tracer.domain.keys import SubjectKey
from tracer.graph.settings import get_clock
from tracer.queries.objections import (
    Objection,
    Status,
    decide_objection,
    file_objection,
    list_objections,
)

objection_app = typer.Typer(
    help="Objections: file, list (a department's, with deadlines), decide.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add ``tracer objection …`` to ``app``."""
    app.add_typer(objection_app, name="objection")


def _line(item: Objection) -> str:
    target = who(item.person) if item.person else "the finding"
    state = item.outcome or ("OVERDUE" if item.overdue else "OPEN")
    return (
        f"{item.objection_id}: {target} in {item.finding_id}, accepted {item.accepted_on}, "
        f"deadline {item.deadline} — {state}"
    )


@objection_app.command("file")
def file_command(
    finding_id: str = typer.Argument(..., help="The finding objected to."),
    id_type: str = typer.Option("RESIDENT_ID", "--id-type", help="Document type of the person."),
    id_number: str | None = typer.Option(
        None, "--id", help="A person disputing their own role (else: the finding as a whole)."
    ),
    filed_on: str = typer.Option(..., "--filed-on", help="When it was filed (YYYY-MM-DD)."),
    accepted_on: str | None = typer.Option(
        None, "--accepted-on", help="When it was accepted (default: --filed-on)."
    ),
    actor: str = ACTOR_OPTION,
    reason: str = REASON_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """File an accepted objection: the finding is suspended (UNDER_REVIEW) from its acceptance,
    or, with --id, only that person's liabilities under it."""
    person = person_key(id_type, id_number) if id_number else None
    with database() as runner:
        record = file_objection(
            runner,
            finding_id.strip(),
            day(filed_on, "--filed-on"),
            reason,
            actor,
            person,
            optional_day(accepted_on, "--accepted-on"),
            document,
            get_clock(),
        )
    subjects = [SubjectKey.of_person(person)] if person else []
    audit_read("objection file", *subjects, findings=[record.finding_id], disclosed=record)
    if json_output:
        emit_model(record)
        return
    out.print(_line(record), soft_wrap=True, highlight=False)


@objection_app.command("list")
def list_command(
    department: str | None = typer.Option(
        None, "--department", help="Objections against this department's findings."
    ),
    open_only: bool = typer.Option(False, "--open", help="Only open objections."),
    finding_id: str | None = typer.Option(None, "--finding", help="Only this finding's."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Objections, soonest deadline first, with overdue flags (the server's clock)."""
    status: Status | None = "OPEN" if open_only else None
    with database() as runner:
        items = list_objections(runner, department, status, finding_id, get_clock().today())
    audit_read("objection list", findings=sorted({i.finding_id for i in items}), disclosed=items)
    if json_output:
        emit_json([item.model_dump(mode="json") for item in items])
        return
    found = table(
        f"{len(items)} objection(s)", "objection", "finding", "against", "deadline", "state"
    )
    for item in items:
        found.add_row(
            item.objection_id,
            item.finding_id,
            who(item.person) if item.person else "finding",
            str(item.deadline),
            item.outcome or ("OVERDUE" if item.overdue else item.status),
        )
    out.print(found)


@objection_app.command("decide")
def decide_command(
    objection_id: str = typer.Argument(..., help="The objection id."),
    outcome: str = typer.Option(
        ..., "--outcome", help="UPHELD | CORRECTED | REVOKED (the finding); UPHELD | RELEASED."
    ),
    effective_on: str | None = typer.Option(
        None, "--effective-on", help="When it takes effect (default today)."
    ),
    wrongful: bool = typer.Option(
        False, "--wrongful", help="RELEASED: wrongly named, void from the start."
    ),
    actor: str = ACTOR_OPTION,
    reason: str = REASON_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Decide an objection through the finding's lifecycle (a transition, or a release)."""
    with database() as runner:
        record = decide_objection(
            runner,
            objection_id.strip(),
            outcome,
            actor,
            reason,
            optional_day(effective_on, "--effective-on"),
            wrongful,
            document,
            get_clock(),
        )
    audit_read("objection decide", findings=[record.finding_id], disclosed=record)
    if json_output:
        emit_model(record)
        return
    out.print(_line(record), soft_wrap=True, highlight=False)
