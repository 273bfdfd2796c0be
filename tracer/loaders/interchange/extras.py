"""Validation and writes of the interchange-only stems: ``external_ids`` (other schemes'
identifiers and OpenSanctions topics, kept as node properties ``external_ids`` / ``topics``),
``external_listings`` (an FtM Sanction: an ``ExternalListing`` node linked to its subject, never
a finding) and ``interchange_unmapped`` (statements the graph cannot hold: all rejected)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from tracer.domain.clock import Clock
from tracer.domain.codes import SUBJECT_KINDS
from tracer.domain.keys import PersonKey
from tracer.loaders import checks, validate
from tracer.loaders.batch import Batch
from tracer.loaders.checks import Context
from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner

EXTERNAL_KINDS = ("ID", "TOPIC")
Progress = Callable[[int], None]


def _subjects(batch: Batch, ctx: Context) -> tuple[pd.Series, pd.Series]:
    kinds = checks.code(batch, "subject_kind", SUBJECT_KINDS)
    keys = validate.subject_keys(batch, ctx, kinds, "subject_id")
    validate._subject_references(batch, ctx, kinds, keys)
    return kinds, keys


def external_ids(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Identifiers of other schemes (``scheme:id``) and topics of a loaded subject."""
    checks.required(batch)
    kinds, keys = _subjects(batch, ctx)
    frame = pd.DataFrame(
        {
            "subject_kind": kinds,
            "subject": keys,
            "kind": checks.code(batch, "kind", EXTERNAL_KINDS),
            "value": batch.text("value"),
        }
    )
    rows = checks.dedupe(batch, frame, ["subject_kind", "subject", "kind", "value"])
    return rows[batch.good[rows.index]]


def external_listings(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Listings of other bodies (sanctions, PEP lists) against a loaded subject."""
    checks.required(batch)
    kinds, keys = _subjects(batch, ctx)
    frame = pd.DataFrame(
        {
            "listing_id": batch.text("listing_id"),
            "subject_kind": kinds,
            "subject": keys,
            **{
                name: batch.text(name)
                for name in (
                    "source",
                    "program",
                    "reason",
                    "authority",
                    "country",
                    "topics",
                    "source_url",
                )
            },
            "start_date": checks.dates(batch, "start_date"),
            "end_date": checks.dates(batch, "end_date"),
        }
    )
    checks.not_before(
        batch, frame["start_date"], frame["end_date"], "end_date", "end_date is before start_date"
    )
    rows = checks.dedupe(batch, frame, ["listing_id"])
    return rows[batch.good[rows.index]]


def unmapped(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Statements the graph cannot hold: every one was rejected when read."""
    return batch.frame.iloc[0:0]


VALIDATORS: dict[str, Callable[[Batch, Context], pd.DataFrame]] = {
    "external_ids": external_ids,
    "external_listings": external_listings,
    "interchange_unmapped": unmapped,
}


def _target(kind: str, key: Any) -> dict[str, Any]:
    if kind == "PERSON" and isinstance(key, PersonKey):
        return {"uscc": None, "id_type": key.id_type, "id_number": key.id_number}
    return {"uscc": key, "id_type": None, "id_number": None}


def _chunks(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def _run(
    runner: QueryRunner,
    name: str,
    params: list[dict[str, Any]],
    clock: Clock,
    batch_size: int,
    progress: Progress | None,
) -> int:
    written = 0
    for chunk in _chunks(params, batch_size):
        result = runner.write(cypher(name), rows=chunk, recorded_at=clock.now())
        written += int(result[0]["written"]) if result else 0
        if progress is not None:
            progress(len(chunk))
    return written


def write_external_ids(
    runner: QueryRunner,
    rows: pd.DataFrame,
    clock: Clock,
    batch_size: int,
    progress: Progress | None = None,
) -> int:
    """Add identifiers and topics to their subjects (a list property each; never removed)."""
    grouped: dict[tuple[str, Any], dict[str, list[str]]] = {}
    for kind, key, what, value in zip(
        rows["subject_kind"], rows["subject"], rows["kind"], rows["value"], strict=True
    ):
        entry = grouped.setdefault((kind, key), {"ids": [], "topics": []})
        entry["ids" if what == "ID" else "topics"].append(str(value))
    params = [{**_target(kind, key), **values} for (kind, key), values in grouped.items()]
    return _run(runner, "load_external_ids", params, clock, batch_size, progress)


def write_external_listings(
    runner: QueryRunner,
    rows: pd.DataFrame,
    clock: Clock,
    batch_size: int,
    progress: Progress | None = None,
) -> int:
    """MERGE ``ExternalListing`` nodes on ``listing_id`` and link them to their subject."""
    names = ("source", "program", "reason", "authority", "country", "source_url")
    params = []
    for record in rows.to_dict("records"):
        props = {name: record[name] for name in names if record[name] is not None}
        for name in ("start_date", "end_date"):
            if record[name] is not None:
                props[name] = record[name]
        if record["topics"]:
            props["topics"] = str(record["topics"]).split("|")
        params.append(
            {
                "listing_id": record["listing_id"],
                "props": props,
                **_target(record["subject_kind"], record["subject"]),
            }
        )
    return _run(runner, "load_external_listings", params, clock, batch_size, progress)


WRITERS: dict[str, Callable[[QueryRunner, pd.DataFrame, Clock, int, Progress | None], int]] = {
    "external_ids": write_external_ids,
    "external_listings": write_external_listings,
}
