"""Identity safety on load (issue 14): a known ID number or USCC arriving with another name is
rejected ``IDENTITY_CONFLICT`` unless the file dates a name change."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.integration.test_load import CLOCK, counts, fingerprint, write_files
from tracer.loaders.load import load_directory
from tracer.loaders.report import LoadReport
from tracer.queries.runner import QueryRunner

ZHANG = "110105198001010016"
LI = "110108197512120027"
USCC = "91110105MA01A2B325"
OTHER = "91110108MA02C4D594"
ENTERPRISES = f"uscc,name\n{USCC},北京甲科技有限公司\n{OTHER},北京乙建设有限公司\n"
PERSONS = f"id_number,name,nationality\n{ZHANG},张三,CN\n{LI},John Smith,GB\n"


def load(runner: QueryRunner, directory: Path, files: dict[str, str]) -> LoadReport:
    write_files(directory, files)
    return load_directory(runner, directory, rejects_path=directory / "rejects.csv", clock=CLOCK)


def rejects(report: LoadReport) -> list[dict[str, str]]:
    with Path(report.rejects_file).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def name_of(runner: QueryRunner, number: str) -> str:
    row = runner.read_one("MATCH (p:Person {id_number: $n}) RETURN p.name AS name", n=number)
    assert row is not None
    return str(row["name"])


def test_a_known_id_or_uscc_with_another_name_is_rejected(
    runner: QueryRunner, tmp_path: Path
) -> None:
    load(runner, tmp_path / "a", {"enterprises.csv": ENTERPRISES, "persons.csv": PERSONS})
    report = load(
        runner,
        tmp_path / "b",
        {
            "enterprises.csv": f"uscc,name\n{USCC},别的公司\n",
            "persons.csv": f"id_number,name\n{ZHANG},赵六\n",
            "positions.csv": (
                f"uscc,id_number,role,start_date\n{OTHER},{ZHANG},DIRECTOR,2020-01-01\n"
            ),
        },
    )
    assert counts(report)["persons"] == (1, 0, 1)
    assert counts(report)["enterprises"] == (1, 0, 1)
    assert counts(report)["positions"] == (1, 0, 1)
    found = {(r["file"], r["reason_code"], r["column"]) for r in rejects(report)}
    assert found == {
        ("persons.csv", "IDENTITY_CONFLICT", "name"),
        ("enterprises.csv", "IDENTITY_CONFLICT", "name"),
        ("positions.csv", "REF_REJECTED", "id_number"),
    }
    person = next(r for r in rejects(report) if r["file"] == "persons.csv")
    assert ZHANG not in person["message"] and "110105********0016" in person["message"]
    assert "张三" not in person["message"]  # another person's name is not disclosed
    assert name_of(runner, ZHANG) == "张三"
    stored = runner.read_one("MATCH (e:Enterprise {uscc: $u}) RETURN e.name AS n", u=USCC)
    assert stored == {"n": "北京甲科技有限公司"}
    assert report.quality.uscc_duplicated == 1


def test_trivial_differences_are_the_same_name(runner: QueryRunner, tmp_path: Path) -> None:
    load(runner, tmp_path / "a", {"persons.csv": PERSONS})
    report = load(
        runner,
        tmp_path / "b",
        {"persons.csv": f"id_number,name,nationality\n{ZHANG},张 三,CN\n{LI},ＪＯＨＮ　smith,GB\n"},
    )
    assert counts(report)["persons"] == (2, 2, 0)
    assert name_of(runner, LI) == "JOHN smith"  # full-width letters and space normalised
    assert name_of(runner, ZHANG) == "张 三"


def test_different_names_within_one_batch_reject_every_copy(tmp_path: Path) -> None:
    write_files(tmp_path / "b", {"persons.csv": f"id_number,name\n{ZHANG},张三\n{ZHANG},李四\n"})
    report = load_directory(None, tmp_path / "b", dry_run=True, rejects_path=tmp_path / "r.csv")
    assert counts(report)["persons"] == (2, 0, 2)
    assert {r["reason_code"] for r in rejects(report)} == {"IDENTITY_CONFLICT"}
    assert "persons.csv:2, persons.csv:3" in rejects(report)[0]["message"]


def test_a_dated_name_change_is_recorded_and_kept_on_reload(
    runner: QueryRunner, tmp_path: Path
) -> None:
    load(runner, tmp_path / "a", {"enterprises.csv": ENTERPRISES, "persons.csv": PERSONS})
    changed = {
        "persons.csv": (
            "id_number,name,nationality,name_changed_on,former_name\n"
            f"{ZHANG},张三丰,CN,2024-05-01,张三\n"
        ),
        "enterprises.csv": f"uscc,name,name_changed_on\n{USCC},北京甲集团有限公司,2023/1/2\n",
    }
    report = load(runner, tmp_path / "b", changed)
    assert counts(report)["persons"] == (1, 1, 0)
    assert counts(report)["enterprises"] == (1, 1, 0)
    assert name_of(runner, ZHANG) == "张三丰"
    changes = runner.read(
        "MATCH (s)-[:NAME_CHANGED]->(c:NameChange) "
        "RETURN c.former_name AS former, c.name AS name, toString(c.changed_on) AS on "
        "ORDER BY on"
    )
    assert changes == [
        {"former": "北京甲科技有限公司", "name": "北京甲集团有限公司", "on": "2023-01-02"},
        {"former": "张三", "name": "张三丰", "on": "2024-05-01"},
    ]
    graph = fingerprint(runner)
    load(runner, tmp_path / "b", changed)
    assert fingerprint(runner) == graph  # idempotent
    old = load(runner, tmp_path / "a", {"persons.csv": PERSONS})  # an older delivery
    assert counts(old)["persons"] == (2, 2, 0)
    assert name_of(runner, ZHANG) == "张三丰"
    wrong = load(
        runner,
        tmp_path / "c",
        {
            "persons.csv": (
                f"id_number,name,name_changed_on,former_name\n{ZHANG},王五,2025-01-01,赵六\n"
            )
        },
    )
    assert [r["reason_code"] for r in rejects(wrong)] == ["IDENTITY_CONFLICT"]
    assert name_of(runner, ZHANG) == "张三丰"
