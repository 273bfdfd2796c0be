"""Rules as data: the shipped list types, propagation rules and measures, validated and installed.

The tables live in ``queries/reference/*.csv`` (lists pipe-separated). Users may override or
extend them by key with rows of the same columns (``tracer load`` files ``list_types``, ``rules``,
``measures``); ``install_reference_data`` MERGEs the result as ``ListType``, ``Rule`` and
``Measure`` nodes, which the liability queries join.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from tracer.domain import codes
from tracer.domain.errors import InvalidInput
from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner

Row = dict[str, object]
Problem = tuple[str, str, str]

STEMS = ("list_types", "rules", "measures")
KEYS: Mapping[str, str] = MappingProxyType(
    {"list_types": "code", "rules": "rule_id", "measures": "code"}
)

ROLES = frozenset(codes.ROLES)
#: Roles that never make anyone liable by themselves (DOMAIN §5 "no arbitrary expansion").
NOT_BY_ROLE_ALONE = frozenset({"CHAIRMAN", "DIRECTOR", "SHAREHOLDER", "SUPERVISOR"})
CAPACITIES = frozenset(codes.CAPACITIES)
CATEGORIES = frozenset(codes.CATEGORIES)
ENTERPRISE_KINDS = frozenset(codes.ENTERPRISE_KINDS)
OWNERSHIPS = frozenset(codes.OWNERSHIPS)
DATE_BASES = frozenset({"ACT_DATE", "DECIDED_ON"})
MEASURE_KINDS = frozenset({"ADMINISTRATIVE", "MARKET", "INDUSTRY", "SOCIAL"})
HITS = frozenset({"SUBJECT", "PERSON", "BOTH"})

_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
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


@dataclass(frozen=True)
class _Column:
    convert: Converter
    required: bool = False
    default: object = None


_LIST_DEFAULT: list[str] = []

COLUMNS: Mapping[str, Mapping[str, _Column]] = MappingProxyType(
    {
        "list_types": {
            "code": _Column(_code, required=True),
            "name": _Column(_text, required=True),
            "category": _Column(_enum(CATEGORIES)),
            "default_period_years": _Column(_years),
            "max_extension_years": _Column(_years),
            "source": _Column(_text, required=True),
        },
        "rules": {
            "rule_id": _Column(_rule_id, required=True),
            "name": _Column(_text, required=True),
            "list_types": _Column(_list(_code), default=_LIST_DEFAULT),
            "categories": _Column(_list(_enum(CATEGORIES)), default=_LIST_DEFAULT),
            "subject_kinds": _Column(_list(_enum(ENTERPRISE_KINDS)), default=_LIST_DEFAULT),
            "ownerships": _Column(_list(_enum(OWNERSHIPS)), default=_LIST_DEFAULT),
            "roles": _Column(_list(_enum(ROLES)), default=_LIST_DEFAULT),
            "roles_if_named": _Column(_list(_enum(ROLES)), default=_LIST_DEFAULT),
            "named_capacities": _Column(_list(_enum(CAPACITIES)), default=_LIST_DEFAULT),
            "date_basis": _Column(_enum(DATE_BASES), default="ACT_DATE"),
            "effect": _Column(_code, required=True),
            "measures": _Column(_list(_code), default=_LIST_DEFAULT),
            "ban_years": _Column(_years),
            "reaches_organisations": _Column(_bool, default=False),
            "person_subjects": _Column(_bool, default=False),
            "source": _Column(_text, required=True),
        },
        "measures": {
            "code": _Column(_code, required=True),
            "name": _Column(_text, required=True),
            "name_zh": _Column(_text, required=True),
            "kind": _Column(_enum(MEASURE_KINDS), required=True),
            "mandatory": _Column(_bool, default=False),
            "department_kinds": _Column(_list(_code), default=_LIST_DEFAULT),
            "hits": _Column(_enum(HITS), required=True),
            "source": _Column(_text, required=True),
        },
    }
)


def _empty(value: object) -> bool:
    """None, blank text, or a float NaN (an empty cell read through pandas)."""
    if isinstance(value, float):
        return math.isnan(value)
    return value is None or (isinstance(value, str) and not value.strip())


def _convert(stem: str, row: Mapping[str, object]) -> tuple[Row, list[Problem]]:
    """Typed cells of ``row`` (only the non-empty ones) and the problems found."""
    if stem not in COLUMNS:
        return {}, [("", "UNKNOWN_STEM", f"{stem!r} is not one of {', '.join(STEMS)}")]
    columns = COLUMNS[stem]
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


def _rule_problems(typed: Row) -> list[Problem]:
    problems: list[Problem] = []
    roles = typed.get("roles")
    if isinstance(roles, list):
        for role in roles:
            if role in NOT_BY_ROLE_ALONE:
                problems.append(
                    (
                        "roles",
                        "NOT_BY_ROLE_ALONE",
                        f"{role} never makes anyone liable by role alone; "
                        "use roles_if_named or named_capacities",
                    )
                )
    return problems


def validate_reference_row(stem: str, row: Mapping[str, object]) -> list[Problem]:
    """Problems of one user row for ``list_types``, ``rules`` or ``measures``.

    Returns ``(column, reason_code, message)`` tuples; empty when the row is acceptable. A row
    whose key is a shipped default may leave other columns empty (they keep the shipped value);
    a new key must fill every required column.
    """
    typed, problems = _convert(stem, row)
    if stem not in COLUMNS:
        return problems
    key = KEYS[stem]
    if key not in typed:
        if not any(column == key for column, _, _ in problems):
            problems.append((key, "REQUIRED", f"{key} is required"))
        return problems
    if typed[key] not in _shipped_index()[stem]:
        for name, column in COLUMNS[stem].items():
            if column.required and name not in typed and all(p[0] != name for p in problems):
                problems.append((name, "REQUIRED", f"{name} is required for a new {stem} row"))
    if stem == "rules":
        problems.extend(_rule_problems(typed))
    return problems


def _complete(stem: str, typed: Row, base: Row | None) -> Row:
    """A full row: ``base`` (or column defaults) updated with ``typed``."""
    full: Row = {}
    for name, column in COLUMNS[stem].items():
        default = list(column.default) if isinstance(column.default, list) else column.default
        full[name] = base[name] if base is not None else default
    full.update(typed)
    return full


def _parse(stem: str, text: str) -> list[Row]:
    rows: list[Row] = []
    for line, raw in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        typed, problems = _convert(stem, raw)
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
def _shipped_index() -> Mapping[str, frozenset[object]]:
    return MappingProxyType(
        {stem: frozenset(row[KEYS[stem]] for row in rows) for stem, rows in _shipped().items()}
    )


def shipped_tables() -> dict[str, list[Row]]:
    """The shipped default tables as typed rows (copies; lists are Python lists)."""
    return {stem: [dict(row) for row in rows] for stem, rows in _shipped().items()}


def merged_tables(
    overrides: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
) -> dict[str, list[Row]]:
    """The shipped tables with user rows overriding (by key, column by column) or extending them.

    Raises ``InvalidInput`` when a user row is invalid or when a rule names a measure or list
    type that neither the shipped tables nor the overrides define.
    """
    tables = {
        stem: {row[KEYS[stem]]: row for row in rows} for stem, rows in shipped_tables().items()
    }
    for stem, rows in (overrides or {}).items():
        if stem not in COLUMNS:
            raise InvalidInput(f"no reference table named {stem!r}; use one of {', '.join(STEMS)}")
        for index, row in enumerate(rows, start=1):
            problems = validate_reference_row(stem, row)
            if problems:
                column, reason, message = problems[0]
                raise InvalidInput(f"{stem} row {index}: {column}: {reason}: {message}")
            typed, _ = _convert(stem, row)
            key = typed[KEYS[stem]]
            tables[stem][key] = _complete(stem, typed, tables[stem].get(key))
    measures = set(tables["measures"])
    list_types = set(tables["list_types"])
    for rule_id, rule in tables["rules"].items():
        unknown = [code for code in _strings(rule["measures"]) if code not in measures]
        if unknown:
            raise InvalidInput(f"rule {rule_id}: unknown measure code(s) {', '.join(unknown)}")
        unknown = [code for code in _strings(rule["list_types"]) if code not in list_types]
        if unknown:
            raise InvalidInput(f"rule {rule_id}: unknown list type(s) {', '.join(unknown)}")
    return {stem: list(rows.values()) for stem, rows in tables.items()}


def _strings(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def install_reference_data(
    runner: QueryRunner,
    overrides: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
) -> dict[str, int]:
    """MERGE the list types, rules and measures (shipped + ``overrides``) into the graph.

    Idempotent; returns the number of rows installed per table (``list_types``, ``rules``,
    ``measures``).
    """
    tables = merged_tables(overrides)
    runner.write(cypher("reference_install"), **tables)
    return {stem: len(rows) for stem, rows in tables.items()}
