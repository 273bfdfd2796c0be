"""``tracer db reset`` on the private test Neo4j: refused without --yes and, for a database set
by NEO4J_URI, without --force; otherwise the graph is emptied in batches, the schema and the
reference tables come back, and the audit log's checkpoints stay."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.database import MARKER_LABEL
from tracer.loaders.load import load_directory
from tracer.queries.reset import empty_graph
from tracer.queries.runner import QueryRunner

FIXTURES = Path(__file__).parents[1] / "fixtures" / "load" / "basic"
TRACER = [sys.executable, "-m", "tracer.cli", "db", "reset"]
CHECKPOINT = "CREATE (:AuditCheckpoint {key: 'log:1', log_id: 'log', seq: 1, mac: 'ab'})"


def count(runner: QueryRunner, label: str) -> int:
    row = runner.read_one(f"MATCH (n:{label}) RETURN count(n) AS n")
    assert row is not None
    return int(row["n"])


@pytest.fixture()
def loaded(runner: QueryRunner, tmp_path: Path) -> Iterator[QueryRunner]:
    """The basic fixture loaded and an audit checkpoint; the session's marker planted again
    afterwards (a reset deletes it like any other node)."""
    load_directory(runner, FIXTURES, rejects_path=tmp_path / "rejects.csv")
    runner.write(CHECKPOINT)
    try:
        yield runner
    finally:
        token = runner.driver.tracer_test_token  # type: ignore[attr-defined]
        runner.write(f"MERGE (:{MARKER_LABEL} {{token: $token}})", token=token)


def reset(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TRACER, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env, "COLUMNS": "200"},
    )


def test_reset_is_refused_without_yes_or_force(
    loaded: QueryRunner, neo4j_env: dict[str, str]
) -> None:
    persons = count(loaded, "Person")
    refused = reset(neo4j_env)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    remote = reset(neo4j_env, "--yes")
    assert remote.returncode == 2 and "NEO4J_URI is set" in remote.stderr
    assert count(loaded, "Person") == persons > 0


def test_reset_empties_and_reinstalls(loaded: QueryRunner, neo4j_env: dict[str, str]) -> None:
    rules = count(loaded, "Rule")
    done = reset(neo4j_env, "--yes", "--force", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["deleted_nodes"] > 0
    assert count(loaded, "Person") == count(loaded, "Enterprise") == count(loaded, "Finding") == 0
    assert count(loaded, "Rule") == rules > 0  # the shipped reference tables, installed again
    assert count(loaded, "AuditCheckpoint") == 1  # the audit log is not touched
    constraints = loaded.read("SHOW CONSTRAINTS YIELD name RETURN name")
    assert "person_id" in {row["name"] for row in constraints}


def test_empty_graph_works_in_batches(loaded: QueryRunner) -> None:
    before = count(loaded, "Person")
    seen: list[int] = []
    deleted = empty_graph(loaded, batch_size=5, progress=seen.append)
    assert deleted > 5 and len(seen) > 1 and seen[-1] == deleted
    assert before > 0 and count(loaded, "Person") == 0
    assert count(loaded, "AuditCheckpoint") == 1
