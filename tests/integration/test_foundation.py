"""The foundation against the real Neo4j: schema, round trip, and the bundled-Neo4j lifecycle."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from tests.fixtures.database import free_port
from tracer.graph import local as local_module
from tracer.graph.driver import Target, open_driver
from tracer.graph.local import LAUNCHER_DIR, LocalNeo4j
from tracer.graph.schema import apply_schema, schema_statements
from tracer.graph.settings import LocalNeo4jSettings
from tracer.queries.runner import QueryRunner

TRACER = [sys.executable, "-m", "tracer.cli"]


def test_schema_applies_twice_and_constraints_exist(
    neo4j_driver: neo4j.Driver, neo4j_target: Target
) -> None:
    assert apply_schema(neo4j_driver, neo4j_target.database) == len(schema_statements())
    assert apply_schema(neo4j_driver, neo4j_target.database) == len(schema_statements())
    records, _, _ = neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type RETURN *",
        database_=neo4j_target.database,
    )
    keys = {(r["labelsOrTypes"][0], tuple(r["properties"])) for r in records}
    for expected in [
        ("Enterprise", ("uscc",)),
        ("Person", ("id_type", "id_number")),
        ("Finding", ("finding_id",)),
        ("Department", ("code",)),
        ("Rule", ("version_id",)),
        ("Measure", ("version_id",)),
        ("ListType", ("version_id",)),
    ]:
        assert expected in keys
    assert all(r["type"] == "UNIQUENESS" for r in records)


def test_write_and_read_round_trip(runner: QueryRunner) -> None:
    runner.write(
        "MERGE (e:Enterprise {uscc: $uscc}) SET e.name = $name, e.established_on = $on",
        uscc="91110000600037341L",
        name="北京测试有限公司",
        on=dt.date(2001, 2, 3),
    )
    row = runner.read_one("MATCH (e:Enterprise {uscc: $uscc}) RETURN e", uscc="91110000600037341L")
    assert row == {
        "e": {
            "uscc": "91110000600037341L",
            "name": "北京测试有限公司",
            "established_on": dt.date(2001, 2, 3),
        }
    }


def test_uniqueness_is_enforced(runner: QueryRunner) -> None:
    runner.write("CREATE (:Person {id_type: 'PASSPORT', id_number: 'E1'})")
    with pytest.raises(Exception, match="constraint"):
        runner.write("CREATE (:Person {id_type: 'PASSPORT', id_number: 'E1'})")


def test_target_repr_hides_the_password() -> None:
    target = Target("bolt://127.0.0.1:7687", "neo4j", "pw-not-for-logs", "neo4j", bundled=True)
    assert "pw-not-for-logs" not in repr(target)
    assert "pw-not-for-logs" not in str(target)
    assert target.password == "pw-not-for-logs"


def test_launcher_builds_into_the_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package_files = sorted(LAUNCHER_DIR.rglob("*"))
    local = LocalNeo4j(LocalNeo4jSettings(home=tmp_path))
    assert not local.is_built()
    assert local.build(echo=lambda _msg: None)
    assert local.is_built()
    assert not local.build(echo=lambda _msg: None)  # up to date
    assert local.build_dir == tmp_path.resolve() / "launcher"
    assert sorted(LAUNCHER_DIR.rglob("*")) == package_files  # nothing written beside the source
    # a changed pom or Java source makes the build stale
    monkeypatch.setattr(local_module, "launcher_digest", lambda: "0" * 64)
    assert not local.is_built()


# -- the `tracer db` commands on a separate bundled instance ------------------------------------


def _tracer(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TRACER, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def db_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(
        TRACER_NEO4J_HOME=str(tmp_path_factory.mktemp("cli-neo4j")),
        TRACER_NEO4J_PORT=str(free_port()),
        TRACER_NEO4J_HEAP="512m",
        TRACER_NEO4J_PAGECACHE="128m",
    )
    yield env
    _tracer(env, "db", "stop")


def _connect(env: dict[str, str]) -> neo4j.Driver:
    home = Path(env["TRACER_NEO4J_HOME"])
    password = (home / "password").read_text().strip()
    return open_driver(
        Target(f"bolt://127.0.0.1:{env['TRACER_NEO4J_PORT']}", "neo4j", password, "neo4j", True)
    )


def test_db_start_status_stop_lifecycle(db_env: dict[str, str]) -> None:
    status = _tracer(db_env, "db", "status")
    assert status.returncode == 3 and "not running" in status.stdout

    started = _tracer(db_env, "db", "start", "--json")
    assert started.returncode == 0, started.stderr
    document = json.loads(started.stdout)
    assert document["running"] and not document["already_running"]
    assert document["uri"] == f"bolt://127.0.0.1:{db_env['TRACER_NEO4J_PORT']}"

    again = _tracer(db_env, "db", "start")
    assert again.returncode == 0 and "already running" in again.stdout

    running = _tracer(db_env, "db", "status", "--json")
    assert running.returncode == 0 and json.loads(running.stdout)["running"]

    password_file = Path(db_env["TRACER_NEO4J_HOME"]) / "password"
    assert password_file.stat().st_mode & 0o777 == 0o600
    with pytest.raises(neo4j.exceptions.AuthError):
        wrong = Target(document["uri"], "neo4j", "wrong-password", "neo4j", True)
        with open_driver(wrong) as driver:
            driver.verify_connectivity()

    with _connect(db_env) as driver:
        driver.execute_query("MERGE (:Probe {k: 'survives'})", database_="neo4j")

    stopped = _tracer(db_env, "db", "stop")
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert _tracer(db_env, "db", "status").returncode == 3
    assert "not running" in _tracer(db_env, "db", "stop").stdout

    # data survives stop/start
    assert _tracer(db_env, "db", "start").returncode == 0
    with _connect(db_env) as driver:
        records, _, _ = driver.execute_query("MATCH (p:Probe) RETURN p.k AS k", database_="neo4j")
        assert [r["k"] for r in records] == ["survives"]


def test_hard_kill_then_start_recovers(db_env: dict[str, str]) -> None:
    assert _tracer(db_env, "db", "start").returncode == 0
    with _connect(db_env) as driver:
        driver.execute_query("MERGE (:Probe {k: 'before-kill'})", database_="neo4j")
    pid = int((Path(db_env["TRACER_NEO4J_HOME"]) / "neo4j.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    status = _tracer(db_env, "db", "status")
    assert status.returncode == 3
    restarted = _tracer(db_env, "db", "start")
    assert restarted.returncode == 0, restarted.stderr
    with _connect(db_env) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (p:Probe) RETURN p.k AS k ORDER BY k", database_="neo4j"
        )
        assert [r["k"] for r in records] == ["before-kill", "survives"]
    assert _tracer(db_env, "db", "stop").returncode == 0


def test_port_taken_gives_one_line_reason(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        env.update(TRACER_NEO4J_HOME=str(tmp_path), TRACER_NEO4J_PORT=str(port))
        result = _tracer(env, "db", "start")
    assert result.returncode != 0
    assert f"port {port}" in result.stderr and "taken" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_java_gives_one_line_reason(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(
        TRACER_NEO4J_HOME=str(tmp_path),
        TRACER_NEO4J_PORT=str(free_port()),
        PATH=str(Path(sys.executable).parent),
    )
    result = _tracer(env, "db", "start")
    assert result.returncode != 0
    assert "'java' not found" in result.stderr
