"""Verification of the audit log against its keys and its heads kept elsewhere.

The chain proves the order and content of the entries that are there (an edited, inserted,
deleted or reordered line breaks a MAC, a ``prev`` link or the sequence; a chain recomputed
without the key does not verify). What the chain alone cannot prove — that nothing was cut from
its end, that the file was not emptied, deleted or replaced — is proved by the heads written
elsewhere: the signed head file, the checkpoints in Neo4j, and signed checkpoints an operator
keeps (``tracer audit checkpoint``). Each names an entry's sequence number and MAC; the log must
still hold that entry, with that MAC.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tracer.api.audit.keyring import Keyring
from tracer.api.audit.log import (
    KEY_ROTATED,
    TORN_LINE,
    AuditLog,
    entry_mac,
    legacy_hash,
    link_of,
    parse_entry,
    sign_head,
)
from tracer.queries.audit import Checkpoint


class SignedHead(Checkpoint):
    """A head with its signature (the head file, a checkpoint an operator keeps)."""

    signature: str


class VerifyReport(BaseModel):
    """Result of checking the log."""

    ok: bool
    entries: int
    legacy_entries: int = 0
    rotations: int = 0
    recovered_lines: int = 0
    heads_checked: int = 0
    broken_line: int | None = None
    broken_seq: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Expected:
    """An entry a head kept elsewhere says the log holds."""

    source: str
    seq: int
    mac: str


class _Broken(Exception):
    def __init__(self, reason: str, line: int | None = None, seq: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.line, self.seq = reason, line, seq


def _same(given: str, expected: str) -> bool:
    """Constant-time equality of two strings of any characters."""
    return hmac.compare_digest(given.encode(), expected.encode())


def read_signed_head(path: Path, ring: Keyring | None, source: str) -> Expected:
    """A signed head from a file, its signature and log id checked."""
    try:
        head = SignedHead.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise _Broken(f"{source} is missing or unreadable ({type(exc).__name__})") from exc
    key = ring.key(head.kid) if ring else None
    plain = Checkpoint(**head.model_dump(exclude={"signature"}))
    if key is None or not _same(sign_head(key, plain), head.signature):
        raise _Broken(f"{source} does not carry a valid signature of this log's keys")
    if ring is not None and head.log_id != ring.log_id:
        raise _Broken(f"{source} belongs to another log ({head.log_id})")
    return Expected(source, head.seq, head.mac)


def verify_log(
    log: AuditLog,
    checkpoints: Iterable[Checkpoint] = (),
    signed_heads: Iterable[Path] = (),
) -> VerifyReport:
    """Check the chain, the head file, ``checkpoints`` (from Neo4j) and operator-kept heads."""
    counts = {"entries": 0, "legacy_entries": 0, "rotations": 0, "recovered_lines": 0}
    try:
        ring = log.keyring.read()
        expected = _expectations(log, ring, checkpoints, signed_heads)
        _walk(log, ring, expected, counts)
    except _Broken as broken:
        return VerifyReport(
            ok=False,
            **counts,
            broken_line=broken.line,
            broken_seq=broken.seq,
            reason=broken.reason,
        )
    return VerifyReport(ok=True, **counts, heads_checked=len(expected))


def _expectations(
    log: AuditLog,
    ring: Keyring | None,
    checkpoints: Iterable[Checkpoint],
    signed_heads: Iterable[Path],
) -> list[Expected]:
    expected = []
    for checkpoint in checkpoints:
        if ring is not None and checkpoint.log_id != ring.log_id:
            raise _Broken(
                f"Neo4j holds checkpoints of another log ({checkpoint.log_id}) kept at this path: "
                "the log and its keyring were replaced"
            )
        source = f"the Neo4j checkpoint of entry {checkpoint.seq}"
        expected.append(Expected(source, checkpoint.seq, checkpoint.mac))
    expected += [read_signed_head(path, ring, f"checkpoint file {path}") for path in signed_heads]
    if log.head_path.exists():
        expected.append(read_signed_head(log.head_path, ring, "the head file"))
    elif _has_keyed_entries(log):
        raise _Broken(f"the head file {log.head_path.name} is missing")
    return expected


def _has_keyed_entries(log: AuditLog) -> bool:
    return any('"mac":' in line for _, line in log.entries())


def _walk(
    log: AuditLog, ring: Keyring | None, expected: list[Expected], counts: dict[str, int]
) -> None:
    wanted: dict[int, list[Expected]] = {}
    for item in expected:
        wanted.setdefault(item.seq, []).append(item)
    previous: dict[str, Any] | None = None
    signer: str | None = None
    for number, line in log.entries():
        seq = (previous["seq"] + 1) if previous else 1
        entry = parse_entry(line)
        if entry is None:
            raise _Broken(
                "not an audit entry (not a JSON object with a sequence number)", number, seq
            )
        problem = _problem(entry, previous, seq, ring, signer)
        if problem is not None:
            raise _Broken(problem, number, seq)
        for item in wanted.pop(seq, ()):
            if not _same(item.mac, link_of(entry)):
                raise _Broken(
                    f"{item.source} holds another MAC for entry {seq}: the log was rewritten",
                    number,
                    seq,
                )
        keyed = "mac" in entry
        counts["entries"] += 1
        counts["legacy_entries"] += 0 if keyed else 1
        counts["rotations"] += entry.get("event") == KEY_ROTATED
        counts["recovered_lines"] += entry.get("event") == TORN_LINE
        if keyed:
            signer = _next_signer(entry)
        previous = entry
    if wanted:
        last = previous["seq"] if previous else 0
        first = wanted[min(wanted)][0]
        raise _Broken(
            f"{first.source} records entry {first.seq}, but the log ends at entry {last}: "
            "entries were cut, or the file was emptied, deleted or replaced",
            None,
            last + 1,
        )


def _problem(
    entry: dict[str, Any],
    previous: dict[str, Any] | None,
    seq: int,
    ring: Keyring | None,
    signer: str | None,
) -> str | None:
    """Why ``entry`` breaks the chain, or None."""
    if entry["seq"] != seq:
        return f"sequence {entry['seq']}, expected {seq}"
    if entry.get("prev") != link_of(previous):
        return "prev does not match the MAC of the previous entry"
    if "mac" not in entry:
        if previous is not None and "mac" in previous:
            return "an unkeyed entry after keyed ones"
        if entry.get("hash") != legacy_hash(entry):
            return "hash does not match the entry's content"
        return None
    if ring is None:
        return "keyed entries, but no audit keyring to verify them with"
    key = ring.key(entry.get("kid"))
    if key is None:
        return f"signed with an unknown audit key {entry.get('kid')!r}"
    if signer is not None and key.kid != signer:
        return f"signed with key {key.kid!r} where {signer!r} was expected (no rotation recorded)"
    if not _same(str(entry["mac"]), entry_mac(key, entry)):
        return "MAC does not match the entry's content"
    return None


def _next_signer(entry: dict[str, Any]) -> str:
    """The key that must sign the entry after ``entry``."""
    if entry.get("event") == KEY_ROTATED:
        detail = entry.get("detail")
        to_kid = detail.get("to_kid") if isinstance(detail, dict) else None
        if isinstance(to_kid, str):
            return to_kid
    return str(entry["kid"])


def signed_head_document(log: AuditLog) -> dict[str, Any] | None:
    """The log's current head, signed, as an operator keeps it (None for an empty log)."""
    head = log.head()
    ring = log.keyring.read()
    key = ring.key(head.kid) if ring and head else None
    if head is None or key is None:
        return None
    document: dict[str, Any] = json.loads(head.model_dump_json())
    return {**document, "signature": sign_head(key, head)}
