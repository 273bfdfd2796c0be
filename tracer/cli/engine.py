"""Commands: tracer check, enterprise, finding, transition, release (the liability engine)."""

from __future__ import annotations

from datetime import date
from typing import Any

import typer
from rich.table import Table

from tracer.api.audit import SubjectRefs
from tracer.cli.context import audit_read, database, emit_json, fail, out
from tracer.domain.errors import TracerError
from tracer.domain.identifiers import normalise_person_id, validate_uscc
from tracer.domain.values import parse_date
from tracer.queries.liability import (
    Exposure,
    FindingReach,
    LiablePerson,
    NotifiedOrganisation,
    PersonCheck,
    check_person,
    finding_reach,
)
from tracer.queries.lifecycle import (
    ReleaseRecord,
    TransitionRecord,
    release_person,
    transition_finding,
)
from tracer.queries.models import PersonRef, redact
from tracer.queries.profile import EnterpriseProfile, enterprise_profile

JSON_OPTION = typer.Option(False, "--json", help="Machine output (one JSON document).")
AS_OF_OPTION = typer.Option(None, "--as-of", help="Date to look at (YYYY-MM-DD); default today.")
ID_TYPE_OPTION = typer.Option("RESIDENT_ID", "--id-type", help="Document type, e.g. RESIDENT_ID.")
ID_OPTION = typer.Option(..., "--id", help="Document number (shown masked).")
ACTOR_OPTION = typer.Option(..., "--actor", help="Who makes the change (department or person).")
REASON_OPTION = typer.Option(..., "--reason", help="Why.")
DOCUMENT_OPTION = typer.Option(None, "--document", help="Document number of the decision.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("check")(check_command)
    app.command("enterprise")(enterprise_command)
    app.command("finding")(finding_command)
    app.command("transition")(transition_command)
    app.command("release")(release_command)


# -- argument helpers ----------------------------------------------------------------------------
def _as_of(text: str | None) -> date:
    try:
        return parse_date(text) or date.today()
    except TracerError as exc:
        fail(f"--as-of: {exc}")


def _person_id(id_type: str, number: str) -> tuple[str, str]:
    kind = id_type.strip().upper()
    try:
        return kind, normalise_person_id(kind, number)
    except TracerError as exc:
        fail(f"--id: {exc}")


def _uscc(text: str) -> str:
    try:
        return validate_uscc(text)
    except TracerError as exc:
        fail(f"USCC: {exc}")


def _who(person: PersonRef | None) -> str:
    if person is None:
        return ""
    return f"{person.name or '?'} ({person.id_type} {person.id_masked})"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# -- tables --------------------------------------------------------------------------------------
def _liability_table(
    title: str, rows: list[tuple[PersonRef | None, LiablePerson | PersonCheck]]
) -> Table:
    table = Table(title=title)
    for column in (
        "person",
        "finding",
        "rule",
        "via",
        "enterprise",
        "effects",
        "measures",
        "until",
    ):
        table.add_column(column)
    for person, holder in rows:
        for item in holder.liabilities:
            table.add_row(
                _who(person),
                item.finding_id,
                item.rule,
                item.via + (f" + named {item.capacity}" if item.role and item.capacity else ""),
                item.enterprise.name or item.enterprise.uscc if item.enterprise else "(subject)",
                ", ".join(item.effects),
                ", ".join(item.measures),
                _text(item.effective_until) or "open",
            )
    return table


def _exposure_table(exposures: list[Exposure]) -> Table:
    table = Table(title="Exposed (not liable)")
    for column in ("person", "finding", "role", "since", "enterprise", "reason"):
        table.add_column(column)
    for item in exposures:
        table.add_row(
            _who(item.person),
            item.finding_id,
            item.role,
            _text(item.since),
            item.enterprise.name or item.enterprise.uscc if item.enterprise else "",
            item.reason,
        )
    return table


def _notified_table(notified: list[NotifiedOrganisation]) -> Table:
    table = Table(title="Organisations notified")
    for column in ("finding", "rule", "relation", "department", "note"):
        table.add_column(column)
    for item in notified:
        department = f"{item.name or ''} ({item.code})" if item.code else ""
        table.add_row(item.finding_id, item.rule, item.relation, department, _text(item.missing))
    return table


def _transition_table(history: list[TransitionRecord]) -> Table:
    table = Table(title="Transitions")
    for column in ("#", "at", "from", "to", "actor", "reason", "document"):
        table.add_column(column)
    for item in history:
        table.add_row(
            str(item.seq),
            item.at.isoformat(timespec="seconds"),
            _text(item.from_status),
            item.to_status,
            item.actor,
            item.reason,
            _text(item.document),
        )
    return table


# -- commands ------------------------------------------------------------------------------------
def check_command(
    id_type: str = ID_TYPE_OPTION,
    id_number: str = ID_OPTION,
    as_of: str | None = AS_OF_OPTION,
    measure: str | None = typer.Option(None, "--measure", help="Measure code, e.g. FLIGHT_BAN."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Is this person restricted (from a measure) on a date, and why?"""
    kind, number = _person_id(id_type, id_number)
    day = _as_of(as_of)
    code = measure.strip().upper() if measure else None
    audit_read("check", persons=[(kind, number)])
    with database() as runner:
        result = check_person(runner, kind, number, day, code)
    if json_output:
        emit_json(redact(result))
        return
    _print_check(result)


def _print_check(result: PersonCheck) -> None:
    verdict = "[bold red]RESTRICTED[/]" if result.restricted else "[bold green]not restricted[/]"
    scope = f" from {result.measure}" if result.measure else ""
    known = "" if result.known else " (not in the graph)"
    out.print(f"{_who(result.subject)}{known}: {verdict}{scope} on {result.as_of}")
    if result.liabilities:
        out.print(_liability_table("Liabilities", [(None, result)]))
        for item in result.liabilities:
            out.print(f"  {item.finding_id} {item.rule}: {item.source}", highlight=False)
    if result.exposures:
        out.print(_exposure_table(result.exposures))


def enterprise_command(
    uscc: str = typer.Argument(..., help="The enterprise's USCC."),
    as_of: str | None = AS_OF_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Profile: officers, shareholders, practitioners, honours, findings, liable persons."""
    code = _uscc(uscc)
    day = _as_of(as_of)
    audit_read("enterprise", others=[SubjectRefs.enterprise(code)])
    with database() as runner:
        profile = enterprise_profile(runner, code, day)
    if json_output:
        emit_json(redact(profile))
        return
    _print_profile(profile)


def _print_profile(profile: EnterpriseProfile) -> None:
    out.print(
        f"[bold]{profile.enterprise.name or ''}[/] {profile.enterprise.uscc} · {profile.kind or ''}"
        f" · {profile.ownership or ''} · {profile.status or ''} · as of {profile.as_of}"
    )
    officers = Table(title="Officers")
    for column in ("person", "role", "from", "to", "current"):
        officers.add_column(column)
    for officer in profile.officers:
        officers.add_row(
            _who(officer.person),
            officer.role,
            _text(officer.start_date),
            _text(officer.end_date),
            "yes" if officer.current else "",
        )
    out.print(officers)
    holders = Table(title="Shareholders (direct)")
    for column in ("holder", "share", "from", "to", "current"):
        holders.add_column(column)
    for holder in profile.shareholders:
        holders.add_row(
            _who(holder.person) if holder.person else f"{holder.name or ''} ({holder.code})",
            "unknown" if holder.share is None else f"{holder.share:.2%}",
            _text(holder.start_date),
            _text(holder.end_date),
            "yes" if holder.current else "",
        )
    out.print(holders)
    if profile.practitioners:
        practitioners = Table(title="Registered practitioners")
        for column in ("person", "qualification", "from", "to"):
            practitioners.add_column(column)
        for item in profile.practitioners:
            practitioners.add_row(
                _who(item.person),
                _text(item.qualification),
                _text(item.start_date),
                _text(item.end_date),
            )
        out.print(practitioners)
    if profile.honours:
        out.print("Honours: " + "; ".join(f"{h.honour} ({h.granted_on})" for h in profile.honours))
    findings = Table(title="Findings")
    for column in ("finding", "list type", "status", "act", "decided", "until", "applies"):
        findings.add_column(column)
    for finding in profile.findings:
        findings.add_row(
            finding.finding_id,
            _text(finding.list_type),
            _text(finding.status),
            _text(finding.act_date),
            _text(finding.decided_on),
            _text(finding.effective_until),
            "yes" if finding.applies else _text(finding.not_applying_reason),
        )
    out.print(findings)
    out.print(_liability_table("Liable persons", [(p.person, p) for p in profile.liable]))
    if profile.exposures:
        out.print(_exposure_table(profile.exposures))
    if profile.notified:
        out.print(_notified_table(profile.notified))


def finding_command(
    finding_id: str = typer.Argument(..., help="The finding id."),
    as_of: str | None = AS_OF_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """A finding: everyone it reaches and through what, and its status history."""
    day = _as_of(as_of)
    audit_read("finding", others=[SubjectRefs.finding(finding_id.strip())])
    with database() as runner:
        reach = finding_reach(runner, finding_id.strip(), day)
    if json_output:
        emit_json(redact(reach))
        return
    _print_reach(reach)


def _print_reach(reach: FindingReach) -> None:
    finding = reach.finding
    subject = (
        f"{reach.enterprise.name or ''} {reach.enterprise.uscc}"
        if reach.enterprise
        else _who(reach.subject_person)
    )
    applies = "applies" if finding.applies else f"does not apply ({finding.not_applying_reason})"
    out.print(
        f"[bold]{finding.finding_id}[/] {finding.list_type} against {subject}: {finding.status}, "
        f"{applies} on {reach.as_of}"
    )
    out.print(_liability_table("Liable persons", [(p.person, p) for p in reach.liable]))
    if reach.exposures:
        out.print(_exposure_table(reach.exposures))
    if reach.notified:
        out.print(_notified_table(reach.notified))
    out.print(_transition_table(reach.transitions))


def transition_command(
    finding_id: str = typer.Argument(..., help="The finding id."),
    to_status: str = typer.Option(..., "--to", help="New status, e.g. UNDER_REVIEW."),
    actor: str = ACTOR_OPTION,
    reason: str = REASON_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Change a finding's status (objection, decision, repair, revocation, expiry)."""
    with database() as runner:
        record = transition_finding(runner, finding_id.strip(), to_status, actor, reason, document)
    if json_output:
        emit_json(record.model_dump(mode="json"))
        return
    _print_transition(record)


def _print_transition(record: TransitionRecord) -> None:
    out.print(
        f"{record.transition_id}: {record.from_status} → {record.to_status} "
        f"by {record.actor} at {record.at.isoformat(timespec='seconds')}"
    )


def release_command(
    finding_id: str = typer.Argument(..., help="The finding id."),
    id_type: str = ID_TYPE_OPTION,
    id_number: str = ID_OPTION,
    actor: str = ACTOR_OPTION,
    reason: str = REASON_OPTION,
    document: str | None = DOCUMENT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Release one person from one finding (recorded; idempotent)."""
    kind, number = _person_id(id_type, id_number)
    with database() as runner:
        record = release_person(runner, finding_id.strip(), kind, number, actor, reason, document)
    if json_output:
        emit_json(redact(record))
        return
    _print_release(record)


def _print_release(record: ReleaseRecord) -> None:
    state = "released" if record.created else "already released"
    out.print(
        f"{_who(record.person)} {state} from {record.finding_id} by {record.actor} "
        f"at {record.at.isoformat(timespec='seconds')}"
    )
