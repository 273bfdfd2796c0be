"""``KeySet`` answers exactly as a Python set of the same keys."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from tracer.domain.keys import PersonKey
from tracer.loaders import keysets
from tracer.loaders.keysets import KeySet

digits = st.text(alphabet="0123456789", min_size=17, max_size=17)
residents = st.builds(
    lambda body, last: PersonKey("RESIDENT_ID", body + last), digits, st.sampled_from("0123456789X")
)
#: Numbers that have no code: another length or character, non-ASCII; other document types;
#: USCCs and department codes (text keys).
odd = st.one_of(
    st.builds(lambda n: PersonKey("RESIDENT_ID", n), st.text(min_size=0, max_size=20)),
    st.builds(lambda n: PersonKey("PASSPORT", n), st.text(alphabet="0123456789E", max_size=18)),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=1, max_size=18),
)
keys = st.lists(st.one_of(residents, odd), max_size=40)


def _made(held: Sequence[object], coded_from: int) -> KeySet:
    """A ``KeySet`` of ``held`` coded from ``coded_from`` resident keys on."""
    kept = keysets.CODED_FROM
    keysets.CODED_FROM = coded_from
    try:
        return KeySet(held)
    finally:
        keysets.CODED_FROM = kept


thresholds = st.sampled_from([0, 2, 1 << 20])


@given(keys, keys, keys, thresholds, thresholds)
def test_membership_and_difference_as_a_set(
    held: list[object], other: list[object], asked: list[object], first: int, second: int
) -> None:
    found, removed = _made(held, first), _made(other, second)
    assert len(found) == len(set(held))
    assert found.contains(asked).tolist() == [key in set(held) for key in asked]
    assert [key in found for key in asked] == [key in set(held) for key in asked]
    left = found - removed
    assert len(left) == len(set(held) - set(other))
    assert left.contains(held + other).tolist() == [
        key in set(held) - set(other) for key in held + other
    ]


def test_a_large_set_is_coded_in_parts(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(keysets, "_PART", 3)
    numbers = [f"{index:017d}{index % 10}" for index in range(10)]
    found = _made([PersonKey("RESIDENT_ID", number) for number in numbers[::2]], 0)
    asked = [PersonKey("RESIDENT_ID", number) for number in numbers]
    assert found.contains(asked).tolist() == [index % 2 == 0 for index in range(10)]


def test_from_coded_from_resident_keys_on_each_is_held_as_eight_bytes() -> None:
    held = [PersonKey("RESIDENT_ID", f"{index:017d}X") for index in range(1000)]
    assert len(_made(held, 1001)._codes) == 0
    found = _made(held, 1000)
    assert found._codes.nbytes == 8000 and not found._others


def test_numbers_that_differ_only_in_the_last_character_are_apart() -> None:
    body = "11010519800101001"
    found = _made([PersonKey("RESIDENT_ID", body + "X")], 0)
    asked = [PersonKey("RESIDENT_ID", body + last) for last in "X0123456789"]
    assert found.contains(asked).tolist() == [True, *[False] * 10]


@given(st.lists(keys, max_size=4), st.lists(thresholds, min_size=4, max_size=4), thresholds, keys)
def test_union_as_a_set(
    parts: list[list[object]], made_at: list[int], united_at: int, asked: list[object]
) -> None:
    sets = [_made(part, at) for part, at in zip(parts, made_at, strict=False)]
    kept = keysets.CODED_FROM
    keysets.CODED_FROM = united_at
    try:
        united = KeySet.union(sets)
    finally:
        keysets.CODED_FROM = kept
    expected = set().union(*map(set, parts))
    assert len(united) == len(expected)
    every = [*asked, *(key for part in parts for key in part)]
    assert united.contains(every).tolist() == [key in expected for key in every]
