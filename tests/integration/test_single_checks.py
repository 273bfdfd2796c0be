"""Single checks asked at the same time share reads (``SingleChecks``) and each caller still gets
the answer of its own subject and moment — the same as a check read alone."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import neo4j
import pytest

from tests.fixtures.database import wipe
from tests.integration.test_api_endpoints import (
    ACME,
    CONTROLLER,
    DEFAULTER,
    LEGAL_REP,
    NEWCOMER,
    OTHER,
    STRANGER,
    build_graph,
)
from tracer.domain.keys import SubjectKey
from tracer.graph.driver import Target, open_async_driver
from tracer.queries.async_checks import SingleChecks, read_subjects
from tracer.queries.async_runner import AsyncQueryRunner
from tracer.queries.liability import Moment
from tracer.queries.runner import QueryRunner, Row

pytestmark = pytest.mark.integration


class CountingRunner(AsyncQueryRunner):
    """The real runner, counting its auto-commit reads."""

    reads = 0

    async def read_once(self, query: str, **params: Any) -> list[Row]:
        self.reads += 1
        return await super().read_once(query, **params)


def test_concurrent_single_checks_share_reads_and_keep_their_own_answers(
    neo4j_driver: neo4j.Driver, neo4j_target: Target
) -> None:
    wipe(neo4j_driver, neo4j_target.database)
    runner = QueryRunner(neo4j_driver, neo4j_target.database)
    build_graph(runner)
    people = (LEGAL_REP, CONTROLLER, STRANGER, DEFAULTER, NEWCOMER)
    keys = [SubjectKey(id_type="RESIDENT_ID", id_number=number) for number in people]
    keys += [SubjectKey(uscc=code) for code in (ACME, OTHER)]
    keys = [key.normalised() for key in keys]
    asked = [
        (key, Moment(as_of))
        for as_of in (dt.date(2026, 1, 1), dt.date(2020, 1, 1))
        for key in keys
        for _ in range(2)  # the same subject twice in one read: each asker gets its row
    ]

    async def run() -> tuple[list[Any], list[Any], int]:
        driver = open_async_driver(neo4j_target)
        try:
            reader = CountingRunner(driver, neo4j_target.database)
            checks = SingleChecks(reader, runner, parallel=1, max_batch=4)
            together = await asyncio.gather(*(checks.read(key, moment) for key, moment in asked))
            reads = reader.reads
            alone = [await read_subjects(reader, runner, [key], moment) for key, moment in asked]
        finally:
            await driver.close()
        return together, alone, reads

    together, alone, reads = asyncio.run(run())
    assert [rows.checks(None)[0] for rows in together] == [rows.checks(None)[0] for rows in alone]
    # 28 checks, one read at a time per kind: the first person (and enterprise) at once, then
    # the waiting ones by moment, four per read: persons 1 + (9 → 3) + (10 → 3), enterprises
    # 1 + (3 → 1) + (4 → 1).
    assert reads == 7 + 3
    assert {check.restricted for rows in together for check in rows.checks(None)} == {True, False}
