"""The ``tracer`` command line."""

from __future__ import annotations

import typer

from tracer.cli import demo, engine, generate, investigate, load, serve
from tracer.cli.db import db_app

app = typer.Typer(
    name="tracer",
    help="Liability Tracer: who is responsible for a seriously dishonest enterprise, and why.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")
for module in (load, generate, engine, investigate, serve, demo):
    module.register(app)
