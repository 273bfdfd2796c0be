"""The one place a Neo4j driver is made: a configured server, or the bundled local Neo4j."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import neo4j

from tracer.domain.errors import Unavailable
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import (
    LocalNeo4jSettings,
    Neo4jSettings,
    get_local_settings,
    get_neo4j_settings,
)


@dataclass(frozen=True)
class Target:
    """Where to connect and as whom. The password is left out of its printed form."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    bundled: bool


def resolve_target(
    settings: Neo4jSettings | None = None, local: LocalNeo4jSettings | None = None
) -> Target:
    """``NEO4J_URI`` when set, else the bundled local Neo4j with its generated password."""
    settings = settings or get_neo4j_settings()
    if settings.uri:
        password = settings.password.get_secret_value() if settings.password else ""
        return Target(settings.uri, settings.user, password, settings.database, bundled=False)
    instance = LocalNeo4j(local or get_local_settings())
    if not instance.password_file.exists():
        raise Unavailable(
            "the bundled Neo4j has never been started: run `tracer db start` (or set NEO4J_URI)"
        )
    return Target(instance.uri, "neo4j", instance.password(), settings.database, bundled=True)


def _options(max_retry_time: float) -> dict[str, Any]:
    """Pool, timeouts and retries, the same for the blocking and the asyncio driver."""
    return {
        "max_connection_pool_size": 50,
        "connection_acquisition_timeout": 30.0,
        "connection_timeout": 5.0,
        "max_transaction_retry_time": max_retry_time,
        "notifications_min_severity": "OFF",
    }


def open_driver(target: Target | None = None, *, max_retry_time: float = 15.0) -> neo4j.Driver:
    """A driver for ``target`` (default: from the environment). The caller closes it.

    ``max_retry_time`` bounds how long managed transactions retry (the API keeps it short so
    an unreachable database answers 503 quickly).
    """
    target = target or resolve_target()
    auth = (target.user, target.password)
    return neo4j.GraphDatabase.driver(target.uri, auth=auth, **_options(max_retry_time))


def open_async_driver(target: Target, *, max_retry_time: float = 15.0) -> neo4j.AsyncDriver:
    """An asyncio driver for ``target`` (the API's hot reads, without a thread per request);
    opened inside the event loop that uses it. The caller closes it."""
    auth = (target.user, target.password)
    return neo4j.AsyncGraphDatabase.driver(target.uri, auth=auth, **_options(max_retry_time))
