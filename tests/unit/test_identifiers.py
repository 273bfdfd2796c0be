"""Identifier rules: USCC, organisation code, resident ID and other documents (DOMAIN.md §2)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracer.domain import identifiers
from tracer.domain.identifiers import (
    ID_TYPES,
    PERSON_ID_PATTERN,
    USCC_CHARSET,
    InvalidIdentifier,
    looks_like_person_id,
    normalise_person_id,
    normalise_resident_ids,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
    uscc_kind,
    uscc_reasons,
    validate_uscc,
)

# Published codes: the GB 32100-2015 example, Alibaba (China) Co., Huawei Technologies, Tencent.
PUBLISHED = ["91350100M000100Y43", "91330100716105852F", "914403001922038216", "9144030071526726XG"]


def make_uscc(prefix: str, division: str, org8: str) -> str:
    """A valid USCC built from its parts with both check characters."""
    first17 = prefix + division + org8 + org_code_check_char(org8)
    return first17 + uscc_check_char(first17)


uscc_parts = st.tuples(
    st.sampled_from(["91", "92", "93", "11", "12", "51", "52", "53", "Y1", "31", "N2"]),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8),
)
valid_usccs = uscc_parts.map(lambda parts: make_uscc(*parts))


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_validate(code: str) -> None:
    assert validate_uscc(code) == code
    assert validate_uscc(f"  {code.lower()} ") == code


def test_check_character_by_hand() -> None:
    # 91350100M000100Y4?: values 9 1 3 5 0 1 0 0 21 0 0 0 1 0 0 30 4 (M=21, Y=30 in the USCC
    # alphabet) times the weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 sum to 1640;
    # 1640 mod 31 = 28; 31 - 28 = 3 -> "3".
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    values = [9, 1, 3, 5, 0, 1, 0, 0, 21, 0, 0, 0, 1, 0, 0, 30, 4]
    total = sum(v * w for v, w in zip(values, weights, strict=True))
    assert total == 1640
    assert USCC_CHARSET[(31 - total % 31) % 31] == uscc_check_char("91350100M000100Y4") == "3"
    # Organisation code M000100Y (M=22, Y=34): 22*3 + 1*5 + 34*2 = 139; 139 mod 11 = 7 -> 4.
    assert org_code_check_char("M000100Y") == "4"


@pytest.mark.parametrize(
    ("first8", "check"),
    [
        ("10000000", "8"),  # 3 -> 11 - 3
        ("00000006", "X"),  # 12 mod 11 = 1 -> 10 -> X
        ("0000000B", "0"),  # B=11: 22 mod 11 = 0 -> 11 -> 0
        ("00000000", "0"),
    ],
)
def test_org_code_check_special_values(first8: str, check: str) -> None:
    assert org_code_check_char(first8) == check


@given(valid_usccs)
def test_generated_codes_validate(code: str) -> None:
    assert validate_uscc(code) == code
    assert uscc_reasons(pd.Series([code])).tolist() == [None]


@given(valid_usccs, st.integers(0, 17), st.sampled_from(USCC_CHARSET))
def test_any_single_character_change_is_detected(code: str, position: int, char: str) -> None:
    if code[position] == char:
        return
    changed = code[:position] + char + code[position + 1 :]
    with pytest.raises(InvalidIdentifier) as caught:
        validate_uscc(changed)
    assert caught.value.reason in {"USCC_CHECK", "USCC_ORG_CHECK"}
    assert uscc_reasons(pd.Series([changed])).tolist() == [caught.value.reason]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "USCC_LENGTH"),
        ("91350100M000100Y433", "USCC_LENGTH"),
        ("91350100M000100I43", "USCC_CHARSET"),
        ("91350100M000100Y4中", "USCC_CHARSET"),
        ("91350100M000100Y44", "USCC_CHECK"),
        # positions 1-17 consistent with position 18, but the organisation check is broken
        ("91350100M000100Y5" + uscc_check_char("91350100M000100Y5"), "USCC_ORG_CHECK"),
    ],
)
def test_invalid_codes_carry_their_reason(code: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_uscc(code)
    assert caught.value.reason == reason
    assert code not in str(caught.value)
    assert uscc_reasons(pd.Series([code.upper()])).tolist() == [reason]


def test_vectorised_reasons_keep_the_index() -> None:
    codes = pd.Series(["ABC", PUBLISHED[0], "91350100M000100Y44"], index=[10, 20, 30])
    assert uscc_reasons(codes).to_dict() == {10: "USCC_LENGTH", 20: None, 30: "USCC_CHECK"}


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [
        ("91", "ENTERPRISE"),
        ("92", "INDIVIDUAL_BUSINESS"),
        ("93", "COOPERATIVE"),
        ("11", "ORGAN"),
        ("12", "PUBLIC_INSTITUTION"),
        ("51", "SOCIAL_ORGANISATION"),
        ("53", "SOCIAL_ORGANISATION"),
        ("Y1", "OTHER"),
        ("31", "OTHER"),
    ],
)
def test_kind_from_positions_one_and_two(prefix: str, kind: str) -> None:
    assert uscc_kind(make_uscc(prefix, "110000", "60003734")) == kind


def test_kind_of_garbage_is_none() -> None:
    assert uscc_kind("I") is None
    assert uscc_kind("OO1234") is None


# -- persons ------------------------------------------------------------------------------------
TODAY = date(2026, 1, 1)


def test_resident_id_check_char() -> None:
    # GB 11643 example: 11010519491231002X
    assert resident_id_check_char("11010519491231002") == "X"
    assert normalise_person_id("RESIDENT_ID", "11010519491231002x", TODAY) == "11010519491231002X"


def test_legacy_fifteen_digits_convert() -> None:
    assert normalise_person_id("RESIDENT_ID", "110105491231002", TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("1101051949123100", "ID_LENGTH"),
        ("11010519491231002Y", "ID_CHARSET"),
        ("1101051949123100AX", "ID_CHARSET"),
        ("11010A491231002", "ID_CHARSET"),
        ("110105194902300021", "ID_BIRTH_DATE"),  # 30 February
        ("110105203001010021", "ID_BIRTH_DATE"),  # in the future
        ("110105491331002", "ID_BIRTH_DATE"),  # legacy, month 13
        ("110105194912310021", "ID_CHECK"),
    ],
)
def test_bad_resident_ids(number: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalise_person_id("RESIDENT_ID", number, TODAY)
    assert caught.value.reason == reason
    assert number not in str(caught.value)


def test_future_check_uses_today() -> None:
    first17 = "11010520250601001"
    number = first17 + resident_id_check_char(first17)
    assert normalise_person_id("RESIDENT_ID", number, date(2025, 6, 1)) == number
    with pytest.raises(InvalidIdentifier):
        normalise_person_id("RESIDENT_ID", number, date(2025, 5, 31))


@pytest.mark.parametrize(
    ("id_type", "number", "expected"),
    [
        ("PASSPORT", " e12345678 ", "E12345678"),
        ("hk_macao_permit", "H1234567(8)", "H1234567(8)"),
        ("TAIWAN_PERMIT", "12345678", "12345678"),
        ("FOREIGN_PERMANENT", "USA-110099", "USA-110099"),
    ],
)
def test_other_documents_keep_their_shape(id_type: str, number: str, expected: str) -> None:
    assert normalise_person_id(id_type, number, TODAY) == expected


@pytest.mark.parametrize(
    ("id_type", "number", "reason"),
    [
        ("DRIVING_LICENCE", "E12345678", "ID_TYPE_UNKNOWN"),
        ("PASSPORT", "E12", "ID_LENGTH"),
        ("PASSPORT", "E" * 31, "ID_LENGTH"),
        ("PASSPORT", "E1234 5678", "ID_CHARSET"),
        ("OTHER", "护照12345", "ID_CHARSET"),
    ],
)
def test_bad_other_documents(id_type: str, number: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalise_person_id(id_type, number, TODAY)
    assert caught.value.reason == reason


def test_id_types_are_the_contract() -> None:
    assert ID_TYPES == (
        "RESIDENT_ID",
        "PASSPORT",
        "HK_MACAO_PERMIT",
        "TAIWAN_PERMIT",
        "FOREIGN_PERMANENT",
        "OTHER",
    )


resident_like = st.one_of(
    st.text(alphabet="0123456789Xx", min_size=14, max_size=19),
    st.builds(
        lambda area, born, seq: area + born.strftime("%Y%m%d") + seq,
        st.text(alphabet="0123456789", min_size=6, max_size=6),
        st.dates(min_value=date(1850, 1, 1), max_value=date(2030, 12, 31)),
        st.text(alphabet="0123456789", min_size=3, max_size=3),
    ).map(lambda first17: first17 + resident_id_check_char(first17)),
    st.builds(
        lambda area, born, seq: area + born.strftime("%y%m%d") + seq,
        st.text(alphabet="0123456789", min_size=6, max_size=6),
        st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
        st.text(alphabet="0123456789", min_size=3, max_size=3),
    ),
    st.text(min_size=0, max_size=20),
)


@given(st.lists(resident_like, min_size=1, max_size=20))
@example([" 11010519900101002", "11010519491231002x", "110105900101002 ", "11010519491231002X\x1c"])
def test_vectorised_resident_ids_equal_the_scalar_rule(numbers: list[str]) -> None:
    expected_values: list[str | None] = []
    expected_reasons: list[str | None] = []
    for number in numbers:
        try:
            expected_values.append(normalise_person_id("RESIDENT_ID", number, TODAY))
            expected_reasons.append(None)
        except InvalidIdentifier as exc:
            expected_values.append(None)
            expected_reasons.append(exc.reason)
    values, reasons = normalise_resident_ids(pd.Series(numbers, dtype=object), TODAY)
    assert values.tolist() == expected_values
    assert reasons.tolist() == expected_reasons


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("110105199001010021", True),
        ("11010519491231002x", True),
        ("F-110105199001010021", True),
        ("F110105199001010021", True),
        ("110105900101002", True),  # legacy 15 digits
        ("E12345678", True),
        ("F-E12345678", True),
        ("EA1234567", True),
        ("H1234567890", True),
        ("91440304MA0070XN36", False),  # a valid USCC
        ("1111000000314187XG", False),
        ("FD-440304-2024-0000001", False),
        ("F-2024-0001", False),
        ("2025-03-01T12:00:00+08:00", False),
        ("1101051990010100211", False),  # 19 digits: not an ID
        ("20240101", False),
        ("ban-breaches", False),
    ],
)
def test_identifier_shapes_in_free_text(text: str, flagged: bool) -> None:
    assert looks_like_person_id(text) is flagged
    assert bool(re.search(PERSON_ID_PATTERN, text)) is flagged  # the schema's form agrees


@given(
    st.lists(resident_like, min_size=1, max_size=20),
    st.lists(st.one_of(valid_usccs, st.text(max_size=19)), min_size=1, max_size=20),
)
def test_identifiers_checked_in_parts_read_as_checked_whole(
    numbers: list[str], codes: list[str]
) -> None:
    whole = (
        normalise_resident_ids(pd.Series(numbers, dtype=object), TODAY),
        uscc_reasons(pd.Series(codes, dtype=object)),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(identifiers, "MATRIX_ROWS", 3)
        parts = (
            normalise_resident_ids(pd.Series(numbers, dtype=object), TODAY),
            uscc_reasons(pd.Series(codes, dtype=object)),
        )
    assert [series.tolist() for series in whole[0]] == [series.tolist() for series in parts[0]]
    assert whole[1].tolist() == parts[1].tolist()
    assert parts[1].index.equals(whole[1].index)
