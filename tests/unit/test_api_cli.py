"""`tracer keys` and `tracer audit verify` in-process (no database needed)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tracer.api.settings import get_api_settings
from tracer.cli.main import app


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """The command line in-process, with the API home in ``tmp_path``."""
    monkeypatch.setenv("TRACER_API_HOME", str(tmp_path / "api"))
    get_api_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, list(args))
    get_api_settings.cache_clear()


def test_keys_create_list_revoke(cli: Callable[..., Result]) -> None:
    created = cli("keys", "create", "--role", "implementer", "--department", "TAX01", "--json")
    assert created.exit_code == 0, created.output
    key = json.loads(created.stdout)
    assert key["key"].startswith(f"trk_{key['key_id']}_")
    assert (key["role"], key["department"]) == ("implementer", "TAX01")

    listed = json.loads(cli("keys", "list", "--json").stdout)
    assert [(k["key_id"], k["revoked_at"]) for k in listed] == [(key["key_id"], None)]
    assert "key" not in listed[0]
    assert key["key"] not in cli("keys", "list").stdout

    assert cli("keys", "revoke", key["key_id"]).exit_code == 0
    assert json.loads(cli("keys", "list", "--json").stdout)[0]["revoked_at"]
    missing = cli("keys", "revoke", "ffffffffffff")
    assert missing.exit_code == 1
    assert "no API key" in missing.stderr
    refused = cli("keys", "create", "--role", "implementer")
    assert refused.exit_code == 1
    assert "--department" in refused.stderr
    assert cli("keys", "create", "--role", "emperor").exit_code != 0


def test_audit_verify_on_an_empty_log_and_a_default_secret(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "0 entries" in cli("audit", "verify", "--offline").stdout
    monkeypatch.setenv("TRACER_API_SECRET", "changethis")
    get_api_settings.cache_clear()
    refused = cli("serve", "--port", "1")
    assert refused.exit_code == 1
    assert "refusing to start outside development" in refused.stderr


def test_keys_expire_and_rotate(cli: Callable[..., Result]) -> None:
    created = cli("keys", "create", "--role", "viewer", "--expires", "90d", "--json")
    assert created.exit_code == 0, created.output
    key = json.loads(created.stdout)
    assert key["expires_at"] is not None
    assert cli("keys", "create", "--role", "viewer", "--expires", "soon").exit_code == 1
    dated = cli("keys", "create", "--role", "viewer", "--expires", "2999-12-31", "--json")
    assert json.loads(dated.stdout)["expires_at"].startswith("2999-12-31")
    rotated = cli("keys", "rotate", key["key_id"], "--grace", "1h", "--json")
    assert rotated.exit_code == 0, rotated.output
    new = json.loads(rotated.stdout)
    assert new["key_id"] != key["key_id"] and new["expires_at"] is not None
    listed = {k["key_id"]: k for k in json.loads(cli("keys", "list", "--json").stdout)}
    assert listed[key["key_id"]]["revoked_at"] is None
    assert listed[key["key_id"]]["expires_at"] < key["expires_at"]
    assert cli("keys", "rotate", "nope").exit_code == 1
