"""Commands: tracer worklist, feedback, overdue — what departments must do and report."""

from __future__ import annotations

from pathlib import Path

import typer

from tracer.cli.context import (
    AS_OF_OPTION,
    JSON_OPTION,
    audit_read,
    database,
    day,
    emit_model,
    fail,
    out,
    resolve_argument,
    table,
    who,
)
from tracer.cli.exports import EXPORT_OPTION, export_target, sheet, write_export
from tracer.cli.render import measure_list
from tracer.graph.settings import get_clock
from tracer.queries.divisions import division_label
from tracer.queries.feedback import record_feedback
from tracer.queries.overdue import overdue_feedback
from tracer.queries.worklist import MAX_PAGE, WorklistEntry, worklist


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("worklist")(worklist_command)
    app.command("feedback")(feedback_command)
    app.command("overdue")(overdue_command)


def worklist_command(
    department_code: str = typer.Argument(..., metavar="DEPT_CODE", help="Department code."),
    as_of: str | None = AS_OF_OPTION,
    scope: str = typer.Option(
        "region", "--scope", help="region (subjects registered in its region) or all."
    ),
    limit: int = typer.Option(50, "--limit", help=f"Findings per page (1..{MAX_PAGE})."),
    offset: int = typer.Option(0, "--offset", help="Findings to skip."),
    target: Path | None = EXPORT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """What a department must apply (and lift) on a date, with the measures it owns — each
    marked must (强制性) or may (推荐性) — and the evidence."""
    export_target(target)
    wanted = scope.strip().upper()
    if wanted not in ("REGION", "ALL"):
        fail("--scope must be region or all")
    with database() as runner:
        result = worklist(
            runner,
            department_code,
            day(as_of),
            limit,
            offset,
            "ALL" if wanted == "ALL" else "REGION",
        )
    audit_read("worklist", disclosed=result)
    if target is not None:
        write_export(target, [sheet("worklist", result.entries)])
    if json_output:
        emit_model(result)
        return
    dept = result.department
    at_least = "" if result.total_exact else "at least "
    out.print(
        f"Work list of {dept.name or dept.code} ({dept.kind or 'kind unknown'}) on "
        f"{result.as_of}, scope {result.scope}: {at_least}{result.total_findings} findings, "
        f"{result.lifts} to lift",
        soft_wrap=True,
        highlight=False,
    )
    found = table(
        "", "action", "finding", "target", "subject", "measures", "rules", "since", "feedback"
    )
    for entry in result.entries:
        done = ", ".join(f"{fb.measure}:{fb.outcome}" for fb in entry.feedback)
        found.add_row(
            f"{entry.action}: {entry.reason}" if entry.reason else entry.action,
            entry.finding.finding_id,
            entry.target,
            _subject(entry),
            measure_list(entry.measure_details, entry.choices) or ", ".join(entry.measures),
            ", ".join(entry.rules),
            str(entry.since),
            done,
        )
    out.print(found)
    if result.next_offset is not None:
        out.print(f"more: --offset {result.next_offset}")


def _subject(entry: WorklistEntry) -> str:
    """Who the entry is about, with the listed subject's region by name."""
    region = entry.finding.region_code
    return who(entry.person, entry.enterprise) + (f" {division_label(region)}" if region else "")


def feedback_command(
    department_code: str = typer.Argument(..., metavar="DEPT_CODE", help="Department code."),
    finding_id: str = typer.Argument(..., metavar="FINDING_ID", help="Finding id."),
    subject: str = typer.Option(..., "--subject", help="USCC, ID_TYPE:NUMBER or resident ID."),
    measure: str = typer.Option(..., "--measure", help="Measure code the department owns."),
    outcome: str = typer.Option(
        ..., "--outcome", help="APPLIED, NOT_APPLICABLE, REFUSED, LIFTED or RESTORED."
    ),
    on: str | None = typer.Option(None, "--on", help="Date it was done (default today)."),
    reason: str | None = typer.Option(
        None, "--reason", help="Required for NOT_APPLICABLE and REFUSED."
    ),
    actor: str = typer.Option(..., "--actor", help="Who records this feedback."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Record what a department did about one measure for one subject of a finding."""
    with database() as runner:
        key = resolve_argument(runner, "--subject", subject)
        saved = record_feedback(
            runner,
            department_code,
            finding_id,
            key,
            measure,
            outcome,
            day(on, "--on"),
            reason,
            actor,
            get_clock(),
        )
    audit_read("feedback", key, findings=[saved.finding_id], disclosed=saved)
    if json_output:
        emit_model(saved)
        return
    out.print(
        f"recorded {saved.outcome} of {saved.measure} for {who(saved.person, saved.enterprise)} "
        f"on finding {saved.finding_id} by {saved.department} ({saved.feedback_id})"
    )


def overdue_command(
    days: int = typer.Option(30, "--days", help="Days without feedback (0..3650)."),
    as_of: str | None = AS_OF_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Work pushed to departments with no feedback after N days, and measures never lifted
    (跟踪问效)."""
    with database() as runner:
        report = overdue_feedback(runner, day(as_of), days=days, zone=get_clock().zone)
    audit_read("overdue", disclosed=report)
    if json_output:
        emit_model(report)
        return
    found = table(
        f"No feedback after {days} days, on {report.as_of} (findings still in force, and lifts)",
        "department", "kind", "to apply", "to lift", "longest wait (days)", "overdue since",
    )  # fmt: skip
    for item in report.departments:
        dept = item.department
        found.add_row(
            f"{dept.name} ({dept.code})" if dept.name else dept.code,
            dept.kind or "?",
            str(sum(1 for entry in item.overdue if entry.action == "APPLY")),
            str(sum(1 for entry in item.overdue if entry.action != "APPLY")),
            str(item.overdue[0].days_waiting),
            str(min(entry.overdue_since for entry in item.overdue)),
        )
    out.print(found)
