"""A large stem is validated in partitions split by its key (``tracer.loaders.partition``):
the outcome — counts, repeats, rejects with their reasons and messages, the quality summary —
must be that of the stem validated whole."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from tracer.domain.errors import InsufficientStorage
from tracer.loaders import partition
from tracer.loaders.generate import generate_dataset
from tracer.loaders.load import load_directory
from tracer.loaders.report import LoadReport

TODAY = date(2026, 11, 1)
VARYING = ("seconds", "read_seconds", "validate_seconds", "rows_per_second", "rejects_file")


#: A column to change in a copy of a row, making a conflicting duplicate of it.
CHANGED = {"end_date": "2099-12-31", "address": "另一个地址"}


@pytest.fixture(scope="module")
def data_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated files with corrupt rows (names given twice among them), and copies of some
    rows appended — identical, or with another value — so that copies fall far apart."""
    directory = tmp_path_factory.mktemp("partitioned")
    generate_dataset(directory, enterprises=400, seed=11, corrupt_rate=0.05)
    for stem in partition.KEYS:
        path = directory / f"{stem}.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header = lines[0].rstrip("\n").split(",")
        copies = lines[1:40:3]
        for column, value in CHANGED.items():
            if column in header:
                place = header.index(column)
                for line in lines[2:60:5]:
                    cells = line.rstrip("\n").split(",")
                    cells[place] = value
                    copies.append(",".join(cells) + "\n")
        if stem == "persons":  # the same numbers written otherwise, under other names
            with_x = [line for line in lines if line.split(",")[0].endswith("X")]
            copies += [_other_form(line) for line in [*lines[1:200:7], *with_x[:20]]]
        if stem in ("findings", "finding_persons"):  # the same ids with spaces around
            copies += [
                f" {line.split(',', 1)[0]}\t,{line.split(',', 1)[1]}" for line in lines[1:30:4]
            ]
        if stem == "redlist":  # the same subjects written otherwise
            copies += [_other_subject(line) for line in lines[1:80:3]]
        path.write_text("".join([*lines, *copies]), encoding="utf-8")
    return directory


def _other_form(line: str) -> str:
    """A persons row with its resident ID with a lower-case x, or as 15 digits (born in the
    1900s), and another name."""
    number, _name, *rest = line.split(",")
    if number.endswith("X"):
        number = number.lower()
    elif number[6:8] == "19":
        number = number[:6] + number[8:17]
    return ",".join([number, "另一人", *rest])


def _other_subject(line: str) -> str:
    """A red-list row with its subject written with its document type, or in lower case."""
    subject, rest = line.split(",", 1)
    person = ",PERSON," in line
    return f"{'RESIDENT_ID:' + subject if person else subject.lower()},{rest}"


def _outcome(report: LoadReport, rejects: Path) -> tuple[str, list[str]]:
    fields = report.model_dump(exclude=set(VARYING))
    lines = rejects.read_text(encoding="utf-8-sig").splitlines()
    return json.dumps(fields, default=str, sort_keys=True), sorted(lines)


def test_a_stem_validated_in_partitions_has_the_outcome_of_the_stem_whole(
    data_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = load_directory(None, data_set, dry_run=True, rejects_path=tmp_path / "whole.csv")
    monkeypatch.setattr(partition, "PARTITION_BYTES", 1024)
    split = {
        stem: partition.split(stem, [data_set / f"{stem}.csv"], TODAY) for stem in partition.KEYS
    }
    assert all(parts is not None and parts.count >= 2 for parts in split.values())
    for parts in split.values():
        assert parts is not None
        parts.close()
    parted = load_directory(None, data_set, dry_run=True, rejects_path=tmp_path / "parts.csv")
    reasons = whole.quality.reasons
    assert reasons["persons"]["IDENTITY_CONFLICT"] and reasons["enterprises"]["IDENTITY_CONFLICT"]
    for stem in ("positions", "shareholdings", "practitioners"):
        assert reasons[stem]["DUPLICATE_CONFLICT"] and whole.repeats[stem]
    assert _outcome(parted, tmp_path / "parts.csv") == _outcome(whole, tmp_path / "whole.csv")


def test_the_spilled_files_are_removed(
    data_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partition, "PARTITION_BYTES", 1024)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where spilled files go
    load_directory(None, data_set, dry_run=True, rejects_path=tmp_path / "rejects.csv")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["rejects.csv"]


def test_files_that_are_not_plain_csv_are_validated_whole(
    data_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partition, "PARTITION_BYTES", 1024)
    quoted = tmp_path / "persons.csv"
    text = (data_set / "persons.csv").read_text(encoding="utf-8")
    quoted.write_text(text + '"110105198001010016",张三,CN\n', encoding="utf-8")
    assert partition.split("persons", [quoted], TODAY) is None
    assert partition.split("departments", [data_set / "departments.csv"], TODAY) is None
    assert list(tmp_path.iterdir()) == [quoted]


def test_the_room_needed_is_a_split_stem_beside_the_rows_waiting_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partition, "PARTITION_BYTES", 1024)
    files = {}
    for stem, size in (("persons", 3000), ("positions", 5000), ("redlist", 1000)):
        files[stem] = [tmp_path / f"{stem}.csv"]
        files[stem][0].write_bytes(b"x" * size)
    stems = list(files.items())  # redlist fits one partition: it is not split
    assert partition.room_needed(stems, waiting={"persons", "positions"}) == 3000 + 1.6 * 5000
    assert partition.room_needed(stems, waiting=set()) == 1.6 * 5000
    sheet = tmp_path / "positions.xlsx"  # validated whole: nothing of it goes to TMPDIR
    sheet.write_bytes(b"x" * 9000)
    assert partition.room_needed([("positions", [sheet])], waiting={"positions"}) == 0


def test_a_load_without_room_in_tmpdir_is_refused_before_any_work(
    data_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partition, "PARTITION_BYTES", 1024)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: SimpleNamespace(free=1000))
    with pytest.raises(InsufficientStorage, match="set TMPDIR to a directory on a disk"):
        load_directory(None, data_set, dry_run=True, rejects_path=tmp_path / "rejects.csv")
    assert not (tmp_path / "rejects.csv").exists()
