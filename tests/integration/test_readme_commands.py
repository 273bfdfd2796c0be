"""The README's command lines run as written against a demo-like database.

The database holds what ``tracer demo`` loads (the generator's seed 42, smaller: the planted
cases, hence the example values, do not depend on the size), with its planted feedback. Every
command line of the README's shell blocks (but the Quick start's) runs in order, in one folder,
with bash and the venv's ``tracer`` on PATH, except the lines ``skip_reason`` names; the "Using it"
block must name only values ``tracer demo --examples`` prints.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from traceback import format_exception

import pytest
from typer.testing import CliRunner

from tracer.cli.main import app

README = Path(__file__).resolve().parents[2] / "README.md"
DEMO_SEED = "42"  # tracer demo's default seed
SIZE = "300"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)
PLACEHOLDER = re.compile(r"<[A-Z_]+>")
#: Identifiers a README line may carry: USCCs, resident IDs, finding ids.
IDENTIFIER = re.compile(r"\b(?:[0-9A-Z]{18}|\d{17}[\dX]|[A-Z]{2}-\d{6}-\d{4}-\d{7})\b")


def shell_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(heading above, command lines) of every ``bash`` block of ``text``."""
    found = []
    for fence in FENCE.finditer(text):
        if fence.group(1) != "bash":
            continue
        headings = HEADING.findall(text, 0, fence.start())
        lines = [line for line in fence.group(2).splitlines() if shlex.split(line, comments=True)]
        found.append((headings[-1] if headings else "", lines))
    return found


def tracer_commands(line: str) -> list[list[str]]:
    """The ``tracer`` commands of a line (``a && tracer b``: one), as argument lists."""
    words = shlex.split(line, comments=True)
    commands: list[list[str]] = [[]]
    for word in words:
        if word in ("&&", "||", ";", "|"):
            commands.append([])
        else:
            commands[-1].append(word)
    return [command for command in commands if command[:1] == ["tracer"]]


def skip_reason(line: str) -> str | None:
    """Why a README line is not run here, or None to run it."""
    if PLACEHOLDER.search(line):
        return "a placeholder the reader fills in"
    for command in tracer_commands(line):
        if command[1:2] == ["serve"]:
            return "serves until stopped (the API and demo tests serve)"
        if command[1:2] == ["db"] and command[2:3] != ["init"]:
            return "manages the bundled Neo4j process, or wipes the database the other lines read"
        if command[1:2] == ["import"]:
            return "replaces the whole store (tests/integration/test_bulk_import.py runs it)"
    if line.startswith("export "):
        return "points the shell at another server"
    return None


def test_lines_and_skips_are_read() -> None:
    blocks = dict(shell_blocks(README.read_text(encoding="utf-8")))
    assert any(tracer_commands(line) for line in blocks["Using it"])
    assert tracer_commands("printf 'a\\n' > f.csv && tracer check --file f.csv   # x") == [
        ["tracer", "check", "--file", "f.csv"]
    ]
    assert skip_reason("tracer serve   # API") and skip_reason("tracer db start")
    assert skip_reason("tracer generate big/ -n 10 && tracer import big/")
    assert skip_reason("tracer keys rotate <KEY_ID> --grace 1h")
    assert skip_reason("tracer db init") is None
    assert skip_reason("printf 'uscc\\n' > b.csv && tracer check --file b.csv") is None


def _invoke(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, (
        args,
        result.output,
        format_exception(result.exception) if result.exception else "",
    )
    return result.stdout


def _run(line: str, folder: Path) -> None:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", line],
        cwd=folder,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (line, done.returncode, done.stdout[-3000:], done.stderr[-3000:])


@pytest.mark.usefixtures("runner", "neo4j_env")
def test_readme_lines_run_against_the_demo_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cli = CliRunner()
    demo = ["demo", "--enterprises", SIZE, "--seed", DEMO_SEED, "--data-dir", "demo"]
    _invoke(cli, *demo, "--no-serve")
    examples: dict[str, str] = json.loads(_invoke(cli, *demo, "--examples", "--json"))
    assert all(examples.values()), examples

    blocks = shell_blocks(README.read_text(encoding="utf-8"))
    using = "\n".join(next(lines for heading, lines in blocks if heading == "Using it"))
    values = set(examples.values()) | {v.split(":", 1)[1] for v in examples.values() if ":" in v}
    missing = sorted(name for name, value in examples.items() if value not in using)
    assert not missing, f"README's Using it lacks the demo's {missing}: {examples}"
    strangers = sorted(set(IDENTIFIER.findall(using)) - values)
    assert not strangers, f"README values that are not the demo's: {strangers}: {examples}"

    ran = 0
    for heading, lines in blocks:
        if heading == "Quick start":
            continue  # ./run demo and ./run test: the demo test and CI itself
        for line in lines:
            if skip_reason(line) is None:
                _run(line, tmp_path)
                ran += 1
    assert ran >= using.count("\n")
