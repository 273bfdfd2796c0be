"""The audit log: append-only JSON lines, each entry carrying the hash of the previous one.

Entry ``n`` holds ``prev`` = hash of entry ``n-1`` (64 zeros for the first) and ``hash`` =
sha256 of its own canonical JSON without ``hash``. Altering, removing or reordering any entry
breaks the chain from that entry on, and ``verify`` names the first broken one. Writers (several
``tracer serve`` workers) serialise on an exclusive ``flock`` of the file. Persons appear only as
``person:<HMAC>`` references (keyed by the server secret): an auditor holding the secret can
tell whether a given person was looked up; nobody can read an ID number from the log.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from tracer.graph.settings import get_clock

GENESIS = "0" * 64
_TAIL_CHUNK = 4096


def _canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: dict[str, Any]) -> str:
    """sha256 of the entry's canonical JSON, ``hash`` itself excluded."""
    body = {key: value for key, value in entry.items() if key != "hash"}
    return hashlib.sha256(_canonical(body)).hexdigest()


class SubjectRefs:
    """Audit references for subjects: persons keyed-hashed, organisations and findings plain."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def person(self, id_type: str, id_number: str) -> str:
        """``person:<hmac>`` of the normalised identifier."""
        message = f"{id_type}:{id_number}".encode()
        return "person:" + hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    @staticmethod
    def enterprise(uscc: str) -> str:
        """``enterprise:<USCC>``."""
        return f"enterprise:{uscc}"

    @staticmethod
    def finding(finding_id: str) -> str:
        """``finding:<id>``."""
        return f"finding:{finding_id}"

    @staticmethod
    def department(code: str) -> str:
        """``department:<code>``."""
        return f"department:{code}"


class VerifyReport(BaseModel):
    """Result of checking the chain."""

    ok: bool
    entries: int
    broken_line: int | None = None
    broken_seq: int | None = None
    reason: str | None = None


def _last_line(handle: BinaryIO) -> bytes | None:
    """The last complete line of an open file (None when empty)."""
    end = handle.seek(0, os.SEEK_END)
    if end == 0:
        return None
    buffer = b""
    position = end
    while position > 0:
        step = min(_TAIL_CHUNK, position)
        position -= step
        handle.seek(position)
        buffer = handle.read(step) + buffer
        body = buffer.rstrip(b"\n")
        cut = body.rfind(b"\n")
        if cut >= 0:
            return body[cut + 1 :]
    return buffer.rstrip(b"\n") or None


class AuditLog:
    """Appends chained entries and verifies the chain."""

    def __init__(self, path: Path, fsync: bool = True) -> None:
        self.path = path
        self.fsync = fsync

    def append(
        self,
        *,
        actor: dict[str, Any],
        method: str,
        endpoint: str,
        status: int,
        subjects: Sequence[str],
        at: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """Write one entry (under an exclusive file lock) and return it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            last = _last_line(handle)
            previous = json.loads(last) if last else None
            entry: dict[str, Any] = {
                "seq": previous["seq"] + 1 if previous else 1,
                "at": (at or get_clock().now()).isoformat(),
                **actor,
                "method": method,
                "endpoint": endpoint,
                "status": status,
                "subjects": list(subjects),
                "prev": previous["hash"] if previous else GENESIS,
            }
            entry["hash"] = entry_hash(entry)
            handle.write(_canonical(entry) + b"\n")
            handle.flush()
            if self.fsync:
                os.fsync(handle.fileno())
        return entry

    def entries(self) -> Iterator[tuple[int, str]]:
        """``(line number, raw line)`` of every line."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                yield number, line.rstrip("\n")

    def verify(self) -> VerifyReport:
        """Check every entry's hash, ``prev`` link and sequence; report the first break."""
        expected_prev, expected_seq, count = GENESIS, 1, 0
        for number, line in self.entries():
            problem = _check(line, expected_prev, expected_seq)
            if problem is not None:
                return VerifyReport(
                    ok=False,
                    entries=count,
                    broken_line=number,
                    broken_seq=expected_seq,
                    reason=problem,
                )
            entry = json.loads(line)
            expected_prev, expected_seq, count = entry["hash"], expected_seq + 1, count + 1
        return VerifyReport(ok=True, entries=count)

    def find(self, subject: str) -> list[dict[str, Any]]:
        """Every entry that names ``subject`` (e.g. a ``person:…`` reference)."""
        found = []
        for _, line in self.entries():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if subject in entry.get("subjects", ()):
                found.append(entry)
        return found


def _check(line: str, expected_prev: str, expected_seq: int) -> str | None:
    """Why ``line`` breaks the chain, or None."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError:
        return "not valid JSON"
    if not isinstance(entry, dict) or not isinstance(entry.get("hash"), str):
        return "not an audit entry"
    if entry.get("seq") != expected_seq:
        return f"sequence {entry.get('seq')!r}, expected {expected_seq}"
    if entry.get("prev") != expected_prev:
        return "prev does not match the hash of the previous entry"
    if entry_hash(entry) != entry["hash"]:
        return "hash does not match the entry's content"
    return None
