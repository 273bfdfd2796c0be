"""The asyncio twin of ``QueryRunner`` for the API's hot reads (no thread per request): the same
``database_``, READ routing, row conversion and error mapping, on ``neo4j.AsyncDriver``."""

from __future__ import annotations

from typing import Any

import neo4j
import neo4j.exceptions

from tracer.domain.errors import Unavailable
from tracer.queries.runner import UNAVAILABLE, Row, to_native


async def _rows(result: neo4j.AsyncResult) -> list[Row]:
    return [
        {key: to_native(record[key]) for key in record.keys()}  # noqa: SIM118
        async for record in result
    ]


class AsyncQueryRunner:
    """Runs catalogue read queries on an asyncio driver, routed to READ."""

    def __init__(self, driver: neo4j.AsyncDriver, database: str) -> None:
        self.driver = driver
        self.database = database

    async def read(self, query: str, **params: Any) -> list[Row]:
        """Rows of a read query, in a managed transaction (retried on transient errors)."""
        try:
            return await self.driver.execute_query(
                neo4j.Query(query),
                parameters_=params,
                database_=self.database,
                routing_=neo4j.RoutingControl.READ,
                result_transformer_=_rows,
            )
        except UNAVAILABLE as exc:
            raise Unavailable(f"Neo4j is unreachable: {type(exc).__name__}") from exc

    async def read_once(self, query: str, **params: Any) -> list[Row]:
        """Rows of a single-statement read in an auto-commit transaction: one round trip, not
        retried (the caller may retry: for idempotent reads whose answer is asked again)."""
        try:
            async with self.driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                return await _rows(await session.run(neo4j.Query(query), params))
        except UNAVAILABLE as exc:
            raise Unavailable(f"Neo4j is unreachable: {type(exc).__name__}") from exc
