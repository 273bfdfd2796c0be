"""Unique, valid identifiers without remembering the ones already issued.

Each identifier space is walked by a fixed affine bijection ``u = (a·k + b) mod size`` of a
counter ``k``: distinct counters give distinct codes, so a million enterprises need no set of
issued codes. The bottom of each space is cut into ``SEED_SLOTS`` equal ranges of counters and
a seed issues from range ``seed % SEED_SLOTS``: two seeds that differ modulo ``SEED_SLOTS``
never issue the same USCC, resident ID, document number or finding id (while a data set issues
fewer codes of a kind than a range holds: millions, per birth year for resident IDs; 312,500
finding ids), so loading a second generated set beside the first cannot clash identities.
"Never issued" codes (references to unknown subjects in corrupted rows) come from the top of
each space, above every seed's range; the departments (one fixed directory, the same in every
data set) from the start of that top part. Check characters follow the weights and tables of
``tracer.domain.identifiers`` without its validation (every code made here is well formed); a
resident ID's weighted sum comes in three parts computed once each (see ``_Year``).
"""

from __future__ import annotations

import calendar
import math
import string
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from operator import mul

from tracer.domain.identifiers import (
    ORG_WEIGHTS,
    RESIDENT_CHECK,
    RESIDENT_WEIGHTS,
    USCC_CHARSET,
    USCC_WEIGHTS,
)
from tracer.loaders.generate.regions import BIRTH_AREAS

NUMERIC_SPACE = 10**8  # GB 11714 codes issued before 2015: eight digits
MA_SPACE = 31**6  # codes issued with the USCC reform: "MA" and six USCC characters
DOCUMENT_SPACE = 10**8
FINDING_SPACE = 10**7  # finding ids end in a seven-digit sequence number
SEQUENCE_PAIRS = 500  # three-digit sequence numbers, half odd (male) and half even (female)
MA_SINCE = date(2015, 10, 1)
#: Disjoint counter ranges, one per seed modulo this; the top 1/64 of a space is never issued.
SEED_SLOTS = 32

# Positions 1-2 of the USCC per subject kind (social organisations choose 51, 52 or 53).
PREFIX = {
    "ORGAN": "11",
    "PUBLIC_INSTITUTION": "12",
    "ENTERPRISE": "91",
    "INDIVIDUAL_BUSINESS": "92",
    "COOPERATIVE": "93",
}


def _affine(counter: int, size: int, salt: int) -> int:
    """A bijection of ``range(size)`` (see ``_bijection``)."""
    multiplier, increment = _bijection(size, salt)
    return (multiplier * counter + increment) % size


@cache
def _bijection(size: int, salt: int) -> tuple[int, int]:
    """``(a, b)`` of the bijection ``(a·k + b) mod size``: ``a`` is the first multiplier from
    ``7,368,787 + salt`` on that is coprime with ``size``."""
    multiplier = 7_368_787 + salt
    while math.gcd(multiplier, size) != 1:
        multiplier += 1
    return multiplier, 104_729 * (salt + 1)


def _weighted(digits: str, first: int) -> int:
    """The resident-ID weighted sum of ``digits`` standing at positions ``first`` onwards."""
    weights = RESIDENT_WEIGHTS[first : first + len(digits)]
    return sum(int(char) * weight for char, weight in zip(digits, weights, strict=True))


#: Weighted sums of the birth area codes (positions 1-6) and sequence numbers (15-17).
_AREA_SUMS = tuple(_weighted(area, 0) for area in BIRTH_AREAS)
_SEQUENCES = tuple(f"{sequence:03d}" for sequence in range(1_000))
_SEQUENCE_SUMS = tuple(_weighted(sequence, 14) for sequence in _SEQUENCES)


@dataclass(frozen=True, slots=True)
class _Year:
    """The resident IDs of one birth year: its days (dates, ``YYYYMMDD`` text and its weighted
    sum, positions 7-14) and the bijection that walks the year's codes."""

    size: int  # areas x days x sequence pairs
    stride: int  # counters per seed range
    multiplier: int
    increment: int
    born: tuple[date, ...]
    text: tuple[str, ...]
    sums: tuple[int, ...]

    def resident_id(self, counter: int, male: bool) -> tuple[str, date]:
        """The resident ID at ``counter`` of the year's walk, and the birth date in it."""
        slot, pair = divmod(
            (self.multiplier * counter + self.increment) % self.size, SEQUENCE_PAIRS
        )
        area, day = divmod(slot, len(self.born))
        sequence = 2 * pair + male
        total = _AREA_SUMS[area] + self.sums[day] + _SEQUENCE_SUMS[sequence]
        code = (
            BIRTH_AREAS[area] + self.text[day] + _SEQUENCES[sequence] + RESIDENT_CHECK[total % 11]
        )
        return code, self.born[day]


@cache
def _year(year: int) -> _Year:
    first = date(year, 1, 1)
    born = tuple(first + timedelta(days=day) for day in range(_days(year)))
    text = tuple(day.strftime("%Y%m%d") for day in born)
    sums = tuple(_weighted(digits, 6) for digits in text)
    size = len(BIRTH_AREAS) * len(born) * SEQUENCE_PAIRS
    return _Year(size, _stride(size), *_bijection(size, year), born, text, sums)


def _stride(size: int) -> int:
    """Counters per seed range in a space of ``size`` codes (the top 1/64 stays unissued)."""
    return (size - size // 64) // SEED_SLOTS


def _base31(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        value, digit = divmod(value, 31)
        chars.append(USCC_CHARSET[digit])
    return "".join(reversed(chars))


_USCC_VALUES = {char: value for value, char in enumerate(USCC_CHARSET)}
_ORG_VALUES = {char: int(char, 36) for char in string.digits + string.ascii_uppercase}
_ORG_CHECK = {check: {10: "X", 11: "0"}.get(check, str(check)) for check in range(1, 12)}


def uscc_from_org(prefix: str, region: str, org8: str) -> str:
    """A valid USCC from its kind prefix, region code and the 8-character organisation body."""
    org_sum = sum(map(mul, map(_ORG_VALUES.__getitem__, org8), ORG_WEIGHTS))
    first17 = prefix + region + org8 + _ORG_CHECK[11 - org_sum % 11]
    total = sum(map(mul, map(_USCC_VALUES.__getitem__, first17), USCC_WEIGHTS))
    return first17 + USCC_CHARSET[-total % 31]


def bad_uscc_check(code: str) -> str:
    """``code`` (a valid USCC) with a wrong check character (position 18)."""
    index = USCC_CHARSET.index(code[17])
    return code[:17] + USCC_CHARSET[(index + 7) % len(USCC_CHARSET)]


def bad_resident_check(number: str) -> str:
    """``number`` (a valid resident ID) with a wrong check character."""
    alphabet = "0123456789X"
    return number[:17] + alphabet[(alphabet.index(number[17]) + 3) % len(alphabet)]


class CodeBook:
    """Issues USCCs, resident IDs and other document numbers; every one distinct, and distinct
    from those of any seed in another slot (``seed % SEED_SLOTS``)."""

    def __init__(self, seed: int = 0) -> None:
        self._slot = seed % SEED_SLOTS
        self._organs = 0
        self._findings = 0
        self._numeric = 0
        self._ma = 0
        self._unused_org = 0
        self._documents = 0
        self._persons_by_year: dict[int, int] = {}
        self._unused_persons = 0

    def _first(self, size: int) -> int:
        """The first counter of this seed's range in a space of ``size`` codes."""
        return self._slot * _stride(size)

    # -- organisations ------------------------------------------------------------------------
    def uscc(self, prefix: str, region: str, established: date) -> str:
        """A new valid USCC; codes of bodies founded after the 2015 reform start with ``MA``."""
        if established >= MA_SINCE:
            org8 = "MA" + _base31(_affine(self._first(MA_SPACE) + self._ma, MA_SPACE, 1), 6)
            self._ma += 1
        else:
            counter = self._first(NUMERIC_SPACE) + self._numeric
            org8 = f"{_affine(counter, NUMERIC_SPACE, 2):08d}"
            self._numeric += 1
        return uscc_from_org(prefix, region, org8)

    def organ_uscc(self, prefix: str, region: str) -> str:
        """The USCC of the next department: the same sequence for every seed, outside every
        seed's range (a department is the same body in every data set)."""
        counter = SEED_SLOTS * _stride(NUMERIC_SPACE) + self._organs
        self._organs += 1
        return uscc_from_org(prefix, region, f"{_affine(counter, NUMERIC_SPACE, 2):08d}")

    def unused_uscc(self, prefix: str, region: str) -> str:
        """A valid USCC that ``uscc`` never issues (a reference to an unknown subject)."""
        self._unused_org += 1
        org8 = f"{_affine(NUMERIC_SPACE - self._unused_org, NUMERIC_SPACE, 2):08d}"
        return uscc_from_org(prefix, region, org8)

    # -- persons ------------------------------------------------------------------------------
    def resident_id(self, year: int, male: bool) -> tuple[str, date]:
        """A new valid resident ID of someone born in ``year``, and the birth date in it."""
        counter = self._persons_by_year.get(year, 0)
        self._persons_by_year[year] = counter + 1
        days = _year(year)
        return days.resident_id(self._slot * days.stride + counter, male)

    def unused_resident_id(self, year: int = 1971) -> str:
        """A valid resident ID that ``resident_id`` never issues."""
        self._unused_persons += 1
        days = _year(year)
        return days.resident_id(days.size - self._unused_persons, male=True)[0]

    def finding_number(self) -> int:
        """The next sequence number of a finding id (from this seed's range, so two seeds never
        issue the same finding id)."""
        self._findings += 1
        return self._slot * (FINDING_SPACE // SEED_SLOTS) + self._findings

    def document(self, prefix: str) -> str:
        """A new passport or permit number: ``prefix`` and eight digits."""
        value = _affine(self._first(DOCUMENT_SPACE) + self._documents, DOCUMENT_SPACE, 3)
        self._documents += 1
        return f"{prefix}{value:08d}"


def _days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365
