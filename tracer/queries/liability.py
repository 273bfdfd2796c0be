"""Derived liability: who a finding reaches on a date, through what, and which measures apply
(DOMAIN.md §5, §5b, §8).

Nothing is copied: every answer is computed at query time from the findings' stored status lines,
the positions, the namings and releases, and the installed rules and memoranda (all versioned).
Two times: ``as_of`` is the date the answer is about; ``known_at`` (default: as now known)
answers as the system would have at that instant.

The Cypher returns *hits* — every (finding, rule, route) that could reach a person — with flags;
this module decides each hit once, in one place (``_decide``): a liability (held the role on the
list type's reference date, or named, or the listed person), or an exposure (in office during the
act period, appointed after the reference date, released, on a list that names its persons).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.errors import NotFound, UnknownCode
from tracer.domain.keys import PersonKey, SubjectKey
from tracer.queries.catalogue import cypher
from tracer.queries.departments import name_kinds
from tracer.queries.lifecycle import TransitionRecord, transitions
from tracer.queries.measures import (
    Choice,
    MeasureDetail,
    NotApplied,
    Resolved,
    eligible,
    person_measures,
    subject_measures,
)
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.ownership import Chain, actual_controllers
from tracer.queries.reference import Snapshot, snapshot
from tracer.queries.runner import QueryRunner, Row
from tracer.queries.staff import staff_notices
from tracer.queries.timeline import LATEST, history, status_on, stopped_on

#: Upper bound of hits returned per person (or finding) and route.
MAX_ROWS = 1000
#: Subjects one batch check may carry, and per round trip.
MAX_BATCH = 10_000
CHECK_BATCH = 1_000
#: The share from which an upstream holder is related risk (DOMAIN §5b, §6).
RISK_SHARE = 0.25
EPSILON = 1e-9
#: The capacity that extends a restriction to an officer appointed after the decision (R5).
SUCCESSOR_CAPACITY = "RESTRICTED_OFFICER"
#: The pseudo-rule of the measures the memoranda apply to the listed subject itself.
LIST_RULE = "LIST"

Route = Literal["ROLE", "ROLE_IF_NAMED", "NAMED", "SUBJECT", "LIST"]
ExposureKind = Literal[
    "IN_OFFICE_DURING_ACT_PERIOD",
    "APPOINTED_AFTER_REFERENCE",
    "RELEASED",
    "NAMED_ONLY_LIST",
    "DERIVED_CONTROLLER",
]
_ROUTE_ORDER = {"ROLE": 0, "ROLE_IF_NAMED": 1, "NAMED": 2, "SUBJECT": 3, "LIST": 4}
_FINDING_PATH_PROPS = ("list_type", "status", "act_date", "decided_on")
_EDGE_PATH_PROPS = (
    "role", "capacity", "qualification", "share", "start_date", "end_date", "effective_on",
)  # fmt: skip
IN_OFFICE_DURING_ACT = "in office during the act period, not on the reference date"
APPOINTED_AFTER_ACT = "appointed after the act"
APPOINTED_AFTER_LISTING = "appointed after the listing"
SUCCESSOR = (
    "appointed after the court's decision: the court may extend the restriction to the new "
    "officer, who is liable only once named RESTRICTED_OFFICER"
)
RELEASED = "released from this finding"
NAMED_ONLY = "this list names its responsible persons: not liable by role alone"
DERIVED_CONTROLLER = (
    "derived actual controller: a candidate for the authority to confirm, not liable unless named"
)


class PathNode(BaseModel):
    """A node of an evidence path."""

    element: Literal["node"] = "node"
    label: str
    key: str | None = None
    name: str | None = None
    person: PersonRef | None = None
    properties: dict[str, Any] = Field(default_factory=dict)


class PathRelationship(BaseModel):
    """A relationship of an evidence path; ``direction`` is relative to the reading order."""

    element: Literal["relationship"] = "relationship"
    type: str
    direction: Literal["forward", "backward"]
    properties: dict[str, Any] = Field(default_factory=dict)


PathElement = PathNode | PathRelationship


class Liability(BaseModel):
    """One (finding, rule) that reaches a subject on the date, with its measures and evidence.

    ``rule`` is a rule id (R1 …), or ``LIST`` for the measures the list type's memoranda apply
    to the listed subject itself.
    """

    finding_id: str
    rule: str
    rule_name: str
    via: str = Field(description="role, named capacity, or SUBJECT for the listed subject")
    role: str | None = None
    capacity: str | None = None
    vias: list[str] = Field(
        description="every route reaching the subject for this finding and rule"
    )
    enterprise: EnterpriseRef | None = None
    list_type: str | None = None
    category: str | None = None
    ground: str | None = None
    act_date: dt.date | None = None
    decided_on: dt.date
    reference: str = Field(description="ACT_DATE, DECIDED_ON, NAMED, SUBJECT or LIST")
    basis_date: dt.date = Field(description="the date the role had to be held on")
    effects: list[str]
    measures: list[str] = Field(description="codes of the measures that apply on the date")
    measure_details: list[MeasureDetail]
    eligible_measures: list[str] = Field(
        default_factory=list,
        description="for the authority to decide (依法依规); never restricting",
    )
    choices: list[Choice] = Field(default_factory=list)
    not_applied: list[NotApplied] = Field(default_factory=list)
    restricting: bool = Field(description="at least one measure restricts (§5b)")
    carries_measure: bool | None = Field(
        default=None,
        description="with a measure asked: whether this liability is evidence for it "
        "(applied, a choice or eligible); null when none was asked",
    )
    effective_until: dt.date | None = Field(description="end of this liability's period, if known")
    period_basis: str | None = Field(
        default=None, description="DECISION, DEFAULT, OPEN (until performance / removal) or RULE"
    )
    period_note: str | None = None
    path: list[PathElement]
    source: str


class Exposure(BaseModel):
    """A person around a listed enterprise who is *not* liable for the finding (investigators)."""

    finding_id: str
    role: str
    kind: ExposureKind
    since: dt.date | None
    until: dt.date | None = None
    reason: str
    rules: list[str] = Field(default_factory=list)
    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None
    candidate: bool = Field(
        default=False, description="a derived actual controller for the authority to confirm"
    )
    chains: list[Chain] = Field(default_factory=list, description="ownership chains (candidates)")


class RelatedRisk(BaseModel):
    """A finding against someone related to a checked enterprise — information, never a
    restriction of the enterprise (DOMAIN §5b)."""

    relation: Literal["OFFICER", "CONTROLLER", "SHAREHOLDER"]
    role: str | None = None
    person: PersonRef | None = None
    enterprise: EnterpriseRef | None = None
    share: float | None = Field(default=None, description="penetrated share (null: unknown)")
    share_known_part: float | None = None
    finding_id: str
    list_type: str | None = None
    decided_on: dt.date | None = None
    effective_until: dt.date | None = None
    path: list[PathElement]


class Check(BaseModel):
    """The answer of ``tracer check``: is this person or enterprise restricted on ``as_of``?"""

    subject: PersonRef | EnterpriseRef
    as_of: dt.date
    known_on: dt.datetime | None = Field(
        default=None, description="answered as the system knew it then (null: as now known)"
    )
    known: bool = Field(description="whether the subject is in the graph at all")
    liable: bool = Field(description="at least one liability applies on the date")
    restricted: bool = Field(description="a restricting measure (or the measure asked) applies")
    measure: str | None = None
    liabilities: list[Liability] = Field(
        description="one per (finding, rule); with a measure asked, each says whether it "
        "carries it (``carries_measure``)"
    )
    liabilities_omitted: int = Field(
        default=0,
        description="with a measure asked: how many liabilities do not carry it (the human "
        "view and spreadsheets leave them out)",
    )
    exposures: list[Exposure] = Field(default_factory=list)
    related_risk: list[RelatedRisk] = Field(default_factory=list)

    def evidence(self) -> list[Liability]:
        """The liabilities that carry the measure asked (all of them when none was)."""
        return [item for item in self.liabilities if item.carries_measure is not False]


class FindingSummary(BaseModel):
    """A finding with whether it applies on ``as_of`` (as known at the time asked)."""

    finding_id: str
    subject_kind: str | None = None
    subject_id: str | None = None
    list_type: str | None = None
    category: str | None = None
    ground: str | None = None
    severe: bool | None = None
    region_code: str | None = Field(default=None, description="the listed enterprise's region")
    authority: str | None = None
    basis: str | None = None
    act_date: dt.date | None = None
    decided_on: dt.date | None = None
    effective_until: dt.date | None = Field(default=None, description="the period's end as known")
    period_basis: str | None = None
    period_note: str | None = None
    status: str | None = Field(default=None, description="the current status")
    status_on_date: str | None = Field(default=None, description="the status in force on as_of")
    applies: bool
    stopped_on: dt.date | None = Field(
        default=None, description="when it does not apply: the day it stopped applying"
    )
    not_applying_reason: str | None = None


class LiablePerson(BaseModel):
    """A person and their liabilities (from one enterprise's or finding's findings)."""

    person: PersonRef
    liabilities: list[Liability]


class NotifiedOrganisation(BaseModel):
    """An organisation a rule with ``reaches_organisations`` notifies (R6, R9)."""

    finding_id: str
    rule: str
    effect: str
    relation: Literal[
        "SUPERIOR", "AUDIT", "EMPLOYER", "DISCIPLINE_INSPECTION", "ORGANISATION_PERSONNEL"
    ]
    code: str | None
    name: str | None
    measures: list[str]
    source: str
    missing: str | None = Field(default=None, description="why no department could be named")


class EnterpriseLiabilities(BaseModel):
    """An enterprise's findings, liable persons (with evidence) and exposed persons."""

    enterprise: EnterpriseRef
    as_of: dt.date
    findings: list[FindingSummary]
    subject_measures: list[Liability] = Field(
        default_factory=list, description="the memoranda's measures on the enterprise itself"
    )
    liable: list[LiablePerson]
    exposures: list[Exposure]
    notified: list[NotifiedOrganisation]


class FindingReach(BaseModel):
    """Everyone a finding reaches on ``as_of``, through what, and its status history."""

    finding: FindingSummary
    enterprise: EnterpriseRef | None
    subject_person: PersonRef | None
    as_of: dt.date
    known_on: dt.datetime | None = None
    subject_measures: Liability | None = Field(
        default=None, description="the memoranda's measures on the listed subject"
    )
    liable: list[LiablePerson]
    exposures: list[Exposure]
    notified: list[NotifiedOrganisation]
    transitions: list[TransitionRecord]


# -- the moment asked -----------------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """The date an answer is about and the instant it is known at (``known_on`` None = now)."""

    as_of: dt.date
    known_on: dt.datetime | None = None

    @property
    def known_at(self) -> dt.datetime:
        """The instant for the queries (the latest knowledge when not asked)."""
        return self.known_on or LATEST

    def params(self) -> dict[str, Any]:
        """The ``$as_of`` and ``$known_at`` query parameters."""
        return {"as_of": self.as_of, "known_at": self.known_at}


# -- evidence paths -------------------------------------------------------------------------


def _pick(values: Row, keys: Iterable[str]) -> dict[str, Any]:
    return {key: values[key] for key in keys if values.get(key) is not None}


def _finding_node(finding: Row) -> PathNode:
    return PathNode(
        label="Finding", key=finding["finding_id"], properties=_pick(finding, _FINDING_PATH_PROPS)
    )


def _enterprise_node(enterprise: EnterpriseRef) -> PathNode:
    return PathNode(label="Enterprise", key=enterprise.uscc, name=enterprise.name)


def _path(hit: Row, person: PersonRef, enterprise: EnterpriseRef | None) -> list[PathElement]:
    person_node = PathNode(label="Person", name=person.name, person=person)
    finding_node = _finding_node(hit["finding"])
    edge = _pick(hit["edge"] or {}, _EDGE_PATH_PROPS)
    route = hit["route"]
    if route == "SUBJECT" or enterprise is None:
        return [person_node, PathRelationship(type="AGAINST", direction="backward"), finding_node]
    enterprise_node = _enterprise_node(enterprise)
    if route == "NAMED":
        return [
            person_node,
            PathRelationship(type="NAMES", direction="backward", properties=edge),
            finding_node,
            PathRelationship(type="AGAINST", direction="forward"),
            enterprise_node,
        ]
    if hit["edge_type"] != "HOLDS":
        edge = {"role": hit["role"], **edge}
    path: list[PathElement] = [
        person_node,
        PathRelationship(type=hit["edge_type"], direction="forward", properties=edge),
        enterprise_node,
        PathRelationship(type="AGAINST", direction="backward"),
        finding_node,
    ]
    if route == "ROLE_IF_NAMED":
        path += [
            PathRelationship(
                type="NAMES", direction="forward", properties={"capacity": "DIRECTLY_RESPONSIBLE"}
            ),
            person_node,
        ]
    return path


# -- deciding each hit ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Decision:
    route: Route | None
    exposure: tuple[ExposureKind, str] | None = None


def _held_on(edge: Row, day: dt.date) -> bool:
    start, end = edge.get("start_date"), edge.get("end_date")
    return (start is None or start <= day) and (end is None or end >= day)


def _decide(hit: Row, as_of: dt.date) -> _Decision:
    """A liability route, or the kind of exposure, of one hit (the only place this is decided)."""
    rule, route = hit["rule"], hit["route"]
    if route in ("NAMED", "SUBJECT"):
        if hit["released"]:
            return _Decision(None, ("RELEASED", RELEASED))
        return _Decision(route)
    role, edge = hit["role"], hit["edge"] or {}
    by_role = role in (rule.get("roles") or [])
    by_naming = hit["named"] and role in (rule.get("roles_if_named") or [])
    if not by_role and not by_naming:
        return _Decision(None)
    if hit["on_basis"]:
        reached: Route | None = "ROLE_IF_NAMED" if by_naming else None
        if reached is None and hit["reference"] != "NAMED_ONLY":
            reached = "ROLE"
        if reached is None:
            return _Decision(None, ("NAMED_ONLY_LIST", NAMED_ONLY))
        if hit["released"]:
            return _Decision(None, ("RELEASED", RELEASED))
        return _Decision(reached)
    if not by_role:
        return _Decision(None)
    start = edge.get("start_date")
    if start is not None and start > hit["basis"]:
        if not _held_on(edge, as_of):
            return _Decision(None)
        if SUCCESSOR_CAPACITY in (rule.get("named_capacities") or []):
            reason = SUCCESSOR
        elif hit["reference"] == "DECIDED_ON":
            reason = APPOINTED_AFTER_LISTING
        else:
            reason = APPOINTED_AFTER_ACT
        return _Decision(None, ("APPOINTED_AFTER_REFERENCE", reason))
    return _Decision(None, ("IN_OFFICE_DURING_ACT_PERIOD", IN_OFFICE_DURING_ACT))


def _via(hit: Row, route: Route) -> str:
    if route == "SUBJECT":
        return "SUBJECT"
    return str(hit["role"] if route in ("ROLE", "ROLE_IF_NAMED") else hit["capacity"])


def _enterprise_ref(row: Row | None) -> EnterpriseRef | None:
    return EnterpriseRef(uscc=row["uscc"], name=row.get("name")) if row else None


def _region(hit: Row) -> str | None:
    enterprise = hit.get("enterprise")
    return enterprise.get("region_code") if enterprise else None


def _period(finding: Row, until: dt.date | None) -> tuple[dt.date | None, str | None, str | None]:
    if until is not None:
        return until, "RULE", None
    return finding.get("term_until"), finding.get("term_basis"), finding.get("term_source")


def _liability(
    group: list[tuple[Row, Route]], person: PersonRef, reference: Snapshot, as_of: dt.date
) -> Liability | None:
    """One (finding, rule) liability from its hits; None when no measure remains to apply."""
    group.sort(key=lambda item: _hit_order(*item))
    best, route = group[0]
    finding, rule = best["finding"], best["rule"]
    enterprise = _enterprise_ref(best.get("enterprise"))
    resolved = person_measures(
        reference, rule, finding, best["category"], as_of, _region(best), bool(best["applies"])
    )
    eligible_only: list[str] = []
    if not resolved.details:
        if rule.get("requires_list_measures") or not best["applies"]:
            return None
        eligible_only = eligible(reference, rule, as_of, _region(best))
        if not eligible_only:
            return None
    own = [detail.until for detail in resolved.details if detail.until is not None]
    until, basis, note = _period(finding, max(own) if own else None)
    return Liability(
        finding_id=finding["finding_id"],
        rule=rule["rule_id"],
        rule_name=rule.get("name") or rule["rule_id"],
        via=_via(best, route),
        role=best["role"],
        capacity=best["capacity"] if route != "ROLE_IF_NAMED" else "DIRECTLY_RESPONSIBLE",
        vias=list(dict.fromkeys(_via(hit, r) for hit, r in group)),
        enterprise=enterprise,
        list_type=finding.get("list_type"),
        category=best.get("category"),
        ground=finding.get("ground"),
        act_date=finding.get("act_date"),
        decided_on=finding["decided_on"],
        reference=best["reference"],
        basis_date=best["basis"],
        effects=[rule["effect"]] if resolved.details else [],
        measures=resolved.codes,
        measure_details=resolved.details,
        eligible_measures=eligible_only,
        not_applied=resolved.not_applied,
        restricting=any(detail.restricting for detail in resolved.details),
        effective_until=until,
        period_basis=basis,
        period_note=note,
        path=_path(best, person, enterprise),
        source=rule.get("source") or "",
    )


def _hit_order(hit: Row, route: Route) -> tuple[int, int, str]:
    roles = hit["rule"].get("roles") or []
    role_index = roles.index(hit["role"]) if hit["role"] in roles else len(roles)
    return (_ROUTE_ORDER[route], role_index, str(hit["capacity"] or ""))


def _rule_sort_key(rule_id: str) -> tuple[int, str]:
    digits = rule_id.lstrip("Rr")
    return (int(digits), rule_id) if digits.isdigit() else (10**6, rule_id)


def _sorted(liabilities: list[Liability]) -> list[Liability]:
    return sorted(
        liabilities, key=lambda item: (item.decided_on, item.finding_id, _rule_sort_key(item.rule))
    )


@dataclass
class _Assessed:
    liabilities: list[Liability]
    exposures: list[Exposure]


def _assess(
    hits: Sequence[Row],
    person: PersonRef,
    reference: Snapshot,
    as_of: dt.date,
    with_person: bool = False,
) -> _Assessed:
    """Liabilities and exposures of one person from their hits."""
    groups: dict[tuple[str, str], list[tuple[Row, Route]]] = {}
    exposed: dict[tuple[str, str, dt.date | None], tuple[Row, ExposureKind, str, list[str]]] = {}
    ordered = sorted(hits, key=lambda hit: (_rule_sort_key(hit["rule"]["rule_id"]), hit["route"]))
    for hit in ordered:
        decision = _decide(hit, as_of)
        key = (hit["finding"]["finding_id"], hit["rule"]["rule_id"])
        if decision.route is not None:
            groups.setdefault(key, []).append((hit, decision.route))
        elif decision.exposure is not None and hit["applies"]:
            kind, reason = decision.exposure
            place = (
                hit["finding"]["finding_id"],
                hit["role"] or hit["capacity"] or "",
                (hit["edge"] or {}).get("start_date"),
            )
            found = exposed.setdefault(place, (hit, kind, reason, []))
            found[3].append(hit["rule"]["rule_id"])
            if reason == SUCCESSOR:  # the most telling reason wins
                exposed[place] = (found[0], kind, reason, found[3])
    liabilities = [
        item
        for group in groups.values()
        if (item := _liability(group, person, reference, as_of)) is not None
    ]
    liable_findings = {item.finding_id for item in liabilities}
    exposures = [
        Exposure(
            finding_id=hit["finding"]["finding_id"],
            role=str(hit["role"] or hit["capacity"]),
            kind=kind,
            since=(hit["edge"] or {}).get("start_date"),
            until=(hit["edge"] or {}).get("end_date"),
            reason=reason,
            rules=sorted(set(rules), key=_rule_sort_key),
            enterprise=_enterprise_ref(hit.get("enterprise")),
            person=person if with_person else None,
        )
        for hit, kind, reason, rules in exposed.values()
        if hit["finding"]["finding_id"] not in liable_findings
    ]
    return _Assessed(_sorted(liabilities), exposures)


# -- the listed subject's own measures --------------------------------------------------------


def _list_entry(
    finding: Row,
    category: str | None,
    region: str | None,
    reference: Snapshot,
    as_of: dt.date,
    subject_node: PathNode,
    enterprise: EnterpriseRef | None,
) -> Liability:
    """The memoranda's measures on the listed subject, with the path subject ←AGAINST— finding."""
    path: list[PathElement] = [
        subject_node,
        PathRelationship(type="AGAINST", direction="backward"),
        _finding_node(finding),
    ]
    resolved: Resolved = subject_measures(reference, finding, category, as_of, region)
    sources = list(dict.fromkeys(detail.source for detail in resolved.details if detail.source))
    list_type = finding.get("list_type")
    return Liability(
        finding_id=finding["finding_id"],
        rule=LIST_RULE,
        rule_name=f"{list_type}: measures of the memoranda on the listed subject",
        via="SUBJECT",
        vias=["SUBJECT"],
        enterprise=enterprise,
        list_type=list_type,
        category=category,
        ground=finding.get("ground"),
        act_date=finding.get("act_date"),
        decided_on=finding["decided_on"],
        reference="LIST",
        basis_date=finding["decided_on"],
        effects=["LISTED"],
        measures=resolved.codes,
        measure_details=resolved.details,
        choices=resolved.choices,
        not_applied=resolved.not_applied,
        restricting=any(detail.restricting for detail in resolved.details),
        effective_until=finding.get("term_until"),
        period_basis=finding.get("term_basis"),
        period_note=finding.get("term_source"),
        path=path,
        source="；".join(sources),
    )


def _restricted(liabilities: Sequence[Liability], measure: str | None) -> bool:
    if measure is None:
        return any(item.restricting for item in liabilities)
    return any(measure in item.measures for item in liabilities)


def _carries(item: Liability, measure: str | None) -> bool:
    """Whether a liability is evidence for ``measure`` (applied, a choice, or eligible)."""
    return (
        measure is None
        or measure in item.measures
        or measure in item.eligible_measures
        or any(measure in choice.measures for choice in item.choices)
    )


def _check(
    subject: PersonRef | EnterpriseRef,
    row: Row,
    moment: Moment,
    measure: str | None,
    liabilities: list[Liability],
    exposures: Sequence[Exposure] = (),
    related_risk: Sequence[RelatedRisk] = (),
) -> Check:
    """A check's answer: liable if any liability, restricted as ``_restricted`` says."""
    return Check(
        subject=subject,
        as_of=moment.as_of,
        known_on=moment.known_on,
        known=bool(row["known"]),
        liable=bool(liabilities),
        restricted=_restricted(liabilities, measure),
        measure=measure,
        liabilities=[
            item
            if measure is None
            else item.model_copy(update={"carries_measure": _carries(item, measure)})
            for item in liabilities
        ],
        liabilities_omitted=sum(1 for item in liabilities if not _carries(item, measure)),
        exposures=list(exposures),
        related_risk=list(related_risk),
    )


def _known_measure(reference: Snapshot, measure: str | None) -> None:
    codes = {row["code"] for row in reference.rows("measures")}
    if measure is not None and measure not in codes:
        raise UnknownCode(f"unknown measure code {measure!r}", sorted(codes))


# -- checks: persons and enterprises ----------------------------------------------------------


def _person_check(row: Row, reference: Snapshot, moment: Moment, measure: str | None) -> Check:
    subject = PersonRef.of(row["id_type"], row["id_number"], row["name"])
    hits = list(row["hits"])
    assessed = _assess(hits, subject, reference, moment.as_of)
    listings = {
        hit["finding"]["finding_id"]: hit
        for hit in hits
        if hit["route"] == "SUBJECT" and hit["applies"] and not hit["released"]
    }
    person_node = PathNode(label="Person", name=subject.name, person=subject)
    own = [
        _list_entry(
            hit["finding"],
            hit["category"],
            None,
            reference,
            moment.as_of,
            person_node,
            None,
        )
        for hit in listings.values()
    ]
    liabilities = _sorted([*assessed.liabilities, *own])
    return _check(subject, row, moment, measure, liabilities, exposures=assessed.exposures)


def people_query(people: Sequence[PersonKey], moment: Moment) -> tuple[str, dict[str, Any]]:
    """The statement and parameters that read the hits of ``people`` (one row each, in order)."""
    keys = [{"id_type": key.id_type, "id_number": key.id_number} for key in people]
    return cypher("liability_by_person"), {"people": keys, "limit": MAX_ROWS, **moment.params()}


def people_checks(
    rows: Sequence[Row], reference: Snapshot, moment: Moment, measure: str | None
) -> list[Check]:
    """The checks of the rows of ``people_query``. ``UnknownCode`` for an unknown measure."""
    _known_measure(reference, measure)
    return [_person_check(row, reference, moment, measure) for row in rows]


def rows_stamp(rows: Sequence[Row]) -> str:
    """The reference install stamp a check query read with its rows ("" without rows)."""
    return str(rows[0]["stamp"] or "") if rows else ""


def check_people(
    runner: QueryRunner,
    people: Sequence[PersonKey | tuple[str, str]],
    as_of: dt.date,
    measure: str | None = None,
    known_on: dt.datetime | None = None,
) -> list[Check]:
    """Check many persons in ONE round trip; answers in input order. Unknown people are simply
    not liable (``known`` false). ``UnknownCode`` for an unknown measure code."""
    if not people:
        return []
    moment = Moment(as_of, known_on)
    query, params = people_query([PersonKey(*key) for key in people], moment)
    rows = runner.read(query, **params)
    return people_checks(rows, snapshot(runner, rows_stamp(rows)), moment, measure)


def check_person(
    runner: QueryRunner,
    person: PersonKey | tuple[str, str],
    as_of: dt.date,
    measure: str | None = None,
    known_on: dt.datetime | None = None,
) -> Check:
    """Is this person restricted on ``as_of`` (from ``measure``, if given)? With the evidence."""
    return check_people(runner, [person], as_of, measure, known_on)[0]


def check_many(
    runner: QueryRunner,
    people: Sequence[PersonKey | tuple[str, str]],
    as_of: dt.date,
    known_on: dt.datetime | None = None,
) -> Iterator[Check]:
    """``check_people`` over any number of persons, ``CHECK_BATCH`` per round trip."""
    for start in range(0, len(people), CHECK_BATCH):
        yield from check_people(runner, people[start : start + CHECK_BATCH], as_of, None, known_on)


def _chains_by_holder(chains: Sequence[Row]) -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {}
    for chain in chains:
        ids = [
            node.get("uscc") or node.get("id_number") or node.get("code") for node in chain["nodes"]
        ]
        if len(set(ids)) == len(ids):  # simple paths only
            found.setdefault(chain["holder"], []).append(chain)
    return found


def _node(raw: Row) -> PathNode:
    if raw.get("person"):
        person = PersonRef.of(raw["id_type"], raw["id_number"], raw.get("name"))
        return PathNode(label="Person", name=person.name, person=person)
    return PathNode(
        label="Enterprise", key=raw.get("uscc") or raw.get("code"), name=raw.get("name")
    )


def _chain_path(chain: Row) -> list[PathElement]:
    path: list[PathElement] = []
    for index, raw in enumerate(chain["nodes"]):
        if index:
            share = chain["shares"][index - 1]
            props = {"share": share} if share is not None else {}
            path.append(PathRelationship(type="OWNS", direction="forward", properties=props))
        path.append(_node(raw))
    return path


def _subject_of(raw: Row) -> tuple[PersonRef | None, EnterpriseRef | None]:
    if raw.get("person"):
        return PersonRef.of(raw["id_type"], raw["id_number"], raw.get("name")), None
    return None, EnterpriseRef(uscc=raw.get("uscc") or raw.get("code") or "", name=raw.get("name"))


def _related(row: Row, target: EnterpriseRef) -> list[RelatedRisk]:
    found: list[RelatedRisk] = []
    target_node = _enterprise_node(target)
    for item in row["officers"]:
        person = PersonRef.of(
            item["person"]["id_type"], item["person"]["id_number"], item["person"].get("name")
        )
        finding = item["finding"]
        relation: Literal["OFFICER", "CONTROLLER"] = (
            "CONTROLLER" if item["role"] == "ACTUAL_CONTROLLER" else "OFFICER"
        )
        found.append(
            RelatedRisk(
                relation=relation,
                role=item["role"],
                person=person,
                finding_id=finding["finding_id"],
                list_type=finding.get("list_type"),
                decided_on=finding.get("decided_on"),
                effective_until=finding.get("term_until"),
                path=[
                    target_node,
                    PathRelationship(
                        type="HOLDS",
                        direction="backward",
                        properties={"role": item["role"], "start_date": item.get("since")},
                    ),
                    PathNode(label="Person", name=person.name, person=person),
                    PathRelationship(type="AGAINST", direction="backward"),
                    _finding_node(finding),
                ],
            )
        )
    findings: dict[str, list[Row]] = {}
    for item in row["holder_findings"]:
        findings.setdefault(item["holder"], []).append(item["finding"])
    for holder, chains in _chains_by_holder(row["chains"]).items():
        if holder not in findings:
            continue
        products = [_product(chain["shares"]) for chain in chains]
        known_part = sum(value for value in products if value is not None)
        unknown = any(value is None for value in products)
        if known_part < RISK_SHARE - EPSILON and not unknown:
            continue
        best = max(chains, key=lambda chain: _product(chain["shares"]) or 0.0)
        holder_person, holder_enterprise = _subject_of(best["nodes"][0])
        for finding in findings[holder]:
            found.append(
                RelatedRisk(
                    relation="SHAREHOLDER",
                    person=holder_person,
                    enterprise=holder_enterprise,
                    share=None if unknown else round(known_part, 6),
                    share_known_part=round(known_part, 6),
                    finding_id=finding["finding_id"],
                    list_type=finding.get("list_type"),
                    decided_on=finding.get("decided_on"),
                    effective_until=finding.get("term_until"),
                    path=[
                        _finding_node(finding),
                        PathRelationship(type="AGAINST", direction="forward"),
                        *_chain_path(best),
                    ],
                )
            )
    return found


def _product(shares: Sequence[float | None]) -> float | None:
    result = 1.0
    for share in shares:
        if share is None:
            return None
        result *= share
    return result


def _enterprise_check(row: Row, reference: Snapshot, moment: Moment, measure: str | None) -> Check:
    subject = EnterpriseRef(uscc=row["uscc"], name=row["name"])
    node = _enterprise_node(subject)
    liabilities = _sorted(
        [
            _list_entry(
                item["finding"],
                item["category"],
                row["region_code"],
                reference,
                moment.as_of,
                node,
                subject,
            )
            for item in row["own"]
        ]
    )
    return _check(subject, row, moment, measure, liabilities, related_risk=_related(row, subject))


def enterprises_query(usccs: Sequence[str], moment: Moment) -> tuple[str, dict[str, Any]]:
    """The statement and parameters that read what a check of ``usccs`` needs."""
    return cypher("liability_by_enterprise"), {
        "usccs": list(usccs),
        "limit": MAX_ROWS,
        **moment.params(),
    }


def enterprises_checks(
    rows: Sequence[Row], reference: Snapshot, moment: Moment, measure: str | None
) -> list[Check]:
    """The checks of the rows of ``enterprises_query``. ``UnknownCode`` for an unknown measure."""
    _known_measure(reference, measure)
    return [_enterprise_check(row, reference, moment, measure) for row in rows]


def check_enterprises(
    runner: QueryRunner,
    usccs: Sequence[str],
    as_of: dt.date,
    measure: str | None = None,
    known_on: dt.datetime | None = None,
) -> list[Check]:
    """Check many enterprises in ONE round trip (answers in input order): restricted from M on D
    when a finding against it applies on D and its memoranda name M; related risk alongside."""
    if not usccs:
        return []
    moment = Moment(as_of, known_on)
    query, params = enterprises_query(usccs, moment)
    rows = runner.read(query, **params)
    reference = snapshot(runner, rows_stamp(rows)) if rows else snapshot(runner)
    return enterprises_checks(rows, reference, moment, measure)


def check_subjects(
    runner: QueryRunner,
    subjects: Sequence[SubjectKey],
    as_of: dt.date,
    measure: str | None = None,
    known_on: dt.datetime | None = None,
) -> list[Check]:
    """Persons and enterprises together (normalised keys), answers in input order: one round
    trip for the persons and one for the enterprises."""
    people = [(i, key.person_key) for i, key in enumerate(subjects) if key.person_key is not None]
    firms = [(i, key.uscc) for i, key in enumerate(subjects) if key.uscc is not None]
    answers: dict[int, Check] = {}
    for (index, _), answer in zip(
        people,
        check_people(runner, [key for _, key in people if key], as_of, measure, known_on),
        strict=True,
    ):
        answers[index] = answer
    for (index, _), answer in zip(
        firms,
        check_enterprises(runner, [code for _, code in firms if code], as_of, measure, known_on),
        strict=True,
    ):
        answers[index] = answer
    return [answers[index] for index in range(len(subjects))]


def check_enterprise(
    runner: QueryRunner,
    uscc: str,
    as_of: dt.date,
    measure: str | None = None,
    known_on: dt.datetime | None = None,
) -> Check:
    """Is this enterprise restricted on ``as_of`` (from ``measure``)? With related risk."""
    return check_enterprises(runner, [uscc], as_of, measure, known_on)[0]


# -- findings and enterprises -----------------------------------------------------------------


def _summary(row: Row, moment: Moment) -> FindingSummary:
    finding, applies = row["finding"], bool(row["applies"])
    changes = history(row["history"] or {})
    on_date = status_on(changes, moment.as_of, moment.known_at)
    reason = None
    if not applies:
        if row.get("recorded_at") and row["recorded_at"] > moment.known_at:
            reason = "not yet recorded at the time asked"
        elif on_date != "ACTIVE" and on_date != "CORRECTED":
            reason = f"status on {moment.as_of} is {on_date}"
        elif finding["decided_on"] > moment.as_of:
            reason = f"decided on {finding['decided_on']}, after {moment.as_of}"
        elif finding.get("term_until") is not None and finding["term_until"] < moment.as_of:
            reason = f"punishment period ended on {finding['term_until']}"
        else:
            reason = f"status on {moment.as_of} is {on_date}"
    fields = {key: finding.get(key) for key in FindingSummary.model_fields if key in finding}
    fields.update(
        category=row["category"],
        region_code=(row.get("enterprise") or {}).get("region_code"),
        effective_until=finding.get("term_until"),
        period_basis=finding.get("term_basis"),
        period_note=finding.get("term_source"),
        status_on_date=on_date,
        applies=applies,
        not_applying_reason=reason,
        stopped_on=None
        if applies or finding["decided_on"] > moment.as_of
        else stopped_on(
            changes, finding["decided_on"], finding.get("term_until"), moment.as_of, moment.known_at
        ),
    )
    return FindingSummary(**fields)


def _notified(finding_id: str, notices: Sequence[Row], applies: bool) -> list[NotifiedOrganisation]:
    if not applies:
        return []
    result = []
    for notice in notices:
        rule = notice["rule"]
        common = {
            "finding_id": finding_id,
            "rule": rule["rule_id"],
            "effect": rule["effect"],
            "measures": list(rule.get("measures") or []),
            "source": rule.get("source") or "",
        }
        for relation, key, missing in (
            ("SUPERIOR", "superiors", "no superior department (SUPERVISED_BY) recorded"),
            ("AUDIT", "audits", "no AUDIT department in the region recorded"),
        ):
            departments = notice[key]
            if not departments:
                result.append(
                    NotifiedOrganisation(
                        relation=relation, code=None, name=None, missing=missing, **common
                    )
                )
            for department in departments:
                result.append(
                    NotifiedOrganisation(
                        relation=relation,
                        code=department["code"],
                        name=department.get("name"),
                        **common,
                    )
                )
    return result


class _Reach(BaseModel):
    summary: FindingSummary
    enterprise: EnterpriseRef | None
    subject_person: PersonRef | None
    subject_measures: Liability | None
    liable: dict[PersonKey, LiablePerson]
    exposures: list[Exposure]
    notified: list[NotifiedOrganisation]


def _notices(
    runner: QueryRunner, rows: Sequence[Row], moment: Moment
) -> tuple[dict[str, list[Row]], dict[str, list[dict[str, Any]]]]:
    """Per finding id that applies: the notices of its rules (R6) and of R9 (staff)."""
    applying = [row for row in rows if row["applies"]]
    kinds = [{"keyword": keyword, "kind": kind} for keyword, kind in name_kinds()]
    ids = [row["finding"]["finding_id"] for row in applying if row["enterprise"]]
    found = (
        runner.read(
            cypher("liability_finding_notices"),
            finding_ids=ids,
            limit=MAX_ROWS,
            name_kinds=kinds,
            **moment.params(),
        )
        if ids
        else []
    )
    staff = staff_notices(
        runner,
        [row["finding"]["finding_id"] for row in applying if row["person"]],
        moment.params(),
        MAX_ROWS,
    )
    return {row["finding_id"]: row["notices"] for row in found}, staff


def _joined_hits(row: Row) -> list[Row]:
    """The hits of a ``liability_by_finding`` row as ``liability_by_person`` returns them: each
    joined with the finding, its subject, category and flags, and its rule's fields (the
    statement sends these once per row, not once per hit)."""
    rules = {rule["rule_id"]: rule for rule in row["rules"]}
    shared = {key: row[key] for key in ("finding", "enterprise", "category", "applies", "listed")}
    return [{**hit, **shared, "rule": rules[hit["rule_id"]]} for hit in row["hits"]]


def _reach(
    runner: QueryRunner, finding_ids: Sequence[str], moment: Moment, notices: bool = True
) -> list[_Reach]:
    rows = runner.read(
        cypher("liability_by_finding"),
        finding_ids=list(finding_ids),
        limit=MAX_ROWS,
        **moment.params(),
    )
    reference = snapshot(runner, str(rows[0]["stamp"] or "")) if rows else snapshot(runner)
    rule_notices, staff = _notices(runner, rows, moment) if notices else ({}, {})
    result = []
    for row in rows:
        finding = row["finding"]
        enterprise = _enterprise_ref(row["enterprise"])
        by_person: dict[PersonKey, list[Row]] = {}
        for hit in _joined_hits(row):
            key = PersonKey(hit["person"]["id_type"], hit["person"]["id_number"])
            by_person.setdefault(key, []).append(hit)
        liable: dict[PersonKey, LiablePerson] = {}
        exposures: list[Exposure] = []
        for key, hits in by_person.items():
            person = PersonRef.of(key.id_type, key.id_number, hits[0]["person"].get("name"))
            assessed = _assess(hits, person, reference, moment.as_of, with_person=True)
            if assessed.liabilities:
                liable[key] = LiablePerson(person=person, liabilities=assessed.liabilities)
            exposures += assessed.exposures
        subject_person = (
            PersonRef.of(
                row["person"]["id_type"], row["person"]["id_number"], row["person"].get("name")
            )
            if row["person"]
            else None
        )
        subject = None
        if row["applies"]:
            subject_node = (
                _enterprise_node(enterprise)
                if enterprise
                else PathNode(
                    label="Person",
                    name=subject_person.name if subject_person else None,
                    person=subject_person,
                )
            )
            subject = _list_entry(
                finding,
                row["category"],
                (row["enterprise"] or {}).get("region_code"),
                reference,
                moment.as_of,
                subject_node,
                enterprise,
            )
        result.append(
            _Reach(
                summary=_summary(row, moment),
                enterprise=enterprise,
                subject_person=subject_person,
                subject_measures=subject,
                liable=liable,
                exposures=exposures,
                notified=[
                    *_notified(
                        finding["finding_id"],
                        rule_notices.get(finding["finding_id"], []),
                        bool(row["applies"]),
                    ),
                    *(
                        NotifiedOrganisation(**item)
                        for item in staff.get(finding["finding_id"], [])
                    ),
                ],
            )
        )
    return result


def _merge_liable(reaches: Iterable[_Reach]) -> list[LiablePerson]:
    merged: dict[PersonKey, LiablePerson] = {}
    for reach in reaches:
        for key, item in reach.liable.items():
            if key in merged:
                merged[key].liabilities.extend(item.liabilities)
            else:
                merged[key] = LiablePerson(person=item.person, liabilities=list(item.liabilities))
    return [merged[key] for key in sorted(merged)]


def enterprise_liabilities(
    runner: QueryRunner, uscc: str, as_of: dt.date, known_on: dt.datetime | None = None
) -> EnterpriseLiabilities:
    """An enterprise's findings (all, with whether each applies on ``as_of``), the measures on the
    enterprise itself, the persons its findings make liable with evidence, the persons exposed,
    and the organisations notified. Raises ``NotFound`` for an unknown USCC."""
    row = runner.read_one(cypher("liability_enterprise_findings"), uscc=uscc, limit=MAX_ROWS)
    if row is None:
        raise NotFound(f"no enterprise with USCC {uscc}")
    moment = Moment(as_of, known_on)
    reaches = _reach(runner, row["finding_ids"], moment) if row["finding_ids"] else []
    reaches.sort(key=lambda item: (item.summary.decided_on or dt.date.min, item.summary.finding_id))
    enterprise = EnterpriseRef(uscc=row["uscc"], name=row["name"])
    exposures = [item for reach in reaches for item in reach.exposures]
    exposures += _controller_candidates(runner, enterprise, reaches, as_of)
    return EnterpriseLiabilities(
        enterprise=enterprise,
        as_of=as_of,
        findings=[reach.summary for reach in reaches],
        subject_measures=[reach.subject_measures for reach in reaches if reach.subject_measures],
        liable=_merge_liable(reaches),
        exposures=exposures,
        notified=[item for reach in reaches for item in reach.notified],
    )


def finding_reach(
    runner: QueryRunner, finding_id: str, as_of: dt.date, known_on: dt.datetime | None = None
) -> FindingReach:
    """The finding, everyone it reaches on ``as_of`` and through what, derived-controller
    candidates, and its transitions. Raises ``NotFound`` for an unknown finding id."""
    moment = Moment(as_of, known_on)
    reach = _reach(runner, [finding_id], moment)
    if not reach:
        raise NotFound(f"no finding with id {finding_id}")
    candidates = (
        _controller_candidates(runner, reach[0].enterprise, reach, as_of)
        if reach[0].enterprise is not None
        else []
    )
    history_records = [
        record
        for record in transitions(runner, finding_id)
        if known_on is None or record.recorded_at <= known_on
    ]
    return _finding_reach(reach[0], moment, candidates, history_records)


def findings_reach(
    runner: QueryRunner,
    finding_ids: Sequence[str],
    as_of: dt.date,
    known_on: dt.datetime | None = None,
) -> dict[str, FindingReach]:
    """``finding_reach`` of many findings in one round trip, keyed by finding id (unknown ids
    are absent). For bulk consumers such as work lists: without derived-controller candidates
    (inferences, never liabilities), and with ``notified`` and ``transitions`` left empty."""
    ids = list(dict.fromkeys(finding_ids))
    moment = Moment(as_of, known_on)
    return {
        reach.summary.finding_id: _finding_reach(reach, moment, [], [])
        for reach in (_reach(runner, ids, moment, notices=False) if ids else [])
    }


def _finding_reach(
    reach: _Reach,
    moment: Moment,
    candidates: list[Exposure],
    records: list[TransitionRecord],
) -> FindingReach:
    return FindingReach(
        finding=reach.summary,
        enterprise=reach.enterprise,
        subject_person=reach.subject_person,
        as_of=moment.as_of,
        known_on=moment.known_on,
        subject_measures=reach.subject_measures,
        liable=_merge_liable([reach]),
        exposures=[*reach.exposures, *candidates],
        notified=reach.notified,
        transitions=records,
    )


def _controller_candidates(
    runner: QueryRunner, enterprise: EnterpriseRef, reaches: Sequence[_Reach], as_of: dt.date
) -> list[Exposure]:
    """Graph-derived actual controllers (persons), shown per applying finding that does not
    already make them liable: inferences, never liabilities (DOMAIN.md §5, §6)."""
    applying = [reach for reach in reaches if reach.summary.applies]
    if not applying:
        return []
    derived = [
        controller
        for controller in actual_controllers(runner, enterprise.uscc, as_of)
        if controller.basis == "derived" and controller.subject.person is not None
    ]
    return [
        Exposure(
            finding_id=reach.summary.finding_id,
            role="ACTUAL_CONTROLLER",
            kind="DERIVED_CONTROLLER",
            since=None,
            reason=DERIVED_CONTROLLER,
            enterprise=enterprise,
            person=controller.subject.person,
            candidate=True,
            chains=controller.chains,
        )
        for reach in applying
        for controller in derived
        if controller.subject.person is not None
        and controller.subject.person.key not in reach.liable
    ]


def linked_people(
    runner: QueryRunner,
    as_of: dt.date,
    min_findings: int = 1,
    limit: int = 20_000,
    known_on: dt.datetime | None = None,
) -> list[PersonKey]:
    """Persons linked to at least ``min_findings`` findings in force on ``as_of`` (candidates
    for the engine, most links first; at most ``limit``)."""
    rows = runner.read(
        cypher("liability_linked_persons"),
        min_findings=min_findings,
        limit=limit,
        **Moment(as_of, known_on).params(),
    )
    return [PersonKey(row["id_type"], row["id_number"]) for row in rows]
