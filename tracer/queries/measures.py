"""Which measures apply, to whom, on a date (DOMAIN.md §5b, §7): the memoranda as data.

- The listed *subject* gets the SUBJECT rows of its list type's memoranda (``list_type_measures``
  keyed by list type, category and ground; an empty key cell matches any), never anything else;
  graded industry sanctions are a *choice* for the association, PUBLIC_EXPOSURE needs a
  ``severe`` finding.
- A *person* gets the measures of the rule that reaches them: the rule's own measures and, where
  the rule draws on them (R2, R5, R10), the list type's PERSONS rows of the rule's classes, each
  with its own period when the row has one.
- From the date the first edition of the national basic list took effect (data), a measure that
  neither an edition valid on the date, a supplementary list nor a law authorises is not applied.

Pure functions over the installed reference rows (``reference.Snapshot``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field

from tracer.domain.timeline import period_end
from tracer.queries.reference import ALL_CLASSES, EARLIEST_DAY, Snapshot, in_force, pick

Row = Mapping[str, Any]

NOT_ON_BASIC_LIST = "not on the national basic list of punishment measures valid on this date"


class MeasureDetail(BaseModel):
    """One measure as it applies: must or may the department apply it, until when, and why."""

    code: str
    name_zh: str | None = None
    mandatory: bool = Field(description="强制性 (true) or 推荐性 (false)")
    restricting: bool = Field(description="false for a credit-record entry or a notification")
    until: dt.date | None = Field(default=None, description="end of the measure's own period")
    source: str = ""
    basis: str | None = Field(default=None, description="its entry in the national basic list")


class Choice(BaseModel):
    """Graded alternatives offered to the implementing body, which applies one of them."""

    group: str
    measures: list[str]
    note: str = "graded alternatives (视情节轻重): the association applies one and records which"


class NotApplied(BaseModel):
    """A measure the memoranda name that is not applied on the date, and why."""

    code: str
    reason: str


class Resolved(BaseModel):
    """The measures of one liability or listing on one date."""

    details: list[MeasureDetail] = Field(default_factory=list)
    choices: list[Choice] = Field(default_factory=list)
    not_applied: list[NotApplied] = Field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        """The codes of the applied measures, in order."""
        return [detail.code for detail in self.details]


def _catalogue(snapshot: Snapshot, day: dt.date, region: str | None) -> dict[str, Row]:
    return snapshot.derived(
        ("measures", day, region),
        lambda: {row["code"]: row for row in pick(snapshot.rows("measures"), _code, day, region)},
    )


def _code(row: Row) -> object:
    return row["code"]


def _cap_start(snapshot: Snapshot) -> dt.date | None:
    starts = [
        row["effective_from"]
        for row in snapshot.rows("basic_list_editions")
        if row.get("effective_from") is not None
    ]
    return min(starts) if starts else None


def basic_list_basis(
    snapshot: Snapshot, code: str, day: dt.date, region: str | None
) -> tuple[bool, str | None]:
    """Is ``code`` authorised on ``day`` (before the cap took effect: always), and by what?"""
    return snapshot.derived(
        ("basis", code, day, region), lambda: _basis(snapshot, code, day, region)
    )


def _basis(
    snapshot: Snapshot, code: str, day: dt.date, region: str | None
) -> tuple[bool, str | None]:
    start = snapshot.derived(("cap_start",), lambda: _cap_start(snapshot))
    if start is None or day < start:
        return True, None
    editions = {
        row["edition"]: row
        for row in snapshot.rows("basic_list_editions")
        if row.get("effective_from") is not None
        and row["effective_from"] <= day <= (row.get("valid_to") or dt.date.max)
    }
    rows = [row for row in snapshot.rows("measure_basis") if row["measure"] == code]
    for row in pick(rows, lambda r: (r["edition"], r["basis_kind"]), day, region):
        if row["basis_kind"] != "BASIC_LIST" or row["edition"] in editions:
            label = row.get("entry") or row.get("basis") or row["basis_kind"]
            return True, f"{row['edition'] or row['basis_kind']}: {label}"
    return False, None


def _detail(
    catalogue: Mapping[str, Row],
    code: str,
    mandatory: bool | None,
    until: dt.date | None,
    source: str,
) -> MeasureDetail:
    measure = catalogue.get(code, {})
    return MeasureDetail(
        code=code,
        name_zh=measure.get("name_zh"),
        mandatory=bool(measure.get("mandatory")) if mandatory is None else mandatory,
        restricting=bool(measure.get("restricting", True)),
        until=until,
        source=source or str(measure.get("source") or ""),
    )


def _rows_for(
    snapshot: Snapshot,
    target: str,
    finding: Row,
    category: str | None,
    day: dt.date,
    region: str | None,
) -> list[Row]:
    """The memorandum rows for ``target`` that apply to a finding of this list type, category
    and ground on ``day`` in ``region``: per measure the most specific, by measure code."""
    list_type, ground = finding.get("list_type"), finding.get("ground")

    def compute() -> list[Row]:
        rows = [
            row
            for row in snapshot.rows("list_type_measures")
            if row["target"] == target
            and (not row["list_type"] or row["list_type"] == list_type)
            and (not row["category"] or row["category"] == category)
            and (not row["ground"] or row["ground"] == ground)
        ]
        return sorted(_specific(rows, day, region), key=lambda r: r["measure"])

    return snapshot.derived(("rows", target, list_type, category, ground, day, region), compute)


def _specific(rows: Sequence[Row], day: dt.date, region: str | None) -> list[Row]:
    """Per measure: the most specific row (list type over category over any; a ground over
    none), then the version in force for the region."""
    chosen: dict[str, Row] = {}
    for row in pick(
        rows, lambda r: (r["list_type"], r["category"], r["ground"], r["measure"]), day, region
    ):
        rank = (bool(row["list_type"]), bool(row["category"]), bool(row["ground"]))
        found = chosen.get(row["measure"])
        if found is None or rank > (
            bool(found["list_type"]),
            bool(found["category"]),
            bool(found["ground"]),
        ):
            chosen[row["measure"]] = row
    return list(chosen.values())


def _capped(snapshot: Snapshot, resolved: Resolved, day: dt.date, region: str | None) -> Resolved:
    kept: list[MeasureDetail] = []
    for detail in resolved.details:
        allowed, basis = basic_list_basis(snapshot, detail.code, day, region)
        if allowed:
            kept.append(detail.model_copy(update={"basis": basis}))
        else:
            resolved.not_applied.append(NotApplied(code=detail.code, reason=NOT_ON_BASIC_LIST))
    choices = []
    for choice in resolved.choices:
        allowed_codes = [
            c for c in choice.measures if basic_list_basis(snapshot, c, day, region)[0]
        ]
        if allowed_codes:
            choices.append(choice.model_copy(update={"measures": allowed_codes}))
    return Resolved(details=kept, choices=choices, not_applied=resolved.not_applied)


def subject_measures(
    snapshot: Snapshot, finding: Row, category: str | None, day: dt.date, region: str | None
) -> Resolved:
    """The measures the memoranda apply to the listed subject of ``finding`` on ``day``."""
    catalogue = _catalogue(snapshot, day, region)
    resolved = Resolved()
    choices: dict[str, list[str]] = {}
    for row in _rows_for(snapshot, "SUBJECT", finding, category, day, region):
        code = row["measure"]
        if code not in catalogue:
            continue
        if row.get("severe_only") and not finding.get("severe"):
            resolved.not_applied.append(
                NotApplied(
                    code=code, reason="only for findings flagged severe (情节严重、社会影响恶劣)"
                )
            )
            continue
        if row.get("choice"):
            choices.setdefault(row["choice"], []).append(code)
            continue
        until = _row_until(row, finding)
        if until is not None and day > until:
            continue
        resolved.details.append(
            _detail(catalogue, code, row.get("mandatory"), until, row["source"])
        )
    resolved.choices = [
        Choice(group=group, measures=codes) for group, codes in sorted(choices.items())
    ]
    return _capped(snapshot, resolved, day, region)


def subject_measure_codes(
    snapshot: Snapshot, finding: Row, category: str | None, day: dt.date, region: str | None
) -> frozenset[str]:
    """Every code ``subject_measures`` would apply or offer as a choice (shared per finding
    kind, decision date, day and region: work lists ask this of every finding in force)."""
    key = tuple(finding.get(name) for name in ("list_type", "ground", "severe", "decided_on"))

    def compute() -> frozenset[str]:
        listed = subject_measures(snapshot, finding, category, day, region)
        return frozenset(
            [*listed.codes, *(code for choice in listed.choices for code in choice.measures)]
        )

    return snapshot.derived(("subject_codes", *key, category, day, region), compute)


def _row_until(row: Row, finding: Row) -> dt.date | None:
    years = row.get("years")
    decided: dt.date | None = finding.get("decided_on")
    return period_end(decided, int(years)) if years and decided else None


def person_measures(
    snapshot: Snapshot,
    rule: Row,
    finding: Row,
    category: str | None,
    day: dt.date,
    region: str | None,
    finding_applies: bool,
) -> Resolved:
    """The measures ``rule`` applies to a person it reaches through ``finding`` on ``day``.

    A measure with its own period (a PERSONS row with ``years``, or the rule's ``ban_years``)
    runs on that period from the decision; every other measure only while the finding applies.
    """
    catalogue = _catalogue(snapshot, day, region)
    resolved = Resolved()
    rule_until = _rule_until(rule, finding)
    for code in rule.get("measures") or []:
        if code in catalogue and (finding_applies or rule_until is not None):
            resolved.details.append(_detail(catalogue, code, None, rule_until, ""))
    classes = set(rule.get("list_measure_classes") or [])
    if classes:
        for row in _rows_for(snapshot, "PERSONS", finding, category, day, region):
            code = row["measure"]
            measure = catalogue.get(code)
            if measure is None or not (
                ALL_CLASSES in classes or (measure.get("class") or ALL_CLASSES) in classes
            ):
                continue
            until = _row_until(row, finding)
            if until is not None and day > until:
                continue
            if until is None and not finding_applies:
                continue
            if code not in resolved.codes:
                resolved.details.append(
                    _detail(catalogue, code, row.get("mandatory"), until, row["source"])
                )
    return _capped(snapshot, resolved, day, region)


def _rule_until(rule: Row, finding: Row) -> dt.date | None:
    years = rule.get("ban_years")
    decided: dt.date | None = finding.get("decided_on")
    return period_end(decided, int(years)) if years and decided else None


def eligible(snapshot: Snapshot, rule: Row, day: dt.date, region: str | None) -> list[str]:
    """The rule's measures for the authority to decide (never restricting), in force on ``day``."""
    catalogue = _catalogue(snapshot, day, region)
    return [code for code in rule.get("eligible_measures") or [] if code in catalogue]


def measure_catalogue(
    snapshot: Snapshot, day: dt.date, region: str | None = None
) -> dict[str, Row]:
    """The measures catalogue in force on ``day`` (code → row)."""
    return _catalogue(snapshot, day, region)


def list_type_row(
    snapshot: Snapshot, code: str | None, day: dt.date, region: str | None
) -> Row | None:
    """The version of list type ``code`` in force on ``day`` for ``region``."""
    rows = [row for row in snapshot.rows("list_types") if row["code"] == code]
    found = pick(rows, _code, day, region)
    return found[0] if found else None


def default_period(
    snapshot: Snapshot,
    list_type: str | None,
    ground: str | None,
    decided_on: dt.date,
    region: str | None,
) -> Row | None:
    """The ``list_type_periods`` row for a finding without a period of its own: the one for its
    ground, else the list type's general one, in force on the decision date; else the
    ``default_period_years`` of the list type itself (the older place of that column)."""
    rows = [row for row in snapshot.rows("list_type_periods") if row["list_type"] == list_type]
    found = pick(rows, lambda r: r["ground"], decided_on, region)
    by_ground = {row["ground"]: row for row in found}
    chosen = by_ground.get(ground or "") or by_ground.get("")
    if chosen is not None:
        return chosen
    own = list_type_row(snapshot, list_type, decided_on, region)
    if own is not None and own.get("default_period_years"):
        return {"ground": "", "years": own["default_period_years"], "source": own["source"]}
    return None


__all__ = [
    "EARLIEST_DAY",
    "Choice",
    "MeasureDetail",
    "NotApplied",
    "Resolved",
    "basic_list_basis",
    "default_period",
    "eligible",
    "in_force",
    "list_type_row",
    "measure_catalogue",
    "person_measures",
    "subject_measures",
]
