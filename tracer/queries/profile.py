"""The enterprise profile: who runs, owns and works for it (now and before), its honours,
findings and the persons those findings make liable (``tracer enterprise``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from tracer.domain.errors import NotFound
from tracer.domain.keys import SubjectKey
from tracer.queries.catalogue import cypher
from tracer.queries.liability import (
    Exposure,
    FindingSummary,
    Liability,
    LiablePerson,
    NotifiedOrganisation,
    enterprise_liabilities,
)
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.records import SubjectRecords, subject_records
from tracer.queries.runner import QueryRunner, Row

MAX_ROWS = 1000


class Officer(BaseModel):
    """A position (HOLDS), current when it is held on ``as_of``."""

    person: PersonRef
    role: str
    start_date: dt.date | None
    end_date: dt.date | None
    current: bool


class Shareholder(BaseModel):
    """A direct shareholding (OWNS) by a person, an enterprise or a department."""

    kind: Literal["PERSON", "ENTERPRISE", "DEPARTMENT"]
    person: PersonRef | None = None
    code: str | None = None
    name: str | None = None
    share: float | None
    share_min: float | None = None
    share_max: float | None = None
    start_date: dt.date | None
    end_date: dt.date | None
    current: bool


class Practitioner(BaseModel):
    """A registered practitioner (REGISTERED_AT)."""

    person: PersonRef
    qualification: str | None
    certificate_no: str | None = None
    start_date: dt.date | None
    end_date: dt.date | None
    current: bool


class HonourEntry(BaseModel):
    """A red-list honour, valid when ``as_of`` lies in its validity."""

    honour_id: str
    honour: str
    granted_by: str | None = None
    granted_on: dt.date | None = None
    valid_until: dt.date | None = None
    revoked_on: dt.date | None = None
    revocation_reason: str | None = None
    valid: bool


class ExternalListing(BaseModel):
    """An entry on another body's list (e.g. a sanction from OpenSanctions), loaded from an
    interchange file: information for investigators, never a finding of this system."""

    listing_id: str
    source: str | None = None
    program: str | None = None
    reason: str | None = None
    authority: str | None = None
    country: str | None = None
    source_url: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    topics: list[str] | None = None


class Department(BaseModel):
    """A superior department (SUPERVISED_BY)."""

    code: str
    name: str | None = None
    kind: str | None = None


class EnterpriseProfile(BaseModel):
    """Everything ``tracer enterprise`` shows."""

    enterprise: EnterpriseRef
    as_of: dt.date
    kind: str | None = None
    ownership: str | None = None
    status: str | None = None
    region_code: str | None = None
    established_on: dt.date | None = None
    superiors: list[Department]
    officers: list[Officer]
    shareholders: list[Shareholder]
    practitioners: list[Practitioner]
    honours: list[HonourEntry]
    external_listings: list[ExternalListing] = []
    findings: list[FindingSummary]
    subject_measures: list[Liability]
    liable: list[LiablePerson]
    exposures: list[Exposure]
    notified: list[NotifiedOrganisation]
    records: SubjectRecords = Field(description="credit commitments and interviews, flagged")


def _held(row: Row, as_of: dt.date) -> bool:
    start, end = row.get("start_date"), row.get("end_date")
    return (start is None or start <= as_of) and (end is None or end >= as_of)


def _person(row: Row) -> PersonRef:
    return PersonRef.of(row["id_type"], row["id_number"], row.get("name"))


def _dated(row: Row, as_of: dt.date, **extra: Any) -> dict[str, Any]:
    return {**row, **extra, "current": _held(row, as_of)}


def enterprise_profile(
    runner: QueryRunner, uscc: str, as_of: dt.date, known_on: dt.datetime | None = None
) -> EnterpriseProfile:
    """The profile of one enterprise on ``as_of`` (its findings as known on ``known_on``).
    Raises ``NotFound`` for an unknown USCC."""
    row = runner.read_one(cypher("profile_enterprise"), uscc=uscc, limit=MAX_ROWS)
    if row is None:
        raise NotFound(f"no enterprise with USCC {uscc}")
    found = row["enterprise"]
    liabilities = enterprise_liabilities(runner, uscc, as_of, known_on)
    today_valid = [
        HonourEntry(
            **honour,
            valid=(honour.get("granted_on") is None or honour["granted_on"] <= as_of)
            and (honour.get("valid_until") is None or honour["valid_until"] >= as_of)
            and (honour.get("revoked_on") is None or honour["revoked_on"] > as_of),
        )
        for honour in row["honours"]
    ]
    return EnterpriseProfile(
        enterprise=liabilities.enterprise,
        as_of=as_of,
        kind=found.get("kind"),
        ownership=found.get("ownership"),
        status=found.get("status"),
        region_code=found.get("region_code"),
        established_on=found.get("established_on"),
        superiors=[Department(**item) for item in row["superiors"]],
        officers=sorted(
            (
                Officer(**_dated(item, as_of, person=_person(item["person"])))
                for item in row["officers"]
            ),
            key=lambda officer: not officer.current,
        ),
        shareholders=[
            Shareholder(
                **_dated(
                    item,
                    as_of,
                    person=_person(item["person"]) if item["person"] else None,
                )
            )
            for item in row["shareholders"]
        ],
        practitioners=[
            Practitioner(**_dated(item, as_of, person=_person(item["person"])))
            for item in row["practitioners"]
        ],
        honours=today_valid,
        external_listings=[ExternalListing(**item) for item in row["external_listings"]],
        findings=liabilities.findings,
        subject_measures=liabilities.subject_measures,
        liable=liabilities.liable,
        exposures=liabilities.exposures,
        notified=liabilities.notified,
        records=subject_records(runner, SubjectKey.enterprise(uscc), as_of),
    )
