"""``tracer import``: the initial load of a whole data set through Neo4j's offline importer.

Rows are read and validated by ``load_directory`` — the same code, the same rejects as
``tracer load``. The registry stems (``BULK_STEMS``: departments, enterprises, persons and their
relationships) are then written as the importer's CSV files (``bulk_files``) and imported into an
empty store; the schema and reference tables are installed on the started store, and the other
stems (findings, transitions, the red list, records) follow through the loader's MERGE path.

The bundled Neo4j is stopped, imported into and started again here. For a server
(``NEO4J_URI``) the files are prepared with the one importer command to run on it; once it has
run and the database is started, ``finish=True`` writes the rest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict
from tracer.graph.local import LocalNeo4j
from tracer.loaders.bulk_files import (
    BULK_STEMS,
    REPORT_FILE,
    ImportFiles,
    ImportFileWriter,
)
from tracer.loaders.load import Progress, load_directory
from tracer.loaders.report import BulkImportReport, LoadReport
from tracer.loaders.write import BATCH_SIZE
from tracer.queries.imports import (
    audit_checkpoints,
    forget_bookmarks,
    import_blockers,
    restore_checkpoints,
)
from tracer.queries.runner import QueryRunner

#: The audit log's checkpoints, saved beside the import files before the store is replaced.
CHECKPOINTS_FILE = "audit-checkpoints.json"
IMPORT_LOG = "import.log"


def default_files_directory(directory: Path) -> Path:
    """Where the import files go by default: ``DIR/neo4j-import``."""
    return directory / "neo4j-import"


class _FilesImport:
    """An import whose files are written here, stem by stem as ``load_directory`` hands the
    validated stems over."""

    stems = frozenset(BULK_STEMS)
    #: Made only after ``ensure_empty``: the graph holds no data the rows could refer to.
    into_empty = True

    def __init__(self, runner: QueryRunner, files_directory: Path) -> None:
        self.runner = runner
        self.directory = files_directory
        self._writer: ImportFileWriter | None = None
        self.files_seconds = 0.0

    def _writer_for(self, clock: Clock) -> ImportFileWriter:
        if self._writer is None:  # on first use: an import of no registry rows has no files
            self._writer = ImportFileWriter(self.directory, clock)
        return self._writer

    def _files(self, clock: Clock) -> ImportFiles:
        return self._writer_for(clock).files

    def add(self, stem: str, rows: pd.DataFrame, clock: Clock) -> None:
        """Write one validated stem's import files."""
        began = time.monotonic()
        self._writer_for(clock).add(stem, rows)
        self.files_seconds += time.monotonic() - began

    def end(self, stem: str) -> None:
        """The stem's files are written: the writer drops what it kept for them."""
        if self._writer is not None:
            self._writer.end(stem)


def _report(files: ImportFiles, imported: bool, command: list[str]) -> BulkImportReport:
    return BulkImportReport(
        files_directory=str(files.directory),
        nodes=files.node_counts,
        relationships=files.relationship_counts,
        imported=imported,
        command=command,
    )


def _save_checkpoints(runner: QueryRunner, directory: Path) -> list[dict[str, Any]]:
    """The audit log's checkpoints, also written to ``directory`` so a failed import loses
    none of them."""
    checkpoints = audit_checkpoints(runner)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / CHECKPOINTS_FILE).write_text(
        json.dumps([_plain(c) for c in checkpoints], ensure_ascii=False), encoding="utf-8"
    )
    return checkpoints


def _plain(checkpoint: dict[str, Any]) -> dict[str, Any]:
    """A checkpoint as JSON: date-times as ISO text (read back with ``_typed``)."""
    return {
        key: value.isoformat() if isinstance(value, dt.datetime) else value
        for key, value in checkpoint.items()
    }


def _typed(checkpoint: dict[str, Any]) -> dict[str, Any]:
    return {
        key: dt.datetime.fromisoformat(value) if key in _INSTANTS and value else value
        for key, value in checkpoint.items()
    }


_INSTANTS = frozenset({"at", "recorded_at"})


class LocalImport(_FilesImport):
    """Replaces the bundled Neo4j's store by an offline import of the registry stems."""

    def __init__(
        self,
        local: LocalNeo4j,
        runner: QueryRunner,
        files_directory: Path,
        keep_files: bool = False,
        echo: Callable[[str], None] = print,
    ) -> None:
        super().__init__(runner, files_directory)
        self.local = local
        self.keep_files = keep_files
        self.echo = echo

    def finish(self, clock: Clock) -> BulkImportReport:
        """Stop the instance, import the files, start it and restore the checkpoints."""
        files = self._files(clock)
        saved = _save_checkpoints(self.runner, self.directory)
        self.echo("stopping the bundled Neo4j for the offline import")
        self.local.stop()
        began = time.monotonic()
        try:
            self.local.import_full(
                files.arguments(), self.runner.database, self.directory / IMPORT_LOG
            )
        finally:
            imported = time.monotonic()
            self.echo("starting the bundled Neo4j on the imported store")
            self.local.start(echo=self.echo)
            forget_bookmarks(self.runner)
            restore_checkpoints(self.runner, saved)
        self._writer_for(clock).complete()
        report = _report(files, imported=True, command=[])
        report.files_seconds = round(self.files_seconds, 3)
        report.import_seconds = round(imported - began, 3)
        report.restart_seconds = round(time.monotonic() - imported, 3)
        if not self.keep_files:
            _remove(files)
        return report


def _remove(files: ImportFiles) -> None:
    """Delete what this import wrote in its directory, and the directory when that empties it
    (a directory the user named keeps everything else)."""
    written = [path for _name, path in (*files.nodes, *files.relationships)]
    for name in (CHECKPOINTS_FILE, IMPORT_LOG, REPORT_FILE):
        written.append(files.directory / name)
    for path in written:
        path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        files.directory.rmdir()


class PreparedImport(_FilesImport):
    """Prepares the import files for a server, with the importer command to run there."""

    def finish(self, clock: Clock) -> BulkImportReport:
        """Save the checkpoints beside the files; the command is relative to the files."""
        files = self._files(clock)
        _save_checkpoints(self.runner, self.directory)
        self._writer_for(clock).complete()
        command = [
            "neo4j-admin",
            "database",
            "import",
            "full",
            self.runner.database,
            *files.arguments(relative=True),
        ]
        report = _report(files, imported=False, command=command)
        report.files_seconds = round(self.files_seconds, 3)
        return report


class ImportedOnServer:
    """The registry stems as imported on a server: restores the saved checkpoints."""

    stems = frozenset(BULK_STEMS)
    into_empty = False  # the imported rows are in the graph

    def __init__(self, runner: QueryRunner, files_directory: Path) -> None:
        self.runner = runner
        self.directory = files_directory

    def add(self, stem: str, rows: pd.DataFrame, clock: Clock) -> None:
        """Nothing to write: the server has imported the files already."""

    def end(self, stem: str) -> None:
        """Nothing was kept."""

    def finish(self, clock: Clock) -> BulkImportReport:
        """Nothing to write but the audit log's checkpoints saved when the files were made."""
        saved = self.directory / CHECKPOINTS_FILE
        if saved.exists():
            checkpoints = json.loads(saved.read_text(encoding="utf-8"))
            restore_checkpoints(self.runner, [_typed(c) for c in checkpoints])
        return BulkImportReport(files_directory=str(self.directory), imported=True)


def ensure_empty(runner: QueryRunner) -> None:
    """Raise ``Conflict`` unless the database holds only the shipped reference tables and the
    audit log's checkpoints (an offline import replaces the whole store)."""
    found = import_blockers(runner)
    if found:
        kinds = ", ".join(f"{count:,} {labels}" for labels, count in found.items())
        raise Conflict(
            f"the database is not empty ({kinds}): `tracer import` replaces the whole store, "
            "so it runs only on an empty database — use `tracer load` to add to it, or empty "
            "it first with `tracer db reset --yes`"
        )


def import_directory(
    runner: QueryRunner,
    path: Path | str,
    local: LocalNeo4j | None,
    files_directory: Path | None = None,
    keep_files: bool = False,
    finish: bool = False,
    rejects_path: Path | str | None = None,
    progress: Progress | None = None,
    clock: Clock | None = None,
    actor: str = "loader",
    rejects_format: str = "csv",
    echo: Callable[[str], None] = print,
) -> LoadReport:
    """Import the data set of ``path`` into an empty database.

    With ``local`` (the bundled Neo4j behind ``runner``) the whole import runs here. Without it
    (a server) the files are prepared in ``files_directory`` (default ``DIR/neo4j-import``) and
    the report's ``bulk_import.command`` is to be run on the server; ``finish=True`` then
    writes the schema, reference tables and the other stems. Raises ``Conflict`` when the
    database is not empty (except when finishing).
    """
    directory = Path(path)
    files = files_directory or default_files_directory(directory)
    bulk: LocalImport | PreparedImport | ImportedOnServer
    if finish:
        forget_bookmarks(runner)  # the driver may have seen the store the import replaced
        bulk = ImportedOnServer(runner, files)
    else:
        ensure_empty(runner)
        if local is not None:
            bulk = LocalImport(local, runner, files, keep_files, echo)
        else:
            bulk = PreparedImport(runner, files)
    return load_directory(
        runner,
        directory,
        dry_run=isinstance(bulk, PreparedImport),
        rejects_path=rejects_path,
        progress=progress,
        batch_size=BATCH_SIZE,
        clock=clock,
        actor=actor,
        rejects_format=rejects_format,
        bulk=bulk,
    )
