"""Property-based run of the app against its own OpenAPI schema: no 5xx, responses conform."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.result import Err, Ok
from schemathesis.python import asgi
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import wipe
from tests.integration.test_api_endpoints import build_graph
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.graph.driver import Target
from tracer.queries.runner import QueryRunner

#: Examples per operation and mode (bounded: the whole run stays well under a minute).
EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def api_home(
    neo4j_driver: neo4j.Driver, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    wipe(neo4j_driver, neo4j_target.database)
    build_graph(QueryRunner(neo4j_driver, neo4j_target.database))
    return tmp_path_factory.mktemp("schemathesis")


@pytest.fixture(scope="module")
def api_settings(api_home: Path) -> ApiSettings:
    return ApiSettings(home=api_home, audit_fsync=False, db_retry_seconds=0.5)


@pytest.fixture(scope="module")
def admin_key(api_settings: ApiSettings) -> str:
    return KeyStore(api_settings.keys_path).create(Role.ADMIN, "schemathesis").key


@pytest.fixture(scope="module")
def api_schema(
    api_settings: ApiSettings, neo4j_target: Target
) -> Iterator[schemathesis.BaseSchema]:
    app = create_app(api_settings, neo4j_target)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    asgi.shutdown_lifespans()


def _operation(
    result: Ok[APIOperation[Any, Any, Any, Any]] | Err[InvalidSchema],
) -> APIOperation[Any, Any, Any, Any]:
    """The operation, or the schema error that stops the run."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(
    api_schema: schemathesis.BaseSchema, admin_key: str, mode: GenerationMode
) -> None:
    """Every operation, schema-valid (positive) and schema-invalid (negative) requests."""
    operations = [_operation(result) for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        raw = operation.definition.raw
        if mode is GenerationMode.NEGATIVE and not (
            raw.get("parameters") or raw.get("requestBody")
        ):
            continue  # nothing a client could get wrong

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate(headers={"X-API-Key": admin_key}, checks=CHECKS, timeout=120)

        call()
