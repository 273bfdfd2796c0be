"""A large stem validated in partitions, rows sharing a key always in the same partition.

The checks of a stem that look across rows — duplicates, the names a key is given — compare
only rows with the same key (the dedupe key of each stem starts from the USCC or the person
that ``KEYS`` names). So a stem whose files are split by a hash of each row's normalised key
can be validated one partition at a time, with the same outcome as validated whole, while
memory holds one partition's rows (a national register's positions are hundreds of millions).

Stems of ``KEYS`` are split when their files are plain CSV (see ``read.plain_pieces``) of more
than ``PARTITION_BYTES`` in all. Each piece read is hashed on its key token (``KeyCells``: a
cell already in normal form is matched in Arrow, any other is normalised by validation's own
checks) and written, sorted by partition, to one Arrow IPC file per file and partition in a
temporary directory (``TMPDIR``: it needs room for the stem's files), removed once read back.
"""

from __future__ import annotations

import itertools
import math
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tracer.domain.codes import SUBJECT_KINDS
from tracer.domain.keys import PersonKey
from tracer.loaders import aliases, checks, validate
from tracer.loaders.batch import Batch
from tracer.loaders.read import (
    FILE,
    LINE,
    NotPlain,
    PlainPiece,
    RawTable,
    arrow_frame,
    empty_columns,
    plain_pieces,
)
from tracer.loaders.specs import Spec

#: A stem whose files hold more bytes than this is validated in partitions of about this size.
PARTITION_BYTES = 32 << 20
#: Bytes in ``TMPDIR`` per byte of a stem's files, measured at 1M enterprises: its partition
#: files (Arrow IPC: 1.34–1.57) and its validated rows waiting to be written (0.59–0.97).
SPLIT_RATIO, WAITING_RATIO = 1.6, 1.0
_LINE = "_line"


@dataclass(frozen=True)
class KeyCells:
    """How the partition of a stem's row is read from its cells: a token, equal for rows whose
    normalised keys are equal (a row without a valid key may have any). ``token`` gives it from
    a batch of the rows (``cell``, ``kind`` and the ``also`` cells); a ``cell`` matching
    ``normal`` exactly (and, with ``kind``, whose kind cell is empty or ``RESIDENT_ID``) is its
    own token, which ``token`` would also give."""

    cell: str
    normal: str
    token: Callable[[Batch, date], pd.Series]
    kind: str | None = None
    also: tuple[str, ...] = ()

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.cell, *((self.kind,) if self.kind is not None else ()), *self.also)


def _uscc(column: str) -> KeyCells:
    """A USCC's normalised form is its stripped, upper-case cell (``checks.uscc``)."""
    return KeyCells(column, "^[0-9A-Z]{18}$", lambda batch, _today: batch.upper(column))


def _person_number(batch: Batch, today: date) -> pd.Series:
    """The normalised ID number (a resident ID in normal form is returned as it is)."""
    keys = checks.person_ids(batch, "id_type", "id_number", today)
    return pd.Series([key.id_number if key is not None else None for key in keys], dtype=object)


def _finding_id(column: str) -> KeyCells:
    """A finding id's normalised form is its stripped cell: one of visible ASCII characters
    only is already stripped."""
    return KeyCells(column, "^[!-~]+$", lambda batch, _today: batch.text(column))


def _subject(batch: Batch, today: date) -> pd.Series:
    """A subject's key as text: the USCC, or the person's normalised number (the subject of an
    18-character cell in normal form, either kind, is that cell)."""
    kinds = checks.code(batch, "subject_kind", SUBJECT_KINDS, default="ENTERPRISE")
    context = checks.Context(graph=None, today=today)
    keys = validate.subject_keys(batch, context, kinds, "subject_id")
    return pd.Series(
        [key.id_number if isinstance(key, PersonKey) else key for key in keys], dtype=object
    )


#: Per stem validated in partitions, its key: a part of the stem's dedupe key, and the key its
#: names are checked under (``validate``).
KEYS: dict[str, KeyCells] = {
    "enterprises": _uscc("uscc"),
    "persons": KeyCells("id_number", "^[0-9]{17}[0-9X]$", _person_number, kind="id_type"),
    "positions": _uscc("uscc"),
    "shareholdings": _uscc("investee_uscc"),
    "practitioners": _uscc("uscc"),
    "findings": _finding_id("finding_id"),
    "finding_persons": _finding_id("finding_id"),
    "redlist": KeyCells("subject_id", "^[0-9A-Z]{18}$", _subject, also=("subject_kind",)),
}


@dataclass
class _Source:
    """One file of the stem: its header, and the empty table that stands for it in reports."""

    path: Path
    header: list[str]
    table: RawTable


@dataclass
class Partitions:
    """A stem's files split into ``count`` partitions, spilled in ``directory``; iterating
    yields each partition's tables (one per file) and removes its spilled files."""

    stem: str
    count: int
    directory: Path
    sources: list[_Source] = field(default_factory=list)

    @property
    def tables(self) -> list[RawTable]:
        """One empty table per file, with its columns as read (for header reports)."""
        return [source.table for source in self.sources]

    def spill(self, index: int, part: int) -> Path:
        """The spilled rows of file ``index`` in partition ``part``."""
        return self.directory / f"{index}-{part}.arrow"

    def __iter__(self) -> Iterator[list[RawTable]]:
        for part in range(self.count):
            tables = []
            for index, source in enumerate(self.sources):
                spill = self.spill(index, part)
                with pa.OSFile(str(spill), "rb") as handle:
                    table = pa.ipc.open_stream(handle).read_all()
                spill.unlink()
                lines = table.column(_LINE).to_numpy()
                raw = arrow_frame(source.path, source.header, lines, table.drop_columns([_LINE]))
                aliases.rename_columns(self.stem, raw)
                tables.append(raw)
            yield tables

    def close(self) -> None:
        """Remove the spilled files."""
        shutil.rmtree(self.directory, ignore_errors=True)


def _split_bytes(stem: str, paths: list[Path]) -> int:
    """The bytes of ``stem``'s files when they are split (see ``split``: plain CSV is seen
    only when read), else 0."""
    if stem not in KEYS or not paths or any(path.suffix.lower() != ".csv" for path in paths):
        return 0
    size = sum(path.stat().st_size for path in paths)
    return size if size > PARTITION_BYTES else 0


def room_needed(stems: Iterable[tuple[str, list[Path]]], waiting: Collection[str]) -> int:
    """About the most bytes a load of ``stems`` (in load order, with their files) holds in
    ``TMPDIR`` at once: a stem's partition files, beside the rows of the split stems before it
    that wait to be written (those in ``waiting``)."""
    most = held = 0.0
    for stem, paths in stems:
        size = _split_bytes(stem, paths)
        most = max(most, held + SPLIT_RATIO * size)
        held += WAITING_RATIO * size if stem in waiting else 0
    return math.ceil(most)


def split(stem: str, paths: list[Path], today: date) -> Partitions | None:
    """``stem``'s files split into partitions, or None when it is validated whole: not a stem
    of ``KEYS``, files of ``PARTITION_BYTES`` or less, or a file that is not plain CSV."""
    size = _split_bytes(stem, paths)
    if not size:
        return None
    count = math.ceil(size / PARTITION_BYTES)
    parts = Partitions(stem, count, Path(tempfile.mkdtemp(prefix=f"tracer-{stem}-")))
    try:
        for index, path in enumerate(paths):
            parts.sources.append(_split_file(parts, index, path, today))
    except NotPlain:
        parts.close()
        return None
    except BaseException:
        parts.close()
        raise
    return parts


def _split_file(parts: Partitions, index: int, path: Path, today: date) -> _Source:
    """Spill one file's rows to its partition files; its header and report table."""
    pieces = plain_pieces(path)
    first = next(pieces)
    header = first.header
    table = arrow_frame(path, header, np.empty(0, dtype=np.int64), empty_columns(len(header)))
    aliases.rename_columns(parts.stem, table)
    key = KEYS[parts.stem]
    lower = [name.strip().lower() for name in header]
    places = {
        column: lower.index(table.columns[column].lower())
        for column in key.cells
        if column in table.columns
    }
    fields = [pa.field(f"c{i}", pa.string()) for i in range(len(header))]
    schema = pa.schema([*fields, pa.field(_LINE, pa.int64())])
    sinks = [pa.OSFile(str(parts.spill(index, part)), "wb") for part in range(parts.count)]
    writers = [pa.ipc.new_stream(sink, schema) for sink in sinks]
    try:
        for piece in itertools.chain([first], pieces):
            where = _partition(parts, piece, places, key, path, today)
            order = np.argsort(where, kind="stable")  # by partition, in file order within one
            rows = piece.table.append_column(_LINE, pa.array(piece.lines, pa.int64()))
            rows = rows.take(pa.array(order))
            ends = np.cumsum(np.bincount(where, minlength=parts.count))
            for part, writer in enumerate(writers):
                start = int(ends[part - 1]) if part else 0
                writer.write_table(rows.slice(start, int(ends[part]) - start))
    finally:
        for writer, sink in zip(writers, sinks, strict=True):
            writer.close()
            sink.close()
    return _Source(path, header, table)


def _partition(
    parts: Partitions,
    piece: PlainPiece,
    places: dict[str, int],
    key: KeyCells,
    path: Path,
    today: date,
) -> np.ndarray:
    """Each row's partition: a stable hash of its key token (0 for all when the file has no key
    column: its rows are all rejected)."""
    if key.cell not in places:
        return np.zeros(piece.table.num_rows, dtype=np.int64)
    cells = piece.table.column(places[key.cell])
    normal = pc.match_substring_regex(cells, key.normal)
    if key.kind is not None and key.kind in places:
        kinds = piece.table.column(places[key.kind])
        normal = pc.and_(normal, pc.is_in(kinds, pa.array(["", "RESIDENT_ID"])))
    fast = normal.to_numpy(zero_copy_only=False)
    tokens = cells.to_numpy(zero_copy_only=False)
    slow = np.flatnonzero(~fast)
    if len(slow):
        rows = pa.array(slow)
        frame = pd.DataFrame(
            {
                column: piece.table.column(place).take(rows).to_numpy(zero_copy_only=False)
                for column, place in places.items()
            }
        )
        frame[LINE] = piece.lines[slow]
        frame[FILE] = path.name
        batch = Batch(Spec(parts.stem, ()), [RawTable(path, frame, {c: c for c in places})])
        tokens[slow] = key.token(batch, today).fillna("").to_numpy(dtype=object)
    return (pd.util.hash_array(tokens) % np.uint64(parts.count)).astype(np.int64)
