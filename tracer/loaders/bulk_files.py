"""The offline importer's input: the registry stems' validated rows as Neo4j import CSV files.

The files are made from the MERGE loader's own parameter rows (``write.STEPS``), so every
property is the one ``tracer load`` would set; each loader statement has one shape here (a node,
a relationship, or both) that says what its MERGE creates in an empty graph. Rows are written
in chunks, each chunk a file with its own typed header (``name:date``, ``:START_ID(Person)`` …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv

from tracer.domain.clock import Clock
from tracer.loaders.write import STEPS, Param, name_table
from tracer.queries.names import NameKeyTable

#: The stems the offline import writes (registry data, ≈ 99 % of a national data set's rows);
#: the others follow through the MERGE loader once the imported store is started.
BULK_STEMS = (
    "departments",
    "enterprises",
    "persons",
    "positions",
    "shareholdings",
    "practitioners",
    "employments",
)
#: The importer's own report of bad entries (none are tolerated), beside the files.
REPORT_FILE = "import.report"
#: Validated rows per chunk (one CSV file per shape and chunk).
CHUNK_ROWS = 200_000
#: Present beside an import's files while they are written (gone once they are complete, or
#: imported): files found with it are an interrupted run's, which the next run replaces.
UNFINISHED = ".tracer-import-unfinished"
#: The names of the files a run writes (``0001-Person.csv`` …).
FILE_PATTERN = "[0-9][0-9][0-9][0-9]-*.csv"

Key = Callable[[Param], str]
Props = Callable[[Param], dict[str, Any]]


def person_id(id_type: object, id_number: object) -> str:
    """A person's import id: the key of DOMAIN §2 (id_type, id_number) as one string."""
    return f"{id_type}:{id_number}"


@dataclass(frozen=True)
class NodeShape:
    """A node one loader row MERGEs on its key: label, import id, every property."""

    label: str
    key: Key
    props: Props
    first_wins: bool = False  # ``ON CREATE SET`` (the first row's properties are kept)


@dataclass(frozen=True)
class RelShape:
    """A relationship one loader row MERGEs: type, (ID space, id) of both ends, properties."""

    type: str
    start: tuple[str, Key]
    end: tuple[str, Key]
    props: Props
    once: bool = False  # MERGEd without properties: one relationship per pair of ends


Shape = NodeShape | RelShape


def _field(name: str) -> Key:
    return lambda row: str(row[name])


def _person(id_type: str, id_number: str) -> Key:
    return lambda row: person_id(row[id_type], row[id_number])


def _none(_row: Param) -> dict[str, Any]:
    return {}


def _name_change(owner: str, key: Key, recorded_at: dt.datetime) -> list[Shape]:
    return [
        NodeShape(
            "NameChange",
            _field("change_id"),
            lambda row: {"change_id": row["change_id"], **row["props"], "recorded_at": recorded_at},
            first_wins=True,
        ),
        RelShape(
            "NAME_CHANGED", (owner, key), ("NameChange", _field("change_id")), _none, once=True
        ),
    ]


def _owns(holder: tuple[str, Key]) -> list[Shape]:
    """An OWNS edge from ``holder`` to the investee, keyed by its start key."""
    return [
        RelShape(
            "OWNS",
            holder,
            ("Enterprise", _field("investee")),
            lambda r: {"start_key": r["start_key"], **r["props"]},
        )
    ]


def _employment(row: Param) -> dict[str, Any]:
    props = {"start_date": row["start_date"], **row["props"]}
    if props.get("public_sector") is None:
        props["public_sector"] = False
    return props


def shapes(recorded_at: dt.datetime) -> dict[str, list[Shape]]:
    """What each registry loader statement (``load_*.cypher``) creates in an empty graph."""
    person = ("Person", _person("id_type", "id_number"))
    uscc = ("Enterprise", _field("uscc"))
    return {
        "load_departments": [
            NodeShape("Department", _field("code"), lambda r: {"code": r["code"], **r["props"]})
        ],
        "load_department_superiors": [
            RelShape(
                "REPORTS_TO",
                ("Department", _field("code")),
                ("Department", _field("superior_code")),
                _none,
            )
        ],
        "load_enterprises": [
            NodeShape("Enterprise", _field("uscc"), lambda r: {"uscc": r["uscc"], **r["props"]})
        ],
        "load_enterprise_supervisors": [
            RelShape("SUPERVISED_BY", uscc, ("Department", _field("department")), _none)
        ],
        "load_enterprise_name_changes": _name_change("Enterprise", _field("uscc"), recorded_at),
        "load_persons": [
            NodeShape(
                "Person",
                person[1],
                lambda r: {"id_type": r["id_type"], "id_number": r["id_number"], **r["props"]},
            )
        ],
        "load_person_name_changes": _name_change("Person", person[1], recorded_at),
        "load_positions": [
            RelShape(
                "HOLDS",
                person,
                uscc,
                lambda r: {
                    "role": r["role"],
                    "start_date": r["start_date"],
                    "end_date": r["end_date"],
                },
            )
        ],
        "load_shareholdings_person": _owns(("Person", _person("holder_id_type", "holder_id"))),
        "load_shareholdings_enterprise": _owns(("Enterprise", _field("holder_id"))),
        "load_shareholdings_department": _owns(("Department", _field("holder_id"))),
        "load_practitioners": [
            RelShape(
                "REGISTERED_AT",
                person,
                ("Enterprise", _field("uscc")),
                lambda r: (
                    {"qualification": r["qualification"], "start_date": r["start_date"]}
                    | r["props"]
                ),
            )
        ],
        "load_employments_enterprise": [
            RelShape("EMPLOYED_BY", person, ("Enterprise", _field("employer_id")), _employment)
        ],
        "load_employments_department": [
            RelShape("EMPLOYED_BY", person, ("Department", _field("employer_id")), _employment)
        ],
    }


class UnsupportedValue(TypeError):
    """A property value the import CSV format is not given a type for here (a defect)."""


#: Import header types of the Arrow types the loader's values become.
_TYPES = {
    pa.string(): "string",
    pa.float64(): "double",
    pa.int64(): "long",
    pa.bool_(): "boolean",
    pa.date32(): "date",
}
#: Every value quoted, nulls empty and unquoted: an empty string stays apart from no value.
_CSV = csv.WriteOptions(include_header=False, quoting_style="all_valid")


def _header_type(name: str, field: pa.Field) -> str:
    """The import header type of an Arrow field (a timezone-aware timestamp is a datetime)."""
    if pa.types.is_timestamp(field.type):
        return "datetime" if field.type.tz else "localdatetime"
    kind = _TYPES.get(field.type)
    if kind is None:
        raise UnsupportedValue(f"{name}.{field.name}: no import type for {field.type}")
    return kind


@dataclass
class ImportFiles:
    """The CSV files of one import, by label and relationship type, with their row counts."""

    directory: Path
    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    node_counts: dict[str, int] = field(default_factory=dict)
    relationship_counts: dict[str, int] = field(default_factory=dict)
    multiline: bool = False

    def arguments(self, relative: bool = False) -> list[str]:
        """The importer's options after ``database import full DATABASE`` (paths relative to
        the files' directory when ``relative``)."""

        def where(path: Path) -> str:
            return str(path.relative_to(self.directory) if relative else path)

        return [
            *(f"--nodes={label}={where(path)}" for label, path in self.nodes),
            *(f"--relationships={kind}={where(path)}" for kind, path in self.relationships),
            f"--report-file={where(self.directory / REPORT_FILE)}",
            "--overwrite-destination=true",
            "--bad-tolerance=0",
            "--skip-bad-relationships=false",
            "--skip-duplicate-nodes=false",
            f"--multiline-fields={'true' if self.multiline else 'false'}",
        ]


class _Writer:
    """Writes shape rows into numbered CSV files of ``files.directory``."""

    def __init__(self, files: ImportFiles) -> None:
        self.files = files
        self.serial = 0
        self.first_seen: set[str] = set()  # ids of first-wins nodes already written
        self.pairs_seen: set[tuple[str, str, str]] = set()  # ends of ``once`` relationships

    def write(self, shape: Shape, rows: list[Param]) -> None:
        if isinstance(shape, NodeShape):
            self._nodes(shape, rows)
        else:
            self._relationships(shape, rows)

    def _nodes(self, shape: NodeShape, rows: list[Param]) -> None:
        records = []
        for row in rows:
            key = shape.key(row)
            if shape.first_wins:
                if key in self.first_seen:
                    continue
                self.first_seen.add(key)
            records.append(([key], shape.props(row)))
        path = self._file(shape.label, [f":ID({shape.label})"], records)
        if path is not None:
            self.files.nodes.append((shape.label, path))
            counts = self.files.node_counts
            counts[shape.label] = counts.get(shape.label, 0) + len(records)

    def _relationships(self, shape: RelShape, rows: list[Param]) -> None:
        (start_space, start), (end_space, end) = shape.start, shape.end
        records = []
        for row in rows:
            ends = [start(row), end(row)]
            if shape.once:
                pair = (shape.type, ends[0], ends[1])
                if pair in self.pairs_seen:
                    continue
                self.pairs_seen.add(pair)
            records.append((ends, shape.props(row)))
        columns = [f":START_ID({start_space})", f":END_ID({end_space})"]
        path = self._file(shape.type, columns, records)
        if path is not None:
            self.files.relationships.append((shape.type, path))
            counts = self.files.relationship_counts
            counts[shape.type] = counts.get(shape.type, 0) + len(records)

    def _file(
        self, name: str, id_columns: list[str], records: list[tuple[list[str], dict[str, Any]]]
    ) -> Path | None:
        if not records:
            return None
        try:
            props = pa.array([props for _ids, props in records])
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise UnsupportedValue(f"{name}: {exc}") from exc
        columns: dict[str, pa.Array] = {
            column: pa.array([ids[index] for ids, _props in records], pa.string())
            for index, column in enumerate(id_columns)
        }
        for index in range(props.type.num_fields if pa.types.is_struct(props.type) else 0):
            field, values = props.type.field(index), props.field(index)
            if pa.types.is_null(field.type):
                continue  # absent in every row of this chunk: no property
            if pa.types.is_timestamp(field.type):
                values = pa.array(
                    [v.isoformat() if v is not None else None for v in values.to_pylist()]
                )
            elif pa.types.is_string(field.type) and not self.files.multiline:
                self.files.multiline = bool(pc.any(pc.match_substring_regex(values, "[\r\n]")))
            columns[f"{field.name}:{_header_type(name, field)}"] = values
        self.serial += 1
        path = self.files.directory / f"{self.serial:04d}-{name}.csv"
        with path.open("wb") as handle:
            handle.write((",".join(columns) + "\n").encode())
            csv.write_csv(pa.table(columns), handle, _CSV)
        return path


def _chunks(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), CHUNK_ROWS):
        yield frame.iloc[start : start + CHUNK_ROWS]


#: Names whose pinyin keys the writer keeps across a stem's partitions (≈ 350 bytes each):
#: personal names repeat, so a national register's cost stays near one computation a name.
NAMES_KEPT = 1 << 20
#: The stems whose names repeat across partitions. Enterprise names are distinct by law: a
#: table kept across their partitions would only hold memory.
NAMES_REPEAT = frozenset({"persons"})


class ImportFileWriter:
    """Writes the registry stems' validated rows (``BULK_STEMS``, in load order) as import CSV
    files in ``directory`` (created; must hold no earlier import's files), one stem at a time,
    so that each stem's rows can be released once written."""

    def __init__(self, directory: Path, clock: Clock) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        marker = directory / UNFINISHED
        if marker.exists():  # an interrupted run's files: replaced by this run's
            for path in directory.glob(FILE_PATTERN):
                path.unlink()
            (directory / REPORT_FILE).unlink(missing_ok=True)
        if any(directory.glob("*.csv")):
            raise FileExistsError(f"{directory} already holds CSV files: give an empty directory")
        marker.touch()
        self.files = ImportFiles(directory)
        self._writer = _Writer(self.files)
        self._shapes = shapes(clock.now())
        self._named: str | None = None
        self._names: NameKeyTable = {}

    def complete(self) -> None:
        """Mark the files complete (imported, or handed over): a later run refuses them."""
        (self.files.directory / UNFINISHED).unlink(missing_ok=True)

    def add(self, stem: str, rows: pd.DataFrame) -> None:
        """Write one stem's rows (a stem of ``BULK_STEMS``), or some of them: the rows of a
        stem validated in partitions come one partition at a time, and the pinyin keys of
        their names are kept (``NAMES_REPEAT``) until ``end`` (or ``NAMES_KEPT`` names)."""
        kept = self._named == stem and len(self._names) <= NAMES_KEPT
        names = name_table(stem, rows, self._names if kept else None)
        self._named, self._names = (stem, names) if stem in NAMES_REPEAT else (None, {})
        for chunk in _chunks(rows):
            for step in STEPS[stem](chunk, names):
                for shape in self._shapes[step.query]:
                    self._writer.write(shape, step.rows)

    def end(self, stem: str) -> None:
        """The stem's last rows were written: the names kept for it are dropped."""
        if self._named == stem:
            self._named, self._names = None, {}
