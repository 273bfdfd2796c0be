"""API settings: no default secret outside development; the generated secret is shared."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from tracer.api.settings import ApiSettings


@pytest.mark.parametrize("secret", ["changethis", "short", ""])
def test_weak_secret_is_refused_outside_development(tmp_path: Path, secret: str) -> None:
    with pytest.raises(ValidationError, match="refusing to start"):
        ApiSettings(home=tmp_path, secret=SecretStr(secret))
    dev = ApiSettings(home=tmp_path, secret=SecretStr(secret), environment="development")
    assert dev.secret_bytes() == secret.encode()


def test_weak_secret_from_the_environment_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACER_API_SECRET", "changethis")
    monkeypatch.setenv("TRACER_API_HOME", str(tmp_path))
    with pytest.raises(ValidationError):
        ApiSettings()


def test_unset_secret_is_generated_once_with_private_mode(tmp_path: Path) -> None:
    first = ApiSettings(home=tmp_path).secret_bytes()
    second = ApiSettings(home=tmp_path).secret_bytes()
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret").stat().st_mode & 0o777 == 0o600
    assert ApiSettings(home=tmp_path).keys_path == tmp_path / "keys.json"
    assert ApiSettings(home=tmp_path).audit_path == tmp_path / "audit.jsonl"
