"""A plain CSV (no quotes) is read by pyarrow's reader; it must give exactly the table the csv
module gives — cells, line numbers, blank and empty rows, header names — and leave every other
file to the csv module."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tracer.loaders import read
from tracer.loaders.read import RawTable


def _both(
    path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[RawTable | None, RawTable]:
    """The table by the plain reader (None when it declines) and by the csv module."""
    path.write_text(text, encoding="utf-8")
    plain = read._read_plain_csv(path, text.encode("utf-8"))
    monkeypatch.setattr(read, "_read_plain_csv", lambda _path, _raw: None)
    return plain, read.read_table(path)


PLAIN = "Code,名称 ,Name,code\na1, 张三 ,x,\n\n,,,\n  ,\t,,\nb2,李四,, z\nc3,王五,y,"


def test_plain_file_reads_as_the_csv_module_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, slow = _both(tmp_path / "departments.csv", PLAIN, monkeypatch)
    assert plain is not None
    pd.testing.assert_frame_equal(plain.frame, slow.frame)
    assert plain.frame["_line"].tolist() == [2, 6, 7]
    assert (plain.columns, plain.duplicate_columns) == (slow.columns, slow.duplicate_columns)
    assert plain.frame.loc[0, "名称"] == " 张三 "  # cells are kept as written


@pytest.mark.parametrize(
    "text",
    [
        'code,name\n"a,1",x\n',  # quoted cell
        "code,name\r\na,x\r\n",  # carriage returns
        "code,name\na,x,y\n",  # more cells than the header: a malformed row
        "code,name\na\n",  # fewer cells
        "\ncode,name\na,x\n",  # blank first line
        "",  # nothing at all
    ],
)
def test_other_files_are_left_to_the_csv_module(tmp_path: Path, text: str) -> None:
    assert read._read_plain_csv(tmp_path / "departments.csv", text.encode("utf-8")) is None


def test_bytes_not_utf8_are_left_to_the_csv_module(tmp_path: Path) -> None:
    raw = PLAIN.encode("gb18030")
    assert read._read_plain_csv(tmp_path / "departments.csv", raw) is None


@pytest.mark.parametrize(
    ("encoding", "prefix"), [("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("utf-8", b"")]
)
def test_a_plain_file_in_any_accepted_encoding_is_read_as_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, prefix: bytes
) -> None:
    path = tmp_path / "departments.csv"
    path.write_bytes(prefix + PLAIN.encode(encoding))
    calls: list[bytes] = []
    plain_reader = read._read_plain_csv

    def spy(at: Path, raw: bytes) -> RawTable | None:
        found = plain_reader(at, raw)
        if found is not None:
            calls.append(raw)
        return found

    monkeypatch.setattr(read, "_read_plain_csv", spy)
    table = read.read_table(path)
    assert calls, "the plain reader read the file"
    monkeypatch.setattr(read, "_read_plain_csv", lambda _path, _raw: None)
    pd.testing.assert_frame_equal(table.frame, read.read_table(path).frame)
    assert table.frame.loc[1, "名称"] == "李四"


def _pieces_frame(path: Path, piece_bytes: int) -> pd.DataFrame:
    pieces = list(read.plain_pieces(path, piece_bytes))
    frames = [read.arrow_frame(path, p.header, p.lines, p.table).frame for p in pieces]
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("piece_bytes", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("ending", ["", "\n", "\n\n"])
def test_a_plain_file_read_in_pieces_is_the_file_read_whole(
    tmp_path: Path, piece_bytes: int, ending: str
) -> None:
    path = tmp_path / "departments.csv"
    rows = "".join(
        f"d{i},名{i} ,{'' if i % 3 else 'x'},\n{'' if i % 5 else ',,,' + chr(10)}"
        for i in range(40)
    )
    text = "Code,名称 ,Name,code\n" + rows.rstrip("\n") + ending
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    whole = read.read_table(path)
    pd.testing.assert_frame_equal(_pieces_frame(path, piece_bytes), whole.frame)


def test_a_header_only_file_is_one_empty_piece(tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_text("code,name\n", encoding="utf-8")
    (piece,) = read.plain_pieces(path)
    assert (piece.header, len(piece.lines), piece.table.num_rows) == (["code", "name"], 0, 0)


@pytest.mark.parametrize("late", ['"q,1",x\n', "a,x\r\n", "a,x,y\n", "a\n", "a,\x00\n", "a,\xff\n"])
def test_a_line_that_is_not_plain_stops_the_pieces(tmp_path: Path, late: str) -> None:
    path = tmp_path / "departments.csv"
    raw = ("code,name\n" + "a,b\n" * 100).encode("utf-8") + late.encode("latin-1")
    path.write_bytes(raw)
    with pytest.raises(read.NotPlain):
        list(read.plain_pieces(path, 64))
