"""Session fixtures: a private real Neo4j (or NEO4J_TEST_URI), never a mock.

The private instance is started on a free port in a temporary directory and stopped at the end.
With ``NEO4J_TEST_URI`` the database must be empty at the start: the session then plants a marker
node and wipes only a database that carries its own marker — never one it did not set up.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from tests.fixtures.database import MARKER_LABEL, free_port, wipe
from tracer.api.settings import get_api_settings
from tracer.graph.driver import Target, open_driver
from tracer.graph.local import LocalNeo4j
from tracer.graph.schema import apply_schema
from tracer.graph.settings import LocalNeo4jSettings, get_neo4j_settings
from tracer.queries.runner import QueryRunner

# The API's plan warm-up at start runs the engine's heavy queries beside whatever a test does:
# off for the apps tests build, on where a test asks for it (tests/integration/test_warmup.py).
os.environ.setdefault("TRACER_API_WARM_PLANS", "false")


def _external_target() -> Target | None:
    uri = os.environ.get("NEO4J_TEST_URI")
    if not uri:
        return None
    return Target(
        uri=uri,
        user=os.environ.get("NEO4J_TEST_USER", "neo4j"),
        password=os.environ.get("NEO4J_TEST_PASSWORD", ""),
        database=os.environ.get("NEO4J_TEST_DATABASE", "neo4j"),
        bundled=False,
    )


@pytest.fixture(scope="session")
def neo4j_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """The test database: NEO4J_TEST_URI, or a private bundled Neo4j started for this session."""
    external = _external_target()
    if external is not None:
        yield external
        return
    settings = LocalNeo4jSettings(
        home=tmp_path_factory.mktemp("neo4j"), port=free_port(), heap="1g", pagecache="512m"
    )
    local = LocalNeo4j(settings)
    local.start(echo=lambda _msg: None)
    try:
        yield Target(local.uri, "neo4j", local.password(), "neo4j", bundled=True)
    finally:
        local.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_target: Target) -> Iterator[neo4j.Driver]:
    """One driver for the session, with the schema applied and this session's marker planted."""
    driver = open_driver(neo4j_target)
    database = neo4j_target.database
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:" + MARKER_LABEL + " RETURN count(n) AS n", database_=database
    )
    if records[0]["n"] and not neo4j_target.bundled:
        driver.close()
        pytest.exit(
            "NEO4J_TEST_URI points at a database that is not empty: refusing to use (and wipe) "
            "a database this test session did not set up",
            returncode=2,
        )
    token = uuid.uuid4().hex
    driver.execute_query(
        "CREATE (:" + MARKER_LABEL + " {token: $token})", token=token, database_=database
    )
    driver.tracer_test_token = token  # type: ignore[attr-defined]
    apply_schema(driver, database)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture()
def runner(neo4j_driver: neo4j.Driver, neo4j_target: Target) -> QueryRunner:
    """A query runner on an empty test database (wiped before each test)."""
    wipe(neo4j_driver, neo4j_target.database)
    return QueryRunner(neo4j_driver, neo4j_target.database)


@pytest.fixture()
def neo4j_env(
    neo4j_target: Target, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[dict[str, str]]:
    """Environment variables that point the CLI and the API at the test database, with the
    API home (keys, audit log, secret) in a temporary directory."""
    env = {
        "NEO4J_URI": neo4j_target.uri,
        "NEO4J_USER": neo4j_target.user,
        "NEO4J_PASSWORD": neo4j_target.password,
        "NEO4J_DATABASE": neo4j_target.database,
        "TRACER_API_HOME": str(tmp_path / "api-home"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_neo4j_settings.cache_clear()
    get_api_settings.cache_clear()
    yield env
    get_neo4j_settings.cache_clear()
    get_api_settings.cache_clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/integration is marked ``integration``."""
    for item in items:
        if "integration" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.integration)
