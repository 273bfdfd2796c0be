"""The plan warm-up at start: every step runs the engine's own function to its end (a step that
broke would only log a warning and leave its plans cold)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.api.app import create_app
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target
from tracer.queries.liability import MAX_BATCH
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.queries.warmup import CHECK_SIZES, NO_ENTERPRISE, NO_PERSON, warm_plans

AS_OF = dt.date(2024, 6, 1)


def test_every_step_runs_without_a_failure(
    runner: QueryRunner, caplog: pytest.LogCaptureFixture
) -> None:
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("COURT1", "北京市第一中级人民法院")
    g.enterprise(uscc(1), region_code="110105")
    zhang = g.person(resident_id(1))
    g.holds(zhang, uscc(1), "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1))
    g.finding("F1", uscc(1), decided_on=dt.date(2024, 1, 1), list_type="JUDGMENT_DEFAULTER")
    g.write(runner)
    with caplog.at_level(logging.WARNING, logger="tracer.queries.warmup"):
        seconds = warm_plans(runner, AS_OF)
    assert caplog.records == []
    assert list(seconds) == [
        "reference", "check_people", "check_enterprises", "findings_reach", "worklist", "owners",
        "paths", "network",
    ]  # fmt: skip
    assert all(value >= 0 for value in seconds.values())


def test_the_keys_it_uses_are_well_formed() -> None:
    """Valid keys (check characters right), so no check refuses them before its statement."""
    assert ric.is_valid(NO_PERSON.id_number)
    assert stdnum_uscc.is_valid(NO_ENTERPRISE)


def test_the_check_sizes_fall_in_every_list_size_bucket_up_to_the_batch_limit() -> None:
    """Neo4j plans a list parameter once per size bucket (1, 2-10, 11-100 ...): a batch check of
    any allowed size finds its plan warmed."""

    def bucket(size: int) -> int:
        return 1 if size == 1 else 10 ** len(str(size - 1))

    assert max(CHECK_SIZES) <= MAX_BATCH
    assert {bucket(size) for size in CHECK_SIZES} == {
        bucket(size) for size in (1, 2, *(10**k + 1 for k in range(1, 8))) if size <= MAX_BATCH
    }


def test_the_api_warms_in_the_background_and_answers_meanwhile(
    neo4j_target: Target, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = ApiSettings(home=tmp_path / "api", warm_plans=True)
    with (
        caplog.at_level(logging.INFO, logger="tracer.queries.warmup"),
        TestClient(create_app(settings, neo4j_target)) as client,
    ):
        assert client.get("/healthz").status_code == 200
        deadline = time.monotonic() + 120
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [r.levelname for r in caplog.records] == ["INFO"]
    message = caplog.records[0].getMessage()
    assert message.startswith("query plans warmed in") and "'network'" in message  # every step
