"""Screening from a spreadsheet (INTERFACES §2 ``tracer check --file``; ``POST /v1/checks/file``):
one input row per person or enterprise, checked with the batch engine in chunks, and one result
row per input row (verdict, masked ID, record name and whether the given name matches it,
measures, rules, findings, a short why) plus one evidence row per liability.

A name in the file is only compared with the record (``NAME_MISMATCH`` is a warning): the
subject is always the one the identifier names, never one found by its name (DOMAIN §2).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tracer.domain.errors import InvalidInput
from tracer.domain.identifiers import InvalidIdentifier
from tracer.domain.keys import SubjectKey
from tracer.domain.masking import mask_number
from tracer.domain.sheets import Rows, Sheet
from tracer.queries.liability import CHECK_BATCH, Check, Liability, check_subjects
from tracer.queries.models import PersonRef
from tracer.queries.runner import QueryRunner

#: Accepted column names (compared case-insensitively) of each input field.
COLUMN_ALIASES = {
    "id_type": ("id_type", "证件类型"),
    "id_number": ("id_number", "证件号码", "身份证号码", "身份证号"),
    "uscc": ("uscc", "统一社会信用代码", "信用代码"),
    "name": ("name", "姓名", "名称", "企业名称"),
}
#: Document types as people write them in Chinese spreadsheets.
ID_TYPE_ALIASES = {
    "居民身份证": "RESIDENT_ID",
    "身份证": "RESIDENT_ID",
    "护照": "PASSPORT",
    "港澳居民来往内地通行证": "HK_MACAO_PERMIT",
    "台湾居民来往大陆通行证": "TAIWAN_PERMIT",
    "外国人永久居留身份证": "FOREIGN_PERMANENT",
}
VERDICTS = ("RESTRICTED", "LIABLE_NOT_RESTRICTED", "CLEAR", "NOT_FOUND", "INVALID")
RESULT_COLUMNS = (
    "verdict", "reason", "subject_kind", "subject", "record_name", "name_check",
    "measures", "rules", "findings", "related_risk", "why",
)  # fmt: skip
EVIDENCE_COLUMNS = (
    "row", "subject", "record_name", "finding_id", "rule", "rule_name", "via", "role",
    "capacity", "enterprise_uscc", "enterprise_name", "list_type", "measures", "restricting",
    "effective_until", "source",
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One input row: its line, cells, and the subject it names or why it names none."""

    line: int
    cells: list[str | None]
    key: SubjectKey | None
    name: str | None
    error: str | None = None


@dataclass(frozen=True)
class Screening:
    """A file's entries and, for each, its check (None where the row was invalid)."""

    header: list[str]
    id_column: int | None
    entries: list[Entry]
    checks: list[Check | None]

    def verdicts(self) -> list[str]:
        """The verdict of each row, in input order."""
        return [verdict(check) for check in self.checks]

    def summary(self) -> dict[str, int]:
        """Rows, and how many of each verdict."""
        verdicts = self.verdicts()
        counts = {code.lower(): verdicts.count(code) for code in VERDICTS}
        return {"rows": len(verdicts), **counts}


def columns_of(header: Sequence[str]) -> dict[str, int]:
    """Which input field each column holds (English or Chinese names); ``InvalidInput`` when
    there is no identifier column or a field is given twice."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        for field, aliases in COLUMN_ALIASES.items():
            if name.strip().lower() in aliases:
                if field in found:
                    raise InvalidInput(f"two columns give {field}: {name!r} and another")
                found[field] = index
    if "id_number" not in found and "uscc" not in found:
        shown = ", ".join(repr(name) for name in header if name) or "none"
        raise InvalidInput(
            "the file needs a column id_number (证件号码) or uscc (统一社会信用代码), "
            f"with id_type (证件类型) and name (姓名/名称) optional; its columns: {shown}"
        )
    return found


def entries_of(rows: Rows) -> tuple[list[Entry], int | None]:
    """The entries of a file's rows (each validated on its own) and the ID number column."""
    columns = columns_of(rows.header)

    def cell(cells: list[str | None], field: str) -> str | None:
        index = columns.get(field)
        value = cells[index] if index is not None else None
        return value.strip() if value and value.strip() else None

    entries: list[Entry] = []
    for line, cells in rows.rows:
        number, code, kind = cell(cells, "id_number"), cell(cells, "uscc"), cell(cells, "id_type")
        name = cell(cells, "name")
        try:
            if number is not None and code is not None:
                raise InvalidInput("a row names a person (id_number) or an enterprise (uscc)")
            if number is None and code is None:
                raise InvalidInput("no id_number and no uscc")
            if number is not None:
                id_type = ID_TYPE_ALIASES.get(kind, kind) if kind else "RESIDENT_ID"
                key = SubjectKey.person(id_type, number).normalised()
            else:
                key = SubjectKey.enterprise(code or "").normalised()
        except InvalidIdentifier as exc:
            entries.append(Entry(line, cells, None, name, f"{exc.reason}: {exc}"))
        except InvalidInput as exc:
            entries.append(Entry(line, cells, None, name, f"SUBJECT_SHAPE: {exc}"))
        else:
            entries.append(Entry(line, cells, key, name))
    return entries, columns.get("id_number")


def screen(
    runner: QueryRunner,
    rows: Rows,
    as_of: dt.date,
    measure: str | None = None,
    known_on: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> Screening:
    """Check every valid entry of ``rows`` with the batch engine, ``CHECK_BATCH`` at a time
    (``progress`` is told how many rows each chunk finished)."""
    entries, id_column = entries_of(rows)
    valid = [(index, entry.key) for index, entry in enumerate(entries) if entry.key is not None]
    checks: list[Check | None] = [None] * len(entries)
    for start in range(0, len(valid), CHECK_BATCH):
        chunk = valid[start : start + CHECK_BATCH]
        answers = check_subjects(runner, [key for _, key in chunk], as_of, measure, known_on)
        for (index, _), answer in zip(chunk, answers, strict=True):
            checks[index] = answer
        if progress is not None:
            progress(len(chunk))
    if progress is not None and len(entries) > len(valid):
        progress(len(entries) - len(valid))
    return Screening(rows.header, id_column, entries, checks)


def verdict(check: Check | None) -> str:
    """RESTRICTED, LIABLE_NOT_RESTRICTED, CLEAR, NOT_FOUND, or INVALID (no check)."""
    if check is None:
        return "INVALID"
    if not check.known:
        return "NOT_FOUND"
    if check.restricted:
        return "RESTRICTED"
    return "LIABLE_NOT_RESTRICTED" if check.liable else "CLEAR"


def _plain(name: str) -> str:
    """A name compared by its letters: width-folded, case-folded, without spaces or dots."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "·.")


def name_check(given: str | None, check: Check | None) -> str:
    """MATCH or NAME_MISMATCH when a name was given and the subject is on record, else ''."""
    if given is None or check is None or not check.known or not check.subject.name:
        return ""
    return "MATCH" if _plain(given) == _plain(check.subject.name) else "NAME_MISMATCH"


def _subject(check: Check) -> tuple[str, str]:
    subject = check.subject
    if isinstance(subject, PersonRef):
        return "PERSON", f"{subject.id_type} {subject.id_masked}"
    return "ENTERPRISE", subject.uscc


def _why(liability: Liability) -> str:
    firm = liability.enterprise
    if liability.via in ("SUBJECT", "LIST") or firm is None:
        return f"{liability.rule} listed ({liability.list_type}) — finding {liability.finding_id}"
    return (
        f"{liability.rule} via {liability.via} of {firm.name or firm.uscc} — "
        f"finding {liability.finding_id}"
    )


def _unique(values: Sequence[str]) -> str:
    return ", ".join(dict.fromkeys(values))


def result_row(entry: Entry, check: Check | None) -> list[str | int | None]:
    """The result cells of one entry (after its input cells)."""
    if check is None:
        return ["INVALID", entry.error, "", "", "", "", "", "", "", "", ""]
    kind, subject = _subject(check)
    liabilities = check.evidence()
    why = "; ".join(_why(liability) for liability in liabilities)
    if not check.known:
        why = "not on record: no finding names this identifier"
    return [
        verdict(check),
        "",
        kind,
        subject,
        check.subject.name or "",
        name_check(entry.name, check),
        _unique([code for liability in liabilities for code in liability.measures]),
        _unique([liability.rule for liability in liabilities]),
        _unique([liability.finding_id for liability in liabilities]),
        len(check.related_risk),
        why,
    ]


def _input_cells(screening: Screening, entry: Entry) -> list[str | None]:
    """The entry's input cells, the ID number masked."""
    cells = list(entry.cells)
    column = screening.id_column
    if column is not None and cells[column]:
        cells[column] = mask_number(str(cells[column]).strip())
    return cells


def _evidence_row(entry: Entry, check: Check, item: Liability) -> list[object]:
    firm = item.enterprise
    return [
        entry.line, _subject(check)[1], check.subject.name, item.finding_id, item.rule,
        item.rule_name, item.via, item.role, item.capacity, firm.uscc if firm else None,
        firm.name if firm else None, item.list_type, ", ".join(item.measures), item.restricting,
        item.effective_until, item.source,
    ]  # fmt: skip


def result_sheets(screening: Screening) -> list[Sheet]:
    """The results (one row per input row, input columns first, ID numbers masked) and the
    evidence (one row per liability)."""
    results = [
        [entry.line, *_input_cells(screening, entry), *result_row(entry, check)]
        for entry, check in zip(screening.entries, screening.checks, strict=True)
    ]
    evidence = [
        _evidence_row(entry, check, item)
        for entry, check in zip(screening.entries, screening.checks, strict=True)
        if check is not None
        for item in check.evidence()
    ]
    header = ["row", *screening.header, *RESULT_COLUMNS]
    return [Sheet("results", header, results), Sheet("evidence", EVIDENCE_COLUMNS, evidence)]
