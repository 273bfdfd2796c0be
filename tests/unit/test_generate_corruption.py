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

from tracer.domain.codes import CAPACITIES, FINDING_STATUSES, POSITION_ROLES
from tracer.domain.errors import InvalidInput
from tracer.domain.identifiers import normalise_person_id, validate_uscc
from tracer.loaders.generate import generate_dataset
from tracer.loaders.generate.corrupt import CATEGORY_MISMATCH, RowCorrupter
from tracer.loaders.generate.writer import STEMS
from tracer.queries.reference import shipped_tables

Row = dict[str, str]
ROLES = set(POSITION_ROLES)
#: List type → the category it fixes ("" when each finding gives its own).
LIST_TYPES = {row["code"]: row["category"] or "" for row in shipped_tables()["list_types"]}
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
        fixed = LIST_TYPES[row["list_type"]]
        if fixed and row["category"] not in ("", fixed):
            return "CATEGORY_MISMATCH"
        if row["subject_kind"] == "PERSON":
            subject = {"id_type": "RESIDENT_ID", "id_number": row["subject_id"]}
            return self.person(subject)
        return self.enterprise(row["subject_id"])

    def finding_persons(self, row: Row) -> str | None:
        if not row["capacity"]:
            return "MISSING_REQUIRED"
        if row["capacity"] not in CAPACITIES:
            return "UNKNOWN_CODE"
        if row["finding_id"] not in self.findings:
            return "UNKNOWN_REFERENCE"
        return self.person(row)

    def transitions(self, row: Row) -> str | None:
        if row["to_status"] not in FINDING_STATUSES:
            return "UNKNOWN_CODE"
        return None if row["finding_id"] in self.findings else "UNKNOWN_REFERENCE"

    def redlist(self, row: Row) -> str | None:
        if not row["honour"]:
            return "MISSING_REQUIRED"
        if row["subject_kind"] == "PERSON":
            problem = self.person({"id_type": "RESIDENT_ID", "id_number": row["subject_id"]})
        else:
            problem = self.enterprise(row["subject_id"])
        return problem or self.period(row, "granted_on", "valid_until")

    def employments(self, row: Row) -> str | None:
        return (
            self.person(row)
            or self.enterprise(row["employer_id"])
            or self.period(row, "start_date", "end_date")
        )

    def credit_records(self, row: Row) -> str | None:
        """Commitments and interviews (the generator corrupts neither)."""
        return self.enterprise(row["subject_id"])

    def check(self, stem: str) -> Callable[[Row], str | None]:
        method = {
            "persons": self.persons_,
            "findings": self.findings_,
            "commitments": self.credit_records,
            "interviews": self.credit_records,
        }.get(stem)
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


@pytest.mark.parametrize(
    ("enterprises", "rate", "kinds_seen"), [(400, 0.03, 0), (400, 0.2, 9), (1500, 0.5, 10)]
)
def test_manifest_counts_exactly_the_bad_rows(
    tmp_path: Path, enterprises: int, rate: float, kinds_seen: int
) -> None:
    summary = generate_dataset(tmp_path, enterprises, seed=11, corrupt_rate=rate)
    tables = {stem: _read(tmp_path, stem) for stem in STEMS}
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
    assert manifest["files"]["transitions"]["injected"] == {}
    if kinds_seen:  # CATEGORY_MISMATCH (judgment defaulters only) needs more findings
        kinds = {kind for stem in manifest["files"].values() for kind in stem["injected"]}
        assert len(kinds) == kinds_seen


def _finding(list_type: str, subject_kind: str = "ENTERPRISE") -> dict[str, str | None]:
    return {
        "finding_id": "JD-110105-2024-0000001",
        "subject_kind": subject_kind,
        "subject_id": "91110105MA0070XN3R",
        "list_type": list_type,
        "category": None,
        "decided_on": "2024-02-04",
        "status": "ACTIVE",
    }


def test_category_mismatch_only_on_judgment_defaulters() -> None:
    corrupter = RowCorrupter(1.0, seed=3)
    found = []
    for _ in range(200):
        assert corrupter.strikes("findings")
        found += corrupter.bad_rows("findings", _finding("JUDGMENT_DEFAULTER"))
        bad = corrupter.bad_rows("findings", _finding("SERIOUS_DISHONESTY"))
        assert CATEGORY_MISMATCH not in {kind for kind, _ in bad}
    mismatched = [row for kind, row in found if kind == CATEGORY_MISMATCH]
    assert mismatched
    for row in mismatched:
        assert row["category"] == "MARKET_ORDER"
        assert row["finding_id"] != _finding("JUDGMENT_DEFAULTER")["finding_id"]
    assert not corrupter.strikes("transitions")
