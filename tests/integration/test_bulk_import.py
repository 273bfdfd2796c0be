"""``tracer import`` (issue 12): the offline import makes the graph ``tracer load`` makes from the
same files, with the same rejects — through the bundled instance here, and through the files
and command prepared for a server — and it refuses a database that holds data."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest

from tests.fixtures.database import free_port, wipe
from tests.integration.test_load import CLOCK, counts, fingerprint
from tracer.domain.errors import Conflict
from tracer.graph.driver import Target, open_driver
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings
from tracer.loaders import partition
from tracer.loaders.bulk import import_directory
from tracer.loaders.bulk_files import BULK_STEMS
from tracer.loaders.generate import generate_dataset
from tracer.loaders.load import load_directory
from tracer.loaders.report import LoadReport
from tracer.queries.catalogue import cypher
from tracer.queries.reset import empty_graph
from tracer.queries.runner import QueryRunner

NAME_CHANGES = {
    "persons.jsonl": {
        "id_number": "110105198001010016",
        "name": '张"三丰',
        "name_changed_on": "2024-05-01",
        "former_name": "张三",
    },
    "enterprises.jsonl": {
        "uscc": "91110105MA01A2B325",
        "name": "北京甲集团有限公司",
        "address": '北京市, "朝阳区"\n建国路 1 号',
        "name_changed_on": "2023-01-02",
    },
}

#: The loader's look-ups of keys, names and findings already in the graph.
LOOKUPS = (
    "load_lookup_persons",
    "load_lookup_enterprises",
    "load_lookup_person_names",
    "load_lookup_enterprise_names",
    "load_lookup_finding_states",
)


@pytest.fixture(scope="module")
def data_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated data set with corrupt rows, name changes and awkward text."""
    directory = tmp_path_factory.mktemp("import-data")
    generate_dataset(directory, enterprises=120, seed=23, corrupt_rate=0.03)
    for name, row in NAME_CHANGES.items():
        (directory / name).write_text(json.dumps(row, ensure_ascii=False) + "\n", "utf-8")
    return directory


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalNeo4j, QueryRunner]]:
    """A second bundled instance to import into (its store is replaced by each import)."""
    home = tmp_path_factory.mktemp("neo4j-import")
    shared = LocalNeo4j(LocalNeo4jSettings())
    if shared.is_built():
        (home / "launcher").symlink_to(shared.build_dir)
    local = LocalNeo4j(LocalNeo4jSettings(home=home, port=free_port(), heap="1g", pagecache="256m"))
    local.start(echo=lambda _message: None)
    driver = open_driver(Target(local.uri, "neo4j", local.password(), "neo4j", bundled=True))
    try:
        yield local, QueryRunner(driver, "neo4j")
    finally:
        driver.close()
        local.stop()


@pytest.fixture(scope="module")
def loaded(
    neo4j_driver: neo4j.Driver, data_set: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, LoadReport, str]:
    """The data set loaded by ``tracer load`` into the session's database: its fingerprint,
    report and rejects file's text."""
    wipe(neo4j_driver, "neo4j")
    runner = QueryRunner(neo4j_driver, "neo4j")
    rejects = tmp_path_factory.mktemp("load-rejects") / "rejects.csv"
    report = load_directory(runner, data_set, rejects_path=rejects, clock=CLOCK)
    graph = fingerprint(runner)
    wipe(neo4j_driver, "neo4j")
    return graph, report, rejects.read_text(encoding="utf-8-sig")


def _same_report(imported: LoadReport, loaded: LoadReport) -> None:
    assert counts(imported) == counts(loaded)
    assert imported.repeats == loaded.repeats
    assert imported.status_since_defaulted == loaded.status_since_defaulted


def test_a_server_import_is_prepared_then_finished_into_the_graph_load_makes(
    second: tuple[LocalNeo4j, QueryRunner],
    data_set: Path,
    loaded: tuple[str, LoadReport, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local, runner = second
    files = tmp_path / "files"
    statements: list[str] = []
    read = runner.read

    def recorded(query: str, **params: Any) -> Any:
        statements.append(query)
        return read(query, **params)

    monkeypatch.setattr(runner, "read", recorded)
    prepared = import_directory(
        runner,
        data_set,
        None,
        files_directory=files,
        rejects_path=tmp_path / "prepared-rejects.csv",
        clock=CLOCK,
    )
    bulk = prepared.bulk_import
    assert bulk is not None and not bulk.imported
    assert bulk.command[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    assert bulk.nodes["Enterprise"] == loaded[1].files["enterprises"].loaded
    assert runner.read("MATCH (n:Enterprise) RETURN n LIMIT 1") == []  # nothing written yet
    assert (tmp_path / "prepared-rejects.csv").read_text(encoding="utf-8-sig") == loaded[2]
    lookups = {cypher(name) for name in LOOKUPS}
    assert statements and not lookups & set(statements)  # the empty graph is not asked for keys
    monkeypatch.undo()

    # What the server's administrator does: stop, import with the printed arguments, start.
    local.stop()
    cwd = Path.cwd()
    os.chdir(files)
    try:
        local.import_full(bulk.command[5:], "neo4j", tmp_path / "import.log")
    finally:
        os.chdir(cwd)
    local.start(echo=lambda _message: None)

    finished = import_directory(
        runner,
        data_set,
        None,
        files_directory=files,
        finish=True,
        rejects_path=tmp_path / "rejects.csv",
        clock=CLOCK,
    )
    _same_report(finished, loaded[1])
    assert fingerprint(runner) == loaded[0]


def test_a_local_import_makes_the_graph_and_rejects_load_makes(
    second: tuple[LocalNeo4j, QueryRunner],
    data_set: Path,
    loaded: tuple[str, LoadReport, str],
    tmp_path: Path,
) -> None:
    local, runner = second
    empty_graph(runner)
    runner.write("CREATE (:AuditCheckpoint {key: 'log:7', seq: 7, mac: 'm', at: datetime()})")
    files = tmp_path / "files"
    report = import_directory(
        runner,
        data_set,
        local,
        files_directory=files,
        rejects_path=tmp_path / "rejects.csv",
        clock=CLOCK,
        echo=lambda _message: None,
    )
    assert report.bulk_import is not None and report.bulk_import.imported
    assert not files.exists()  # the import files are removed unless kept
    assert local.status().running
    _same_report(report, loaded[1])
    assert (tmp_path / "rejects.csv").read_text(encoding="utf-8-sig") == loaded[2]
    checkpoint = runner.read_one("MATCH (c:AuditCheckpoint) RETURN c.key AS key, c.seq AS seq")
    assert checkpoint == {"key": "log:7", "seq": 7}  # the audit log's checkpoint survives
    runner.write("MATCH (c:AuditCheckpoint) DELETE c")
    assert fingerprint(runner) == loaded[0]


def test_an_import_in_partitions_makes_the_graph_a_whole_load_makes(
    second: tuple[LocalNeo4j, QueryRunner],
    neo4j_driver: neo4j.Driver,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    generate_dataset(data, enterprises=120, seed=29, corrupt_rate=0.03)
    wipe(neo4j_driver, "neo4j")
    whole = QueryRunner(neo4j_driver, "neo4j")
    loaded = load_directory(whole, data, rejects_path=tmp_path / "load.csv", clock=CLOCK)
    graph = fingerprint(whole)
    wipe(neo4j_driver, "neo4j")
    monkeypatch.setattr(partition, "PARTITION_BYTES", 4096)
    assert _split(data) >= set(partition.KEYS) & set(BULK_STEMS)
    local, runner = second
    empty_graph(runner)
    report = import_directory(
        runner,
        data,
        local,
        files_directory=tmp_path / "files",
        rejects_path=tmp_path / "import.csv",
        clock=CLOCK,
        echo=lambda _message: None,
    )
    _same_report(report, loaded)
    rejects = [
        sorted((tmp_path / name).read_text(encoding="utf-8-sig").splitlines())
        for name in ("import.csv", "load.csv")
    ]
    assert rejects[0] == rejects[1]
    assert fingerprint(runner) == graph


def test_a_load_in_partitions_makes_the_graph_a_whole_load_makes(
    neo4j_driver: neo4j.Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every stem of ``partition.KEYS`` validated in partitions, its rows kept on disk and
    written a partition at a time by the MERGE loader."""
    data = tmp_path / "data"
    generate_dataset(data, enterprises=120, seed=41, corrupt_rate=0.03)
    runner = QueryRunner(neo4j_driver, "neo4j")
    wipe(neo4j_driver, "neo4j")
    loaded = load_directory(runner, data, rejects_path=tmp_path / "whole.csv", clock=CLOCK)
    graph = fingerprint(runner)
    wipe(neo4j_driver, "neo4j")
    monkeypatch.setattr(partition, "PARTITION_BYTES", 512)
    assert _split(data) == set(partition.KEYS)
    again = load_directory(runner, data, rejects_path=tmp_path / "split.csv", clock=CLOCK)
    _same_report(again, loaded)
    assert again.status_since_defaulted == loaded.status_since_defaulted
    rejects = [
        sorted((tmp_path / name).read_text(encoding="utf-8-sig").splitlines())
        for name in ("split.csv", "whole.csv")
    ]
    assert rejects[0] == rejects[1]
    assert fingerprint(runner) == graph


def _split(data: Path) -> set[str]:
    """The stems of ``data`` that ``partition.split`` splits (into two partitions or more)."""
    split = set()
    for stem in partition.KEYS:
        parts = partition.split(stem, [data / f"{stem}.csv"], CLOCK.today())
        if parts is not None:
            split.add(stem)
            parts.close()
    return split


def test_a_database_with_data_is_refused_and_left_alone(
    second: tuple[LocalNeo4j, QueryRunner], data_set: Path, tmp_path: Path
) -> None:
    local, runner = second
    runner.write("MERGE (:Enterprise {uscc: '91110000MA00000001', name: '已有'})")
    before = runner.read_one("MATCH (n) RETURN count(n) AS n")
    with pytest.raises(Conflict, match=r"not empty .*Enterprise"):
        import_directory(runner, data_set, local, files_directory=tmp_path / "files", clock=CLOCK)
    assert not (tmp_path / "files").exists()
    assert local.status().running
    assert runner.read_one("MATCH (n) RETURN count(n) AS n") == before
    shutil.rmtree(tmp_path, ignore_errors=True)
