"""``tracer db``: the bundled local Neo4j (build, start, stop, status), the schema, and
emptying the database (reset)."""

from __future__ import annotations

import getpass
import time

import typer

from tracer.cli.context import console, database, emit_json, fail, out
from tracer.domain.errors import TracerError
from tracer.graph.driver import resolve_target
from tracer.graph.local import LocalNeo4j
from tracer.graph.schema import apply_schema, schema_statements
from tracer.graph.settings import get_clock, get_local_settings, get_neo4j_settings
from tracer.queries.reference import install_reference_data
from tracer.queries.reset import empty_graph
from tracer.queries.runner import QueryRunner
from tracer.queries.upgrade import upgrade

db_app = typer.Typer(help="The bundled local Neo4j and the schema.", no_args_is_help=True)


def _local() -> LocalNeo4j:
    return LocalNeo4j(get_local_settings())


def _warn_if_remote() -> None:
    if get_neo4j_settings().uri:
        console.print("[yellow]note:[/] NEO4J_URI is set; this manages the bundled Neo4j only.")


@db_app.command()
def build() -> None:
    """Build the Java launcher of the bundled Neo4j (Maven; first time only)."""
    try:
        with console.status("Building the bundled Neo4j launcher (Maven) …"):
            built = _local().build(echo=lambda msg: console.print(msg))
    except TracerError as exc:
        fail(str(exc))
    console.print("launcher built" if built else "launcher up to date")


@db_app.command()
def start(json_output: bool = typer.Option(False, "--json", help="Machine output.")) -> None:
    """Start the bundled Neo4j in the background and wait until Bolt answers."""
    _warn_if_remote()
    local = _local()
    before = local.status()
    began = time.monotonic()
    try:
        with console.status("Starting the bundled Neo4j …"):
            status = local.start(echo=lambda msg: console.print(msg))
    except TracerError as exc:
        fail(str(exc))
    seconds = round(time.monotonic() - began, 2)
    if json_output:
        emit_json(
            {
                "running": True,
                "already_running": before.running,
                "pid": status.pid,
                "uri": status.uri,
                "seconds": seconds,
            }
        )
    elif before.running:
        out.print(f"already running (pid {status.pid}) at {status.uri}")
    else:
        out.print(f"started (pid {status.pid}) at {status.uri} in {seconds}s")


@db_app.command()
def stop(json_output: bool = typer.Option(False, "--json", help="Machine output.")) -> None:
    """Stop the bundled Neo4j that `tracer db start` started."""
    try:
        stopped = _local().stop()
    except TracerError as exc:
        fail(str(exc))
    if json_output:
        emit_json({"stopped": stopped})
    else:
        out.print("stopped" if stopped else "not running")


@db_app.command()
def status(json_output: bool = typer.Option(False, "--json", help="Machine output.")) -> None:
    """Tell whether the bundled Neo4j is running (exit code 3 when it is not)."""
    local = _local()
    state = local.status()
    if json_output:
        emit_json(
            {
                "running": state.running,
                "pid": state.pid,
                "uri": state.uri,
                "home": str(state.home),
                "built": local.is_built(),
            }
        )
    elif state.running:
        out.print(f"running (pid {state.pid}) at {state.uri}; data in {state.home}")
    else:
        out.print(f"not running; data in {state.home}")
    if not state.running:
        raise typer.Exit(3)


def _initialise(runner: QueryRunner) -> list[str]:
    """Install the shipped reference tables and upgrade (the schema is applied already)."""
    clock = get_clock()
    installed = install_reference_data(runner, actor=f"cli:{getpass.getuser()}", clock=clock)
    upgraded = upgrade(runner, clock)
    return [
        f"schema applied: {len(schema_statements())} constraints and indexes",
        f"reference tables: {installed.changes} row(s) changed",
        "upgraded: " + ", ".join(f"{count} {what}" for what, count in upgraded.items()),
    ]


@db_app.command()
def init() -> None:
    """Create the constraints and indexes, install the shipped reference tables and upgrade
    what an earlier version wrote (status lines, releases, feedback keys). Idempotent."""
    with database(ensure_schema=True) as runner:
        lines = _initialise(runner)
    for line in lines:
        out.print(line)


@db_app.command()
def reset(
    yes: bool = typer.Option(False, "--yes", help="Confirm: delete every node and relationship."),
    force: bool = typer.Option(
        False, "--force", help="Also reset a database set by NEO4J_URI (not the bundled one)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Machine output."),
) -> None:
    """Empty the database (the bundled one; NEO4J_URI's only with --force), then apply the
    schema and the shipped reference tables again, as `tracer db init` does. The audit log (its
    files and its checkpoints in the graph) is kept. Exit 2 when refused."""
    if not yes:
        fail("db reset deletes every node and relationship: run it with --yes", code=2)
    try:
        target = resolve_target()
    except TracerError as exc:
        fail(str(exc))
    if not target.bundled and not force:
        fail(
            f"NEO4J_URI is set ({target.uri}): db reset empties the bundled database only; "
            "add --force to empty this one",
            code=2,
        )
    began = time.monotonic()
    with database() as runner:
        with console.status("Emptying the database …") as status:
            deleted = empty_graph(
                runner, progress=lambda n: status.update(f"Emptying the database … {n:,} nodes")
            )
        apply_schema(runner.driver, runner.database)
        lines = _initialise(runner)
    seconds = round(time.monotonic() - began, 2)
    if json_output:
        emit_json({"deleted_nodes": deleted, "uri": target.uri, "seconds": seconds})
        return
    out.print(f"deleted {deleted:,} nodes at {target.uri} in {seconds}s")
    for line in lines:
        out.print(line)


def register(app: typer.Typer) -> None:
    """Add ``tracer db`` to ``app``."""
    app.add_typer(db_app, name="db")
