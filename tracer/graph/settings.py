"""Connection, bundled-Neo4j and deployment settings, from the environment (pydantic-settings)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from tracer.domain.clock import DEFAULT_ZONE, Clock


def _default_home() -> Path:
    return Path.home() / ".local" / "share" / "liability-tracer"


class LocalNeo4jSettings(BaseSettings):
    """The bundled local Neo4j (used when ``NEO4J_URI`` is not set)."""

    model_config = SettingsConfigDict(env_prefix="TRACER_NEO4J_", extra="ignore")

    home: Path = Field(
        default_factory=lambda: _default_home() / "neo4j",
        description=(
            "Data directory, password file, pid file, log and launcher build of the bundled Neo4j."
        ),
    )
    port: int = Field(default=7687, ge=1, le=65535, description="Bolt port on 127.0.0.1.")
    heap: str = Field(default="4g", description="JVM maximum heap (-Xmx).")
    pagecache: str = Field(default="4g", description="Neo4j page cache size.")
    start_timeout: float = Field(default=180.0, gt=0, description="Seconds to wait for Bolt.")


class DeploymentSettings(BaseSettings):
    """Settings of the deployment as a whole, whichever database it uses."""

    model_config = SettingsConfigDict(env_prefix="TRACER_", extra="ignore")

    timezone: str = Field(
        default=DEFAULT_ZONE,
        description="IANA time zone of the deployment's calendar days (instants stay UTC).",
    )


class Neo4jSettings(BaseSettings):
    """Where the system of record lives. ``uri`` unset means the bundled local Neo4j."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore")

    uri: str | None = Field(default=None, description="bolt://, neo4j://, neo4j+s:// …")
    user: str = "neo4j"
    password: SecretStr | None = None
    database: str = "neo4j"


@lru_cache(maxsize=1)
def get_neo4j_settings() -> Neo4jSettings:
    """The process-wide connection settings (cached; tests build their own instances)."""
    return Neo4jSettings()


@lru_cache(maxsize=1)
def get_local_settings() -> LocalNeo4jSettings:
    """The process-wide bundled-Neo4j settings (cached)."""
    return LocalNeo4jSettings()


@lru_cache(maxsize=1)
def get_deployment_settings() -> DeploymentSettings:
    """The process-wide deployment settings (cached)."""
    return DeploymentSettings()


@lru_cache(maxsize=1)
def get_clock() -> Clock:
    """The deployment's one clock, in ``TRACER_TIMEZONE`` (cached; tests build their own).

    Raises ``InvalidInput`` when the zone is unknown.
    """
    return Clock(get_deployment_settings().timezone)
