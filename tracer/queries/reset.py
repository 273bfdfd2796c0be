"""Emptying the graph for ``tracer db reset``: every node and relationship except the audit
log's checkpoints, in batches (one transaction each), so a large graph never has to fit in the
heap at once."""

from __future__ import annotations

from collections.abc import Callable

from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner

#: Nodes deleted per transaction (with their relationships).
RESET_BATCH = 10_000


def empty_graph(
    runner: QueryRunner,
    batch_size: int = RESET_BATCH,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Delete every node but the ``AuditCheckpoint`` ones, ``batch_size`` at a time; returns
    how many were deleted (``progress`` gets the running total after each batch)."""
    deleted = 0
    while True:
        rows = runner.write(cypher("db_reset_delete"), batch=batch_size)
        count = int(rows[0]["deleted"]) if rows else 0
        if count == 0:
            return deleted
        deleted += count
        if progress is not None:
            progress(deleted)
