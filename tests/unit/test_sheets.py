"""Spreadsheets in and out (tracer.domain.sheets) and how screening reads a file's rows."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.fixtures.graph_builder import resident_id, uscc
from tracer.domain.errors import InvalidInput
from tracer.domain.sheets import (
    Sheet,
    UnreadableFile,
    read_rows,
    records_sheet,
    write_csv,
    write_sheets,
    write_xlsx,
)
from tracer.queries.screening import entries_of

PERSON = resident_id(5)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_spreadsheet_encoding(encoding: str) -> None:
    rows = read_rows("证件号码,姓名\r\n1,张三\r\n\r\n2,\r\n".encode(encoding), ".csv")
    assert rows.header == ["证件号码", "姓名"]
    assert rows.rows == [(2, ["1", "张三"]), (4, ["2", None])]


def test_workbook_round_trip_keeps_text_and_never_writes_a_formula() -> None:
    data = write_xlsx([Sheet("a", ["x", "y"], [["=1+1", 7], ["中文", None]]), Sheet("b", ["z"])])
    assert read_rows(data).rows == [(2, ["=1+1", "7"]), (3, ["中文", None])]
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["a", "b"]
    assert workbook["a"]["A2"].data_type == "s"


def test_csv_written_with_a_bom_and_only_the_first_table() -> None:
    data = write_sheets([Sheet("a", ["名称"], [["甲"]]), Sheet("b", ["z"], [["no"]])], ".csv")
    assert data == "\ufeff名称\r\n甲\r\n".encode()
    assert write_csv(Sheet("a", ["x"], [[None]])).endswith(b'x\r\n""\r\n')


@pytest.mark.parametrize(
    ("data", "suffix", "reason"),
    [
        (b"", ".csv", "FILE_EMPTY"),
        (b"PK\x03\x04junk", None, "FILE_FORMAT"),
        (b"a", ".pdf", "FILE_FORMAT"),
    ],
)
def test_unreadable_files_say_why(data: bytes, suffix: str | None, reason: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_rows(data, suffix)
    assert caught.value.reason == reason


def test_a_null_object_is_empty_cells_of_its_fields() -> None:
    sheet = records_sheet("x", [{"person": None}, {"person": {"name": "张三"}}])
    assert list(sheet.columns) == ["person.name"]
    assert [list(row) for row in sheet.rows] == [[None], ["张三"]]


def test_records_flattened_into_one_table() -> None:
    sheet = records_sheet("x", [{"a": 1, "b": {"c": [1, 2], "d": [{"e": 1}]}}, {"z": None}])
    assert list(sheet.columns) == ["a", "b.c", "b.d", "z"]
    assert [list(row) for row in sheet.rows] == [[1, "1, 2", '[{"e":1}]', None], [None] * 4]


def test_screening_rows_english_or_chinese_headers() -> None:
    bad = PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1")
    data = "证件类型,证件号码,统一社会信用代码,名称\n"
    data += (
        f"居民身份证,{PERSON},,张三\n,,{uscc(3)},甲公司\n,{bad},,\n,{PERSON},{uscc(3)},\n,,,某人\n"
    )
    entries, id_column = entries_of(read_rows(data.encode("gbk")))
    assert id_column == 1
    person, firm, invalid, both, neither = entries
    assert person.key is not None and person.key.id_type == "RESIDENT_ID" and person.name == "张三"
    assert firm.key is not None and firm.key.uscc == uscc(3)
    assert invalid.key is None and invalid.error and invalid.error.startswith("ID_CHECK")
    assert both.error and both.error.startswith("SUBJECT_SHAPE")
    assert neither.error and neither.line == 6


def test_screening_needs_an_identifier_column() -> None:
    with pytest.raises(InvalidInput, match="证件号码"):
        entries_of(read_rows(b"name,phone\nx,1\n"))
