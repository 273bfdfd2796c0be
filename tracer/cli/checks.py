"""Command: tracer check — is this person or enterprise restricted on a date, and why?"""

from __future__ import annotations

from pathlib import Path

import typer

from tracer.cli.context import (
    AS_OF_OPTION,
    ID_TYPE_OPTION,
    JSON_OPTION,
    KNOWN_ON_OPTION,
    audit_read,
    database,
    day,
    emit_model,
    fail,
    known_on,
    person_key,
    uscc,
)
from tracer.cli.render import print_check
from tracer.cli.screening import FILE_OPTION, OUT_OPTION, screen_file
from tracer.domain.keys import SubjectKey
from tracer.queries.liability import check_subjects


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("check")(check_command)


def check_command(
    id_type: str = ID_TYPE_OPTION,
    id_number: str | None = typer.Option(None, "--id", help="Document number (shown masked)."),
    enterprise: str | None = typer.Option(None, "--uscc", help="An enterprise's USCC."),
    as_of: str | None = AS_OF_OPTION,
    known: str | None = KNOWN_ON_OPTION,
    measure: str | None = typer.Option(None, "--measure", help="Measure code, e.g. FLIGHT_BAN."),
    file: Path | None = FILE_OPTION,
    target: Path | None = OUT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Is this person (--id) or enterprise (--uscc) restricted (from a measure) on a date, and
    why? Enterprises also show related risk (findings against officers, controllers and owners
    of 25 % or more: information, not a restriction). --file screens a spreadsheet."""
    if file is not None:
        if id_number is not None or enterprise is not None:
            fail("give --file, or --id / --uscc, not both")
        code = measure.strip().upper() if measure else None
        screen_file(file, target, day(as_of), code, known_on(known), json_output)
        return
    if target is not None:
        fail("--out needs --file")
    if (id_number is None) == (enterprise is None):
        fail("give either --id (a person, with --id-type) or --uscc (an enterprise)")
    if enterprise is not None:
        key = SubjectKey.enterprise(uscc(enterprise))
    else:
        assert id_number is not None
        person = person_key(id_type, id_number)
        key = SubjectKey.of_person(person)
    code = measure.strip().upper() if measure else None
    with database() as runner:
        result = check_subjects(runner, [key], day(as_of), code, known_on(known))[0]
    audit_read("check", key, disclosed=result)
    if json_output:
        emit_model(result)
        return
    print_check(result)
