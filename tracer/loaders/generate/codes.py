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
data set) from the start of that top part. Check characters come from ``tracer.domain.identifiers``
(a resident ID's from its weights, summed in three parts computed once each: see ``_Year``).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from tracer.domain.identifiers import (
    RESIDENT_CHECK,
    RESIDENT_WEIGHTS,
    USCC_CHARSET,
    org_code_check_char,
    uscc_check_char,
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
    """A bijection of ``range(size)``: the multiplier is the first one coprime with ``size``."""
    return (_multiplier(size, salt) * counter + 104_729 * (salt + 1)) % size


@cache
def _multiplier(size: int, salt: int) -> int:
    multiplier = 7_368_787 + salt
    while math.gcd(multiplier, size) != 1:
        multiplier += 1
    return multiplier


def _weighted(digits: str, first: int) -> int:
    """The resident-ID weighted sum of ``digits`` standing at positions ``first`` onwards."""
    weights = RESIDENT_WEIGHTS[first : first + len(digits)]
    return sum(int(char) * weight for char, weight in zip(digits, weights, strict=True))


#: Weighted sums of the birth area codes (positions 1-6) and sequence numbers (15-17).
_AREA_SUMS = tuple(_weighted(area, 0) for area in BIRTH_AREAS)
_SEQUENCE_SUMS = tuple(_weighted(f"{sequence:03d}", 14) for sequence in range(1_000))


@dataclass(frozen=True, slots=True)
class _Year:
    """A birth year's days: the dates, their ``YYYYMMDD`` text and its weighted sum (positions
    7-14). A resident ID's check character is ``RESIDENT_CHECK[sum % 11]`` of the three sums."""

    size: int  # resident IDs of the year: areas x days x sequence pairs
    born: tuple[date, ...]
    text: tuple[str, ...]
    sums: tuple[int, ...]


@cache
def _year(year: int) -> _Year:
    first = date(year, 1, 1)
    born = tuple(first + timedelta(days=day) for day in range(_days(year)))
    text = tuple(day.strftime("%Y%m%d") for day in born)
    sums = tuple(_weighted(digits, 6) for digits in text)
    return _Year(len(BIRTH_AREAS) * len(born) * SEQUENCE_PAIRS, born, text, sums)


def _stride(size: int) -> int:
    """Counters per seed range in a space of ``size`` codes (the top 1/64 stays unissued)."""
    return (size - size // 64) // SEED_SLOTS


def _base31(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        value, digit = divmod(value, 31)
        chars.append(USCC_CHARSET[digit])
    return "".join(reversed(chars))


def uscc_from_org(prefix: str, region: str, org8: str) -> str:
    """A valid USCC from its kind prefix, region code and the 8-character organisation body."""
    first17 = prefix + region + org8 + org_code_check_char(org8)
    return first17 + uscc_check_char(first17)


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
        return self._resident(year, self._first(_year(year).size) + counter, male)

    def unused_resident_id(self, year: int = 1971) -> str:
        """A valid resident ID that ``resident_id`` never issues."""
        self._unused_persons += 1
        return self._resident(year, _year(year).size - self._unused_persons, male=True)[0]

    @staticmethod
    def _resident(year: int, counter: int, male: bool) -> tuple[str, date]:
        days = _year(year)
        slot, pair = divmod(_affine(counter, days.size, year), SEQUENCE_PAIRS)
        area, day = divmod(slot, len(days.born))
        sequence = 2 * pair + male
        check = RESIDENT_CHECK[(_AREA_SUMS[area] + days.sums[day] + _SEQUENCE_SUMS[sequence]) % 11]
        return f"{BIRTH_AREAS[area]}{days.text[day]}{sequence:03d}{check}", days.born[day]

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
