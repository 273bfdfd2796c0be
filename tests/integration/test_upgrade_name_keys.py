"""The name-key upgrade: a store written by an earlier version gets the pinyin keys of its names on
the next load, and once none is left later loads skip the scan of every name."""

from __future__ import annotations

from pathlib import Path

from tracer.loaders.load import load_directory
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.queries.upgrade import NAME_KEYS_VERSION, upgrade

BASIC = Path(__file__).parents[1] / "fixtures" / "load" / "basic"


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


def _marker(runner: QueryRunner) -> int | None:
    row = runner.read_one("MATCH (s:ReferenceState) RETURN s.name_keys_version AS version")
    return None if row is None else row["version"]


def test_a_load_keys_old_names_once_and_later_loads_skip_the_scan(
    runner: QueryRunner, tmp_path: Path
) -> None:
    install_reference_data(runner)
    _old_person(runner, "OLD1", "张伟")
    assert _marker(runner) is None

    load_directory(runner, BASIC, rejects_path=tmp_path / "r1.csv")
    assert _pinyin(runner, "OLD1") == "zhang wei"
    assert _marker(runner) == NAME_KEYS_VERSION

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
    assert _marker(runner) == NAME_KEYS_VERSION


def test_without_reference_data_nothing_is_recorded_and_every_upgrade_scans(
    runner: QueryRunner,
) -> None:
    _old_person(runner, "OLD3", "王五")
    assert upgrade(runner)["names"] == 1
    assert _marker(runner) is None
    _old_person(runner, "OLD4", "赵六")
    assert upgrade(runner)["names"] == 1
