"""Checkpoints of the audit log in Neo4j: heads the log's writer cannot rewrite in its files."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner


class Checkpoint(BaseModel):
    """The head of an audit log at one entry: its sequence number and MAC."""

    log_id: str
    seq: int
    mac: str
    kid: str
    at: dt.datetime


def record_checkpoint(runner: QueryRunner, head: Checkpoint, log_path: str) -> bool:
    """Store ``head`` of the log at ``log_path``; False when a checkpoint of that entry already
    holds another MAC."""
    rows = runner.write(
        cypher("audit_checkpoint_record"),
        log_id=head.log_id,
        log_path=log_path,
        seq=head.seq,
        mac=head.mac,
        kid=head.kid,
        at=head.at.isoformat(),
    )
    return bool(rows and rows[0]["same"])


def checkpoints(runner: QueryRunner, log_id: str | None, log_path: str) -> list[Checkpoint]:
    """Every checkpoint of the log ``log_id`` or of any log kept at ``log_path``, oldest first."""
    rows = runner.read(cypher("audit_checkpoints"), log_id=log_id, log_path=log_path)
    return [Checkpoint(**row) for row in rows]
