"""The audit log (DOMAIN.md §12): keyed, numbered, chained entries with heads kept elsewhere."""

from __future__ import annotations

from pathlib import Path

from tracer.api.audit.keyring import AuditKeyring
from tracer.api.audit.log import GENESIS, AuditLog, CheckpointSink
from tracer.api.audit.refs import SubjectRefs
from tracer.api.audit.verify import VerifyReport, verify_log
from tracer.api.settings import ApiSettings
from tracer.queries.audit import record_checkpoint
from tracer.queries.runner import QueryRunner

__all__ = [
    "GENESIS",
    "AuditKeyring",
    "AuditLog",
    "SubjectRefs",
    "VerifyReport",
    "checkpoint_sink",
    "open_audit_log",
    "verify_log",
]


def open_audit_log(settings: ApiSettings) -> AuditLog:
    """The deployment's audit log (no checkpoint sink until a database is at hand)."""
    return AuditLog(
        settings.audit_path,
        AuditKeyring(settings.audit_keys_path),
        fsync=settings.audit_fsync,
        checkpoint_every=settings.audit_checkpoint_every,
    )


def checkpoint_sink(runner: QueryRunner, log_path: Path) -> CheckpointSink:
    """A sink that records the log's heads in Neo4j."""
    path = str(log_path.resolve())
    return lambda head: record_checkpoint(runner, head, path)
