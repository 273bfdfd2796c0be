"""Commands: tracer enterprise, owners — an enterprise's profile and its owners."""

from __future__ import annotations

import re
from pathlib import Path

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
    fail,
    known_on,
    out,
    table,
    text,
    uscc,
    who,
)
from tracer.cli.exports import EXPORT_OPTION, export_target, sheet, write_export
from tracer.cli.records import print_records
from tracer.cli.render import exposure_table, liability_table, notified_table
from tracer.cli.search import find, print_enterprises
from tracer.domain.keys import SubjectKey
from tracer.queries.divisions import division_label
from tracer.queries.names import MatchKind
from tracer.queries.ownership import (
    DEFAULT_THRESHOLD,
    Chain,
    OwnersReport,
    Subject,
    at_threshold,
    owners,
)
from tracer.queries.profile import EnterpriseProfile, enterprise_profile


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("enterprise")(enterprise_command)
    app.command("owners")(owners_command)


def enterprise_command(
    code: str = typer.Argument(
        ..., metavar="USCC|NAME", help="The enterprise's USCC, or its exact name."
    ),
    as_of: str | None = AS_OF_OPTION,
    known: str | None = KNOWN_ON_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Profile: officers, shareholders, practitioners, honours, findings, the measures on the
    enterprise itself, liable and exposed persons."""
    key = _by_uscc_or_name(code, json_output)
    with database() as runner:
        profile = enterprise_profile(runner, key, day(as_of), known_on(known))
    audit_read("enterprise", SubjectKey.enterprise(key), disclosed=profile)
    if json_output:
        emit_model(profile)
        return
    _print_profile(profile)


#: 18 letters and digits: meant as a USCC (a wrong one fails as such, not as a name).
_USCC_SHAPE = re.compile(r"[0-9A-Za-z]{18}")


def _by_uscc_or_name(code: str, json_output: bool) -> str:
    """The USCC given, or the USCC of the one enterprise of exactly that name; otherwise the
    candidates are listed and the command fails with a hint to pass the USCC."""
    if _USCC_SHAPE.fullmatch(code.strip()):
        return uscc(code)
    found = find(code, "enterprise", 20)
    exact = [item for item in found.enterprises if item.match is MatchKind.EXACT]
    if len(exact) == 1:
        return exact[0].enterprise.uscc
    if not found.enterprises:
        fail(f"no enterprise has the USCC or a name like {code!r}")
    if json_output:
        emit_model(found)
    else:
        print_enterprises(found.enterprises)
    fail("that is not a USCC and names no single enterprise: pass one of the USCCs above")


def _print_profile(profile: EnterpriseProfile) -> None:
    out.print(
        f"[bold]{profile.enterprise.name or ''}[/] {profile.enterprise.uscc} · {profile.kind or ''}"
        f" · {profile.ownership or ''} · {profile.status or ''}"
        + (f" · {division_label(profile.region_code)}" if profile.region_code else "")
        + f" · as of {profile.as_of}"
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
                _direct_share(holder.share, holder.share_min, holder.share_max),
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
        out.print(
            "Honours: "
            + "; ".join(
                f"{h.honour} ({h.granted_on}"
                + (f", revoked {h.revoked_on}" if h.revoked_on else "")
                + ")"
                for h in profile.honours
            )
        )
    if profile.records.commitments or profile.records.interviews:
        print_records(profile.records)
    if profile.external_listings:
        listings = table(
            "External listings (other bodies' lists: information, not findings of this system)",
            "authority", "program", "reason", "from", "to", "source",
        )  # fmt: skip
        for listing in profile.external_listings:
            listings.add_row(
                text(listing.authority),
                text(listing.program),
                text(listing.reason),
                text(listing.start_date),
                text(listing.end_date),
                text(listing.source_url or listing.source),
            )
        out.print(listings)
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


def _number(value: float) -> str:
    """A percentage without a trailing zero: 0.2 → ``20``, 0.425 → ``42.5``."""
    return f"{value * 100:.2f}".rstrip("0").rstrip(".")


def _range(low: float, high: float) -> str:
    """A share range as ``20–30 %`` (a single value when the bounds meet)."""
    if abs(high - low) < 1e-12:
        return f"{_number(low)} %"
    return f"{_number(low)}–{_number(high)} %"


def _share_text(point: float | None, low: float, high: float, unknown: int) -> str:
    """A penetrated share: the point value, a range ``20–30 %``, or ``unknown`` (with what is
    known of it: at least the known part, at most the cap)."""
    if point is not None:
        return _percent(point)
    if not unknown:
        return _range(low, high)
    known = [f"≥ {_number(low)} %"] if low > 1e-12 else []
    known += [f"≤ {_number(high)} %"] if high < 1 - 1e-12 else []
    return "unknown" + (f" ({', '.join(known)})" if known else "")


def _direct_share(share: float | None, low: float | None, high: float | None) -> str:
    """A direct holding: its share, its range, or ``unknown``."""
    if share is not None or (low is None and high is None):
        return _percent(share)
    return _range(low or 0.0, 1.0 if high is None else high)


def _link_text(chain: Chain, index: int) -> str:
    return _direct_share(chain.shares[index], chain.shares_min[index], chain.shares_max[index])


def _chain_text(chain: Chain) -> str:
    parts = [_subject_text(chain.subjects[0])]
    ranged = len(chain.shares_min) == len(chain.links)
    for index, (link, subject) in enumerate(zip(chain.links, chain.subjects[1:], strict=True)):
        if link == "ACTUAL_CONTROLLER":
            arrow = "controls"
        else:
            arrow = _link_text(chain, index) if ranged else _percent(chain.shares[index])
        parts.append(f"─{arrow}→ {subject.name or subject.uscc}")
    if chain.product is not None:
        product = f"  = {_percent(chain.product)}"
    elif chain.product_min is not None and chain.product_max is not None:
        unknown = int(
            ranged
            and any(
                share is None and low is None and high is None
                for share, low, high in zip(
                    chain.shares, chain.shares_min, chain.shares_max, strict=True
                )
            )
        )
        product = f"  = {_share_text(None, chain.product_min, chain.product_max, unknown)}"
    else:
        product = ""
    return " ".join(parts) + product


def _status(status: str, basis: str | None) -> str:
    """A three-valued decision: ``share`` / ``control`` for yes, ``possibly (share)``, or empty."""
    if status == "possibly":
        return f"possibly ({basis})" if basis else "possibly"
    return basis or "" if status == "yes" else ""


def owners_command(
    code: str = typer.Argument(..., metavar="USCC", help="USCC of the enterprise."),
    threshold: float | None = typer.Option(
        None,
        "--threshold",
        help="Beneficial-owner share (0..1], default 0.25; when given, owners below it that do "
        "not control are omitted (and counted).",
    ),
    as_of: str | None = AS_OF_OPTION,
    max_depth: int = typer.Option(10, "--max-depth", help="Longest chain (1..15)."),
    target: Path | None = EXPORT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Beneficial owners and actual controllers of an enterprise, with the proving chains."""
    export_target(target)
    with database() as runner:
        report = owners(
            runner,
            code,
            day(as_of),
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            max_depth=max_depth,
        )
    if threshold is not None:
        report = at_threshold(report)
    audit_read("owners", SubjectKey.enterprise(report.enterprise.uscc), disclosed=report)
    if target is not None:
        write_export(
            target, [sheet("owners", report.owners), sheet("controllers", report.controllers)]
        )
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
        share = _share_text(owner.share, owner.share_min, owner.share_max, owner.unknown_chains)
        direct = _share_text(
            owner.direct_share,
            owner.direct_share_min,
            owner.direct_share_max,
            owner.unknown_direct,
        )
        role: str = owner.controller or ("controlling shareholder" if owner.controls else "")
        if owner.control_status == "possibly":
            role = "possibly (unknown or ranged shares)"
        found.add_row(
            _subject_text(owner.subject),
            owner.subject.kind,
            share,
            direct,
            _status(owner.beneficial_owner_status, owner.beneficial_owner_basis),
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
