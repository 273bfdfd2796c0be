"""The audit log's keys: the log's id and numbered HMAC keys, the newest signing new entries.

Kept in a JSON file (mode 0600) beside the log. Rotation adds a key and never removes one, so
entries signed before a rotation still verify. Writers take an exclusive ``flock`` and replace
the file atomically; readers reload it when it changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from tracer.domain.errors import TracerError
from tracer.graph.settings import get_clock


class AuditKey(BaseModel):
    """One HMAC key of the audit log."""

    kid: str
    secret: str
    created_at: dt.datetime

    def mac(self, payload: bytes) -> str:
        """HMAC-SHA256 of ``payload`` under this key, hex."""
        return hmac.new(self.secret.encode(), payload, hashlib.sha256).hexdigest()


class Keyring(BaseModel):
    """The log's id and its keys, oldest first; the last one signs new entries."""

    log_id: str
    keys: list[AuditKey]

    @property
    def current(self) -> AuditKey:
        """The key that signs new entries."""
        return self.keys[-1]

    def key(self, kid: str | None) -> AuditKey | None:
        """The key ``kid``, or None when the ring does not hold it."""
        return next((key for key in self.keys if key.kid == kid), None)


class KeyringDamaged(TracerError):
    """The keyring file exists but cannot be read."""

    title = "Audit keyring damaged"


def _new_key(number: int) -> AuditKey:
    return AuditKey(
        kid=f"k{number}", secret=secrets.token_urlsafe(48), created_at=get_clock().now()
    )


class AuditKeyring:
    """The keyring file: created on first use, rotated on request."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[tuple[int, int, int], Keyring] | None = None

    def read(self) -> Keyring | None:
        """The keyring, or None when there is none yet (never creates one)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if self._cache is None or self._cache[0] != version:
            try:
                ring = Keyring.model_validate_json(self.path.read_bytes())
            except ValueError as exc:
                raise KeyringDamaged(f"{self.path} is not a readable audit keyring") from exc
            if not ring.keys:
                raise KeyringDamaged(f"{self.path} holds no audit key")
            self._cache = (version, ring)
        return self._cache[1]

    def load(self) -> Keyring:
        """The keyring, created (a new log id and its first key) when there is none."""
        ring = self.read()
        if ring is not None:
            return ring
        with self._locked() as current:
            if current is None:
                current = Keyring(log_id=uuid.uuid4().hex, keys=[_new_key(1)])
                self._write(current)
        return self.read() or current

    def rotate(self) -> AuditKey:
        """Add a new signing key (older keys stay, for verification); returns it."""
        with self._locked() as current:
            if current is None:
                current = Keyring(log_id=uuid.uuid4().hex, keys=[_new_key(1)])
            key = _new_key(len(current.keys) + 1)
            self._write(current.model_copy(update={"keys": [*current.keys, key]}))
        return key

    @contextlib.contextmanager
    def _locked(self) -> Iterator[Keyring | None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_name(self.path.name + ".lock")
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield self.read()

    def _write(self, ring: Keyring) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(ring.model_dump(mode="json"), out, indent=1)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(self.path)
