"""Shared plumbing of the commands: console, JSON output, one-line errors, the database."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.table import Table

from tracer.api.audit import SubjectRefs, open_audit_log
from tracer.api.audit.trail import Trail
from tracer.api.settings import ApiSettings, get_api_settings
from tracer.cli.tables import ReadableTable
from tracer.domain.errors import InvalidInput, NotFound, TracerError
from tracer.domain.identifiers import validate_uscc
from tracer.domain.keys import PersonKey, SubjectKey
from tracer.domain.values import parse_date
from tracer.graph.driver import open_driver, resolve_target
from tracer.graph.schema import apply_schema
from tracer.graph.settings import get_clock
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.paths import resolve_subject
from tracer.queries.runner import QueryRunner

console = Console(stderr=True)
out = Console()

JSON_OPTION = typer.Option(False, "--json", help="Machine output (one JSON document).")
AS_OF_OPTION = typer.Option(None, "--as-of", help="Date to look at (YYYY-MM-DD); default today.")
KNOWN_ON_OPTION = typer.Option(
    None,
    "--known-on",
    help="Answer as the system knew it then: a date (end of that day) or an ISO 8601 instant.",
)
ID_TYPE_OPTION = typer.Option("RESIDENT_ID", "--id-type", help="Document type, e.g. RESIDENT_ID.")
ACTOR_OPTION = typer.Option(..., "--actor", help="Who makes the change (department or person).")
REASON_OPTION = typer.Option(..., "--reason", help="Why.")
DOCUMENT_OPTION = typer.Option(None, "--document", help="Document number of the decision.")


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


def api_settings() -> ApiSettings:
    """The API settings, or a one-line exit naming what is wrong with them."""
    try:
        return get_api_settings()
    except ValidationError as exc:
        fail("; ".join(str(error["msg"]).removeprefix("Value error, ") for error in exc.errors()))


def audit_read(
    command: str,
    *subjects: SubjectKey,
    findings: Sequence[str] = (),
    disclosed: object = None,
) -> None:
    """Record in the audit log (DOMAIN §12) that the local user ran ``command`` on these
    subjects and was shown every person in ``disclosed``; persons appear only as keyed hashes.
    Called after the read and before any output: when the log cannot be written, nothing is
    shown."""
    try:
        settings = api_settings()
        trail = Trail(SubjectRefs(settings.secret_bytes()))
        for subject in subjects:
            trail.key(subject)
        for finding_id in findings:
            trail.finding(finding_id)
        trail.disclosed(disclosed)
        open_audit_log(settings).append(
            actor={"key_id": None, "key_name": f"cli:{getpass.getuser()}", "role": "local"},
            method="CLI",
            endpoint=f"tracer {command}",
            status=0,
            subjects=trail.subjects,
        )
    except (OSError, ValueError, TracerError) as exc:
        fail(f"cannot write the audit log, so nothing is shown: {exc}")


# -- arguments ----------------------------------------------------------------------------------
def day(text: str | None, option: str = "--as-of") -> dt.date:
    """A date argument, default today in the deployment's time zone."""
    try:
        return parse_date(text) or get_clock().today()
    except TracerError as exc:
        fail(f"{option}: {exc}")


def optional_day(text: str | None, option: str) -> dt.date | None:
    """A date argument that may be absent."""
    try:
        return parse_date(text)
    except TracerError as exc:
        fail(f"{option}: {exc}")


def known_on(text: str | None) -> dt.datetime | None:
    """``--known-on``: a date (the end of that day here) or an ISO 8601 instant."""
    if not text:
        return None
    try:
        return get_clock().parse_instant(text)
    except TracerError as exc:
        fail(f"--known-on: {exc}")


def person_key(id_type: str, number: str) -> PersonKey:
    """A validated person key from ``--id-type`` and ``--id``."""
    try:
        return PersonKey.of(id_type, number)
    except TracerError as exc:
        fail(f"--id: {exc}")


def uscc(text: str) -> str:
    """A validated USCC argument."""
    try:
        return validate_uscc(text)
    except TracerError as exc:
        fail(f"USCC: {exc}")


def subject_candidates(text: str) -> list[SubjectKey]:
    """What a subject argument can mean: ``ID_TYPE:NUMBER``, a USCC, or a bare resident ID
    (both when an 18-character value passes both checks)."""
    value = text.strip()
    if ":" in value:
        id_type, number = value.split(":", 1)
        return [SubjectKey.person(id_type.strip().upper(), number).normalised()]
    candidates: list[SubjectKey] = []
    for make in (SubjectKey.enterprise, lambda v: SubjectKey.person("RESIDENT_ID", v)):
        try:
            candidates.append(make(value).normalised())
        except InvalidInput:
            continue
    if not candidates:
        raise InvalidInput("not a valid USCC, resident ID, or ID_TYPE:NUMBER")
    return candidates


def resolve_argument(runner: QueryRunner, name: str, text: str) -> SubjectKey:
    """The subject an argument names (the first candidate found in the graph)."""
    try:
        candidates = subject_candidates(text)
    except InvalidInput as exc:
        fail(f"{name}: {exc}")
    for candidate in candidates[:-1]:
        try:
            resolve_subject(runner, candidate)
        except NotFound:
            continue
        return candidate
    return candidates[-1]


# -- output -------------------------------------------------------------------------------------
def emit_model(model: BaseModel) -> None:
    """One JSON document of a result (ID numbers masked: the command line never reveals them)."""
    emit_json(model.model_dump(mode="json"))


def table(title: str, *columns: str) -> Table:
    """A table whose cells wrap between words, never cutting codes and IDs short (see
    ``ReadableTable``)."""
    found = ReadableTable(title=title)
    for column in columns:
        found.add_column(column, overflow="fold")
    return found


def who(person: PersonRef | None = None, enterprise: EnterpriseRef | None = None) -> str:
    """A person (masked ID) or an enterprise, for a table cell."""
    if person is not None:
        return f"{person.name or '?'} ({person.id_type} {person.id_masked})"
    if enterprise is not None:
        return f"{enterprise.name or '?'} ({enterprise.uscc})"
    return ""


def text(value: Any) -> str:
    """A cell: empty for None."""
    return "" if value is None else str(value)
