"""Request bodies and page envelopes of the API (responses reuse the engine's models)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from tracer.domain.identifiers import ID_TYPES
from tracer.queries.liability import MAX_BATCH
from tracer.queries.paging import MAX_LIMIT, MAX_OFFSET

IdType = Literal[ID_TYPES]  # type: ignore[valid-type]
IdNumber = Annotated[
    str,
    Field(min_length=1, max_length=40, description="Document number (sent in the body only)."),
]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
AsOf = Annotated[
    dt.date | None,
    Field(description="The date the answer is about (default: today).", examples=["2026-11-24"]),
]

_STRICT = ConfigDict(extra="forbid")


class PersonIdentifier(BaseModel):
    """A natural person by document type and number."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"}]
        },
    )

    id_type: IdType = "RESIDENT_ID"
    id_number: IdNumber


KnownOn = Annotated[
    str | None,
    Field(
        max_length=40,
        description=(
            "Answer as the system would have on this date (end of that day in the deployment's "
            "time zone) or ISO 8601 instant; default: as now known."
        ),
        examples=["2025-06-30"],
    ),
]


class SubjectBody(BaseModel):
    """An enterprise (``uscc``) or a person (``id_type`` + ``id_number``): exactly one of them."""

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


class CheckRequest(SubjectBody):
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
    measure: Code | None = Field(default=None, description="Restricted from this measure?")


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
            ]
        },
    )

    subjects: list[SubjectBody] = Field(default_factory=list, max_length=MAX_BATCH)
    people: list[PersonIdentifier] = Field(default_factory=list, max_length=MAX_BATCH)
    as_of: AsOf = None
    known_on: KnownOn = None
    measure: Code | None = None


class PathsRequest(BaseModel):
    """How are two subjects connected?"""

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

    source: SubjectBody
    target: SubjectBody
    max_hops: int = Field(default=6, ge=1, le=8, description="Relationships per path (≤ 8).")
    limit: int = Field(default=10, ge=1, le=50, description="Paths returned (≤ 50).")
    as_of: dt.date | None = Field(
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

    center: SubjectBody
    depth: int = Field(default=1, ge=1, le=3, description="Relationships from the centre (≤ 3).")
    limit: int = Field(default=200, ge=1, le=1000, description="Nodes returned (≤ 1000).")
    as_of: dt.date | None = None


LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (≤ {MAX_LIMIT}).")]
OffsetQuery = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip (≤ {MAX_OFFSET}).")
]
AsOfQuery = Annotated[dt.date | None, Query(description="The date of the answer (default: today).")]
KnownOnQuery = Annotated[
    str | None,
    Query(
        max_length=40,
        description="Answer as known on this date or ISO 8601 instant (default: as now known).",
    ),
]


Text = Annotated[str, Field(min_length=1, max_length=2000)]


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
    effective_on: dt.date | None = Field(
        default=None,
        description="When it takes effect (default: today; EXPIRED: the day after the period).",
    )
    new_effective_until: dt.date | None = Field(default=None, description="A change of term.")
    reason: Text
    document: Text | None = None


class ReleaseRequest(PersonIdentifier):
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

    reason: Text
    effective_on: dt.date | None = Field(default=None, description="Default: today.")
    wrongful: bool = Field(default=False, description="Wrongly named: void from the start.")
    document: Text | None = None


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
            ]
        },
    )

    department: Code
    finding_id: Annotated[str, Field(min_length=1, max_length=100)]
    subject: SubjectBody
    measure: Code
    outcome: Literal["APPLIED", "NOT_APPLICABLE", "REFUSED", "LIFTED", "RESTORED"]
    on: dt.date = Field(description="When the department acted (not in the future).")
    reason: Text | None = Field(
        default=None, description="Required for NOT_APPLICABLE and REFUSED."
    )
