"""``tracer --help`` lists every command without importing the libraries behind them."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import typer
import typer.testing

import tracer.cli
from tracer.cli.lazy import LazyGroup
from tracer.cli.main import COMMANDS, app

HEAVY = ("neo4j", "pandas", "fastapi", "pyarrow", "networkx", "uvicorn", "openpyxl")
PROBE = f"""
import sys
from tracer.cli.main import app
try:
    app(["--help"], prog_name="tracer")
except SystemExit:
    pass
print("LOADED", *[name for name in {HEAVY!r} if name in sys.modules])
"""


def test_help_imports_no_heavy_library() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.rstrip().endswith("LOADED"), done.stdout[-500:]
    for name in COMMANDS:
        assert name in done.stdout, name


def test_the_table_names_what_each_module_registers() -> None:
    for name, entry in COMMANDS.items():
        scratch = typer.Typer()
        importlib.import_module(f"tracer.cli.{entry.module}").register(scratch)
        assert name in typer.main.get_group(scratch).commands, (name, entry.module)
    modules = {entry.module for entry in COMMANDS.values()}
    every = {
        info.name
        for info in pkgutil.iter_modules(tracer.cli.__path__)
        if not info.name.startswith("__")  # __main__ runs the command line
    }
    with_register = {
        name for name in every if hasattr(importlib.import_module(f"tracer.cli.{name}"), "register")
    }
    assert with_register == modules, "every command module has its commands in COMMANDS"
    registered: set[str] = set()
    for module in modules:
        scratch = typer.Typer()
        importlib.import_module(f"tracer.cli.{module}").register(scratch)
        registered |= set(typer.main.get_group(scratch).commands)
    assert registered == set(COMMANDS), "every registered command has a line in COMMANDS"


def test_a_command_runs_through_the_lazy_group() -> None:
    group = typer.main.get_group(app)
    assert isinstance(group, LazyGroup)
    result = typer.testing.CliRunner().invoke(app, ["generate", "--help"])
    assert result.exit_code == 0 and "--enterprises" in result.stdout
    assert typer.testing.CliRunner().invoke(app, ["no-such-command"]).exit_code == 2
