"""Readers: every format and encoding, case-insensitive columns, line numbers, broken files."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tracer.loaders.read import UnreadableFile, discover, read_table

ROWS = [
    {"USCC": "91110105MA01A2B325", "Name": "北京甲科技有限公司", "Established_On": "2015-03-02"},
    {"USCC": "91110108MA02C4D594", "Name": "北京乙建设有限公司", "Established_On": ""},
]
EXPECTED = [
    {"uscc": "91110105MA01A2B325", "name": "北京甲科技有限公司", "established_on": "2015-03-02"},
    {"uscc": "91110108MA02C4D594", "name": "北京乙建设有限公司", "established_on": None},
]


def _cells(path: Path) -> list[dict[str, str | None]]:
    table = read_table(path)
    frame = table.frame.drop(columns=["_file", "_line"])
    return [{str(key): value for key, value in row.items()} for row in frame.to_dict("records")]


def _csv_text(rows: list[dict[str, str]]) -> str:
    header = ",".join(rows[0])
    return "\n".join([header, *(",".join(row.values()) for row in rows)]) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "enterprises.csv"
    path.write_bytes(_csv_text(ROWS).encode(encoding))
    assert _cells(path) == EXPECTED


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "enterprises.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(ROWS[0]))
    sheet.append(list(ROWS[0].values()))
    sheet.append([ROWS[1]["USCC"], ROWS[1]["Name"], None])
    book.save(path)
    assert _cells(path) == EXPECTED
    assert read_table(path).frame["_line"].tolist() == [2, 3]


def test_xlsx_date_and_number_cells(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "shareholdings.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["share", "start_date", "holder_id", "severe"])
    # Excel keeps numbers as doubles: long IDs must be text cells (docs/LOADING.md)
    sheet.append([0.35, dt.datetime(2020, 1, 2), 123456789012, True])
    book.save(path)
    assert _cells(path) == [
        {"share": "0.35", "start_date": "2020-01-02", "holder_id": "123456789012", "severe": "true"}
    ]


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "enterprises.parquet"
    frame = pd.DataFrame(ROWS).replace("", None)
    frame.to_parquet(path)
    assert _cells(path) == EXPECTED
    assert read_table(path).frame["_line"].tolist() == [1, 2]


def test_jsonl_with_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "enterprises.jsonl"
    lines = [json.dumps(ROWS[0], ensure_ascii=False), "{not json", "[1, 2]", json.dumps(ROWS[1])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(path)
    assert _cells(path) == EXPECTED
    assert table.frame["_line"].tolist() == [1, 4]
    assert [(m.line, m.message.split(":")[0]) for m in table.malformed] == [
        (2, "not JSON"),
        (3, "a JSONL line must be one JSON object"),
    ]


def test_csv_line_numbers_as_a_person_sees_them(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(
        'id_number,name\n110105198001010016,"张\n三"\n\n,,\n110108197512120027,李四\n'
        "500103199003150033,王五,extra\n310104197009090053,赵六,\n",
        encoding="utf-8",
    )
    table = read_table(path)
    # header 1; a quoted name spans lines 2-3; blank line 4 and empty row 5 are not rows
    assert table.frame["_line"].tolist() == [2, 6, 8]
    assert table.frame["name"].tolist() == ["张\n三", "李四", "赵六"]
    assert [m.line for m in table.malformed] == [7]


def test_leading_zeros_and_long_digit_strings_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_text("code,name,region_code\n000123,某部门,010000\n", encoding="utf-8")
    assert _cells(path) == [{"code": "000123", "name": "某部门", "region_code": "010000"}]


def test_duplicate_columns_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text("id_number,ID_NUMBER,name\n1,2,x\n", encoding="utf-8")
    assert read_table(path).duplicate_columns == ["id_number"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("persons.csv", b"\xff\xfe\x80\x80\xff", "FILE_ENCODING"),
        ("persons.csv", b"", "FILE_EMPTY"),
        ("persons.xlsx", b"not a workbook", "FILE_FORMAT"),
        ("persons.parquet", b"not parquet", "FILE_FORMAT"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        read_table(path)
    assert caught.value.reason == reason


def test_discover_knows_stems_and_formats(tmp_path: Path) -> None:
    for name in ("Enterprises.CSV", "persons.jsonl", "notes.txt", "rejects.csv", "findings.xlsx"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    found = discover(tmp_path)
    assert {stem: [p.name for p in paths] for stem, paths in found.items()} == {
        "enterprises": ["Enterprises.CSV"],
        "persons": ["persons.jsonl"],
        "findings": ["findings.xlsx"],
    }
