"""``--corrupt-rate``: an independent validator finds exactly the bad rows the manifest counts."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from tracer.domain.codes import POSITION_ROLES
from tracer.domain.errors import InvalidInput
from tracer.domain.identifiers import normalise_person_id, validate_uscc
from tracer.loaders.generate import generate_dataset
from tracer.loaders.generate.writer import COLUMNS

Row = dict[str, str]
ROLES = set(POSITION_ROLES)
LIST_TYPES = {
    "SERIOUS_DISHONESTY",
    "JUDGMENT_DEFAULTER",
    "MAJOR_TAX_VIOLATION",
    "MARKET_SUPERVISION_SERIOUS",
    "WAGE_ARREARS",
    "WORK_SAFETY_SERIOUS",
    "FOOD_DRUG_SERIOUS",
    "ENVIRONMENT_SERIOUS",
    "ADMINISTRATIVE_DECISION_DEFAULTER",
}
KEYS = {
    "departments": ("code",),
    "enterprises": ("uscc",),
    "persons": ("id_type", "id_number"),
    "findings": ("finding_id",),
}


def _uscc_ok(code: str) -> bool:
    try:
        validate_uscc(code)
    except InvalidInput:
        return False
    return True


def _person_ok(id_type: str, number: str) -> bool:
    try:
        normalise_person_id(id_type or "RESIDENT_ID", number)
    except InvalidInput:
        return False
    return True


def _date(text: str) -> date | str | None:
    """The date, None for empty, or "bad"."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return "bad"


class Validator:
    """Classifies each row by its first defect (or None), knowing the clean subjects."""

    def __init__(self, tables: dict[str, list[Row]]) -> None:
        self.usccs = {r["uscc"] for r in tables["enterprises"]}
        self.persons = {(r["id_type"], r["id_number"]) for r in tables["persons"]}
        self.findings = {r["finding_id"] for r in tables["findings"]}

    def period(self, row: Row, start: str, end: str) -> str | None:
        first, last = _date(row[start]), _date(row[end])
        if first == "bad" or last == "bad":
            return "IMPOSSIBLE_DATE"
        if isinstance(first, date) and isinstance(last, date) and last < first:
            return "END_BEFORE_START"
        return None

    def person(self, row: Row) -> str | None:
        if not _person_ok(row["id_type"], row["id_number"]):
            return "BAD_ID_CHECK"
        return None if (row["id_type"], row["id_number"]) in self.persons else "UNKNOWN_REFERENCE"

    def enterprise(self, code: str) -> str | None:
        if not _uscc_ok(code):
            return "BAD_USCC_CHECK"
        return None if code in self.usccs else "UNKNOWN_REFERENCE"

    def departments(self, row: Row) -> str | None:
        return None if row["name"] else "MISSING_REQUIRED"

    def enterprises(self, row: Row) -> str | None:
        if not _uscc_ok(row["uscc"]):
            return "BAD_USCC_CHECK"
        if not row["name"]:
            return "MISSING_REQUIRED"
        if row["status"] not in ("ACTIVE", "CANCELLED", "REVOKED"):
            return "UNKNOWN_CODE"
        return "IMPOSSIBLE_DATE" if _date(row["established_on"]) == "bad" else None

    def persons_(self, row: Row) -> str | None:
        if row["id_type"] not in ("RESIDENT_ID", "PASSPORT", "HK_MACAO_PERMIT", "TAIWAN_PERMIT"):
            return "UNKNOWN_CODE"
        if not _person_ok(row["id_type"], row["id_number"]):
            return "BAD_ID_CHECK"
        return None if row["name"] else "MISSING_REQUIRED"

    def positions(self, row: Row) -> str | None:
        if row["role"] not in ROLES:
            return "UNKNOWN_CODE"
        if not row["start_date"]:
            return "MISSING_REQUIRED"
        return (
            self.enterprise(row["uscc"])
            or self.person(row)
            or self.period(row, "start_date", "end_date")
        )

    def shareholdings(self, row: Row) -> str | None:
        if row["holder_kind"] not in ("PERSON", "ENTERPRISE", "DEPARTMENT"):
            return "UNKNOWN_CODE"
        share = row["share"]
        value = Fraction(share.rstrip("%")) / (100 if share.endswith("%") else 1)
        if not 0 <= value <= 1:
            return "SHARE_OUT_OF_RANGE"
        return self.enterprise(row["investee_uscc"]) or self.period(row, "start_date", "end_date")

    def practitioners(self, row: Row) -> str | None:
        if not row["qualification"]:
            return "MISSING_REQUIRED"
        return (
            self.enterprise(row["uscc"])
            or self.person(row)
            or self.period(row, "start_date", "end_date")
        )

    def findings_(self, row: Row) -> str | None:
        if row["list_type"] not in LIST_TYPES:
            return "UNKNOWN_CODE"
        if not row["decided_on"]:
            return "MISSING_REQUIRED"
        if _date(row["decided_on"]) == "bad":
            return "IMPOSSIBLE_DATE"
        if row["subject_kind"] == "PERSON":
            subject = {"id_type": "RESIDENT_ID", "id_number": row["subject_id"]}
            return self.person(subject)
        return self.enterprise(row["subject_id"])

    def finding_persons(self, row: Row) -> str | None:
        if not row["capacity"]:
            return "MISSING_REQUIRED"
        if row["capacity"] not in ("DIRECTLY_RESPONSIBLE", "ACTUAL_CONTROLLER"):
            return "UNKNOWN_CODE"
        if row["finding_id"] not in self.findings:
            return "UNKNOWN_REFERENCE"
        return self.person(row)

    def redlist(self, row: Row) -> str | None:
        if not row["honour"]:
            return "MISSING_REQUIRED"
        if row["subject_kind"] == "PERSON":
            problem = self.person({"id_type": "RESIDENT_ID", "id_number": row["subject_id"]})
        else:
            problem = self.enterprise(row["subject_id"])
        return problem or self.period(row, "granted_on", "valid_until")

    def check(self, stem: str) -> Callable[[Row], str | None]:
        method = {"persons": self.persons_, "findings": self.findings_}.get(stem)
        return method or getattr(self, stem)


def _read(directory: Path, stem: str) -> list[Row]:
    with (directory / f"{stem}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _conflicts(stem: str, rows: list[Row]) -> set[int]:
    """Positions of rows whose key appears more than once with different values."""
    if stem not in KEYS:
        return set()
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[tuple(row[c] for c in KEYS[stem])].append(index)
    return {i for members in groups.values() if len(members) > 1 for i in members}


@pytest.mark.parametrize("rate", [0.03, 0.2])
def test_manifest_counts_exactly_the_bad_rows(tmp_path: Path, rate: float) -> None:
    summary = generate_dataset(tmp_path, 400, seed=11, corrupt_rate=rate)
    tables = {stem: _read(tmp_path, stem) for stem in COLUMNS}
    manifest = json.loads((tmp_path / "corruptions.json").read_text(encoding="utf-8"))
    conflicts = {stem: _conflicts(stem, rows) for stem, rows in tables.items()}
    clean = {
        stem: [r for i, r in enumerate(rows) if i not in conflicts[stem]]
        for stem, rows in tables.items()
    }
    validator = Validator(clean)
    total = 0
    for stem, rows in tables.items():
        check = validator.check(stem)
        found: Counter[str] = Counter()
        for index, row in enumerate(rows):
            kind = "DUPLICATE_CONFLICT" if index in conflicts[stem] else check(row)
            if kind:
                found[kind] += 1
        assert dict(found) == manifest["files"][stem]["injected"], stem
        assert manifest["files"][stem]["rows"] == len(rows)
        total += sum(found.values())
    assert total == manifest["injected_rows"] == summary.injected_rows > 0
    if rate > 0.1:
        kinds = {kind for stem in manifest["files"].values() for kind in stem["injected"]}
        assert len(kinds) == 9
