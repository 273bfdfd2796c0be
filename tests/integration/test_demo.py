"""``tracer demo --no-serve``: generates, loads, tours; a re-run reuses the loaded graph."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path
from traceback import format_exception

import pytest
from typer.testing import CliRunner

from tests.fixtures.database import free_port
from tracer.cli.demo_session import STATE_FILE
from tracer.cli.main import app
from tracer.graph.settings import get_clock
from tracer.queries.runner import QueryRunner

SMALL = "300"


@pytest.mark.usefixtures("neo4j_env")
def test_demo_tours_then_reuses_the_graph(
    runner: QueryRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACER_API_HOME", str(tmp_path / "api"))
    data = tmp_path / "demo"
    args = ["demo", "--no-serve", "--enterprises", SMALL, "--seed", "3", "--data-dir", str(data)]
    cli = CliRunner()

    first = cli.invoke(app, args)
    assert first.exit_code == 0, (
        first.output,
        format_exception(first.exception) if first.exception else "",
    )
    for heading in (
        "A restricted person, with the evidence",
        "Exposed, not liable",
        "An ownership chain",
        "A ban breach",
    ):
        assert heading in first.stdout
    assert "appointed after the act" in first.stdout
    assert "loaded " in first.stderr
    planted = json.loads((data / "planted_cases.json").read_text(encoding="utf-8"))
    timing = next(c for c in planted["cases"] if c["id"] == "APPOINTED_AFTER_ACT")
    assert timing["persons"][0]["name"] in first.stdout

    second = cli.invoke(app, [*args, "--json"])
    assert second.exit_code == 0, second.output
    assert "graph already loaded" in second.stderr
    assert "already generated" in second.stderr
    tour = json.loads(second.stdout)["tour"]
    assert tour["as_of"] == get_clock().today().isoformat()
    stamp = json.loads((data / "loaded.json").read_text(encoding="utf-8"))
    assert stamp["feedback"] > 0, "the demo plants implementer feedback"
    feedback = runner.read_one("MATCH (f:Feedback) RETURN count(f) AS n")
    assert feedback is not None and feedback["n"] == stamp["feedback"]
    assert tour["restricted_person"]["restricted"] is True
    assert tour["restricted_person"]["liabilities"]
    assert tour["exposure"]["restricted"] is False
    assert {x["reason"] for x in tour["exposure"]["exposures"]} == {"appointed after the act"}
    assert any(c["basis"] == "derived" for c in tour["ownership_chain"]["controllers"])
    assert tour["ban_breach"], "a ban breach is found"
    assert {b["ban"].split()[0] for b in tour["ban_breach"]} <= {"R2", "R7"}
    r2 = next(x for x in tour["restricted_person"]["liabilities"] if x["rule"] == "R2")
    assert (r2["measures"], r2["eligible_measures"]) == ([], ["MARKET_BAN"])
    audit = (tmp_path / "api" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    tours = [json.loads(line) for line in audit if '"tracer demo"' in line]
    assert len(tours) == 2  # each tour names the persons it shows (keyed), never their numbers
    assert all(any(s.startswith("person:") for s in entry["subjects"]) for entry in tours)
    assert timing["persons"][0]["id_number"] not in "\n".join(audit)
    counts = runner.read_one("MATCH (e:Enterprise) RETURN count(e) AS n")
    assert counts is not None and counts["n"] >= int(SMALL)


@pytest.mark.usefixtures("neo4j_env")
def test_a_second_demo_points_at_the_running_one(tmp_path: Path) -> None:
    home = tmp_path / "api-home"
    home.mkdir(exist_ok=True)
    with subprocess.Popen(["sleep", "60"]) as other:
        try:
            (home / STATE_FILE).write_text(
                json.dumps(
                    {"pid": other.pid, "url": "http://127.0.0.1:8123", "started_neo4j": True}
                ),
                encoding="utf-8",
            )
            result = CliRunner().invoke(app, ["demo", "--data-dir", str(tmp_path / "none")])
        finally:
            other.kill()
    assert result.exit_code == 0, result.output
    assert "already running" in result.stdout and "http://127.0.0.1:8123/explore" in result.stdout
    assert f"kill {other.pid}" in result.stdout
    assert not (home / "keys.json").exists(), "no key created or revoked"
    assert not (tmp_path / "none").exists(), "nothing generated"


@pytest.mark.usefixtures("neo4j_env")
def test_a_taken_port_is_refused_before_anything_starts(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        result = CliRunner().invoke(
            app, ["demo", "--port", str(port), "--data-dir", str(tmp_path / "none")]
        )
    assert result.exit_code == 1
    assert f"port {port}" in result.stderr and "--port" in result.stderr
    assert not (tmp_path / "none").exists()
