"""Settings of the HTTP API (pydantic-settings, prefix ``TRACER_API_``)."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tracer.domain.errors import TracerError

#: Secrets that must never protect a deployment (template values, empty strings).
_KNOWN_DEFAULTS = frozenset({"", "changethis", "changeme", "secret", "development"})
_MIN_SECRET = 32


class InsecureSettings(TracerError):
    """The API refuses to start with a weak or default secret outside development."""

    title = "Insecure settings"


def _default_home() -> Path:
    return Path.home() / ".local" / "share" / "liability-tracer" / "api"


class ApiSettings(BaseSettings):
    """Where keys, audit log and secret live, limits, and the deployment environment."""

    model_config = SettingsConfigDict(env_prefix="TRACER_API_", extra="ignore")

    environment: Literal["development", "production"] = Field(
        default="production",
        description="`development` tolerates a weak TRACER_API_SECRET; anything else refuses it.",
    )
    home: Path = Field(default_factory=_default_home, description="Keys, audit log, secret.")
    keys_file: Path | None = Field(default=None, description="Default: <home>/keys.json.")
    audit_log: Path | None = Field(default=None, description="Default: <home>/audit.jsonl.")
    secret: SecretStr | None = Field(
        default=None,
        description="HMAC key for subject references in the audit log. Unset: generated once "
        "into <home>/secret (mode 0600) and shared by all workers.",
    )
    audit_fsync: bool = Field(default=True, description="fsync the audit log after each entry.")
    audit_keys_file: Path | None = Field(
        default=None, description="The audit log's HMAC keys. Default: <home>/audit-keys.json."
    )
    audit_checkpoint_every: int = Field(
        default=100,
        ge=1,
        description="Write the audit log's head to Neo4j every N entries (and on shutdown).",
    )
    retry_after: int = Field(default=5, ge=1, description="Retry-After seconds on a 503.")
    max_body_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1024, description="Largest request body (413 above)."
    )
    db_retry_seconds: float = Field(
        default=2.0, ge=0, le=60, description="How long a query retries transient Neo4j errors."
    )
    warm_plans: bool = Field(
        default=True,
        description="At start, run the heavy queries once in the background, so that Neo4j has "
        "planned them before the first request (planning the work list's took seconds).",
    )
    telemetry: bool = Field(
        default=False,
        description="FastAPI's native OpenTelemetry (spans, metrics, logs) for the OpenTelemetry "
        "providers configured in the process. Off: no request asks whether any is configured "
        "(4 % of a single check's CPU).",
    )

    @model_validator(mode="after")
    def _refuse_weak_secret(self) -> ApiSettings:
        if self.secret is None or self.environment == "development":
            return self
        value = self.secret.get_secret_value()
        if value.lower() in _KNOWN_DEFAULTS or len(value) < _MIN_SECRET:
            raise ValueError(
                f"TRACER_API_SECRET is a default or shorter than {_MIN_SECRET} characters; "
                "refusing to start outside development (unset it to have one generated)"
            )
        return self

    @property
    def keys_path(self) -> Path:
        """The API key store (JSON)."""
        return (self.keys_file or self.home / "keys.json").expanduser()

    @property
    def audit_path(self) -> Path:
        """The append-only, keyed and chained audit log (JSON lines)."""
        return (self.audit_log or self.home / "audit.jsonl").expanduser()

    @property
    def audit_keys_path(self) -> Path:
        """The audit log's keyring (JSON, mode 0600)."""
        return (self.audit_keys_file or self.home / "audit-keys.json").expanduser()

    def secret_bytes(self) -> bytes:
        """The configured secret, or the one generated into ``<home>/secret`` on first use."""
        if self.secret is not None:
            return self.secret.get_secret_value().encode()
        path = self.home.expanduser() / "secret"
        if not path.exists():
            _publish_once(path, secrets.token_urlsafe(48))
        value = path.read_text().strip()
        if len(value) < _MIN_SECRET:
            raise InsecureSettings(f"{path} holds a secret shorter than {_MIN_SECRET} characters")
        return value.encode()


def _publish_once(path: Path, content: str) -> None:
    """Write ``path`` atomically unless it exists (a racing worker's file wins)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


@lru_cache(maxsize=1)
def get_api_settings() -> ApiSettings:
    """The process-wide API settings (cached; tests pass their own to ``create_app``)."""
    return ApiSettings()
