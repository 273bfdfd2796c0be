"""Parsing of input values (INTERFACES.md §1): dates and shares, vectorised and scalar.

Vectorised helpers take a pandas Series of strings (None = empty cell) and return the parsed
values with a parallel Series of reason codes (None where the value parsed or was empty).
Scalar helpers raise ``InvalidValue`` with the same reason codes.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd

from tracer.domain.errors import InvalidInput

_DATE = (
    r"^\s*(?P<y>\d{4})(?:"
    r"[-/](?P<m1>\d{1,2})[-/](?P<d1>\d{1,2})"
    r"|(?P<m2>\d{2})(?P<d2>\d{2})"
    r"|\s*年\s*(?P<m3>\d{1,2})\s*月\s*(?P<d3>\d{1,2})\s*日"
    r")\s*$"
)
_SHARE = r"^\s*(?P<n>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<pct>%)?\s*$"
PERCENT_UNITS = frozenset({"PERCENT", "%", "PCT"})
FRACTION_UNITS = frozenset({"FRACTION", "RATIO", "DECIMAL"})
_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


class InvalidValue(InvalidInput):
    """A cell could not be parsed; ``reason`` is a stable reason code."""

    title = "Invalid value"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def real_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Element-wise: is (year, month, day) a real calendar date (year >= 1)?"""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    limit = np.where(month_ok, _DAYS[np.clip(month - 1, 0, 11)], 0) + (
        month_ok & leap & (month == 2)
    )
    result: np.ndarray = month_ok & (year >= 1) & (day >= 1) & (day <= limit)
    return result


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype("string").str.strip() == "").fillna(True)


def _ascii_forms(values: pd.Series) -> pd.Series:
    """Cells as text with full-width forms read as ASCII (``２０２０－０１－０２``, ``３５％``, as a
    Chinese input method types them); other non-ASCII digits stay, and the patterns (ASCII
    ``\\d``) reject them as a format error."""
    return values.astype(str).str.normalize("NFKC")


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates (``datetime.date`` or None) and reasons (``DATE_FORMAT``, ``DATE_IMPOSSIBLE``)."""
    out = pd.Series([None] * len(values), index=values.index, dtype=object)
    reasons = pd.Series([None] * len(values), index=values.index, dtype=object)
    blank = _blank(values).to_numpy(dtype=bool)
    if blank.all():
        return out, reasons
    text = _ascii_forms(values[~blank])
    parts = text.str.extract(_DATE, flags=re.ASCII)
    matched = parts["y"].notna().to_numpy(dtype=bool)
    numbers = parts.apply(pd.to_numeric).astype("float64")
    year = numbers["y"].fillna(0).to_numpy(dtype=np.int64)
    month = numbers["m1"].fillna(numbers["m2"]).fillna(numbers["m3"]).fillna(0)
    day = numbers["d1"].fillna(numbers["d2"]).fillna(numbers["d3"]).fillna(0)
    month = month.to_numpy(dtype=np.int64)
    day = day.to_numpy(dtype=np.int64)
    real = matched & real_dates(year, month, day)
    positions = np.flatnonzero(~blank)
    reasons.iloc[positions[~matched]] = "DATE_FORMAT"
    reasons.iloc[positions[matched & ~real]] = "DATE_IMPOSSIBLE"
    good = np.flatnonzero(real)
    out.iloc[positions[good]] = [
        date(int(y), int(m), int(d))
        for y, m, d in zip(year[good], month[good], day[good], strict=True)
    ]
    return out, reasons


def parse_shares(values: pd.Series, units: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Shares in 0..1 (float or None) and reasons (``SHARE_FORMAT``, ``SHARE_UNIT``,
    ``SHARE_RANGE``). ``35%`` and ``35`` with unit ``percent`` are 0.35."""
    out = pd.Series([None] * len(values), index=values.index, dtype=object)
    reasons = pd.Series([None] * len(values), index=values.index, dtype=object)
    blank = _blank(values).to_numpy(dtype=bool)
    if blank.all():
        return out, reasons
    text = _ascii_forms(values[~blank])
    parts = text.str.extract(_SHARE, flags=re.ASCII)
    matched = parts["n"].notna().to_numpy(dtype=bool)
    number = pd.to_numeric(parts["n"]).to_numpy(dtype=np.float64)
    if units is None:
        unit = np.full(len(text), "", dtype=object)
    else:
        unit = units[~blank].astype("string").str.strip().str.upper().fillna("").to_numpy()
    unit_percent = np.isin(unit, list(PERCENT_UNITS))
    unit_ok = unit_percent | np.isin(unit, [*FRACTION_UNITS, ""])
    percent = parts["pct"].notna().to_numpy(dtype=bool) | unit_percent
    share = np.where(percent, number / 100.0, number)
    in_range = (share >= 0.0) & (share <= 1.0)
    positions = np.flatnonzero(~blank)
    reasons.iloc[positions[~matched]] = "SHARE_FORMAT"
    reasons.iloc[positions[matched & ~unit_ok]] = "SHARE_UNIT"
    reasons.iloc[positions[matched & unit_ok & ~in_range]] = "SHARE_RANGE"
    good = np.flatnonzero(matched & unit_ok & in_range)
    out.iloc[positions[good]] = [float(value) for value in share[good]]
    return out, reasons


_MESSAGES = {
    "DATE_FORMAT": "not a date (YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or YYYY年M月D日)",
    "DATE_IMPOSSIBLE": "no such calendar date",
    "SHARE_FORMAT": "not a share (0.35, 35% or 35 with share_unit=percent)",
    "SHARE_UNIT": "unknown share_unit (percent or fraction)",
    "SHARE_RANGE": "a share must be between 0 and 1 (0% and 100%)",
}


def reason_message(reason: str) -> str:
    """A human sentence for a value reason code."""
    return _MESSAGES[reason]


def parse_date(value: str | date | None) -> date | None:
    """One date (None for empty), or ``InvalidValue`` (``DATE_FORMAT``, ``DATE_IMPOSSIBLE``)."""
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date):
        return value
    dates, reasons = parse_dates(pd.Series([value], dtype=object))
    if reasons.iloc[0] is not None:
        raise InvalidValue(reasons.iloc[0], f"{value[:30]!r}: {_MESSAGES[reasons.iloc[0]]}")
    parsed: date | None = dates.iloc[0]
    return parsed


def parse_share(value: str | float | None, unit: str | None = None) -> float | None:
    """One share in 0..1 (None for empty), or ``InvalidValue`` (``SHARE_*`` reasons)."""
    if value is None:
        return None
    shares, reasons = parse_shares(
        pd.Series([str(value)], dtype=object), pd.Series([unit], dtype=object)
    )
    if reasons.iloc[0] is not None:
        raise InvalidValue(reasons.iloc[0], f"{str(value)[:30]!r}: {_MESSAGES[reasons.iloc[0]]}")
    parsed: float | None = shares.iloc[0]
    return parsed
