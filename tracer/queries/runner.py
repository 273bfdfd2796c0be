"""The single entry point to the database: every query of the project runs through here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import neo4j
import neo4j.exceptions
import neo4j.graph
import neo4j.time
import pandas as pd

from tracer.domain.errors import InvalidInput, Unavailable

T = TypeVar("T")
Row = dict[str, Any]

#: Driver errors that mean the database cannot be reached (answered 503).
UNAVAILABLE = (
    neo4j.exceptions.ServiceUnavailable,
    neo4j.exceptions.SessionExpired,
    neo4j.exceptions.AuthError,
    OSError,
)


#: Types the driver returns that are already plain Python (checked first: most values are).
_PLAIN = frozenset({str, int, float, bool, type(None), bytes})


def to_native(value: Any) -> Any:
    """Neo4j values to plain Python: temporal types to ``datetime``, nodes to property dicts."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {key: to_native(item) for key, item in value.items()}
    if kind is list:
        return [to_native(item) for item in value]
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time):
        return value.to_native()
    if isinstance(value, neo4j.time.Duration):
        return value.iso_format()
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        return {key: to_native(item) for key, item in value.items()}
    if isinstance(value, Mapping):
        return {key: to_native(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_native(item) for item in value]
    return value


def _rows(result: neo4j.Result) -> list[Row]:
    return [{key: to_native(record[key]) for key in record.keys()} for record in result]  # noqa: SIM118


class QueryRunner:
    """Runs catalogue queries with ``database_`` and routing always set, mapping driver errors."""

    def __init__(self, driver: neo4j.Driver, database: str) -> None:
        self.driver = driver
        self.database = database

    def _execute(
        self,
        query: str,
        params: Mapping[str, Any],
        routing: neo4j.RoutingControl,
        transformer: Callable[[neo4j.Result], T],
    ) -> T:
        try:
            return self.driver.execute_query(
                neo4j.Query(query),
                parameters_=dict(params),
                database_=self.database,
                routing_=routing,
                result_transformer_=transformer,
            )
        except UNAVAILABLE as exc:
            raise Unavailable(f"Neo4j is unreachable: {type(exc).__name__}") from exc
        except neo4j.exceptions.ClientError as exc:
            if exc.code and exc.code.startswith("Neo.ClientError.Schema.ConstraintValidation"):
                raise InvalidInput(f"constraint violated: {exc.message}") from exc
            raise

    def read(self, query: str, **params: Any) -> list[Row]:
        """Rows of a read query (routed to READ so a cluster may serve it from a follower)."""
        return self._execute(query, params, neo4j.RoutingControl.READ, _rows)

    def read_one(self, query: str, **params: Any) -> Row | None:
        """The first row of a read query, or None."""
        rows = self.read(query, **params)
        return rows[0] if rows else None

    def read_df(self, query: str, **params: Any) -> pd.DataFrame:
        """A read query as a DataFrame (for notebooks)."""
        rows = self.read(query, **params)
        return pd.DataFrame(rows)

    def write(self, query: str, **params: Any) -> list[Row]:
        """Rows of a write query, in one managed transaction (retried on transient errors)."""
        return self._execute(query, params, neo4j.RoutingControl.WRITE, _rows)

    def ping(self) -> None:
        """Raise ``Unavailable`` unless the database answers."""
        self.read("RETURN 1 AS ok")
