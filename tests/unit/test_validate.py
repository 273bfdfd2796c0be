"""Validation without a database: every reason code on a real bad row, counts that reconcile."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from tracer.loaders import validate
from tracer.loaders.batch import Batch
from tracer.loaders.checks import Context
from tracer.loaders.load import load_directory
from tracer.loaders.read import read_table
from tracer.loaders.report import LoadReport
from tracer.loaders.specs import SPECS

FIXTURES = Path(__file__).parents[1] / "fixtures" / "load"

#: (file, line) -> reason codes of the broken fixture that need no graph.
EXPECTED = {
    ("list_types.csv", 3): {"BAD_CODE"},
    ("rules.csv", 2): {"REF_MEASURE"},
    ("rules.csv", 3): {"REF_LIST_TYPE"},
    ("measure_basis.csv", 2): {"REF_BASIC_LIST_EDITION"},
    ("departments.csv", 2): {"FILE_MISSING_COLUMN"},
    ("departments.csv", 3): {"FILE_MISSING_COLUMN"},
    ("enterprises.csv", 3): {"USCC_LENGTH"},
    ("enterprises.csv", 4): {"USCC_CHARSET"},
    ("enterprises.csv", 5): {"USCC_CHECK"},
    ("enterprises.csv", 6): {"USCC_ORG_CHECK"},
    ("enterprises.csv", 7): {"KIND_MISMATCH"},
    ("enterprises.csv", 8): {"DUPLICATE_CONFLICT"},
    ("enterprises.csv", 9): {"DUPLICATE_CONFLICT"},
    ("enterprises.csv", 12): {"CODE_UNKNOWN"},
    ("enterprises.csv", 13): {"DATE_FORMAT"},
    ("enterprises.csv", 14): {"DATE_IMPOSSIBLE"},
    ("enterprises.csv", 16): {"REQUIRED_MISSING"},
    ("enterprises.csv", 17): {"ROW_MALFORMED"},
    ("persons.csv", 3): {"ID_TYPE_UNKNOWN"},
    ("persons.csv", 4): {"ID_LENGTH"},
    ("persons.csv", 5): {"ID_CHARSET"},
    ("persons.csv", 6): {"ID_BIRTH_DATE"},
    ("persons.csv", 7): {"ID_CHECK"},
    ("persons.csv", 8): {"ID_LENGTH"},
    ("positions.csv", 3): {"CODE_UNKNOWN"},
    ("positions.csv", 4): {"DATE_ORDER"},
    ("shareholdings.csv", 3): {"SHARE_FORMAT"},
    ("shareholdings.csv", 4): {"SHARE_UNIT"},
    ("shareholdings.csv", 5): {"SHARE_RANGE"},
    ("shareholdings.csv", 6): {"SELF_REFERENCE"},
    ("shareholdings.csv", 7): {"CODE_UNKNOWN"},
    ("practitioners.csv", 2): {"FILE_DUPLICATE_COLUMN"},
    ("findings.csv", 3): {"LIST_TYPE_UNKNOWN"},
    ("findings.csv", 4): {"DATE_ORDER"},
    ("findings.csv", 5): {"CODE_UNKNOWN"},
    ("findings.csv", 7): {"CATEGORY_MISMATCH"},
    ("findings.csv", 8): {"BAD_VALUE"},
    ("findings.csv", 9): {"BAD_VALUE"},
    ("findings.csv", 10): {"DATE_FUTURE"},
    ("finding_persons.csv", 5): {"CODE_UNKNOWN"},
    ("finding_persons.csv", 6): {"DATE_FUTURE"},
    ("finding_persons.csv", 7): {"DATE_ORDER"},
    ("transitions.csv", 2): {"DATE_FUTURE"},
    ("transitions.csv", 3): {"CODE_UNKNOWN"},
    ("transitions.csv", 4): {"REQUIRED_MISSING"},
    ("transitions.csv", 5): {"DATE_ORDER"},
    ("redlist.jsonl", 1): {"DATE_ORDER"},
    ("redlist.jsonl", 2): {"ROW_MALFORMED"},
}


def rejects_by_line(path: Path) -> dict[tuple[str, int], set[str]]:
    """Reason codes per (file, line) of a rejects CSV."""
    found: dict[tuple[str, int], set[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault((row["file"], int(row["line"])), set()).add(row["reason_code"])
    return found


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[LoadReport, Path]:
    rejects = tmp_path_factory.mktemp("rejects") / "rejects.csv"
    report = load_directory(None, FIXTURES / "broken", dry_run=True, rejects_path=rejects)
    return report, rejects


def test_every_reason_code_on_its_row(broken: tuple[LoadReport, Path]) -> None:
    _, rejects = broken
    assert rejects_by_line(rejects) == EXPECTED


def test_rejects_file_columns_and_raw_row(broken: tuple[LoadReport, Path]) -> None:
    _, rejects = broken
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["file", "line", "column", "reason_code", "message", "raw_row"]
    kind = next(r for r in rows if r["reason_code"] == "KIND_MISMATCH")
    assert kind["column"] == "kind"
    assert '"kind": "ORGAN"' in kind["raw_row"]
    assert "ENTERPRISE" in kind["message"]
    check = next(r for r in rows if r["reason_code"] == "ID_CHECK")
    assert "110105198001010017" not in check["message"]  # never echo a full ID
    mismatch = next(r for r in rows if r["reason_code"] == "CATEGORY_MISMATCH")
    assert mismatch["column"] == "category"
    assert "MARKET_ORDER" in mismatch["message"] and "REFUSE_OBLIGATION" in mismatch["message"]


def test_counts_reconcile_without_a_graph(broken: tuple[LoadReport, Path]) -> None:
    report, _ = broken
    assert not report.graph_checked
    assert report.dry_run
    counts = {stem: (c.read, c.loaded, c.rejected) for stem, c in report.files.items()}
    assert counts == {
        "list_types": (2, 1, 1),
        "rules": (2, 0, 2),
        "measure_basis": (1, 0, 1),
        "departments": (2, 0, 2),
        "enterprises": (16, 4, 12),
        "persons": (8, 2, 6),
        "positions": (6, 4, 2),
        "shareholdings": (6, 1, 5),
        "practitioners": (1, 0, 1),
        "findings": (9, 2, 7),
        "finding_persons": (6, 3, 3),
        "transitions": (5, 1, 4),
        "redlist": (3, 1, 2),
    }
    # references outside the batch could not be checked: enterprises line 15, positions 5-7,
    # finding_persons 3-4, transitions 6
    assert report.unchecked_references == {
        "enterprises": 1,
        "positions": 3,
        "finding_persons": 2,
        "transitions": 1,
    }
    assert report.repeats == {"enterprises": 1}


def test_quality_summary(broken: tuple[LoadReport, Path]) -> None:
    quality = broken[0].quality
    assert (quality.uscc_rows, quality.uscc_invalid, quality.uscc_duplicated) == (16, 4, 2)
    assert quality.uscc_repeated == 1
    assert quality.uscc_invalid_per_10k == 2500.0
    assert not quality.meets_goal
    assert quality.reasons["persons"]["ID_LENGTH"] == 2
    assert quality.top_reasons[0].reason_code == "CODE_UNKNOWN"


def test_json_document_has_the_contract_keys(broken: tuple[LoadReport, Path]) -> None:
    document = broken[0].to_json()
    assert document["files"]["persons"] == {"read": 8, "loaded": 2, "rejected": 6}
    assert isinstance(document["rejects_file"], str)


def test_case_insensitive_columns_and_every_value_format(tmp_path: Path) -> None:
    (tmp_path / "enterprises.csv").write_text(
        "USCC,Name,ESTABLISHED_ON\n"
        "91110105MA01A2B325,甲,2015-03-02\n"
        "91110108MA02C4D594,乙,2015/3/2\n"
        "1211000040000123XG,丙,20150302\n"
        "93500101MA03E6F751,丁,2015年3月2日\n",
        encoding="utf-8",
    )
    (tmp_path / "shareholdings.csv").write_text(
        "Investee_USCC,HOLDER_KIND,Holder_Id,SHARE,Share_Unit\n"
        "91110105MA01A2B325,ENTERPRISE,91110108MA02C4D594,0.35,\n"
        "91110105MA01A2B325,ENTERPRISE,1211000040000123XG,35%,\n"
        "91110105MA01A2B325,ENTERPRISE,93500101MA03E6F751,30,percent\n",
        encoding="utf-8",
    )
    report = load_directory(None, tmp_path, dry_run=True, rejects_path=tmp_path / "r.csv")
    assert {s: c.rejected for s, c in report.files.items()} == {
        "enterprises": 0,
        "shareholdings": 0,
    }
    assert report.unchecked_references == {}


def test_unknown_and_ranged_shares_and_record_ids(tmp_path: Path) -> None:
    """An empty share is unknown (null); a range is checked; a record id joins the key."""
    path = tmp_path / "shareholdings.csv"
    path.write_text(
        "investee_uscc,holder_kind,holder_id,share,share_min,share_max,share_unit,start_date,"
        "record_id\n"
        "91110105MA01A2B325,ENTERPRISE,91110108MA02C4D594,,,,,2020-01-01,\n"
        "91110105MA01A2B325,ENTERPRISE,1211000040000123XG,,20,30,percent,,\n"
        "91110105MA01A2B325,ENTERPRISE,93500101MA03E6F751,0.25,0.2,0.3,,,\n"
        "91110108MA02C4D594,ENTERPRISE,93500101MA03E6F751,,0.5,,,,\n"
        "91110105MA01A2B325,PERSON,110105198001010016,0.1,,,,2020-01-01,r1\n"
        "91110105MA01A2B325,PERSON,110105198001010016,0.3,,,,2020-01-01,r2\n"
        "91110105MA01A2B325,PERSON,110108197512120027,,0.4,0.3,,,\n"
        "91110105MA01A2B325,PERSON,500103199003150033,0.5,0.1,0.3,,,\n"
        "91110105MA01A2B325,PERSON,110108197512120027,,1.5,,,,\n"
        "91110108MA02C4D594,PERSON,110105198001010016,0.1,,,,2020-01-01,\n"
        "91110108MA02C4D594,PERSON,110105198001010016,0.2,,,,2020-01-01,\n",
        encoding="utf-8",
    )
    batch = Batch(SPECS["shareholdings"], [read_table(path)])
    rows = validate.shareholdings(batch, Context(graph=None, today=dt.date(2026, 1, 1)))
    got = [
        (r["share"], r["share_min"], r["share_max"], r["start_key"], r["record_id"])
        for _, r in rows.iterrows()
    ]
    assert got == [
        (None, None, None, "2020-01-01", None),
        (None, 0.2, 0.3, "", None),
        (0.25, 0.2, 0.3, "", None),
        (None, 0.5, None, "", None),
        (0.1, None, None, "2020-01-01#r1", "r1"),
        (0.3, None, None, "2020-01-01#r2", "r2"),
    ]
    reasons = sorted((r.line, r.column, r.reason_code) for r in batch.rejects)
    assert reasons == [
        (8, "share_min", "SHARE_BOUNDS_ORDER"),
        (9, "share", "SHARE_OUTSIDE_BOUNDS"),
        (10, "share_min", "SHARE_RANGE"),
        (11, "investee|holder_kind|holder|start_key", "DUPLICATE_CONFLICT"),
        (12, "investee|holder_kind|holder|start_key", "DUPLICATE_CONFLICT"),
    ]
    assert (batch.read, batch.rejected) == (11, 5)


def test_new_finding_columns_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "findings.csv"
    path.write_text(
        "finding_id,subject_id,list_type,authority,decided_on,ground,severe,exit_restricted,"
        "status,status_since\n"
        "A,91110105MA01A2B325,JUDGMENT_DEFAULTER,某法院,2023-01-10,able_but_refusing,是,否,"
        "repaired,2024/3/1\n"
        "B,91110105MA01A2B325,SERIOUS_DISHONESTY,某局,2023-01-10,,Y,0,,\n"
        "C,91110105MA01A2B325,SERIOUS_DISHONESTY,某局,2023-01-10,,,TRUE,,\n",
        encoding="utf-8",
    )
    batch = Batch(SPECS["findings"], [read_table(path)])
    categories = {"JUDGMENT_DEFAULTER": "REFUSE_OBLIGATION", "SERIOUS_DISHONESTY": None}
    ctx = Context(graph=None, today=dt.date(2026, 1, 1), list_types=categories)
    rows = validate.findings(batch, ctx)
    columns = ["finding_id", "category", "ground", "severe", "exit_restricted", "status"]
    assert [tuple(row) for row in rows[[*columns, "status_since"]].to_numpy()] == [
        ("A", "REFUSE_OBLIGATION", "ABLE_BUT_REFUSING", True, False, "REPAIRED",
         dt.date(2024, 3, 1)),
        ("B", None, None, True, False, "ACTIVE", None),
        ("C", None, None, None, True, "ACTIVE", None),
    ]  # fmt: skip
    assert batch.rejected == 0
    assert ctx.decided.dates(["A", "B", "C", "D"]) == [dt.date(2023, 1, 10)] * 3 + [None]
