"""The audit log: append-only JSON lines, keyed, numbered and chained.

Entry ``n`` carries ``seq`` = n, ``prev`` = the MAC of entry ``n-1`` (64 zeros for the first),
``kid`` (the signing key) and ``mac`` = HMAC-SHA256 of its own canonical JSON without ``mac``,
under that key. Without the key nobody can recompute the chain; the head (last ``seq`` and
``mac``) is written, signed, to a head file on every append and to Neo4j every N entries and on
shutdown (``sink``), so that a cut tail, an emptied or deleted file is detected
(``tracer.api.audit.verify``). A key rotation is itself an entry, signed with the old key and
naming the new one. A torn last line (a crash mid-write) is moved aside into a file of its own and
recorded by an entry; it never stops the log. Writers (several ``tracer serve`` workers, the CLI)
serialise on an exclusive ``flock`` of the log. Entries written by the first build (a bare
SHA-256 chain: ``hash`` instead of ``mac``) stay readable as a legacy prefix.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from tracer.api.audit.keyring import AuditKey, AuditKeyring, Keyring
from tracer.graph.settings import get_clock
from tracer.queries.audit import Checkpoint

LOG = logging.getLogger("tracer.api.audit")

GENESIS = "0" * 64
#: ``event`` of the entry that hands signing over to a new key (``detail.to_kid``).
KEY_ROTATED = "audit-key-rotated"
#: ``event`` of the entry that records a torn line moved aside.
TORN_LINE = "audit-torn-line-recovered"
_TAIL_CHUNK = 4096
#: Size of the head file's record (space-padded JSON, so every write covers the last one).
_HEAD_BYTES = 511
#: After a failed checkpoint, appends do not try again for this long.
CHECKPOINT_RETRY_SECONDS = 30.0
_SYSTEM = {"key_id": None, "key_name": "tracer", "role": "system", "method": "EVENT", "status": 0}

#: Stores a checkpoint elsewhere; returns False when that entry was checkpointed with another MAC.
CheckpointSink = Callable[[Checkpoint], bool]


def canonical(entry: dict[str, Any]) -> bytes:
    """The entry as the bytes that are signed and written."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_mac(key: AuditKey, entry: dict[str, Any]) -> str:
    """The MAC of an entry under ``key`` (``mac`` itself excluded)."""
    return key.mac(canonical({name: value for name, value in entry.items() if name != "mac"}))


def legacy_hash(entry: dict[str, Any]) -> str:
    """The first build's bare SHA-256 of an entry (``hash`` itself excluded)."""
    body = {name: value for name, value in entry.items() if name != "hash"}
    return hashlib.sha256(canonical(body)).hexdigest()


def link_of(entry: dict[str, Any] | None) -> str:
    """What the next entry's ``prev`` must be."""
    if entry is None:
        return GENESIS
    return str(entry.get("mac") or entry.get("hash"))


def parse_entry(raw: bytes | str) -> dict[str, Any] | None:
    """A line as an entry (a JSON object with a ``seq``), or None."""
    try:
        entry = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return entry if isinstance(entry, dict) and isinstance(entry.get("seq"), int) else None


def sign_head(key: AuditKey, head: Checkpoint) -> str:
    """The signature of a head (the head file, ``tracer audit checkpoint``)."""
    return key.mac(canonical(head.model_dump(mode="json")))


def _last_line(handle: BinaryIO) -> tuple[int, bytes] | None:
    """``(offset, bytes)`` of the file's last line, its newline included when there is one."""
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
        cut = buffer.rfind(b"\n", 0, len(buffer) - 1)
        if cut >= 0:
            return position + cut + 1, buffer[cut + 1 :]
    return 0, buffer


class AuditLog:
    """Appends keyed, chained entries; reads them back."""

    def __init__(
        self,
        path: Path,
        keyring: AuditKeyring,
        *,
        fsync: bool = True,
        checkpoint_every: int = 100,
        sink: CheckpointSink | None = None,
    ) -> None:
        self.path = path
        #: The signed head of the log, rewritten on every append.
        self.head_path = path.with_name(path.name + ".head")
        self.keyring = keyring
        self.fsync = fsync
        self.checkpoint_every = checkpoint_every
        self.sink = sink
        #: The head a checkpoint that fell due sends (``checkpoint_due``), None when none is owed.
        self._due: Checkpoint | None = None
        #: ``_due`` is set by appends and taken by ``checkpoint_due``, which the group commit
        #: runs in a thread of its own while the next group is appended.
        self._due_lock = threading.Lock()
        #: Whether the last checkpoint failed (then the first append past the pause sends its own
        #: head), and when a retry may start.
        self._checkpoint_failed = False
        self._checkpoint_retry_at = 0.0

    # -- writing -------------------------------------------------------------------------------
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
        return self.append_many([request_payload(actor, method, endpoint, status, subjects)], at)[0]

    def append_many(
        self,
        payloads: Sequence[dict[str, Any]],
        at: dt.datetime | None = None,
        *,
        checkpoint: bool = True,
    ) -> list[dict[str, Any]]:
        """Write one entry per payload (``request_payload``), in order, under one exclusive file
        lock with one fsync and one head write (a group commit): all are durable on return.
        With ``checkpoint`` False a checkpoint that falls due is left to ``checkpoint_due``
        (the caller answers first, then stores the head)."""
        if not payloads:
            return []
        ring = self.keyring.load()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            stamp = at or get_clock().now()
            last = self._recover_tail(handle, ring, stamp)
            before = last["seq"] if last else 0
            if last is not None and "mac" in last and last.get("kid") != ring.current.kid:
                old = ring.key(last.get("kid")) or ring.current
                detail = {"from_kid": last.get("kid"), "to_kid": ring.current.kid}
                last = self._write(handle, old, last, stamp, _event(KEY_ROTATED, detail))
            entries = []
            for payload in payloads:
                last = self._write(handle, ring.current, last, stamp, payload)
                entries.append(last)
            self._sync(handle)
            head = _head(ring, entries[-1])
            self._write_head(ring.current, head)
        # due on the first entry and whenever these appends passed a multiple of N (events such
        # as a rotation may write more than one entry)
        seq = entries[-1]["seq"]
        passed = before == 0 or seq // self.checkpoint_every > before // self.checkpoint_every
        if passed or (self._checkpoint_failed and self._pause_over()):
            with self._due_lock:
                self._due = head
        if checkpoint:
            self.checkpoint_due()
        return entries

    def _pause_over(self) -> bool:
        return time.monotonic() >= self._checkpoint_retry_at

    @property
    def checkpoint_is_due(self) -> bool:
        """Whether ``checkpoint_due`` would send a head now."""
        return self._due is not None and self._pause_over()

    def checkpoint_due(self) -> None:
        """Send the head that fell due to the sink: the first entry's, the one that passed a
        multiple of N entries, or after a failed checkpoint the first one past the pause."""
        with self._due_lock:
            head = self._due
            if head is None or not self._pause_over():
                return
            self._due = None  # a newer one may fall due while this one is sent
        self.checkpoint(head)

    def _write(
        self,
        handle: BinaryIO,
        key: AuditKey,
        last: dict[str, Any] | None,
        at: dt.datetime,
        payload: dict[str, Any],
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "seq": last["seq"] + 1 if last else 1,
            "at": at.isoformat(),
            **payload,
            "kid": key.kid,
            "prev": link_of(last),
        }
        entry["mac"] = entry_mac(key, entry)
        handle.write(canonical(entry) + b"\n")
        return entry

    def _sync(self, handle: BinaryIO) -> None:
        handle.flush()
        if self.fsync:
            os.fsync(handle.fileno())

    def _recover_tail(
        self, handle: BinaryIO, ring: Keyring, at: dt.datetime
    ) -> dict[str, Any] | None:
        """The last entry, after moving aside (and recording) any torn line at the end."""
        torn: list[dict[str, Any]] = []
        while (tail := _last_line(handle)) is not None:
            offset, raw = tail
            entry = parse_entry(raw) if raw.endswith(b"\n") else None
            if entry is not None:
                break
            torn.append(self._set_aside(handle, offset, raw))
        last = None if tail is None else parse_entry(tail[1])
        for detail in torn:
            LOG.warning(
                "audit log %s: a torn last line (%d bytes) was moved to %s",
                self.path,
                detail["bytes"],
                detail["moved_to"],
            )
            last = self._write(handle, ring.current, last, at, _event(TORN_LINE, detail))
        return last

    def _set_aside(self, handle: BinaryIO, offset: int, raw: bytes) -> dict[str, Any]:
        """Copy a torn line into a file of its own and cut it from the log."""
        stamp = get_clock().now().strftime("%Y%m%dT%H%M%S%f")
        aside = self.path.with_name(f"{self.path.name}.torn-{stamp}-{secrets.token_hex(3)}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        handle.truncate(offset)
        self._sync(handle)
        return {
            "bytes": len(raw),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "moved_to": aside.name,
            "offset": offset,
        }

    def _write_head(self, key: AuditKey, head: Checkpoint) -> None:
        """Overwrite the head file in place with one write of a fixed-size record (cheaper than
        a new file and a rename on every entry; the log's own lock serialises writers)."""
        signed = {**head.model_dump(mode="json"), "signature": sign_head(key, head)}
        record = canonical(signed).ljust(_HEAD_BYTES) + b"\n"
        fd = os.open(self.head_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, record, 0)
        finally:
            os.close(fd)

    # -- checkpoints ---------------------------------------------------------------------------
    def head(self) -> Checkpoint | None:
        """The head of the log as it is now (None for an empty log or one without a keyring)."""
        ring = self.keyring.read()
        try:
            with self.path.open("rb") as handle:
                tail = _last_line(handle)
        except FileNotFoundError:
            return None
        last = parse_entry(tail[1]) if tail else None
        if ring is None or last is None or "mac" not in last:
            return None
        return _head(ring, last)

    def checkpoint(self, head: Checkpoint | None = None) -> bool:
        """Send the head to the sink; a failure is logged and retried with the first append
        after ``CHECKPOINT_RETRY_SECONDS`` (requests do not wait on a database that is down)."""
        head = head or self.head()
        if self.sink is None or head is None:
            return False
        try:
            same = self.sink(head)
        except Exception as exc:  # the sink is a database: any failure is retried later
            self._checkpoint_failed = True
            with self._due_lock:
                self._due = self._due or head
            self._checkpoint_retry_at = time.monotonic() + CHECKPOINT_RETRY_SECONDS
            LOG.warning("audit checkpoint of entry %d not stored: %s", head.seq, type(exc).__name__)
            return False
        self._checkpoint_failed = False
        if not same:
            LOG.error("audit entry %d was checkpointed earlier with another MAC", head.seq)
        return same

    # -- reading -------------------------------------------------------------------------------
    def entries(self) -> Iterator[tuple[int, str]]:
        """``(line number, raw line)`` of every line."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                yield number, line.rstrip("\n")

    def find(self, subject: str) -> list[dict[str, Any]]:
        """Every entry that names ``subject`` (e.g. a ``person:…`` reference)."""
        found = []
        for _, line in self.entries():
            if subject not in line:
                continue
            entry = parse_entry(line)
            if entry is not None and subject in entry.get("subjects", ()):
                found.append(entry)
        return found


def request_payload(
    actor: dict[str, Any], method: str, endpoint: str, status: int, subjects: Sequence[str]
) -> dict[str, Any]:
    """What an entry records of a request (``AuditLog.append_many`` adds seq, time, chain)."""
    return {
        **actor,
        "method": method,
        "endpoint": endpoint,
        "status": status,
        "subjects": list(subjects),
    }


def _event(name: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {**_SYSTEM, "endpoint": name, "subjects": [], "event": name, "detail": detail}


def _head(ring: Keyring, entry: dict[str, Any]) -> Checkpoint:
    return Checkpoint(
        log_id=ring.log_id,
        seq=entry["seq"],
        mac=entry["mac"],
        kid=entry["kid"],
        at=dt.datetime.fromisoformat(entry["at"]),
    )
