"""What a credit report says (DOMAIN §13): for an enterprise or a person on a date, as known on
an instant — findings, liabilities with their evidence, officers and their liabilities, related
risk, red list, commitments, interviews and objections — with scope, issuer and generation
time. Built from the engine's query functions only."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Literal

from pydantic import BaseModel, Field

from tracer.domain.clock import Clock
from tracer.domain.errors import NotFound
from tracer.domain.keys import SubjectKey
from tracer.queries.liability import (
    Check,
    Exposure,
    FindingSummary,
    Liability,
    LiablePerson,
    RelatedRisk,
    check_subjects,
    findings_reach,
)
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.profile import Officer, Shareholder, enterprise_profile
from tracer.queries.reports import (
    ReportCommitment,
    ReportHonour,
    ReportInterview,
    ReportObjection,
    report_records,
)
from tracer.queries.runner import QueryRunner

TITLE = "信用报告 / Credit report"
SCOPE = (
    "本报告列出本系统在报告日所记录的认定、责任及其证据、相关主体、红名单、信用承诺、约谈和异议；"
    "不含本系统以外的信息。 Findings, liabilities and their evidence, officers, related risk, "
    "red list, credit commitments, interviews and objections recorded in this system for the "
    "subject on the as-of date, as known at the knowledge time; nothing outside this system."
)


class ReportHeader(BaseModel):
    """The report's identity: number, issuer, dates, scope and how ID numbers are shown."""

    report_no: str
    title: str = TITLE
    issuer: str
    generated_at: dt.datetime = Field(description="the server's clock, UTC")
    as_of: dt.date
    known_on: dt.datetime | None = Field(description="null: as known when generated")
    scope: str = SCOPE
    ids: Literal["MASKED", "FULL"]


class ReportSubject(BaseModel):
    """The enterprise or the person the report is about."""

    kind: Literal["ENTERPRISE", "PERSON"]
    enterprise: EnterpriseRef | None = None
    person: PersonRef | None = None


class CreditReport(BaseModel):
    """The content of a credit report (what the JSON carries and the PDF prints)."""

    header: ReportHeader
    subject: ReportSubject
    liable: bool = Field(description="at least one liability applies on the date")
    restricted: bool = Field(description="a restricting measure applies on the date")
    findings: list[FindingSummary] = Field(
        description="against the enterprise, or behind the person's liabilities"
    )
    liabilities: list[Liability] = Field(
        description="the person's liabilities, or the memoranda's measures on the enterprise"
    )
    exposures: list[Exposure]
    officers: list[Officer]
    shareholders: list[Shareholder]
    officers_liabilities: list[LiablePerson]
    related_risk: list[RelatedRisk]
    red_list: list[ReportHonour]
    commitments: list[ReportCommitment]
    interviews: list[ReportInterview]
    objections: list[ReportObjection]


def report_number(clock: Clock) -> str:
    """A new report number: ``CR-<local date>-<random hex>``."""
    return f"CR-{clock.today():%Y%m%d}-{secrets.token_hex(5).upper()}"


def _decided(findings: list[FindingSummary], as_of: dt.date) -> list[FindingSummary]:
    return [f for f in findings if f.decided_on is None or f.decided_on <= as_of]


def build_report(
    runner: QueryRunner,
    subject: SubjectKey,
    as_of: dt.date,
    known_on: dt.datetime | None,
    *,
    issuer: str,
    clock: Clock,
    full_ids: bool = False,
) -> CreditReport:
    """The report on a normalised ``subject`` on ``as_of`` as known on ``known_on``; raises
    ``NotFound`` for a subject the graph does not hold."""
    check: Check = check_subjects(runner, [subject], as_of, None, known_on)[0]
    if not check.known:
        raise NotFound("no such enterprise or person in this system")
    header = ReportHeader(
        report_no=report_number(clock),
        issuer=issuer,
        generated_at=clock.now(),
        as_of=as_of,
        known_on=known_on,
        ids="FULL" if full_ids else "MASKED",
    )
    if subject.uscc is not None:
        profile = enterprise_profile(runner, subject.uscc, as_of, known_on)
        findings = _decided(profile.findings, as_of)
        officers, shareholders = profile.officers, profile.shareholders
        officers_liabilities, exposures = profile.liable, profile.exposures
        report_subject = ReportSubject(kind="ENTERPRISE", enterprise=profile.enterprise)
    else:
        ids = [item.finding_id for item in check.liabilities]
        reached = findings_reach(runner, ids, as_of, known_on)
        findings = [reached[i].finding for i in dict.fromkeys(ids) if i in reached]
        officers, shareholders, officers_liabilities = [], [], []
        exposures = check.exposures
        assert isinstance(check.subject, PersonRef)
        report_subject = ReportSubject(kind="PERSON", person=check.subject)
    records = report_records(
        runner, subject, [item.finding_id for item in findings], as_of, known_on
    )
    return CreditReport(
        header=header,
        subject=report_subject,
        liable=check.liable,
        restricted=check.restricted,
        findings=findings,
        liabilities=check.liabilities,
        exposures=exposures,
        officers=officers,
        shareholders=shareholders,
        officers_liabilities=officers_liabilities,
        related_risk=check.related_risk,
        red_list=records.honours,
        commitments=records.commitments,
        interviews=records.interviews,
        objections=records.objections,
    )
