"""Bulk look-ups of keys already in the graph (reference checks of the loader)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracer.domain.keys import PersonKey
from tracer.loaders.names import StoredName, name_key
from tracer.queries.catalogue import cypher
from tracer.queries.reference import snapshot
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

    def existing(self, entity: str, keys: Iterable[Any]) -> set[Any]:
        """The subset of ``keys`` present in the graph (``PersonKey`` for persons)."""
        query = cypher(_QUERIES[entity])
        wanted = list(dict.fromkeys(keys))
        found: set[Any] = set()
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            if entity == "person":
                params = [{"id_type": key.id_type, "id_number": key.id_number} for key in chunk]
                rows = self.runner.read(query, keys=params)
                found.update(PersonKey(row["id_type"], row["id_number"]) for row in rows)
            else:
                rows = self.runner.read(query, keys=chunk)
                found.update(str(row["key"]) for row in rows)
        return found

    def names(self, entity: str, keys: Iterable[Any]) -> dict[Any, StoredName]:
        """The stored name of each given person (``PersonKey``) or enterprise (USCC) that
        exists, with the names its recorded name changes hold."""
        wanted = list(dict.fromkeys(keys))
        found: dict[Any, StoredName] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            if entity == "person":
                params = [{"id_type": key.id_type, "id_number": key.id_number} for key in chunk]
                rows = self.runner.read(cypher("load_lookup_person_names"), keys=params)
            else:
                rows = self.runner.read(cypher("load_lookup_enterprise_names"), keys=chunk)
            for row in rows:
                key = (
                    PersonKey(row["id_type"], row["id_number"])
                    if entity == "person"
                    else str(row["key"])
                )
                known = frozenset(k for name in row["names"] if (k := name_key(name)))
                found[key] = StoredName(row["name"], known)
        return found

    def findings(self, finding_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored status and decision date of the given findings that exist."""
        wanted = list(dict.fromkeys(finding_ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), CHUNK):
            rows = self.runner.read(
                cypher("load_lookup_finding_states"), keys=wanted[start : start + CHUNK]
            )
            found.update({str(row["finding_id"]): row for row in rows})
        return found

    def reference_tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every version of every reference table installed in the graph (typed rows)."""
        return {stem: list(rows) for stem, rows in snapshot(self.runner).tables.items()}


class EmptyGraphKeys(GraphKeys):
    """The look-ups of a graph known to hold no data (an offline import replaces the store after
    ``ensure_empty``): no key exists, so none is sent; the reference tables are still read."""

    def existing(self, entity: str, keys: Iterable[Any]) -> set[Any]:
        """No key exists."""
        return set()

    def names(self, entity: str, keys: Iterable[Any]) -> dict[Any, StoredName]:
        """No subject exists, so none has a stored name."""
        return {}

    def findings(self, finding_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """No finding exists."""
        return {}
