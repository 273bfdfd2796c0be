"""Findings (black list entries) with named persons, and the red list.

List types, their categories and default punishment periods come from the shipped reference
table (``tracer.queries.reference``), so the generated periods follow the rules data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from tracer.loaders.generate.departments import Department
from tracer.loaders.generate.practitioners import Registration
from tracer.loaders.generate.regions import District
from tracer.loaders.generate.staff import Staff
from tracer.loaders.generate.world import Org, Person, World, add_years
from tracer.queries.reference import shipped_tables

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


@cache
def list_type_table() -> dict[str, tuple[str | None, int]]:
    """List type code → (fixed category or None, default period in years)."""
    return {
        str(row["code"]): (
            str(row["category"]) if row["category"] else None,
            int(str(row["default_period_years"] or 0)),
        )
        for row in shipped_tables()["list_types"]
    }


@dataclass(slots=True)
class Listing:
    """A finding about to be written."""

    list_type: str
    category: str
    authority: Department
    basis: str
    act: date | None
    decided: date
    until: date | None
    status: str

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
    fixed = list_type_table()[list_type][0]
    if fixed:
        return fixed
    roll = world.rng.random()
    if roll < 0.01:
        return "NATIONAL_DEFENCE"
    hazard = org.industry is not None and org.industry.hazard
    return "HEALTH_SAFETY" if hazard and roll < 0.6 else "MARKET_ORDER"


def basis_text(world: World, list_type: str, district: District, year: int) -> str:
    """A document number: ``（2023）京0105执1234号`` for courts, ``京朝税稽罚〔2023〕45号`` else."""
    number = world.rng.randint(1, 9_999)
    if list_type == "JUDGMENT_DEFAULTER":
        return f"（{year}）{district.court_code}执{number}号"
    return f"{district.doc_prefix}{_AUTHORITY[list_type][1]}〔{year}〕{number}号"


def make_listing(
    world: World,
    org: Org,
    list_type: str,
    decided: date,
    act: date | None,
    status: str | None = None,
    category: str | None = None,
) -> Listing:
    """A listing of ``org`` decided on ``decided``; status follows the dates when not given."""
    rng = world.rng
    kind = _AUTHORITY[list_type][0]
    if list_type == "SERIOUS_DISHONESTY" and org.industry is not None and org.industry.labour:
        kind = "HOUSING"
    district = org.district
    directory = world.directory
    authority = directory.upper(kind, district) if rng.random() < 0.15 else None
    authority = authority or directory.local(kind, district)
    year = decided.year if list_type != "JUDGMENT_DEFAULTER" else (act or decided).year
    basis = basis_text(world, list_type, district, year)
    period = list_type_table()[list_type][1]
    until = add_years(decided, period) if period else None
    if list_type == "SERIOUS_DISHONESTY" and rng.random() < 0.05:
        until = None
    if status is None:
        if until is not None and until < world.as_of:
            status = "EXPIRED" if rng.random() < 0.85 else "REPAIRED"
        else:
            status = rng.choices(
                ("ACTIVE", "UNDER_REVIEW", "REPAIRED", "REVOKED", "CORRECTED"),
                weights=(80, 6, 8, 4, 2),
            )[0]
    category = category or _category(world, list_type, org)
    return Listing(list_type, category, authority, basis, act, decided, until, status)


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


def write_finding(world: World, subject_kind: str, subject_id: str, listing: Listing) -> str:
    """Write one finding row; returns its id."""
    region = listing.authority.region_code
    finding_id = world.next_finding_id(PREFIXES[listing.list_type], region, listing.decided)
    world.sink.emit(
        "findings",
        {
            "finding_id": finding_id,
            "subject_kind": subject_kind,
            "subject_id": subject_id,
            "list_type": listing.list_type,
            "category": listing.category,
            "authority": listing.authority.code,
            "basis": listing.basis,
            "act_date": listing.act.isoformat() if listing.act else None,
            "decided_on": listing.decided.isoformat(),
            "effective_until": listing.until.isoformat() if listing.until else None,
            "status": listing.status,
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
) -> list[str]:
    """Write the findings of ``org`` and the persons they name; returns the finding ids."""
    rng = world.rng
    ids = []
    for listing in listings:
        finding_id = write_finding(world, "ENTERPRISE", org.uscc, listing)
        ids.append(finding_id)
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
        refuse = listing.category == "REFUSE_OBLIGATION"
        if controller is not None and rng.random() < (0.35 if refuse else 0.15):
            world.name_in(finding_id, controller, "ACTUAL_CONTROLLER")
        world.offenders.extend(heads)
    return ids


def list_person(world: World, person: Person, district: District) -> str | None:
    """A judgment-defaulter finding against ``person`` directly (resident ID holders only)."""
    if person.id_type != "RESIDENT_ID":
        return None
    rng = world.rng
    low = max(add_years(person.born, 25), world.as_of - timedelta(days=365 * 6))
    decided = world.day_between(low, world.as_of - timedelta(days=1))
    act = decided - timedelta(days=rng.randint(30, 400))
    court = world.directory.local("COURT", district)
    listing = Listing(
        "JUDGMENT_DEFAULTER",
        "REFUSE_OBLIGATION",
        court,
        basis_text(world, "JUDGMENT_DEFAULTER", district, act.year),
        act,
        decided,
        add_years(decided, list_type_table()["JUDGMENT_DEFAULTER"][1]),
        "ACTIVE" if rng.random() < 0.85 else "REPAIRED",
    )
    if listing.until is not None and listing.until < world.as_of:
        listing.status = "EXPIRED"
    return write_finding(world, "PERSON", person.id_number, listing)


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
