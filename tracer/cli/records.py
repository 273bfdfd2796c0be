"""Commands: tracer commitment record / fulfil / breach, tracer interview record / rectify,
tracer records SUBJECT (a subject's commitments and interviews, flagged) and tracer honour revoke
— credit records (DOMAIN.md §10, §13), recorded at the server's time."""

from __future__ import annotations

import typer

from tracer.cli.context import (
    ACTOR_OPTION,
    AS_OF_OPTION,
    DOCUMENT_OPTION,
    JSON_OPTION,
    REASON_OPTION,
    audit_read,
    database,
    day,
    emit_model,
    optional_day,
    out,
    resolve_argument,
    table,
    who,
)
from tracer.domain.keys import SubjectKey
from tracer.graph.settings import get_clock
from tracer.queries import records, signals
from tracer.queries.records import RecordAnswer, SubjectRecords

commitment_app = typer.Typer(
    help="Credit commitments (信用承诺): record, fulfil, breach.", no_args_is_help=True
)
interview_app = typer.Typer(
    help="Interviews (提示约谈 PROMPT / 警示约谈 WARNING): record, rectify.", no_args_is_help=True
)
honour_app = typer.Typer(help="Red-list honours: revoke one.", no_args_is_help=True)

SUBJECT_ARGUMENT = typer.Option(
    ..., "--subject", help="USCC, ID_TYPE:NUMBER or a resident ID number."
)
DEPARTMENT_OPTION = typer.Option(..., "--department", help="The recording department's code.")
ON_OPTION = typer.Option(..., "--on", help="When it happened (YYYY-MM-DD; not in the future).")


def register(app: typer.Typer) -> None:
    """Add ``tracer commitment …``, ``tracer interview …``, ``tracer records`` and ``tracer
    honour …`` to ``app``."""
    app.add_typer(commitment_app, name="commitment")
    app.add_typer(interview_app, name="interview")
    app.add_typer(honour_app, name="honour")
    app.command("records")(records_command)


def _subjects(answer: RecordAnswer) -> list[SubjectKey]:
    if answer.enterprise is not None:
        return [SubjectKey.enterprise(answer.enterprise.uscc)]
    if answer.person is not None and answer.person.id_number is not None:
        return [SubjectKey.person(answer.person.id_type, answer.person.id_number)]
    return []


def _show(command: str, answer: RecordAnswer, json_output: bool) -> None:
    audit_read(command, *_subjects(answer), disclosed=answer)
    if json_output:
        emit_model(answer)
        return
    subject = who(answer.person, answer.enterprise)
    if answer.commitment is not None:
        c = answer.commitment
        state = (
            f"fulfilled {c.fulfilled_on}"
            if c.fulfilled_on
            else f"breached {c.breached_on}"
            if c.breached_on
            else "open"
        )
        line = f"{c.commitment_id}: {subject} committed {c.committed_on} to {c.department.code}"
        line += f" — {c.matter}; due {c.due_on or '-'}; {state} {' '.join(c.flags)}"
    else:
        assert answer.interview is not None
        i = answer.interview
        line = f"{i.interview_id}: {i.kind} interview of {subject} by {i.department.code} on "
        line += f"{i.held_on}; rectify by {i.rectify_by or '-'}; rectified {i.rectified_on or '-'}"
        line += f" {' '.join(i.flags)}"
    out.print(line.rstrip(), soft_wrap=True, highlight=False)


@commitment_app.command("record")
def commitment_record(
    subject: str = SUBJECT_ARGUMENT,
    department: str = DEPARTMENT_OPTION,
    matter: str = typer.Option(..., "--matter", help="What was committed (e.g. 告知承诺事项)."),
    committed_on: str = typer.Option(..., "--committed-on", help="When (YYYY-MM-DD)."),
    due_on: str | None = typer.Option(None, "--due-on", help="Its deadline (YYYY-MM-DD)."),
    actor: str = ACTOR_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Record a credit commitment the subject gave the department."""
    with database() as runner:
        key = resolve_argument(runner, "--subject", subject)
        answer = records.record_commitment(
            runner, key, department, matter, day(committed_on, "--committed-on"),
            optional_day(due_on, "--due-on"), actor, get_clock(),
        )  # fmt: skip
    _show("commitment record", answer, json_output)


def _close(
    commitment_id: str,
    outcome: records.Outcome,
    on: str,
    actor: str,
    document: str | None,
    json_output: bool,
) -> None:
    with database() as runner:
        answer = records.close_commitment(
            runner, commitment_id, outcome, day(on, "--on"), actor, document, get_clock()
        )
    _show(f"commitment {outcome.lower()}", answer, json_output)


@commitment_app.command("fulfil")
def commitment_fulfil(
    commitment_id: str = typer.Argument(..., help="The commitment id."),
    on: str = ON_OPTION,
    actor: str = ACTOR_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Record that an open commitment was fulfilled."""
    _close(commitment_id, "FULFILLED", on, actor, document, json_output)


@commitment_app.command("breach")
def commitment_breach(
    commitment_id: str = typer.Argument(..., help="The commitment id."),
    on: str = ON_OPTION,
    actor: str = ACTOR_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Record that an open commitment was breached (a record, not a finding)."""
    _close(commitment_id, "BREACHED", on, actor, document, json_output)


@interview_app.command("record")
def interview_record(
    subject: str = SUBJECT_ARGUMENT,
    department: str = DEPARTMENT_OPTION,
    kind: str = typer.Option(..., "--kind", help="PROMPT (提示约谈) or WARNING (警示约谈)."),
    held_on: str = typer.Option(..., "--held-on", help="When (YYYY-MM-DD)."),
    rectify_by: str | None = typer.Option(None, "--rectify-by", help="Deadline (YYYY-MM-DD)."),
    actor: str = ACTOR_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Record an interview the department held with the subject."""
    code = kind.strip().upper()
    if code not in ("PROMPT", "WARNING"):
        raise typer.BadParameter("PROMPT or WARNING", param_hint="--kind")
    with database() as runner:
        key = resolve_argument(runner, "--subject", subject)
        answer = records.record_interview(
            runner, key, department, "PROMPT" if code == "PROMPT" else "WARNING",
            day(held_on, "--held-on"), optional_day(rectify_by, "--rectify-by"), actor,
            get_clock(),
        )  # fmt: skip
    _show("interview record", answer, json_output)


@interview_app.command("rectify")
def interview_rectify(
    interview_id: str = typer.Argument(..., help="The interview id."),
    on: str = ON_OPTION,
    actor: str = ACTOR_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Record that the subject rectified."""
    with database() as runner:
        answer = records.rectify_interview(
            runner, interview_id, day(on, "--on"), actor, document, get_clock()
        )
    _show("interview rectify", answer, json_output)


def records_command(
    subject: str = typer.Argument(..., help="USCC, ID_TYPE:NUMBER or a resident ID number."),
    as_of: str | None = AS_OF_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """A subject's credit commitments and interviews, flagged (BREACHED, OVERDUE, UNRECTIFIED)."""
    with database() as runner:
        key = resolve_argument(runner, "SUBJECT", subject)
        found = records.subject_records(runner, key, day(as_of))
    audit_read("records", key, disclosed=found)
    if json_output:
        emit_model(found)
        return
    print_records(found)


def print_records(found: SubjectRecords) -> None:
    """The commitments and the interviews as two tables (empty ones left out)."""
    commitments = table(
        f"Commitments on {found.as_of}", "id", "department", "matter", "committed", "due", "state"
    )
    for c in found.commitments:
        closed = f"fulfilled {c.fulfilled_on}" if c.fulfilled_on else ""
        commitments.add_row(
            c.commitment_id, c.department.code, c.matter or "", str(c.committed_on),
            str(c.due_on or ""), " ".join(c.flags) or closed or "open",
        )  # fmt: skip
    interviews = table(
        f"Interviews on {found.as_of}", "id", "kind", "department", "held", "rectify by", "state"
    )
    for i in found.interviews:
        done = f"rectified {i.rectified_on}" if i.rectified_on else "open"
        interviews.add_row(
            i.interview_id, i.kind, i.department.code, str(i.held_on), str(i.rectify_by or ""),
            " ".join(i.flags) or done,
        )  # fmt: skip
    if found.commitments:
        out.print(commitments)
    if found.interviews:
        out.print(interviews)
    if not found.commitments and not found.interviews:
        out.print(f"No commitments or interviews on record ({found.as_of}).")


@honour_app.command("revoke")
def honour_revoke(
    honour_id: str = typer.Argument(..., help="The honour id (tracer signals shows it)."),
    on: str = ON_OPTION,
    actor: str = ACTOR_OPTION,
    reason: str = REASON_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Revoke a red-list honour (撤销荣誉称号) from a date, e.g. after a red-list conflict."""
    with database() as runner:
        result = signals.revoke_honour(
            runner, honour_id.strip(), day(on, "--on"), actor, reason, document, get_clock()
        )
    subjects = (
        [SubjectKey.enterprise(result.enterprise.uscc)]
        if result.enterprise
        else [SubjectKey.person(result.person.id_type, result.person.id_number)]
        if result.person and result.person.id_number
        else []
    )
    audit_read("honour revoke", *subjects, disclosed=result)
    if json_output:
        emit_model(result)
        return
    out.print(
        f"{result.honour.honour} of {who(result.person, result.enterprise)} revoked from "
        f"{result.honour.revoked_on}",
        soft_wrap=True,
        highlight=False,
    )
