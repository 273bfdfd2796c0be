"""What both interchange readers share: the per-stem tables they build and the statements they
reject before validation (each with a reason code, never dropped)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tracer.domain.masking import mask_number
from tracer.loaders.read import FILE, LINE, Malformed, RawTable, UnreadableFile, decode_csv
from tracer.loaders.specs import SPECS, Spec

#: Interchange-only stems, validated and written after the data stems (extras.py).
EXTRA_SPECS = {
    spec.stem: spec
    for spec in (
        Spec(
            "external_ids",
            ("subject_kind", "subject_id", "kind", "value"),
        ),
        Spec(
            "external_listings",
            ("listing_id", "subject_kind", "subject_id"),
            (
                "source",
                "program",
                "reason",
                "authority",
                "country",
                "start_date",
                "end_date",
                "topics",
                "source_url",
            ),
        ),
        Spec("interchange_unmapped", ("statement",)),
    )
}
#: Statements the graph cannot hold are counted here (always rejected, with a reason code).
UNMAPPED = "interchange_unmapped"
#: Columns a data stem gets from interchange files besides its spec (none left since the
#: shareholdings loader took the range and record ids; kept for forward compatibility).
EXTRA_COLUMNS = {"shareholdings": ("share_min", "share_max", "record_id")}
_RAW_LIMIT = 2000


def spec(stem: str) -> Spec:
    """The columns of a data stem or an interchange-only stem."""
    return SPECS[stem] if stem in SPECS else EXTRA_SPECS[stem]


@dataclass
class Tables:
    """Rows by stem as the CSV reader would give them (string cells, ``_line`` = statement or
    entity number), and statements rejected before validation (stem ``interchange_unmapped``)."""

    path: Path
    rows: dict[str, list[tuple[int, dict[str, str | None]]]] = field(default_factory=dict)
    unmapped: list[Malformed] = field(default_factory=list)

    def add(self, stem: str, line: int, row: dict[str, Any]) -> None:
        """One row of ``stem`` from statement ``line``."""
        self.rows.setdefault(stem, []).append((line, {k: text(v) for k, v in row.items()}))

    def reject(self, line: int, reason: str, message: str, raw: Any) -> None:
        """A statement the graph cannot hold: rejected with ``reason`` (an upper-case code)."""
        self.unmapped.append(Malformed(line, f"[{reason}] {message}", raw_text(raw)))

    def tables(self) -> dict[str, RawTable]:
        """``{stem: RawTable}``: every column of the stem present (empty cells as None)."""
        out: dict[str, RawTable] = {}
        for stem, rows in self.rows.items():
            columns = list(dict.fromkeys([*spec(stem).columns, *EXTRA_COLUMNS.get(stem, ())]))
            data = {c: pd.Series([r.get(c) for _, r in rows], dtype=object) for c in columns}
            frame = pd.DataFrame(data, dtype=object)
            frame[LINE] = pd.Series([line for line, _ in rows], dtype="int64")
            frame[FILE] = self.path.name
            out[stem] = RawTable(self.path, frame, {c: c for c in columns})
        if self.unmapped:
            frame = pd.DataFrame({"statement": pd.Series([], dtype=object)})
            frame[LINE] = pd.Series([], dtype="int64")
            frame[FILE] = pd.Series([], dtype=object)
            out[UNMAPPED] = RawTable(
                self.path, frame, {"statement": "statement"}, malformed=list(self.unmapped)
            )
        return out


def text(value: Any) -> str | None:
    """A cell: None and blank strings as None, numbers without a trailing ``.0``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    result = str(value).strip()
    return result or None


def raw_text(value: Any) -> str:
    """A statement as JSON for the rejects file, cut at 2,000 characters."""
    return json.dumps(value, ensure_ascii=False, default=str)[:_RAW_LIMIT]


def subject_id(kind: str, key: str, id_type: str | None) -> str:
    """A subject cell as findings write it: a USCC, or ``ID_TYPE:number`` for a person."""
    return f"{id_type}:{key}" if kind == "PERSON" else key


def masked_identifier(scheme: str, value: str, person: bool) -> str:
    """``scheme:value`` as kept on a node: a person's document numbers masked (PIPL)."""
    return f"{scheme}:{mask_number(value) if person else value}"


def percent(value: Any) -> float | None:
    """A percentage (0-100) as a share 0..1 (None when absent or not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number / 100.0


def read_documents(path: Path) -> list[tuple[int, Any]]:
    """The objects of a ``.json`` array (numbered from 1) or ``.jsonl`` file (line numbers).

    A ``.json`` file that is not one JSON document is read as JSON lines (FtM tools write
    ``.ftm.json`` that way)."""
    content = decode_csv(path.read_bytes())
    if path.name.lower().endswith(".json"):
        try:
            document = json.loads(content)
        except json.JSONDecodeError:
            document = None
        else:
            items = document if isinstance(document, list) else [document]
            return list(enumerate(items, start=1))
    found: list[tuple[int, Any]] = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            found.append((number, _NotJson(exc.msg, line)))
    if not found and content.strip():
        raise UnreadableFile("FILE_FORMAT", "neither a JSON document nor JSON lines")
    return found


@dataclass(frozen=True)
class _NotJson:
    message: str
    line: str


def not_json(value: Any) -> tuple[str, str] | None:
    """``(message, raw line)`` when ``value`` stands for a line that was not JSON."""
    return (value.message, value.line) if isinstance(value, _NotJson) else None
