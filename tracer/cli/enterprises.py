"""Commands: tracer enterprise, owners — an enterprise's profile and its owners."""

from __future__ import annotations

import typer
from rich.tree import Tree

from tracer.cli.context import (
    AS_OF_OPTION,
    JSON_OPTION,
    KNOWN_ON_OPTION,
    audit_read,
    database,
    day,
    emit_model,
    known_on,
    out,
    table,
    text,
    uscc,
    who,
)
from tracer.cli.render import exposure_table, liability_table, notified_table
from tracer.domain.keys import SubjectKey
from tracer.queries.ownership import Chain, OwnersReport, Subject, owners
from tracer.queries.profile import EnterpriseProfile, enterprise_profile


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("enterprise")(enterprise_command)
    app.command("owners")(owners_command)


def enterprise_command(
    code: str = typer.Argument(..., metavar="USCC", help="The enterprise's USCC."),
    as_of: str | None = AS_OF_OPTION,
    known: str | None = KNOWN_ON_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Profile: officers, shareholders, practitioners, honours, findings, the measures on the
    enterprise itself, liable and exposed persons."""
    key = uscc(code)
    with database() as runner:
        profile = enterprise_profile(runner, key, day(as_of), known_on(known))
    audit_read("enterprise", SubjectKey.enterprise(key), disclosed=profile)
    if json_output:
        emit_model(profile)
        return
    _print_profile(profile)


def _print_profile(profile: EnterpriseProfile) -> None:
    out.print(
        f"[bold]{profile.enterprise.name or ''}[/] {profile.enterprise.uscc} · {profile.kind or ''}"
        f" · {profile.ownership or ''} · {profile.status or ''} · as of {profile.as_of}"
    )
    officers = table("Officers", "person", "role", "from", "to", "current")
    for officer in profile.officers:
        officers.add_row(
            who(officer.person),
            officer.role,
            text(officer.start_date),
            text(officer.end_date),
            "yes" if officer.current else "",
        )
    out.print(officers)
    if profile.shareholders:
        holders = table("Shareholders (direct)", "holder", "share", "from", "to", "current")
        for holder in profile.shareholders:
            holders.add_row(
                who(holder.person) if holder.person else f"{holder.name or ''} ({holder.code})",
                "unknown" if holder.share is None else f"{holder.share:.2%}",
                text(holder.start_date),
                text(holder.end_date),
                "yes" if holder.current else "",
            )
        out.print(holders)
    if profile.practitioners:
        practitioners = table("Registered practitioners", "person", "qualification", "from", "to")
        for item in profile.practitioners:
            practitioners.add_row(
                who(item.person),
                text(item.qualification),
                text(item.start_date),
                text(item.end_date),
            )
        out.print(practitioners)
    if profile.honours:
        out.print("Honours: " + "; ".join(f"{h.honour} ({h.granted_on})" for h in profile.honours))
    findings = table(
        "Findings", "finding", "list type", "status", "act", "decided", "until", "applies"
    )
    for finding in profile.findings:
        findings.add_row(
            finding.finding_id,
            text(finding.list_type),
            text(finding.status),
            text(finding.act_date),
            text(finding.decided_on),
            text(finding.effective_until)
            or ("until performance / removal" if finding.period_basis == "OPEN" else ""),
            "yes" if finding.applies else text(finding.not_applying_reason),
        )
    out.print(findings)
    if profile.subject_measures:
        out.print(liability_table("On the enterprise itself", [(None, profile.subject_measures)]))
    out.print(
        liability_table("Liable persons", [(p.person, p.liabilities) for p in profile.liable])
    )
    if profile.exposures:
        out.print(exposure_table(profile.exposures))
    if profile.notified:
        out.print(notified_table(profile.notified))


def _subject_text(subject: Subject) -> str:
    if subject.person is not None:
        return f"{subject.name or '?'} ({subject.person.id_type} {subject.person.id_masked})"
    return f"{subject.name or '?'} ({subject.uscc or subject.code})"


def _percent(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2%}"


def _chain_text(chain: Chain) -> str:
    parts = [_subject_text(chain.subjects[0])]
    for link, share, subject in zip(chain.links, chain.shares, chain.subjects[1:], strict=True):
        arrow = "controls" if link == "ACTUAL_CONTROLLER" else _percent(share)
        parts.append(f"─{arrow}→ {subject.name or subject.uscc}")
    product = f"  = {_percent(chain.product)}" if chain.product is not None else ""
    return " ".join(parts) + product


def owners_command(
    code: str = typer.Argument(..., metavar="USCC", help="USCC of the enterprise."),
    threshold: float = typer.Option(0.25, "--threshold", help="Beneficial-owner share (0..1)."),
    as_of: str | None = AS_OF_OPTION,
    max_depth: int = typer.Option(10, "--max-depth", help="Longest chain (1..15)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Beneficial owners and actual controllers of an enterprise, with the proving chains."""
    with database() as runner:
        report = owners(runner, code, day(as_of), threshold=threshold, max_depth=max_depth)
    audit_read("owners", SubjectKey.enterprise(report.enterprise.uscc), disclosed=report)
    if json_output:
        emit_model(report)
        return
    _print_owners(report)


def _print_owners(report: OwnersReport) -> None:
    name = report.enterprise.name or report.enterprise.uscc
    found = table(
        f"Owners of {name} ({report.enterprise.uscc}) on {report.as_of}",
        "owner", "kind", "share", "direct", "beneficial owner", "controller",
    )  # fmt: skip
    for owner in report.owners:
        share = _percent(owner.share)
        if owner.share is None:
            share = f"≥ {owner.share_known_part:.2%} ({owner.unknown_chains} unknown)"
        role = owner.controller or ("controlling shareholder" if owner.controls else "")
        found.add_row(
            _subject_text(owner.subject),
            owner.subject.kind,
            share,
            _percent(owner.direct_share),
            owner.beneficial_owner_basis or "",
            role,
        )
    out.print(found)
    if report.controllers:
        tree = Tree("Actual controllers (derived ones are candidates for the authority)")
        for controller in report.controllers:
            label = "ultimate, " if controller.ultimate else ""
            branch = tree.add(
                f"{_subject_text(controller.subject)}: {label}{controller.basis}", highlight=False
            )
            for chain in controller.chains:
                branch.add(_chain_text(chain), highlight=False)
        out.print(tree)
    else:
        out.print("No actual controller declared or derived.")
    for note in report.notes:
        out.print(f"[yellow]note:[/] {note}")
