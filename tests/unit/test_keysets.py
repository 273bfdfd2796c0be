"""``KeySet`` answers exactly as a Python set of the same keys."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tracer.domain.keys import PersonKey
from tracer.loaders import keysets
from tracer.loaders.keysets import KeyDates, KeyRuns, KeySet

digits = st.text(alphabet="0123456789", min_size=17, max_size=17)
residents = st.builds(
    lambda body, last: PersonKey("RESIDENT_ID", body + last), digits, st.sampled_from("0123456789X")
)
#: Numbers that have no code: another length or character, non-ASCII; other document types;
#: USCCs and department codes (text keys); keys that are neither text nor ``PersonKey``.
odd = st.one_of(
    st.builds(lambda n: PersonKey("RESIDENT_ID", n), st.text(min_size=0, max_size=20)),
    st.builds(lambda n: PersonKey("PASSPORT", n), st.text(alphabet="0123456789E", max_size=18)),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=1, max_size=17),
    st.text(min_size=17, max_size=19),  # 18 characters, some not ASCII or NUL
    st.text(alphabet="AB\x00", min_size=18, max_size=18),
    st.text(alphabet="AB\x00", min_size=0, max_size=42),  # up to 40 bytes, some with NUL
    st.text(alphabet="FD-0123456789", min_size=19, max_size=41),  # finding ids and longer
    st.integers(),  # keys of another type
)
usccs = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18)
keys = st.lists(st.one_of(residents, usccs, odd), max_size=40)
#: (CODED_FROM, ON_DISK_FROM, MERGE_SLICE): in a set; in arrays; on disk, merged in slices.
limits = st.sampled_from([(1 << 20, 1 << 20, 1 << 22), (2, 1 << 20, 1 << 22), (0, 0, 8), (0, 3, 1)])


@contextmanager
def _limited(at: tuple[int, int, int]) -> Iterator[None]:
    kept = keysets.CODED_FROM, keysets.ON_DISK_FROM, keysets.MERGE_SLICE
    keysets.CODED_FROM, keysets.ON_DISK_FROM, keysets.MERGE_SLICE = at
    try:
        yield
    finally:
        keysets.CODED_FROM, keysets.ON_DISK_FROM, keysets.MERGE_SLICE = kept


def _made(held: Sequence[object], at: tuple[int, int, int]) -> KeySet:
    with _limited(at):
        return KeySet(held)


@given(keys, keys, keys, limits, limits)
def test_membership_and_difference_as_a_set(
    held: list[object],
    other: list[object],
    asked: list[object],
    first: tuple[int, int, int],
    second: tuple[int, int, int],
) -> None:
    found, removed = _made(held, first), _made(other, second)
    assert len(found) == len(set(held))
    assert found.contains(asked).tolist() == [key in set(held) for key in asked]
    assert [key in found for key in asked] == [key in set(held) for key in asked]
    with _limited(first):
        left = found - removed
    assert len(left) == len(set(held) - set(other))
    assert left.contains(held + other).tolist() == [
        key in set(held) - set(other) for key in held + other
    ]


def test_a_large_set_is_coded_in_parts(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(keysets, "_PART", 3)
    numbers = [f"{index:017d}{index % 10}" for index in range(10)]
    found = _made([PersonKey("RESIDENT_ID", number) for number in numbers[::2]], (0, 99, 99))
    asked = [PersonKey("RESIDENT_ID", number) for number in numbers]
    assert found.contains(asked).tolist() == [index % 2 == 0 for index in range(10)]


def test_from_coded_from_keys_on_residents_take_eight_bytes_usccs_and_passports_more() -> None:
    residents: list[object] = [PersonKey("RESIDENT_ID", f"{index:017d}X") for index in range(600)]
    codes: list[object] = [f"91110000{index:09d}X" for index in range(300)]
    passports: list[object] = [PersonKey("PASSPORT", f"E{index:08d}") for index in range(100)]
    every = residents + codes + passports
    assert not _made(every, (1001, 1 << 20, 1))._arrays
    found = _made(every, (1000, 1 << 20, 1))
    assert [held.nbytes for held in found._arrays] == [8 * 600, 18 * 300, 0, 40 * 100]
    assert not found._others


def test_document_keys_are_apart_from_each_other_and_from_texts() -> None:
    held: list[object] = [PersonKey("AB", "C1"), "\x02ABC1"]
    asked: list[object] = [*held, PersonKey("A", "BC1"), PersonKey("ABC", "1"), "\x01ABC1"]
    found = _made(held, (0, 99, 99))
    assert found.contains(asked).tolist() == [True, True, False, False, False]
    assert not found._others


def test_from_on_disk_from_keys_an_array_is_a_mapped_file() -> None:
    codes = [f"91110000{index:09d}X" for index in range(100)]
    found = _made(codes, (0, 100, 1))
    assert isinstance(found._arrays[1], np.memmap)
    assert not isinstance(_made(codes, (0, 101, 1))._arrays[1], np.memmap)
    assert found.contains(["91110000000000042X", "91110000000000100X"]).tolist() == [True, False]


def test_numbers_that_differ_only_in_the_last_character_are_apart() -> None:
    body = "11010519800101001"
    found = _made([PersonKey("RESIDENT_ID", body + "X")], (0, 99, 99))
    asked = [PersonKey("RESIDENT_ID", body + last) for last in "X0123456789"]
    assert found.contains(asked).tolist() == [True, *[False] * 10]


@given(st.lists(keys, max_size=5), limits, keys)
def test_runs_of_partitions_unite_as_a_set(
    parts: list[list[object]], at: tuple[int, int, int], asked: list[object]
) -> None:
    """Partitions hold disjoint keys; the runs of each are united on disk."""
    seen: set[object] = set()
    disjoint = []
    for part in parts:
        disjoint.append([key for key in part if key not in seen])
        seen.update(part)
    with _limited(at):
        runs = KeyRuns()
        for part in disjoint:
            runs.add(KeySet(part))
        united = runs.united()
    assert len(united) == len(seen)
    every = [*asked, *seen]
    assert united.contains(every).tolist() == [key in seen for key in every]


def test_a_merge_in_slices_keeps_order_and_drops_repeats() -> None:
    rng = np.random.default_rng(7)
    runs = [np.unique(rng.integers(0, 5000, size=size)) for size in (0, 1, 900, 3000, 2500)]
    with _limited((0, 0, 64)):
        merged = keysets._merged(runs, np.dtype(np.int64))
    assert isinstance(merged, np.memmap)
    assert merged.tolist() == sorted(set(np.concatenate(runs).tolist()))


def test_a_merge_slice_holds_at_most_merge_slice_keys() -> None:
    """Runs longer than the sampling stride of a loose bound (here 33 runs of 770 random keys
    each, as the persons' runs of 4M enterprises at a thousandth) made one slice hold two
    thirds of all keys."""
    rng = np.random.default_rng(11)
    runs = [np.unique(rng.integers(0, 1 << 40, size=770)) for _ in range(33)]
    every = np.sort(np.concatenate(runs))
    with _limited((0, 0, 1 << 12)):
        bounds = keysets._slice_bounds(runs)
        merged = keysets._merged(runs, np.dtype(np.int64))
    assert bounds[-1] is None
    cuts = np.searchsorted(every, np.array(bounds[:-1], dtype=np.int64))
    sizes = np.diff([0, *cuts.tolist(), len(every)])
    assert len(sizes) > 6
    assert sizes.max() <= 1 << 12
    assert merged.tolist() == sorted(set(every.tolist()))


days = st.builds(lambda n: date(2020, 1, 1) + timedelta(days=n), st.integers(0, 3000))


@given(
    st.lists(st.lists(st.tuples(st.one_of(residents, usccs, odd), days), max_size=12), max_size=4),
    limits,
    keys,
)
def test_dates_by_key_as_a_dict(
    updates: list[list[tuple[object, date]]], at: tuple[int, int, int], asked: list[object]
) -> None:
    """Dates given in several updates, later ones replacing earlier ones, folded into arrays."""
    expected: dict[object, date] = {}
    with _limited(at):
        held = KeyDates()
        for pairs in updates:
            held.update([key for key, _ in pairs], [day for _, day in pairs])
            expected.update(pairs)
    every = [*asked, *expected]
    assert held.dates(every) == [expected.get(key) for key in every]


def test_a_date_given_after_a_fold_replaces_the_folded_one() -> None:
    """A key folded into the arrays, then given again (held in the dict until the next fold):
    the date given last is its date, whether or not it is folded again."""
    resident, uscc = PersonKey("RESIDENT_ID", "11010519491231002X"), "91110000100000000A"
    first, second = date(2021, 5, 1), date(2020, 1, 2)
    with _limited((2, 1 << 20, 1 << 22)):
        held = KeyDates()
        held.update([resident, uscc, "FD-1"], [first, first, first])
        held.update([uscc], [second])
        assert held.dates([resident, uscc, "FD-1"]) == [first, second, first]
        held.update([resident, "FD-1"], [second, second])
    assert held.dates([resident, uscc, "FD-1"]) == [second, second, second]
