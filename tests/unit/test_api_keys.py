"""API keys: shown once, stored salted-hashed, revocable, authenticated in constant form."""

from __future__ import annotations

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
