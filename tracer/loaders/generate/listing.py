"""Findings (black list entries) with the persons they name and their later changes, and the
red list.

List types and the categories they fix come from the shipped reference tables
(``tracer.queries.reference``), and so do the default periods per list type and ground
(``list_type_periods``): a decision states its term, or leaves it empty when it is the default.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from tracer.domain.timeline import period_end
from tracer.loaders.generate.departments import Department
from tracer.loaders.generate.practitioners import Registration
from tracer.loaders.generate.regions import District
from tracer.loaders.generate.staff import Staff, Tenure
from tracer.loaders.generate.world import Org, Person, World, add_years
from tracer.queries.reference import pick, shipped_tables

PREFIXES = {
    "SERIOUS_DISHONESTY": "SD",
    "JUDGMENT_DEFAULTER": "JD",
    "MAJOR_TAX_VIOLATION": "TX",
    "MARKET_SUPERVISION_SERIOUS": "MS",
    "WAGE_ARREARS": "WA",
    "WORK_SAFETY_SERIOUS": "WS",
    "FOOD_DRUG_SERIOUS": "FD",
    "ENVIRONMENT_SERIOUS": "EN",
    "ADMINISTRATIVE_DECISION_DEFAULTER": "AD",
}
# Initiating department kind and document-number pattern per list type.
_AUTHORITY = {
    "JUDGMENT_DEFAULTER": ("COURT", ""),
    "MAJOR_TAX_VIOLATION": ("TAX", "税稽罚"),
    "MARKET_SUPERVISION_SERIOUS": ("MARKET_SUPERVISION", "市监处罚"),
    "WAGE_ARREARS": ("HUMAN_RESOURCES", "人社监处"),
    "SERIOUS_DISHONESTY": ("DEVELOPMENT_REFORM", "发改信用"),
    "WORK_SAFETY_SERIOUS": ("EMERGENCY_MANAGEMENT", "应急罚"),
    "FOOD_DRUG_SERIOUS": ("MARKET_SUPERVISION", "市监食药罚"),
    "ENVIRONMENT_SERIOUS": ("ECOLOGY_ENVIRONMENT", "环罚"),
    "ADMINISTRATIVE_DECISION_DEFAULTER": ("MARKET_SUPERVISION", "市监强执"),
}
_BASE_WEIGHTS = {
    "JUDGMENT_DEFAULTER": 34,
    "MARKET_SUPERVISION_SERIOUS": 18,
    "MAJOR_TAX_VIOLATION": 14,
    "SERIOUS_DISHONESTY": 14,
    "WAGE_ARREARS": 6,
    "ADMINISTRATIVE_DECISION_DEFAULTER": 2,
}
_LISTING_RATE = {
    "ENTERPRISE": 0.035,
    "INDIVIDUAL_BUSINESS": 0.015,
    "COOPERATIVE": 0.012,
    "PUBLIC_INSTITUTION": 0.01,
    "SOCIAL_ORGANISATION": 0.01,
    "ORGAN": 0.004,
}
_OFFICERS = frozenset({"CHAIRMAN", "DIRECTOR", "GENERAL_MANAGER", "SENIOR_MANAGER"})
_FOOD_DRUG_WORDS = frozenset({"医药", "大药房", "食品", "餐饮管理"})
ENTERPRISE_HONOURS = (
    ("纳税信用A级纳税人", "TAX", 1),
    ("守合同重信用企业", "MARKET_SUPERVISION", 2),
    ("海关高级认证企业（AEO）", "CUSTOMS", 0),
    ("劳动保障守法诚信示范单位", "HUMAN_RESOURCES", 3),
    ("文明单位", "CIVILISATION_OFFICE", 3),
)
PERSON_HONOURS = (
    ("劳动模范", "GOVERNMENT", 0),
    ("优秀民营企业家", "GOVERNMENT", 3),
    ("诚信经营示范个人", "MARKET_SUPERVISION", 3),
)


#: Grounds per list type with weights (若干规定 2017 art. 1 items 1–6; 总局令第83号 art. 5;
#: 食品安全法 art. 135); "" is written empty.
_GROUNDS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "JUDGMENT_DEFAULTER": (
        (
            "ABLE_BUT_REFUSING",
            "OBSTRUCTING_ENFORCEMENT",
            "EVADING_ENFORCEMENT",
            "PROPERTY_REPORT_VIOLATION",
            "CONSUMPTION_ORDER_VIOLATION",
            "SETTLEMENT_DEFAULT",
        ),
        (60, 6, 12, 12, 4, 6),
    ),
    "MARKET_SUPERVISION_SERIOUS": (
        ("ABNORMAL_3_YEARS", "FALSE_INFORMATION", "REPEATED_VIOLATION"),
        (75, 12, 13),
    ),
    "FOOD_DRUG_SERIOUS": (("LICENCE_REVOKED", ""), (40, 60)),
}
#: 若干规定 art. 1 item 1: no fixed term (ends on performance, art. 10).
OPEN_GROUND = "ABLE_BUT_REFUSING"
#: 若干规定 art. 2: two years for items 2–6, extended by one to three years.
COURT_YEARS = 2
COURT_EXTENSION_YEARS = 3
#: The term a decision states when its list type has no default period.
STATED_YEARS = 3
_DEFAULT_LEFT_EMPTY = 0.4
_SEVERE = 0.1
_PERSON_EXIT_BAN = 0.2
_OFFICER_EXIT_BAN = 0.12
_SUCCESSOR_NAMED = 0.35
_OBJECTION = 0.03
_EXTENSION = 0.1
_REVIEW_DAYS = 120
_VERIFY_DAYS = 15  # the default verification deadline of an objection (DOMAIN.md §8)
_STATUSES = ("ACTIVE", "UNDER_REVIEW", "REPAIRED", "REVOKED", "CORRECTED")
_STATUS_WEIGHTS = (80, 6, 8, 4, 2)
_OPEN_STATUS_WEIGHTS = (60, 5, 30, 3, 2)  # no fixed term: performance (REPAIRED) ends it


@cache
def fixed_categories() -> dict[str, str | None]:
    """List type code → the category it fixes (None: each finding gives its own)."""
    return {
        str(row["code"]): str(row["category"]) if row["category"] else None
        for row in shipped_tables()["list_types"]
    }


@cache
def _period_rows(list_type: str) -> tuple[dict[str, Any], ...]:
    return tuple(
        row for row in shipped_tables()["list_type_periods"] if row["list_type"] == list_type
    )


def default_years(list_type: str, ground: str, decided: date, region: str) -> int | None:
    """Years of the default period of a finding decided on ``decided`` (the row for its ground,
    else the list type's general one); None when there is no fixed default."""
    found = pick(_period_rows(list_type), lambda row: row["ground"], decided, region)
    by_ground = {row["ground"]: row for row in found}
    row = by_ground.get(ground) or by_ground.get("")
    return int(row["years"]) if row is not None and row["years"] else None


@dataclass(slots=True)
class Listing:
    """A finding about to be written."""

    list_type: str
    category: str
    ground: str
    authority: Department
    basis: str
    act: date | None
    decided: date
    until: date | None  # effective_until as written (None: empty, the default applies)
    end: date | None  # the last day it applies: ``until`` or the default (None: open)
    severe: bool = False
    exit_restricted: bool = False
    status: str = "ACTIVE"
    since: date | None = None

    @property
    def reference_day(self) -> date:
        """The day roles are judged on: the act, or the decision when the act is unknown."""
        return self.act or self.decided


def _weights(org: Org) -> dict[str, float]:
    industry = org.industry
    if org.kind in ("ORGAN", "PUBLIC_INSTITUTION"):
        return {"JUDGMENT_DEFAULTER": 70, "SERIOUS_DISHONESTY": 20, "WAGE_ARREARS": 10}
    if org.kind in ("COOPERATIVE", "SOCIAL_ORGANISATION"):
        return {"JUDGMENT_DEFAULTER": 50, "SERIOUS_DISHONESTY": 30, "MAJOR_TAX_VIOLATION": 20}
    weights: dict[str, float] = dict(_BASE_WEIGHTS)
    if org.kind == "INDIVIDUAL_BUSINESS":
        weights["FOOD_DRUG_SERIOUS"] = 15
    if industry is not None and industry.labour:
        weights["WAGE_ARREARS"] = 30
    if industry is not None and industry.hazard:
        weights["WORK_SAFETY_SERIOUS"] = 4
        weights["ENVIRONMENT_SERIOUS"] = 2
    if industry is not None and industry.word in _FOOD_DRUG_WORDS:
        weights["FOOD_DRUG_SERIOUS"] = 10
    return weights


def _category(world: World, list_type: str, org: Org) -> str:
    fixed = fixed_categories()[list_type]
    if fixed:
        return fixed
    roll = world.rng.random()
    if roll < 0.01:
        return "NATIONAL_DEFENCE"
    hazard = org.industry is not None and org.industry.hazard
    return "HEALTH_SAFETY" if hazard and roll < 0.6 else "MARKET_ORDER"


def _ground(rng: random.Random, list_type: str) -> str:
    if list_type not in _GROUNDS:
        return ""
    grounds, weights = _GROUNDS[list_type]
    return rng.choices(grounds, weights=weights)[0]


def _court_years(rng: random.Random, ground: str, default: int | None) -> int | None:
    """若干规定 art. 2: no fixed term on ground 1 (a few decisions set one anyway); else two
    years, extended by one to three years in some decisions."""
    if ground == OPEN_GROUND:
        return COURT_YEARS if rng.random() < 0.1 else None
    base = default or COURT_YEARS
    return base + rng.randint(1, COURT_EXTENSION_YEARS) if rng.random() < 0.15 else base


def _term_years(
    rng: random.Random, list_type: str, ground: str, default: int | None, stated: bool
) -> int | None:
    """The term a decision sets, in years (None: no fixed term)."""
    if list_type == "JUDGMENT_DEFAULTER":
        return _court_years(rng, ground, default)
    if default is None and list_type == "SERIOUS_DISHONESTY" and not stated:
        return None if rng.random() < 0.05 else STATED_YEARS
    return default or STATED_YEARS


def plan_term(
    world: World, list_type: str, ground: str, decided: date, region: str, stated: bool = False
) -> tuple[date | None, date | None]:
    """``(effective_until as written, the last day the finding applies)``, None for an empty
    cell and an open period. A term equal to the default is often left empty (the loader applies
    the default); ``stated`` (planted cases): always written, and open only where the ground has
    no fixed term."""
    rng = world.rng
    default = default_years(list_type, ground, decided, region)
    years = _term_years(rng, list_type, ground, default, stated)
    end = period_end(decided, years) if years else None
    is_default = default is not None and years == default
    if is_default and not stated and rng.random() < _DEFAULT_LEFT_EMPTY:
        return None, end
    return end, end


def _status(world: World, listing: Listing) -> str:
    """A status that fits the dates: a period that has passed is EXPIRED (or was repaired)."""
    rng = world.rng
    if listing.end is not None and listing.end < world.as_of:
        return "EXPIRED" if rng.random() < 0.85 else "REPAIRED"
    weights = _OPEN_STATUS_WEIGHTS if listing.end is None else _STATUS_WEIGHTS
    return rng.choices(_STATUSES, weights=weights)[0]


def _status_since(world: World, listing: Listing) -> date | None:
    """The effective date of a non-ACTIVE status: the day after the period for EXPIRED, a recent
    day for an objection under review, else a day after the decision within the period."""
    if listing.status == "ACTIVE":
        return None
    if listing.status == "EXPIRED" and listing.end is not None:
        return listing.end + timedelta(days=1)
    high = world.as_of if listing.end is None else min(listing.end, world.as_of)
    low = listing.decided + timedelta(days=1)
    if listing.status == "UNDER_REVIEW":
        low = max(low, high - timedelta(days=_REVIEW_DAYS))
    return world.day_between(low, high)


def settle(world: World, listing: Listing, status: str | None) -> None:
    """Give ``listing`` its status (from the dates when None) and the day it took effect."""
    listing.status = status or _status(world, listing)
    listing.since = _status_since(world, listing)


def basis_text(world: World, list_type: str, district: District, year: int) -> str:
    """A document number: ``（2023）京0105执1234号`` for courts, ``京朝税稽罚〔2023〕45号`` else."""
    number = world.rng.randint(1, 9_999)
    if list_type == "JUDGMENT_DEFAULTER":
        return f"（{year}）{district.court_code}执{number}号"
    return f"{district.doc_prefix}{_AUTHORITY[list_type][1]}〔{year}〕{number}号"


def _authority(world: World, org: Org, list_type: str) -> Department:
    """The initiating department: usually the local one, sometimes the one above."""
    kind = _AUTHORITY[list_type][0]
    if list_type == "SERIOUS_DISHONESTY" and org.industry is not None and org.industry.labour:
        kind = "HOUSING"
    directory = world.directory
    upper = directory.upper(kind, org.district) if world.rng.random() < 0.15 else None
    return upper or directory.local(kind, org.district)


def make_listing(
    world: World,
    org: Org,
    list_type: str,
    decided: date,
    act: date | None,
    status: str | None = None,
    category: str | None = None,
    ground: str | None = None,
    stated: bool = False,
) -> Listing:
    """A listing of ``org`` decided on ``decided``; status follows the dates and ground is drawn
    when not given; ``stated``: the decision writes its term (see ``plan_term``)."""
    rng = world.rng
    authority = _authority(world, org, list_type)
    year = decided.year if list_type != "JUDGMENT_DEFAULTER" else (act or decided).year
    basis = basis_text(world, list_type, org.district, year)
    ground = _ground(rng, list_type) if ground is None else ground
    until, end = plan_term(world, list_type, ground, decided, org.district.code, stated)
    category = category or _category(world, list_type, org)
    severe = rng.random() < _SEVERE
    listing = Listing(
        list_type, category, ground, authority, basis, act, decided, until, end, severe=severe
    )
    settle(world, listing, status)
    return listing


def plan_listings(world: World, org: Org) -> list[Listing]:
    """The findings ``org`` will get (usually none)."""
    rng = world.rng
    if rng.random() >= _LISTING_RATE[org.kind]:
        return []
    low = org.established + timedelta(days=180)
    high = world.as_of - timedelta(days=60)
    if low >= high:
        return []
    if rng.random() < 0.8:  # most listings on record are recent
        low = max(low, add_years(world.as_of, -6))
    weights = _weights(org)
    count = rng.choices((1, 2, 3), weights=(78, 18, 4))[0]
    listings = []
    for list_type in rng.choices(list(weights), weights=list(weights.values()), k=count):
        act = world.day_between(low, high)
        decided = min(act + timedelta(days=rng.randint(20, 540)), world.as_of - timedelta(days=1))
        listings.append(
            make_listing(world, org, list_type, decided, None if rng.random() < 0.08 else act)
        )
    return listings


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _flag(value: bool) -> str:
    return "true" if value else "false"


def write_finding(world: World, subject_kind: str, subject_id: str, listing: Listing) -> str:
    """Write one finding row; returns its id. The category is written only where the list type
    does not fix one (the loader rejects a category that disagrees with the list type)."""
    region = listing.authority.region_code
    finding_id = world.next_finding_id(PREFIXES[listing.list_type], region, listing.decided)
    own_category = fixed_categories()[listing.list_type] is None
    world.sink.emit_row(
        "findings",
        {
            "finding_id": finding_id,
            "subject_kind": subject_kind,
            "subject_id": subject_id,
            "list_type": listing.list_type,
            "category": listing.category if own_category else None,
            "ground": listing.ground or None,
            "severe": _flag(listing.severe),
            "exit_restricted": _flag(listing.exit_restricted),
            "authority": listing.authority.code,
            "basis": listing.basis,
            "act_date": _day(listing.act),
            "decided_on": listing.decided.isoformat(),
            "effective_until": _day(listing.until),
            "status": listing.status,
            "status_since": _day(listing.since),
        },
    )
    return finding_id


def record_listings(
    world: World,
    org: Org,
    staff: Staff,
    listings: list[Listing],
    registrations: list[Registration],
    controller: Person | None,
) -> None:
    """Write the findings of ``org``, the persons they name and their later changes."""
    for listing in listings:
        finding_id = write_finding(world, "ENTERPRISE", org.uscc, listing)
        if listing.list_type == "WAGE_ARREARS":
            _name_co_listed(world, finding_id, staff, listing)
        else:
            _name_responsible(world, finding_id, staff, listing, registrations)
        if listing.list_type == "JUDGMENT_DEFAULTER":
            _name_court_restrictions(world, finding_id, staff, listing)
        refuse = listing.category == "REFUSE_OBLIGATION"
        if controller is not None and world.rng.random() < (0.35 if refuse else 0.15):
            world.name_in(finding_id, controller, "ACTUAL_CONTROLLER")
        record_changes(world, finding_id, listing)
        world.offenders.extend(staff.heads_on(listing.reference_day))


def _name_responsible(
    world: World,
    finding_id: str,
    staff: Staff,
    listing: Listing,
    registrations: list[Registration],
) -> None:
    """DIRECTLY_RESPONSIBLE: often the head at the reference day, sometimes another officer, and
    a registered practitioner in health and safety findings."""
    rng = world.rng
    day = listing.reference_day
    heads = staff.heads_on(day)
    named: set[str] = set()
    if heads and rng.random() < 0.55:
        world.name_in(finding_id, heads[0], "DIRECTLY_RESPONSIBLE")
        named.add(heads[0].id_number)
    officers = [p for p in staff.officers_on(day, _OFFICERS) if p.id_number not in named]
    if officers and rng.random() < 0.25:
        person = rng.choice(officers)
        world.name_in(finding_id, person, "DIRECTLY_RESPONSIBLE")
        named.add(person.id_number)
    registered = [r for r in registrations if r.held_on(day)]
    if registered and listing.category == "HEALTH_SAFETY" and rng.random() < 0.5:
        registration = rng.choice(registered)
        registration.keep_until = max(registration.keep_until, day)
        if registration.person.id_number not in named:
            world.name_in(finding_id, registration.person, "DIRECTLY_RESPONSIBLE")


def _name_co_listed(world: World, finding_id: str, staff: Staff, listing: Listing) -> None:
    """CO_LISTED: a wage-arrears listing names the legal representative or principal and
    sometimes another directly responsible officer (保障农民工工资支付条例 art. 48)."""
    rng = world.rng
    heads = staff.heads_on(listing.decided)
    named = {person.id_number for person in heads[:1]}
    for head in heads[:1]:
        world.name_in(finding_id, head, "CO_LISTED")
    officers = [
        p for p in staff.officers_on(listing.reference_day, _OFFICERS) if p.id_number not in named
    ]
    if officers and rng.random() < 0.4:
        world.name_in(finding_id, rng.choice(officers), "CO_LISTED")


def _name_court_restrictions(world: World, finding_id: str, staff: Staff, listing: Listing) -> None:
    """A court's individual decisions on a defaulting enterprise: an exit ban on its legal
    representative (EXIT_RESTRICTED), and the consumption restriction extended to a successor
    appointed after the decision (RESTRICTED_OFFICER, from a day after his appointment)."""
    rng = world.rng
    heads = staff.heads_on(listing.decided)
    if heads and rng.random() < _OFFICER_EXIT_BAN:
        world.name_in(finding_id, heads[0], "EXIT_RESTRICTED")
    successors = staff.successors_after(listing.decided)
    if successors and listing.status == "ACTIVE" and rng.random() < _SUCCESSOR_NAMED:
        _name_successor(world, finding_id, successors[0], listing)


def _name_successor(world: World, finding_id: str, tenure: Tenure, listing: Listing) -> None:
    """Name ``tenure``'s holder from a day within a year of his appointment, in the period."""
    low = tenure.start + timedelta(days=1)
    ends = (world.as_of, listing.end, tenure.end, low + timedelta(days=365))
    high = min(day for day in ends if day is not None)
    if low <= high:
        effective = world.day_between(low, high)
        world.name_in(finding_id, tenure.person, "RESTRICTED_OFFICER", effective)


def record_changes(world: World, finding_id: str, listing: Listing) -> None:
    """Transitions of an ACTIVE finding that leave it ACTIVE (so its row and its transitions
    agree): sometimes an objection verified and dismissed, or a court's extension of the term."""
    if listing.status != "ACTIVE":
        return
    roll = world.rng.random()
    if roll < _OBJECTION:
        _objection(world, finding_id, listing)
    elif roll < _OBJECTION + _EXTENSION and _extendable(listing):
        _extension(world, finding_id, listing)


def _objection(world: World, finding_id: str, listing: Listing) -> None:
    """ACTIVE → UNDER_REVIEW → ACTIVE: an objection verified and dismissed (DOMAIN.md §8)."""
    low, high = listing.decided + timedelta(days=1), world.as_of - timedelta(days=_VERIFY_DAYS)
    if low > high:
        return
    filed = world.day_between(low, high)
    upheld = min(filed + timedelta(days=world.rng.randint(7, 60)), world.as_of)
    actor = listing.authority.code
    world.transition(finding_id, "UNDER_REVIEW", filed, actor, "异议受理，信息核实中")
    document = f"关于{listing.basis}的异议复核决定"
    world.transition(finding_id, "ACTIVE", upheld, actor, "核实无误，维持原认定", document)


def _extendable(listing: Listing) -> bool:
    """A court term of grounds 2–6 not yet at its longest (若干规定 art. 2)."""
    return (
        listing.list_type == "JUDGMENT_DEFAULTER"
        and listing.ground != OPEN_GROUND
        and listing.end is not None
        and listing.end < _longest_court_term(listing.decided)
    )


def _longest_court_term(decided: date) -> date:
    return period_end(decided, COURT_YEARS + COURT_EXTENSION_YEARS)


def _extension(world: World, finding_id: str, listing: Listing) -> None:
    """ACTIVE → ACTIVE with a new term: extended by one to three years, at most five in all."""
    assert listing.end is not None
    high = min(listing.end, world.as_of)
    effective = world.day_between(min(listing.decided + timedelta(days=90), high), high)
    years = world.rng.randint(1, COURT_EXTENSION_YEARS)
    longer = add_years(listing.end + timedelta(days=1), years) - timedelta(days=1)
    until = min(longer, _longest_court_term(listing.decided))
    actor, document = listing.authority.code, f"{listing.basis}之一"
    reason = "被执行人仍未履行，延长纳入失信被执行人名单期限"
    world.transition(finding_id, "ACTIVE", effective, actor, reason, document, until)


def list_person(world: World, person: Person, district: District) -> str | None:
    """A judgment-defaulter finding against ``person`` directly (resident ID holders only); the
    court sometimes restricts the person's exit."""
    if person.id_type != "RESIDENT_ID":
        return None
    rng = world.rng
    low = max(add_years(person.born, 25), world.as_of - timedelta(days=365 * 6))
    decided = world.day_between(low, world.as_of - timedelta(days=1))
    act = decided - timedelta(days=rng.randint(30, 400))
    court = world.directory.local("COURT", district)
    ground = _ground(rng, "JUDGMENT_DEFAULTER")
    until, end = plan_term(world, "JUDGMENT_DEFAULTER", ground, decided, district.code)
    listing = Listing(
        "JUDGMENT_DEFAULTER",
        "REFUSE_OBLIGATION",
        ground,
        court,
        basis_text(world, "JUDGMENT_DEFAULTER", district, act.year),
        act,
        decided,
        until,
        end,
        severe=rng.random() < _SEVERE,
        exit_restricted=rng.random() < _PERSON_EXIT_BAN,
    )
    settle(world, listing, None)
    finding_id = write_finding(world, "PERSON", person.id_number, listing)
    record_changes(world, finding_id, listing)
    return finding_id


def grant_honours(world: World, org: Org, staff: Staff, listings: list[Listing]) -> None:
    """Red list entries for ``org`` and its first head; listed subjects sometimes got one before
    their listing (a conflict the honour must be revoked for)."""
    rng = world.rng
    listed = [x for x in listings if x.status in ("ACTIVE", "UNDER_REVIEW")]
    first_listing = min((x.decided for x in listed), default=None)
    rate = 0.15 if first_listing else 0.03
    if org.kind in ("ENTERPRISE", "PUBLIC_INSTITUTION") and rng.random() < rate:
        honour, kind, years = rng.choice(ENTERPRISE_HONOURS)
        before = first_listing - timedelta(days=30) if first_listing else world.as_of
        _grant(world, "ENTERPRISE", org.uscc, org, honour, kind, years, org.established, before)
    head = staff.founder
    if head.id_type == "RESIDENT_ID" and rng.random() < (0.05 if first_listing else 0.004):
        honour, kind, years = rng.choice(PERSON_HONOURS)
        before = first_listing - timedelta(days=30) if first_listing else world.as_of
        _grant(world, "PERSON", head.id_number, org, honour, kind, years, org.established, before)


def _grant(
    world: World,
    subject_kind: str,
    subject_id: str,
    org: Org,
    honour: str,
    kind: str,
    years: int,
    after: date,
    before: date,
) -> None:
    low = after + timedelta(days=365)
    if low >= before:
        return
    granted = world.day_between(low, before)
    directory = world.directory
    department = (
        directory.customs(org.district)
        if kind == "CUSTOMS"
        else directory.upper(kind, org.district)
        if honour == "劳动模范"
        else directory.local(kind, org.district)
    )
    until = add_years(granted, years) if years else None
    world.honour(subject_kind, subject_id, honour, department.code, granted, until)
