"""What a load reports: per-file counts (INTERFACES.md §2), the rejects file, data quality."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from tracer.loaders.batch import Batch, Reject

REJECT_COLUMNS = ("file", "line", "column", "reason_code", "message", "raw_row")
#: Reasons that make a USCC a duplicated code (重码): other values, or another name.
DUPLICATED_REASONS = frozenset({"DUPLICATE_CONFLICT", "IDENTITY_CONFLICT"})
USCC_GOAL_PER_10K = 1.0  # 2019 doc item 8: duplicate or wrong codes below 1 in 10,000


class FileCounts(BaseModel):
    """Rows of one stem: ``read == loaded + rejected`` always."""

    read: int = 0
    loaded: int = 0
    rejected: int = 0


class ReasonCount(BaseModel):
    """How often one reason code occurred."""

    reason_code: str
    count: int


class Quality(BaseModel):
    """Data-quality summary: USCC error and duplicate rates, reasons per file and overall."""

    uscc_rows: int = Field(0, description="rows read from the enterprises file(s)")
    uscc_invalid: int = Field(0, description="rows whose USCC fails length/charset/check")
    uscc_duplicated: int = Field(
        0, description="rows sharing a USCC with different values or another name"
    )
    uscc_repeated: int = Field(0, description="identical repeats of a row (loaded once)")
    uscc_invalid_per_10k: float = 0.0
    uscc_duplicated_per_10k: float = 0.0
    goal_per_10k: float = USCC_GOAL_PER_10K
    meets_goal: bool = True
    reasons: dict[str, dict[str, int]] = Field(default_factory=dict)
    top_reasons: list[ReasonCount] = Field(default_factory=list)


class FileError(BaseModel):
    """A file that could not be read at all."""

    file: str
    reason_code: str
    message: str


class UnknownFileReport(BaseModel):
    """A file in DIR that is not loaded because its stem is no input stem."""

    file: str
    suggestion: str | None = Field(None, description="the closest input stem, if any")

    @property
    def text(self) -> str:
        """``person.csv: not a known file name — did you mean persons?``"""
        hint = f" — did you mean {self.suggestion}?" if self.suggestion else ""
        return f"{self.file}: not a known file name{hint}"


class HeaderProblem(BaseModel):
    """A file whose header lacks required columns (every row of it is rejected)."""

    file: str
    stem: str
    missing: list[str]
    expected: list[str] = Field(description="the required columns of the stem")
    optional: list[str]
    found: list[str] = Field(description="the columns as the file writes them")
    closest: dict[str, str | None] = Field(
        default_factory=dict, description="for each missing column, the closest found one"
    )


class FileSummary(BaseModel):
    """Rows of one file (``read == loaded + rejected``) and its most common reasons."""

    stem: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    top_reasons: list[str] = Field(
        default_factory=list, description="'REASON column (rows)', most common first"
    )


class BulkImportReport(BaseModel):
    """What ``tracer import`` wrote through Neo4j's offline importer (or prepared for it)."""

    files_directory: str = Field(description="where the import CSV files were written")
    nodes: dict[str, int] = Field(default_factory=dict, description="nodes per label")
    relationships: dict[str, int] = Field(
        default_factory=dict, description="relationships per type"
    )
    imported: bool = Field(description="false: prepared only, `command` is to be run")
    command: list[str] = Field(
        default_factory=list, description="the importer command (relative to the files)"
    )
    files_seconds: float = 0.0
    import_seconds: float = 0.0
    restart_seconds: float = 0.0


class LoadReport(BaseModel):
    """The result of ``load_directory``; ``to_json()`` is the ``tracer load --json`` document."""

    files: dict[str, FileCounts]
    rejects_file: str
    dry_run: bool = False
    graph_checked: bool = True
    unchecked_references: dict[str, int] = Field(default_factory=dict)
    repeats: dict[str, int] = Field(default_factory=dict)
    sources: dict[str, list[str]] = Field(default_factory=dict)
    ignored_columns: dict[str, list[str]] = Field(default_factory=dict)
    file_errors: list[FileError] = Field(default_factory=list)
    unknown_files: list[UnknownFileReport] = Field(default_factory=list)
    header_problems: list[HeaderProblem] = Field(default_factory=list)
    by_file: dict[str, FileSummary] = Field(default_factory=dict)
    reference_data: dict[str, int] = Field(default_factory=dict)
    status_since_defaulted: int = Field(
        0, description="findings whose given status takes effect from the load date"
    )
    quality: Quality = Field(default_factory=Quality)
    seconds: float = 0.0
    read_seconds: float = 0.0
    validate_seconds: float = 0.0
    write_seconds: dict[str, float] = Field(default_factory=dict)
    rows_per_second: float = 0.0
    bulk_import: BulkImportReport | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON document of INTERFACES.md §2 (``files``, ``rejects_file``) plus extras."""
        return self.model_dump(mode="json")

    @property
    def rejected(self) -> int:
        """Rows rejected over every file."""
        return sum(counts.rejected for counts in self.files.values())

    @property
    def clean(self) -> bool:
        """Nothing rejected, no unreadable file, no header without a required column, no file
        left unloaded for its name."""
        return not (self.rejected or self.file_errors or self.unknown_files or self.header_problems)


def _cells(reject: Reject) -> tuple[str, int, str, str, str, str]:
    return (
        reject.file,
        reject.line,
        reject.column,
        reject.reason_code,
        reject.message,
        reject.raw_row,
    )


def write_rejects(path: Path, rejects: Iterable[Reject]) -> int:
    """Write the rejects file (header always); returns the number of rows written. A ``.xlsx``
    path gets a workbook, any other a CSV in UTF-8 with BOM (so Excel shows Chinese text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        rows = [_cells(reject) for reject in rejects]
        _write_xlsx(path, rows)
        return len(rows)
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REJECT_COLUMNS)
        for reject in rejects:  # one at a time: those of a large load are read back from disk
            writer.writerow(_cells(reject))
            written += 1
    return written


def _write_xlsx(path: Path, rows: list[tuple[str, int, str, str, str, str]]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("rejects")
    sheet.append(list(REJECT_COLUMNS))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)


def file_summaries(
    read: dict[str, tuple[str, int]], rejects: Iterable[Reject]
) -> dict[str, FileSummary]:
    """Per file (``read``: file -> (stem, rows read)): rows rejected (each once) and the three
    most common reasons with their column."""
    lines: dict[str, set[int]] = {}
    reasons: dict[str, Counter[str]] = {}
    seen: set[tuple[str, int, str, str]] = set()
    for reject in rejects:
        if reject.line <= 0:
            continue
        lines.setdefault(reject.file, set()).add(reject.line)
        label = f"{reject.reason_code} {reject.column}".strip()
        if (reject.file, reject.line, reject.reason_code, reject.column) not in seen:
            seen.add((reject.file, reject.line, reject.reason_code, reject.column))
            reasons.setdefault(reject.file, Counter())[label] += 1
    summaries = {}
    for file, (stem, count) in read.items():
        rejected = len(lines.get(file, ()))
        top = _most_common(reasons.get(file, Counter()), 3)
        summaries[file] = FileSummary(
            stem=stem,
            read=count,
            loaded=count - rejected,
            rejected=rejected,
            top_reasons=[f"{label} ({number:,})" for label, number in top],
        )
    return summaries


def _most_common(counts: Counter[str], first: int | None = None) -> list[tuple[str, int]]:
    """The most common first, equal counts by name (the order rows were rejected in is not
    the files' order when a stem is validated in partitions)."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:first]


def _per_10k(count: int, total: int) -> float:
    return round(count * 10_000 / total, 3) if total else 0.0


def quality(
    batches: dict[str, Batch], file_errors: list[FileError], refused: Iterable[Reject] = ()
) -> Quality:
    """The quality summary of a load's batches (and the transitions the lifecycle refused)."""
    reasons = {
        stem: dict(_most_common(found))
        for stem, batch in batches.items()
        if (found := Counter(r.reason_code for r in batch.every_reject()))
    }
    late = Counter(r.reason_code for r in refused)
    if late:
        merged = Counter(reasons.get("transitions", {}))
        merged.update(late)
        reasons["transitions"] = dict(_most_common(merged))
    overall: Counter[str] = Counter()
    for counts in reasons.values():
        overall.update(counts)
    overall.update(error.reason_code for error in file_errors)
    summary = Quality(
        reasons=reasons,
        top_reasons=[ReasonCount(reason_code=r, count=n) for r, n in _most_common(overall, 10)],
    )
    enterprises = batches.get("enterprises")
    if enterprises is not None:
        invalid: set[tuple[str, int]] = set()
        duplicated: set[tuple[str, int]] = set()
        for r in enterprises.every_reject():
            if r.column == "uscc" and r.reason_code.startswith("USCC_"):
                invalid.add((r.file, r.line))
            if r.reason_code in DUPLICATED_REASONS:
                duplicated.add((r.file, r.line))
        total = enterprises.read
        summary.uscc_rows = total
        summary.uscc_invalid = len(invalid)
        summary.uscc_duplicated = len(duplicated)
        summary.uscc_repeated = enterprises.repeats
        summary.uscc_invalid_per_10k = _per_10k(len(invalid), total)
        summary.uscc_duplicated_per_10k = _per_10k(len(duplicated), total)
        summary.meets_goal = _per_10k(len(invalid) + len(duplicated), total) < USCC_GOAL_PER_10K
    return summary
