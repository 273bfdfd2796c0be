"""Bulk look-ups of keys already in the graph (reference checks of the loader)."""

from __future__ import annotations

from collections.abc import Iterable

from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner

_QUERIES = {
    "department": "load_lookup_departments",
    "enterprise": "load_lookup_enterprises",
    "person": "load_lookup_persons",
    "finding": "load_lookup_findings",
}
CHUNK = 10_000


class GraphKeys:
    """Answers "which of these keys exist?" with one query per 10,000 keys."""

    def __init__(self, runner: QueryRunner) -> None:
        self.runner = runner

    def existing(self, entity: str, keys: Iterable[str]) -> set[str]:
        """The subset of ``keys`` present in the graph. Person keys are ``ID_TYPE:number``."""
        query = cypher(_QUERIES[entity])
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            if entity == "person":
                pairs = [key.split(":", 1) for key in chunk]
                params = [{"id_type": kind, "id_number": number} for kind, number in pairs]
                rows = self.runner.read(query, keys=params)
                found.update(f"{row['id_type']}:{row['id_number']}" for row in rows)
            else:
                rows = self.runner.read(query, keys=chunk)
                found.update(str(row["key"]) for row in rows)
        return found

    def list_types(self) -> dict[str, str | None]:
        """Every ListType code in the graph with its category."""
        rows = self.runner.read(cypher("load_lookup_list_types"))
        return {str(row["code"]): row["category"] for row in rows}
