"""The generator's state and its primitives: people, organisations and the rows about them.

Every primitive writes its row at once through the sink; the world keeps only bounded pools
(recent people, repeat offenders, recent enterprises), so memory does not grow with the size
of the data set.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from tracer.loaders.generate.codes import PREFIX, CodeBook
from tracer.loaders.generate.departments import Directory
from tracer.loaders.generate.draw import Weighted
from tracer.loaders.generate.names import FOREIGN_NAMES, Industry, NameMaker
from tracer.loaders.generate.regions import DISTRICT_WEIGHTS, DISTRICTS, STREETS, District
from tracer.loaders.generate.sink import Sink

ADULT_YEARS = 23
FIRST_FOUNDED = 1998
_DISTRICTS = Weighted(DISTRICTS, DISTRICT_WEIGHTS)
_PASSPORT_PREFIX = {"USA": "A", "GBR": "B", "JPN": "TK", "KOR": "M", "SGP": "K", "DEU": "C"}
_PASSPORT_PREFIX["MYS"] = "H"


class Person(NamedTuple):
    """A natural person of the data set (a named tuple: hundreds of thousands are made)."""

    id_type: str
    id_number: str
    name: str
    born: date

    def adult_on(self, day: date) -> bool:
        """Old enough to hold a position on ``day``."""
        return add_years(self.born, ADULT_YEARS) <= day


@dataclass(slots=True)
class Org:
    """An enterprise or other organisation; its row is written by ``World.publish``."""

    uscc: str
    name: str
    kind: str
    ownership: str | None
    district: District
    established: date
    superior: str | None = None
    address: str = ""
    industry: Industry | None = None
    status: str = "ACTIVE"
    holdings_bp: int = 0
    holders: set[str] = field(default_factory=set)


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def share_text(basis_points: int) -> str:
    """10000 → ``1``, 3500 → ``0.35``, 3333 → ``0.3333``."""
    whole, rest = divmod(basis_points, 10_000)
    return str(whole) if rest == 0 else f"{whole}.{rest:04d}".rstrip("0")


class World:
    """Deterministic generator state for one seed."""

    def __init__(self, seed: int, as_of: date, sink: Sink) -> None:
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.codes = CodeBook(seed)
        self.directory = Directory(self.codes)
        self.as_of = as_of
        self.sink = sink
        self.enterprises = 0
        self.target = 0
        self.pending = 0  # organisations of the current unit not yet written
        self.recent: deque[Person] = deque(maxlen=5_000)
        self.offenders: deque[Person] = deque(maxlen=400)
        self.recent_orgs: deque[tuple[str, date]] = deque(maxlen=2_000)
        years = range(FIRST_FOUNDED, as_of.year + 1)
        self._founding_years = Weighted(years, [1 + (y - FIRST_FOUNDED) ** 1.3 for y in years])
        for department in self.directory:
            sink.emit_row(
                "departments",
                {
                    "code": department.code,
                    "name": department.name,
                    "region_code": department.region_code,
                    "superior_code": department.superior_code,
                    "kind": department.kind,
                },
            )

    # -- dates --------------------------------------------------------------------------------
    def day_between(self, low: date, high: date) -> date:
        """A uniform day in ``[low, high]`` (``low`` when the range is empty)."""
        span = (high - low).days
        return low if span <= 0 else low + timedelta(days=self.rng.randint(0, span))

    def founding_date(self) -> date:
        """A founding date, more recent years more likely (the post-2014 registration boom)."""
        year = self._founding_years.draw(self.rng)
        latest = self.as_of - timedelta(days=90)
        return min(self.day_between(date(year, 1, 1), date(year, 12, 31)), latest)

    # -- people -------------------------------------------------------------------------------
    def new_person(
        self, adult_on: date, name: str | None = None, resident: bool = False, male: bool = True
    ) -> Person:
        """A new person, adult on ``adult_on``; a few foreign or HK/Macao/Taiwan residents."""
        rng = self.rng
        age = min(max(int(rng.gauss(42, 9)), ADULT_YEARS), 64)
        year = adult_on.year - age
        kind = rng.random()
        if not resident and kind < 0.006:
            nationality = rng.choice(sorted(FOREIGN_NAMES))
            id_type = "PASSPORT"
            number = self.codes.document(_PASSPORT_PREFIX[nationality])
            name = name or self.names.foreign(nationality)
        else:
            nationality = "CHN"
            if not resident and kind < 0.009:
                id_type, number = "HK_MACAO_PERMIT", self.codes.document("H")
            elif not resident and kind < 0.011:
                id_type, number = "TAIWAN_PERMIT", self.codes.document("")
            else:
                id_type = "RESIDENT_ID"
        if id_type == "RESIDENT_ID":
            male = male if name else rng.random() < 0.7
            number, born = self.codes.resident_id(year, male)
        else:
            born = date(year, rng.randint(1, 12), rng.randint(1, 28))
        person = Person(id_type, number, name or self.names.person(male), born)
        # id_number, name, id_type, nationality, name_changed_on, former_name
        self.sink.emit("persons", (number, person.name, id_type, nationality, "", ""))
        self.recent.append(person)
        return person

    def pick_person(self, on: date, reuse: float, exclude: set[str] | None = None) -> Person:
        """Someone adult on ``on``: with probability ``reuse`` a recent person, else a new one."""
        if self.recent and self.rng.random() < reuse:
            candidate = self.rng.choice(self.recent)
            if candidate.adult_on(on) and (exclude is None or candidate.id_number not in exclude):
                return candidate
        return self.new_person(on)

    # -- organisations ------------------------------------------------------------------------
    def district(self) -> District:
        """A registration district, weighted by economic size."""
        return _DISTRICTS.draw(self.rng)

    def address(self, district: District) -> str:
        """A street address in ``district``."""
        rng = self.rng
        text = f"{district.prefix}{rng.choice(STREETS)}{rng.randint(1, 399)}号"
        if rng.random() < 0.5:
            text += f"{rng.randint(1, 30)}层{rng.randint(1, 30):02d}室"
        return text

    def new_org(
        self,
        kind: str,
        name: str,
        district: District,
        established: date,
        ownership: str | None,
        prefix: str | None = None,
        superior: str | None = None,
        address: str | None = None,
        industry: Industry | None = None,
        status: str = "ACTIVE",
    ) -> Org:
        """A new organisation with a fresh USCC (its row is written by ``publish``)."""
        uscc = self.codes.uscc(prefix or PREFIX[kind], district.code, established)
        address = address or self.address(district)
        return Org(
            uscc, name, kind, ownership, district, established, superior, address, industry, status
        )

    def publish(self, org: Org) -> None:
        """Write the enterprise row and count it."""
        self.sink.emit(
            "enterprises",
            (
                org.uscc,
                org.name,
                org.kind,
                org.ownership or "",
                org.status,
                org.district.code,
                org.established.isoformat(),  # established_on
                org.superior or "",  # superior_department
                org.address,
                "",  # name_changed_on
                "",  # former_name
            ),
        )
        self.enterprises += 1
        if org.kind == "ENTERPRISE":
            self.recent_orgs.append((org.uscc, org.established))

    def room(self) -> bool:
        """Whether one more organisation than planned still fits in the target count."""
        return self.enterprises + self.pending < self.target

    # -- relations ----------------------------------------------------------------------------
    def hold(
        self, org: Org, person: Person, role: str, start: date, end: date | None = None
    ) -> None:
        """A position row."""
        # uscc, id_number, role, start_date, id_type, end_date
        self.sink.emit(
            "positions",
            (
                org.uscc,
                person.id_number,
                role,
                start.isoformat(),
                person.id_type,
                end.isoformat() if end else "",
            ),
        )

    def own(
        self,
        investee: Org,
        holder_kind: str,
        holder_id: str,
        basis_points: int,
        start: date,
        holder_id_type: str | None = None,
    ) -> None:
        """A shareholding row; keeps the investee's shares at or below 100%."""
        if holder_id in investee.holders or basis_points <= 0:
            return
        basis_points = min(basis_points, 10_000 - investee.holdings_bp)
        if basis_points <= 0:
            return
        investee.holdings_bp += basis_points
        investee.holders.add(holder_id)
        self.sink.emit(
            "shareholdings",
            (
                investee.uscc,  # investee_uscc
                holder_kind,
                holder_id,
                share_text(basis_points),  # share
                holder_id_type or "",
                "",  # share_unit
                start.isoformat(),  # start_date
                "",  # end_date
                "",  # share_min
                "",  # share_max
                "",  # record_id
            ),
        )

    def own_by_person(self, investee: Org, person: Person, basis_points: int, start: date) -> None:
        """A natural person's shareholding."""
        self.own(investee, "PERSON", person.id_number, basis_points, start, person.id_type)

    def own_by_org(self, investee: Org, holder: Org, basis_points: int, start: date) -> None:
        """An organisation's shareholding (start no earlier than the holder's founding)."""
        self.own(investee, "ENTERPRISE", holder.uscc, basis_points, max(start, holder.established))

    def register(
        self,
        org: Org,
        person: Person,
        qualification: str,
        certificate: str,
        start: date,
        end: date | None,
    ) -> None:
        """A registered practitioner row."""
        # id_number, uscc, qualification, start_date, id_type, certificate_no, end_date
        self.sink.emit(
            "practitioners",
            (
                person.id_number,
                org.uscc,
                qualification,
                start.isoformat(),
                person.id_type,
                certificate,
                end.isoformat() if end else "",
            ),
        )

    def next_finding_id(self, list_prefix: str, region_code: str, decided: date) -> str:
        """A unique finding id such as ``JD-110105-2023-0000042``."""
        number = self.codes.finding_number()
        return f"{list_prefix}-{region_code}-{decided.year}-{number:07d}"

    def name_in(
        self, finding_id: str, person: Person, capacity: str, effective_on: date | None = None
    ) -> None:
        """A finding_persons row (``effective_on`` None: from the decision)."""
        self.sink.emit_row(
            "finding_persons",
            {
                "finding_id": finding_id,
                "id_type": person.id_type,
                "id_number": person.id_number,
                "capacity": capacity,
                "effective_on": effective_on.isoformat() if effective_on else None,
            },
        )

    def transition(
        self,
        finding_id: str,
        to_status: str,
        effective_on: date,
        actor: str,
        reason: str,
        document: str | None = None,
        new_effective_until: date | None = None,
    ) -> None:
        """A transitions row: a status change (or a change of term) of a finding."""
        self.sink.emit_row(
            "transitions",
            {
                "finding_id": finding_id,
                "to_status": to_status,
                "effective_on": effective_on.isoformat(),
                "actor": actor,
                "reason": reason,
                "document": document,
                "new_effective_until": (
                    new_effective_until.isoformat() if new_effective_until else None
                ),
            },
        )

    def honour(
        self,
        subject_kind: str,
        subject_id: str,
        honour: str,
        granted_by: str,
        granted_on: date,
        valid_until: date | None,
    ) -> None:
        """A red list row."""
        self.sink.emit_row(
            "redlist",
            {
                "subject_kind": subject_kind,
                "subject_id": subject_id,
                "honour": honour,
                "granted_by": granted_by,
                "granted_on": granted_on.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
            },
        )
