"""The keys a load keeps between stems (those found valid or rejected so far), held compactly.

A national register has hundreds of millions of persons; as Python objects (a ``PersonKey``
tuple, its number as text, a hash-set slot) each kept key costs ~150 bytes. A normalised
resident ID number is 17 digits and a check digit or X, which fit one 64-bit integer exactly:
``KeySet`` keeps those codes in a sorted array (8 bytes a key) and every other key (a USCC, a
department code, another document type) in a set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

import numpy as np

from tracer.domain.keys import DEFAULT_ID_TYPE, PersonKey

#: Resident ID keys from which a set holds them as codes (below, a plain set is faster).
CODED_FROM = 1 << 20
#: Resident ID numbers coded per part (bounds the digit matrix of a large set).
_PART = 1 << 16
_DIGIT = (ord("0"), ord("9"))


def _codes(numbers: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The 64-bit code of each resident ID number of the normalised form (17 digits, then a
    digit or X: 17 digits x 11 + the last, below 2**61), and whether it has that form (else its
    code is 0)."""
    codes = np.zeros(len(numbers), dtype=np.int64)
    coded = np.zeros(len(numbers), dtype=bool)
    for start in range(0, len(numbers), _PART):
        part = numbers[start : start + _PART]
        raw = np.array(part, dtype="S19")  # one byte more: a longer number is no code
        cells = raw.view(np.uint8).reshape(len(part), 19)
        digits = cells[:, :17]
        last = cells[:, 17]
        shaped = (
            ((digits >= _DIGIT[0]) & (digits <= _DIGIT[1])).all(axis=1)
            & (((last >= _DIGIT[0]) & (last <= _DIGIT[1])) | (last == ord("X")))
            & (cells[:, 18] == 0)
        )
        value = np.zeros(len(part), dtype=np.int64)
        for column in range(17):
            value = value * 10 + (digits[:, column].astype(np.int64) - _DIGIT[0])
        value = value * 11 + np.where(last == ord("X"), 10, last.astype(np.int64) - _DIGIT[0])
        codes[start : start + len(part)] = np.where(shaped, value, 0)
        coded[start : start + len(part)] = shaped
    return codes, coded


def _sorted_unique(codes: np.ndarray) -> np.ndarray:
    """``codes`` sorted, each once (``np.unique`` is ~25 times slower on millions here)."""
    ordered = np.sort(codes)
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return ordered[first]


def _within(codes: np.ndarray, held: np.ndarray) -> np.ndarray:
    """Element-wise ``code in held`` (sorted, unique): the codes are looked up in their own
    sorted order, so the search walks ``held`` forwards (random look-ups into a large array
    wait on memory: ~8 times slower)."""
    order = np.argsort(codes)
    ordered = codes[order]
    at = np.minimum(np.searchsorted(held, ordered), max(len(held) - 1, 0))
    hit = np.zeros(len(codes), dtype=bool)
    if len(held):
        hit[order] = held[at] == ordered
    return hit


def _split(keys: Iterable[Any]) -> tuple[list[Any], list[str]]:
    """``keys`` that are not resident ID keys, and the numbers of those that are (ASCII)."""
    others: list[Any] = []
    numbers: list[str] = []
    for key in keys:
        if _resident(key):
            numbers.append(key.id_number)
        else:
            others.append(key)
    return others, numbers


def _resident(key: object) -> bool:
    """A resident ID key whose number may have a code (ASCII text)."""
    return type(key) is PersonKey and key.id_type == DEFAULT_ID_TYPE and key.id_number.isascii()


class KeySet:
    """A set of entity keys: from ``CODED_FROM`` resident ID keys on, those keys as sorted
    64-bit codes and the others in a set; a smaller set is a plain set (faster to build and
    ask, and small)."""

    def __init__(self, keys: Iterable[Any] = ()) -> None:
        held = keys if isinstance(keys, set | list) else list(keys)
        self._codes = np.empty(0, dtype=np.int64)
        self._others: set[Any] = set()
        self._coded = False
        residents = (key for key in held if _resident(key))
        if sum(1 for _ in islice(residents, CODED_FROM)) >= CODED_FROM:
            self._code(*_parts(held))
        else:
            self._others = set(held)

    def _code(self, codes: np.ndarray, others: set[Any]) -> None:
        self._codes, self._others, self._coded = codes, others, True

    def __len__(self) -> int:
        return len(self._codes) + len(self._others)

    def __contains__(self, key: object) -> bool:
        return bool(self.contains([key])[0])

    def contains(self, keys: Sequence[Any] | np.ndarray) -> np.ndarray:
        """Element-wise membership of ``keys`` (a boolean array)."""
        if not self._coded:
            return np.fromiter((key in self._others for key in keys), dtype=bool, count=len(keys))
        found = np.zeros(len(keys), dtype=bool)
        places: list[int] = []
        numbers: list[str] = []
        for place, key in enumerate(keys):
            if _resident(key):
                places.append(place)
                numbers.append(key.id_number)
            else:
                found[place] = key in self._others
        if numbers:
            codes, coded = _codes(numbers)
            hit = _within(codes, self._codes)
            for index in np.flatnonzero(~coded):
                hit[index] = PersonKey(DEFAULT_ID_TYPE, numbers[index]) in self._others
            found[np.asarray(places)] = hit
        return found

    def __sub__(self, other: KeySet) -> KeySet:
        if not self._coded and not other._coded:
            return KeySet(self._others - other._others)
        mine, theirs = self._coded_parts(), other._coded_parts()
        result = KeySet()
        result._code(np.setdiff1d(mine[0], theirs[0], assume_unique=True), mine[1] - theirs[1])
        return result

    def coded(self) -> KeySet:
        """The same keys, resident ID keys as codes however few (a set kept beside others)."""
        if self._coded:
            return self
        result = KeySet()
        result._code(*_parts(self._others))
        return result

    @staticmethod
    def union(sets: Sequence[KeySet]) -> KeySet:
        """The keys of all ``sets`` (coded when any of them is, or when together they reach
        ``CODED_FROM``)."""
        if not any(held._coded for held in sets) and sum(map(len, sets)) < CODED_FROM:
            return KeySet(set().union(*(held._others for held in sets)))
        parts = [held._coded_parts() for held in sets]
        result = KeySet()
        codes = np.concatenate([codes for codes, _ in parts]) if parts else np.empty(0, np.int64)
        result._code(_sorted_unique(codes), set().union(*(others for _, others in parts)))
        return result

    def _coded_parts(self) -> tuple[np.ndarray, set[Any]]:
        return (self._codes, self._others) if self._coded else _parts(self._others)


def _parts(keys: Iterable[Any]) -> tuple[np.ndarray, set[Any]]:
    """The sorted codes of the codable resident ID keys of ``keys``, and the other keys."""
    others, numbers = _split(keys)
    codes, coded = _codes(numbers)
    rest = set(others)
    rest.update(
        PersonKey(DEFAULT_ID_TYPE, number)
        for number, ok in zip(numbers, coded, strict=True)
        if not ok
    )
    return _sorted_unique(codes[coded]), rest
