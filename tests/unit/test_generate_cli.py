"""``tracer generate``: JSON summary, human table, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tracer.cli.main import app


def test_json_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["generate", str(tmp_path), "--enterprises", "60", "--seed", "4", "--json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["enterprises"] == 60
    assert document["rows"]["enterprises"] == 60
    assert "transitions" in document["rows"] and "list_types" not in document["rows"]
    assert document["injected_rows"] == 0
    assert {case["id"] for case in document["planted_cases"]} >= {"BAN_BREACH", "PHOENIX"}
    assert (tmp_path / "enterprises.csv").exists()


def test_table_and_corruption_note(tmp_path: Path) -> None:
    args = ["generate", str(tmp_path), "-n", "60", "--corrupt-rate", "0.05", "--format", "jsonl"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "enterprises.jsonl" in result.stdout
    assert "corruptions.json" in result.stdout


def test_errors_are_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", str(tmp_path), "-n", "5"])
    assert result.exit_code == 1
    assert "at least" in result.output
    result = CliRunner().invoke(app, ["generate", str(tmp_path), "-n", "60", "--as-of", "x"])
    assert result.exit_code == 1
    assert "--as-of" in result.output
