"""Issuing and verifying report files: the sealed JSON, or the PDF that embeds it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Literal

from tracer.domain.clock import Clock
from tracer.domain.keys import SubjectKey
from tracer.domain.masking import revealing_ids
from tracer.queries.runner import QueryRunner
from tracer.reports.content import CreditReport, build_report
from tracer.reports.pdf import embedded_document, render_pdf
from tracer.reports.seal import KeyRing, Verdict, Verification, seal, verify

Format = Literal["pdf", "json"]
MEDIA_TYPES: dict[Format, str] = {"pdf": "application/pdf", "json": "application/json"}


@dataclass(frozen=True)
class Issued:
    """A report, and its file in the format asked for."""

    report: CreditReport
    data: bytes
    sha256: str


def issue(
    runner: QueryRunner,
    subject: SubjectKey,
    as_of: dt.date,
    known_on: dt.datetime | None,
    *,
    ring: KeyRing,
    issuer: str,
    clock: Clock,
    fmt: Format,
    full_ids: bool = False,
) -> Issued:
    """Build, seal and render the report on ``subject`` (``NotFound`` for an unknown one). ID
    numbers are masked unless ``full_ids``."""
    report = build_report(
        runner, subject, as_of, known_on, issuer=issuer, clock=clock, full_ids=full_ids
    )
    with revealing_ids(full_ids):
        content = report.model_dump(mode="json")
    document = seal(content, ring)
    verification = json.loads(document)["verification"]
    data = document if fmt == "json" else render_pdf(report, verification, document, clock.zone)
    return Issued(report, data, verification["sha256"])


def verify_file(data: bytes, ring: KeyRing | None) -> Verification:
    """Verify a report file: a PDF by the JSON it embeds, otherwise the file as JSON."""
    if data.startswith(b"%PDF"):
        document = embedded_document(data)
        if document is None:
            return Verification(Verdict.ALTERED, "the PDF carries no readable embedded report")
        return verify(document, ring)
    return verify(data, ring)
