"""The routed path (``neo4j://``), exercised for real against the bundled server.

A single Community server answers routing requests too, so the driver fetches a routing table,
sends reads with READ access and writes with WRITE access, and the server refuses a write sent
in a READ transaction. Running the command line and the API through a ``neo4j://`` URI therefore
fails if any write of ours were sent as a read (as it would on a cluster's follower).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from fastapi.testclient import TestClient

from tests.fixtures.database import wipe
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import get_api_settings
from tracer.graph.driver import Target, open_driver
from tracer.queries.runner import QueryRunner

FIXTURES = Path(__file__).parents[1] / "fixtures" / "load" / "basic"
TRACER = [sys.executable, "-m", "tracer.cli"]


def _routed(target: Target) -> Target:
    scheme, _, rest = target.uri.partition("://")
    assert scheme == "bolt", f"the test expects a bolt:// target, got {target.uri}"
    return Target("neo4j://" + rest, target.user, target.password, target.database, False)


@pytest.fixture()
def routed(neo4j_target: Target, neo4j_driver: neo4j.Driver) -> Iterator[Target]:
    """An empty database reached through a ``neo4j://`` (routing) URI."""
    wipe(neo4j_driver, neo4j_target.database)
    yield _routed(neo4j_target)
    wipe(neo4j_driver, neo4j_target.database)


@pytest.fixture()
def routed_env(
    routed: Target, neo4j_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The CLI's and the API's environment, pointing at the routed URI."""
    monkeypatch.setenv("NEO4J_URI", routed.uri)
    from tracer.graph.settings import get_neo4j_settings

    get_neo4j_settings.cache_clear()
    return {**os.environ, **neo4j_env, "NEO4J_URI": routed.uri}


def _tracer(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*TRACER, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"tracer {' '.join(args)}: {done.stderr[-2000:]}"
    return done


def test_the_server_answers_routing_and_refuses_a_write_sent_as_a_read(routed: Target) -> None:
    driver = open_driver(routed)
    try:
        assert isinstance(driver, neo4j.Neo4jDriver), "neo4j:// must give a routing driver"
        table, _, _ = driver.execute_query(
            "CALL dbms.routing.getRoutingTable({}, $db) YIELD servers RETURN servers",
            db=routed.database,
            database_=routed.database,
            routing_=neo4j.RoutingControl.READ,
        )
        roles = {server["role"] for server in table[0]["servers"]}
        assert {"READ", "WRITE", "ROUTE"} <= roles
        with pytest.raises(neo4j.exceptions.ClientError) as refused:
            driver.execute_query(
                "CREATE (:RoutingProbe)",
                database_=routed.database,
                routing_=neo4j.RoutingControl.READ,
            )
        assert "access mode" in str(refused.value).lower() or "read" in str(refused.value).lower()
        runner = QueryRunner(driver, routed.database)
        runner.write("CREATE (:RoutingProbe)")
        assert runner.read_one("MATCH (p:RoutingProbe) RETURN count(p) AS n") == {"n": 1}
    finally:
        driver.close()


def _fixtures(tmp_path: Path) -> str:
    """A copy of the fixture directory (a load writes its rejects file beside the input)."""
    return str(shutil.copytree(FIXTURES, tmp_path / "basic"))


def test_cli_writes_and_reads_through_a_routing_uri(
    routed_env: dict[str, str], tmp_path: Path
) -> None:
    _tracer(routed_env, "db", "init")
    loaded = json.loads(_tracer(routed_env, "load", _fixtures(tmp_path), "--json").stdout)
    assert sum(stem["loaded"] for stem in loaded["files"].values()) > 0
    _tracer(
        routed_env,
        "transition", "F-2023-002", "--to", "UNDER_REVIEW", "--effective-on", "2024-06-05",
        "--actor", "routing test", "--reason", "异议申请",
    )  # fmt: skip
    answer = json.loads(
        _tracer(
            routed_env, "check", "--id-type", "RESIDENT_ID", "--id", "110105198001010016",
            "--as-of", "2023-07-01", "--json",
        ).stdout
    )  # fmt: skip
    assert answer["subject"]["id_masked"].startswith("110105")
    enterprise = json.loads(
        _tracer(routed_env, "enterprise", "91110105MA01A2B325", "--json").stdout
    )
    assert enterprise
    _tracer(routed_env, "expire", "--json")


def test_api_reads_and_writes_through_a_routing_uri(
    routed_env: dict[str, str], routed: Target, tmp_path: Path
) -> None:
    _tracer(routed_env, "load", _fixtures(tmp_path), "--json")
    get_api_settings.cache_clear()
    settings = get_api_settings()
    key = KeyStore(settings.keys_path).create(Role.ADMIN, "routing test").key
    with TestClient(create_app(settings, routed)) as client:
        headers = {"X-API-Key": key}
        check = client.post(
            "/v1/checks",
            json={"id_type": "RESIDENT_ID", "id_number": "110105198001010016"},
            headers=headers,
        )
        assert check.status_code == 200, check.text
        moved = client.post(
            "/v1/findings/F-2023-002/transitions",
            json={
                "to_status": "UNDER_REVIEW",
                "effective_on": "2024-06-05",
                "reason": "异议申请",
            },
            headers=headers,
        )
        assert moved.status_code in (200, 201), moved.text
        finding = client.get("/v1/findings/F-2023-002", headers=headers)
        assert finding.status_code == 200, finding.text
