"""Periods of the listing process (DOMAIN.md §8, §9): how long an initiating department has to
verify an objection, and how long an administrative listing's notice window runs before it may
be approved. Versioned rows of ``reference/process_periods.csv`` (``valid_from``, ``valid_to``,
``jurisdiction``), read from the package like ``department_kinds.csv``; a list type's own row
wins over the default row (empty ``list_type``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from functools import cache
from importlib import resources
from typing import Literal

from tracer.domain.timeline import OPEN_DAY
from tracer.queries.reference import EARLIEST_DAY, Row, pick

Process = Literal["OBJECTION_VERIFICATION", "NOTICE_WINDOW"]


def _day(text: str | None, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(text) if text else default


@cache
def process_rows() -> tuple[Row, ...]:
    """Every version of every process period, as shipped."""
    text = resources.files("tracer.queries").joinpath("reference", "process_periods.csv")
    return tuple(
        {
            "process": row["process"],
            "list_type": row["list_type"] or "",
            "days": int(row["days"]) if row["days"] else None,
            "valid_from": _day(row["valid_from"], EARLIEST_DAY),
            "valid_to": _day(row["valid_to"], OPEN_DAY),
            "jurisdiction": row["jurisdiction"] or "",
            "source": row["source"],
        }
        for row in csv.DictReader(io.StringIO(text.read_text(encoding="utf-8")))
    )


def process_days(
    process: Process, list_type: str | None, day: dt.date, region: str | None = None
) -> int | None:
    """The days ``process`` takes for a finding of ``list_type`` on ``day`` in ``region``: the
    list type's own row, else the default row; None when no row or an empty one (no such step,
    e.g. no notice for a court list)."""
    rows = [row for row in process_rows() if row["process"] == process]
    in_force = pick(rows, lambda row: row["list_type"], day, region)
    by_type = {row["list_type"]: row for row in in_force}
    found = by_type.get(list_type or "") or by_type.get("")
    return None if found is None else found["days"]
