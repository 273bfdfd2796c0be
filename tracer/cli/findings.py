"""Commands: tracer finding, transition, release, expire — a finding and its life."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from tracer.api.process_schemas import DraftRequest
from tracer.cli.context import (
    ACTOR_OPTION,
    AS_OF_OPTION,
    DOCUMENT_OPTION,
    ID_TYPE_OPTION,
    JSON_OPTION,
    KNOWN_ON_OPTION,
    REASON_OPTION,
    audit_read,
    database,
    day,
    emit_json,
    emit_model,
    fail,
    known_on,
    optional_day,
    out,
    person_key,
    table,
    who,
)
from tracer.cli.render import local_time, print_reach
from tracer.domain.keys import SubjectKey
from tracer.graph.settings import get_clock
from tracer.queries.initiation import Draft, Signer, approve_draft, draft_finding
from tracer.queries.liability import finding_reach
from tracer.queries.lifecycle import expire_due, release_person, transition_finding

EFFECTIVE_OPTION = typer.Option(
    None, "--effective-on", help="When it takes legal effect (YYYY-MM-DD); default today."
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("finding")(finding_command)
    app.command("transition")(transition_command)
    app.command("release")(release_command)
    app.command("expire")(expire_command)
    app.command("draft")(draft_command)
    app.command("approve")(approve_command)


def finding_command(
    finding_id: str = typer.Argument(..., help="The finding id."),
    as_of: str | None = AS_OF_OPTION,
    known: str | None = KNOWN_ON_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """A finding: everyone it reaches and through what, the measures on its subject, and its
    status history."""
    with database() as runner:
        reach = finding_reach(runner, finding_id.strip(), day(as_of), known_on(known))
    audit_read("finding", findings=[finding_id.strip()], disclosed=reach)
    if json_output:
        emit_model(reach)
        return
    print_reach(reach)


def transition_command(
    finding_id: str = typer.Argument(..., help="The finding id."),
    to_status: str = typer.Option(..., "--to", help="New status, e.g. UNDER_REVIEW."),
    effective_on: str | None = EFFECTIVE_OPTION,
    new_effective_until: str | None = typer.Option(
        None, "--new-effective-until", help="A change of term (with --to ACTIVE)."
    ),
    actor: str = ACTOR_OPTION,
    reason: str = REASON_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Change a finding's status (objection, decision, repair, revocation, expiry) or its term,
    effective on a date; the time of record is the server's."""
    with database() as runner:
        record = transition_finding(
            runner,
            finding_id.strip(),
            to_status,
            actor,
            reason,
            optional_day(effective_on, "--effective-on"),
            document,
            optional_day(new_effective_until, "--new-effective-until"),
            get_clock(),
        )
    if json_output:
        emit_model(record)
        return
    out.print(
        f"{record.transition_id}: {record.from_status} → {record.to_status} effective "
        f"{record.effective_on}, recorded at {local_time(record.recorded_at)} "
        f"by {record.actor}"
    )


def release_command(
    finding_id: str = typer.Argument(..., help="The finding id."),
    id_type: str = ID_TYPE_OPTION,
    id_number: str = typer.Option(..., "--id", help="Document number (shown masked)."),
    effective_on: str | None = EFFECTIVE_OPTION,
    wrongful: bool = typer.Option(
        False, "--wrongful", help="Wrongly named: void from the start (else prospective)."
    ),
    actor: str = ACTOR_OPTION,
    reason: str = REASON_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Release one person from one finding (e.g. a former officer, reason FORMER_OFFICER);
    recorded and idempotent."""
    person = person_key(id_type, id_number)
    with database() as runner:
        record = release_person(
            runner,
            finding_id.strip(),
            person,
            actor,
            reason,
            optional_day(effective_on, "--effective-on"),
            wrongful,
            document,
            get_clock(),
        )
    audit_read("release", SubjectKey.of_person(person), findings=[record.finding_id])
    if json_output:
        emit_model(record)
        return
    state = "released" if record.created else "already released"
    scope = "from the start (wrongful)" if record.wrongful else f"from {record.effective_on}"
    out.print(f"{who(record.person)} {state} from {record.finding_id} {scope} by {record.actor}")


def expire_command(
    actor: str = typer.Option("system:expire", "--actor", help="Who records the expiries."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Record EXPIRED for every finding whose period has passed (effective the day after it
    ended). Liabilities end on their own; this keeps the history true. Safe to run daily from
    cron, e.g. ``15 1 * * * tracer expire``."""
    with database() as runner:
        records = expire_due(runner, actor, get_clock())
    if json_output:
        emit_json([record.model_dump(mode="json") for record in records])
        return
    out.print(f"{len(records)} finding(s) recorded as EXPIRED", soft_wrap=True, highlight=False)
    if records:
        found = table("", "finding", "effective", "from")
        for record in records:
            found.add_row(record.finding_id, str(record.effective_on), str(record.from_status))
        out.print(found)


def _signer(actor: str) -> Signer:
    """The local user as a signer: the name given with --actor (drafter and approver differ)."""
    name = actor.strip()
    if not name:
        fail("--actor is required")
    return Signer(key_id=f"cli:{name}", name=name, actor=name)


def _print_draft(draft: Draft) -> None:
    window = f", objection window until {draft.window_ends}" if draft.window_ends else ""
    approved = f", approved by {draft.approved_by}" if draft.approved_by else ""
    out.print(
        f"{draft.finding_id}: {draft.status} ({draft.list_type} against "
        f"{draft.subject_uscc or who(draft.subject_person)}), drafted by {draft.drafted_by}"
        f"{window}{approved}",
        soft_wrap=True,
        highlight=False,
    )


def draft_command(
    file: Annotated[Path, typer.Argument(help="The draft as JSON: the body of POST /v1/findings.")],
    actor: str = ACTOR_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Draft a finding (发起): checked like a loaded finding, invisible until approved by
    another person (``tracer approve``) after the objection window."""
    try:
        body = DraftRequest.model_validate_json(file.read_bytes())
    except (OSError, ValidationError) as exc:
        fail(f"cannot read the draft {file}: {exc}")
    with database() as runner:
        record = draft_finding(runner, body.to_input(), _signer(actor), get_clock())
    audit_read("draft", findings=[record.finding_id], disclosed=record)
    if json_output:
        emit_model(record)
        return
    _print_draft(record)


def approve_command(
    finding_id: str = typer.Argument(..., help="The draft's finding id."),
    actor: str = ACTOR_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Approve a draft (another person than its drafter, after the objection window): it
    becomes an ACTIVE finding, pushed to the work lists."""
    with database() as runner:
        record = approve_draft(runner, finding_id.strip(), _signer(actor), None, get_clock())
    audit_read("approve", findings=[record.finding_id], disclosed=record)
    if json_output:
        emit_model(record)
        return
    _print_draft(record)
