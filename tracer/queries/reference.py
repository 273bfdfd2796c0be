"""Rules as data (DOMAIN.md §4, §5, §5b, §7, §8, §14): the shipped reference tables, validated,
versioned and installed.

The tables live in ``queries/reference/*.csv`` (lists pipe-separated). Every row is a *version*:
its logical key plus ``valid_from`` / ``valid_to`` / ``jurisdiction`` (an administrative-division
prefix; empty = national). Users override or extend rows with files of the same stem and columns
(``tracer load``): a row naming an existing version changes it column by column; a row with a new
``valid_from`` or ``jurisdiction`` adds a version (based on the latest earlier one). Installing
records every change (who, when, before and after) as a ``ReferenceChange`` node and keeps the
old rows; overrides persist across later loads of the shipped defaults.

An answer for date D uses, per logical key, the row valid on D whose jurisdiction is the longest
prefix of the subject's region code (ties: the latest ``valid_from``) — ``pick``; the Cypher
fragments ``rule_in_force`` and ``list_type_in_force`` do the same in the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import threading
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, TypeVar, cast

from tracer.domain import codes
from tracer.domain.clock import Clock
from tracer.domain.errors import InvalidInput
from tracer.domain.timeline import OPEN_DAY
from tracer.domain.values import parse_date
from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner

Row = dict[str, Any]
Problem = tuple[str, str, str]

EARLIEST_DAY = dt.date(1, 1, 1)
VERSION_COLUMNS = ("valid_from", "valid_to", "jurisdiction")
SHIPPED = "SHIPPED"
OVERRIDE = "OVERRIDE"
#: Measures that no longer exist, with the reason an override naming them is refused.
REMOVED_MEASURES: Mapping[str, str] = MappingProxyType(
    {
        "REPORTING_CHANNEL": "REPORTING_CHANNEL was removed: a reporting channel is a system the "
        "government sets up (国发〔2016〕33号 二(三)), not a measure applied to a subject",
    }
)

ROLES = frozenset(codes.ROLES)
#: Roles that never make anyone liable by themselves (DOMAIN §5 "no arbitrary expansion").
NOT_BY_ROLE_ALONE = frozenset({"CHAIRMAN", "DIRECTOR", "SHAREHOLDER", "SUPERVISOR"})
REFERENCES = frozenset({"ACT_DATE", "DECIDED_ON", "NAMED_ONLY"})
MEASURE_KINDS = frozenset({"ADMINISTRATIVE", "MARKET", "INDUSTRY", "SOCIAL"})
HITS = frozenset({"SUBJECT", "PERSON", "BOTH"})
TARGETS = frozenset({"SUBJECT", "PERSONS"})
BASIS_KINDS = frozenset({"BASIC_LIST", "SUPPLEMENTARY", "LAW"})
PERIOD_STARTS = frozenset({"DECISION", "PUBLICATION"})
ALL_CLASSES = "*"

_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_JURISDICTION = re.compile(r"^\d{2,12}$")
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


class _Bad(ValueError):
    """A cell that cannot be converted: carries its reason code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


Converter = Callable[[object], object]


def _text(value: object) -> object:
    return str(value).strip()


def _code(value: object) -> object:
    text = str(value).strip().upper()
    if not _CODE.match(text):
        raise _Bad("BAD_CODE", f"{text!r} is not a code (A-Z, 0-9, _)")
    return text


def _measure_code(value: object) -> object:
    code = _code(value)
    if code in REMOVED_MEASURES:
        raise _Bad("REMOVED_MEASURE", REMOVED_MEASURES[str(code)])
    return code


def _class(value: object) -> object:
    text = str(value).strip().upper()
    return ALL_CLASSES if text == ALL_CLASSES else _code(text)


def _rule_id(value: object) -> object:
    text = str(value).strip()
    if not _RULE_ID.match(text):
        raise _Bad("BAD_CODE", f"{text!r} is not a rule id")
    return text


def _enum(allowed: frozenset[str]) -> Converter:
    def convert(value: object) -> object:
        text = str(value).strip().upper()
        if text not in allowed:
            raise _Bad("UNKNOWN_CODE", f"{text!r} is not one of {', '.join(sorted(allowed))}")
        return text

    return convert


def _list(item: Converter) -> Converter:
    def convert(value: object) -> object:
        if isinstance(value, str):
            parts: list[object] = [part for part in value.split("|") if part.strip()]
        elif isinstance(value, list | tuple):
            parts = [part for part in value if str(part).strip()]
        else:
            raise _Bad("BAD_VALUE", f"{value!r} is not a pipe-separated list")
        return list(dict.fromkeys(item(part) for part in parts))

    return convert


def _bool(value: object) -> object:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad("BAD_VALUE", f"{value!r} is not true or false")


def _years(value: object) -> object:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise _Bad("BAD_VALUE", f"{value!r} is not a number of years") from None
    if not number.is_integer() or not 0 < number <= 100:
        raise _Bad("BAD_VALUE", f"{value!r} must be a whole number of years in 1..100")
    return int(number)


def _date(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        day = parse_date(str(value).strip())
    except InvalidInput as exc:
        raise _Bad("BAD_DATE", str(exc)) from None
    if day is None:
        raise _Bad("BAD_DATE", f"{value!r} is not a date")
    return day


def _jurisdiction(value: object) -> object:
    text = str(value).strip()
    if not _JURISDICTION.match(text):
        raise _Bad("BAD_VALUE", f"{text!r} is not an administrative-division code prefix")
    return text


@dataclass(frozen=True)
class _Column:
    convert: Converter
    required: bool = False
    default: object = None


_NONE: list[str] = []
_VERSION = {
    "valid_from": _Column(_date, default=EARLIEST_DAY),
    "valid_to": _Column(_date, default=OPEN_DAY),
    "jurisdiction": _Column(_jurisdiction, default=""),
}


@dataclass(frozen=True)
class Table:
    """One reference table: its graph label, logical key and columns."""

    stem: str
    label: str
    key: tuple[str, ...]
    columns: Mapping[str, _Column]

    def version_id(self, row: Mapping[str, Any]) -> str:
        """The node key of a row: logical key, ``valid_from`` and jurisdiction."""
        parts = [str(row.get(name) or "") for name in self.key]
        start = row.get("valid_from") or EARLIEST_DAY
        return "|".join([*parts, start.isoformat(), str(row.get("jurisdiction") or "")])

    def logical_key(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        """The key without the version columns."""
        return tuple(str(row.get(name) or "") for name in self.key)


TABLES: Mapping[str, Table] = MappingProxyType(
    {
        "list_types": Table(
            "list_types",
            "ListType",
            ("code",),
            {
                "code": _Column(_code, required=True),
                "name": _Column(_text, required=True),
                "category": _Column(_enum(frozenset(codes.CATEGORIES))),
                "person_reference": _Column(_enum(REFERENCES), default="ACT_DATE"),
                "default_period_years": _Column(_years),
                "max_extension_years": _Column(_years),
                **_VERSION,
                "source": _Column(_text, required=True),
            },
        ),
        "list_type_periods": Table(
            "list_type_periods",
            "ListTypePeriod",
            ("list_type", "ground"),
            {
                "list_type": _Column(_code, required=True),
                "ground": _Column(_code, default=""),
                "years": _Column(_years),
                "start": _Column(_enum(PERIOD_STARTS), default="DECISION"),
                "max_extension_years": _Column(_years),
                "open_until": _Column(_text),
                **_VERSION,
                "source": _Column(_text, required=True),
            },
        ),
        "list_type_measures": Table(
            "list_type_measures",
            "ListTypeMeasure",
            ("list_type", "category", "ground", "target", "measure"),
            {
                "list_type": _Column(_code, default=""),
                "category": _Column(_enum(frozenset(codes.CATEGORIES)), default=""),
                "ground": _Column(_code, default=""),
                "target": _Column(_enum(TARGETS), required=True),
                "measure": _Column(_measure_code, required=True),
                "mandatory": _Column(_bool, default=False),
                "choice": _Column(_code, default=""),
                "severe_only": _Column(_bool, default=False),
                "years": _Column(_years),
                **_VERSION,
                "source": _Column(_text, required=True),
            },
        ),
        "rules": Table(
            "rules",
            "Rule",
            ("rule_id",),
            {
                "rule_id": _Column(_rule_id, required=True),
                "name": _Column(_text, required=True),
                "list_types": _Column(_list(_code), default=_NONE),
                "categories": _Column(_list(_enum(frozenset(codes.CATEGORIES))), default=_NONE),
                "grounds": _Column(_list(_code), default=_NONE),
                "subject_kinds": _Column(
                    _list(_enum(frozenset(codes.ENTERPRISE_KINDS))), default=_NONE
                ),
                "ownerships": _Column(_list(_enum(frozenset(codes.OWNERSHIPS))), default=_NONE),
                "roles": _Column(_list(_enum(ROLES)), default=_NONE),
                "roles_if_named": _Column(_list(_enum(ROLES)), default=_NONE),
                "named_capacities": _Column(
                    _list(_enum(frozenset(codes.CAPACITIES))), default=_NONE
                ),
                "reference": _Column(_enum(REFERENCES - {"NAMED_ONLY"}), default=""),
                "effect": _Column(_code, required=True),
                "measures": _Column(_list(_measure_code), default=_NONE),
                "list_measure_classes": _Column(_list(_class), default=_NONE),
                "requires_list_measures": _Column(_bool, default=False),
                "eligible_measures": _Column(_list(_measure_code), default=_NONE),
                "ban_years": _Column(_years),
                "outlasts_finding": _Column(_bool, default=False),
                "person_subjects": _Column(_bool, default=False),
                "subject_requires": _Column(
                    _enum(frozenset({"EXIT_RESTRICTED", "PUBLIC_SECTOR_STAFF"})), default=""
                ),
                "reaches_organisations": _Column(_bool, default=False),
                **_VERSION,
                "source": _Column(_text, required=True),
            },
        ),
        "measures": Table(
            "measures",
            "Measure",
            ("code",),
            {
                "code": _Column(_measure_code, required=True),
                "name": _Column(_text, required=True),
                "name_zh": _Column(_text, required=True),
                "kind": _Column(_enum(MEASURE_KINDS), required=True),
                "class": _Column(_code, default=""),
                "mandatory": _Column(_bool, default=False),
                "restricting": _Column(_bool, default=True),
                "department_kinds": _Column(_list(_code), default=_NONE),
                "hits": _Column(_enum(HITS), required=True),
                **_VERSION,
                "source": _Column(_text, required=True),
            },
        ),
        "basic_list_editions": Table(
            "basic_list_editions",
            "BasicListEdition",
            ("edition",),
            {
                "edition": _Column(_text, required=True),
                "name": _Column(_text, required=True),
                "document": _Column(_text),
                "issued_on": _Column(_date),
                "effective_from": _Column(_date),
                "valid_to": _Column(_date, default=OPEN_DAY),
                "source": _Column(_text, required=True),
            },
        ),
        "measure_basis": Table(
            "measure_basis",
            "MeasureBasis",
            ("measure", "edition", "basis_kind"),
            {
                "measure": _Column(_measure_code, required=True),
                "edition": _Column(_text, default=""),
                "basis_kind": _Column(_enum(BASIS_KINDS), required=True),
                "entry": _Column(_text),
                "basis": _Column(_text),
                **_VERSION,
                "source": _Column(_text, required=True),
            },
        ),
    }
)
STEMS = tuple(TABLES)


def _empty(value: object) -> bool:
    """None, blank text, or a float NaN (an empty cell read through pandas)."""
    if isinstance(value, float):
        return math.isnan(value)
    return value is None or (isinstance(value, str) and not value.strip())


def _convert(stem: str, row: Mapping[str, object]) -> tuple[Row, list[Problem]]:
    """Typed cells of ``row`` (only the non-empty ones) and the problems found."""
    if stem not in TABLES:
        return {}, [("", "UNKNOWN_STEM", f"{stem!r} is not one of {', '.join(STEMS)}")]
    columns = TABLES[stem].columns
    typed: Row = {}
    problems: list[Problem] = []
    for raw_name, value in row.items():
        name = str(raw_name).strip().lower()
        if name not in columns:
            problems.append((name, "UNKNOWN_COLUMN", f"{stem} has no column {name!r}"))
            continue
        if _empty(value):
            continue
        try:
            typed[name] = columns[name].convert(value)
        except _Bad as bad:
            problems.append((name, bad.reason, str(bad)))
    return typed, problems


def _row_problems(stem: str, typed: Row) -> list[Problem]:
    problems: list[Problem] = []
    if stem == "rules":
        for role in typed.get("roles") or []:
            if role in NOT_BY_ROLE_ALONE:
                problems.append(
                    (
                        "roles",
                        "NOT_BY_ROLE_ALONE",
                        f"{role} never makes anyone liable by role alone; "
                        "use roles_if_named or named_capacities",
                    )
                )
    start, end = typed.get("valid_from"), typed.get("valid_to")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        problems.append(("valid_to", "DATE_ORDER", "valid_to is before valid_from"))
    if stem == "list_type_measures" and typed.get("target") == "PERSONS" and typed.get("choice"):
        problems.append(("choice", "BAD_VALUE", "graded alternatives apply to the subject only"))
    return problems


def validate_reference_row(stem: str, row: Mapping[str, object]) -> list[Problem]:
    """Problems of one user row: ``(column, reason_code, message)`` tuples, empty when fine.

    A row whose logical key is a shipped one may leave other columns empty (they keep the
    existing values); a new key must fill every required column.
    """
    typed, problems = _convert(stem, row)
    if stem not in TABLES:
        return problems
    table = TABLES[stem]
    required_key = [name for name in table.key if table.columns[name].required]
    missing_key = [name for name in required_key if name not in typed]
    for name in missing_key:
        if all(column != name for column, _, _ in problems):
            problems.append((name, "REQUIRED", f"{name} is required"))
    if missing_key:
        return problems
    if table.logical_key(_complete(stem, typed, None)) not in _shipped_keys()[stem]:
        for name, column in table.columns.items():
            if column.required and name not in typed and all(p[0] != name for p in problems):
                problems.append((name, "REQUIRED", f"{name} is required for a new {stem} row"))
    problems.extend(_row_problems(stem, typed))
    return problems


def _complete(stem: str, typed: Row, base: Row | None) -> Row:
    """A full row: ``base`` (or column defaults) updated with ``typed``."""
    full: Row = {}
    for name, column in TABLES[stem].columns.items():
        default = list(column.default) if isinstance(column.default, list) else column.default
        full[name] = base[name] if base is not None and name in base else default
    full.update(typed)
    return full


def _parse(stem: str, text: str) -> list[Row]:
    rows: list[Row] = []
    for line, raw in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        typed, problems = _convert(stem, raw)
        problems += _row_problems(stem, typed)
        if problems:
            raise RuntimeError(f"shipped {stem}.csv line {line}: {problems}")
        rows.append(_complete(stem, typed, None))
    return rows


@cache
def _shipped() -> Mapping[str, tuple[Row, ...]]:
    folder = resources.files("tracer.queries").joinpath("reference")
    return MappingProxyType(
        {
            stem: tuple(_parse(stem, folder.joinpath(f"{stem}.csv").read_text(encoding="utf-8")))
            for stem in STEMS
        }
    )


@cache
def _shipped_keys() -> Mapping[str, frozenset[tuple[str, ...]]]:
    return MappingProxyType(
        {
            stem: frozenset(TABLES[stem].logical_key(row) for row in rows)
            for stem, rows in _shipped().items()
        }
    )


def shipped_tables() -> dict[str, list[Row]]:
    """The shipped default tables as typed rows (copies; lists are Python lists)."""
    return {stem: [dict(row) for row in rows] for stem, rows in _shipped().items()}


# -- merging and cross-table checks -------------------------------------------------------------


def _base_version(table: Table, versions: Mapping[str, Row], typed: Row) -> Row | None:
    """The row an override builds on: the same version, else the latest earlier version of the
    same logical key and jurisdiction, else any version of the key."""
    probe = _complete(table.stem, typed, None)
    same = versions.get(table.version_id(probe))
    if same is not None:
        return same
    key, start = table.logical_key(probe), probe.get("valid_from") or EARLIEST_DAY
    candidates = [row for row in versions.values() if table.logical_key(row) == key]
    earlier = [
        row
        for row in candidates
        if row.get("jurisdiction") == probe.get("jurisdiction") and row["valid_from"] <= start
    ]
    pool = earlier or candidates
    return max(pool, key=lambda row: row.get("valid_from") or EARLIEST_DAY) if pool else None


def merge_rows(
    current: Mapping[str, Sequence[Row]],
    overrides: Mapping[str, Sequence[Mapping[str, object]]] | None,
) -> dict[str, dict[str, Row]]:
    """``current`` tables (version id → row) with the user rows applied; raises ``InvalidInput``
    for an invalid row or a reference to a code defined nowhere."""
    tables = {
        stem: {TABLES[stem].version_id(row): dict(row) for row in current.get(stem, ())}
        for stem in STEMS
    }
    for stem, rows in (overrides or {}).items():
        if stem not in TABLES:
            raise InvalidInput(f"no reference table named {stem!r}; use one of {', '.join(STEMS)}")
        table = TABLES[stem]
        for index, row in enumerate(rows, start=1):
            problems = validate_reference_row(stem, row)
            if problems:
                column, reason, message = problems[0]
                raise InvalidInput(f"{stem} row {index}: {column}: {reason}: {message}")
            typed, _ = _convert(stem, row)
            merged = _complete(stem, typed, _base_version(table, tables[stem], typed))
            merged["origin"] = OVERRIDE
            tables[stem][table.version_id(merged)] = merged
    _check_references(tables)
    return tables


def _codes(tables: Mapping[str, Mapping[str, Row]], stem: str, column: str) -> set[str]:
    return {str(row[column]) for row in tables[stem].values()}


def _check_references(tables: Mapping[str, Mapping[str, Row]]) -> None:
    measures = _codes(tables, "measures", "code")
    list_types = _codes(tables, "list_types", "code")
    editions = _codes(tables, "basic_list_editions", "edition")

    def unknown(values: Iterable[object], known: set[str]) -> list[str]:
        return sorted({str(v) for v in values if v and str(v) not in known})

    for row in tables["rules"].values():
        where = f"rule {row['rule_id']}"
        for column, known in (
            ("measures", measures),
            ("eligible_measures", measures),
            ("list_types", list_types),
        ):
            missing = unknown(row[column], known)
            if missing:
                raise InvalidInput(f"{where}: {column}: unknown code(s) {', '.join(missing)}")
    for stem, column, known in (
        ("list_type_measures", "measure", measures),
        ("list_type_measures", "list_type", list_types),
        ("list_type_periods", "list_type", list_types),
        ("measure_basis", "measure", measures),
        ("measure_basis", "edition", editions),
    ):
        for row in tables[stem].values():
            missing = unknown([row[column]], known)
            if missing:
                raise InvalidInput(f"{stem}: {column}: unknown code {missing[0]}")


# -- installing ---------------------------------------------------------------------------------


def _jsonable(row: Mapping[str, Any]) -> str:
    return json.dumps(
        {
            key: value.isoformat() if isinstance(value, dt.date) else value
            for key, value in row.items()
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _person_classes(tables: Mapping[str, Mapping[str, Row]]) -> dict[str, list[str]]:
    """Per list type: the classes of the measures its memoranda apply to persons (``*`` for a
    measure without a class), for the rules that need a person-level basis (R2, R5, R10)."""
    classes = {row["code"]: row.get("class") or ALL_CLASSES for row in tables["measures"].values()}
    found: dict[str, set[str]] = {}
    for row in tables["list_type_measures"].values():
        if row["target"] == "PERSONS" and row["list_type"]:
            found.setdefault(row["list_type"], set()).add(classes.get(row["measure"], ALL_CLASSES))
    return {code: sorted(values) for code, values in found.items()}


@dataclass
class InstallReport:
    """What an install changed: rows per table and the changes recorded."""

    rows: dict[str, int]
    changes: int
    stamp: str
    changed: dict[str, int] = field(default_factory=dict)


def _current(runner: QueryRunner) -> dict[str, list[Row]]:
    rows = runner.read(cypher("reference_current"), labels=[t.label for t in TABLES.values()])
    by_label = {table.label: stem for stem, table in TABLES.items()}
    current: dict[str, list[Row]] = {stem: [] for stem in STEMS}
    for row in rows:
        stem = by_label[row["label"]]
        props = row["props"]
        full = _complete(stem, {}, props) | {"origin": props.get("origin")}
        if stem == "list_types":
            full["person_classes"] = props.get("person_classes") or []
        current[stem].append(full)
    return current


def _target(
    current: Mapping[str, Sequence[Row]],
    overrides: Mapping[str, Sequence[Mapping[str, object]]] | None,
) -> dict[str, dict[str, Row]]:
    """What the graph should hold: shipped rows, except versions an earlier override owns, with
    this install's overrides applied on top."""
    kept: dict[str, list[Row]] = {}
    for stem in STEMS:
        table = TABLES[stem]
        owned = {
            table.version_id(row): row
            for row in current.get(stem, ())
            if row.get("origin") == OVERRIDE
        }
        shipped = [
            {**row, "origin": SHIPPED}
            for row in _shipped()[stem]
            if table.version_id(row) not in owned
        ]
        kept[stem] = [*shipped, *owned.values()]
    return merge_rows(kept, overrides)


def install_reference_data(
    runner: QueryRunner,
    overrides: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
    actor: str = "system",
    clock: Clock | None = None,
) -> InstallReport:
    """Install the shipped tables and ``overrides``; record each changed row; idempotent.

    Raises ``InvalidInput`` when an override is invalid (nothing is written then).
    """
    now = (clock or Clock()).now()
    current = _current(runner)
    target = _target(current, overrides)
    before = {
        stem: {TABLES[stem].version_id(row): row for row in rows} for stem, rows in current.items()
    }
    classes = _person_classes(target)
    nodes: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for stem, rows in target.items():
        table = TABLES[stem]
        for version_id, row in rows.items():
            props = dict(row)
            if stem == "list_types":
                props["person_classes"] = classes.get(row["code"], [])
            old = before[stem].get(version_id)
            if old is not None and _jsonable(_comparable(old)) == _jsonable(_comparable(props)):
                continue
            nodes.append({"label": table.label, "version_id": version_id, "props": props})
            changes.append(
                {
                    "change_id": uuid.uuid4().hex,
                    "stem": stem,
                    "version_id": version_id,
                    "actor": actor if row.get("origin") == OVERRIDE else "system:shipped",
                    "at": now,
                    "before": _jsonable(old) if old is not None else None,
                    "after": _jsonable(props),
                }
            )
    stamp = uuid.uuid4().hex if changes else None
    runner.write(
        cypher("reference_install"),
        nodes=[{**node, "props": _storable(node["props"])} for node in nodes],
        changes=changes,
        stamp=stamp,
        at=now,
    )
    state = runner.read_one(cypher("reference_stamp"))
    changed: dict[str, int] = {}
    for change in changes:
        changed[change["stem"]] = changed.get(change["stem"], 0) + 1
    return InstallReport(
        rows={stem: len(rows) for stem, rows in target.items()},
        changes=len(changes),
        stamp=str(state["stamp"]) if state else "",
        changed=changed,
    )


def _comparable(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if value is not None and value != []}


def _storable(props: Mapping[str, Any]) -> dict[str, Any]:
    """Null cells removed (absent values are absent properties)."""
    return {key: value for key, value in props.items() if value is not None}


# -- reading, and picking the version in force ------------------------------------------------

R = TypeVar("R", bound=Mapping[str, Any])
T = TypeVar("T")


def in_force(row: Mapping[str, Any], day: dt.date, region: str | None) -> bool:
    """Valid on ``day`` where a subject of ``region`` is registered."""
    start = row.get("valid_from") or EARLIEST_DAY
    end = row.get("valid_to") or OPEN_DAY
    place = str(row.get("jurisdiction") or "")
    return start <= day <= end and (not place or (region or "").startswith(place))


def pick(
    rows: Iterable[R], key: Callable[[R], object], day: dt.date, region: str | None
) -> list[R]:
    """Per logical ``key``: the row in force on ``day`` with the most specific jurisdiction
    (ties: the latest ``valid_from``)."""
    best: dict[object, R] = {}
    for row in rows:
        if not in_force(row, day, region):
            continue
        rank = (len(str(row.get("jurisdiction") or "")), row.get("valid_from") or EARLIEST_DAY)
        found = best.get(key(row))
        if found is None or rank > (
            len(str(found.get("jurisdiction") or "")),
            found.get("valid_from") or EARLIEST_DAY,
        ):
            best[key(row)] = row
    return list(best.values())


#: Derived values one snapshot keeps before it starts again.
MAX_DERIVED = 100_000
_MISSING = object()


@dataclass(frozen=True)
class Snapshot:
    """The reference tables as installed (every version), for answers computed in Python."""

    stamp: str
    tables: Mapping[str, tuple[Row, ...]] = field(default_factory=dict)
    _derived: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def rows(self, stem: str) -> tuple[Row, ...]:
        """Every version of one table."""
        return self.tables.get(stem, ())

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per ``key`` for this snapshot (its tables never change); the
        result is shared, so callers must not modify it. At most ``MAX_DERIVED`` are kept: keys
        carry days and regions, which add up in a long-running server."""
        found = self._derived.get(key, _MISSING)
        if found is _MISSING:
            if len(self._derived) >= MAX_DERIVED:
                self._derived.clear()
            found = self._derived[key] = compute()
        return cast(T, found)


_SNAPSHOTS: dict[tuple[int, str], Snapshot] = {}
_BUILDING = threading.Lock()


def snapshot(runner: QueryRunner, stamp: str | None = None) -> Snapshot:
    """The installed tables, cached per database and refreshed when the install stamp (read
    with the caller's query, or here) changes."""
    if stamp is None:
        state = runner.read_one(cypher("reference_stamp"))
        stamp = str(state["stamp"]) if state else ""
    slot = (id(runner.driver), runner.database)
    cached = _SNAPSHOTS.get(slot)
    if cached is not None and cached.stamp == stamp:
        return cached
    with _BUILDING:  # callers that find it stale together (a cold start) read the tables once
        cached = _SNAPSHOTS.get(slot)
        if cached is not None and cached.stamp == stamp:
            return cached
        current = _current(runner)
        fresh = Snapshot(stamp, {stem: tuple(rows) for stem, rows in current.items()})
        _SNAPSHOTS[slot] = fresh
        return fresh


def changes(runner: QueryRunner, limit: int = 1000) -> list[Row]:
    """Recorded reference-data changes, newest first."""
    return runner.read(cypher("reference_changes"), limit=limit)
