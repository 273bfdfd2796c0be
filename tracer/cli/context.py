"""Shared plumbing of the commands: console, JSON output, one-line errors, the database."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console

from tracer.api.audit import AuditLog, SubjectRefs
from tracer.api.settings import get_api_settings
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


def audit_read(
    command: str, persons: Sequence[tuple[str, str]] = (), others: Sequence[str] = ()
) -> None:
    """Record in the API's hash-chained audit log (DOMAIN §12) that the local user ran
    ``command`` reading these subjects; persons appear only as keyed hashes."""
    try:
        settings = get_api_settings()
        refs = SubjectRefs(settings.secret_bytes())
        AuditLog(settings.audit_path, fsync=settings.audit_fsync).append(
            actor={"key_id": None, "key_name": f"cli:{getpass.getuser()}", "role": "local"},
            method="CLI",
            endpoint=f"tracer {command}",
            status=0,
            subjects=[*(refs.person(id_type, number) for id_type, number in persons), *others],
        )
    except (OSError, TracerError) as exc:
        fail(f"cannot write the audit log, so nothing was read: {exc}")
