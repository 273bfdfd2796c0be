"""Summary statistics for analysts: findings, liable persons, feedback completion.

Each part is available as a DataFrame (for notebooks) and, via ``summary``, as typed models.
Liable persons come from the liability engine (``check_people`` over everyone linked to an
applying finding); feedback completion compares the findings pushed to each department (see
``overdue.department_pushes``) with the feedback it gave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from pydantic import BaseModel, Field

from tracer.queries.catalogue import cypher
from tracer.queries.divisions import division_label
from tracer.queries.liability import LIST_RULE, Check, Liability, check_many, linked_people
from tracer.queries.overdue import answered, department_pushes
from tracer.queries.runner import QueryRunner
from tracer.queries.worklist import MAX_SCAN

MAX_GROUPS = 100_000
UNKNOWN = "UNKNOWN"
FINDING_DIMENSIONS = ("category", "list_type", "status", "subject_kind", "province", "authority")
#: Columns of ``findings_df`` that name a province or department beside its code.
FINDING_LABELS = ("province_label", "authority_label")
LIABILITY_COLUMNS = (
    "id_type", "id_masked", "finding_id", "rule", "effect", "via", "enterprise", "measures",
)  # fmt: skip
FEEDBACK_COLUMNS = ("department", "name", "kind", "pushed", "answered", "completion")


def findings_df(runner: QueryRunner) -> pd.DataFrame:
    """Finding counts grouped by every dimension at once (column ``findings``), with the
    province and the authority also by name (``province_label`` "重庆市 (50)",
    ``authority_label`` "name (code)")."""
    frame = runner.read_df(cypher("stats_findings"), limit=MAX_GROUPS)
    if frame.empty:
        return pd.DataFrame(columns=[*FINDING_DIMENSIONS, *FINDING_LABELS, "findings"])
    names = frame.pop("authority_name")
    return frame.assign(
        province_label=[
            division_label(code) if isinstance(code, str) else UNKNOWN for code in frame.province
        ],
        authority_label=[
            _named(code, name) for code, name in zip(frame.authority, names, strict=True)
        ],
    )


def _named(code: object, name: object) -> str:
    """``name (code)``, the code alone without a name, ``UNKNOWN`` without a code."""
    if not isinstance(code, str) or not code:
        return UNKNOWN
    return f"{name} ({code})" if isinstance(name, str) and name and name != code else code


def _liability_checks(runner: QueryRunner, as_of: dt.date) -> tuple[list[Check], bool]:
    people = linked_people(runner, as_of, limit=MAX_SCAN)
    return list(check_many(runner, people, as_of)), len(people) >= MAX_SCAN


def _liabilities_frame(people: Sequence[Check]) -> pd.DataFrame:
    rows = [
        {
            "id_type": getattr(check.subject, "id_type", None),
            "id_masked": getattr(check.subject, "id_masked", None),
            "finding_id": item.finding_id,
            "rule": item.rule,
            "effect": effect,
            "via": item.via,
            "enterprise": item.enterprise.uscc if item.enterprise else None,
            "measures": list(item.measures),
        }
        for check in people
        for item in check.liabilities
        if _counted(item)
        for effect in item.effects
    ]
    return pd.DataFrame(rows, columns=list(LIABILITY_COLUMNS))


def _counted(item: Liability) -> bool:
    """A liability of a person by a rule that applies a measure (not the listed subject's own
    measures, not a measure only eligible for the authority to decide)."""
    return item.rule != LIST_RULE and bool(item.measures)


def liabilities_df(runner: QueryRunner, as_of: dt.date) -> pd.DataFrame:
    """One row per (liable person, finding, rule, effect) on ``as_of`` — IDs masked."""
    people, _ = _liability_checks(runner, as_of)
    return _liabilities_frame(people)


def _feedback_rows(runner: QueryRunner, as_of: dt.date) -> tuple[list[FeedbackCompletion], bool]:
    depts, pushes, _, truncated = department_pushes(runner, as_of)
    outcomes: dict[str, dict[str, int]] = {}
    for row in runner.read(cypher("stats_feedback"), limit=MAX_GROUPS):
        outcomes.setdefault(row["department"], {})[row["outcome"]] = int(row["feedback"])
    ids = sorted({item.finding_id for items in pushes.values() for item, _ in items})
    done = answered(runner, ids)
    rows = []
    for dept in depts:
        pushed = {item.finding_id for item, _ in pushes[dept.code]}
        count = sum(1 for fid in pushed if (dept.code, fid) in done)
        rows.append(
            FeedbackCompletion(
                department=dept.code,
                name=dept.name,
                kind=dept.kind,
                pushed=len(pushed),
                answered=count,
                completion=count / len(pushed) if pushed else None,
                outcomes=outcomes.get(dept.code, {}),
            )
        )
    return rows, truncated


def feedback_df(runner: QueryRunner, as_of: dt.date) -> pd.DataFrame:
    """Per department: findings pushed to it on ``as_of``, how many it answered, completion,
    and feedback records per outcome (columns ``outcome_<OUTCOME>``)."""
    rows, _ = _feedback_rows(runner, as_of)
    return pd.DataFrame(
        [
            {
                **row.model_dump(exclude={"outcomes"}),
                **{f"outcome_{key}": value for key, value in row.outcomes.items()},
            }
            for row in rows
        ],
        columns=None if rows else list(FEEDBACK_COLUMNS),
    )


class FindingStats(BaseModel):
    """Finding counts by dimension (null keys counted as ``UNKNOWN``)."""

    total: int
    by_category: dict[str, int]
    by_list_type: dict[str, int]
    by_status: dict[str, int]
    by_subject_kind: dict[str, int]
    by_province: dict[str, int] = Field(description="first 2 digits of the enterprise region_code")
    by_authority: dict[str, int]
    labels: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="per dimension (province, authority): code → name with code, for display",
    )


class LiableStats(BaseModel):
    """Liable persons on ``as_of`` (distinct persons per rule and effect)."""

    persons: int
    liabilities: int = Field(description="(person, finding, rule) entries")
    by_rule: dict[str, int]
    by_effect: dict[str, int]


class FeedbackCompletion(BaseModel):
    """How a department answered the findings pushed to it."""

    department: str
    name: str | None = None
    kind: str | None = None
    pushed: int
    answered: int
    completion: float | None = Field(description="answered / pushed; null when nothing pushed")
    outcomes: dict[str, int] = Field(description="feedback records by outcome (all time)")


class Stats(BaseModel):
    """Summary counts on ``as_of``."""

    as_of: dt.date
    findings: FindingStats
    liable: LiableStats
    feedback: list[FeedbackCompletion]
    truncated: bool = Field(description="a scan hit its bound; counts may be low")


def _counts(frame: pd.DataFrame, column: str, value: str) -> dict[str, int]:
    if frame.empty:
        return {}
    grouped = frame[column].fillna(UNKNOWN).to_frame().assign(n=frame[value])
    series = grouped.groupby(column)["n"].sum().sort_values(ascending=False)
    return {str(key): int(count) for key, count in series.items()}


def _labels(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
    if frame.empty:
        return {}
    return {
        dimension: {
            str(code) if isinstance(code, str) else UNKNOWN: str(label)
            for code, label in zip(frame[dimension], frame[f"{dimension}_label"], strict=True)
        }
        for dimension in ("province", "authority")
    }


def _distinct_persons(frame: pd.DataFrame, column: str) -> dict[str, int]:
    if frame.empty:
        return {}
    series = frame.groupby(column)[["id_type", "id_masked"]].value_counts().groupby(column).size()
    return {str(key): int(count) for key, count in series.sort_index().items()}


def summary(runner: QueryRunner, as_of: dt.date) -> Stats:
    """Findings by category, list type, status, subject kind, province and authority; liable
    persons by rule and effect on ``as_of``; feedback completion per department."""
    findings = findings_df(runner)
    people, truncated = _liability_checks(runner, as_of)
    liabilities = _liabilities_frame(people)
    completion, pushes_truncated = _feedback_rows(runner, as_of)
    liable = LiableStats(
        persons=sum(1 for check in people if any(_counted(i) for i in check.liabilities)),
        liabilities=sum(1 for check in people for i in check.liabilities if _counted(i)),
        by_rule=_distinct_persons(liabilities, "rule"),
        by_effect=_distinct_persons(liabilities, "effect"),
    )
    return Stats(
        as_of=as_of,
        findings=FindingStats(
            total=int(findings["findings"].sum()) if not findings.empty else 0,
            by_category=_counts(findings, "category", "findings"),
            by_list_type=_counts(findings, "list_type", "findings"),
            by_status=_counts(findings, "status", "findings"),
            by_subject_kind=_counts(findings, "subject_kind", "findings"),
            by_province=_counts(findings, "province", "findings"),
            by_authority=_counts(findings, "authority", "findings"),
            labels=_labels(findings),
        ),
        liable=liable,
        feedback=completion,
        truncated=truncated or pushes_truncated,
    )
