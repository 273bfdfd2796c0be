"""Officers over time: heads (legal representative or principal) with turnover, boards,
supervisors and managers. A change of head ends one position and starts the next the day after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from tracer.loaders.generate.draw import Weighted
from tracer.loaders.generate.world import Org, Person, World

#: Organisations headed by a principal (负责人) rather than a legal representative.
PRINCIPAL_HEADED = frozenset({"ORGAN", "INDIVIDUAL_BUSINESS"})
_SIZES = {"micro": (0, 1, 0), "small": (2, 1, 1), "large": (5, 3, 3)}
_SIZE = Weighted(("micro", "small", "large"), (60, 30, 10))
_HEAD_CHANGES = Weighted((0, 1, 2, 3), (58, 28, 10, 4))


class Tenure(NamedTuple):
    """One position held from ``start`` to ``end`` (open when None)."""

    person: Person
    role: str
    start: date
    end: date | None

    def held_on(self, day: date) -> bool:
        """Held on ``day`` (both ends inclusive)."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(slots=True)
class Staff:
    """Everyone who held a position in one organisation."""

    head_role: str
    tenures: list[Tenure]

    @property
    def founder(self) -> Person:
        """The first head."""
        return self.tenures[0].person

    def heads_on(self, day: date) -> list[Person]:
        """The head(s) on ``day``."""
        return [t.person for t in self.tenures if t.role == self.head_role and t.held_on(day)]

    def successors_after(self, day: date) -> list[Tenure]:
        """Head tenures that began after ``day``, earliest first."""
        return [t for t in self.tenures if t.role == self.head_role and t.start > day]

    def officers_on(self, day: date, roles: frozenset[str]) -> list[Person]:
        """People holding one of ``roles`` on ``day``."""
        return [t.person for t in self.tenures if t.role in roles and t.held_on(day)]


def _change_dates(world: World, org: Org, change_after: date | None) -> list[date]:
    rng = world.rng
    low, high = org.established + timedelta(days=180), world.as_of - timedelta(days=2)
    count = _HEAD_CHANGES.draw(rng)
    if org.kind == "PUBLIC_INSTITUTION":
        count += 1
    days = {world.day_between(low, high) for _ in range(count) if low < high}
    if change_after is None or change_after + timedelta(days=1) >= high:
        return sorted(days)
    if all(day <= change_after for day in days):  # make sure the head changes after it
        days.add(world.day_between(change_after + timedelta(days=1), high))
    return sorted(days)


def _pick(
    world: World, day: date, used: set[str], pool: list[Person] | None, reuse: float
) -> Person:
    if pool and world.rng.random() < 0.5:
        candidate = world.rng.choice(pool)
        if candidate.id_number not in used and candidate.adult_on(day):
            used.add(candidate.id_number)
            return candidate
    person = world.pick_person(day, reuse, used)
    used.add(person.id_number)
    return person


def staff_org(
    world: World,
    org: Org,
    first_head: Person | None = None,
    change_after: date | None = None,
    pool: list[Person] | None = None,
    size: str | None = None,
) -> Staff:
    """Appoint (and write) the officers of ``org``; heads change over time.

    ``change_after``: make sure the head changes at least once after this date (so a finding's
    act precedes the current head's appointment). ``pool``: people to draw from first (a group's
    executives).
    """
    rng = world.rng
    head_role = "PRINCIPAL" if org.kind in PRINCIPAL_HEADED else "LEGAL_REPRESENTATIVE"
    used: set[str] = set()
    reuse = 0.08
    tenures: list[Tenure] = []
    start = org.established
    head = first_head if first_head and first_head.adult_on(start) else None
    if head is not None:
        used.add(head.id_number)
    heads = [head or _pick(world, start, used, pool, reuse)]
    changes = _change_dates(world, org, change_after)
    for day in changes:
        heads.append(_pick(world, day + timedelta(days=1), used, pool, reuse))
    ends: list[date | None] = [*changes, None]
    for person, end in zip(heads, ends, strict=True):
        tenures.append(Tenure(person, head_role, start, end))
        if end is not None:
            start = end + timedelta(days=1)
    if org.kind == "ENTERPRISE":
        size = size or _SIZE.draw(rng)
        mirror = "GENERAL_MANAGER" if size == "micro" else "CHAIRMAN"
        tenures += [Tenure(t.person, mirror, t.start, t.end) for t in list(tenures)]
        directors, supervisors, managers = _SIZES[size]
        directors += rng.randint(0, 2) if size != "micro" else 0
        roles = ["DIRECTOR"] * directors + ["SUPERVISOR"] * supervisors
        roles += ["GENERAL_MANAGER"] if size != "micro" else []
        roles += ["SENIOR_MANAGER"] * rng.randint(0, managers)
    elif org.kind in ("COOPERATIVE", "SOCIAL_ORGANISATION"):
        roles = ["SUPERVISOR"]
    elif org.kind == "PUBLIC_INSTITUTION":
        roles = ["SENIOR_MANAGER"] * rng.randint(0, 2)
    else:
        roles = []
    for role in roles:
        tenures += _officer_terms(world, org, role, used, pool, reuse)
    for tenure in tenures:
        world.hold(org, tenure.person, tenure.role, tenure.start, tenure.end)
    return Staff(head_role, tenures)


def _officer_terms(
    world: World, org: Org, role: str, used: set[str], pool: list[Person] | None, reuse: float
) -> list[Tenure]:
    """One seat: its first holder from founding (or soon after), sometimes a successor."""
    rng = world.rng
    latest = world.as_of - timedelta(days=2)
    start = world.day_between(org.established, min(org.established + timedelta(days=365), latest))
    person = _pick(world, start, used, pool, reuse)
    if rng.random() >= 0.2 or start + timedelta(days=60) >= latest:
        return [Tenure(person, role, start, None)]
    end = world.day_between(start + timedelta(days=30), latest)
    successor = _pick(world, end + timedelta(days=1), used, pool, reuse)
    return [
        Tenure(person, role, start, end),
        Tenure(successor, role, end + timedelta(days=1), None),
    ]
