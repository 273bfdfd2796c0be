"""Column checks shared by the validators: each rejects failing rows on a ``Batch`` and returns
the normalised column (None where the cell was empty or invalid)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from tracer.domain.identifiers import (
    InvalidIdentifier,
    normalise_person_id,
    normalise_resident_ids,
    uscc_reasons,
)
from tracer.domain.keys import PersonKey
from tracer.domain.masking import mask_number
from tracer.domain.values import parse_dates, parse_shares, reason_message
from tracer.loaders.batch import Batch, nones, objects
from tracer.loaders.keysets import KeyDates, KeyRuns, KeySet
from tracer.loaders.lookup import GraphKeys
from tracer.loaders.read import FILE, LINE

#: Dates written as YYYY-MM-DD with ASCII digits (the common form, parsed at C speed).
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
USCC_MESSAGES = {
    "USCC_LENGTH": "a USCC has 18 characters",
    "USCC_CHARSET": "a USCC uses only 0-9 and A-Z without I, O, S, V, Z",
    "USCC_CHECK": "the USCC check character (position 18) is wrong",
    "USCC_ORG_CHECK": "the organisation code check character (position 17) is wrong",
}

ID_MESSAGES = {
    "ID_LENGTH": "a resident ID has 18 (or legacy 15) characters",
    "ID_CHARSET": "a resident ID has 17 digits and a digit or X at the end",
    "ID_BIRTH_DATE": "the birth date in the resident ID is not a real past date",
    "ID_CHECK": "the resident ID check character is wrong",
}


@dataclass
class Context:
    """What validation knows besides the rows: the graph (None when unreachable), today, the
    list types (code -> category), the keys found valid or rejected in this load so far (and
    those rejected ``IDENTITY_CONFLICT``), the stored state of findings given again, and the
    decision dates of findings seen so far."""

    graph: GraphKeys | None
    today: date
    list_types: dict[str, str | None] = field(default_factory=dict)
    valid: dict[str, KeySet] = field(default_factory=dict)
    rejected: dict[str, KeySet] = field(default_factory=dict)
    conflicted: dict[str, set[Any]] = field(default_factory=dict)
    findings: dict[str, dict[str, Any]] = field(default_factory=dict)
    decided: KeyDates = field(default_factory=KeyDates)
    unchecked: Counter[str] = field(default_factory=Counter)
    #: While a stem is validated in partitions: the keys its partitions found valid and
    #: rejected so far (kept on disk until the stem is done).
    partials: dict[str, tuple[KeyRuns, KeyRuns]] | None = None

    def finish(self, entity: str, valid: KeySet, rejected: KeySet) -> None:
        """Record the keys of ``entity`` a stem found valid, and those only rejected."""
        if self.partials is None:
            self.valid[entity], self.rejected[entity] = valid, rejected
            return
        if entity not in self.partials:
            self.partials[entity] = (KeyRuns(), KeyRuns())
        runs = self.partials[entity]
        runs[0].add(valid)
        runs[1].add(rejected)

    def unite(self) -> None:
        """End a stem validated in partitions: its keys are those of all partitions (a key is
        in one partition only, so one rejected in one is valid in none)."""
        for entity, (valid, rejected) in (self.partials or {}).items():
            self.valid[entity] = valid.united()
            self.rejected[entity] = rejected.united()
        self.partials = None

    def discard(self) -> None:
        """Drop the keys of a stem whose validation in partitions stopped (an error)."""
        for runs in (self.partials or {}).values():
            for run in runs:
                run.close()
        self.partials = None


def _all(batch: Batch) -> pd.Series:
    return pd.Series(True, index=batch.frame.index)


def empty(batch: Batch) -> pd.Series:
    """An all-None column for ``batch``."""
    return nones(batch.frame.index)


def per_distinct(
    values: pd.Series, parse: Callable[[pd.Series], tuple[pd.Series, ...]]
) -> tuple[pd.Series, ...]:
    """``parse`` run once per distinct non-null value of ``values`` (a column repeats the same
    dates, USCCs and ID numbers many times), its columns spread back to every row (None where
    the value is null)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    found = parse(pd.Series(uniques, dtype=object))
    spread = []
    for part in found:
        table = np.full(len(part) + 1, None, dtype=object)
        table[:-1] = part.to_numpy(dtype=object)
        spread.append(pd.Series(table[codes], index=values.index, dtype=object))
    return tuple(spread)


def required(batch: Batch) -> None:
    """Reject rows with an empty required cell."""
    for column in batch.spec.required:
        missing = batch.text(column).isna()
        batch.reject(missing, column, "REQUIRED_MISSING", f"{column} is required")


def code(
    batch: Batch,
    column: str,
    allowed: Iterable[str],
    default: str | None = None,
    rows: pd.Series | None = None,
) -> pd.Series:
    """Upper-case codes from ``allowed`` (``default`` when empty); ``CODE_UNKNOWN`` otherwise."""
    choices = tuple(allowed)
    values = batch.upper(column)
    if default is not None:
        values = values.where(values.notna(), default)
    scope = _all(batch) if rows is None else rows
    bad = scope & values.notna() & ~values.isin(choices)
    batch.reject(bad, column, "CODE_UNKNOWN", f"{column} must be one of {', '.join(choices)}")
    return values.where(scope & ~bad, None)


def uscc(batch: Batch, column: str, rows: pd.Series | None = None) -> pd.Series:
    """Normalised USCCs; rows with a bad one are rejected with the ``USCC_*`` reason."""
    values = batch.upper(column)
    present = values.notna() if rows is None else values.notna() & rows
    reasons = pd.Series([None] * len(values), index=values.index, dtype=object)
    if present.any():
        (found,) = per_distinct(values[present], lambda codes: (uscc_reasons(codes),))
        reasons[present] = found
    failing = reasons.notna()
    batch.reject_each(
        failing, column, reasons, lambda index: f"{column}: {USCC_MESSAGES[reasons[index]]}"
    )
    return values.where(present & ~failing, None)


def person_ids(
    batch: Batch,
    type_column: str,
    number_column: str,
    today: date,
    rows: pd.Series | None = None,
    types: pd.Series | None = None,
    numbers: pd.Series | None = None,
) -> pd.Series:
    """Person keys (``PersonKey``, normalised), id_type defaulting to RESIDENT_ID.

    ``types`` and ``numbers`` override the cells of the two columns (used for ``subject_id``
    cells that carry both as ``ID_TYPE:number``).
    """
    kinds = batch.upper(type_column) if types is None else types
    kinds = kinds.where(kinds.notna(), "RESIDENT_ID")
    numbers = batch.text(number_column) if numbers is None else numbers
    scope = numbers.notna() if rows is None else numbers.notna() & rows
    found = np.full(len(batch.frame), None, dtype=object)
    reasons = empty(batch)
    messages: dict[int, str] = {}
    resident = scope & (kinds == "RESIDENT_ID")
    if resident.any():
        keys, failed = per_distinct(numbers[resident], lambda cells: _resident_keys(cells, today))
        found[np.flatnonzero(resident.to_numpy())] = keys.to_numpy(dtype=object)
        reasons[resident] = failed
        for index in failed[failed.notna()].index:
            masked = mask_number(str(numbers[index]).strip())
            messages[index] = f"{ID_MESSAGES[failed[index]]} ({masked})"
    others = scope & ~resident
    for position, index in zip(
        np.flatnonzero(others.to_numpy()), others[others].index, strict=True
    ):
        kind, number = str(kinds[index]), str(numbers[index])
        try:
            key = PersonKey(kind.strip().upper(), normalise_person_id(kind, number, today))
            found[position] = key
        except InvalidIdentifier as exc:
            reasons[index] = exc.reason
            messages[index] = f"{exc} ({mask_number(number.strip())})"
    wrong_type = reasons == "ID_TYPE_UNKNOWN"
    batch.reject_each(wrong_type, type_column, reasons, messages.__getitem__)
    batch.reject_each(reasons.notna() & ~wrong_type, number_column, reasons, messages.__getitem__)
    return pd.Series(found, index=batch.frame.index, dtype=object)


def _resident_keys(numbers: pd.Series, today: date) -> tuple[pd.Series, pd.Series]:
    """``PersonKey`` of each resident ID number (None where invalid), and the reasons."""
    normalised, failed = normalise_resident_ids(numbers, today)
    keys = (
        PersonKey("RESIDENT_ID", number) if number is not None else None for number in normalised
    )
    return objects(keys, numbers.index), failed


def _parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``parse_dates`` of non-null texts, the plain ISO ones (YYYY-MM-DD) converted by pandas;
    any other text, and any ISO text pandas cannot convert, is left to ``parse_dates``."""
    iso = values.str.fullmatch(ISO_DATE).astype(bool)
    stamps = pd.to_datetime(values.where(iso), format="%Y-%m-%d", errors="coerce")
    fast = stamps.notna()
    days = pd.Series([None] * len(values), index=values.index, dtype=object)
    reasons = days.copy()
    days[fast] = stamps[fast].dt.date
    if not fast.all():
        days[~fast], reasons[~fast] = parse_dates(values[~fast])
    return days, reasons


def dates(batch: Batch, column: str) -> pd.Series:
    """Parsed dates; ``DATE_FORMAT`` / ``DATE_IMPOSSIBLE`` rejected."""
    if column not in batch.frame:  # an optional column no file has
        return empty(batch)
    text = batch.text(column)
    parsed, reasons = per_distinct(text, _parse_dates)
    batch.reject_each(
        reasons.notna(),
        column,
        reasons,
        lambda index: f"{column} {str(text[index])[:40]!r}: {reason_message(reasons[index])}",
    )
    return parsed


def _ordinals(days: pd.Series) -> np.ndarray | None:
    """Each date as its ordinal (-1 for None); None when a value is no ``date``."""
    codes, uniques = pd.factorize(days.to_numpy(dtype=object))
    if not all(type(day) is date for day in uniques):
        return None
    return np.array([*(day.toordinal() for day in uniques), -1], dtype=np.int64)[codes]


def not_before(batch: Batch, early: pd.Series, late: pd.Series, column: str, what: str) -> None:
    """Reject rows where ``late`` is before ``early`` (``DATE_ORDER``, reported on ``column``)."""
    first, second = _ordinals(early), _ordinals(late)
    if first is not None and second is not None:
        flags = (first >= 0) & (second >= 0) & (second < first)
    else:
        flags = np.array(
            [a is not None and b is not None and b < a for a, b in zip(early, late, strict=True)],
            dtype=bool,
        )
    bad = pd.Series(flags, index=batch.frame.index, dtype=bool)
    batch.reject(bad, column, "DATE_ORDER", what)


def not_future(batch: Batch, days: pd.Series, today: date, column: str) -> None:
    """Reject rows whose date is after ``today`` (``DATE_FUTURE``): an effective date must have
    come, as for a change made from the command line."""
    ordinals = _ordinals(days)
    if ordinals is not None:
        future = pd.Series(ordinals > today.toordinal(), index=days.index, dtype=bool)
    else:
        future = days.map(lambda day: day is not None and day > today).astype(bool)
    batch.reject(future, column, "DATE_FUTURE", f"{column} is in the future (today is {today})")


def shares(batch: Batch, column: str, unit_column: str) -> pd.Series:
    """Shares in 0..1; ``SHARE_FORMAT`` / ``SHARE_UNIT`` / ``SHARE_RANGE`` rejected."""
    text, units = batch.text(column), batch.text(unit_column)
    if units.isna().all():
        parsed, reasons = per_distinct(text, parse_shares)
    else:
        parsed, reasons = parse_shares(text, units)
    batch.reject_each(
        reasons.notna(),
        column,
        reasons,
        lambda index: f"{column} {str(text[index])[:40]!r}: {reason_message(reasons[index])}",
    )
    return parsed


def member(keys: pd.Series, found: set[Any] | KeySet) -> pd.Series:
    """Element-wise ``key in found`` (keys may be ``PersonKey`` tuples, which ``isin`` would
    take apart)."""
    if not found:
        return pd.Series(False, index=keys.index, dtype=bool)
    codes, uniques = pd.factorize(keys.to_numpy(dtype=object))
    table = np.zeros(len(uniques) + 1, dtype=bool)  # the last: a null key (code -1)
    if isinstance(found, KeySet):
        table[:-1] = found.contains(uniques)
    else:
        table[:-1] = [key in found for key in uniques]
    return pd.Series(table[codes], index=keys.index, dtype=bool)


def references(
    batch: Batch, ctx: Context, entity: str, keys: pd.Series, column: str, label: str
) -> None:
    """Reject rows whose key is neither valid in this load nor in the graph.

    ``REF_REJECTED`` when the key belongs to a row rejected in this load, else
    ``REF_<ENTITY>``; a key rejected ``IDENTITY_CONFLICT`` is ``REF_REJECTED`` even when the
    graph holds it (its rows belong to someone else). Without a graph (dry run, database down)
    such rows are counted as unchecked instead.
    """
    pending = batch.good & keys.notna() & ~member(keys, ctx.valid.get(entity, KeySet()))
    conflicted = pending & member(keys, ctx.conflicted.get(entity, set()))
    batch.reject(
        conflicted,
        column,
        "REF_REJECTED",
        f"{column} refers to a {label} whose row was rejected in this load (IDENTITY_CONFLICT)",
    )
    pending &= ~conflicted
    if not pending.any():
        return
    if ctx.graph is None:
        ctx.unchecked[batch.spec.stem] += int(pending.sum())
        return
    found = ctx.graph.existing(entity, dict.fromkeys(keys[pending].tolist()))
    missing = pending & ~member(keys, found)
    cascade = missing & member(keys, ctx.rejected.get(entity, KeySet()))
    batch.reject(
        cascade,
        column,
        "REF_REJECTED",
        f"{column} refers to a {label} whose row was rejected in this load",
    )
    batch.reject(
        missing & ~cascade,
        column,
        f"REF_{entity.upper()}",
        f"{column}: no such {label} in this load or in the graph",
    )


def _token(value: object) -> str:
    """A lossless text of a key cell (a ``PersonKey`` prints masked)."""
    if isinstance(value, tuple):
        return "\x1e".join(str(part) for part in value)
    return "" if value is None else str(value)


def dedupe(batch: Batch, frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Rows to write: conflicting copies of a key rejected (``DUPLICATE_CONFLICT``), identical
    copies written once (counted as loaded, ``batch.repeats``)."""
    good = frame[batch.good]
    if good.empty:
        return good
    shared = good.duplicated(subset=key, keep=False)
    if not shared.any():
        return good
    return good.drop(index=good.index[shared].difference(_deduped(batch, good[shared], key).index))


def _deduped(batch: Batch, good: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """``dedupe`` on the rows whose key occurs more than once."""
    distinct = good.drop_duplicates()
    clashing = distinct[distinct.duplicated(subset=key, keep=False)]
    conflict = pd.Series(
        pd.MultiIndex.from_frame(good[key].map(_token)).isin(
            pd.MultiIndex.from_frame(clashing[key].map(_token))
        ),
        index=good.index,
    )
    if conflict.any():
        where = batch.frame.loc[conflict[conflict].index, [FILE, LINE]]
        labels = good.loc[conflict, key].map(_token).agg("\x1f".join, axis=1)
        places: dict[str, list[str]] = {}
        for index, file, line in zip(where.index, where[FILE], where[LINE], strict=True):
            places.setdefault(labels[index], []).append(f"{file}:{line}")
        batch.reject_each(
            conflict.reindex(batch.frame.index, fill_value=False),
            "|".join(key),
            pd.Series("DUPLICATE_CONFLICT", index=batch.frame.index),
            lambda index: (
                "the same key appears with different values at "
                + ", ".join(places[labels[index]][:10])
                + "; every copy is rejected"
            ),
        )
    repeats = ~conflict & good.duplicated(keep="first")
    batch.repeats += int(repeats.sum())
    return good[~conflict & ~repeats]
