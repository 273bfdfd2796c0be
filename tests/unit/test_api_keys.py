"""API keys: shown once, stored salted-hashed, revocable, authenticated in constant form."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.domain.errors import InvalidInput, NotFound, Unauthorized


def test_created_key_authenticates_and_secret_is_not_stored(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    new = store.create(Role.IMPLEMENTER, "tax bureau", department="TAX01")
    principal = store.authenticate(new.key)
    assert (principal.key_id, principal.role, principal.department) == (
        new.key_id,
        Role.IMPLEMENTER,
        "TAX01",
    )
    stored = (tmp_path / "keys.json").read_text()
    secret = new.key.split("_", 2)[2]
    assert secret not in stored
    assert json.loads(stored)[0]["digest"]
    assert (tmp_path / "keys.json").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "presented",
    ["", "nonsense", "trk_000000000000_" + "a" * 43, "trk_{id}_" + "b" * 43],
)
def test_wrong_keys_are_refused(tmp_path: Path, presented: str) -> None:
    store = KeyStore(tmp_path / "keys.json")
    new = store.create(Role.VIEWER, "v")
    with pytest.raises(Unauthorized):
        store.authenticate(presented.format(id=new.key_id))


def test_revoked_key_is_refused_by_a_store_that_cached_it(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    server_view = KeyStore(path)
    new = KeyStore(path).create(Role.ADMIN, "ops")
    assert server_view.authenticate(new.key).role is Role.ADMIN
    KeyStore(path).revoke(new.key_id)
    with pytest.raises(Unauthorized, match="revoked"):
        server_view.authenticate(new.key)
    listed = server_view.list_keys()
    assert [k.key_id for k in listed] == [new.key_id]
    assert listed[0].revoked_at is not None


def test_implementer_needs_a_department_and_unknown_revoke_fails(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    with pytest.raises(InvalidInput):
        store.create(Role.IMPLEMENTER, "no department")
    with pytest.raises(NotFound):
        store.revoke("ffffffffffff")


def _set(path: Path, key_id: str, **fields: str) -> None:
    """Edit a stored key's fields (as time would: the store has no clock of its own to move)."""
    records = json.loads(path.read_text())
    for record in records:
        if record["key_id"] == key_id:
            record.update(fields)
    path.write_text(json.dumps(records))


def test_a_key_expires(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    store = KeyStore(path)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    new = store.create(Role.VIEWER, "contractor", expires_at=soon)
    assert store.authenticate(new.key).key_id == new.key_id
    _set(path, new.key_id, expires_at="2020-01-01T00:00:00+00:00")
    with pytest.raises(Unauthorized, match="expired"):
        store.authenticate(new.key)
    with pytest.raises(InvalidInput, match="future"):
        store.create(Role.VIEWER, "late", expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))


def test_last_use_is_recorded_at_most_once_a_minute(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    store = KeyStore(path)
    new = store.create(Role.VIEWER, "v")
    assert store.list_keys()[0].last_used_at is None
    store.authenticate(new.key)
    first = store.list_keys()[0].last_used_at
    assert first is not None
    store.authenticate(new.key)
    assert store.list_keys()[0].last_used_at == first


def test_rotation_replaces_a_key_now_or_after_a_grace_period(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    store = KeyStore(path)
    old = store.create(Role.IMPLEMENTER, "tax", department="TAX01")
    graced = store.rotate(old.key_id, dt.timedelta(hours=1))
    assert (graced.role, graced.department, graced.name) == (Role.IMPLEMENTER, "TAX01", "tax")
    assert store.authenticate(old.key).key_id == old.key_id
    assert store.authenticate(graced.key).key_id == graced.key_id
    info = {key.key_id: key for key in store.list_keys()}
    assert info[old.key_id].expires_at is not None
    final = store.rotate(graced.key_id)
    with pytest.raises(Unauthorized, match="revoked"):
        store.authenticate(graced.key)
    assert store.authenticate(final.key).key_id == final.key_id
    with pytest.raises(InvalidInput, match="revoked"):
        store.rotate(graced.key_id)
    with pytest.raises(NotFound):
        store.rotate("000000000000")
