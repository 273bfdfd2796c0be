"""Request bodies and page envelopes of the API (responses reuse the engine's models)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from tracer.domain.identifiers import ID_TYPES

#: Most persons one ``POST /v1/checks/batch`` may carry.
MAX_BATCH = 10_000
#: Largest page any list endpoint returns, and the furthest it may skip.
MAX_LIMIT = 500
MAX_OFFSET = 10_000

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


class CheckRequest(PersonIdentifier):
    """Is this person restricted on ``as_of`` (optionally: from ``measure``)?"""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id_type": "RESIDENT_ID",
                    "id_number": "11010519491231002X",
                    "as_of": "2026-11-24",
                    "measure": "FLIGHT_BAN",
                }
            ]
        },
    )

    as_of: AsOf = None
    measure: Code | None = Field(
        default=None, description="Only liabilities carrying this measure."
    )


class BatchCheckRequest(BaseModel):
    """Screen many persons in one request (one engine round trip)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "people": [
                        {"id_type": "RESIDENT_ID", "id_number": "11010519491231002X"},
                        {"id_type": "PASSPORT", "id_number": "E12345678"},
                    ],
                    "as_of": "2026-11-24",
                }
            ]
        },
    )

    people: list[PersonIdentifier] = Field(min_length=1, max_length=MAX_BATCH)
    as_of: AsOf = None
    measure: Code | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a bounded list: ``next_offset`` is null on the last page."""

    items: list[T]
    limit: int
    offset: int
    next_offset: int | None


def paginate(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """A page envelope over an already bounded list."""
    window = items[offset : offset + limit]
    more = offset + limit < len(items)
    return {
        "items": window,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if more else None,
    }


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


Text = Annotated[str, Field(min_length=1, max_length=2000)]


class TransitionRequest(BaseModel):
    """A status change: objection (UNDER_REVIEW), decision (ACTIVE/CORRECTED/REVOKED), repair
    (REPAIRED), expiry (EXPIRED)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "to_status": "UNDER_REVIEW",
                    "reason": "objection filed by the enterprise",
                    "document": "异议申请 2026-001",
                }
            ]
        },
    )

    to_status: Literal["ACTIVE", "UNDER_REVIEW", "CORRECTED", "REVOKED", "REPAIRED", "EXPIRED"]
    reason: Text
    document: Text | None = None
    at: dt.datetime | None = Field(default=None, description="Default: now (with a time zone).")


class ReleaseRequest(PersonIdentifier):
    """Release one person from one finding (e.g. a court lifts a former officer's restriction)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id_type": "RESIDENT_ID",
                    "id_number": "11010519491231002X",
                    "reason": "left the enterprise for business reasons before the act",
                    "document": "(2026)京01执恢1号",
                }
            ]
        },
    )

    reason: Text
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
    outcome: Literal["APPLIED", "NOT_APPLICABLE", "REFUSED"]
    on: dt.date = Field(description="When the department acted (not in the future).")
    reason: Text | None = Field(default=None, description="Required unless APPLIED.")
