"""Realistic bad rows, injected at a rate per file and counted by kind.

Every bad row has exactly one defect and never shares its key with a clean row, so a loader
rejects exactly the injected rows and nothing else (a conflicting duplicate adds two rows with
a fresh key, both to be rejected). References to unknown subjects use codes the generator
never issues.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from tracer.loaders.generate.codes import CodeBook, bad_resident_check, bad_uscc_check
from tracer.loaders.generate.writer import Row

BAD_USCC_CHECK = "BAD_USCC_CHECK"
BAD_ID_CHECK = "BAD_ID_CHECK"
IMPOSSIBLE_DATE = "IMPOSSIBLE_DATE"
END_BEFORE_START = "END_BEFORE_START"
SHARE_OUT_OF_RANGE = "SHARE_OUT_OF_RANGE"
UNKNOWN_CODE = "UNKNOWN_CODE"
UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE"
MISSING_REQUIRED = "MISSING_REQUIRED"
DUPLICATE_CONFLICT = "DUPLICATE_CONFLICT"
CATEGORY_MISMATCH = "CATEGORY_MISMATCH"

#: The kinds of bad rows injected into each file (none into transitions).
KINDS: dict[str, tuple[str, ...]] = {
    "departments": (MISSING_REQUIRED, DUPLICATE_CONFLICT),
    "enterprises": (
        BAD_USCC_CHECK,
        IMPOSSIBLE_DATE,
        MISSING_REQUIRED,
        UNKNOWN_CODE,
        DUPLICATE_CONFLICT,
    ),
    "persons": (BAD_ID_CHECK, MISSING_REQUIRED, UNKNOWN_CODE, DUPLICATE_CONFLICT),
    "positions": (
        BAD_USCC_CHECK,
        BAD_ID_CHECK,
        IMPOSSIBLE_DATE,
        END_BEFORE_START,
        UNKNOWN_CODE,
        UNKNOWN_REFERENCE,
        MISSING_REQUIRED,
    ),
    "shareholdings": (
        SHARE_OUT_OF_RANGE,
        END_BEFORE_START,
        IMPOSSIBLE_DATE,
        UNKNOWN_REFERENCE,
        UNKNOWN_CODE,
    ),
    "practitioners": (
        BAD_ID_CHECK,
        IMPOSSIBLE_DATE,
        END_BEFORE_START,
        UNKNOWN_REFERENCE,
        MISSING_REQUIRED,
    ),
    "findings": (
        UNKNOWN_CODE,
        IMPOSSIBLE_DATE,
        UNKNOWN_REFERENCE,
        MISSING_REQUIRED,
        BAD_USCC_CHECK,
        DUPLICATE_CONFLICT,
        CATEGORY_MISMATCH,
    ),
    "finding_persons": (BAD_ID_CHECK, UNKNOWN_CODE, MISSING_REQUIRED, UNKNOWN_REFERENCE),
    "redlist": (IMPOSSIBLE_DATE, END_BEFORE_START, MISSING_REQUIRED, UNKNOWN_REFERENCE),
}

# The date column whose value is made impossible, and the (start, end) pair of each file.
_DATE_COLUMN = {
    "enterprises": "established_on",
    "positions": "start_date",
    "shareholdings": "start_date",
    "practitioners": "start_date",
    "findings": "decided_on",
    "redlist": "granted_on",
}
_PERIOD = {
    "positions": ("start_date", "end_date"),
    "shareholdings": ("start_date", "end_date"),
    "practitioners": ("start_date", "end_date"),
    "redlist": ("granted_on", "valid_until"),
}
_REQUIRED = {
    "departments": "name",
    "enterprises": "name",
    "persons": "name",
    "positions": "start_date",
    "practitioners": "qualification",
    "findings": "decided_on",
    "finding_persons": "capacity",
    "redlist": "honour",
}
_UNKNOWN = {
    "enterprises": ("status", "ZOMBIE"),
    "persons": ("id_type", "DRIVING_LICENCE"),
    "positions": ("role", "CEO"),
    "shareholdings": ("holder_kind", "TRUST"),
    "findings": ("list_type", "GREY_LIST"),
    "finding_persons": ("capacity", "ACCOMPLICE"),
}
# Files whose bad rows need a fresh key of their own (the key is the subject's code).
_FRESH_KEY = {"departments", "enterprises", "persons", "findings"}


class RowCorrupter:
    """Adds bad rows after clean ones with probability ``rate`` per clean row."""

    def __init__(self, rate: float, seed: int) -> None:
        self.rate = rate
        self.rng = random.Random(f"corrupt-{seed}")
        self.codes = CodeBook()
        self._fresh = 0

    def strikes(self, stem: str) -> bool:
        """Whether bad rows follow the clean row of ``stem`` just written (probability
        ``rate`` in the files of ``KINDS``)."""
        return stem in KINDS and self.rng.random() < self.rate

    def bad_rows(self, stem: str, row: Row) -> list[tuple[str, Row]]:
        """The bad rows (with their kind) to write after ``row``, a row of a file of ``KINDS``."""
        kind = self.rng.choice(_kinds(stem, row))
        bad = dict(row)
        if stem in _FRESH_KEY:
            self._fresh_key(stem, bad)
        elif kind not in (UNKNOWN_REFERENCE, BAD_ID_CHECK, BAD_USCC_CHECK, UNKNOWN_CODE):
            self._shift_start(stem, bad)
        if kind == DUPLICATE_CONFLICT:
            return [(kind, bad), (kind, _twin(stem, bad))]
        _DEFECTS[kind](self, stem, bad)
        return [(kind, bad)]

    # -- keys ---------------------------------------------------------------------------------
    def _fresh_key(self, stem: str, row: Row) -> None:
        if stem in ("enterprises", "departments"):
            column = "uscc" if stem == "enterprises" else "code"
            code = str(row[column])
            row[column] = self.codes.unused_uscc(code[:2], code[2:8])
        elif stem == "persons":
            row["id_type"] = "RESIDENT_ID"
            row["id_number"] = self.codes.unused_resident_id()
            row["nationality"] = "CHN"
        else:
            self._fresh += 1
            row["finding_id"] = f"{row['finding_id']}-C{self._fresh}"

    def _shift_start(self, stem: str, row: Row) -> None:
        """Move the start date earlier so the key differs from the clean row's."""
        column = _PERIOD.get(stem, ("", ""))[0]
        if row.get(column):
            start = date.fromisoformat(str(row[column]))
            row[column] = (start - timedelta(days=self.rng.randint(1, 400))).isoformat()
            row[_PERIOD[stem][1]] = None

    def _unknown_subject(self, row: Row, column: str) -> str:
        code = str(row[column])
        if row.get("subject_kind") == "PERSON":
            return self.codes.unused_resident_id()
        return self.codes.unused_uscc(code[:2], code[2:8])

    # -- defects ------------------------------------------------------------------------------
    def _bad_uscc(self, stem: str, row: Row) -> None:
        column = {"enterprises": "uscc", "positions": "uscc", "findings": "subject_id"}[stem]
        row[column] = bad_uscc_check(str(row[column]))

    def _bad_id(self, stem: str, row: Row) -> None:
        row["id_type"] = "RESIDENT_ID"
        row["id_number"] = bad_resident_check(self.codes.unused_resident_id())

    def _impossible_date(self, stem: str, row: Row) -> None:
        column = _DATE_COLUMN[stem]
        year = str(row[column] or "2023")[:4]
        row[column] = f"{year}-02-30"

    def _end_before_start(self, stem: str, row: Row) -> None:
        start_column, end_column = _PERIOD[stem]
        start = date.fromisoformat(str(row[start_column]))
        row[end_column] = (start - timedelta(days=self.rng.randint(1, 300))).isoformat()

    def _share_out_of_range(self, stem: str, row: Row) -> None:
        row["share"] = self.rng.choice(("1.5", "-0.2", "150%"))

    def _unknown_code(self, stem: str, row: Row) -> None:
        column, value = _UNKNOWN[stem]
        row[column] = value

    def _unknown_reference(self, stem: str, row: Row) -> None:
        if stem == "finding_persons":
            self._fresh += 1
            row["finding_id"] = f"{row['finding_id']}-C{self._fresh}"
            return
        column = {
            "positions": "uscc",
            "shareholdings": "investee_uscc",
            "practitioners": "uscc",
            "findings": "subject_id",
            "redlist": "subject_id",
        }[stem]
        row[column] = self._unknown_subject(row, column)

    def _missing(self, stem: str, row: Row) -> None:
        row[_REQUIRED[stem]] = None

    def _category_mismatch(self, stem: str, row: Row) -> None:
        row["category"] = "MARKET_ORDER"


def _kinds(stem: str, row: Row) -> tuple[str, ...]:
    """The kinds of defect ``row`` can carry: no USCC check on a person, and a category mismatch
    only on a judgment-defaulter finding (its list type fixes REFUSE_OBLIGATION)."""
    kinds = KINDS[stem]
    if stem != "findings":
        return kinds
    if row["subject_kind"] == "PERSON":
        kinds = tuple(kind for kind in kinds if kind != BAD_USCC_CHECK)
    if row["list_type"] != "JUDGMENT_DEFAULTER":
        kinds = tuple(kind for kind in kinds if kind != CATEGORY_MISMATCH)
    return kinds


def _twin(stem: str, row: Row) -> Row:
    """The same key with a different value: a renamed body, a misspelt name, another status."""
    twin = dict(row)
    if stem == "findings":
        revoked = row["status"] != "REVOKED"
        twin["status"] = "REVOKED" if revoked else "ACTIVE"
        twin["status_since"] = row["decided_on"] if revoked else None
    elif stem == "persons":
        name = str(row["name"])
        twin["name"] = ("汪" if name[0] != "汪" else "王") + name[1:]
    else:
        name = str(row["name"])
        twin["name"] = (
            name.replace("有限公司", "有限责任公司") if "有限公司" in name else name + "（原）"
        )
    return twin


_DEFECTS: dict[str, Callable[[RowCorrupter, str, Row], None]] = {
    BAD_USCC_CHECK: RowCorrupter._bad_uscc,
    BAD_ID_CHECK: RowCorrupter._bad_id,
    IMPOSSIBLE_DATE: RowCorrupter._impossible_date,
    END_BEFORE_START: RowCorrupter._end_before_start,
    SHARE_OUT_OF_RANGE: RowCorrupter._share_out_of_range,
    UNKNOWN_CODE: RowCorrupter._unknown_code,
    UNKNOWN_REFERENCE: RowCorrupter._unknown_reference,
    MISSING_REQUIRED: RowCorrupter._missing,
    CATEGORY_MISMATCH: RowCorrupter._category_mismatch,
}
