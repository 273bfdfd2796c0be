"""Signals (DOMAIN.md §10–§11): green channel, red-list conflicts, ban breaches, repeat offenders,
phoenix candidates.

Graph queries here only *select candidates* (structure and dates); whether a person is liable,
under which rule, with which measures and until when always comes from the liability engine
(one round trip per batch). Every signal is bounded (``MAX_CANDIDATES``) and paginated, and
carries its evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, Field

from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict, InvalidInput, NotFound
from tracer.domain.keys import PersonKey, SubjectKey
from tracer.domain.timeline import plus_years
from tracer.queries.catalogue import cypher
from tracer.queries.liability import (
    Check,
    Liability,
    check_many,
    check_people,
    linked_people,
)
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.paging import Page, check_page
from tracer.queries.records import CreditBadRecord, credit_bad_records, subject_records
from tracer.queries.runner import QueryRunner, Row
from tracer.queries.timeline import LATEST
from tracer.queries.worklist import reaches

MAX_CANDIDATES = 10_000
CLEAN_YEARS = 3
#: The measure whose reach makes an honour conflict with a finding (R3 and the memoranda).
HONOURS_MEASURE = "HONOURS_REVOKED"
#: Effect → roles whose holding at another enterprise during the ban is a breach (DOMAIN §11).
BAN_ROLES: dict[str, frozenset[str]] = {
    "MARKET_BAN": frozenset(
        {
            "LEGAL_REPRESENTATIVE",
            "PRINCIPAL",
            "CHAIRMAN",
            "DIRECTOR",
            "GENERAL_MANAGER",
            "SENIOR_MANAGER",
        }
    ),
    "OFFICER_BAN": frozenset({"LEGAL_REPRESENTATIVE", "PRINCIPAL"}),
}
#: Effects under which a practitioner's registration at another enterprise is a breach.
REGISTRATION_BANS = frozenset({"MARKET_BAN"})
#: Phoenix score: weight of a shared person by their strongest role, and of a shared address.
ROLE_WEIGHTS: dict[str, float] = {
    "LEGAL_REPRESENTATIVE": 3.0,
    "PRINCIPAL": 3.0,
    "ACTUAL_CONTROLLER": 3.0,
    "SHAREHOLDER": 2.0,
    "CHAIRMAN": 2.0,
    "GENERAL_MANAGER": 2.0,
}
OTHER_ROLE_WEIGHT = 1.0
ADDRESS_WEIGHT = 3.0
PROXIMITY_WEIGHT = 2.0


T = TypeVar("T")


def _page_of(found: list[T], as_of: dt.date, limit: int, offset: int, scanned: int) -> Page[T]:
    return Page[T].of(found, limit, offset, truncated=scanned >= MAX_CANDIDATES, as_of=as_of)


# -- green channel ---------------------------------------------------------------------------


class HonourRecord(BaseModel):
    """A red-list entry."""

    honour_id: str
    honour: str
    granted_by: str | None = None
    granted_on: dt.date
    valid_until: dt.date | None = None
    revoked_on: dt.date | None = Field(default=None, description="撤销: counts no more from then")
    revoked_by: str | None = None
    revocation_reason: str | None = None
    revocation_document: str | None = None


class BadRecord(BaseModel):
    """A finding against the subject, or (persons) a liability, that applied on some day of the
    last three years — a bad record (DOMAIN §10)."""

    finding_id: str
    list_type: str | None = None
    via: str = Field(description="SUBJECT (finding against it) or the rule that made it liable")
    decided_on: dt.date
    ended: dt.date | None = Field(description="the last day it applied in the window")
    current: bool


class GreenChannel(BaseModel):
    """Green-channel (绿色通道/容缺受理) eligibility of a subject on ``as_of``, with the reason."""

    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None
    as_of: dt.date
    eligible: bool
    basis: Literal["RED_LIST", "CLEAN_RECORD"] | None
    reason: str
    honours: list[HonourRecord]
    bad_records: list[BadRecord]
    credit_records: list[CreditBadRecord] = Field(
        default_factory=list,
        description="breached commitments and unrectified WARNING interviews in the window",
    )
    clean_since: dt.date | None = Field(description="the day after the last bad record ended")
    note: str = (
        "as far as this system knows (its findings, liabilities, commitments and interviews)"
    )


def _applied_days(finding: Row, start: dt.date, end: dt.date) -> dt.date | None:
    """The last day in ``start..end`` on which the finding applied (as now known)."""
    last = None
    for valid_from, valid_to in zip(finding["line_from"], finding["line_to"], strict=True):
        low, high = max(valid_from, start), min(valid_to, end)
        if low <= high and (last is None or high > last):
            last = high
    return last


def _probe_dates(rows: Sequence[Row], start: dt.date, end: dt.date) -> list[dt.date]:
    """Days on which a person's liabilities may begin within the window: its start and end and
    each start of a linked finding's applying interval inside it."""
    days = {start, end}
    for row in rows:
        for valid_from, valid_to in zip(row["line_from"], row["line_to"], strict=True):
            if valid_from <= end and valid_to >= start:
                days.add(max(valid_from, start))
                days.add(min(valid_to, end))
    return sorted(days)


def green_channel(runner: QueryRunner, subject: SubjectKey, as_of: dt.date) -> GreenChannel:
    """Is ``subject`` eligible for the green channel on ``as_of``, and why?

    Eligible when on the red list (an honour valid on ``as_of``) or after ``CLEAN_YEARS``
    consecutive years without a bad record — and in neither case while a bad record still
    applies. A bad record is any finding against the subject, or (persons) any liability, that
    applied on any day of the last three years, not only one that applies today. An enterprise
    established less than ``CLEAN_YEARS`` ago cannot have a clean record of that length.
    ``NotFound`` for an unknown subject.
    """
    key = subject.normalised()
    start = plus_years(as_of, -CLEAN_YEARS)
    row = runner.read_one(
        cypher("signals_subject_record"),
        uscc=key.uscc,
        id_type=key.id_type,
        id_number=key.id_number,
        as_of=as_of,
        known_at=LATEST,
        limit=MAX_CANDIDATES,
    )
    if row is None:
        raise NotFound("no such subject in the graph")
    honours = [HonourRecord(**item) for item in row["honours"]]
    records = []
    ended_before: list[dt.date] = []
    for finding in row["findings"]:
        last = _applied_days(finding, start, as_of)
        earlier = _applied_days(finding, dt.date.min, as_of)
        if earlier is not None and last is None:
            ended_before.append(earlier)
        if last is not None:
            records.append(
                BadRecord(
                    finding_id=finding["finding_id"],
                    list_type=finding.get("list_type"),
                    via="SUBJECT",
                    decided_on=finding["decided_on"],
                    ended=last,
                    current=last >= as_of,
                )
            )
    enterprise = person = None
    if key.uscc is not None:
        enterprise = EnterpriseRef(uscc=key.uscc, name=row["name"])
    else:
        person_key = key.person_key
        assert person_key is not None
        person = PersonRef.of(person_key.id_type, person_key.id_number, row["name"])
        records += _liability_records(runner, person_key, row["linked"], start, as_of)
    records.sort(key=lambda item: (item.ended or item.decided_on, item.finding_id), reverse=True)
    credit = credit_bad_records(subject_records(runner, key, as_of), start, as_of)
    last = max(
        [
            *(item.ended or item.decided_on for item in records),
            *(as_of if item.current else item.ended or item.since for item in credit),
        ],
        default=None,
    )
    latest = max([*ended_before, *([last] if last else [])], default=None)
    clean_since = latest + dt.timedelta(days=1) if latest is not None else row["established_on"]
    current = [item.finding_id for item in records if item.current]
    current += [item.record_id for item in credit if item.current]
    basis: Literal["RED_LIST", "CLEAN_RECORD"] | None = None
    if current:
        ids = ", ".join(sorted(set(current)))
        reason = f"a bad record still applies ({ids})"
        if honours:
            reason += "; the red-list honour conflicts with it and must be revoked"
    elif honours:
        best = honours[0]
        basis = "RED_LIST"
        reason = f"on the red list: {best.honour} granted on {best.granted_on}"
    elif row["established_on"] is not None and row["established_on"] > start:
        reason = f"established on {row['established_on']}, less than {CLEAN_YEARS} years ago"
    elif last is not None:
        reason = f"a bad record applied until {last}, less than {CLEAN_YEARS} years ago"
    else:
        basis = "CLEAN_RECORD"
        since = f"since {clean_since}" if clean_since else "on record"
        reason = f"no bad record {since}: {CLEAN_YEARS} or more consecutive clean years"
    return GreenChannel(
        enterprise=enterprise,
        person=person,
        as_of=as_of,
        eligible=basis is not None,
        basis=basis,
        reason=reason,
        honours=honours,
        bad_records=records,
        credit_records=credit,
        clean_since=clean_since,
    )


def _liability_records(
    runner: QueryRunner, person: PersonKey, linked: Sequence[Row], start: dt.date, end: dt.date
) -> list[BadRecord]:
    """Liabilities of a person on any day of the window (checked on each day one may begin)."""
    found: dict[tuple[str, str], BadRecord] = {}
    for day in _probe_dates(linked, start, end):
        for item in check_people(runner, [person], day)[0].liabilities:
            if item.via == "SUBJECT" or not item.measures:  # own listings, or only eligible
                continue
            key = (item.finding_id, item.rule)
            previous = found.get(key)
            if previous is None or (previous.ended or day) < day:
                found[key] = BadRecord(
                    finding_id=item.finding_id,
                    list_type=item.list_type,
                    via=item.rule,
                    decided_on=item.decided_on,
                    ended=day,
                    current=day >= end,
                )
    return list(found.values())


# -- red-list conflicts ----------------------------------------------------------------------


class RedListConflict(BaseModel):
    """A red-listed subject that a finding in force reaches with honours revocation."""

    honour: HonourRecord
    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None
    finding_ids: list[str]
    rules: list[str]
    evidence: list[Liability] = Field(
        default_factory=list, description="the engine's liabilities carrying the measure"
    )


def red_list_conflicts(
    runner: QueryRunner, as_of: dt.date, limit: int = 50, offset: int = 0
) -> Page[RedListConflict]:
    """Red-listed enterprises and persons reached by a finding in force with ``HONOURS_REVOKED``
    (the memoranda for the listed subject, R3 for persons): the honour must be revoked
    (及时撤销荣誉称号)."""
    check_page(limit, offset)
    rows = runner.read(
        cypher("signals_honoured"), as_of=as_of, known_at=LATEST, limit=MAX_CANDIDATES
    )
    reached = reaches(runner, sorted({fid for row in rows for fid in row["findings"]}), as_of)
    people = list(
        dict.fromkeys(
            PersonKey(r["person"]["id_type"], r["person"]["id_number"]) for r in rows if r["person"]
        )
    )
    answers = {
        check.subject.key: check
        for check in check_many(runner, people, as_of)
        if isinstance(check.subject, PersonRef)
    }
    conflicts = []
    for row in rows:
        evidence: list[Liability] = []
        person: PersonRef | None = None
        if row["enterprise"]:
            evidence = [
                reach.subject_measures
                for fid in row["findings"]
                if (reach := reached.get(fid)) is not None
                and reach.subject_measures is not None
                and HONOURS_MEASURE in reach.subject_measures.measures
            ]
        elif row["person"]:
            check = answers[PersonKey(row["person"]["id_type"], row["person"]["id_number"])]
            assert isinstance(check.subject, PersonRef)
            person = check.subject
            evidence = [item for item in check.liabilities if HONOURS_MEASURE in item.measures]
        if evidence:
            conflicts.append(
                RedListConflict(
                    honour=HonourRecord(**row["honour"]),
                    enterprise=EnterpriseRef(**row["enterprise"]) if row["enterprise"] else None,
                    person=person,
                    finding_ids=sorted({item.finding_id for item in evidence}),
                    rules=sorted({item.rule for item in evidence}),
                    evidence=evidence,
                )
            )
    return _page_of(conflicts, as_of, limit, offset, len(rows))


class RevokedHonour(BaseModel):
    """A red-list honour after its revocation, with its holder."""

    honour: HonourRecord
    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None


def honour(runner: QueryRunner, honour_id: str) -> RevokedHonour:
    """One red-list honour with its holder; ``NotFound`` when unknown."""
    row = runner.read_one(cypher("signals_honour"), honour_id=honour_id)
    if row is None:
        raise NotFound(f"no red-list honour with id {honour_id}")
    person = row["person"]
    return RevokedHonour(
        honour=HonourRecord(
            **{k: v for k, v in row["honour"].items() if k in HonourRecord.model_fields}
        ),
        enterprise=EnterpriseRef(**row["enterprise"]) if row["enterprise"] else None,
        person=PersonRef.of(person["id_type"], person["id_number"], person.get("name"))
        if person
        else None,
    )


def revoke_honour(
    runner: QueryRunner,
    honour_id: str,
    revoked_on: dt.date,
    actor: str,
    reason: str,
    document: str | None,
    clock: Clock,
) -> RevokedHonour:
    """Record the revocation of a red-list honour (及时撤销荣誉称号, e.g. after a red-list
    conflict) effective ``revoked_on`` — come, and not before the grant: ``InvalidInput``. From
    that day it no longer counts for the red list, the green channel or a conflict.
    ``NotFound`` for an unknown honour, ``Conflict`` when it is already revoked."""
    current = honour(runner, honour_id)
    if revoked_on > clock.today():
        raise InvalidInput(f"revoked_on {revoked_on} is in the future (today {clock.today()})")
    if revoked_on < current.honour.granted_on:
        raise InvalidInput(f"revoked_on {revoked_on} is before the grant")
    rows = runner.write(
        cypher("signals_revoke_honour"),
        honour_id=honour_id,
        revoked_on=revoked_on,
        revoked_by=actor,
        reason=reason,
        document=document,
        recorded_at=clock.now(),
    )
    if not rows:
        raise Conflict(f"honour {honour_id} is already revoked")
    return honour(runner, honour_id)


# -- ban breaches ----------------------------------------------------------------------------


class Position(BaseModel):
    """A position (HOLDS) or a practitioner registration (REGISTERED_AT) at an enterprise."""

    enterprise: EnterpriseRef
    role: str
    start_date: dt.date | None
    end_date: dt.date | None = None


class BanBreach(BaseModel):
    """A banned person holding a post (or registered) at another enterprise while the ban runs."""

    person: PersonRef
    ban: Liability = Field(description="the engine's liability imposing the ban (path = old post)")
    effect: str
    ban_from: dt.date
    ban_until: dt.date | None
    new_position: Position


def _overlaps(post: Row, start: dt.date, end: dt.date) -> bool:
    begin, finish = post.get("start_date"), post.get("end_date")
    return (begin is None or begin <= end) and (finish is None or finish >= start)


def _breaches(check: Check, positions: Sequence[Row], as_of: dt.date) -> list[BanBreach]:
    assert isinstance(check.subject, PersonRef)
    found = []
    for liability in check.liabilities:
        for effect in liability.effects:
            roles = BAN_ROLES.get(effect)
            if roles is None:
                continue
            until = liability.effective_until
            listed = liability.enterprise.uscc if liability.enterprise else None
            for post in positions:
                registration = post["kind"] == "REGISTERED_AT"
                wanted = effect in REGISTRATION_BANS if registration else post["role"] in roles
                if (
                    wanted
                    and post["uscc"] != listed
                    and _overlaps(post, liability.decided_on, min(as_of, until or as_of))
                    and (not registration or (post["start_date"] or as_of) >= liability.decided_on)
                ):
                    found.append(
                        BanBreach(
                            person=check.subject,
                            ban=liability,
                            effect=effect,
                            ban_from=liability.decided_on,
                            ban_until=until,
                            new_position=Position(
                                enterprise=EnterpriseRef(uscc=post["uscc"], name=post.get("name")),
                                role=post["role"],
                                start_date=post.get("start_date"),
                                end_date=post.get("end_date"),
                            ),
                        )
                    )
    return found


def ban_breaches(
    runner: QueryRunner, as_of: dt.date, limit: int = 50, offset: int = 0
) -> Page[BanBreach]:
    """Persons under an officer ban (R7) or a market ban (R2) on ``as_of`` who held a legal
    representative or principal post (R7), an officer post (R2) at another enterprise on any day
    of the ban — appointed before or during it (art. 15) — or, under a market ban, registered as
    a practitioner at another enterprise during it. Newest post first."""
    check_page(limit, offset)
    roles = sorted(set().union(*BAN_ROLES.values()))
    rows = runner.read(
        cypher("signals_ban_candidates"),
        as_of=as_of,
        known_at=LATEST,
        roles=roles,
        limit=MAX_CANDIDATES,
    )
    positions = {PersonKey(row["id_type"], row["id_number"]): row["positions"] for row in rows}
    breaches = [
        breach
        for check in check_many(runner, list(positions), as_of)
        if isinstance(check.subject, PersonRef)
        for breach in _breaches(check, positions[check.subject.key], as_of)
    ]
    breaches.sort(
        key=lambda b: (b.new_position.start_date or dt.date.min, b.person.id_number or ""),
        reverse=True,
    )
    return _page_of(breaches, as_of, limit, offset, len(rows))


# -- repeat offenders ------------------------------------------------------------------------


class RepeatOffender(BaseModel):
    """A person liable through several findings (屡犯不改)."""

    person: PersonRef
    findings: int
    enterprises: int
    finding_ids: list[str]
    enterprise_usccs: list[str]
    rules: list[str]
    evidence: list[Liability]


def repeat_offenders(
    runner: QueryRunner,
    as_of: dt.date,
    min_findings: int = 2,
    limit: int = 50,
    offset: int = 0,
) -> Page[RepeatOffender]:
    """Persons liable on ``as_of`` through at least ``min_findings`` distinct findings, most
    findings first, with every liability as evidence."""
    check_page(limit, offset)
    if not 2 <= min_findings <= 1000:
        raise InvalidInput("min_findings must be in 2..1000")
    people = linked_people(runner, as_of, min_findings, MAX_CANDIDATES)
    offenders = []
    for check in check_many(runner, people, as_of):
        assert isinstance(check.subject, PersonRef)
        by_rule = [item for item in check.liabilities if item.rule != "LIST"]
        finding_ids = sorted({item.finding_id for item in check.liabilities})
        if len(finding_ids) < min_findings:
            continue
        usccs = sorted({item.enterprise.uscc for item in by_rule if item.enterprise})
        offenders.append(
            RepeatOffender(
                person=check.subject,
                findings=len(finding_ids),
                enterprises=len(usccs),
                finding_ids=finding_ids,
                enterprise_usccs=usccs,
                rules=sorted({item.rule for item in check.liabilities}),
                evidence=check.liabilities,
            )
        )
    offenders.sort(key=lambda o: (-o.findings, -o.enterprises, o.person.id_number or ""))
    return _page_of(offenders, as_of, limit, offset, len(people))


# -- phoenix candidates ----------------------------------------------------------------------


class SharedPerson(BaseModel):
    """A person with a post or shares at both the listed and the new enterprise."""

    person: PersonRef
    listed_roles: list[str]
    new_roles: list[str]


class PhoenixCandidate(BaseModel):
    """A new enterprise that may continue a listed one (people and/or address reappear)."""

    finding_id: str
    list_type: str | None = None
    decided_on: dt.date
    listed: EnterpriseRef
    new: EnterpriseRef
    established_on: dt.date
    days_after_listing: int
    shared_people: list[SharedPerson]
    same_address: bool
    address: str | None = None
    score: float = Field(description="Σ shared people's role weights + address + time proximity")


def _weight(roles: Sequence[str]) -> float:
    return max((ROLE_WEIGHTS.get(role, OTHER_ROLE_WEIGHT) for role in roles), default=0.0)


def _phoenix(row: Row, window_days: int) -> PhoenixCandidate:
    finding, listed, new = row["finding"], row["listed"], row["new"]
    shared = [
        SharedPerson(
            person=PersonRef.of(
                item["person"]["id_type"], item["person"]["id_number"], item["person"].get("name")
            ),
            listed_roles=sorted(item["listed_roles"]),
            new_roles=sorted(item["new_roles"]),
        )
        for item in row["people"]
    ]
    days = (new["established_on"] - finding["decided_on"]).days
    score = sum(_weight(item.listed_roles + item.new_roles) for item in shared)
    score += ADDRESS_WEIGHT if row["same_address"] else 0.0
    score += PROXIMITY_WEIGHT * max(0.0, 1 - days / window_days)
    return PhoenixCandidate(
        finding_id=finding["finding_id"],
        list_type=finding.get("list_type"),
        decided_on=finding["decided_on"],
        listed=EnterpriseRef(uscc=listed["uscc"], name=listed.get("name")),
        new=EnterpriseRef(uscc=new["uscc"], name=new.get("name")),
        established_on=new["established_on"],
        days_after_listing=days,
        shared_people=shared,
        same_address=bool(row["same_address"]),
        address=listed.get("address") if row["same_address"] else None,
        score=round(score, 2),
    )


def phoenix_candidates(
    runner: QueryRunner,
    as_of: dt.date,
    window_days: int = 365,
    limit: int = 50,
    offset: int = 0,
) -> Page[PhoenixCandidate]:
    """Enterprises established within ``window_days`` after another was listed that share its
    people (posts or shares held at the listed enterprise on or before the decision) or its
    ``address``; one entry per (listed, new) pair (its best-scoring finding), best first.
    Revoked findings (void from the start) are left out."""
    check_page(limit, offset)
    if not 1 <= window_days <= 3650:
        raise InvalidInput("window_days must be in 1..3650")
    rows = runner.read(
        cypher("signals_phoenix"), as_of=as_of, window_days=window_days, limit=MAX_CANDIDATES
    )
    best: dict[tuple[str, str], PhoenixCandidate] = {}
    for row in rows:
        candidate = _phoenix(row, window_days)
        pair = (candidate.listed.uscc, candidate.new.uscc)
        if pair not in best or candidate.score > best[pair].score:
            best[pair] = candidate
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.days_after_listing, c.new.uscc))
    return _page_of(ranked, as_of, limit, offset, len(rows))
