"""Shared plumbing of the commands: console, JSON output, one-line errors, the database."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console

from tracer.domain.errors import TracerError
from tracer.graph.driver import open_driver, resolve_target
from tracer.graph.schema import apply_schema
from tracer.queries.runner import QueryRunner

console = Console(stderr=True)
out = Console()


def fail(message: str, code: int = 1) -> NoReturn:
    """Exit non-zero with a one-line reason on stderr."""
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout (dates as ISO strings)."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, default=str, indent=2) + "\n")


@contextmanager
def database(ensure_schema: bool = False) -> Iterator[QueryRunner]:
    """A query runner on the configured database; errors become one-line exits."""
    try:
        target = resolve_target()
        driver = open_driver(target)
    except TracerError as exc:
        fail(str(exc))
    try:
        runner = QueryRunner(driver, target.database)
        if ensure_schema:
            apply_schema(driver, target.database)
        yield runner
    except TracerError as exc:
        fail(str(exc))
    finally:
        driver.close()
