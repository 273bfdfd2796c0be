"""The upgrade steps for releases, feedback, status lines and name keys: a store written by an
earlier version is brought up to date, and none of the steps reads the whole graph once nothing
is left (the releases and feedback through an index on the property only old data has; the
status lines and name keys through a marker recorded once a pass finds none left)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tracer.domain.clock import Clock
from tracer.loaders.load import load_directory
from tracer.queries.catalogue import cypher
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.queries.upgrade import LINES_VERSION, NAME_KEYS_VERSION, upgrade

BASIC = Path(__file__).parents[1] / "fixtures" / "load" / "basic"

#: Plan operators that read a whole label or relationship type.
SCANS = ("AllNodesScan", "NodeByLabelScan", "RelationshipTypeScan", "DirectedRelationshipTypeScan")
SHANGHAI = Clock("Asia/Shanghai")


def _operators(plan: dict[str, Any]) -> set[str]:
    names = {str(plan["operatorType"]).split("@")[0]}
    for child in plan.get("children", []):
        names |= _operators(child)
    return names


@pytest.mark.parametrize("name", ["upgrade_releases", "upgrade_feedback", "upgrade_marker"])
def test_the_upgrade_look_ups_read_no_whole_label(runner: QueryRunner, name: str) -> None:
    with runner.driver.session(database=runner.database) as session:
        plan = session.run("EXPLAIN " + cypher(name), zone="UTC", marker="m").consume().plan
    assert plan is not None
    assert not [op for op in _operators(plan) if op.startswith(SCANS)]


def _old_finding(runner: QueryRunner, finding_id: str) -> None:
    """A finding as a version before status lines wrote it: no line."""
    runner.write(
        "CREATE (f:Finding {finding_id: $id, list_type: 'JUDGMENT_DEFAULTER', status: 'ACTIVE',"
        " decided_on: date('2024-01-10')})"
        "-[:AGAINST]->(:Enterprise {uscc: $id + 'E', name: '某公司', region_code: '110101'})",
        id=finding_id,
    )


def _release(runner: QueryRunner, number: str, props: dict[str, Any]) -> None:
    """A release as a version before releases had two times wrote it (``at`` only), or as an
    earlier upgrade left it (``at`` kept beside the two times)."""
    runner.write(
        "CREATE (:Finding {finding_id: $number, decided_on: date('2024-01-10')})-[x:RELEASES]->"
        "(:Person {id_type: 'PASSPORT', id_number: $number}) SET x = $props",
        number=number,
        props=props,
    )


def test_old_releases_get_both_times_and_lose_the_old_one(runner: QueryRunner) -> None:
    at = dt.datetime(2024, 3, 1, 18, 30, tzinfo=dt.UTC)  # 2024-03-02 in Shanghai
    _release(runner, "R1", {"at": at})
    _release(runner, "R2", {"at": at, "recorded_at": at, "effective_on": dt.date(2024, 3, 2)})

    assert upgrade(runner, SHANGHAI)["releases"] == 2
    rows = runner.read("MATCH ()-[x:RELEASES]->() RETURN properties(x) AS props")
    assert [row["props"] for row in rows] == [
        {"recorded_at": at, "effective_on": dt.date(2024, 3, 2), "wrongful": False}
    ] * 2
    assert upgrade(runner, SHANGHAI)["releases"] == 0


def test_old_feedback_gets_the_parts_of_its_subject_key(runner: QueryRunner) -> None:
    runner.write(
        "CREATE (:Feedback {feedback_id: 'F1', subject_kind: 'PERSON',"
        " subject_id: 'RESIDENT_ID:110101199001011234'}),"
        " (:Feedback {feedback_id: 'F2', subject_kind: 'ENTERPRISE',"
        " subject_id: '91110105MA01A2B325'})"
    )
    assert upgrade(runner)["feedback"] == 2
    rows = runner.read(
        "MATCH (fb:Feedback) RETURN fb.subject_id AS joined, fb.subject_uscc AS uscc,"
        " fb.subject_id_type AS id_type, fb.subject_id_number AS id_number"
        " ORDER BY fb.feedback_id"
    )
    assert rows == [
        {"joined": None, "uscc": None, "id_type": "RESIDENT_ID", "id_number": "110101199001011234"},
        {"joined": None, "uscc": "91110105MA01A2B325", "id_type": None, "id_number": None},
    ]
    assert upgrade(runner)["feedback"] == 0


def _line(runner: QueryRunner, finding_id: str) -> list[Any] | None:
    row = runner.read_one(
        "MATCH (f:Finding {finding_id: $id}) RETURN f.line_from AS line", id=finding_id
    )
    assert row is not None
    return None if row["line"] is None else list(row["line"])


def _marker(runner: QueryRunner, name: str) -> int | None:
    """The version recorded for the backfill ``name`` (None without reference data or record)."""
    row = runner.read_one("MATCH (s:ReferenceState) RETURN s[$name] AS version", name=name)
    return None if row is None else row["version"]


def test_old_findings_get_lines_once_and_later_upgrades_skip_the_scan(
    runner: QueryRunner,
) -> None:
    install_reference_data(runner)
    _old_finding(runner, "OLD1")

    assert upgrade(runner)["findings"] == 1
    assert _line(runner, "OLD1") == [dt.date(2024, 1, 10)]
    assert _marker(runner, "lines_version") == LINES_VERSION

    # Only an earlier version writes a finding without a line; with the pass recorded as complete
    # the next upgrade does not look for one (the read of every finding is what it saves).
    _old_finding(runner, "OLD2")
    assert upgrade(runner)["findings"] == 0
    assert _line(runner, "OLD2") is None

    # A store whose record predates the marker is repaired again.
    runner.write("MATCH (s:ReferenceState) REMOVE s.lines_version")
    assert upgrade(runner)["findings"] == 1
    assert _line(runner, "OLD2") == [dt.date(2024, 1, 10)]


def test_without_reference_data_every_upgrade_looks_for_findings_without_lines(
    runner: QueryRunner,
) -> None:
    _old_finding(runner, "OLD3")
    assert upgrade(runner)["findings"] == 1
    assert _marker(runner, "lines_version") is None
    _old_finding(runner, "OLD4")
    assert upgrade(runner)["findings"] == 1


def _old_person(runner: QueryRunner, number: str, name: str) -> None:
    """A person as a version before name search wrote it: a name without search keys."""
    runner.write(
        "CREATE (:Person {id_type: 'PASSPORT', id_number: $number, name: $name})",
        number=number,
        name=name,
    )


def _pinyin(runner: QueryRunner, number: str) -> str | None:
    row = runner.read_one(
        "MATCH (p:Person {id_type: 'PASSPORT', id_number: $number}) RETURN p.name_pinyin AS py",
        number=number,
    )
    assert row is not None
    return None if row["py"] is None else str(row["py"])


def test_a_load_keys_old_names_once_and_later_loads_skip_the_scan(
    runner: QueryRunner, tmp_path: Path
) -> None:
    install_reference_data(runner)
    _old_person(runner, "OLD1", "张伟")
    assert _marker(runner, "name_keys_version") is None

    load_directory(runner, BASIC, rejects_path=tmp_path / "r1.csv")
    assert _pinyin(runner, "OLD1") == "zhang wei"
    assert _marker(runner, "name_keys_version") == NAME_KEYS_VERSION

    # Only an earlier version writes a name without keys; with the pass recorded as complete the
    # next load does not look for one (the scan of every name is what it saves).
    _old_person(runner, "OLD2", "李四")
    load_directory(runner, BASIC, rejects_path=tmp_path / "r2.csv")
    assert _pinyin(runner, "OLD2") is None
    assert upgrade(runner)["names"] == 0

    # A store whose record predates the marker is repaired again.
    runner.write("MATCH (s:ReferenceState) REMOVE s.name_keys_version")
    assert upgrade(runner)["names"] == 1
    assert _pinyin(runner, "OLD2") == "li si"
    assert _marker(runner, "name_keys_version") == NAME_KEYS_VERSION


def test_without_reference_data_no_name_key_pass_is_recorded(
    runner: QueryRunner,
) -> None:
    _old_person(runner, "OLD3", "王五")
    assert upgrade(runner)["names"] == 1
    assert _marker(runner, "name_keys_version") is None
    _old_person(runner, "OLD4", "赵六")
    assert upgrade(runner)["names"] == 1
