"""`tracer serve` (uvicorn, two workers) end to end, then `tracer audit verify` on its log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import neo4j
import pytest

from tests.fixtures.database import free_port, wipe
from tests.integration.test_api_endpoints import LEGAL_REP, build_graph
from tracer.graph.driver import Target
from tracer.queries.runner import QueryRunner

TRACER = [sys.executable, "-m", "tracer.cli"]


def _tracer(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TRACER, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture()
def env(neo4j_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    return {**os.environ, **neo4j_env, "TRACER_API_HOME": str(tmp_path / "api")}


def test_serve_with_two_workers_audits_one_chain_then_verify_detects_tampering(
    env: dict[str, str], neo4j_driver: neo4j.Driver, neo4j_target: Target
) -> None:
    wipe(neo4j_driver, neo4j_target.database)
    build_graph(QueryRunner(neo4j_driver, neo4j_target.database))
    key = json.loads(_tracer(env, "keys", "create", "--role", "viewer", "--json").stdout)["key"]
    port = free_port()
    server = subprocess.Popen(
        [*TRACER, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, server)
        body = {"id_type": "RESIDENT_ID", "id_number": LEGAL_REP, "as_of": "2026-01-01"}

        def check(_: int) -> int:
            response = httpx.post(
                f"{base}/v1/checks", json=body, headers={"X-API-Key": key}, timeout=60
            )
            return response.status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(check, range(24)))
        assert statuses == [200] * 24
        assert httpx.get(f"{base}/readyz", timeout=30).status_code == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=60)
    access = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    checks = [line for line in access if line["path"] == "/v1/checks"]
    assert len(checks) == 24
    assert {line["status"] for line in checks} == {200}
    assert LEGAL_REP not in stdout + stderr

    verified = _tracer(env, "audit", "verify", "--json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["entries"] == 24

    audit = Path(env["TRACER_API_HOME"]) / "audit.jsonl"
    lines = audit.read_text().splitlines()
    assert LEGAL_REP not in "".join(lines)
    lines[9] = lines[9].replace('"status":200', '"status":404')
    audit.write_text("\n".join(lines) + "\n")
    broken = _tracer(env, "audit", "verify")
    assert broken.returncode == 1
    assert "line 10" in broken.stderr
    report = json.loads(_tracer(env, "audit", "verify", "--json").stdout)
    assert (report["ok"], report["broken_line"], report["entries"]) == (False, 10, 9)


def _wait_healthy(base: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"tracer serve exited: {server.communicate()[1][-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError("tracer serve did not answer /healthz within 90 s")
