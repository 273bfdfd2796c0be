"""API keys in a JSON file under the tracer home: random, shown once, stored salted-hashed.

A key reads ``trk_<key_id>_<secret>``. The file keeps, per key, its id, name, role,
department, a random salt and ``sha256(salt || secret)`` — never the secret — and when it
expires, was revoked and was last used (recorded at most once a minute per key). Writers take an
exclusive ``flock`` and replace the file atomically, so the CLI may add or revoke keys while
``tracer serve`` workers run; readers reload the file when its modification time changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from tracer.api.roles import Principal, Role
from tracer.domain.errors import InvalidInput, NotFound, Unauthorized
from tracer.graph.settings import get_clock

_KEY = re.compile(r"^trk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


class KeyRecord(BaseModel):
    """One stored key (the secret itself is not stored)."""

    key_id: str
    name: str
    role: Role
    department: str | None = None
    salt: str
    digest: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None

    def principal(self) -> Principal:
        """The caller this key authenticates."""
        return Principal(self.key_id, self.name, self.role, self.department)


class KeyInfo(BaseModel):
    """A key as listed (no salt, no digest)."""

    key_id: str
    name: str
    role: Role
    department: str | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    expires_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None


class NewKey(KeyInfo):
    """A freshly created key: ``key`` is shown this once and never again."""

    key: str


#: How often the last-used time of a key is written (at most).
LAST_USED_EVERY = dt.timedelta(minutes=1)


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode()).hexdigest()


class KeyStore:
    """The key file: create, list, revoke and authenticate keys."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[tuple[int, int, int], dict[str, KeyRecord]] | None = None
        self._used: dict[str, dt.datetime] = {}

    # -- file access -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, KeyRecord]]:
        """Exclusive access; the yielded mapping is written back atomically on exit."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_name(self.path.name + ".lock")
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            records = self._read()
            yield records
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                json.dump(
                    [record.model_dump(mode="json") for record in records.values()], out, indent=1
                )
            temporary.replace(self.path)

    def _read(self) -> dict[str, KeyRecord]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        records = (KeyRecord.model_validate(item) for item in raw)
        return {record.key_id: record for record in records}

    def _current(self) -> dict[str, KeyRecord]:
        """The records, re-read only when the file changed."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if self._cache is None or self._cache[0] != version:
            self._cache = (version, self._read())
        return self._cache[1]

    # -- operations ------------------------------------------------------------------------
    def create(
        self,
        role: Role,
        name: str,
        department: str | None = None,
        expires_at: dt.datetime | None = None,
    ) -> NewKey:
        """A new random key; implementers must name their department."""
        if role is Role.IMPLEMENTER and not department:
            raise InvalidInput("an implementer key needs --department (its department code)")
        now = get_clock().now()
        if expires_at is not None and expires_at <= now:
            raise InvalidInput("a key's expiry must lie in the future")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        salt = secrets.token_hex(16)
        record = KeyRecord(
            key_id=key_id,
            name=name,
            role=role,
            department=department,
            salt=salt,
            digest=_digest(salt, secret),
            created_at=now,
            expires_at=expires_at,
        )
        with self._locked() as records:
            records[key_id] = record
        return NewKey(**_info(record).model_dump(), key=f"trk_{key_id}_{secret}")

    def rotate(self, key_id: str, grace: dt.timedelta | None = None) -> NewKey:
        """A new key with the same name, role, department and lifetime; the old one is revoked
        now, or expires after ``grace`` (time to deploy the new one)."""
        old = self._read().get(key_id)
        if old is None:
            raise NotFound(f"no API key with id {key_id!r}")
        if old.revoked_at is not None:
            raise InvalidInput(f"API key {key_id} is revoked: create a new one instead")
        now = get_clock().now()
        lifetime = old.expires_at - old.created_at if old.expires_at else None
        new = self.create(old.role, old.name, old.department, now + lifetime if lifetime else None)
        with self._locked() as records:
            current = records[key_id]
            if grace is None or grace <= dt.timedelta(0):
                records[key_id] = current.model_copy(update={"revoked_at": now})
            else:
                ends = min(now + grace, current.expires_at or now + grace)
                records[key_id] = current.model_copy(update={"expires_at": ends})
        return new

    def list_keys(self) -> list[KeyInfo]:
        """Every key, revoked ones included, oldest first."""
        records = sorted(self._read().values(), key=lambda r: r.created_at)
        return [_info(record) for record in records]

    def revoke(self, key_id: str) -> KeyInfo:
        """Revoke a key (kept in the file for the record); idempotent."""
        with self._locked() as records:
            record = records.get(key_id)
            if record is None:
                raise NotFound(f"no API key with id {key_id!r}")
            if record.revoked_at is None:
                record = record.model_copy(update={"revoked_at": get_clock().now()})
                records[key_id] = record
        return _info(record)

    def authenticate(self, presented: str) -> Principal:
        """The principal of a presented key; ``Unauthorized`` for anything else."""
        match = _KEY.match(presented)
        record = self._current().get(match.group(1)) if match else None
        expected = record.digest if record else _digest("00", "")
        given = _digest(record.salt if record else "00", match.group(2) if match else "")
        if not hmac.compare_digest(expected, given) or record is None or match is None:
            raise Unauthorized("unknown or malformed API key")
        if record.revoked_at is not None:
            raise Unauthorized("this API key has been revoked")
        now = get_clock().now()
        if record.expires_at is not None and now >= record.expires_at:
            raise Unauthorized("this API key has expired")
        self._note_use(record.key_id, now)
        return record.principal()

    def _note_use(self, key_id: str, now: dt.datetime) -> None:
        """Record the key's last use, at most once per ``LAST_USED_EVERY`` (best effort: a key
        file that cannot be written never refuses a request)."""
        noted = self._used.get(key_id)
        if noted is not None and now - noted < LAST_USED_EVERY:
            return
        self._used[key_id] = now
        try:
            with self._locked() as records:
                record = records.get(key_id)
                if record is not None:
                    records[key_id] = record.model_copy(update={"last_used_at": now})
        except OSError:
            return


def _info(record: KeyRecord) -> KeyInfo:
    return KeyInfo(**record.model_dump(exclude={"salt", "digest"}))
