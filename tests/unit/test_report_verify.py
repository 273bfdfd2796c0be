"""Sealing and verifying credit reports without a database: the JSON and the PDF that embeds
it verify; any changed byte, another server's key or an unknown key id fails, each with its
verdict (the exit code of ``tracer report verify``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tracer.api.audit.keyring import AuditKeyring
from tracer.domain.clock import Clock
from tracer.queries.liability import FindingSummary
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.reports import ReportCommitment
from tracer.reports.content import CreditReport, ReportHeader, ReportSubject
from tracer.reports.issue import verify_file
from tracer.reports.pdf import ATTACHMENT, render_pdf
from tracer.reports.seal import Verdict, canonical, seal, verify

NUMBER = "110105199001010021"
GENERATED = dt.datetime(2026, 12, 2, 22, 0, tzinfo=dt.UTC)


def _report() -> CreditReport:
    return CreditReport(
        header=ReportHeader(
            report_no="CR-20261203-TEST",
            issuer="测试信用中心",
            generated_at=GENERATED,
            as_of=dt.date(2026, 11, 24),
            known_on=None,
            ids="MASKED",
        ),
        subject=ReportSubject(
            kind="ENTERPRISE",
            enterprise=EnterpriseRef(uscc="91110000600037341L", name="顶点科技有限公司"),
        ),
        liable=True,
        restricted=True,
        findings=[
            FindingSummary(
                finding_id="F-2021-001",
                list_type="SERIOUS_DISHONESTY",
                authority="MKT01",
                basis="国发〔2016〕33号",
                decided_on=dt.date(2021, 1, 15),
                status_on_date="ACTIVE",
                applies=True,
            )
        ],
        liabilities=[],
        exposures=[],
        officers=[],
        shareholders=[],
        officers_liabilities=[],
        related_risk=[],
        red_list=[],
        commitments=[
            ReportCommitment(
                commitment_id="C-1",
                matter="告知承诺制审批",
                committed_on=dt.date(2025, 1, 1),
                due_on=dt.date(2025, 6, 30),
                state="OVERDUE",
            )
        ],
        interviews=[],
        objections=[],
    )


@pytest.fixture()
def ring(tmp_path: Path) -> AuditKeyring:
    return AuditKeyring(tmp_path / "report-keys.json")


def _sealed(ring: AuditKeyring) -> bytes:
    return seal(_report().model_dump(mode="json"), ring.load())


def test_a_sealed_report_verifies_and_carries_the_hash_of_its_canonical_content(
    ring: AuditKeyring,
) -> None:
    document = _sealed(ring)
    parsed = json.loads(document)
    assert document == canonical(parsed)
    payload = canonical(parsed["content"])
    assert parsed["verification"]["sha256"] == hashlib.sha256(payload).hexdigest()
    assert parsed["verification"]["kid"] == "k1"
    result = verify(document, ring.read())
    assert result.verdict is Verdict.AUTHENTIC and result.verdict.value == 0
    assert result.report_no == "CR-20261203-TEST"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_byte_fails_verification(ring: AuditKeyring, data: st.DataObject) -> None:
    document = _sealed(ring)
    index = data.draw(st.integers(0, len(document) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != document[index]))
    changed = document[:index] + bytes([byte]) + document[index + 1 :]
    assert verify(changed, ring.read()).verdict is not Verdict.AUTHENTIC


def test_a_changed_value_is_altered_and_a_recomputed_hash_is_not_ours(ring: AuditKeyring) -> None:
    parsed = json.loads(_sealed(ring))
    parsed["content"]["restricted"] = False
    altered = canonical(parsed)
    assert verify(altered, ring.read()).verdict is Verdict.ALTERED
    payload = canonical(parsed["content"])
    parsed["verification"]["sha256"] = hashlib.sha256(payload).hexdigest()
    assert verify(canonical(parsed), ring.read()).verdict is Verdict.NOT_ISSUED


def test_another_servers_key_or_an_unknown_kid_is_not_issued_here(
    ring: AuditKeyring, tmp_path: Path
) -> None:
    other = AuditKeyring(tmp_path / "other" / "report-keys.json")
    foreign = seal(_report().model_dump(mode="json"), other.load())
    ring.load()
    result = verify(foreign, ring.read())
    assert result.verdict is Verdict.NOT_ISSUED and result.verdict.value == 2
    parsed = json.loads(_sealed(ring))
    parsed["verification"]["kid"] = "k9"
    assert verify(canonical(parsed), ring.read()).verdict is Verdict.NOT_ISSUED
    assert verify(_sealed(ring), None).verdict is Verdict.NOT_ISSUED


def test_reports_sealed_before_a_rotation_still_verify(ring: AuditKeyring) -> None:
    before = _sealed(ring)
    assert ring.rotate().kid == "k2"
    after = _sealed(ring)
    assert json.loads(after)["verification"]["kid"] == "k2"
    for document in (before, after):
        assert verify(document, ring.read()).verdict is Verdict.AUTHENTIC


def test_the_pdf_prints_the_report_and_embeds_the_sealed_json(ring: AuditKeyring) -> None:
    document = _sealed(ring)
    seal_block = json.loads(document)["verification"]
    pdf = render_pdf(_report(), seal_block, document, Clock().zone)
    reader = PdfReader(io.BytesIO(pdf))
    pages = pdfium.PdfDocument(pdf)
    text = "\n".join(page.get_textpage().get_text_range() for page in pages)
    for expected in (
        "信用报告",
        "顶点科技有限公司",
        "91110000600037341L",
        "2026-11-24",
        "测试信用中心",
        "国发〔2016〕33号",
        "告知承诺制审批",
        "无记录",
        seal_block["sha256"],
        seal_block["hmac"],
        f"第 1 页 / 共 {len(reader.pages)} 页",
    ):
        assert expected in text, expected
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert any("NotoSansCJK" in name and "+" in name for name in fonts), fonts  # a subset
    assert reader.attachments[ATTACHMENT] == [document]
    assert verify_file(pdf, ring.read()).verdict is Verdict.AUTHENTIC


def test_a_pdf_whose_embedded_json_changed_fails(ring: AuditKeyring) -> None:
    document = _sealed(ring)
    pdf = render_pdf(_report(), json.loads(document)["verification"], document, Clock().zone)
    assert pdf.count(document) == 1, "the attachment is stored uncompressed"
    tampered = pdf.replace(b'"restricted":true', b'"restricted":fals', 1)
    assert len(tampered) == len(pdf) and tampered != pdf
    assert verify_file(tampered, ring.read()).verdict is Verdict.ALTERED
    assert verify_file(b"%PDF-1.7 not really", ring.read()).verdict is Verdict.ALTERED


def test_a_masked_report_carries_no_full_id_number(ring: AuditKeyring) -> None:
    report = _report().model_copy(
        update={
            "subject": ReportSubject(
                kind="PERSON", person=PersonRef.of("RESIDENT_ID", NUMBER, "张三")
            )
        }
    )
    document = seal(report.model_dump(mode="json"), ring.load())
    assert NUMBER.encode() not in document
    assert b"110105********0021" in document
