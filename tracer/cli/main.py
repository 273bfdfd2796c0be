"""The ``tracer`` command line; its command modules mirror the API's routers."""

from __future__ import annotations

import typer

from tracer.cli import (
    audit,
    checks,
    demo,
    departments,
    enterprises,
    export,
    findings,
    generate,
    investigate,
    keys,
    load,
    objections,
    reference,
    report,
    search,
    serve,
    signals,
    stats,
)
from tracer.cli.db import db_app

app = typer.Typer(
    name="tracer",
    help="Liability Tracer: who is responsible for a seriously dishonest enterprise, and why.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")
for module in (
    load,
    generate,
    checks,
    enterprises,
    findings,
    objections,
    report,
    investigate,
    departments,
    signals,
    stats,
    serve,
    keys,
    audit,
    demo,
    export,
    search,
    reference,
):
    module.register(app)
