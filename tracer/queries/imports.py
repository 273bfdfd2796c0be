"""What `tracer import` asks of the graph around an offline import: whether the database is
empty enough to be replaced, and the audit log's checkpoints to carry across the replacement."""

from __future__ import annotations

from typing import Any

from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner


def import_blockers(runner: QueryRunner) -> dict[str, int]:
    """Kinds of node (labels joined by ``:``) that make the database not empty for an offline
    import, with their counts; empty when only the audit log's checkpoints and the shipped
    reference tables are there."""
    rows = runner.read(cypher("import_blockers"))
    return {":".join(sorted(row["labels"])) or "(no label)": int(row["nodes"]) for row in rows}


def audit_checkpoints(runner: QueryRunner) -> list[dict[str, Any]]:
    """Every ``AuditCheckpoint`` node's properties."""
    return [dict(row["checkpoint"]) for row in runner.read(cypher("import_checkpoints_read"))]


def restore_checkpoints(runner: QueryRunner, checkpoints: list[dict[str, Any]]) -> int:
    """Write ``checkpoints`` back as they were; returns how many."""
    if not checkpoints:
        return 0
    rows = runner.write(cypher("import_checkpoints_restore"), checkpoints=checkpoints)
    return int(rows[0]["restored"]) if rows else 0


def forget_bookmarks(runner: QueryRunner) -> None:
    """Point the driver's query bookmarks at the replaced store: bookmarks of the old store name
    transactions the new one never had, and every later query would wait for them in vain."""
    with runner.driver.session(database=runner.database) as session:
        session.execute_write(lambda tx: tx.run("RETURN 1").consume())
        fresh = session.last_bookmarks()
    manager = runner.driver.execute_query_bookmark_manager
    manager.update_bookmarks(manager.get_bookmarks(), fresh.raw_values)
