"""Interchange files: BODS 0.4 statements and FollowTheMoney entities in (and out).

A reader turns one file into ``{stem: RawTable}``, the shape the CSV reader gives, so its rows
go through the same validation, conflict and reject accounting; statements the graph cannot
hold are rejected with a reason code under the stem ``interchange_unmapped``.
"""

from __future__ import annotations

import re
from pathlib import Path

from tracer.loaders.batch import Batch, Reject
from tracer.loaders.interchange.bods import read_bods
from tracer.loaders.interchange.common import EXTRA_SPECS, spec
from tracer.loaders.interchange.extras import VALIDATORS, WRITERS
from tracer.loaders.interchange.ftm import read_ftm
from tracer.loaders.read import RawTable, is_interchange

#: The interchange-only stems, validated and written after the data stems.
STEMS = tuple(EXTRA_SPECS)
_CODE = re.compile(r"\[([A-Z][A-Z0-9_]+)\] ")

__all__ = ["STEMS", "VALIDATORS", "WRITERS", "is_interchange", "read", "recode", "spec"]


def read(path: Path) -> dict[str, RawTable]:
    """The tables of one interchange file (``UnreadableFile`` when it is no JSON at all)."""
    name = path.name.lower()
    return read_bods(path) if ".bods." in name else read_ftm(path)


def recode(batch: Batch) -> None:
    """Give statements rejected when read their own reason code (``[CODE] message``) instead of
    the generic ``ROW_MALFORMED``."""
    for index, reject in enumerate(batch.rejects):
        found = _CODE.match(reject.message) if reject.reason_code == "ROW_MALFORMED" else None
        if found is not None:
            batch.rejects[index] = Reject(
                reject.file,
                reject.line,
                "",
                found.group(1),
                reject.message[found.end() :],
                reject.raw_row,
            )
