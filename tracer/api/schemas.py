"""Request bodies and page envelopes of the API (responses reuse the engine's models).

The published schema says exactly what the server accepts (schemathesis checks both ways):
identifiers carry their shape as a ``pattern`` and their check characters as a ``format``
(``uscc``, ``resident-id``); dates are ``YYYY-MM-DD`` only; an instant is the grammar
``parse_instant`` reads within the calendar it can convert; a subject is one of its kinds
(``oneOf``); integers and booleans in a body are JSON ones (no ``"5"``, no ``false`` for 0).
What only the stored data or today's date can decide answers 404 or 409.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Self

from fastapi import Query
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from tracer.domain.identifiers import ID_TYPES, PERSON_ID_PATTERN, USCC_CHARSET
from tracer.domain.keys import DEFAULT_ID_TYPE
from tracer.queries.liability import MAX_BATCH
from tracer.queries.paging import MAX_LIMIT, MAX_OFFSET
from tracer.queries.search import MAX_PAGE as MAX_SEARCH_PAGE
from tracer.queries.search import MAX_QUERY_LENGTH

# -- patterns (ECMA 262, Python ``re`` and pydantic's Rust engine read them alike) ---------------

#: The characters ``str.strip()`` removes (``str.isspace``), which the server ignores around text.
_SPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Text that is not blank once stripped (the server requires such a reason or search text).
NON_BLANK = rf"[^{_SPACE}]"
#: A USCC's shape (either case); its two check characters are the ``uscc`` format.
USCC_PATTERN = "^[" + "".join(sorted(set(USCC_CHARSET + USCC_CHARSET.lower()))) + "]{18}$"
#: A resident ID's shape (or the legacy 15 digits); birth date and check character are the
#: ``resident-id`` format.
RESIDENT_ID_PATTERN = r"^(?:[0-9]{17}[0-9Xx]|[0-9]{15})$"
#: Any other identity document: 5 to 30 letters, digits, parentheses or hyphens.
DOCUMENT_PATTERN = r"^[0-9A-Za-z()-]{5,30}$"
OTHER_ID_TYPES = [kind for kind in ID_TYPES if kind != DEFAULT_ID_TYPE]

#: Calendar dates of the years 0002-9998 (their instants convert to UTC from any offset).
_YEAR = r"(?:000[2-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9])"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_DATE = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_TIME = r"T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:(?:0[0-9]|1[0-7]):[0-5][0-9]|18:00))"
#: ``known_on``: a date (the end of that day here) or a date and time, with an offset within
#: ±18:00 or none (the deployment's time zone).
INSTANT_PATTERN = rf"^{_DATE}(?:{_TIME}{_OFFSET}?)?$"
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def plain_identifier(value: str) -> str:
    """An identifier as sent: ASCII without surrounding spaces (the domain would strip them and
    fold other scripts' letters into ASCII; the published pattern admits neither)."""
    if not value.isascii() or value != value.strip():
        raise ValueError("an identifier has only ASCII letters and digits, no spaces around")
    return value


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD`` (pydantic would also read numbers as Unix times)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


def json_integer(value: object) -> object:
    """A JSON integer (``5`` or ``5.0``), not a string or a boolean (which pydantic would read)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("an integer is a JSON number")
    return value


#: An integer in a body.
JsonInt = Annotated[int, BeforeValidator(json_integer)]
IdType = Literal[ID_TYPES]  # type: ignore[valid-type]
IdNumber = Annotated[
    str,
    Field(min_length=1, max_length=40, description="Document number (sent in the body only)."),
]
PlainIdNumber = Annotated[IdNumber, AfterValidator(plain_identifier)]
#: Published shape of a USCC; the domain enforces it with reason codes (``USCC_LENGTH``, …).
USCC_SCHEMA: dict[str, Any] = {
    "minLength": 18,
    "maxLength": 18,
    "pattern": USCC_PATTERN,
    "format": "uscc",
}
Uscc = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        description="Unified social credit code (either case; check characters verified).",
        json_schema_extra=USCC_SCHEMA,
    ),
    AfterValidator(plain_identifier),
]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
#: A calendar date, ``YYYY-MM-DD`` only.
Day = Annotated[dt.date, BeforeValidator(_iso_day)]
AsOf = Annotated[
    Day | None,
    Field(description="The date the answer is about (default: today).", examples=["2026-11-24"]),
]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
#: A reason: text that is not blank.
Reason = Annotated[str, Field(min_length=1, max_length=2000, pattern=NON_BLANK)]

_STRICT = ConfigDict(extra="forbid")


def _kinds(handler: GetJsonSchemaHandler, core_schema: CoreSchema, kinds: list[Any]) -> Any:
    """The model's schema with ``oneOf`` its kinds (what its validator and the domain accept)."""
    schema = handler(core_schema)
    handler.resolve_ref_schema(schema)["oneOf"] = kinds
    return schema


_NULL = {"type": "null"}
_RESIDENT = {"type": "string", "pattern": RESIDENT_ID_PATTERN, "format": "resident-id"}
_DOCUMENT = {"type": "string", "pattern": DOCUMENT_PATTERN}
#: A person: a resident ID (``id_type`` RESIDENT_ID, or left out), or another document.
PERSON_KINDS: list[Any] = [
    {
        "title": "Resident ID",
        "required": ["id_number"],
        "properties": {
            "id_type": {"enum": [DEFAULT_ID_TYPE, None]},
            "id_number": _RESIDENT,
        },
    },
    {
        "title": "Other identity document",
        "required": ["id_type", "id_number"],
        "properties": {"id_type": {"enum": OTHER_ID_TYPES}, "id_number": _DOCUMENT},
    },
]
#: A subject: an enterprise (``uscc`` alone) or a person (no ``uscc``).
SUBJECT_KINDS: list[Any] = [
    {
        "title": "Enterprise",
        "required": ["uscc"],
        "properties": {"uscc": {"type": "string"}, "id_type": _NULL, "id_number": _NULL},
    },
    *({**kind, "properties": {**kind["properties"], "uscc": _NULL}} for kind in PERSON_KINDS),
]


class PersonIdentifier(BaseModel):
    """A natural person by document type and number (an entry of a batch: any shape, checked
    one by one)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"}]
        },
    )

    id_type: IdType = "RESIDENT_ID"
    id_number: IdNumber


class Person(PersonIdentifier):
    """A natural person: a resident ID, or another identity document with its type."""

    id_number: PlainIdNumber

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return _kinds(handler, core_schema, PERSON_KINDS)  # type: ignore[no-any-return]


KnownOn = Annotated[
    str | None,
    Field(
        max_length=40,
        pattern=INSTANT_PATTERN,
        description=(
            "Answer as the system would have on this date (end of that day in the deployment's "
            "time zone) or at this instant (`YYYY-MM-DDThh:mm[:ss[.ffffff]]`, offset within "
            "±18:00 or none for the deployment's time zone; years 0002-9998); default: as now "
            "known."
        ),
        examples=["2025-06-30"],
    ),
]


class SubjectBody(BaseModel):
    """An enterprise (``uscc``) or a person (``id_type`` + ``id_number``) as an entry of a batch:
    any shape here, each entry is checked on its own (a bad one gets an error, not a 422)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"uscc": "91110000600037341L"},
                {"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"},
            ]
        },
    )

    uscc: str | None = Field(default=None, min_length=1, max_length=40)
    id_type: IdType | None = None
    id_number: IdNumber | None = None


class Subject(SubjectBody):
    """An enterprise (``uscc`` alone) or a person (``id_number``, with ``id_type`` unless a
    resident ID): exactly one of them."""

    uscc: Uscc | None = None
    id_number: PlainIdNumber | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if self.uscc is not None and (self.id_type is not None or self.id_number is not None):
            raise ValueError("an enterprise is given by uscc alone")
        if self.uscc is None and self.id_number is None:
            raise ValueError("give uscc (an enterprise) or id_number (a person)")
        return self

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return _kinds(handler, core_schema, SUBJECT_KINDS)  # type: ignore[no-any-return]


class CheckRequest(Subject):
    """Is this person or enterprise restricted on ``as_of`` (optionally: from ``measure``)?"""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id_type": "RESIDENT_ID",
                    "id_number": "11010519491231002X",
                    "as_of": "2026-11-24",
                    "measure": "FLIGHT_BAN",
                },
                {"uscc": "91110000600037341L", "measure": "PUBLIC_BIDDING_BAN"},
            ]
        },
    )

    as_of: AsOf = None
    known_on: KnownOn = None
    measure: Code | None = Field(
        default=None, description="Restricted from this measure? (404 listing the valid codes)"
    )


class BatchCheckRequest(BaseModel):
    """Screen many persons and enterprises in one request (every bidder in a tender):
    ``subjects`` mixes both; ``people`` (persons only) is kept for older clients."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subjects": [
                        {"uscc": "91110000600037341L"},
                        {"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"},
                    ],
                    "as_of": "2026-11-24",
                    "measure": "PUBLIC_BIDDING_BAN",
                }
            ],
            # One list, not empty (so never more than MAX_BATCH subjects in all).
            "oneOf": [
                {
                    "required": ["subjects"],
                    "properties": {"subjects": {"minItems": 1}, "people": {"maxItems": 0}},
                },
                {
                    "required": ["people"],
                    "properties": {"people": {"minItems": 1}, "subjects": {"maxItems": 0}},
                },
            ],
        },
    )

    subjects: list[SubjectBody] = Field(default_factory=list, max_length=MAX_BATCH)
    people: list[PersonIdentifier] = Field(default_factory=list, max_length=MAX_BATCH)
    as_of: AsOf = None
    known_on: KnownOn = None
    measure: Code | None = Field(
        default=None, description="Restricted from this measure? (404 listing the valid codes)"
    )

    @model_validator(mode="after")
    def _one_list(self) -> Self:
        if bool(self.subjects) == bool(self.people):
            raise ValueError("give subjects, or people (older clients): one of them, not both")
        return self


class PathsRequest(BaseModel):
    """How are two subjects connected? Two different subjects: the same one twice (in any
    spelling of its identifier) is refused with 422 — a rule JSON Schema cannot state."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source": {"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"},
                    "target": {"uscc": "91110000600037341L"},
                    "max_hops": 6,
                    "limit": 10,
                }
            ]
        },
    )

    source: Subject
    target: Subject
    max_hops: JsonInt = Field(default=6, ge=1, le=8, description="Relationships per path (≤ 8).")
    limit: JsonInt = Field(default=10, ge=1, le=50, description="Paths returned (≤ 50).")
    as_of: Day | None = Field(
        default=None, description="Only relationships held on this date (default: all history)."
    )


class NetworkRequest(BaseModel):
    """The neighbourhood of a subject (a person's network travels in the body, never the URL)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "center": {"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"},
                    "depth": 2,
                }
            ]
        },
    )

    center: Subject
    depth: JsonInt = Field(
        default=1, ge=1, le=3, description="Relationships from the centre (≤ 3)."
    )
    limit: JsonInt = Field(default=200, ge=1, le=1000, description="Nodes returned (≤ 1000).")
    as_of: Day | None = None


#: A URL parameter never carries a personal identifier (the guard middleware answers 422).
NOT_AN_IDENTIFIER: dict[str, Any] = {"not": {"pattern": PERSON_ID_PATTERN}}

SearchText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        pattern=NON_BLANK,
        description="Part of the name, or the first characters of the USCC.",
        examples=["建设"],
    ),
]
SearchLimit = Annotated[int, Field(ge=1, le=MAX_SEARCH_PAGE, description="Page size.")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description=f"Items to skip (≤ {MAX_OFFSET}).")]


class EnterpriseSearchRequest(BaseModel):
    """Find enterprises by part of their name or the start of their USCC; the text travels in
    the body (a URL reaches access logs, and a typed ID number with it)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"q": "建设", "limit": 20}]}
    )

    q: SearchText
    limit: Annotated[SearchLimit, BeforeValidator(json_integer)] = 20
    offset: Annotated[Offset, BeforeValidator(json_integer)] = 0


LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (≤ {MAX_LIMIT}).")]
OffsetQuery = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip (≤ {MAX_OFFSET}).")
]
AsOfQuery = Annotated[Day | None, Query(description="The date of the answer (default: today).")]
KnownOnQuery = Annotated[
    str | None,
    Query(
        max_length=40,
        pattern=INSTANT_PATTERN,
        description=(
            "Answer as known on this date or at this instant (`YYYY-MM-DDThh:mm[:ss[.ffffff]]`, "
            "offset within ±18:00 or none; years 0002-9998); default: as now known."
        ),
    ),
]


class TransitionRequest(BaseModel):
    """A status change: objection (UNDER_REVIEW), decision (ACTIVE/CORRECTED/REVOKED), repair
    (REPAIRED), expiry (EXPIRED), or a change of term (ACTIVE → ACTIVE with
    ``new_effective_until``). The time it is recorded is the server's; ``effective_on`` is when
    it takes legal effect."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "to_status": "UNDER_REVIEW",
                    "effective_on": "2026-11-20",
                    "reason": "objection filed by the enterprise",
                    "document": "异议申请 2026-001",
                }
            ]
        },
    )

    to_status: Literal["ACTIVE", "UNDER_REVIEW", "CORRECTED", "REVOKED", "REPAIRED", "EXPIRED"]
    effective_on: Day | None = Field(
        default=None,
        description="When it takes effect (default: today; EXPIRED: the day after the period).",
    )
    new_effective_until: Day | None = Field(default=None, description="A change of term.")
    reason: Reason
    document: Text | None = None


class ReleaseRequest(Person):
    """Release one person from one finding (e.g. a court lifts a former officer's restriction);
    ``wrongful`` (wrongly named) voids the past, any other release is prospective."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id_type": "RESIDENT_ID",
                    "id_number": "11010519491231002X",
                    "reason": "FORMER_OFFICER",
                    "effective_on": "2026-11-20",
                    "document": "(2026)京01执恢1号",
                }
            ]
        },
    )

    reason: Reason
    effective_on: Day | None = Field(default=None, description="Default: today.")
    wrongful: StrictBool = Field(default=False, description="Wrongly named: void from the start.")
    document: Text | None = None


#: Outcomes that need a reason.
EXPLAINED_OUTCOMES = ("NOT_APPLICABLE", "REFUSED")


class FeedbackRequest(BaseModel):
    """What a department did about one measure for one subject of a finding."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "department": "CAAC01",
                    "finding_id": "F-2021-001",
                    "subject": {"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"},
                    "measure": "FLIGHT_BAN",
                    "outcome": "APPLIED",
                    "on": "2026-11-24",
                }
            ],
            # A reason is required for NOT_APPLICABLE and REFUSED.
            "anyOf": [
                {
                    "properties": {
                        "outcome": {"not": {"enum": list(EXPLAINED_OUTCOMES)}},
                    }
                },
                {"required": ["reason"], "properties": {"reason": {"type": "string"}}},
            ],
        },
    )

    department: Code
    finding_id: Annotated[str, Field(min_length=1, max_length=100)]
    subject: Subject
    measure: Code
    outcome: Literal["APPLIED", "NOT_APPLICABLE", "REFUSED", "LIFTED", "RESTORED"]
    on: Day = Field(description="When the department acted (not in the future: 409).")
    reason: Reason | None = Field(
        default=None, description="Required for NOT_APPLICABLE and REFUSED."
    )

    @model_validator(mode="after")
    def _explained(self) -> Self:
        if self.outcome in EXPLAINED_OUTCOMES and self.reason is None:
            raise ValueError(f"a {self.outcome} feedback needs a reason")
        return self
