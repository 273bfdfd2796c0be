"""Loading spreadsheets (issue 14), without a database: Chinese headers and code words, a GBK
file from Excel, headers without a required column, unknown file names, rejects with BOM or as
a workbook, the CLI's per-file lines and exit codes."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from tracer.loaders.load import load_directory
from tracer.loaders.report import LoadReport

TRACER = [sys.executable, "-m", "tracer.cli"]
ZHANG = "110105198001010016"
USCC = "91110105MA01A2B325"
#: Nothing listens here: the CLI's dry run works without the database.
NO_DATABASE = {"NEO4J_URI": "bolt://127.0.0.1:1"}


def dry(directory: Path, rejects_format: str = "csv") -> LoadReport:
    return load_directory(None, directory, dry_run=True, rejects_format=rejects_format)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TRACER, "load", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **NO_DATABASE, "COLUMNS": "200"},
    )


def test_a_gbk_file_with_chinese_headers_and_code_words_loads(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_bytes(
        f"证件类型,证件号码,姓名\n居民身份证,{ZHANG},张三\n".encode("gbk")
    )
    (tmp_path / "enterprises.csv").write_bytes(
        f"统一社会信用代码,企业名称,登记状态\n{USCC},甲公司,存续\n".encode("gbk")
    )
    (tmp_path / "positions.csv").write_bytes(
        f"统一社会信用代码,身份证号码,职务,任职日期\n{USCC},{ZHANG},法定代表人,2020-01-01\n".encode(
            "gbk"
        )
    )
    report = dry(tmp_path)
    assert {stem: c.rejected for stem, c in report.files.items()} == {
        "enterprises": 0,
        "persons": 0,
        "positions": 0,
    }
    assert report.clean and not report.ignored_columns and not report.header_problems


def test_an_unknown_code_word_is_still_rejected(tmp_path: Path) -> None:
    (tmp_path / "positions.csv").write_text(
        f"uscc,id_number,职务,start_date\n{USCC},{ZHANG},经理,2020-01-01\n", encoding="utf-8"
    )
    (tmp_path / "enterprises.csv").write_text(f"uscc,name\n{USCC},甲\n", encoding="utf-8")
    (tmp_path / "persons.csv").write_text(f"id_number,name\n{ZHANG},张三\n", encoding="utf-8")
    report = dry(tmp_path)
    assert report.by_file["positions.csv"].top_reasons == ["CODE_UNKNOWN role (1)"]


def test_a_header_without_a_required_column_says_what_it_expected(tmp_path: Path) -> None:
    rows = "".join(f"{ZHANG[:-1]}{i},某人\n" for i in range(3))
    (tmp_path / "persons.csv").write_text("证件号,姓名\n" + rows, encoding="utf-8")
    report = dry(tmp_path)
    assert report.files["persons"].read == 3 == report.files["persons"].rejected
    [problem] = report.header_problems
    assert problem.file == "persons.csv" and problem.missing == ["id_number"]
    assert problem.expected == ["id_number", "name"]
    assert problem.found == ["证件号", "姓名"]
    assert problem.closest == {"id_number": "证件号"}
    assert report.by_file["persons.csv"].top_reasons == ["FILE_MISSING_COLUMN id_number (3)"]


def test_both_a_header_and_its_alias_is_a_duplicate_column(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text(
        f"id_number,name,姓名\n{ZHANG},张三,张三\n", encoding="utf-8"
    )
    assert dry(tmp_path).by_file["persons.csv"].top_reasons == ["FILE_DUPLICATE_COLUMN name (1)"]


def test_unknown_file_names_are_reported(tmp_path: Path) -> None:
    (tmp_path / "person.csv").write_text(f"id_number,name\n{ZHANG},张三\n", encoding="utf-8")
    (tmp_path / "notes.xlsx").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not data", encoding="utf-8")
    (tmp_path / "enterprises.csv").write_text(f"uscc,name\n{USCC},甲\n", encoding="utf-8")
    (tmp_path / "rejects.xlsx").write_bytes(b"")
    report = dry(tmp_path)
    assert [(f.file, f.suggestion) for f in report.unknown_files] == [
        ("notes.xlsx", None),
        ("person.csv", "persons"),
    ]
    assert (
        report.unknown_files[1].text == "person.csv: not a known file name — did you mean persons?"
    )
    assert not report.clean
    assert report.to_json()["unknown_files"][1] == {"file": "person.csv", "suggestion": "persons"}


def test_rejects_are_utf8_with_bom_or_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text(f"id_number,name\n{ZHANG}9,张三\n", encoding="utf-8")
    report = dry(tmp_path)
    raw = Path(report.rejects_file).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbffile,line,column")
    assert "张三".encode() in raw
    workbook = dry(tmp_path, rejects_format="xlsx")
    assert workbook.rejects_file == str(tmp_path / "rejects.xlsx")
    sheet = openpyxl.load_workbook(workbook.rejects_file).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("file", "line", "column", "reason_code", "message", "raw_row")
    assert rows[1][:4] == ("persons.csv", 2, "id_number", "ID_LENGTH")


def test_cli_exit_codes_and_one_line_per_file(tmp_path: Path) -> None:
    rows = "".join(f"{ZHANG},张三\n" for _ in range(1_000))
    (tmp_path / "persons.csv").write_bytes(("身份证,姓名\n" + rows).encode("gbk"))
    (tmp_path / "person.csv").write_text(f"id_number,name\n{ZHANG},张三\n", encoding="utf-8")
    failed = cli(str(tmp_path), "--dry-run", "--json")
    assert failed.returncode == 4, failed.stderr
    lines = failed.stderr.splitlines()
    assert (
        "persons.csv: 1,000 read, 0 loaded, 1,000 rejected — most common: "
        "FILE_MISSING_COLUMN id_number (1,000)"
    ) in lines
    assert "person.csv: not a known file name — did you mean persons?" in lines
    assert any(
        line.startswith("persons.csv: the header has no required column id_number")
        and "found 身份证, 姓名" in line
        for line in lines
    )
    allowed = cli(str(tmp_path), "--dry-run", "--allow-rejects")
    assert allowed.returncode == 0, allowed.stderr
    (tmp_path / "person.csv").unlink()
    (tmp_path / "persons.csv").write_text(f"id_number,name\n{ZHANG},张三\n", encoding="utf-8")
    clean = cli(str(tmp_path), "--dry-run")
    assert clean.returncode == 0, clean.stderr
    with (tmp_path / "rejects.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["file", "line", "column", "reason_code", "message", "raw_row"]
        ]
