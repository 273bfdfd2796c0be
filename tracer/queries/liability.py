"""Derived liability: who a finding makes liable on a date, and why (DOMAIN.md §5).

Nothing is copied: every answer is computed from the findings' current state, the positions and
the ``Rule`` nodes (joined in Cypher) at query time. Identifiers passed in are expected to be
normalised by the caller (``tracer.domain.identifiers.normalise_person_id``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.errors import InvalidInput, NotFound
from tracer.queries.catalogue import cypher
from tracer.queries.lifecycle import TransitionRecord, transitions
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.ownership import Chain, actual_controllers
from tracer.queries.runner import QueryRunner, Row

#: Upper bound of hits and exposures returned per person or finding.
MAX_ROWS = 1000

Route = Literal["ROLE", "ROLE_IF_NAMED", "NAMED", "SUBJECT"]
_ROUTE_ORDER = {"ROLE": 0, "ROLE_IF_NAMED": 1, "NAMED": 2, "SUBJECT": 3}
_FINDING_PATH_PROPS = ("list_type", "status", "act_date", "decided_on", "effective_until")
_EDGE_PATH_PROPS = ("role", "capacity", "qualification", "share", "start_date", "end_date")

APPOINTED_AFTER_ACT = "appointed after the act"
DERIVED_CONTROLLER = (
    "derived actual controller: a candidate for the authority to confirm, not liable unless named"
)
RELEASED = "released from this finding"
NOT_ON_BASIS_DATE = "did not hold the role on the rule's reference date"


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
    """One (finding, rule) that makes a person liable, with its evidence."""

    finding_id: str
    rule: str
    rule_name: str
    via: str = Field(
        description="role, named capacity, or SUBJECT for a finding against the person"
    )
    role: str | None = None
    capacity: str | None = None
    vias: list[str] = Field(description="every route reaching the person for this finding and rule")
    enterprise: EnterpriseRef | None = None
    list_type: str | None = None
    category: str | None = None
    act_date: dt.date | None = None
    decided_on: dt.date
    basis_date: dt.date = Field(description="the date the role had to be held on")
    effects: list[str]
    measures: list[str]
    effective_until: dt.date | None
    path: list[PathElement]
    source: str


class Exposure(BaseModel):
    """A person around a listed enterprise who is *not* liable for the finding (investigators)."""

    finding_id: str
    role: str
    since: dt.date | None
    reason: str
    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None
    candidate: bool = Field(
        default=False, description="a derived actual controller for the authority to confirm"
    )
    chains: list[Chain] = Field(default_factory=list, description="ownership chains (candidates)")


class PersonCheck(BaseModel):
    """The answer of ``tracer check``: is this person restricted on ``as_of``, and why."""

    subject: PersonRef
    as_of: dt.date
    restricted: bool
    liabilities: list[Liability]
    exposures: list[Exposure]
    known: bool = Field(description="whether the person is in the graph at all")
    measure: str | None = None


class FindingSummary(BaseModel):
    """A finding with whether it applies on ``as_of``."""

    finding_id: str
    subject_kind: str | None = None
    subject_id: str | None = None
    list_type: str | None = None
    category: str | None = None
    authority: str | None = None
    basis: str | None = None
    act_date: dt.date | None = None
    decided_on: dt.date | None = None
    effective_until: dt.date | None = None
    status: str | None = None
    applies: bool
    not_applying_reason: str | None = None


class LiablePerson(BaseModel):
    """A person and their liabilities (from one enterprise's or finding's findings)."""

    person: PersonRef
    liabilities: list[Liability]


class NotifiedOrganisation(BaseModel):
    """An organisation a rule with ``reaches_organisations`` notifies (R6)."""

    finding_id: str
    rule: str
    effect: str
    relation: Literal["SUPERIOR", "AUDIT"]
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
    liable: list[LiablePerson]
    exposures: list[Exposure]
    notified: list[NotifiedOrganisation]


class FindingReach(BaseModel):
    """Everyone a finding reaches on ``as_of``, through what, and its status history."""

    finding: FindingSummary
    enterprise: EnterpriseRef | None
    subject_person: PersonRef | None
    as_of: dt.date
    liable: list[LiablePerson]
    exposures: list[Exposure]
    notified: list[NotifiedOrganisation]
    transitions: list[TransitionRecord]


# -- building answers from rows -------------------------------------------------------------


def _person_ref(row: Row) -> PersonRef:
    return PersonRef.of(str(row["id_type"]), str(row["id_number"]), row.get("name"))


def _enterprise_ref(row: Row | None) -> EnterpriseRef | None:
    return EnterpriseRef(uscc=row["uscc"], name=row.get("name")) if row else None


def _pick(values: Row, keys: Iterable[str]) -> dict[str, Any]:
    return {key: values[key] for key in keys if values.get(key) is not None}


def _path(
    hit: Row, person: PersonRef, finding: Row, enterprise: EnterpriseRef | None
) -> list[PathElement]:
    person_node = PathNode(label="Person", name=person.name, person=person)
    finding_node = PathNode(
        label="Finding", key=finding["finding_id"], properties=_pick(finding, _FINDING_PATH_PROPS)
    )
    edge = _pick(hit["edge"] or {}, _EDGE_PATH_PROPS)
    route = hit["route"]
    if route == "SUBJECT":
        return [person_node, PathRelationship(type="AGAINST", direction="backward"), finding_node]
    assert enterprise is not None
    enterprise_node = PathNode(label="Enterprise", key=enterprise.uscc, name=enterprise.name)
    against = PathRelationship(type="AGAINST", direction="backward")
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
        against,
        finding_node,
    ]
    if route == "ROLE_IF_NAMED":
        path += [
            PathRelationship(
                type="NAMES", direction="forward", properties={"capacity": hit["capacity"]}
            ),
            person_node,
        ]
    return path


def _hit_order(hit: Row) -> tuple[int, int, str]:
    roles = hit["rule"].get("roles") or []
    role_index = roles.index(hit["role"]) if hit["role"] in roles else len(roles)
    return (_ROUTE_ORDER[hit["route"]], role_index, str(hit["capacity"] or ""))


def _via(hit: Row) -> str:
    if hit["route"] == "SUBJECT":
        return "SUBJECT"
    return str(hit["role"] if hit["route"] in ("ROLE", "ROLE_IF_NAMED") else hit["capacity"])


def _effective_until(finding: Row, rule: Row) -> dt.date | None:
    ban_years = rule.get("ban_years")
    if ban_years:
        decided: dt.date = finding["decided_on"]
        try:
            return decided.replace(year=decided.year + int(ban_years))
        except ValueError:  # 29 February
            return decided.replace(year=decided.year + int(ban_years), day=28)
    until: dt.date | None = finding.get("effective_until")
    return until


def _liabilities(hits: Sequence[Row], person: PersonRef) -> list[Liability]:
    """One entry per (finding, rule); the strongest route is the ``via``, all are in ``vias``."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for hit in hits:
        groups.setdefault((hit["finding"]["finding_id"], hit["rule"]["rule_id"]), []).append(hit)
    result = []
    for (finding_id, rule_id), group in groups.items():
        group.sort(key=_hit_order)
        best = group[0]
        finding, rule = best["finding"], best["rule"]
        enterprise = _enterprise_ref(best.get("enterprise"))
        result.append(
            Liability(
                finding_id=finding_id,
                rule=rule_id,
                rule_name=rule.get("name") or rule_id,
                via=_via(best),
                role=best["role"],
                capacity=best["capacity"],
                vias=list(dict.fromkeys(_via(hit) for hit in group)),
                enterprise=enterprise,
                list_type=finding.get("list_type"),
                category=best.get("category"),
                act_date=finding.get("act_date"),
                decided_on=finding["decided_on"],
                basis_date=best["basis"],
                effects=[rule["effect"]],
                measures=list(rule.get("measures") or []),
                effective_until=_effective_until(finding, rule),
                path=_path(best, person, finding, enterprise),
                source=rule.get("source") or "",
            )
        )
    result.sort(key=lambda item: (item.decided_on, item.finding_id, _rule_sort_key(item.rule)))
    return result


def _rule_sort_key(rule_id: str) -> tuple[int, str]:
    digits = rule_id.lstrip("Rr")
    return (int(digits), rule_id) if digits.isdigit() else (10**6, rule_id)


def _exposure_reason(finding: Row, edge: Row, released: bool) -> str:
    if released:
        return RELEASED
    since = edge.get("start_date")
    act = finding.get("act_date") or finding.get("decided_on")
    if since is not None and act is not None and since > act:
        return APPOINTED_AFTER_ACT
    return NOT_ON_BASIS_DATE


def _exposure(
    row: Row, finding: Row, enterprise: EnterpriseRef | None, person: PersonRef | None
) -> Exposure:
    edge = row["edge"] or {}
    return Exposure(
        finding_id=finding["finding_id"],
        role=row["role"],
        since=edge.get("start_date"),
        reason=_exposure_reason(finding, edge, bool(row["released"])),
        enterprise=enterprise,
        person=person,
    )


def _dedupe(exposures: Iterable[Exposure]) -> list[Exposure]:
    seen: dict[tuple[Any, ...], Exposure] = {}
    for item in exposures:
        person_key = (item.person.id_type, item.person.id_number) if item.person else None
        seen.setdefault((item.finding_id, person_key, item.role, item.since), item)
    return list(seen.values())


# -- persons ---------------------------------------------------------------------------------


def check_people(
    runner: QueryRunner,
    people: Sequence[tuple[str, str]],
    as_of: dt.date,
    measure: str | None = None,
) -> list[PersonCheck]:
    """Check many ``(id_type, id_number)`` pairs in ONE round trip; answers in input order.

    With ``measure`` (a measure code), ``restricted`` answers "restricted from that measure".
    Unknown people are simply not restricted (``known`` is false). Raises ``InvalidInput``
    for an unknown measure code.
    """
    if not people:
        return []
    rows = runner.read(
        cypher("liability_by_person"),
        people=[{"id_type": id_type, "id_number": number} for id_type, number in people],
        as_of=as_of,
        measure=measure,
        limit=MAX_ROWS,
    )
    if measure is not None and rows and not rows[0]["measure_known"]:
        raise InvalidInput(f"unknown measure code {measure!r}")
    return [_person_check(row, as_of, measure) for row in rows]


def _person_check(row: Row, as_of: dt.date, measure: str | None) -> PersonCheck:
    subject = PersonRef.of(row["id_type"], row["id_number"], row["name"])
    liabilities = _liabilities(row["hits"], subject)
    liable_findings = {item.finding_id for item in liabilities}
    exposures = _dedupe(
        _exposure(item, item["finding"], _enterprise_ref(item["enterprise"]), None)
        for item in row["exposures"]
        if item["finding"]["finding_id"] not in liable_findings
    )
    if measure is None:
        restricted = bool(liabilities)
    else:
        restricted = any(measure in item.measures for item in liabilities)
    return PersonCheck(
        subject=subject,
        as_of=as_of,
        restricted=restricted,
        liabilities=liabilities,
        exposures=exposures,
        known=bool(row["known"]),
        measure=measure,
    )


def check_person(
    runner: QueryRunner,
    id_type: str,
    id_number: str,
    as_of: dt.date,
    measure: str | None = None,
) -> PersonCheck:
    """Is this person restricted on ``as_of`` (from ``measure``, if given)? With the evidence."""
    return check_people(runner, [(id_type, id_number)], as_of, measure)[0]


# -- findings and enterprises ----------------------------------------------------------------


def _summary(finding: Row, category: str | None, applies: bool, as_of: dt.date) -> FindingSummary:
    reason = None
    if not applies:
        if finding.get("status") != "ACTIVE":
            reason = f"status is {finding.get('status')}"
        elif finding["decided_on"] > as_of:
            reason = f"decided on {finding['decided_on']}, after {as_of}"
        else:
            reason = f"punishment period ended on {finding.get('effective_until')}"
    fields = {key: finding.get(key) for key in FindingSummary.model_fields if key in finding}
    fields.update(category=category, applies=applies, not_applying_reason=reason)
    return FindingSummary(**fields)


def _notified(finding_id: str, notices: Sequence[Row]) -> list[NotifiedOrganisation]:
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
    liable: dict[tuple[str, str], LiablePerson]
    exposures: list[Exposure]
    notified: list[NotifiedOrganisation]


def _reach(runner: QueryRunner, finding_ids: Sequence[str], as_of: dt.date) -> list[_Reach]:
    rows = runner.read(
        cypher("liability_by_finding"), finding_ids=list(finding_ids), as_of=as_of, limit=MAX_ROWS
    )
    result = []
    for row in rows:
        finding = row["finding"]
        enterprise = _enterprise_ref(row["enterprise"])
        by_person: dict[tuple[str, str], list[Row]] = {}
        for hit in row["hits"]:
            key = (hit["person"]["id_type"], hit["person"]["id_number"])
            by_person.setdefault(key, []).append(
                {
                    **hit,
                    "finding": finding,
                    "enterprise": row["enterprise"],
                    "category": row["category"],
                }
            )
        liable = {}
        for key, hits in by_person.items():
            person = _person_ref(hits[0]["person"])
            liable[key] = LiablePerson(person=person, liabilities=_liabilities(hits, person))
        exposures = _dedupe(
            _exposure(item, finding, enterprise, _person_ref(item["person"]))
            for item in row["exposures"]
            if (item["person"]["id_type"], item["person"]["id_number"]) not in liable
        )
        result.append(
            _Reach(
                summary=_summary(finding, row["category"], row["applies"], as_of),
                enterprise=enterprise,
                subject_person=_person_ref(row["person"]) if row["person"] else None,
                liable=liable,
                exposures=exposures,
                notified=_notified(finding["finding_id"], row["notices"]),
            )
        )
    return result


def _merge_liable(reaches: Iterable[_Reach]) -> list[LiablePerson]:
    merged: dict[tuple[str, str], LiablePerson] = {}
    for reach in reaches:
        for key, item in reach.liable.items():
            if key in merged:
                merged[key].liabilities.extend(item.liabilities)
            else:
                merged[key] = LiablePerson(person=item.person, liabilities=list(item.liabilities))
    return sorted(merged.values(), key=lambda item: (item.person.id_type, item.person.id_number))


def enterprise_liabilities(runner: QueryRunner, uscc: str, as_of: dt.date) -> EnterpriseLiabilities:
    """An enterprise's findings (all, with whether each applies on ``as_of``), the persons they
    make liable with evidence, the persons exposed, and organisations notified.

    Raises ``NotFound`` for an unknown USCC.
    """
    row = runner.read_one(cypher("liability_enterprise_findings"), uscc=uscc, limit=MAX_ROWS)
    if row is None:
        raise NotFound(f"no enterprise with USCC {uscc}")
    reaches = _reach(runner, row["finding_ids"], as_of) if row["finding_ids"] else []
    reaches.sort(key=lambda item: (item.summary.decided_on or dt.date.min, item.summary.finding_id))
    enterprise = EnterpriseRef(uscc=row["uscc"], name=row["name"])
    liable = _merge_liable(reaches)
    exposures = [item for reach in reaches for item in reach.exposures]
    exposures += _controller_candidates(runner, enterprise, reaches, as_of)
    return EnterpriseLiabilities(
        enterprise=enterprise,
        as_of=as_of,
        findings=[reach.summary for reach in reaches],
        liable=liable,
        exposures=exposures,
        notified=[item for reach in reaches for item in reach.notified],
    )


def finding_reach(runner: QueryRunner, finding_id: str, as_of: dt.date) -> FindingReach:
    """The finding, everyone it reaches on ``as_of`` and through what, derived-controller
    candidates, and its transitions.

    Raises ``NotFound`` for an unknown finding id.
    """
    reach = _reach(runner, [finding_id], as_of)
    if not reach:
        raise NotFound(f"no finding with id {finding_id}")
    candidates = (
        _controller_candidates(runner, reach[0].enterprise, reach, as_of)
        if reach[0].enterprise is not None
        else []
    )
    return _finding_reach(reach[0], as_of, candidates, transitions(runner, finding_id))


def findings_reach(
    runner: QueryRunner, finding_ids: Sequence[str], as_of: dt.date
) -> dict[str, FindingReach]:
    """``finding_reach`` of many findings in one round trip, keyed by finding id (unknown ids
    are absent). For bulk consumers such as work lists: without derived-controller candidates
    (inferences, never liabilities) and with ``transitions`` left empty."""
    ids = list(dict.fromkeys(finding_ids))
    return {
        reach.summary.finding_id: _finding_reach(reach, as_of, [], [])
        for reach in (_reach(runner, ids, as_of) if ids else [])
    }


def _finding_reach(
    reach: _Reach,
    as_of: dt.date,
    candidates: list[Exposure],
    history: list[TransitionRecord],
) -> FindingReach:
    return FindingReach(
        finding=reach.summary,
        enterprise=reach.enterprise,
        subject_person=reach.subject_person,
        as_of=as_of,
        liable=_merge_liable([reach]),
        exposures=[*reach.exposures, *candidates],
        notified=reach.notified,
        transitions=history,
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
        and (controller.subject.person.id_type, str(controller.subject.person.id_number))
        not in reach.liable
    ]
