"""Identifier rules (DOMAIN.md §2): USCC (GB 32100-2015), organisation code (GB 11714),
resident ID (GB 11643-1999) and the shape of other identity documents.

Messages never echo a full identifier (PIPL): they say what is wrong, not what was sent.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from tracer.domain.clock import Clock
from tracer.domain.errors import InvalidInput
from tracer.domain.values import real_dates

ID_TYPES = (
    "RESIDENT_ID",
    "PASSPORT",
    "HK_MACAO_PERMIT",
    "TAIWAN_PERMIT",
    "FOREIGN_PERMANENT",
    "OTHER",
)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_CHECK = "10X98765432"
EARLIEST_BIRTH = date(1880, 1, 1)
#: Identifiers checked as one digit matrix at a time (bounds the matrices' memory).
MATRIX_ROWS = 1 << 16

_USCC_VALUE = {char: value for value, char in enumerate(USCC_CHARSET)}
_OTHER_DOCUMENT = re.compile(r"[A-Z0-9()\-]+")

# Positions 1-2 of a USCC: registering authority, then the kind under it (DOMAIN.md §2).
_KIND_BY_PREFIX = {
    "11": "ORGAN",
    "12": "PUBLIC_INSTITUTION",
    "51": "SOCIAL_ORGANISATION",
    "52": "SOCIAL_ORGANISATION",
    "53": "SOCIAL_ORGANISATION",
    "91": "ENTERPRISE",
    "92": "INDIVIDUAL_BUSINESS",
    "93": "COOPERATIVE",
}


class InvalidIdentifier(InvalidInput):
    """An identifier failed validation; ``reason`` is a stable reason code."""

    title = "Invalid identifier"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# -- USCC --------------------------------------------------------------------------------------
def uscc_check_char(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are ``first17``."""
    if len(first17) != 17 or any(char not in _USCC_VALUE for char in first17):
        raise InvalidIdentifier("USCC_CHARSET", "the first 17 USCC characters are not valid")
    total = sum(_USCC_VALUE[char] * w for char, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def org_code_check_char(first8: str) -> str:
    """The 9th character of a GB 11714 organisation code (``X`` for 10, ``0`` for 11)."""
    if len(first8) != 8 or not all(c.isdigit() or "A" <= c <= "Z" for c in first8):
        raise InvalidIdentifier("USCC_CHARSET", "an organisation code has 8 digits or letters")
    total = sum(_org_value(char) * w for char, w in zip(first8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_uscc(code: str) -> str:
    """The normalised (stripped, upper-case) USCC, or ``InvalidIdentifier``."""
    value = code.strip().upper()
    if len(value) != 18:
        raise InvalidIdentifier(
            "USCC_LENGTH", f"a USCC has 18 characters, this one has {len(value)}"
        )
    bad = sorted({char for char in value if char not in _USCC_VALUE})
    if bad:
        raise InvalidIdentifier(
            "USCC_CHARSET", f"a USCC may not contain {''.join(bad)!r} (no I, O, S, V, Z)"
        )
    if uscc_check_char(value[:17]) != value[17]:
        raise InvalidIdentifier("USCC_CHECK", "the USCC check character (position 18) is wrong")
    if org_code_check_char(value[8:16]) != value[16]:
        raise InvalidIdentifier(
            "USCC_ORG_CHECK", "the embedded organisation code's check character is wrong"
        )
    return value


def uscc_kind(code: str) -> str | None:
    """The subject kind implied by positions 1-2; None when they are not USCC characters."""
    prefix = code.strip().upper()[:2]
    if len(prefix) != 2 or any(char not in _USCC_VALUE for char in prefix):
        return None
    return _KIND_BY_PREFIX.get(prefix, "OTHER")


def uscc_reasons(codes: pd.Series) -> pd.Series:
    """Vectorised ``validate_uscc`` on normalised codes: the reason code per row, or None.

    ``codes`` must already be stripped and upper-case strings (no nulls); the result has the
    same index and the same reason ``validate_uscc`` would raise.
    """
    if len(codes) <= MATRIX_ROWS:
        return _uscc_reasons(codes)
    parts = [
        _uscc_reasons(codes.iloc[start : start + MATRIX_ROWS])
        for start in range(0, len(codes), MATRIX_ROWS)  # a few MB of characters at a time
    ]
    joined: pd.Series = pd.concat(parts)
    return joined


def _uscc_reasons(codes: pd.Series) -> pd.Series:
    reasons = pd.Series([None] * len(codes), index=codes.index, dtype=object)
    lengths = codes.str.len().to_numpy()
    reasons[lengths != 18] = "USCC_LENGTH"
    fixed = lengths == 18
    if not fixed.any():
        return reasons
    ascii_ok = codes[fixed].map(str.isascii).to_numpy(dtype=bool)
    subset = codes[fixed]
    positions = np.flatnonzero(fixed)
    reasons.iloc[positions[~ascii_ok]] = "USCC_CHARSET"
    positions = positions[ascii_ok]
    raw = np.frombuffer("".join(subset[ascii_ok]).encode("ascii"), dtype=np.uint8)
    matrix = raw.reshape(-1, 18)
    table = np.full(256, -1, dtype=np.int64)
    for value, char in enumerate(USCC_CHARSET):
        table[ord(char)] = value
    values = table[matrix]
    charset_bad = (values < 0).any(axis=1)
    main = (values[:, :17] * np.array(USCC_WEIGHTS)).sum(axis=1)
    check_bad = ((31 - main % 31) % 31) != values[:, 17]
    org_values = np.where(matrix[:, 8:17] <= ord("9"), matrix[:, 8:17] - ord("0"), 0).astype(
        np.int64
    )
    letters = matrix[:, 8:17] >= ord("A")
    org_values[letters] = matrix[:, 8:17][letters].astype(np.int64) - ord("A") + 10
    org_check = 11 - (org_values[:, :8] * np.array(ORG_WEIGHTS)).sum(axis=1) % 11
    expected = np.where(org_check == 11, ord("0"), np.where(org_check == 10, ord("X"), 0))
    expected = np.where(org_check < 10, org_check + ord("0"), expected)
    org_bad = expected != matrix[:, 16]
    labels = np.select(
        [charset_bad, check_bad, org_bad], ["USCC_CHARSET", "USCC_CHECK", "USCC_ORG_CHECK"], ""
    )
    flagged = labels != ""
    reasons.iloc[positions[flagged]] = labels[flagged]
    return reasons


# -- persons -----------------------------------------------------------------------------------
def resident_id_check_char(first17: str) -> str:
    """The 18th character of a resident ID whose first 17 digits are ``first17``."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise InvalidIdentifier("ID_CHARSET", "a resident ID starts with 17 digits")
    total = sum(int(char) * w for char, w in zip(first17, RESIDENT_WEIGHTS, strict=True))
    return RESIDENT_CHECK[total % 11]


def _birth_date(digits: str, today: date) -> None:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdentifier(
            "ID_BIRTH_DATE", "the birth date in the resident ID is not a real date"
        ) from None
    if not EARLIEST_BIRTH <= born <= today:
        raise InvalidIdentifier(
            "ID_BIRTH_DATE", "the birth date in the resident ID is not a past date"
        )


def _normalise_resident_id(number: str, today: date) -> str:
    if len(number) == 15:
        if not (number.isascii() and number.isdigit()):
            raise InvalidIdentifier("ID_CHARSET", "a 15-digit resident ID has digits only")
        first17 = number[:6] + "19" + number[6:]
        _birth_date(first17[6:14], today)
        return first17 + resident_id_check_char(first17)
    if len(number) != 18:
        raise InvalidIdentifier(
            "ID_LENGTH", f"a resident ID has 18 (or legacy 15) characters, not {len(number)}"
        )
    body, last = number[:17], number[17]
    if not (body.isascii() and body.isdigit() and (last.isdigit() or last == "X")):
        raise InvalidIdentifier(
            "ID_CHARSET", "a resident ID has 17 digits and a digit or X at the end"
        )
    _birth_date(body[6:14], today)
    if resident_id_check_char(body) != last:
        raise InvalidIdentifier("ID_CHECK", "the resident ID check character is wrong")
    return number


def normalise_person_id(id_type: str, id_number: str, today: date | None = None) -> str:
    """The normalised document number for ``id_type``, or ``InvalidIdentifier``.

    Resident IDs: 18 characters (upper-case ``X``), real past birth date, check character;
    legacy 15-digit numbers are converted. Other documents: stripped, upper-case, 5-30 of
    ``A-Z 0-9 ( ) -``.
    """
    kind = id_type.strip().upper()
    if kind not in ID_TYPES:
        raise InvalidIdentifier("ID_TYPE_UNKNOWN", f"unknown id_type {id_type[:30]!r}")
    number = id_number.strip().upper()
    if kind == "RESIDENT_ID":
        return _normalise_resident_id(number, today or Clock().today())
    if not 5 <= len(number) <= 30:
        raise InvalidIdentifier(
            "ID_LENGTH", f"a {kind} number has 5 to 30 characters, not {len(number)}"
        )
    if not (number.isascii() and _OTHER_DOCUMENT.fullmatch(number)):
        raise InvalidIdentifier(
            "ID_CHARSET", f"a {kind} number has only letters, digits, '(', ')' and '-'"
        )
    return number


def normalise_resident_ids(
    numbers: pd.Series, today: date | None = None
) -> tuple[pd.Series, pd.Series]:
    """Vectorised ``normalise_person_id("RESIDENT_ID", …)`` on non-null strings: the normalised
    numbers (None where invalid) and the reason codes (None where valid), same index.

    Cells of the common shapes (18 ASCII characters, or 15) are checked as one digit matrix; a
    valid number already in normal form is returned as the same string object (a column of
    millions is not copied). Any other cell takes the scalar rule, which gives its reason.
    """
    today = today or Clock().today()
    cells = numbers.to_numpy(dtype=object)
    count = len(cells)
    out = np.full(count, None, dtype=object)
    reasons = np.full(count, None, dtype=object)
    plain = np.fromiter(
        (type(cell) is str and cell.isascii() and cell == cell.strip() for cell in cells),
        bool,
        count,
    )
    lengths = np.fromiter(
        (len(cell) if ok else 0 for cell, ok in zip(cells, plain, strict=True)), int, count
    )
    for length in (18, 15):
        rows = np.flatnonzero(plain & (lengths == length))
        if len(rows):
            for start in range(0, len(rows), MATRIX_ROWS):  # a few MB of digits at a time
                part = rows[start : start + MATRIX_ROWS]
                _resident_matrix(cells, part, length == 15, today, out, reasons)
    for row in np.flatnonzero(~(plain & ((lengths == 18) | (lengths == 15)))):
        try:
            out[row] = normalise_person_id("RESIDENT_ID", str(cells[row]), today)
        except InvalidIdentifier as exc:
            reasons[row] = exc.reason
    return (
        pd.Series(out, index=numbers.index, dtype=object),
        pd.Series(reasons, index=numbers.index, dtype=object),
    )


def _resident_matrix(
    cells: np.ndarray,
    rows: np.ndarray,
    legacy: bool,
    today: date,
    out: np.ndarray,
    reasons: np.ndarray,
) -> None:
    """``normalise_resident_ids`` on ``rows``: ASCII cells of 18 (or, ``legacy``, 15)
    characters, read as one byte matrix."""
    width = 15 if legacy else 18
    matrix = np.frombuffer("".join(cells[rows]).encode("ascii"), dtype=np.uint8)
    matrix = matrix.reshape(-1, width).astype(np.int32)
    if legacy:
        nineteen = np.broadcast_to(np.array([1, 9]) + ord("0"), (len(rows), 2))
        body = np.concatenate([matrix[:, :6], nineteen, matrix[:, 6:]], axis=1)
        last = np.full(len(rows), ord("0"))  # any digit: a legacy number has no check character
    else:
        body, last = matrix[:, :17], matrix[:, 17]
    digits = body - ord("0")
    last_ok = ((last >= ord("0")) & (last <= ord("9"))) | (last == ord("X")) | (last == ord("x"))
    charset = ((digits >= 0) & (digits <= 9)).all(axis=1) & last_ok
    safe = np.where(charset[:, None], digits, 0)
    year = safe[:, 6:10] @ np.array([1000, 100, 10, 1])
    month, day = safe[:, 10:12] @ np.array([10, 1]), safe[:, 12:14] @ np.array([10, 1])
    stamp = year * 10_000 + month * 100 + day
    earliest = EARLIEST_BIRTH.year * 10_000 + EARLIEST_BIRTH.month * 100 + EARLIEST_BIRTH.day
    latest = today.year * 10_000 + today.month * 100 + today.day
    born_ok = real_dates(year, month, day) & (stamp >= earliest) & (stamp <= latest)
    check = np.frombuffer(RESIDENT_CHECK.encode("ascii"), dtype=np.uint8)[
        (safe * np.array(RESIDENT_WEIGHTS)).sum(axis=1) % 11
    ]
    upper_last = np.where(last == ord("x"), ord("X"), last)
    check_ok = legacy | (check == upper_last)
    labels = np.select(
        [~charset, ~born_ok, ~check_ok], ["ID_CHARSET", "ID_BIRTH_DATE", "ID_CHECK"], ""
    )
    flagged = labels != ""
    reasons[rows[flagged]] = labels[flagged]
    good = ~flagged
    if legacy:
        texts = np.concatenate([body[good], check[good][:, None]], axis=1).astype(np.uint8)
        out[rows[good]] = [bytes(line).decode("ascii") for line in texts]
        return
    same = good & (last != ord("x"))
    out[rows[same]] = cells[rows[same]]
    lower = good & (last == ord("x"))
    out[rows[lower]] = [str(cell).upper() for cell in cells[rows[lower]]]


# -- identifier-shaped text (never in a URL or a log) -------------------------------------------
_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
#: A resident ID (18: a birth date at 7-14, digit or X last; legacy 15: YYMMDD at 7-12), also the
#: 2023 foreign permanent resident ID, which has the same layout; anywhere in a text.
_RESIDENT_SHAPE = re.compile(
    rf"(?<!\d)(?:\d{{6}}(?:18|19|20)\d{{2}}{_DAY}\d{{3}}[0-9X]|\d{{8}}{_DAY}\d{{3}})(?!\d)"
)
#: A passport or travel-permit number as a whole token: one or two letters and 7-10 digits
#: (E12345678, EA1234567, H1234567890, G12345678 …).
_DOCUMENT_SHAPE = re.compile(r"[A-Z]{1,2}\d{7,10}")
_TOKENS = re.compile(r"[A-Z0-9]+")


#: The same shapes as one regular expression for a JSON Schema ``not: {pattern}`` on URL
#: parameters (case-insensitive by its classes; without the USCC exception, which a pattern
#: cannot check).
PERSON_ID_PATTERN = (
    rf"(?<!\d)(?:\d{{6}}(?:18|19|20)\d{{2}}{_DAY}\d{{3}}[0-9Xx]|\d{{8}}{_DAY}\d{{3}})(?!\d)"
    r"|(?:^|[^A-Za-z0-9])[A-Za-z]{1,2}\d{7,10}(?:$|[^A-Za-z0-9])"
)


def looks_like_person_id(text: str) -> bool:
    """True when ``text`` carries something shaped like a personal identifier: a resident ID
    anywhere in it, or a token (letters and digits between other characters) shaped like a
    passport or permit number. A valid USCC is an organisation's code, not a person's, and is
    never flagged."""
    value = text.strip().upper()
    if len(value) == 18 and _is_valid_uscc(value):
        return False
    if _RESIDENT_SHAPE.search(value):
        return True
    return any(_DOCUMENT_SHAPE.fullmatch(token) for token in _TOKENS.findall(value))


def _is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except InvalidIdentifier:
        return False
    return True
