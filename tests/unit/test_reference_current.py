"""The statement that reads the installed reference tables names every table's label (it
cannot take them from a parameter without scanning the whole graph on every load)."""

from __future__ import annotations

import re

from tracer.queries.catalogue import cypher
from tracer.queries.reference import TABLES


def test_reference_current_matches_every_table_label() -> None:
    match = re.search(r"MATCH \(n:([A-Za-z|]+)\)", cypher("reference_current"))
    assert match is not None
    assert set(match.group(1).split("|")) == {table.label for table in TABLES.values()}
