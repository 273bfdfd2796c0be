"""``KeySet`` answers exactly as a Python set of the same keys."""

from __future__ import annotations

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


@given(keys, keys, keys)
def test_membership_and_difference_as_a_set(
    held: list[object], other: list[object], asked: list[object]
) -> None:
    found, removed = KeySet(held), KeySet(other)
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
    found = KeySet(PersonKey("RESIDENT_ID", number) for number in numbers[::2])
    asked = [PersonKey("RESIDENT_ID", number) for number in numbers]
    assert found.contains(asked).tolist() == [index % 2 == 0 for index in range(10)]


def test_a_resident_key_is_held_as_eight_bytes() -> None:
    found = KeySet(PersonKey("RESIDENT_ID", f"{index:017d}X") for index in range(1000))
    assert found._codes.nbytes == 8000 and not found._others


def test_numbers_that_differ_only_in_the_last_character_are_apart() -> None:
    body = "11010519800101001"
    found = KeySet([PersonKey("RESIDENT_ID", body + "X")])
    asked = [PersonKey("RESIDENT_ID", body + last) for last in "X0123456789"]
    assert found.contains(asked).tolist() == [True, *[False] * 10]
