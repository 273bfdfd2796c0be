"""The PDF of a sealed report (fpdf2): title, subject, scope, dates, issuer, report number,
numbered sections with the evidence ("无记录 / No records" where empty), the SHA-256 and HMAC
in a verification box and in every page's footer, and the sealed JSON embedded as an
attachment (``credit-report.json``) that ``tracer report verify`` extracts and checks. Chinese
text is set in Noto Sans CJK SC (SIL OFL 1.1), vendored as a subset and embedded as a subset."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, WrapMode, XPos, YPos
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from tracer.queries.liability import Liability, PathNode, PathRelationship
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.reports.content import CreditReport

ATTACHMENT = "credit-report.json"
FONT = "NotoSansCJK"
_FONT_FILE = "NotoSansCJKsc-Regular-subset.otf"
_INK, _MUTED, _ACCENT, _BAND = (25, 25, 25), (100, 100, 100), (150, 20, 20), (240, 236, 228)
_RULE = (200, 200, 200)
_HEAD = FontFace(emphasis="NONE", color=_INK, fill_color=_BAND)


def _text(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    return str(value)


class _Document(FPDF):
    """A4 pages with a running header and a footer carrying the page numbers and the hash."""

    def __init__(self, report_no: str, sha256: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_no, self.sha256 = report_no, sha256
        with resources.as_file(
            resources.files("tracer.reports").joinpath("fonts", _FONT_FILE)
        ) as path:
            self.add_font(FONT, fname=str(path))
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(True, margin=22)
        self.alias_nb_pages("{nb}")

    def header(self) -> None:
        self.set_font(FONT, size=8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, "信用报告 Credit report", new_x=XPos.LMARGIN, new_y=YPos.TOP)
        self.cell(
            0, 5, f"报告编号 No. {self.report_no}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_draw_color(*_ACCENT)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_draw_color(*_MUTED)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FONT, size=7)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, f"SHA-256 {self.sha256}", new_x=XPos.LMARGIN, new_y=YPos.TOP)
        self.cell(
            0,
            5,
            f"第 {self.page_no()} 页 / 共 {{nb}} 页",
            align="R",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.cell(0, 4, "核验 Verify: tracer report verify <本文件 this file>")


class _Writer:
    """Writes the sections of one report."""

    def __init__(self, report: CreditReport, seal: dict[str, Any], zone: dt.tzinfo) -> None:
        self.report, self.seal, self.zone = report, seal, zone
        self.full = report.header.ids == "FULL"
        self.pdf = _Document(report.header.report_no, str(seal.get("sha256", "")))
        self.section_no = 0

    # -- building blocks --------------------------------------------------------------------
    def person(self, person: PersonRef | None) -> str:
        if person is None:
            return "—"
        number = person.id_number if self.full and person.id_number else person.id_masked
        return f"{person.name or '?'}（{person.id_type} {number}）"

    @staticmethod
    def enterprise(enterprise: EnterpriseRef | None) -> str:
        return "—" if enterprise is None else f"{enterprise.name or '?'}（{enterprise.uscc}）"

    def path(self, elements: Sequence[PathNode | PathRelationship]) -> str:
        parts: list[str] = []
        for element in elements:
            if isinstance(element, PathNode):
                parts.append(
                    self.person(element.person)
                    if element.person
                    else f"{element.name or element.key or element.label}"
                )
            else:
                role = element.properties.get("role") or element.properties.get("capacity")
                label = f"{element.type}:{role}" if role else element.type
                parts.append(f" —{label}→ " if element.direction == "forward" else f" ←{label}— ")
        return "".join(parts)

    def heading(self, chinese: str, english: str) -> None:
        self.section_no += 1
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, size=12)
        pdf.set_text_color(*_ACCENT)
        pdf.cell(
            0, 7, f"{self.section_no}. {chinese}  {english}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_text_color(*_INK)
        pdf.set_font(FONT, size=8)

    def table(
        self, headings: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[float]
    ) -> None:
        rows = list(rows)
        pdf = self.pdf
        pdf.set_draw_color(*_RULE)
        if not rows:
            pdf.set_text_color(*_MUTED)
            pdf.cell(0, 6, "无记录 / No records", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(*_INK)
            return
        with pdf.table(
            col_widths=tuple(widths),
            headings_style=_HEAD,
            text_align="LEFT",
            wrapmode=WrapMode.WORD,
            line_height=4.2,
            padding=1,
            cell_fill_color=(250, 249, 246),
            cell_fill_mode=TableCellFillMode.ROWS,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            table.row(list(headings))
            for row in rows:
                table.row([_text(value) for value in row])
        pdf.ln(1)

    def pairs(self, rows: Sequence[tuple[str, str]]) -> None:
        self.pdf.set_draw_color(*_RULE)
        with self.pdf.table(
            col_widths=(28, 72),
            first_row_as_headings=False,
            text_align="LEFT",
            wrapmode=WrapMode.WORD,
            line_height=5,
            padding=1.2,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            for label, value in rows:
                table.row([label, value])

    def block(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        """A titled record whose lines wrap and break across pages."""
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 45:
            pdf.add_page()
        pdf.set_font(FONT, size=9)
        pdf.set_fill_color(*_BAND)
        pdf.multi_cell(0, 5.5, title, fill=True, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, size=8)
        for label, value in rows:
            pdf.set_text_color(*_MUTED)
            pdf.cell(46, 4.5, label)
            pdf.set_text_color(*_INK)
            pdf.multi_cell(0, 4.5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def none_if(self, records: Sequence[object]) -> None:
        """Say "no records" under a section that has none."""
        if not records:
            self.pdf.set_text_color(*_MUTED)
            self.pdf.cell(0, 6, "无记录 / No records", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.pdf.set_text_color(*_INK)

    def liabilities(self, items: Sequence[Liability], who: str | None = None) -> None:
        """Each liability with its rule, role or capacity, measures, path and source clause."""
        for item in items:
            self.block(
                f"{who + '  ' if who else ''}{item.finding_id}  {item.rule} {item.rule_name}",
                [
                    ("身份 Role / capacity", item.capacity or item.role or item.via),
                    ("措施 Measures", ", ".join(item.measures) or "—"),
                    ("期限至 Until", _text(item.effective_until)),
                    ("证据路径 Path", self.path(item.path)),
                    ("条款 Source", item.source),
                ],
            )
        if who is None:
            self.none_if(items)

    # -- the document -----------------------------------------------------------------------
    def title(self) -> None:
        pdf, head, subject = self.pdf, self.report.header, self.report.subject
        pdf.add_page()
        pdf.set_font(FONT, size=24)
        pdf.set_text_color(*_INK)
        pdf.cell(0, 12, "信用报告", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, size=12)
        pdf.set_text_color(*_MUTED)
        pdf.cell(0, 7, "Credit report", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)
        pdf.set_text_color(*_INK)
        pdf.set_font(FONT, size=9)
        if subject.enterprise is not None:
            who = [
                ("报告主体 Subject", subject.enterprise.name or "—"),
                ("统一社会信用代码 USCC", subject.enterprise.uscc),
            ]
        else:
            person = subject.person
            number = (person.id_number if self.full else person.id_masked) if person else None
            who = [
                ("报告主体 Subject", (person.name if person else None) or "—"),
                ("证件 ID", f"{person.id_type if person else ''} {_text(number)}"),
            ]
        generated = head.generated_at.astimezone(self.zone)
        self.pairs(
            [
                *who,
                ("报告日 As of", head.as_of.isoformat()),
                (
                    "知悉时点 Known on",
                    head.known_on.isoformat()
                    if head.known_on
                    else "生成时 as known when generated",
                ),
                ("签发机构 Issuer", head.issuer),
                (
                    "生成时间 Generated",
                    f"{generated:%Y-%m-%d %H:%M:%S %z}"
                    f"（UTC {head.generated_at:%Y-%m-%d %H:%M:%S}）",
                ),
                ("报告编号 Report no.", head.report_no),
                ("证件号码 ID numbers", "完整 full" if self.full else "已遮蔽 masked"),
                ("范围 Scope", head.scope),
            ]
        )
        pdf.ln(2)
        pdf.set_font(FONT, size=10)
        liable = (
            "报告日是否在失信名单 Listed on the date"
            if subject.kind == "ENTERPRISE"
            else "报告日是否负有责任 Liable on the date"
        )
        verdict = (
            f"{liable}: {_text(self.report.liable)}    "
            f"是否受限制 Restricted: {_text(self.report.restricted)}"
        )
        pdf.set_text_color(*(_ACCENT if self.report.restricted else _INK))
        pdf.cell(0, 7, verdict, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*_INK)

    def sections(self) -> None:
        r = self.report
        self.heading("失信认定", "Findings")
        for f in r.findings:
            self.block(
                f"{f.finding_id}  {_text(f.list_type)}",
                [
                    ("认定机关（代码）Authority", _text(f.authority)),
                    ("依据 Basis", _text(f.basis)),
                    (
                        "行为日 / 决定日 Act / decided",
                        f"{_text(f.act_date)} / {_text(f.decided_on)}",
                    ),
                    ("期限 Period", f"{_text(f.decided_on)} – {_text(f.effective_until)}"),
                    (
                        "报告日状态 Status on the date",
                        f"{_text(f.status_on_date)}"
                        + (
                            ""
                            if f.applies
                            else f"（不适用 not applying: {_text(f.not_applying_reason)}）"
                        ),
                    ),
                ],
            )
        self.none_if(r.findings)
        self.heading("责任与措施", "Liabilities and measures")
        self.liabilities(r.liabilities)
        if r.exposures:
            self.pdf.cell(
                0,
                6,
                "暴露（非责任）Exposures (not liabilities)",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            self.table(
                ("认定 Finding", "身份 Role", "人员 Person", "自 Since", "原因 Reason"),
                (
                    (e.finding_id, e.role, self.person(e.person), e.since, e.reason)
                    for e in r.exposures
                ),
                (14, 16, 28, 12, 30),
            )
        if r.subject.kind == "ENTERPRISE":
            self.heading("高管与股东", "Officers and shareholders")
            self.table(
                ("人员 Person", "职务 Role", "任职 From", "离任 To", "现任 Current"),
                (
                    (self.person(o.person), o.role, o.start_date, o.end_date, o.current)
                    for o in r.officers
                ),
                (36, 22, 14, 14, 14),
            )
            self.table(
                ("股东 Holder", "持股 Share", "自 From", "至 To"),
                (
                    (
                        self.person(s.person)
                        if s.person
                        else f"{_text(s.name)}（{_text(s.code)}）",
                        "unknown" if s.share is None else f"{s.share:.1%}",
                        s.start_date,
                        s.end_date,
                    )
                    for s in r.shareholders
                ),
                (46, 18, 18, 18),
            )
            self.heading("高管责任", "Officers' liabilities")
            for liable in r.officers_liabilities:
                self.liabilities(liable.liabilities, self.person(liable.person))
            self.none_if(r.officers_liabilities)
        self.heading("关联风险（信息，非限制）", "Related risk (information, not a restriction)")
        self.table(
            (
                "关系 Relation",
                "主体 Subject",
                "认定 Finding",
                "名单 List",
                "决定日 Decided",
                "持股 Share",
            ),
            (
                (
                    f"{x.relation} {_text(x.role)}",
                    self.person(x.person) if x.person else self.enterprise(x.enterprise),
                    x.finding_id,
                    x.list_type,
                    x.decided_on,
                    "—" if x.share is None else f"{x.share:.1%}",
                )
                for x in r.related_risk
            ),
            (18, 30, 14, 16, 12, 10),
        )
        self.heading("红名单", "Red list")
        self.table(
            (
                "荣誉 Honour",
                "授予 Granted by",
                "授予日 On",
                "有效至 Valid until",
                "报告日有效 Valid",
            ),
            ((h.honour, h.granted_by, h.granted_on, h.valid_until, h.valid) for h in r.red_list),
            (30, 26, 14, 16, 14),
        )
        self.heading("信用承诺", "Credit commitments")
        self.table(
            ("编号 Id", "事项 Matter", "部门 Department", "承诺日 On", "期限 Due", "状态 State"),
            (
                (
                    c.commitment_id,
                    c.matter,
                    c.department.name if c.department else None,
                    c.committed_on,
                    c.due_on,
                    c.state,
                )
                for c in r.commitments
            ),
            (14, 30, 20, 12, 12, 12),
        )
        self.heading("约谈", "Interviews")
        self.table(
            (
                "编号 Id",
                "类型 Kind",
                "部门 Department",
                "约谈日 Held",
                "整改期限 Rectify by",
                "状态 State",
            ),
            (
                (
                    i.interview_id,
                    i.kind,
                    i.department.name if i.department else None,
                    i.held_on,
                    i.rectify_by,
                    i.state,
                )
                for i in r.interviews
            ),
            (14, 16, 22, 14, 16, 18),
        )
        self.heading("异议", "Objections")
        self.table(
            (
                "编号 Id",
                "认定 Finding",
                "异议人 By",
                "提出日 Filed",
                "核查期限 Deadline",
                "结果 Outcome",
            ),
            (
                (
                    o.objection_id,
                    o.finding_id,
                    self.person(o.person) if o.person else "主体 subject",
                    o.filed_on,
                    o.deadline,
                    o.outcome or o.state,
                )
                for o in r.objections
            ),
            (16, 14, 26, 12, 14, 18),
        )

    def verification_box(self) -> None:
        self.heading("核验", "Verification")
        self.pairs(
            [
                ("SHA-256", str(self.seal.get("sha256"))),
                ("HMAC-SHA256", str(self.seal.get("hmac"))),
                ("密钥 Key", f"{self.seal.get('kid')} / {self.seal.get('keyring')}"),
                (
                    "核验方法 How to verify",
                    f"本 PDF 内嵌报告 JSON（附件 {ATTACHMENT}）。"
                    "签发方运行 tracer report verify 本文件，"
                    "或将文件交签发机构核验：结果为“真实未改动 AUTHENTIC AND UNALTERED”、"
                    "“已改动 ALTERED”或“非本系统签发 NOT ISSUED BY THIS SERVER”。The SHA-256 is of "
                    "the canonical JSON of the content; the HMAC needs the issuer's key.",
                ),
            ]
        )

    def render(self, document: bytes) -> bytes:
        head = self.report.header
        pdf = self.pdf
        pdf.set_title(f"信用报告 Credit report {head.report_no}")
        pdf.set_author(head.issuer)
        pdf.set_creator("Liability Tracer")
        pdf.set_lang("zh-CN")
        pdf.set_creation_date(head.generated_at)
        self.title()
        self.sections()
        self.verification_box()
        pdf.embed_file(
            bytes=document,
            basename=ATTACHMENT,
            desc="The sealed report (content and verification) this PDF prints",
            mime_type="application/json",
            modification_date=head.generated_at,
        )
        return bytes(pdf.output())


def render_pdf(
    report: CreditReport, seal: dict[str, Any], document: bytes, zone: dt.tzinfo
) -> bytes:
    """The PDF of ``report``, whose sealed ``document`` carries ``seal`` (its verification)."""
    return _Writer(report, seal, zone).render(document)


def embedded_document(pdf: bytes) -> bytes | None:
    """The sealed JSON embedded in a report's PDF, or None when there is none (or the file is
    not a readable PDF)."""
    try:
        attachments = PdfReader(io.BytesIO(pdf)).attachments
        found = attachments.get(ATTACHMENT)
    except (PdfReadError, ValueError, KeyError, OSError):
        return None
    return found[0] if found and len(found) == 1 else None
