"""The ``tracer`` command line; its command modules mirror the API's routers.

A command's module is imported only when the command runs (``tracer.cli.lazy``), so ``tracer
--help`` is quick. A new command: a module under ``tracer/cli`` with ``register(app)``, and its
line in ``COMMANDS`` (tests/unit/test_cli_help.py checks that every registered command has one).
"""

from __future__ import annotations

import typer

from tracer.cli.lazy import LazyCommand, lazy_group

COMMANDS: dict[str, LazyCommand] = {
    "load": LazyCommand(
        "load", "Validate and load a directory of input files (rejects to a file)."
    ),
    "import": LazyCommand(
        "load", "Offline bulk import of a whole data set into an empty database."
    ),
    "generate": LazyCommand("generate", "Write a realistic synthetic data set for tracer load."),
    "check": LazyCommand("checks", "Is this person or enterprise restricted on a date, and why?"),
    "search": LazyCommand("search", "Persons and enterprises by name: candidates to verify."),
    "enterprise": LazyCommand(
        "enterprises", "An enterprise's profile: officers, owners, findings."
    ),
    "owners": LazyCommand("enterprises", "Beneficial owners and actual controllers, with chains."),
    "finding": LazyCommand("findings", "Everyone a finding reaches, through what; its history."),
    "transition": LazyCommand("findings", "Change a finding's status or term from a date."),
    "release": LazyCommand("findings", "Release one person from one finding."),
    "expire": LazyCommand("findings", "Record EXPIRED where a finding's period has passed."),
    "draft": LazyCommand("findings", "Draft a finding (发起), invisible until approved."),
    "approve": LazyCommand("findings", "Approve a draft finding (not by its drafter)."),
    "objection": LazyCommand("objections", "Objections: file, list, decide."),
    "commitment": LazyCommand("records", "Credit commitments: record, fulfil, breach."),
    "interview": LazyCommand("records", "Interviews (约谈): record, rectify."),
    "records": LazyCommand("records", "A subject's commitments and interviews, flagged."),
    "honour": LazyCommand("records", "Revoke a red-list honour (e.g. after a conflict)."),
    "report": LazyCommand("report", "Credit reports: issue one, or verify a report file."),
    "paths": LazyCommand("investigate", "How two subjects are connected, shortest first."),
    "network": LazyCommand("investigate", "Nodes and relationships around a subject."),
    "worklist": LazyCommand("departments", "What a department must apply and lift on a date."),
    "feedback": LazyCommand("departments", "Record what a department did about a measure."),
    "overdue": LazyCommand("departments", "Pushed work without feedback, measures never lifted."),
    "signals": LazyCommand(
        "signals", "Ban breaches, repeat offenders, phoenix, red-list conflicts."
    ),
    "stats": LazyCommand("stats", "Summary counts of findings, liable persons and feedback."),
    "reference": LazyCommand("reference", "Rules, measures, list types or departments in force."),
    "export": LazyCommand("export", "Export a network or the graph as FtM or BODS."),
    "serve": LazyCommand("serve", "The HTTP API and the explorer."),
    "keys": LazyCommand("keys", "API keys: create, list, rotate, revoke."),
    "audit": LazyCommand("audit", "The audit log: verify, checkpoint, who was shown a person."),
    "demo": LazyCommand("demo", "Generate, load, tour and serve a synthetic data set."),
    "db": LazyCommand("db", "The bundled local Neo4j and the schema."),
}

app = typer.Typer(
    name="tracer",
    help="Liability Tracer: who is responsible for a seriously dishonest enterprise, and why.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=lazy_group(COMMANDS),
)


@app.callback()
def tracer() -> None:
    """Liability Tracer: who is responsible for a seriously dishonest enterprise, and why."""
