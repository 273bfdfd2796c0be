"""Property-based run of the app against its own OpenAPI schema, with every check schemathesis
has: the published schema and the accepted input agree both ways, no 5xx, responses conform.

The generic run is schemathesis' own engine, what ``st run --checks all --mode all`` runs: the
examples, coverage, fuzzing and stateful phases, schema-valid and schema-violating requests, and
every check in schemathesis' registry (new ones are picked up with a new schemathesis). Besides
it, the requests of the two time axes and of mixed subjects are driven with known subjects of
the test graph (random identifiers never get past their check character) and with extreme
dates, instants and offsets.
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
from schemathesis.checks import CHECKS, load_all_checks, not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.engine.run import TESTING_PHASES
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.formats import unregister_string_format

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
from tracer.domain.errors import TracerError
from tracer.domain.identifiers import (
    ID_TYPES,
    USCC_CHARSET,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)
from tracer.domain.keys import SubjectKey
from tracer.graph.driver import Target
from tracer.queries.runner import QueryRunner

#: Examples per operation, phase and mode of the engine run (bounded: with the targeted run
#: and the database's start, the module takes about 2¾ minutes on two busy cores).
EXAMPLES = 15
SEED = 20260514
#: Examples per targeted operation below.
TARGETED = 40
TARGETED_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def all_checks() -> list[str]:
    """Every check in schemathesis' registry, the list ``--checks all`` enables.

    None is left out. Some have nothing to act on here and pass without a request of their own:
    ``use_after_free`` (no operation deletes anything), ``missing_required_header`` (no header
    parameter is required: the key is a security scheme, which ``ignored_auth`` checks), and
    ``object_level_authorization`` (it needs several identities that own objects: the API's
    findings and enterprises belong to nobody — roles, not owners, decide who reads them; the
    one owned object, a department's work list, is tested in test_api_endpoints).
    """
    load_all_checks()
    return sorted(CHECKS.get_all_names())


# -- the formats the schema names: identifiers whose check characters are right -------------


def _uscc(first16: str, lower: bool) -> str:
    first17 = first16 + org_code_check_char(first16[8:16])
    code = first17 + uscc_check_char(first17)
    return code.lower() if lower else code


def _resident_id(region: int, born: dt.date, serial: int, legacy: bool, lower: bool) -> str:
    if legacy:
        return f"{region:06d}{born:%y%m%d}{serial:03d}"
    first17 = f"{region:06d}{born:%Y%m%d}{serial:03d}"
    number = first17 + resident_id_check_char(first17)
    return number.lower() if lower else number


#: ``format: uscc`` — 18 characters whose two check characters are right, either case.
USCC = st.builds(_uscc, st.text(USCC_CHARSET, min_size=16, max_size=16), st.booleans())
#: ``format: resident-id`` — a real past birth date and the right check character (or legacy 15).
RESIDENT_ID = st.builds(
    _resident_id,
    st.integers(110000, 659999),
    st.dates(dt.date(1900, 1, 1), dt.date(1999, 12, 31)),
    st.integers(0, 999),
    st.booleans(),
    st.booleans(),
)
FORMATS = {"uscc": USCC, "resident-id": RESIDENT_ID}


@pytest.fixture(scope="module", autouse=True)
def identifier_formats() -> Iterator[None]:
    """The schema's own formats, registered for the module."""
    for name, strategy in FORMATS.items():
        schemathesis.openapi.format(name, strategy)
    yield
    for name in FORMATS:
        unregister_string_format(name)


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
    api_settings: ApiSettings, neo4j_target: Target, admin_key: str
) -> Iterator[schemathesis.BaseSchema]:
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "cache": {"enabled": False},  # nothing written to the working directory
            "suppress-health-check": ["all"],
            "headers": {"X-API-Key": admin_key},
            "workers": 1,
            "request-timeout": 120,  # a cold database on a busy CI machine plans slowly
            "continue-on-failure": True,
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "checks": {name: {"enabled": True} for name in all_checks()},
        }
    )
    app = create_app(api_settings, neo4j_target)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    schema.hook(filter_case)
    yield schema
    asgi.shutdown_lifespans()


def _subject(value: object) -> object:
    """The normalised key of a subject in a body (a fresh object when it is not one)."""
    try:
        return SubjectKey.model_validate(value).normalised()
    except (ValueError, TracerError):
        return object()


def filter_case(context: Any, case: schemathesis.Case[Any]) -> bool:
    """``POST /v1/paths`` asks about two different subjects (its documented rule, which JSON
    Schema cannot state: it compares two properties, in any spelling of an identifier); a
    schema-valid case naming one subject twice is not generated. ``POST /v1/checks/file`` gets
    schema-violating cases only."""
    body = case.body
    if case.operation.label == "POST /v1/checks/file":
        # Any bytes are schema-valid, but only a spreadsheet is accepted (422 otherwise, by
        # design; tests/integration/test_check_file.py): only schema-violating cases are sent.
        return case.meta is None or not case.meta.generation.mode.is_positive
    if not isinstance(body, dict) or case.meta is None:
        return True
    if not case.meta.generation.mode.is_positive:
        return True
    if "subject" in body and not isinstance(_subject(body["subject"]), SubjectKey):
        # The coverage phase draws a nested subject's number from its pattern, not from the
        # registered ``resident-id`` format: a number failing its check character is no
        # schema-valid subject (the format says so; 422 by design, test_api_endpoints).
        return False
    if case.operation.label != "POST /v1/paths":
        return True
    return _subject(body.get("source")) != _subject(body.get("target"))


def _failures(event: events.ScenarioFinished) -> Iterator[str]:
    for nodes in event.recorder.checks.values():
        for node in nodes:
            if node.failure_info is not None:
                failure = node.failure_info.failure
                yield (
                    f"{node.name} on {failure.operation}: {failure.title}\n"
                    f"  {failure.message}\n  {node.failure_info.code_sample}"
                )


def test_api_conforms_to_its_schema_with_every_check(api_schema: schemathesis.BaseSchema) -> None:
    """Every operation in every phase, schema-valid (accepted: 2xx, or 404/409 for what only the
    data can refuse) and schema-violating (rejected) requests, every check."""
    assert len(list(api_schema.get_all_operations())) >= 20
    failures: list[str] = []
    errors: list[str] = []
    phases: dict[str, Status] = {}
    for event in from_schema(api_schema).execute():
        if isinstance(event, events.ScenarioFinished):
            failures.extend(_failures(event))
        elif isinstance(event, events.PhaseFinished) and event.phase.name in TESTING_PHASES:
            phases[event.phase.name.value] = event.status
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            failures.extend(f"{failure.title}: {failure.message}" for failure in event.failures)
    assert not errors, "\n".join(errors)
    assert not failures, "\n\n".join(dict.fromkeys(failures))
    # Every phase ran (the stateful one follows the links schemathesis infers).
    assert phases == dict.fromkeys(["examples", "coverage", "fuzzing", "stateful"], Status.SUCCESS)


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
