"""Commands: tracer load, tracer import."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from tracer.cli.context import console, database, emit_json, fail, out
from tracer.domain.errors import TracerError
from tracer.graph.driver import open_driver, resolve_target
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import get_clock, get_local_settings, get_neo4j_settings
from tracer.loaders.bulk import default_files_directory, import_directory
from tracer.loaders.load import load_directory
from tracer.loaders.report import BulkImportReport, LoadReport
from tracer.loaders.write import BATCH_SIZE
from tracer.queries.runner import QueryRunner


class RejectsFormat(StrEnum):
    """The format of the rejects file."""

    CSV = "csv"
    XLSX = "xlsx"


@contextmanager
def _optional_database() -> Iterator[QueryRunner | None]:
    """A runner when a database is configured, else None (a dry run can work without one)."""
    try:
        target = resolve_target()
        driver = open_driver(target)
    except TracerError:
        yield None
        return
    try:
        yield QueryRunner(driver, target.database)
    finally:
        driver.close()


class _Bars:
    """Rich progress bars: one per file, rows written."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}
        self.status = progress.add_task("reading and validating", total=None)

    def __call__(self, stage: str, stem: str, done: int, total: int) -> None:
        if stage == "validate":
            self.progress.update(self.status, description=f"validating {stem}")
            return
        if self.status in self.progress.task_ids:
            self.progress.remove_task(self.status)
        if stem not in self.tasks:
            self.tasks[stem] = self.progress.add_task(f"writing {stem}", total=total)
        self.progress.update(self.tasks[stem], completed=done)


def _summary(report: LoadReport) -> None:
    title = "Dry run (nothing written)" if report.dry_run else "Loaded"
    if report.bulk_import is not None:
        title = "Imported" if report.bulk_import.imported else "Validated and prepared"
    table = Table(title=f"{title} in {report.seconds:.1f}s")
    for column in ("file", "read", "loaded", "rejected"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for stem, counts in report.files.items():
        table.add_row(stem, str(counts.read), str(counts.loaded), str(counts.rejected))
    out.print(table)
    quality = report.quality
    if quality.uscc_rows:
        verdict = "meets" if quality.meets_goal else "misses"
        out.print(
            f"USCC quality: {quality.uscc_invalid} invalid "
            f"({quality.uscc_invalid_per_10k}/10,000), {quality.uscc_duplicated} duplicated "
            f"with different values ({quality.uscc_duplicated_per_10k}/10,000), "
            f"{quality.uscc_repeated} identical repeats; {verdict} the goal of "
            f"< {quality.goal_per_10k:g}/10,000"
        )
    if quality.top_reasons:
        reasons = ", ".join(f"{r.reason_code} {r.count}" for r in quality.top_reasons)
        out.print(f"Top reject reasons: {reasons}")
    if report.status_since_defaulted:
        out.print(
            f"[yellow]{report.status_since_defaulted} finding(s)[/] give a status without "
            "status_since: it takes effect from the load date"
        )
    for error in report.file_errors:
        out.print(f"[red]unreadable:[/] {error.file}: {error.message}")
    for stem, columns in report.ignored_columns.items():
        out.print(f"[yellow]ignored columns[/] in {stem}: {', '.join(columns)}")
    if not report.graph_checked:
        unchecked = sum(report.unchecked_references.values())
        out.print(
            "[yellow]database unreachable:[/] references to subjects outside this directory "
            f"were not checked ({unchecked} rows)"
        )
    out.print(f"Rejects: {report.rejects_file}")


#: Exit status of a load that completed but rejected rows, could not read a file, or left a
#: file unloaded for its name (``--allow-rejects``: 0).
EXIT_REJECTS = 4

#: The rejects options that ``load`` and ``import`` share.
RejectsPath = Annotated[
    Path | None,
    typer.Option(
        "--rejects", help="Rejects file (default DIR/rejects.csv or .xlsx; .xlsx: a workbook)."
    ),
]
AllowRejects = Annotated[
    bool,
    typer.Option(
        "--allow-rejects",
        help=f"Exit 0 even when rows are rejected (default: exit {EXIT_REJECTS}).",
    ),
]
RejectsFormatOption = Annotated[
    RejectsFormat,
    typer.Option("--rejects-format", help="Rejects file: csv (UTF-8 with BOM) or xlsx."),
]


def _problems(report: LoadReport) -> list[str]:
    """One line per file with something to fix, for stderr."""
    lines = [f"{error.file}: unreadable — {error.message}" for error in report.file_errors]
    for problem in report.header_problems:
        optional = f" (optional: {', '.join(problem.optional)})" if problem.optional else ""
        hints = [
            f"{name} → closest found: {found}"
            for name, found in problem.closest.items()
            if found is not None
        ]
        lines.append(
            f"{problem.file}: the header has no required column {', '.join(problem.missing)} "
            f"— {problem.stem} expects {', '.join(problem.expected)}{optional}; found "
            f"{', '.join(problem.found) or 'nothing'}" + (f"; {'; '.join(hints)}" if hints else "")
        )
    for file, summary in report.by_file.items():
        if summary.rejected:
            common = f" — most common: {', '.join(summary.top_reasons)}"
            lines.append(
                f"{file}: {summary.read:,} read, {summary.loaded:,} loaded, "
                f"{summary.rejected:,} rejected{common}"
            )
    lines += [file.text for file in report.unknown_files]
    return lines


def _actor() -> str:
    """Who a load's reference-table changes are recorded as."""
    return f"cli:{getpass.getuser()}"


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    _register_import(app)

    @app.command("load")
    def load(
        directory: Annotated[
            Path, typer.Argument(help="Directory of input files (INTERFACES §1).")
        ],
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Validate and report; write nothing to the graph."
        ),
        json_output: bool = typer.Option(False, "--json", help="Machine output."),
        rejects: RejectsPath = None,
        batch_size: int = typer.Option(
            BATCH_SIZE, "--batch-size", min=1, help="Rows per write transaction."
        ),
        allow_rejects: AllowRejects = False,
        rejects_format: RejectsFormatOption = RejectsFormat.CSV,
    ) -> None:
        """Validate and load a directory of input files; rejected rows go to a rejects file.

        Exits 4 when a row was rejected, a file was unreadable or lacked a required column, or
        a file's name is no input stem (one line per file on stderr), unless --allow-rejects."""
        if not directory.is_dir():
            fail(f"no such directory: {directory}")
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            bars = _Bars(progress)
            if dry_run:
                with _optional_database() as runner:
                    try:
                        report = load_directory(
                            runner,
                            directory,
                            True,
                            rejects,
                            bars,
                            batch_size,
                            get_clock(),
                            _actor(),
                            rejects_format.value,
                        )
                    except TracerError as exc:
                        fail(str(exc))
            else:
                with database() as runner:
                    report = load_directory(
                        runner,
                        directory,
                        False,
                        rejects,
                        bars,
                        batch_size,
                        get_clock(),
                        _actor(),
                        rejects_format.value,
                    )
        if json_output:
            emit_json(report.to_json())
        else:
            _summary(report)
        for line in _problems(report):
            console.print(line, highlight=False, markup=False, soft_wrap=True)
        if not report.clean and not allow_rejects:
            raise typer.Exit(EXIT_REJECTS)


def _bulk_summary(bulk: BulkImportReport, directory: Path) -> None:
    nodes = sum(bulk.nodes.values())
    relationships = sum(bulk.relationships.values())
    if bulk.imported:
        if nodes or relationships:
            out.print(
                f"Offline import: {nodes:,} nodes and {relationships:,} relationships in "
                f"{bulk.import_seconds:.1f}s (files {bulk.files_seconds:.1f}s, restart "
                f"{bulk.restart_seconds:.1f}s)"
            )
        return
    command = " ".join(bulk.command)
    out.print(
        f"Prepared {nodes:,} nodes and {relationships:,} relationships in "
        f"{bulk.files_directory}.\n"
        "Copy that directory to the database server, stop the database there (Community: "
        "stop the server), and run in it:\n"
        f"  {command}\n"
        "Then start the database and finish here (schema, reference tables, findings and "
        "the other files):\n"
        f"  tracer import {directory} --finish --files {bulk.files_directory}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _register_import(app: typer.Typer) -> None:
    """Add ``tracer import`` to ``app``."""

    @app.command("import")
    def import_(
        directory: Annotated[
            Path, typer.Argument(help="Directory of input files (INTERFACES §1).")
        ],
        files: Annotated[
            Path | None,
            typer.Option(
                "--files", help="Where the import CSV files go (default DIR/neo4j-import)."
            ),
        ] = None,
        keep_files: bool = typer.Option(
            False, "--keep-files", help="Keep the import CSV files after a local import."
        ),
        finish: bool = typer.Option(
            False,
            "--finish",
            help="After the printed command ran on the server: write the rest (NEO4J_URI).",
        ),
        json_output: bool = typer.Option(False, "--json", help="Machine output."),
        rejects: RejectsPath = None,
        allow_rejects: AllowRejects = False,
        rejects_format: RejectsFormatOption = RejectsFormat.CSV,
    ) -> None:
        """Load a whole data set into an EMPTY database with Neo4j's offline importer.

        Rows are validated and rejected exactly as by `tracer load`. The bundled Neo4j is
        stopped, imported into and started again. With NEO4J_URI (a server) the import files
        are prepared and the one command to run on the server is printed; then run this again
        with --finish. Refused when the database holds data (use `tracer load` for deltas).
        Exits 4 when rows were rejected, unless --allow-rejects."""
        if not directory.is_dir():
            fail(f"no such directory: {directory}")
        local = None if get_neo4j_settings().uri else LocalNeo4j(get_local_settings())
        if finish and local is not None:
            fail("--finish is for a server (NEO4J_URI): a bundled import finishes by itself")
        try:
            if local is not None and not local.status().running:
                console.print("starting the bundled Neo4j")
                local.start(echo=lambda message: console.print(message))
            target = resolve_target()
        except TracerError as exc:
            fail(str(exc))
        driver = open_driver(target)
        try:
            report = import_directory(
                QueryRunner(driver, target.database),
                directory,
                local,
                files_directory=files or default_files_directory(directory),
                keep_files=keep_files,
                finish=finish,
                rejects_path=rejects,
                clock=get_clock(),
                actor=_actor(),
                rejects_format=rejects_format.value,
                echo=lambda message: console.print(message),
            )
        except (TracerError, FileExistsError) as exc:
            fail(str(exc))
        finally:
            driver.close()
        if json_output:
            emit_json(report.to_json())
        else:
            _summary(report)
            if report.bulk_import is not None:
                _bulk_summary(report.bulk_import, directory)
        for line in _problems(report):
            console.print(line, highlight=False, markup=False, soft_wrap=True)
        if not report.clean and not allow_rejects:
            raise typer.Exit(EXIT_REJECTS)
