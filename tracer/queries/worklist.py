"""Initiate, push, feedback (DOMAIN.md §9): department work lists, feedback, overdue feedback.

A department *owns* a measure when its kind is in the measure's ``department_kinds``. The kind is
the Department node's ``kind`` property (the optional ``kind`` column of ``departments``); when
it is absent it is derived from the department's name (Chinese keywords such as 人民法院 → COURT,
税务 → TAX, 市场监督管理 → MARKET_SUPERVISION) or, failing that, from a known kind spelled in its
code (``COURT-5001``). A department whose kind cannot be told owns nothing and gets an empty list.

A department with a ``region_code`` sees findings against enterprises of its region (the code
with trailing ``00`` pairs removed is a prefix: 500000 → 50, 500100 → 5001); findings against
persons, enterprises without a region and departments without one (or 000000/100000) are national.

Who is liable for a finding, and with which measures, comes from the liability engine
(``findings_reach``, one round trip per page); the measures hitting the listed enterprise
itself are the catalogue measures no rule claims plus the SUBJECT/BOTH measures of the rules
matching the finding.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.errors import Conflict, InvalidInput, NotFound
from tracer.queries.catalogue import cypher
from tracer.queries.liability import (
    FindingReach,
    FindingSummary,
    Liability,
    PersonCheck,
    check_people,
    finding_reach,
    findings_reach,
)
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.paths import SubjectKey
from tracer.queries.runner import QueryRunner, Row

Outcome = Literal["APPLIED", "NOT_APPLICABLE", "REFUSED"]
OUTCOMES: tuple[Outcome, ...] = ("APPLIED", "NOT_APPLICABLE", "REFUSED")
KindSource = Literal["DECLARED", "NAME", "CODE"]

MAX_PAGE = 500
MAX_DEPARTMENTS = 10_000
MAX_FEEDBACK = 10_000
#: Upper bound of findings ``overdue_feedback`` and the statistics examine in one call.
MAX_SCAN = 20_000
CHECK_BATCH = 1_000
NATIONAL_REGIONS = frozenset({"000000", "100000"})

#: Name keywords → department kind, most specific first (first match wins).
NAME_KINDS: tuple[tuple[str, str], ...] = (
    ("人民银行", "PBOC"),
    ("公共资源交易", "PUBLIC_RESOURCE_TRADING"),
    ("行政审批", "ADMINISTRATIVE_APPROVAL"),
    ("市场监督", "MARKET_SUPERVISION"),
    ("市场监管", "MARKET_SUPERVISION"),
    ("工商行政", "MARKET_SUPERVISION"),
    ("食品药品", "MARKET_SUPERVISION"),
    ("法院", "COURT"),
    ("税务", "TAX"),
    ("审计", "AUDIT"),
    ("发展和改革", "DEVELOPMENT_REFORM"),
    ("发展改革", "DEVELOPMENT_REFORM"),
    ("发改", "DEVELOPMENT_REFORM"),
    ("信用办", "DEVELOPMENT_REFORM"),
    ("证监", "SECURITIES_REGULATOR"),
    ("证券监督", "SECURITIES_REGULATOR"),
    ("银保监", "BANKING_REGULATOR"),
    ("银行保险", "BANKING_REGULATOR"),
    ("金融监督", "FINANCIAL_REGULATOR"),
    ("金融监管", "FINANCIAL_REGULATOR"),
    ("金融工作", "FINANCIAL_REGULATOR"),
    ("网信", "CYBERSPACE"),
    ("互联网信息", "CYBERSPACE"),
    ("经济和信息化", "INDUSTRY_INFORMATION"),
    ("工业和信息化", "INDUSTRY_INFORMATION"),
    ("经信", "INDUSTRY_INFORMATION"),
    ("财政", "FINANCE"),
    ("住房", "HOUSING"),
    ("住建", "HOUSING"),
    ("城乡建设", "HOUSING"),
    ("卫生", "HEALTH"),
    ("卫健", "HEALTH"),
    ("应急管理", "EMERGENCY_MANAGEMENT"),
    ("安全生产监督", "EMERGENCY_MANAGEMENT"),
    ("生态环境", "ECOLOGY_ENVIRONMENT"),
    ("环境保护", "ECOLOGY_ENVIRONMENT"),
    ("文明", "CIVILISATION_OFFICE"),
    ("人力资源", "HUMAN_RESOURCES"),
    ("国有资产", "SASAC"),
    ("国资", "SASAC"),
    ("出入境", "IMMIGRATION"),
    ("移民", "IMMIGRATION"),
    ("公安", "PUBLIC_SECURITY"),
    ("自然资源", "NATURAL_RESOURCES"),
    ("国土", "NATURAL_RESOURCES"),
    ("不动产登记", "NATURAL_RESOURCES"),
    ("民航", "CIVIL_AVIATION"),
    ("民用航空", "CIVIL_AVIATION"),
    ("铁路", "RAILWAY"),
    ("文化和旅游", "CULTURE_TOURISM"),
    ("文化旅游", "CULTURE_TOURISM"),
    ("旅游", "CULTURE_TOURISM"),
    ("协会", "INDUSTRY_ASSOCIATION"),
    ("宣传", "PUBLICITY"),
    ("广播电视", "MEDIA"),
    ("新闻", "MEDIA"),
)


# -- departments ----------------------------------------------------------------------------


class Department(BaseModel):
    """A department, the kind it is treated as, and the measures it owns."""

    code: str
    name: str | None = None
    region_code: str | None = None
    kind: str | None = None
    kind_source: KindSource | None = Field(
        default=None, description="DECLARED (node property) or derived from the NAME or CODE"
    )
    measures: list[str] = Field(description="measure codes the department implements")
    scope: str | None = Field(default=None, description="region_code prefix it covers; null = all")


def derive_department_kind(
    code: str, name: str | None, known_kinds: Iterable[str]
) -> tuple[str, KindSource] | None:
    """The kind of a department without a ``kind`` property: from its name, else its code."""
    for keyword, kind in NAME_KINDS:
        if name and keyword in name:
            return kind, "NAME"
    upper = code.upper()
    for kind in sorted(known_kinds, key=len, reverse=True):
        if kind in upper:
            return kind, "CODE"
    return None


def region_scope(region_code: str | None) -> str | None:
    """The region_code prefix a department covers (None = nationwide)."""
    if not region_code or region_code in NATIONAL_REGIONS:
        return None
    scope = region_code
    while len(scope) > 2 and scope.endswith("00"):
        scope = scope[:-2]
    return scope


def _department(raw: Row, measures: Sequence[Row]) -> Department:
    known = {kind for measure in measures for kind in measure.get("department_kinds") or []}
    kind: str | None = raw.get("kind")
    source: KindSource | None = "DECLARED" if kind else None
    if not kind:
        derived = derive_department_kind(raw["code"], raw.get("name"), known)
        if derived:
            kind, source = derived
    owned = sorted(
        measure["code"] for measure in measures if kind in (measure.get("department_kinds") or [])
    )
    return Department(
        code=raw["code"],
        name=raw.get("name"),
        region_code=raw.get("region_code"),
        kind=kind,
        kind_source=source,
        measures=owned,
        scope=region_scope(raw.get("region_code")),
    )


def _departments(
    runner: QueryRunner, codes: Sequence[str] | None
) -> tuple[set[str], list[Department]]:
    row = runner.read_one(
        cypher("worklist_departments"),
        codes=list(codes) if codes is not None else None,
        limit=MAX_DEPARTMENTS,
    )
    if row is None:
        return set(), []
    measures = row["measures"]
    return {m["code"] for m in measures}, [_department(raw, measures) for raw in row["departments"]]


def departments(runner: QueryRunner, codes: Sequence[str] | None = None) -> list[Department]:
    """Departments (all, or ``codes``) with their kinds and owned measures, by code."""
    return _departments(runner, codes)[1]


def department(runner: QueryRunner, code: str) -> Department:
    """One department with its owned measures; ``NotFound`` for an unknown code."""
    found = departments(runner, [code])
    if not found:
        raise NotFound(f"no department with code {code!r}")
    return found[0]


# -- findings and the measures they push ----------------------------------------------------


class PushedFinding(BaseModel):
    """A finding applying on a date and the measures it pushes (before looking at persons)."""

    finding_id: str
    decided_on: dt.date
    pushed_on: dt.date
    subject_kind: Literal["ENTERPRISE", "PERSON"]
    subject_measures: dict[str, list[str]] = Field(
        description="measure → rules hitting the listed enterprise with it ('CATALOGUE' = no rule)"
    )
    person_measures: list[str] = Field(description="measures of matching rules for liable persons")


CATALOGUE = "CATALOGUE"


def _pushed(row: Row) -> PushedFinding:
    subject: dict[str, list[str]] = {}
    for item in row["subject_measures"]:
        rules = subject.setdefault(item["measure"], [])
        rule = item["rule"] or CATALOGUE
        if rule not in rules:
            rules.append(rule)
    return PushedFinding(
        finding_id=row["finding_id"],
        decided_on=row["decided_on"],
        pushed_on=row["pushed_on"],
        subject_kind=row["subject_kind"],
        subject_measures=subject,
        person_measures=sorted(set(row["person_measures"])),
    )


def pushed_findings(
    runner: QueryRunner,
    as_of: dt.date,
    *,
    finding_ids: Sequence[str] | None = None,
    owned: Sequence[str] | None = None,
    scope: str | None = None,
    limit: int = MAX_PAGE,
    offset: int = 0,
) -> tuple[int, list[PushedFinding]]:
    """Findings applying on ``as_of`` that push at least one measure (of ``owned``, if given).

    Returns the total and one page, newest decision first.
    """
    row = runner.read_one(
        cypher("worklist_findings"),
        as_of=as_of,
        finding_ids=list(finding_ids) if finding_ids is not None else None,
        owned=list(owned) if owned is not None else None,
        scope=scope,
        skip=offset,
        limit=limit,
    )
    if row is None:
        return 0, []
    return int(row["total"]), [_pushed(item) for item in row["page"]]


def reaches(
    runner: QueryRunner, finding_ids: Iterable[str], as_of: dt.date
) -> dict[str, FindingReach]:
    """The liability engine's reach of each finding on ``as_of`` (one round trip)."""
    return findings_reach(runner, list(finding_ids), as_of)


def linked_people(
    runner: QueryRunner, as_of: dt.date, min_findings: int = 1, limit: int = MAX_SCAN
) -> list[tuple[str, str]]:
    """Persons linked to at least ``min_findings`` findings applying on ``as_of`` (candidates
    for the engine), most links first; at most ``limit``."""
    rows = runner.read(
        cypher("worklist_linked_persons"), as_of=as_of, min_findings=min_findings, limit=limit
    )
    return [(row["id_type"], row["id_number"]) for row in rows]


def checks(
    runner: QueryRunner, people: Sequence[tuple[str, str]], as_of: dt.date
) -> Iterator[PersonCheck]:
    """The engine's ``check_people`` answers for many people, ``CHECK_BATCH`` per round trip."""
    for start in range(0, len(people), CHECK_BATCH):
        yield from check_people(runner, people[start : start + CHECK_BATCH], as_of)


# -- feedback -------------------------------------------------------------------------------


class Feedback(BaseModel):
    """One implementer feedback (append-only)."""

    feedback_id: str
    department: str
    finding_id: str
    subject_kind: Literal["ENTERPRISE", "PERSON"]
    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None
    measure: str
    outcome: Outcome
    on: dt.date
    reason: str | None = None
    recorded_at: dt.datetime
    actor: str


def _feedback(raw: Row) -> Feedback:
    subject_id = str(raw["subject_id"])
    person = None
    enterprise = None
    if raw["subject_kind"] == "PERSON":
        id_type, _, number = subject_id.partition(":")
        person = PersonRef.of(id_type, number)
    else:
        enterprise = EnterpriseRef(uscc=subject_id)
    return Feedback(
        feedback_id=raw["feedback_id"],
        department=raw["department"],
        finding_id=raw["finding_id"],
        subject_kind=raw["subject_kind"],
        enterprise=enterprise,
        person=person,
        measure=raw["measure"],
        outcome=raw["outcome"],
        on=raw["on"],
        reason=raw.get("reason"),
        recorded_at=raw["recorded_at"],
        actor=raw["actor"],
    )


def feedback_on(
    runner: QueryRunner, finding_ids: Sequence[str], department_code: str | None = None
) -> list[Feedback]:
    """Feedback recorded on ``finding_ids`` (by one department, if given), oldest first."""
    if not finding_ids:
        return []
    rows = runner.read(
        cypher("feedback_by_findings"),
        finding_ids=list(finding_ids),
        department=department_code,
        limit=MAX_FEEDBACK,
    )
    return [_feedback(row["feedback"]) for row in rows]


def _subject_id(key: SubjectKey) -> tuple[Literal["ENTERPRISE", "PERSON"], str]:
    if key.uscc is not None:
        return "ENTERPRISE", key.uscc
    return "PERSON", f"{key.id_type}:{key.id_number}"


def _reached_measures(
    reach: FindingReach, pushed: PushedFinding | None, key: SubjectKey
) -> list[str]:
    """Measures the finding applies to ``key`` (the listed enterprise, or a liable person)."""
    if key.uscc is not None:
        if reach.enterprise is None or reach.enterprise.uscc != key.uscc or pushed is None:
            return []
        return list(pushed.subject_measures)
    for item in reach.liable:
        if (item.person.id_type, item.person.id_number) == (key.id_type, key.id_number):
            return sorted({code for liability in item.liabilities for code in liability.measures})
    return []


def record_feedback(
    runner: QueryRunner,
    department_code: str,
    finding_id: str,
    subject: SubjectKey,
    measure: str,
    outcome: str,
    on: dt.date,
    reason: str | None,
    actor: str,
) -> Feedback:
    """Record what a department did about one measure for one subject of a finding.

    Validates: outcome is APPLIED, NOT_APPLICABLE or REFUSED (a reason is required unless
    APPLIED), an actor is named, ``on`` is not in the future (``InvalidInput``); the department,
    finding and measure exist (``NotFound``); the department owns the measure, the finding
    applies on ``on`` and reaches ``subject`` with that measure (``Conflict``).
    """
    outcome = outcome.strip().upper()
    if outcome not in OUTCOMES:
        raise InvalidInput(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    if not actor or not actor.strip():
        raise InvalidInput("feedback must name its actor")
    reason = reason.strip() if reason else None
    if outcome != "APPLIED" and not reason:
        raise InvalidInput(f"a {outcome} feedback needs a reason")
    if on > dt.datetime.now(dt.UTC).date():
        raise InvalidInput(f"feedback date {on} is in the future")
    key = subject.normalised()
    measure = measure.strip().upper()
    catalogue, found = _departments(runner, [department_code])
    if not found:
        raise NotFound(f"no department with code {department_code!r}")
    dept = found[0]
    if measure not in catalogue:
        raise NotFound(f"no measure with code {measure!r}")
    if measure not in dept.measures:
        raise Conflict(
            f"department {dept.code} ({dept.kind or 'kind unknown'}) does not implement {measure}; "
            f"it owns: {', '.join(dept.measures) or 'nothing'}"
        )
    reach = finding_reach(runner, finding_id, on)
    if not reach.finding.applies:
        raise Conflict(
            f"finding {finding_id} does not apply on {on} ({reach.finding.not_applying_reason}): "
            "no measure is to be applied"
        )
    _, pushed = pushed_findings(runner, on, finding_ids=[finding_id], limit=1)
    reached = _reached_measures(reach, pushed[0] if pushed else None, key)
    if measure not in reached:
        what = (
            "is not reached by" if not reached else f"is reached only with {', '.join(reached)} by"
        )
        raise Conflict(f"subject {what} finding {finding_id} on {on}; cannot record {measure}")
    subject_kind, subject_id = _subject_id(key)
    properties: dict[str, Any] = {
        "feedback_id": uuid.uuid4().hex,
        "department": dept.code,
        "finding_id": finding_id,
        "subject_kind": subject_kind,
        "subject_id": subject_id,
        "measure": measure,
        "outcome": outcome,
        "on": on,
        "recorded_at": dt.datetime.now(dt.UTC),
        "actor": actor.strip(),
    }
    if reason:
        properties["reason"] = reason
    rows = runner.write(cypher("feedback_record"), feedback=properties)
    return _feedback(rows[0]["feedback"])


# -- work lists -----------------------------------------------------------------------------


class WorklistEntry(BaseModel):
    """One subject or liable person the department must restrict, with the measures it owns."""

    finding: FindingSummary
    target: Literal["SUBJECT", "LIABLE_PERSON"] = Field(
        description="SUBJECT = the listed enterprise or person; LIABLE_PERSON = reached via a rule"
    )
    enterprise: EnterpriseRef | None = Field(default=None, description="the listed enterprise")
    person: PersonRef | None = None
    measures: list[str] = Field(description="measures this department owns and must apply")
    rules: list[str] = Field(description="rule ids that bring these measures ('CATALOGUE' = none)")
    evidence: list[Liability] = Field(
        default_factory=list, description="the engine's liabilities (finding, rule, path)"
    )
    feedback: list[Feedback] = Field(
        default_factory=list, description="feedback this department already gave for this entry"
    )


class Worklist(BaseModel):
    """A department's work list on ``as_of``: one page of findings, as entries."""

    department: Department
    as_of: dt.date
    total_findings: int
    limit: int
    offset: int
    next_offset: int | None
    entries: list[WorklistEntry]


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be in 1..{MAX_PAGE}")
    if offset < 0:
        raise InvalidInput("offset must be >= 0")


def _target_key(enterprise: EnterpriseRef | None, person: PersonRef | None) -> tuple[str, ...]:
    if person is not None:
        return ("PERSON", person.id_type, person.id_number or "")
    return ("ENTERPRISE", enterprise.uscc if enterprise else "")


def _feedback_for(
    feedback: Sequence[Feedback],
    finding_id: str,
    enterprise: EnterpriseRef | None,
    person: PersonRef | None,
) -> list[Feedback]:
    target = _target_key(enterprise, person)
    return [
        item
        for item in feedback
        if item.finding_id == finding_id and _target_key(item.enterprise, item.person) == target
    ]


def _entries(
    pushed: PushedFinding,
    reach: FindingReach,
    owned: set[str],
    feedback: Sequence[Feedback],
) -> list[WorklistEntry]:
    entries = []
    if pushed.subject_measures and reach.enterprise is not None:
        measures = sorted(code for code in pushed.subject_measures if code in owned)
        if measures:
            rules = sorted({rule for code in measures for rule in pushed.subject_measures[code]})
            entries.append(
                WorklistEntry(
                    finding=reach.finding,
                    target="SUBJECT",
                    enterprise=reach.enterprise,
                    measures=measures,
                    rules=rules,
                    feedback=_feedback_for(feedback, pushed.finding_id, reach.enterprise, None),
                )
            )
    for item in reach.liable:
        evidence = [
            liability for liability in item.liabilities if owned.intersection(liability.measures)
        ]
        if not evidence:
            continue
        subject = all(liability.via == "SUBJECT" for liability in evidence)
        entries.append(
            WorklistEntry(
                finding=reach.finding,
                target="SUBJECT" if subject else "LIABLE_PERSON",
                enterprise=reach.enterprise,
                person=item.person,
                measures=sorted({code for li in evidence for code in li.measures if code in owned}),
                rules=sorted({liability.rule for liability in evidence}),
                evidence=evidence,
                feedback=_feedback_for(feedback, pushed.finding_id, None, item.person),
            )
        )
    return entries


def worklist(
    runner: QueryRunner, department_code: str, as_of: dt.date, limit: int = 50, offset: int = 0
) -> Worklist:
    """What ``department_code`` must restrict on ``as_of``, with the measures it owns.

    ``limit``/``offset`` page over the findings (newest decision first) that push a measure the
    department owns; each yields an entry for the listed enterprise and one per liable person.
    Findings under review, revoked, repaired, expired or outside the department's region are not
    on the list. ``NotFound`` for an unknown department.
    """
    _check_page(limit, offset)
    dept = department(runner, department_code)
    if not dept.measures:
        return Worklist(
            department=dept,
            as_of=as_of,
            total_findings=0,
            limit=limit,
            offset=offset,
            next_offset=None,
            entries=[],
        )
    total, page = pushed_findings(
        runner, as_of, owned=dept.measures, scope=dept.scope, limit=limit, offset=offset
    )
    ids = [item.finding_id for item in page]
    reached = reaches(runner, ids, as_of)
    feedback = feedback_on(runner, ids, dept.code)
    owned = set(dept.measures)
    entries = [
        entry
        for item in page
        for entry in _entries(item, reached[item.finding_id], owned, feedback)
    ]
    following = offset + len(page)
    return Worklist(
        department=dept,
        as_of=as_of,
        total_findings=total,
        limit=limit,
        offset=offset,
        next_offset=following if following < total else None,
        entries=entries,
    )


# -- overdue feedback (跟踪问效) -------------------------------------------------------------


class OverdueFinding(BaseModel):
    """A finding pushed to a department more than N days ago without any feedback from it."""

    finding_id: str
    pushed_on: dt.date
    days_waiting: int
    measures: list[str] = Field(description="measures the department owns that this finding pushes")


class DepartmentOverdue(BaseModel):
    """A department's findings with no feedback after the deadline (落实不力)."""

    department: Department
    overdue: list[OverdueFinding]


class OverdueReport(BaseModel):
    """Overdue feedback per department on ``as_of``."""

    as_of: dt.date
    days: int
    findings_examined: int
    truncated: bool = Field(description="more findings applied than were examined")
    departments: list[DepartmentOverdue]


def department_pushes(
    runner: QueryRunner,
    as_of: dt.date,
    pushed_before: dt.date | None = None,
    people: Sequence[PersonCheck] | None = None,
) -> tuple[list[Department], dict[str, list[tuple[PushedFinding, list[str]]]], int, bool]:
    """Which findings (pushed on or before ``pushed_before``) reach which department on ``as_of``.

    A finding's measures are those hitting its listed enterprise plus every measure of the
    liabilities the engine finds for it (``people``: the engine's checks of everyone linked to an
    applying finding, computed here when not given). Returns the departments, department code →
    [(finding, owned measures it pushes)], the number of findings examined and whether a scan hit
    ``MAX_SCAN``.
    """
    total, page = pushed_findings(runner, as_of, limit=MAX_SCAN)
    truncated = total > len(page)
    if people is None:
        candidates = linked_people(runner, as_of)
        truncated = truncated or len(candidates) >= MAX_SCAN
        people = list(checks(runner, candidates, as_of))
    by_finding: dict[str, set[str]] = {}
    for check in people:
        for liability in check.liabilities:
            by_finding.setdefault(liability.finding_id, set()).update(liability.measures)
    if pushed_before is not None:
        page = [item for item in page if item.pushed_on <= pushed_before]
    depts = departments(runner)
    regions = _subject_regions(runner, page)
    result: dict[str, list[tuple[PushedFinding, list[str]]]] = {d.code: [] for d in depts}
    for item in page:
        measures = set(item.subject_measures) | by_finding.get(item.finding_id, set())
        region = regions.get(item.finding_id)
        for dept in depts:
            if dept.scope and region and not region.startswith(dept.scope):
                continue
            owned = sorted(measures.intersection(dept.measures))
            if owned:
                result[dept.code].append((item, owned))
    return depts, result, len(page), truncated


def _subject_regions(runner: QueryRunner, page: Sequence[PushedFinding]) -> Mapping[str, str]:
    ids = [item.finding_id for item in page if item.subject_kind == "ENTERPRISE"]
    if not ids:
        return {}
    rows = runner.read(cypher("worklist_subject_regions"), finding_ids=ids, limit=len(ids))
    return {row["finding_id"]: row["region_code"] for row in rows if row["region_code"]}


def overdue_feedback(runner: QueryRunner, as_of: dt.date, days: int = 30) -> OverdueReport:
    """Findings whose measures were pushed to a department more than ``days`` days before
    ``as_of`` (and still apply) with no feedback from that department, per department."""
    if not 0 <= days <= 3650:
        raise InvalidInput("days must be in 0..3650")
    deadline = as_of - dt.timedelta(days=days)
    depts, pushes, examined, truncated = department_pushes(runner, as_of, pushed_before=deadline)
    ids = sorted({item.finding_id for items in pushes.values() for item, _ in items})
    rows = (
        runner.read(cypher("feedback_answered"), finding_ids=ids, limit=MAX_FEEDBACK * 10)
        if ids
        else []
    )
    answered = {(row["department"], row["finding_id"]) for row in rows}
    report = []
    for dept in depts:
        overdue = [
            OverdueFinding(
                finding_id=item.finding_id,
                pushed_on=item.pushed_on,
                days_waiting=(as_of - item.pushed_on).days,
                measures=measures,
            )
            for item, measures in pushes[dept.code]
            if (dept.code, item.finding_id) not in answered
        ]
        if overdue:
            overdue.sort(key=lambda entry: (-entry.days_waiting, entry.finding_id))
            report.append(DepartmentOverdue(department=dept, overdue=overdue))
    return OverdueReport(
        as_of=as_of, days=days, findings_examined=examined, truncated=truncated, departments=report
    )
