"""Registered practitioners (注册建造师, 注册会计师, 执业药师 …) who sometimes move employer.

An open registration is held back in a bounded pool; when its practitioner moves, the old row is
written with its end date and the new one starts the day after. Rows still open at the end (or
pushed out of the pool) are written open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tracer.loaders.generate.world import Org, Person, World

POOL_SIZE = 3_000
_CERTIFICATE_PREFIX = {
    "注册建造师": "建",
    "注册监理工程师": "监",
    "注册造价工程师": "造",
    "注册建筑师": "筑",
    "执业药师": "药",
    "注册会计师": "",
}


@dataclass(slots=True)
class Registration:
    """A practitioner's registration at one organisation (written when it closes)."""

    person: Person
    org: Org
    qualification: str
    certificate: str
    start: date
    keep_until: date  # named in a finding: the registration lasts at least until then

    def held_on(self, day: date) -> bool:
        """Registered on ``day`` (still open while in the pool)."""
        return self.start <= day


class Practitioners:
    """Creates and moves registrations; ``close`` writes the ones still open."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._open: list[Registration] = []

    def staff(self, org: Org) -> list[Registration]:
        """Register practitioners at ``org`` if its industry needs them."""
        if org.industry is None or org.industry.qualification is None:
            return []
        world = self.world
        qualification = org.industry.qualification
        count = (
            world.rng.randint(2, 6) if qualification == "注册建造师" else world.rng.randint(1, 3)
        )
        latest = world.as_of - timedelta(days=2)
        made = []
        for _ in range(count):
            moved = self._move(org, qualification) if world.rng.random() < 0.15 else None
            if moved is None:
                start = world.day_between(
                    org.established, min(org.established + timedelta(days=730), latest)
                )
                person = world.pick_person(start, 0.02)
                certificate = self._certificate(qualification, org, start)
                moved = Registration(person, org, qualification, certificate, start, start)
            made.append(moved)
            self._open.append(moved)
        while len(self._open) > POOL_SIZE:
            self._write(self._open.pop(0), None)
        return made

    def _move(self, org: Org, qualification: str) -> Registration | None:
        world = self.world
        index = world.rng.randrange(len(self._open)) if self._open else -1
        if index < 0 or self._open[index].qualification != qualification:
            return None
        old = self._open[index]
        earliest = max(old.start + timedelta(days=365), old.keep_until, org.established)
        latest = world.as_of - timedelta(days=2)
        if earliest >= latest or old.org.uscc == org.uscc:
            return None
        end = world.day_between(earliest, min(earliest + timedelta(days=365), latest))
        del self._open[index]
        self._write(old, end)
        start = end + timedelta(days=1)
        return Registration(old.person, org, qualification, old.certificate, start, start)

    def _certificate(self, qualification: str, org: Org, start: date) -> str:
        serial = self.world.rng.randint(1, 999_999)
        province = org.district.code[:2]
        return f"{_CERTIFICATE_PREFIX[qualification]}{province}{start.year}{serial:06d}"

    def _write(self, registration: Registration, end: date | None) -> None:
        self.world.register(
            registration.org,
            registration.person,
            registration.qualification,
            registration.certificate,
            registration.start,
            end,
        )

    def close(self) -> None:
        """Write every registration still open."""
        for registration in self._open:
            self._write(registration, None)
        self._open.clear()
