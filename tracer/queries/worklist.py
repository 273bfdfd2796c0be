"""Department work lists (DOMAIN.md §9, 信息推送): what a department must apply — and lift —
on a date, with the measures it owns, each with ``mandatory`` and the evidence.

- APPLY: a finding in force pushes a measure the department owns to the listed subject (the
  memoranda's measures; graded industry sanctions as a choice) or to a liable person (the rules).
- LIFT / RESTORE: the department recorded a measure as APPLIED and it no longer applies to that
  subject or person (repaired, expired, suspended, released …; RESTORE — "恢复信誉、消除不良影响" —
  when the finding was revoked or the person wrongly named). Feedback LIFTED / RESTORED closes it.

A regional department's list covers subjects registered in its region unless it asks for all
(``scope="ALL"``); checks are never scoped (跨地区联合惩戒).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, Field

from tracer.queries.catalogue import cypher
from tracer.queries.departments import Department, department
from tracer.queries.feedback import Feedback, applied_by, feedback_on, reached_measures
from tracer.queries.liability import (
    FindingReach,
    FindingSummary,
    Liability,
    findings_reach,
)
from tracer.queries.measures import Choice, MeasureDetail, person_measures, subject_measure_codes
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.objections import Objection, list_objections
from tracer.queries.paging import check_page
from tracer.queries.reference import Snapshot, snapshot
from tracer.queries.runner import QueryRunner, Row
from tracer.queries.timeline import LATEST

Action = Literal["APPLY", "LIFT", "RESTORE"]
Scope = Literal["REGION", "ALL"]
MAX_PAGE = 500
#: Upper bound of findings a work list or the overdue report examines in one call.
MAX_SCAN = 20_000
#: Findings read per round trip of a scan (a work list page stops after the chunk that fills it).
SCAN_CHUNK = 500
#: The first chunk of a scan that stops once ``enough`` are found: ``enough`` findings, at least
#: this many; each further chunk doubles, up to ``SCAN_CHUNK`` (a page costs about its own
#: findings when most push a measure the department owns, a few more round trips when few do).
FIRST_CHUNK = 16
REACH_BATCH = 500


class Candidate(BaseModel):
    """A finding in force and the measures it could push (memoranda and matching rules)."""

    finding_id: str
    decided_on: dt.date
    pushed_on: dt.date = Field(description="the decision, or the re-activation after a review")
    subject_kind: Literal["ENTERPRISE", "PERSON"]
    region_code: str | None = None
    measures: list[str]


class WorklistEntry(BaseModel):
    """One subject or person a department must act on, with the measures it owns."""

    action: Action
    finding: FindingSummary
    target: Literal["SUBJECT", "LIABLE_PERSON"] = Field(
        description="SUBJECT = the listed enterprise or person; LIABLE_PERSON = reached by a rule"
    )
    enterprise: EnterpriseRef | None = Field(default=None, description="the listed enterprise")
    person: PersonRef | None = None
    measures: list[str] = Field(description="measures this department owns: to apply or to lift")
    measure_details: list[MeasureDetail] = Field(default_factory=list)
    choices: list[Choice] = Field(
        default_factory=list, description="graded alternatives the department chooses one of"
    )
    rules: list[str] = Field(description="rule ids that bring these measures (LIST = memoranda)")
    since: dt.date = Field(description="pushed on (APPLY), or stopped applying on (LIFT)")
    reason: str | None = Field(default=None, description="why a measure is to be lifted")
    evidence: list[Liability] = Field(
        default_factory=list, description="the engine's liabilities (finding, rule, path)"
    )
    feedback: list[Feedback] = Field(
        default_factory=list, description="feedback this department already gave for this entry"
    )


class Worklist(BaseModel):
    """A department's work list on ``as_of``: one page of findings to apply, and the lifts."""

    department: Department
    as_of: dt.date
    scope: Scope
    total_findings: int = Field(
        description="findings that push a measure it owns (an upper bound); when "
        "``total_exact`` is false, those counted before the page was full (a lower bound)"
    )
    total_exact: bool = Field(
        default=True,
        description="false when the scan stopped once the page was full, so that a page costs "
        "its own findings and not the whole list: more findings may follow ``next_offset``",
    )
    limit: int
    offset: int
    next_offset: int | None
    entries: list[WorklistEntry]
    lifts: int = Field(description="LIFT/RESTORE entries (all on the first page)")
    objections: list[Objection] = Field(
        default_factory=list,
        description="open objections against its own findings, with deadlines (first page)",
    )


# -- candidates -------------------------------------------------------------------------------


def pushed_on(row: Row, as_of: dt.date) -> dt.date:
    """The decision, or the latest return to ACTIVE/CORRECTED after a review, if later."""
    moves = list(zip(row["status_to"] or [], row["status_effective"] or [], strict=True))
    returns: list[dt.date] = [
        effective
        for (previous, _), (status, effective) in pairwise(moves)
        if previous == "UNDER_REVIEW" and status in ("ACTIVE", "CORRECTED") and effective <= as_of
    ]
    decided: dt.date = row["finding"]["decided_on"]
    return max([decided, *returns])


def _possible(reference: Snapshot, row: Row, as_of: dt.date) -> set[str]:
    finding, category, region = row["finding"], row["category"], row["region_code"]
    found = set(subject_measure_codes(reference, finding, category, as_of, region))
    for rule in row["rules"]:
        if _may_reach(rule, row):
            resolved = person_measures(reference, rule, finding, category, as_of, region, True)
            found.update(resolved.codes)
    return found


def _may_reach(rule: Row, row: Row) -> bool:
    """Whether a matching rule can reach anyone through this finding: a role at the listed
    enterprise, a capacity the finding names, or the listed person itself."""
    if rule.get("reaches_organisations"):
        return False
    if row["subject_kind"] == "PERSON":
        required = rule.get("subject_requires")
        return bool(rule.get("person_subjects")) and (
            not required or bool(row["finding"].get("exit_restricted"))
        )
    named = set(row["capacities"])
    return bool(
        rule.get("roles")
        or (rule.get("roles_if_named") and "DIRECTLY_RESPONSIBLE" in named)
        or named.intersection(rule.get("named_capacities") or [])
    )


def candidates(
    runner: QueryRunner,
    as_of: dt.date,
    *,
    scope: str | None = None,
    finding_ids: Sequence[str] | None = None,
    owned: Iterable[str] | None = None,
    enough: int | None = None,
) -> tuple[list[Candidate], bool]:
    """Findings in force on ``as_of`` (in ``scope``) that could push a measure (of ``owned``),
    newest decision first, read ``SCAN_CHUNK`` at a time; with ``enough``, the chunks grow from
    ``enough`` (``FIRST_CHUNK`` at least) and the reading stops after the chunk in which that
    many were found. Also whether it stopped before the end (``enough`` reached, or ``MAX_SCAN``
    findings read)."""
    reference = snapshot(runner)
    wanted = set(owned) if owned is not None else None
    found: list[Candidate] = []
    before, after_id, read = dt.date.max, None, 0
    chunk = SCAN_CHUNK if enough is None else min(SCAN_CHUNK, max(FIRST_CHUNK, enough))
    while True:
        size = min(chunk, MAX_SCAN - read)
        rows = runner.read(
            cypher("worklist_findings"),
            as_of=as_of,
            known_at=LATEST,
            finding_ids=list(finding_ids) if finding_ids is not None else None,
            scope=scope,
            before=before,
            after_id=after_id,
            limit=size,
        )
        read += len(rows)
        for row in rows:
            measures = _possible(reference, row, as_of)
            if wanted is not None:
                measures &= wanted
            if measures:
                found.append(
                    Candidate(
                        finding_id=row["finding"]["finding_id"],
                        decided_on=row["finding"]["decided_on"],
                        pushed_on=pushed_on(row, as_of),
                        subject_kind=row["subject_kind"],
                        region_code=row["region_code"],
                        measures=sorted(measures),
                    )
                )
        if len(rows) < size:
            return found, read >= MAX_SCAN
        if read >= MAX_SCAN or (enough is not None and len(found) >= enough):
            return found, True
        before, after_id = rows[-1]["finding"]["decided_on"], rows[-1]["finding"]["finding_id"]
        chunk = min(SCAN_CHUNK, 2 * chunk)


def reaches(
    runner: QueryRunner, finding_ids: Sequence[str], as_of: dt.date
) -> dict[str, FindingReach]:
    """The engine's reach of many findings on ``as_of``, ``REACH_BATCH`` per round trip."""
    found: dict[str, FindingReach] = {}
    for start in range(0, len(finding_ids), REACH_BATCH):
        found.update(findings_reach(runner, finding_ids[start : start + REACH_BATCH], as_of))
    return found


# -- entries ----------------------------------------------------------------------------------


def apply_entries(
    reach: FindingReach, owned: set[str], since: dt.date, feedback: Sequence[Feedback]
) -> list[WorklistEntry]:
    """The APPLY entries of one finding for a department owning ``owned``: one per subject or
    person, each measure once (a listed person's memoranda measures and the rules that reach
    them as the subject make one entry)."""
    listed = reach.subject_person.key if reach.subject_person else None
    groups: list[tuple[PersonRef | None, list[Liability]]] = []
    if reach.subject_measures is not None:
        groups.append((reach.subject_person, [reach.subject_measures]))
    for item in reach.liable:
        if listed is not None and item.person.key == listed and groups:
            groups[0][1].extend(item.liabilities)
        else:
            groups.append((item.person, list(item.liabilities)))
    entries = []
    for person, liabilities in groups:
        details = {d.code: d for li in liabilities for d in li.measure_details if d.code in owned}
        choices = [
            c.model_copy(update={"measures": [m for m in c.measures if m in owned]})
            for li in liabilities
            for c in li.choices
            if any(m in owned for m in c.measures)
        ]
        if not details and not choices:
            continue
        evidence = [
            li
            for li in liabilities
            if owned.intersection(li.measures)
            or any(owned.intersection(c.measures) for c in li.choices)
        ]
        subject = person is None or person.key == listed
        entries.append(
            WorklistEntry(
                action="APPLY",
                finding=reach.finding,
                target="SUBJECT" if subject else "LIABLE_PERSON",
                enterprise=reach.enterprise,
                person=person,
                measures=sorted(details),
                measure_details=[details[code] for code in sorted(details)],
                choices=choices,
                rules=sorted({li.rule for li in evidence}),
                since=since,
                evidence=evidence,
                feedback=_feedback_for(feedback, reach, None if subject else person),
            )
        )
    return entries


def _feedback_for(
    feedback: Sequence[Feedback], reach: FindingReach, person: PersonRef | None
) -> list[Feedback]:
    if person is not None:
        target: tuple[str, ...] = ("PERSON", person.id_type, person.id_number or "")
    elif reach.enterprise is not None:
        target = ("ENTERPRISE", reach.enterprise.uscc)
    else:
        subject = reach.subject_person
        target = ("PERSON", subject.id_type, subject.id_number or "") if subject else ()
    return [
        item
        for item in feedback
        if item.finding_id == reach.finding.finding_id and item.target == target
    ]


def _open_applied(feedback: Sequence[Feedback]) -> dict[tuple[str, tuple[str, ...], str], Feedback]:
    """Per (finding, target, measure): the APPLIED feedback not lifted or restored since."""
    latest: dict[tuple[str, tuple[str, ...], str], Feedback] = {}
    for item in sorted(feedback, key=lambda fb: fb.recorded_at):
        latest[(item.finding_id, item.target, item.measure)] = item
    return {key: item for key, item in latest.items() if item.outcome == "APPLIED"}


def lift_entries(
    runner: QueryRunner,
    as_of: dt.date,
    department_code: str | None,
    scope: str | None,
) -> list[tuple[str, WorklistEntry]]:
    """(department, entry) for every measure a department applied that no longer applies on
    ``as_of`` to its subject or person — LIFT, or RESTORE after a revocation or a wrongful
    naming."""
    open_items = _open_applied(applied_by(runner, department_code))
    if not open_items:
        return []
    ids = sorted({finding_id for finding_id, _, _ in open_items})
    reached = reaches(runner, ids, as_of)
    released = _releases(runner, open_items, as_of)
    grouped: dict[tuple[str, str, tuple[str, ...]], list[Feedback]] = {}
    for (finding_id, target, measure), item in open_items.items():
        reach = reached.get(finding_id)
        if reach is None or measure in reached_measures(reach, target):
            continue
        region = reach.finding.region_code
        if scope and region is not None and not region.startswith(scope):
            continue
        grouped.setdefault((item.department, finding_id, target), []).append(item)
    entries = []
    for (code, finding_id, target), items in sorted(grouped.items()):
        reach = reached[finding_id]
        status = reach.finding.status_on_date
        wrongful, released_on = released.get((finding_id, target), (False, None))
        restore = status == "REVOKED" or wrongful
        person = items[0].person
        entries.append(
            (
                code,
                WorklistEntry(
                    action="RESTORE" if restore else "LIFT",
                    finding=reach.finding,
                    target="LIABLE_PERSON"
                    if person and reach.subject_person is None
                    else "SUBJECT",
                    enterprise=reach.enterprise,
                    person=person,
                    measures=sorted(item.measure for item in items),
                    rules=[],
                    since=_stopped_on(reach, released_on),
                    reason=_lift_reason(reach, restore),
                    feedback=items,
                ),
            )
        )
    return entries


def _stopped_on(reach: FindingReach, released_on: dt.date | None) -> dt.date:
    """The day the measure stopped applying: the end of the finding's run of applying days,
    or the day a release of the person took effect."""
    finding = reach.finding
    if not finding.applies and finding.stopped_on is not None:
        return finding.stopped_on
    return released_on or reach.as_of


def _lift_reason(reach: FindingReach, restore: bool) -> str:
    finding = reach.finding
    if restore:
        return "wrongly listed or named: lift and restore reputation (恢复信誉、消除不良影响)"
    if not finding.applies:
        return finding.not_applying_reason or "the finding no longer applies"
    return "the finding no longer applies to this person (released or suspended)"


def _releases(
    runner: QueryRunner, items: Mapping[tuple[str, tuple[str, ...], str], Feedback], as_of: dt.date
) -> dict[tuple[str, tuple[str, ...]], tuple[bool, dt.date | None]]:
    """Per (finding, person): whether a release was wrongful (restore reputation) and the
    day the person's releases took effect (on or before ``as_of``)."""
    pairs = [
        {"finding_id": fid, "id_type": target[1], "id_number": target[2]}
        for fid, target, _ in items
        if target[0] == "PERSON"
    ]
    if not pairs:
        return {}
    rows = runner.read(cypher("worklist_releases"), pairs=pairs, as_of=as_of)
    return {
        (row["finding_id"], ("PERSON", row["id_type"], row["id_number"])): (
            bool(row["wrongful"]),
            row["effective_on"],
        )
        for row in rows
    }


def worklist(
    runner: QueryRunner,
    department_code: str,
    as_of: dt.date,
    limit: int = 50,
    offset: int = 0,
    scope: Scope = "REGION",
) -> Worklist:
    """What ``department_code`` must apply and lift on ``as_of``, with the measures it owns.

    ``limit``/``offset`` page over the findings (newest decision first) that push a measure the
    department owns; each yields an entry for the listed subject and one per liable person. The
    LIFT/RESTORE entries come on the first page. ``NotFound`` for an unknown department.
    """
    check_page(limit, offset, MAX_PAGE)
    dept = department(runner, department_code, as_of)
    region = dept.scope if scope == "REGION" else None
    found, partial = (
        candidates(runner, as_of, scope=region, owned=dept.measures, enough=offset + limit + 1)
        if dept.measures
        else ([], False)
    )
    page = found[offset : offset + limit]
    reached = reaches(runner, [item.finding_id for item in page], as_of)
    feedback = feedback_on(runner, [item.finding_id for item in page], dept.code)
    owned = set(dept.measures)
    entries = [
        entry
        for item in page
        if item.finding_id in reached
        for entry in apply_entries(reached[item.finding_id], owned, item.pushed_on, feedback)
    ]
    lifts = (
        [entry for _, entry in lift_entries(runner, as_of, dept.code, region)]
        if offset == 0
        else []
    )
    following = offset + len(page)
    return Worklist(
        department=dept,
        as_of=as_of,
        scope=scope,
        total_findings=len(found),
        total_exact=not partial,
        limit=limit,
        offset=offset,
        next_offset=following if following < len(found) else None,
        entries=[*lifts, *entries],
        lifts=len(lifts),
        objections=list_objections(runner, dept.code, "OPEN", today=as_of) if offset == 0 else [],
    )
