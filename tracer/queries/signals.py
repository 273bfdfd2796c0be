"""Signals (DOMAIN.md §10–§11): green channel, red-list conflicts, ban breaches, repeat offenders,
phoenix candidates.

Graph queries here only *select candidates* (structure and dates); whether a person is liable,
under which rule, with which measures and until when always comes from the liability engine
(``check_people``, one round trip per batch). Every signal is bounded (candidates scanned at most
``MAX_CANDIDATES``) and paginated, and carries its evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from tracer.domain.errors import InvalidInput, NotFound
from tracer.queries.catalogue import cypher
from tracer.queries.liability import Liability, PersonCheck, check_people
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.paths import SubjectKey
from tracer.queries.runner import QueryRunner, Row
from tracer.queries.worklist import checks, linked_people, pushed_findings

MAX_PAGE = 500
MAX_CANDIDATES = 10_000
CLEAN_YEARS = 3
#: The measure whose reach makes an honour conflict with a finding (R3 in the shipped rules).
HONOURS_MEASURE = "HONOURS_REVOKED"
#: Effect → roles whose *taking* during the ban is a breach.
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


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be in 1..{MAX_PAGE}")
    if offset < 0:
        raise InvalidInput("offset must be >= 0")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# -- green channel ---------------------------------------------------------------------------


class HonourRecord(BaseModel):
    """A red-list entry."""

    honour_id: str
    honour: str
    granted_by: str | None = None
    granted_on: dt.date
    valid_until: dt.date | None = None


class BadRecord(BaseModel):
    """A finding against the subject, or (persons) a liability, that counts as a bad record."""

    finding_id: str
    list_type: str | None = None
    status: str | None = None
    via: str = Field(description="SUBJECT (finding against it) or the rule that makes it liable")
    decided_on: dt.date
    ended: dt.date | None = Field(description="when the record ended; as_of if it still applies")
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
    clean_since: dt.date | None = Field(description="the day after the last bad record ended")


def _bad_records(row: Row, as_of: dt.date) -> list[BadRecord]:
    return [
        BadRecord(
            finding_id=item["finding_id"],
            list_type=item.get("list_type"),
            status=item.get("status"),
            via="SUBJECT",
            decided_on=item["decided_on"],
            ended=item["ended"],
            current=item["ended"] >= as_of and item.get("status") in ("ACTIVE", "UNDER_REVIEW"),
        )
        for item in row["findings"]
    ]


def _liability_records(liabilities: Sequence[Liability], as_of: dt.date) -> list[BadRecord]:
    return [
        BadRecord(
            finding_id=item.finding_id,
            list_type=item.list_type,
            status="ACTIVE",
            via=item.rule,
            decided_on=item.decided_on,
            ended=as_of,
            current=True,
        )
        for item in liabilities
        if item.via != "SUBJECT"
    ]


def green_channel(runner: QueryRunner, subject: SubjectKey, as_of: dt.date) -> GreenChannel:
    """Is ``subject`` eligible for the green channel on ``as_of``, and why?

    Eligible when on the red list (an honour valid on ``as_of``) or after ``CLEAN_YEARS``
    consecutive years without a bad record — and in neither case while a bad record still
    applies (an honour that meets an active finding is a red-list conflict). Bad records are the
    findings against the subject (not REVOKED or CORRECTED) and, for persons, the liabilities the
    engine finds on ``as_of``. An enterprise established less than ``CLEAN_YEARS`` ago cannot have
    a clean record of that length. ``NotFound`` for an unknown subject.
    """
    key = subject.normalised()
    row = runner.read_one(
        cypher("signals_subject_record"),
        uscc=key.uscc,
        id_type=key.id_type,
        id_number=key.id_number,
        as_of=as_of,
        limit=MAX_PAGE,
    )
    if row is None:
        raise NotFound("no such subject in the graph")
    honours = [HonourRecord(**item) for item in row["honours"]]
    records = _bad_records(row, as_of)
    enterprise = person = None
    if key.uscc is not None:
        enterprise = EnterpriseRef(uscc=key.uscc, name=row["name"])
    else:
        assert key.id_type is not None and key.id_number is not None
        person = PersonRef.of(key.id_type, key.id_number, row["name"])
        check = check_people(runner, [(key.id_type, key.id_number)], as_of)[0]
        records += _liability_records(check.liabilities, as_of)
    records.sort(key=lambda item: (item.ended or item.decided_on, item.finding_id), reverse=True)
    last = max((item.ended or item.decided_on for item in records), default=None)
    clean_since = last + dt.timedelta(days=1) if last is not None else row["established_on"]
    current = [item for item in records if item.current]
    threshold = _years_before(as_of, CLEAN_YEARS)
    basis: Literal["RED_LIST", "CLEAN_RECORD"] | None = None
    if current:
        ids = ", ".join(sorted({item.finding_id for item in current}))
        reason = f"a bad record still applies ({ids})"
        if honours:
            reason += "; the red-list honour conflicts with it and must be revoked"
    elif honours:
        best = honours[0]
        basis = "RED_LIST"
        reason = f"on the red list: {best.honour} granted on {best.granted_on}"
    elif row["established_on"] is not None and row["established_on"] > threshold:
        reason = f"established on {row['established_on']}, less than {CLEAN_YEARS} years ago"
    elif last is not None and last >= threshold:
        reason = f"last bad record ended on {last}, less than {CLEAN_YEARS} years ago"
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
        clean_since=clean_since,
    )


# -- red-list conflicts ----------------------------------------------------------------------


class RedListConflict(BaseModel):
    """A red-listed subject that an applying finding reaches with honours revocation."""

    honour: HonourRecord
    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None
    finding_ids: list[str]
    rules: list[str]
    evidence: list[Liability] = Field(
        default_factory=list,
        description="for persons: the engine's liabilities carrying the measure",
    )


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a signal, with the total found within the scan bound."""

    as_of: dt.date
    total: int
    limit: int
    offset: int
    truncated: bool = Field(description="the candidate scan hit its bound; totals may be low")
    items: list[T]

    @classmethod
    def of(cls, found: list[T], as_of: dt.date, limit: int, offset: int, scanned: int) -> Page[T]:
        """The page ``offset .. offset + limit`` of everything ``found``; ``scanned`` is the
        number of candidates the bounded scan returned."""
        return cls(
            as_of=as_of,
            total=len(found),
            limit=limit,
            offset=offset,
            truncated=scanned >= MAX_CANDIDATES,
            items=found[offset : offset + limit],
        )


def red_list_conflicts(
    runner: QueryRunner, as_of: dt.date, limit: int = 50, offset: int = 0
) -> Page[RedListConflict]:
    """Red-listed enterprises and persons reached by an applying finding with ``HONOURS_REVOKED``
    (R3): the honour must be revoked (及时撤销荣誉称号)."""
    _check_page(limit, offset)
    rows = runner.read(cypher("signals_honoured"), as_of=as_of, limit=MAX_CANDIDATES)
    finding_ids = sorted({fid for row in rows for fid in row["findings"]})
    _, pushed = pushed_findings(
        runner, as_of, finding_ids=finding_ids, owned=[HONOURS_MEASURE], limit=MAX_CANDIDATES
    )
    enterprise_rules = {item.finding_id: item.subject_measures[HONOURS_MEASURE] for item in pushed}
    people = list(
        dict.fromkeys(
            (r["person"]["id_type"], r["person"]["id_number"]) for r in rows if r["person"]
        )
    )
    answers = {(c.subject.id_type, c.subject.id_number): c for c in checks(runner, people, as_of)}
    conflicts = []
    for row in rows:
        honour = HonourRecord(**row["honour"])
        if row["enterprise"]:
            hits = [fid for fid in row["findings"] if fid in enterprise_rules]
            if hits:
                conflicts.append(
                    RedListConflict(
                        honour=honour,
                        enterprise=EnterpriseRef(**row["enterprise"]),
                        finding_ids=hits,
                        rules=sorted({rule for fid in hits for rule in enterprise_rules[fid]}),
                    )
                )
        elif row["person"]:
            check = answers[(row["person"]["id_type"], row["person"]["id_number"])]
            evidence = [item for item in check.liabilities if HONOURS_MEASURE in item.measures]
            if evidence:
                conflicts.append(
                    RedListConflict(
                        honour=honour,
                        person=check.subject,
                        finding_ids=sorted({item.finding_id for item in evidence}),
                        rules=sorted({item.rule for item in evidence}),
                        evidence=evidence,
                    )
                )
    return Page[RedListConflict].of(conflicts, as_of, limit, offset, len(rows))


# -- ban breaches ----------------------------------------------------------------------------


class Position(BaseModel):
    """A position (HOLDS) at an enterprise."""

    enterprise: EnterpriseRef
    role: str
    start_date: dt.date
    end_date: dt.date | None = None


class BanBreach(BaseModel):
    """A banned person who took a post at another enterprise while the ban ran."""

    person: PersonRef
    ban: Liability = Field(description="the engine's liability imposing the ban (path = old post)")
    effect: str
    ban_from: dt.date
    ban_until: dt.date | None
    new_position: Position


def _breaches(check: PersonCheck, positions: Sequence[Row], as_of: dt.date) -> list[BanBreach]:
    found = []
    for liability in check.liabilities:
        for effect in liability.effects:
            roles = BAN_ROLES.get(effect)
            if roles is None:
                continue
            until = liability.effective_until
            listed = liability.enterprise.uscc if liability.enterprise else None
            for post in positions:
                start: dt.date = post["start_date"]
                if (
                    post["role"] in roles
                    and post["uscc"] != listed
                    and liability.decided_on <= start <= as_of
                    and (until is None or start <= until)
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
                                start_date=start,
                                end_date=post.get("end_date"),
                            ),
                        )
                    )
    return found


def ban_breaches(
    runner: QueryRunner, as_of: dt.date, limit: int = 50, offset: int = 0
) -> Page[BanBreach]:
    """Persons under a market ban (R2) or officer ban (R7) on ``as_of`` who took a legal
    representative, principal or officer post (R7: legal representative or principal only) at
    another enterprise between the ban's decision and ``as_of`` while the ban ran; with both
    posts (the banned one is the liability's path) and their dates. Newest post first."""
    _check_page(limit, offset)
    roles = sorted(set().union(*BAN_ROLES.values()))
    rows = runner.read(
        cypher("signals_ban_candidates"), as_of=as_of, roles=roles, limit=MAX_CANDIDATES
    )
    positions = {(row["id_type"], row["id_number"]): row["positions"] for row in rows}
    breaches = [
        breach
        for check in checks(runner, list(positions), as_of)
        for breach in _breaches(
            check, positions[(check.subject.id_type, check.subject.id_number)], as_of
        )
    ]
    breaches.sort(key=lambda b: (b.new_position.start_date, b.person.id_number or ""), reverse=True)
    return Page[BanBreach].of(breaches, as_of, limit, offset, len(rows))


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
    _check_page(limit, offset)
    if not 2 <= min_findings <= 1000:
        raise InvalidInput("min_findings must be in 2..1000")
    people = linked_people(runner, as_of, min_findings, MAX_CANDIDATES)
    offenders = []
    for check in checks(runner, people, as_of):
        finding_ids = sorted({item.finding_id for item in check.liabilities})
        if len(finding_ids) < min_findings:
            continue
        usccs = sorted({item.enterprise.uscc for item in check.liabilities if item.enterprise})
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
    return Page[RepeatOffender].of(offenders, as_of, limit, offset, len(people))


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
    ``address``; one entry per (listed, new) pair (its best-scoring finding), best first."""
    _check_page(limit, offset)
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
    return Page[PhoenixCandidate].of(ranked, as_of, limit, offset, len(rows))
