"""Human tables of the engine's answers, shared by the commands that print them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.table import Table

from tracer.cli.context import out, table, text, who
from tracer.graph.settings import get_clock
from tracer.queries.liability import (
    Check,
    Exposure,
    FindingReach,
    Liability,
    NotifiedOrganisation,
    RelatedRisk,
)
from tracer.queries.lifecycle import TransitionRecord
from tracer.queries.measures import Choice, MeasureDetail
from tracer.queries.models import PersonRef


def local_time(instant: dt.datetime) -> str:
    """An instant in the deployment's time zone, to the second."""
    return instant.astimezone(get_clock().zone).isoformat(timespec="seconds")


def measure_list(
    details: Sequence[MeasureDetail],
    choices: Sequence[Choice] = (),
    eligible: Sequence[str] = (),
) -> str:
    """Measures with their kind: ``FLIGHT_BAN (must)`` for mandatory ones, ``(may)`` for
    recommended ones; graded alternatives and eligible measures marked as such."""
    parts = [f"{d.code} ({'must' if d.mandatory else 'may'})" for d in details]
    parts += [f"one of {'/'.join(c.measures)} (choice)" for c in choices]
    parts += [f"{code} (eligible: for the authority to decide)" for code in eligible]
    return ", ".join(parts)


def measures_text(item: Liability) -> str:
    """The measures of a liability (see ``measure_list``)."""
    return measure_list(item.measure_details, item.choices, item.eligible_measures)


def period_text(item: Liability) -> str:
    """The period's end, or why it is open."""
    if item.effective_until is not None:
        return str(item.effective_until)
    if item.period_basis == "OPEN":
        return "until performance / removal"
    return "open"


def liability_table(title: str, rows: list[tuple[PersonRef | None, list[Liability]]]) -> Table:
    """One row per (person, finding, rule); the person column only when rows name persons."""
    persons = any(person is not None for person, _ in rows)
    columns = ("finding", "rule", "via", "enterprise", "measures", "until", "reference")
    found = table(title, *(("person", *columns) if persons else columns))
    for person, liabilities in rows:
        for item in liabilities:
            via = item.via + (f" + named {item.capacity}" if item.role and item.capacity else "")
            cells = (
                item.finding_id,
                item.rule,
                via,
                who(enterprise=item.enterprise) if item.enterprise else "(the listed subject)",
                measures_text(item),
                period_text(item),
                f"{item.reference} {item.basis_date}",
            )
            found.add_row(*((who(person), *cells) if persons else cells))
    return found


def exposure_table(exposures: list[Exposure]) -> Table:
    """Persons around a finding who are not liable, and why."""
    found = table(
        "Exposed (not liable)", "person", "finding", "role", "in office", "enterprise", "why"
    )
    for item in exposures:
        found.add_row(
            who(item.person),
            item.finding_id,
            item.role,
            f"{text(item.since)}..{text(item.until)}",
            who(enterprise=item.enterprise) if item.enterprise else "",
            item.reason,
        )
    return found


def related_table(related: list[RelatedRisk]) -> Table:
    """Findings against those related to a checked enterprise (information only)."""
    found = table(
        "Related risk (information, not a restriction)", "relation", "who", "share", "finding"
    )
    for item in related:
        share = "" if item.share_known_part is None else f"{item.share_known_part:.2%}"
        if item.share is None and item.share_known_part is not None:
            share = f"≥ {share} (unknown part)"
        found.add_row(
            f"{item.relation} {text(item.role)}".strip(),
            who(item.person, item.enterprise),
            share,
            f"{item.finding_id} {text(item.list_type)} {text(item.decided_on)}",
        )
    return found


def notified_table(notified: list[NotifiedOrganisation]) -> Table:
    """Organisations a rule notifies (R6)."""
    found = table("Organisations notified", "finding", "rule", "relation", "department", "note")
    for item in notified:
        department = f"{item.name or ''} ({item.code})" if item.code else ""
        found.add_row(item.finding_id, item.rule, item.relation, department, text(item.missing))
    return found


def transition_table(history: list[TransitionRecord]) -> Table:
    """A finding's status history with both times."""
    found = table(
        "Transitions", "#", "effective", "recorded", "from", "to", "term", "actor", "reason"
    )
    for item in history:
        found.add_row(
            str(item.seq),
            str(item.effective_on),
            local_time(item.recorded_at),
            text(item.from_status),
            item.to_status,
            text(item.new_effective_until),
            item.actor,
            item.reason,
        )
    return found


def print_check(result: Check) -> None:
    """A check: the verdict, the liabilities with their sources, exposures and related risk."""
    verdict = "[bold red]RESTRICTED[/]" if result.restricted else "[bold green]not restricted[/]"
    if not result.restricted and result.liable:
        verdict += " (liable: recorded in the credit record)"
    scope = f" from {result.measure}" if result.measure else ""
    known = "" if result.known else " (not in the graph)"
    when = f" as known on {local_time(result.known_on)}" if result.known_on else ""
    subject = result.subject
    name = who(subject) if isinstance(subject, PersonRef) else who(enterprise=subject)
    out.print(f"{name}{known}: {verdict}{scope} on {result.as_of}{when}", soft_wrap=True)
    evidence = result.evidence()
    if evidence:
        title = f"Liabilities that carry {result.measure}" if result.measure else "Liabilities"
        out.print(liability_table(title, [(None, evidence)]))
        for item in evidence:
            out.print(f"  {item.finding_id} {item.rule}: {item.source}", highlight=False)
    if result.liabilities_omitted:
        out.print(
            f"{result.liabilities_omitted} other liabilities (without {result.measure}) not shown; "
            "ask without --measure to see them",
            highlight=False,
        )
    if result.exposures:
        out.print(exposure_table(result.exposures))
    if result.related_risk:
        out.print(related_table(result.related_risk))


def print_reach(reach: FindingReach) -> None:
    """A finding: whether it applies, who it reaches and through what, its history."""
    finding = reach.finding
    subject = who(enterprise=reach.enterprise) if reach.enterprise else who(reach.subject_person)
    applies = "applies" if finding.applies else f"does not apply ({finding.not_applying_reason})"
    period = text(finding.effective_until) or (
        "until performance / removal" if finding.period_basis == "OPEN" else "open"
    )
    out.print(
        f"[bold]{finding.finding_id}[/] {finding.list_type} against {subject}: {finding.status}, "
        f"{applies} on {reach.as_of}; period until {period} ({text(finding.period_basis)})"
    )
    if reach.subject_measures is not None:
        out.print(liability_table("On the listed subject", [(None, [reach.subject_measures])]))
    out.print(liability_table("Liable persons", [(p.person, p.liabilities) for p in reach.liable]))
    if reach.exposures:
        out.print(exposure_table(reach.exposures))
    if reach.notified:
        out.print(notified_table(reach.notified))
    out.print(transition_table(reach.transitions))
