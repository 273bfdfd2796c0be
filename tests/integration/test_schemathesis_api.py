"""Property-based run of the app against its own OpenAPI schema: no 5xx, responses conform.

Besides the generic run over every operation, the requests of the two time axes and of mixed
subjects are driven with known subjects of the test graph (random identifiers never get past
their check character) and with extreme dates, instants and offsets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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

from tests.fixtures.database import wipe
from tests.integration.test_api_endpoints import (
    ACME,
    CONTROLLER,
    DEFAULT,
    DEFAULTER,
    FINDING,
    LAPSED,
    LEGAL_REP,
    REVOKED,
    SUPPLIER,
    build_graph,
)
from tracer.api.app import create_app
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.domain.identifiers import ID_TYPES
from tracer.graph.driver import Target
from tracer.queries.runner import QueryRunner

#: Examples per operation and mode (bounded: the whole run stays well under a minute).
EXAMPLES = 15
#: Examples per targeted operation below.
TARGETED = 40
TARGETED_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
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


# -- targeted: mixed subjects, as_of, known_on, effective dates -----------------------------

KNOWN_SUBJECTS = [
    {"uscc": ACME},
    {"uscc": SUPPLIER.lower()},
    {"uscc": LAPSED},
    {"id_type": "RESIDENT_ID", "id_number": LEGAL_REP},
    {"id_number": DEFAULTER},
    {"id_type": "RESIDENT_ID", "id_number": CONTROLLER.lower()},
]
SUBJECT = st.one_of(
    st.sampled_from(KNOWN_SUBJECTS),
    st.fixed_dictionaries(
        {},
        optional={
            "uscc": st.text(min_size=1, max_size=40),
            "id_type": st.sampled_from(ID_TYPES),
            "id_number": st.text(min_size=1, max_size=40),
        },
    ),
)
OFFSET = st.timedeltas(
    min_value=-dt.timedelta(hours=23, minutes=59), max_value=dt.timedelta(hours=23, minutes=59)
)
#: The first and last instants ISO 8601 can write, shifted off UTC by an offset.
EDGE_INSTANTS = [
    dt.datetime.min.replace(tzinfo=dt.timezone(dt.timedelta(hours=10))),
    dt.datetime.max.replace(tzinfo=dt.timezone(-dt.timedelta(hours=10))),
]
#: Dates (end of that day), instants with any offset the ISO format can carry, and junk.
INSTANT = st.one_of(
    st.sampled_from([dt.date.min, dt.date.max]).map(dt.date.isoformat),
    st.sampled_from(EDGE_INSTANTS).map(dt.datetime.isoformat),
    st.dates().map(dt.date.isoformat),
    st.datetimes(timezones=OFFSET.map(dt.timezone)).map(dt.datetime.isoformat),
    st.datetimes().map(dt.datetime.isoformat),
    st.text(max_size=40),
)
#: Any date, the edges of the calendar, and the dates around the test graph's findings.
DAY = st.one_of(
    st.dates(),
    st.sampled_from([dt.date.min, dt.date.max]),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 12, 31)),
).map(dt.date.isoformat)
MEASURE = st.sampled_from(["PUBLIC_BIDDING_BAN", "FLIGHT_BAN", "EXIT_BAN", "CREDIT_RECORD_ENTRY"])


def _optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


CHECK = st.builds(
    lambda subject, rest: {**subject, **rest},
    SUBJECT,
    _optional(as_of=DAY, known_on=INSTANT, measure=MEASURE),
)
BATCH = st.builds(
    lambda subjects, rest: {"subjects": subjects, **rest},
    st.lists(SUBJECT, min_size=1, max_size=8),
    _optional(as_of=DAY, known_on=INSTANT, measure=MEASURE),
)
TRANSITION = st.builds(
    lambda status, rest: {"to_status": status, "reason": "schemathesis", **rest},
    st.sampled_from(["ACTIVE", "UNDER_REVIEW", "CORRECTED", "REVOKED", "REPAIRED", "EXPIRED"]),
    _optional(effective_on=DAY, new_effective_until=DAY),
)
RELEASE = st.builds(
    lambda subject, rest: {"id_type": "RESIDENT_ID", "reason": "schemathesis", **subject, **rest},
    st.sampled_from([{"id_number": LEGAL_REP}, {"id_number": CONTROLLER}]),
    _optional(effective_on=DAY, wrongful=st.booleans()),
)
READ_QUERY = _optional(as_of=DAY, known_on=INSTANT)


def _targeted_cases(schema: schemathesis.BaseSchema) -> st.SearchStrategy[schemathesis.Case[Any]]:
    """Cases of the operations that take subjects, dates and instants."""

    def post(path: str, body: st.SearchStrategy[Any], **params: str) -> st.SearchStrategy[Any]:
        operation = schema[path]["POST"]
        return body.map(
            lambda value: operation.Case(
                body=value, path_parameters=params or None, media_type="application/json"
            )
        )

    def get(path: str, **params: str) -> st.SearchStrategy[Any]:
        operation = schema[path]["GET"]
        return READ_QUERY.map(
            lambda query: operation.Case(query=query, path_parameters=params or None)
        )

    return st.one_of(
        post("/v1/checks", CHECK),
        post("/v1/checks/batch", BATCH),
        get("/v1/findings/{finding_id}", finding_id=FINDING),
        get("/v1/findings/{finding_id}", finding_id=REVOKED),
        get("/v1/enterprises/{uscc}", uscc=ACME),
        get("/v1/enterprises/{uscc}/findings", uscc=LAPSED),
        post("/v1/findings/{finding_id}/releases", RELEASE, finding_id=DEFAULT),
        post("/v1/findings/{finding_id}/transitions", TRANSITION, finding_id=FINDING),
    )


def test_subjects_dates_and_instants_never_fail_the_server(
    api_schema: schemathesis.BaseSchema, admin_key: str
) -> None:
    """Checks (single and mixed batch), finding and enterprise reads with ``known_on``,
    transitions and releases with effective dates: schema-valid requests built from the graph's
    subjects and from extreme dates, instants and offsets answer 2xx or 4xx, never 5xx."""

    @given(case=_targeted_cases(api_schema))
    @settings(
        max_examples=TARGETED * 8,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(
            headers={"X-API-Key": admin_key}, checks=TARGETED_CHECKS, timeout=120
        )

    call()
