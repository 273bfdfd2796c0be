"""``load_directory``: read, validate and write one directory of input files (issue 3).

The public entry point of the loaders (the CLI's ``load``, ``import`` and ``demo`` call it).
Every row read is either loaded or rejected into the rejects CSV; writes are idempotent MERGEs
in batches, so an interrupted load is completed by running it again.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import neo4j
import neo4j.exceptions
import pandas as pd

from tracer.domain.clock import Clock
from tracer.domain.errors import InsufficientStorage, InvalidInput, Unavailable
from tracer.graph.schema import apply_schema
from tracer.graph.settings import get_clock
from tracer.loaders import aliases, heap, interchange, partition, validate
from tracer.loaders.batch import Batch, Reject, emptied
from tracer.loaders.checks import Context
from tracer.loaders.lookup import EmptyGraphKeys, GraphKeys
from tracer.loaders.partition import Partitions
from tracer.loaders.read import (
    INTERCHANGE,
    STEMS,
    RawTable,
    UnreadableFile,
    discover,
    read_table,
    unknown_files,
)
from tracer.loaders.report import (
    BulkImportReport,
    FileCounts,
    FileError,
    HeaderProblem,
    LoadReport,
    UnknownFileReport,
    file_summaries,
    quality,
    write_rejects,
)
from tracer.loaders.specs import REFERENCE_STEMS, SPECS
from tracer.loaders.write import BATCH_SIZE, write_findings, write_stem, write_transitions
from tracer.queries.lifecycle import is_new_status
from tracer.queries.reference import (
    EARLIEST_DAY,
    Row,
    install_reference_data,
    merge_rows,
    shipped_tables,
)
from tracer.queries.runner import QueryRunner
from tracer.queries.timeline import history, refresh_lines
from tracer.queries.upgrade import upgrade

#: ``progress(stage, stem, done, total)``: stage is "validate" or "write"; rows for "write".
Progress = Callable[[str, str, int, int], None]
EXTRA_COLUMNS = {"shareholdings": ("share_unit",)}
#: Reference tables that give default periods: when one changes, stored status lines are redone.
PERIOD_STEMS = frozenset({"list_types", "list_type_periods"})
#: Every stem in validation and write order: the data stems, then the interchange-only ones.
ALL_STEMS = (*STEMS, *interchange.STEMS)


class BulkWriter(Protocol):
    """Writes some stems' validated rows by other means than the MERGE loader (the offline
    import of ``tracer import``): each stem is handed over as soon as it is validated (and its
    rows then released), and ``finish`` completes the writing before the loader writes the
    rest."""

    stems: frozenset[str]
    #: True when the database was found empty before (an offline import replaces the store):
    #: no key of the rows is looked up in it.
    into_empty: bool

    def add(self, stem: str, rows: pd.DataFrame, clock: Clock) -> None: ...

    def end(self, stem: str) -> None:
        """The stem's last rows were added: what was kept for them can go."""

    def finish(self, clock: Clock) -> BulkImportReport: ...


def default_rejects_path(directory: Path, rejects_format: str = "csv") -> Path:
    """``DIR/rejects.csv`` (or ``.xlsx``) when DIR is writable, else a file in the temporary
    directory."""
    if os.access(directory, os.W_OK):
        return directory / f"rejects.{rejects_format}"
    stamp = get_clock().now().strftime("%Y%m%dT%H%M%SZ")
    name = f"tracer-rejects-{directory.name}-{stamp}.{rejects_format}"
    return Path(tempfile.gettempdir()) / name


@dataclass
class _Reading:
    """The files read so far (stem by stem, each just before it is validated, so a stem's rows
    as read are released before the next is read): tables, unreadable files, their rejects and
    rows read per file — by the stem ``discover`` found them under, reported in that order."""

    found: dict[str, list[Path]]
    tables: dict[str, list[RawTable]] = field(default_factory=dict)
    errors: dict[str, list[FileError]] = field(default_factory=dict)
    rejects: dict[str, list[Reject]] = field(default_factory=dict)
    counts: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)
    seconds: float = 0.0

    def read(self, stem: str) -> None:
        """Read the files found under ``stem`` (once)."""
        if stem in self.counts:
            return
        began = time.monotonic()
        errors, rejects, counts = (
            self.errors.setdefault(stem, []),
            self.rejects.setdefault(stem, []),
            self.counts.setdefault(stem, {}),
        )
        for path in self.found.get(stem, []):
            try:
                if interchange.is_interchange(path):
                    parts = list(interchange.read(path).items())
                else:
                    table = read_table(path)
                    if stem not in REFERENCE_STEMS:
                        aliases.rename_columns(stem, table)
                    parts = [(stem, table)]
                for part, table in parts:
                    self.tables.setdefault(part, []).append(table)
                    rows = len(table.frame) + len(table.malformed)
                    counts[path.name] = (stem, counts.get(path.name, (stem, 0))[1] + rows)
            except UnreadableFile as exc:
                errors.append(FileError(file=path.name, reason_code=exc.reason, message=str(exc)))
                rejects.append(Reject(path.name, 0, "", exc.reason, str(exc), ""))
                if not interchange.is_interchange(path):
                    self.tables.setdefault(stem, [])
        self.seconds += time.monotonic() - began

    def partitions(self, stem: str, today: date) -> Partitions | None:
        """The files found under ``stem`` split for validation in partitions (read as each is
        validated; see ``partition``), or None when the stem is read whole by ``read``."""
        if stem in self.counts or stem in self.tables:  # read, or given by interchange files
            return None
        began = time.monotonic()
        parts = partition.split(stem, self.found.get(stem, []), today)
        self.seconds += time.monotonic() - began
        if parts is not None:
            self.errors[stem], self.rejects[stem] = [], []
            self.counts[stem] = {path.name: (stem, 0) for path in self.found[stem]}
            self.tables[stem] = parts.tables
        return parts

    def read_partitions(self, parts: Partitions) -> Iterator[list[RawTable]]:
        """Each partition's tables, read (and counted) when asked for."""
        counts = self.counts[parts.stem]
        rows = iter(parts)
        while True:
            began = time.monotonic()
            tables = next(rows, None)
            self.seconds += time.monotonic() - began
            if tables is None:
                return
            for table in tables:
                stem, read = counts[table.path.name]
                counts[table.path.name] = (stem, read + len(table.frame))
            yield tables

    def file_errors(self) -> list[FileError]:
        return [error for stem in self.found for error in self.errors.get(stem, [])]

    def read_rejects(self) -> list[Reject]:
        return [reject for stem in self.found for reject in self.rejects.get(stem, [])]

    def read_counts(self) -> dict[str, tuple[str, int]]:
        return {name: n for stem in self.found for name, n in self.counts.get(stem, {}).items()}


def _closest(stem: str, column: str, found: dict[str, str]) -> str | None:
    """The found column (as written) most like ``column`` or one of its Chinese aliases."""
    names = [
        column,
        *(alias for alias, target in aliases.column_aliases(stem).items() if target == column),
    ]
    for name in names:
        match = difflib.get_close_matches(name, list(found), n=1, cutoff=0.5)
        if match:
            return found[match[0]]
    return None


def header_problems(stem: str, tables: list[RawTable]) -> list[HeaderProblem]:
    """Files of ``stem`` whose header lacks a required column: what was expected, what was
    found, and the closest found column for each missing one."""
    spec = SPECS.get(stem)
    if spec is None:
        return []
    problems = []
    for table in tables:
        missing = [name for name in spec.required if name not in table.columns]
        if missing:
            problems.append(
                HeaderProblem(
                    file=table.path.name,
                    stem=stem,
                    missing=missing,
                    expected=list(spec.required),
                    optional=list(spec.optional),
                    found=list(table.columns.values()),
                    closest={name: _closest(stem, name, table.columns) for name in missing},
                )
            )
    return problems


def _ignored_columns(stem: str, tables: list[RawTable]) -> list[str]:
    spec = SPECS.get(stem)
    if spec is None or stem in REFERENCE_STEMS:
        return []
    known = {*spec.columns, *EXTRA_COLUMNS.get(stem, ())}
    return sorted({c for table in tables for c in table.columns if c not in known})


def _graph(runner: QueryRunner | None, dry_run: bool) -> GraphKeys | None:
    """The graph for reference checks: required for a real load, optional for a dry run."""
    if runner is None:
        if dry_run:
            return None
        raise Unavailable("a load needs the database; only --dry-run works without it")
    try:  # no retries here: an unreachable database is reported at once
        runner.driver.verify_connectivity()
    except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError, OSError) as exc:
        if dry_run:
            return None
        raise Unavailable(f"Neo4j is unreachable: {type(exc).__name__}") from exc
    return GraphKeys(runner)


def _overrides(results: dict[str, validate.Validated]) -> dict[str, list[dict[str, Any]]]:
    return {stem: list(results[stem].rows["row"]) for stem in REFERENCE_STEMS if stem in results}


def _reference_base(graph: GraphKeys | None) -> dict[str, list[Row]]:
    """The reference tables before this load's overrides: shipped, then the graph's versions
    (earlier overrides) where the graph is reachable."""
    base = shipped_tables()
    if graph is not None:
        for stem, rows in graph.reference_tables().items():
            base[stem] = [*base.get(stem, []), *rows]
    return base


def _validate_reference(
    tables: dict[str, list[RawTable]], ctx: Context, base: dict[str, list[Row]]
) -> dict[str, validate.Validated]:
    results: dict[str, validate.Validated] = {}
    for stem in REFERENCE_STEMS:
        if stem in tables:
            batch = Batch(SPECS[stem], tables[stem])
            results[stem] = validate.Validated(stem, batch, validate.reference(batch, ctx))
    known = validate.reference_codes(base)
    for stem, result in results.items():
        codes = validate.reference_codes({stem: list(result.rows["row"])})
        for target, values in codes.items():
            known[target] |= {value.upper() for value in values}
    for result in results.values():
        result.rows = validate.reference_links(result.batch, result.rows, known)
    return results


def _list_type_categories(tables: dict[str, dict[str, Row]]) -> dict[str, str | None]:
    """Each list type's category (None: each finding gives one), from its national version with
    the latest ``valid_from``."""
    chosen: dict[str, Row] = {}
    for row in tables["list_types"].values():
        rank = (not row.get("jurisdiction"), row.get("valid_from") or EARLIEST_DAY)
        found = chosen.get(row["code"])
        if found is None or rank >= (
            not found.get("jurisdiction"),
            found.get("valid_from") or EARLIEST_DAY,
        ):
            chosen[row["code"]] = row
    return {str(code): _text(row.get("category")) for code, row in chosen.items()}


def _status_since_defaulted(results: dict[str, validate.Validated], ctx: Context) -> int:
    """Findings whose given status is recorded as taking effect from the load date (a new
    non-ACTIVE status without ``status_since``)."""
    if "findings" not in results:
        return 0
    count = 0
    for rows in results["findings"].frames():
        for finding_id, status, since in zip(
            rows["finding_id"], rows["status"], rows["status_since"], strict=True
        ):
            if since is not None:
                continue
            state = ctx.findings.get(finding_id)
            if state is None:
                count += status != "ACTIVE"
            else:
                count += is_new_status(state["status"], history(state), status, None)
    return count


def load_directory(
    runner: QueryRunner | None,
    path: Path | str,
    dry_run: bool = False,
    rejects_path: Path | str | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    clock: Clock | None = None,
    actor: str = "loader",
    rejects_format: str = "csv",
    bulk: BulkWriter | None = None,
) -> LoadReport:
    """Validate every input file of ``path`` and (unless ``dry_run``) write it to the graph.

    A real load applies the schema, upgrades what an earlier version wrote, installs the
    reference tables (shipped defaults plus this directory's overrides, recorded as changes by
    ``actor``), then writes departments, enterprises, persons, positions, shareholdings,
    practitioners, findings (with their transitions and status lines), finding_persons,
    transitions (through the lifecycle, row by row) and redlist. A dry run writes nothing; it
    checks references against the graph when it is reachable and otherwise counts them as
    unchecked (``graph_checked`` false). Files whose stem is no input stem are listed in
    ``unknown_files``, headers without a required column in ``header_problems``; the rejects
    file is a CSV with BOM, or a workbook when ``rejects_format`` is ``xlsx`` (or the path
    ends in ``.xlsx``). Raises ``InvalidInput`` when the directory does not exist or holds no
    recognised file, ``InsufficientStorage`` (before any work) when ``TMPDIR`` has clearly too
    little room for the large stems' partitions, ``Unavailable`` when a real load cannot reach
    the database.

    With ``bulk`` (``tracer import``), its stems are handed to it once validated (also in a dry
    run, where it only prepares files); the schema and reference tables are installed after it
    has written, and the loader writes the other stems.
    """
    clock = clock or Clock()
    began = time.monotonic()
    directory = Path(path)
    if not directory.is_dir():
        raise InvalidInput(f"no such directory: {directory}")
    target = (
        Path(rejects_path)
        if rejects_path is not None
        else default_rejects_path(directory, rejects_format)
    )
    found = discover(directory)
    unknown = [
        UnknownFileReport(file=file.file, suggestion=file.suggestion)
        for file in unknown_files(directory, ignore=[target.name])
    ]
    if not found:
        hints = "; ".join(file.text for file in unknown)
        raise InvalidInput(
            f"no recognised input files in {directory} (expected e.g. enterprises.csv; "
            f"stems: {', '.join(STEMS)})" + (f"; {hints}" if hints else "")
        )
    graph = _graph(runner, dry_run)
    if graph is not None and bulk is not None and bulk.into_empty:
        graph = EmptyGraphKeys(graph.runner)
    writing = runner is not None and not dry_run
    written_here = set(ALL_STEMS) - (bulk.stems if bulk is not None else set())
    _ensure_room(found, waiting=written_here if writing else {"findings"})
    if runner is not None and writing and bulk is None:
        apply_schema(runner.driver, runner.database)
    reading = _Reading(found)
    with _collector_paused():
        for stem in (*REFERENCE_STEMS, INTERCHANGE):
            reading.read(stem)
    tables = reading.tables
    read_first, validate_began = reading.seconds, time.monotonic()
    ctx = Context(graph=graph, today=clock.today())

    base = _reference_base(graph)
    results = _validate_reference(tables, ctx, base)
    overrides = _overrides(results)
    reference_counts: dict[str, int] = {}
    if runner is not None and writing and bulk is None:
        reference_counts = _install_reference(runner, overrides, actor, clock)
    list_types = {"list_types": base["list_types"]}
    ctx.list_types = _list_type_categories(
        merge_rows(list_types, {"list_types": overrides.get("list_types", [])})
    )

    def ended(stem: str) -> None:
        if bulk is not None and stem in bulk.stems:
            bulk.end(stem)
            heap.trim()

    handed = 0.0
    with _collector_paused():
        for stem, result in _validate_data(reading, ctx, progress, ended):
            if bulk is not None and stem in bulk.stems:
                began_bulk = time.monotonic()
                bulk.add(stem, result.rows, clock)
                result.rows = emptied(result.rows)
                handed += time.monotonic() - began_bulk
            elif not writing and stem != "findings":  # the report reads the findings' rows
                result.rows = emptied(result.rows)  # nothing is written: none are kept
            if stem in results:  # another partition of the stem
                results[stem].absorb(result)
            else:
                results[stem] = result
            del result
            heap.collect_recent()

    file_errors, read_counts = reading.file_errors(), reading.read_counts()

    def every_reject() -> Iterator[Reject]:
        yield from reading.read_rejects()
        for result in results.values():
            yield from result.batch.every_reject()

    write_rejects(target, every_reject())
    validate_done = time.monotonic()
    write_seconds: dict[str, float] = {}
    refused: list[Reject] = []
    bulk_report = bulk.finish(clock) if bulk is not None else None
    written_in_bulk = bulk.stems if bulk is not None else frozenset()

    if runner is not None and writing:
        if bulk is not None:
            apply_schema(runner.driver, runner.database)
            reference_counts = _install_reference(runner, overrides, actor, clock)
        for stem in ALL_STEMS:
            if stem in REFERENCE_STEMS or stem not in results or stem in written_in_bulk:
                continue
            started = time.monotonic()
            refused += _write(runner, stem, results[stem], clock, batch_size, progress)
            write_seconds[stem] = round(time.monotonic() - started, 3)
        if refused:
            write_rejects(target, itertools.chain(every_reject(), refused))

    seconds = time.monotonic() - began
    files = {
        stem: FileCounts(read=r.batch.read, loaded=r.loaded, rejected=r.batch.rejected)
        for stem, r in sorted(results.items(), key=lambda item: ALL_STEMS.index(item[0]))
    }
    if refused:
        counts = files["transitions"]
        files["transitions"] = FileCounts(
            read=counts.read,
            loaded=counts.loaded - len(refused),
            rejected=counts.rejected + len(refused),
        )
    for stem in tables:
        files.setdefault(stem, FileCounts())
    total_read = sum(counts.read for counts in files.values())
    batches = {stem: r.batch for stem, r in results.items()}
    return LoadReport(
        files=files,
        rejects_file=str(target),
        dry_run=dry_run,
        graph_checked=graph is not None,
        unchecked_references=dict(ctx.unchecked),
        repeats={stem: r.batch.repeats for stem, r in results.items() if r.batch.repeats},
        sources={stem: [p.name for p in paths] for stem, paths in found.items()},
        ignored_columns={
            stem: cols for stem in tables if (cols := _ignored_columns(stem, tables[stem]))
        },
        file_errors=file_errors,
        unknown_files=unknown,
        header_problems=[
            problem
            for stem in tables
            if stem not in REFERENCE_STEMS
            for problem in header_problems(stem, tables[stem])
        ],
        by_file=file_summaries(read_counts, itertools.chain(every_reject(), refused)),
        reference_data=reference_counts,
        status_since_defaulted=_status_since_defaulted(results, ctx),
        quality=quality(batches, file_errors, refused),
        seconds=round(seconds, 3),
        read_seconds=round(reading.seconds, 3),
        validate_seconds=round(
            validate_done - validate_began - (reading.seconds - read_first) - handed, 3
        ),
        write_seconds=write_seconds,
        rows_per_second=round(total_read / seconds, 1) if seconds else 0.0,
        bulk_import=bulk_report,
    )


def _ensure_room(found: dict[str, list[Path]], waiting: set[str]) -> None:
    """Refuse a load that ``TMPDIR`` has clearly too little room for, before any work: the
    stems split into partitions, and those of ``waiting`` (rows kept to be written), need
    about ``partition.room_needed``."""
    needed = partition.room_needed(
        ((stem, found[stem]) for stem in ALL_STEMS if stem in found), waiting
    )
    where = tempfile.gettempdir()
    free = shutil.disk_usage(where).free
    if needed > free:
        raise InsufficientStorage(
            f"the temporary directory {where} has {free / 2**30:.2f} GiB free, and this load "
            f"needs about {needed / 2**30:.2f} GiB there (the large stems' partitions and the "
            "rows waiting to be written): set TMPDIR to a directory on a disk with more room"
        )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while millions of rows become objects (it would walk them
    all again and again); the cycles left are collected once a partition is taken (``heap``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _validate_data(
    reading: _Reading,
    ctx: Context,
    progress: Progress | None,
    ended: Callable[[str], None],
) -> Iterator[tuple[str, validate.Validated]]:
    """Every data and interchange stem read and validated, in load order (a large stem in
    partitions, each yielded in turn); the rows as read are released once validated, and
    ``ended`` is told of each stem once its last rows were taken, before the next is read."""
    for stem in ALL_STEMS:
        if stem in REFERENCE_STEMS:
            continue
        parts = reading.partitions(stem, ctx.today)
        if parts is not None:
            yield from _validate_partitions(reading, parts, ctx, progress)
            ended(stem)
            continue
        reading.read(stem)
        if stem not in reading.tables:
            continue
        if progress is not None:
            progress("validate", stem, 0, 0)
        batch = Batch(interchange.spec(stem), reading.tables[stem])
        interchange.recode(batch)
        check = validate.VALIDATORS.get(stem) or interchange.VALIDATORS[stem]
        result = validate.Validated(stem, batch, check(batch, ctx))
        batch.release()
        yield stem, result
        ended(stem)


def _validate_partitions(
    reading: _Reading, parts: Partitions, ctx: Context, progress: Progress | None
) -> Iterator[tuple[str, validate.Validated]]:
    """One stem validated a partition at a time (its keys found valid are those of all)."""
    if progress is not None:
        progress("validate", parts.stem, 0, 0)
    spec, check = SPECS[parts.stem], validate.VALIDATORS[parts.stem]
    ctx.partials = {}
    try:
        for tables in reading.read_partitions(parts):
            batch = Batch(spec, tables)
            result = validate.Validated(parts.stem, batch, check(batch, ctx))
            batch.release()
            yield parts.stem, result
        ctx.unite()
    finally:
        ctx.discard()
        parts.close()


def _install_reference(
    runner: QueryRunner, overrides: dict[str, list[dict[str, Any]]], actor: str, clock: Clock
) -> dict[str, int]:
    """Install the reference tables (shipped plus this load's overrides), upgrade what an
    earlier version wrote, and redo status lines when a default period changed."""
    installed = install_reference_data(runner, overrides, actor=actor, clock=clock)
    upgrade(runner, clock)
    if PERIOD_STEMS & set(installed.changed):
        refresh_lines(runner, clock=clock, everything=True)
    return installed.rows


def _write(
    runner: QueryRunner,
    stem: str,
    result: validate.Validated,
    clock: Clock,
    batch_size: int,
    progress: Progress | None,
) -> list[Reject]:
    """Write one stem, a frame of rows at a time; returns the rows the lifecycle refused
    (transitions only)."""
    total, done = result.row_count, 0
    if progress is not None:
        progress("write", stem, 0, total)

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress("write", stem, done, total)

    refused: list[Reject] = []
    for rows in result.frames():
        if stem == "findings":
            write_findings(runner, rows, clock, batch_size, advance)
        elif stem == "transitions":
            refused += write_transitions(runner, rows, clock, advance)[1]
        elif stem in interchange.WRITERS:
            interchange.WRITERS[stem](runner, rows, clock, batch_size, advance)
        elif stem in SPECS:
            write_stem(runner, stem, rows, clock, batch_size, advance)
    return refused


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)
