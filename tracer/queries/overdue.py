"""Overdue feedback (DOMAIN.md §9, 跟踪问效): measures pushed to a department more than N days ago
that it never answered, and measures it applied that stopped applying and were never lifted.

Only measures that apply are pushed (the engine's reach of each finding in force, not every
measure a rule could bring), so the flag is fair ("落实不力" only where there was work to do).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from datetime import tzinfo

from pydantic import BaseModel, Field

from tracer.domain.errors import InvalidInput
from tracer.queries.catalogue import cypher
from tracer.queries.departments import Department, departments
from tracer.queries.feedback import MAX_FEEDBACK
from tracer.queries.liability import FindingReach
from tracer.queries.runner import QueryRunner
from tracer.queries.worklist import Action, Candidate, candidates, lift_entries, reaches


class OverdueItem(BaseModel):
    """Work a department was given more than N days ago and never answered."""

    action: Action
    finding_id: str
    since: dt.date = Field(
        description="pushed on (APPLY: the decision or return from review, but never before the "
        "finding was recorded here), or stopped applying on (LIFT)"
    )
    overdue_since: dt.date = Field(description="the first day it counted as overdue")
    days_waiting: int
    measures: list[str] = Field(description="the measures it owns that wait for its feedback")


class DepartmentOverdue(BaseModel):
    """A department's unanswered work (落实不力)."""

    department: Department
    overdue: list[OverdueItem]


class OverdueReport(BaseModel):
    """Overdue feedback per department on ``as_of``."""

    as_of: dt.date
    days: int
    findings_examined: int
    truncated: bool = Field(description="more findings applied than were examined")
    departments: list[DepartmentOverdue]


def pushed_measures(reach: FindingReach) -> set[str]:
    """Every measure a finding's reach applies (listed subject, its choices, liable persons)."""
    found: set[str] = set()
    if reach.subject_measures is not None:
        found.update(reach.subject_measures.measures)
        found.update(code for choice in reach.subject_measures.choices for code in choice.measures)
    for item in reach.liable:
        found.update(code for liability in item.liabilities for code in liability.measures)
    return found


def department_pushes(
    runner: QueryRunner, as_of: dt.date
) -> tuple[list[Department], dict[str, list[tuple[Candidate, list[str]]]], int, bool]:
    """Which findings in force push which measures to which department on ``as_of``: the
    departments, code → [(finding, the owned measures its reach applies)], the number of
    findings examined and whether the scan hit its bound."""
    found, truncated = candidates(runner, as_of)
    reached = reaches(runner, [item.finding_id for item in found], as_of)
    depts = departments(runner, as_of)
    pushes: dict[str, list[tuple[Candidate, list[str]]]] = {dept.code: [] for dept in depts}
    for item in found:
        reach = reached.get(item.finding_id)
        if reach is None:
            continue
        measures = pushed_measures(reach)
        for dept in depts:
            if dept.scope and item.region_code and not item.region_code.startswith(dept.scope):
                continue
            owned = sorted(measures.intersection(dept.measures))
            if owned:
                pushes[dept.code].append((item, owned))
    return depts, pushes, len(found), truncated


def answered(runner: QueryRunner, finding_ids: Sequence[str]) -> set[tuple[str, str]]:
    """(department, finding) pairs with any feedback."""
    if not finding_ids:
        return set()
    rows = runner.read(
        cypher("feedback_answered"), finding_ids=list(finding_ids), limit=MAX_FEEDBACK * 10
    )
    return {(row["department"], row["finding_id"]) for row in rows}


def _item(
    action: Action, finding_id: str, since: dt.date, measures: list[str], as_of: dt.date, days: int
) -> OverdueItem:
    return OverdueItem(
        action=action,
        finding_id=finding_id,
        since=since,
        overdue_since=since + dt.timedelta(days=days),
        days_waiting=(as_of - since).days,
        measures=measures,
    )


def recorded_on(
    runner: QueryRunner, finding_ids: Sequence[str], zone: tzinfo
) -> dict[str, dt.date]:
    """The day (in ``zone``) each finding was recorded here: nothing was pushed before it."""
    if not finding_ids:
        return {}
    rows = runner.read(
        cypher("overdue_recorded"), finding_ids=list(finding_ids), limit=len(finding_ids)
    )
    return {
        row["finding_id"]: row["recorded_at"].astimezone(zone).date()
        for row in rows
        if row["recorded_at"] is not None
    }


def overdue_feedback(
    runner: QueryRunner, as_of: dt.date, days: int = 30, zone: tzinfo = dt.UTC
) -> OverdueReport:
    """Per department: findings still in force on ``as_of`` that were pushed to it more than
    ``days`` days before without any feedback from it, and lifts waiting more than ``days``
    days. A finding counts as pushed from its decision (or its return from a review), but not
    before the day it was recorded here (``zone``: the deployment's time zone): a finding
    decided twenty years ago and loaded last week has waited a week, not twenty years."""
    if not 0 <= days <= 3650:
        raise InvalidInput("days must be in 0..3650")
    # nothing can have waited since before the calendar's first day
    deadline = as_of - dt.timedelta(days=min(days, (as_of - dt.date.min).days))
    depts, pushes, examined, truncated = department_pushes(runner, as_of)
    ids = sorted({item.finding_id for items in pushes.values() for item, _ in items})
    done = answered(runner, ids)
    known = recorded_on(runner, ids, zone)
    lifts: dict[str, list[OverdueItem]] = {}
    for code, entry in lift_entries(runner, as_of, None, None):
        if entry.since <= deadline:
            lifts.setdefault(code, []).append(
                _item(
                    entry.action, entry.finding.finding_id, entry.since, entry.measures, as_of, days
                )
            )
    report = []
    for dept in depts:
        overdue = [
            _item("APPLY", item.finding_id, since, measures, as_of, days)
            for item, measures in pushes[dept.code]
            if (since := max(item.pushed_on, known.get(item.finding_id, item.pushed_on)))
            <= deadline
            and (dept.code, item.finding_id) not in done
        ]
        overdue += lifts.get(dept.code, [])
        if overdue:
            overdue.sort(key=lambda entry: (-entry.days_waiting, entry.finding_id, entry.action))
            report.append(DepartmentOverdue(department=dept, overdue=overdue))
    return OverdueReport(
        as_of=as_of, days=days, findings_examined=examined, truncated=truncated, departments=report
    )
