"""The keys a load keeps between stems (those found valid or rejected so far), held compactly.

A national register has some 60 million enterprises and hundreds of millions of persons; as
Python objects (a text, a ``PersonKey`` tuple, a hash-set slot) each kept key costs 100-150
bytes. Most keys have a fixed-width form:

- a normalised resident ID number (17 digits, then a digit or X) fits one 64-bit integer;
- a USCC, or any key of 18 ASCII characters, is 18 bytes;
- another ASCII text key of up to 40 characters (a finding id, a department code) is 40 bytes;
- a person key of another document type with an ASCII number is 40 bytes too.

``KeySet`` keeps each form in a sorted array and every other key (a malformed cell, a number
that is not ASCII) in a set. An array of more than ``ON_DISK_FROM`` keys lives in an unlinked
temporary file (in ``TMPDIR``), memory-mapped: its pages are the kernel's page cache, written
out and dropped under memory pressure and read back when asked, so the keys a load keeps do not
make the loader's own memory grow with the data set. ``KeyRuns`` gathers the keys of a stem
validated in partitions in files as they come and unites them at the end by a merge that holds
one slice of the key range at a time. ``KeyDates`` holds a date by key the same way.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass
from datetime import date
from itertools import pairwise, repeat
from operator import attrgetter
from typing import IO, Any

import numpy as np

from tracer.domain.keys import DEFAULT_ID_TYPE, PersonKey

#: Keys of a fixed-width form from which a set holds them in arrays (below, a plain set is
#: faster to build and ask, and small).
CODED_FROM = 1 << 20
#: Keys per array from which the array is kept on disk, memory-mapped (8 or 18 MiB in memory).
ON_DISK_FROM = 1 << 20
#: Keys coded per part (bounds the byte matrix of a large set).
_PART = 1 << 16
#: Keys per slice of a merge of sorted runs, at most (that many are held at once).
MERGE_SLICE = 1 << 20
#: Samples of the runs a slice of a merge spans.
_SAMPLES_A_SLICE = 32
_DIGIT = (ord("0"), ord("9"))


def _resident_codes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 64-bit code of each resident ID key whose number has the normalised form (17
    digits x 11 + the last, below 2**61), and whether it has that form (else its code is 0)."""
    codes = np.zeros(len(keys), dtype=np.int64)
    coded = np.zeros(len(keys), dtype=bool)
    for start in range(0, len(keys), _PART):
        part = list(map(_NUMBER, keys[start : start + _PART]))
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


def _text_codes(width: int) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Codes of ASCII text keys of at most ``width`` characters: each as ``width`` bytes, and
    whether it has that form (not empty, no NUL, which bytes would not keep apart)."""

    def codes_of(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        codes = np.zeros(len(keys), dtype=f"S{width}")
        coded = np.zeros(len(keys), dtype=bool)
        for start in range(0, len(keys), _PART):
            part = keys[start : start + _PART].tolist()
            lengths = np.fromiter(map(len, part), dtype=np.int64, count=len(part))
            raw = np.array(part, dtype=f"S{width + 1}")
            cells = raw.view(np.uint8).reshape(len(part), width + 1)
            shaped = ((cells != 0).sum(axis=1) == lengths) & (lengths > 0) & (lengths <= width)
            codes[start : start + len(part)] = np.where(shaped, raw.astype(f"S{width}"), b"")
            coded[start : start + len(part)] = shaped
        return codes, coded

    return codes_of


@dataclass(frozen=True)
class _Form:
    """A fixed-width form of some keys: its codes' type, and the codes of keys it may take
    (with whether each has the form)."""

    dtype: np.dtype[Any]
    encode: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


#: Codes of ASCII text keys of up to 40 characters (text keys and other documents' keys).
_TEXT_40 = _text_codes(40)


def _person_text(key: PersonKey) -> str:
    """A person key of another document type as one text: the type's length as a character,
    the type, the number (the length keeps ``("AB", "C1")`` apart from ``("A", "BC1")``)."""
    return chr(len(key.id_type)) + key.id_type + key.id_number


def _document_codes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of person keys of another document type whose text (``_person_text``) is ASCII,
    40 bytes each (those of a longer text have no code)."""
    return _TEXT_40(_mapped(_person_text, keys, object))


#: Resident ID keys; 18-character ASCII text keys (USCCs); other ASCII text keys of up to 40
#: characters (finding ids, department codes); person keys of another document type (a
#: passport, a Hong Kong, Macao or Taiwan permit, a foreigner's residence card: one person in a
#: hundred, whose keys would otherwise be Python objects that grow with the register).
#: ``_by_form`` says which keys each may take.
FORMS = (
    _Form(np.dtype(np.int64), _resident_codes),
    _Form(np.dtype("S18"), _text_codes(18)),
    _Form(np.dtype("S40"), _TEXT_40),
    _Form(np.dtype("S40"), _document_codes),
)
_TYPE, _NUMBER = attrgetter("id_type"), attrgetter("id_number")
_PERSON, _TEXT = 1, 2
_KINDS = {PersonKey: _PERSON, str: _TEXT}  # by exact type (a subclass is another key)


def _sorted_unique(codes: np.ndarray) -> np.ndarray:
    """``codes`` sorted, each once (``np.unique`` is ~25 times slower on millions here)."""
    ordered = np.sort(codes)
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return ordered[first]


def _within(codes: np.ndarray, held: np.ndarray) -> np.ndarray:
    """Element-wise ``code in held`` (sorted, unique): the codes are looked up in their own
    sorted order, so the search walks ``held`` forwards (random look-ups into a large array
    wait on memory, or on the disk: ~8 times slower in memory)."""
    order = np.argsort(codes)
    ordered = codes[order]
    at = np.minimum(np.searchsorted(held, ordered), max(len(held) - 1, 0))
    hit = np.zeros(len(codes), dtype=bool)
    if len(held):
        hit[order] = held[at] == ordered
    return hit


def _on_disk(dtype: np.dtype[Any], length: int) -> np.ndarray:
    """A writable array of ``length`` in an unlinked temporary file, memory-mapped (the file
    goes when the array does)."""
    with tempfile.TemporaryFile(prefix="tracer-keys-") as file:
        return np.memmap(file, dtype=dtype, mode="w+", shape=(max(length, 1),))[:length]


def _kept(codes: np.ndarray) -> np.ndarray:
    """``codes`` where a kept array belongs: on disk from ``ON_DISK_FROM`` keys."""
    if len(codes) < ON_DISK_FROM or isinstance(codes, np.memmap):
        return codes
    held = _on_disk(codes.dtype, len(codes))
    held[:] = codes
    return held


def _slice_bounds(runs: Sequence[np.ndarray]) -> list[Any]:
    """Upper bounds (the last None) that cut the key range of the sorted ``runs`` into slices
    of at most ``MERGE_SLICE`` keys. Every run is sampled each ``stride`` keys, and a slice
    spans ``_SAMPLES_A_SLICE`` samples: a run's keys in a slice are fewer than its samples
    there plus one, times ``stride``, so a slice holds fewer than (samples + runs) x stride.
    (A key repeated across runs at a sampled place can make a slice larger.)"""
    stride = max(MERGE_SLICE // (_SAMPLES_A_SLICE + len(runs)), 1)
    sample = np.sort(np.concatenate([np.asarray(run[::stride]) for run in runs]))
    return [*_sorted_unique(sample[_SAMPLES_A_SLICE::_SAMPLES_A_SLICE]), None]


def _merged(runs: Sequence[np.ndarray], dtype: np.dtype[Any]) -> np.ndarray:
    """The sorted, unique union of the sorted, unique ``runs``: on disk from ``ON_DISK_FROM``
    keys, built one slice of the key range at a time (``_slice_bounds``)."""
    total = sum(len(run) for run in runs)
    if not runs or total < ON_DISK_FROM:
        parts = [np.asarray(run) for run in runs]
        return _sorted_unique(np.concatenate(parts)) if parts else np.empty(0, dtype)
    bounds = _slice_bounds(runs)
    out = _on_disk(dtype, total)
    starts, filled = [0] * len(runs), 0
    for bound in bounds:
        pieces = []
        for index, run in enumerate(runs):
            end = len(run) if bound is None else int(np.searchsorted(run, bound))
            pieces.append(np.asarray(run[starts[index] : end]))
            starts[index] = end
        chunk = _sorted_unique(np.concatenate(pieces))
        out[filled : filled + len(chunk)] = chunk
        filled += len(chunk)
    return out[:filled]


def _objects(keys: Iterable[Any]) -> np.ndarray:
    """The keys as a one-dimensional array of objects (a ``PersonKey`` stays one cell)."""
    if isinstance(keys, np.ndarray) and keys.dtype == object and keys.ndim == 1:
        return keys
    held = keys if isinstance(keys, Sized) else list(keys)
    return np.fromiter(held, dtype=object, count=len(held))


def _mapped(call: Callable[[Any], Any], cells: np.ndarray, dtype: Any = bool) -> np.ndarray:
    """``call`` of each cell, as an array of ``dtype`` (a C-level map: no Python loop)."""
    return np.fromiter(map(call, cells), dtype=dtype, count=len(cells))


def _by_form(keys: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The places of the keys each of ``FORMS`` may take, and of the others: resident ID keys
    with an ASCII number; ASCII text keys of 18 characters; of up to 40 others; person keys of
    another type with an ASCII text. Tested column by column (a Python loop over the keys costs
    about a microsecond a key)."""
    kinds = np.fromiter(map(_KINDS.get, map(type, keys), repeat(0)), dtype=np.int8, count=len(keys))
    persons = np.flatnonzero(kinds == _PERSON)
    people = keys[persons]
    resident = _mapped(_TYPE, people, object) == DEFAULT_ID_TYPE
    residents = persons[resident & _mapped(str.isascii, _mapped(_NUMBER, people, object))]
    documents = persons[~resident]
    documents = documents[_mapped(str.isascii, _mapped(_person_text, keys[documents], object))]
    texts = np.flatnonzero(kinds == _TEXT)
    texts = texts[_mapped(str.isascii, keys[texts])]
    lengths = _mapped(len, keys[texts], np.int64)
    places = [residents, texts[lengths == 18], texts[(lengths != 18) & (lengths <= 40)], documents]
    other = np.ones(len(keys), dtype=bool)
    for taken in places:
        other[taken] = False
    return places, np.flatnonzero(other)


def _parts(
    keys: np.ndarray, by_form: tuple[list[np.ndarray], np.ndarray] | None = None
) -> tuple[tuple[np.ndarray, ...], set[Any]]:
    """The sorted codes of the keys of each form (kept), and the keys of none (``by_form``:
    the keys' places by form, when known)."""
    places, other = by_form or _by_form(keys)
    rest = set(keys[other].tolist())
    arrays = []
    for form, taken in zip(FORMS, places, strict=True):
        found = keys[taken]
        codes, coded = form.encode(found)
        rest.update(found[~coded].tolist())
        arrays.append(_kept(_sorted_unique(codes[coded])))
    return tuple(arrays), rest


class KeySet:
    """A set of entity keys: from ``CODED_FROM`` keys of a fixed-width form on, those keys as
    sorted arrays (on disk when large) and the others in a set; a smaller set is a plain set
    (faster to build and ask, and small)."""

    def __init__(self, keys: Iterable[Any] = ()) -> None:
        held = keys if isinstance(keys, Sized) else list(keys)
        self._arrays: tuple[np.ndarray, ...] = ()
        self._others: set[Any] = set()
        if len(held) >= CODED_FROM:
            cells = _objects(held)
            by_form = _by_form(cells)
            if sum(len(places) for places in by_form[0]) >= CODED_FROM:
                self._arrays, self._others = _parts(cells, by_form)
                return
        self._others = set(held)

    @classmethod
    def _of(cls, arrays: tuple[np.ndarray, ...], others: set[Any]) -> KeySet:
        made = cls()
        made._arrays, made._others = arrays, others
        return made

    @property
    def _coded(self) -> bool:
        return bool(self._arrays)

    def __len__(self) -> int:
        return sum(len(codes) for codes in self._arrays) + len(self._others)

    def __contains__(self, key: object) -> bool:
        return bool(self.contains([key])[0])

    def contains(self, keys: Sequence[Any] | np.ndarray) -> np.ndarray:
        """Element-wise membership of ``keys`` (a boolean array)."""
        cells = _objects(keys)
        if not self._coded:
            return _mapped(self._others.__contains__, cells)
        found = np.zeros(len(cells), dtype=bool)
        by_form, other = _by_form(cells)
        found[other] = _mapped(self._others.__contains__, cells[other])
        for form, held, places in zip(FORMS, self._arrays, by_form, strict=True):
            if not len(places):
                continue
            asked = cells[places]
            codes, coded = form.encode(asked)
            hit = _within(codes, held)
            hit[~coded] = _mapped(self._others.__contains__, asked[~coded])
            found[places] = hit
        return found

    def __sub__(self, other: KeySet) -> KeySet:
        if not self._coded and not other._coded:
            return KeySet(self._others - other._others)
        mine, theirs = self._coded_parts(), other._coded_parts()
        arrays = tuple(
            _kept(codes[~_within(codes, away)])
            for codes, away in zip(mine[0], theirs[0], strict=True)
        )
        return KeySet._of(arrays, mine[1] - theirs[1])

    def coded(self) -> KeySet:
        """The same keys, those of a fixed-width form as arrays however few."""
        return self if self._coded else KeySet._of(*self._coded_parts())

    def _coded_parts(self) -> tuple[tuple[np.ndarray, ...], set[Any]]:
        return (self._arrays, self._others) if self._coded else _parts(_objects(self._others))


class KeyRuns:
    """The keys of a stem validated in partitions, gathered partition by partition: the
    arrays of each in one file per form as they come (the others in a set), united into one
    ``KeySet`` by ``united``."""

    def __init__(self) -> None:
        self._files: list[IO[bytes]] = [
            tempfile.TemporaryFile(prefix="tracer-runs-")  # noqa: SIM115 (closed by close)
            for _ in FORMS
        ]
        self._lengths: list[list[int]] = [[] for _ in FORMS]
        self._others: set[Any] = set()

    def add(self, keys: KeySet) -> None:
        """Keep the keys of one partition."""
        arrays, others = keys.coded()._coded_parts()
        for file, lengths, codes in zip(self._files, self._lengths, arrays, strict=True):
            file.write(np.ascontiguousarray(codes).tobytes())
            lengths.append(len(codes))
        self._others |= others

    def united(self) -> KeySet:
        """Every partition's keys as one set (the files are closed)."""
        arrays = []
        for form, file, lengths in zip(FORMS, self._files, self._lengths, strict=True):
            file.flush()
            total = sum(lengths)
            every = (
                np.memmap(file, dtype=form.dtype, mode="r", shape=(total,))
                if total
                else np.empty(0, form.dtype)
            )
            ends = np.cumsum([0, *lengths])
            runs = [every[start:end] for start, end in pairwise(ends)]
            arrays.append(_merged(runs, form.dtype))
        self.close()
        if not any(len(codes) for codes in arrays) and len(self._others) < CODED_FROM:
            return KeySet(self._others)
        return KeySet._of(tuple(arrays), self._others)

    def close(self) -> None:
        """Remove the files (a memory-mapped one goes once its last array does)."""
        for file in self._files:
            file.close()


class KeyDates:
    """A date by key (a finding's decision date by its id), held as ``KeySet`` holds keys: from
    ``CODED_FROM`` keys on, those of a fixed-width form in sorted code arrays with each date
    beside its code as a day number; the others, and those given since, in a dict."""

    def __init__(self) -> None:
        self._recent: dict[Any, date] = {}
        self._codes = [np.empty(0, form.dtype) for form in FORMS]
        self._days = [np.empty(0, np.int32) for _ in FORMS]

    def update(self, keys: Iterable[Any], dates: Iterable[date]) -> None:
        """Set the date of each key (a later date given for a key replaces the earlier; no
        date is no change)."""
        self._recent.update(
            (key, day) for key, day in zip(keys, dates, strict=True) if day is not None
        )
        if len(self._recent) >= CODED_FROM:
            self._fold()

    def _fold(self) -> None:
        """Move the dict's keys of a fixed-width form into the arrays (theirs replace those of
        the same keys there)."""
        held = _objects(self._recent)
        given = np.fromiter(
            map(date.toordinal, self._recent.values()), dtype=np.int32, count=len(held)
        )
        places, other = _by_form(held)
        left = [other]
        for index, (form, taken) in enumerate(zip(FORMS, places, strict=True)):
            codes, coded = form.encode(held[taken])
            left.append(taken[~coded])
            every = np.concatenate([np.asarray(self._codes[index]), codes[coded]])
            order = np.argsort(every, kind="stable")  # the newer of equal codes comes last
            ordered = every[order]
            last = np.ones(len(ordered), dtype=bool)
            last[:-1] = ordered[1:] != ordered[:-1]
            days = np.concatenate([np.asarray(self._days[index]), given[taken][coded]])
            self._codes[index] = _kept(ordered[last])
            self._days[index] = _kept(days[order][last])
        kept = np.concatenate(left)
        self._recent = {key: self._recent[key] for key in held[kept].tolist()}

    def dates(self, keys: Sequence[Any]) -> list[date | None]:
        """The date of each key (None for a key without one)."""
        found: list[date | None] = [self._recent.get(key) for key in keys]
        if not any(len(held) for held in self._codes):
            return found
        cells = _objects(keys)
        by_form, _ = _by_form(cells)
        for form, held, days, places in zip(FORMS, self._codes, self._days, by_form, strict=True):
            if not len(held) or not len(places):
                continue
            codes, coded = form.encode(cells[places])
            at = np.minimum(np.searchsorted(held, codes), len(held) - 1)
            hit = coded & (held[at] == codes)
            for place, index in zip(places[hit].tolist(), at[hit].tolist(), strict=True):
                if found[place] is None:
                    found[place] = date.fromordinal(int(days[index]))
        return found
