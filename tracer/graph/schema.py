"""Apply the schema (constraints and indexes) idempotently."""

from __future__ import annotations

from functools import cache
from importlib import resources

import neo4j


@cache
def schema_statements() -> tuple[str, ...]:
    """The statements of ``schema.cypher``, comments removed."""
    text = resources.files("tracer.graph").joinpath("schema.cypher").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return tuple(stmt.strip() for stmt in body.split(";") if stmt.strip())


def apply_schema(driver: neo4j.Driver, database: str) -> int:
    """Create every constraint and index that is missing, wait for them; return the count."""
    with driver.session(database=database) as session:
        for statement in schema_statements():
            session.run(statement).consume()
        session.run("CALL db.awaitIndexes(300)").consume()
    return len(schema_statements())
