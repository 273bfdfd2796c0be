"""Date and share parsing (INTERFACES.md §1), vectorised and scalar."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer.domain.values import InvalidValue, parse_date, parse_dates, parse_share, parse_shares


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-29",
        "2024/02/29",
        "2024/2/29",
        "20240229",
        "2024年2月29日",
        " 2024年02月29日 ",
        "２０２４－０２－２９",  # full-width, as a Chinese input method types it
        "２０２４年２月２９日",
    ],
)
def test_every_date_format(text: str) -> None:
    assert parse_date(text) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023-02-29", "DATE_IMPOSSIBLE"),
        ("2024-13-01", "DATE_IMPOSSIBLE"),
        ("2024-04-31", "DATE_IMPOSSIBLE"),
        ("20240000", "DATE_IMPOSSIBLE"),
        ("1900年2月29日", "DATE_IMPOSSIBLE"),
        ("29.02.2024", "DATE_FORMAT"),
        ("2024-2", "DATE_FORMAT"),
        ("yesterday", "DATE_FORMAT"),
        ("2024022", "DATE_FORMAT"),
        ("٢٠٢٤-02-29", "DATE_FORMAT"),  # other digits: a format error, not a crash of the load
    ],
)
def test_bad_dates(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_date(text)
    assert caught.value.reason == reason


def test_scalar_passthrough() -> None:
    assert parse_date(None) is None
    assert parse_date(date(2020, 1, 2)) == date(2020, 1, 2)
    assert parse_date(datetime(2020, 1, 2, 0, 0)) == date(2020, 1, 2)


def test_vectorised_dates_keep_index_and_blanks() -> None:
    values = pd.Series(
        ["2020-01-02", None, "", "2020-02-30", "x", "9999-12-31"], index=list("abcdef")
    )
    dates, reasons = parse_dates(values)
    assert dates.to_dict() == {
        "a": date(2020, 1, 2),
        "b": None,
        "c": None,
        "d": None,
        "e": None,
        "f": date(9999, 12, 31),
    }
    assert reasons.to_dict() == {
        "a": None,
        "b": None,
        "c": None,
        "d": "DATE_IMPOSSIBLE",
        "e": "DATE_FORMAT",
        "f": None,
    }


@given(st.dates(min_value=date(1000, 1, 1)))
def test_any_real_date_round_trips_in_every_format(day: date) -> None:
    texts = [
        day.isoformat(),
        day.strftime("%Y/%m/%d"),
        day.strftime("%Y%m%d"),
        f"{day.year}年{day.month}月{day.day}日",
    ]
    dates, reasons = parse_dates(pd.Series(texts))
    assert dates.tolist() == [day] * 4
    assert reasons.tolist() == [None] * 4


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("0.35", None, 0.35),
        ("35%", None, 0.35),
        ("35 %", "", 0.35),
        ("35", "percent", 0.35),
        ("35%", "PERCENT", 0.35),
        ("1", None, 1.0),
        ("0", None, 0.0),
        (".5", "fraction", 0.5),
        ("100", "percent", 1.0),
        (0.25, None, 0.25),
    ],
)
def test_shares(value: str | float, unit: str | None, expected: float) -> None:
    assert parse_share(value, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "unit", "reason"),
    [
        ("35", None, "SHARE_RANGE"),
        ("-0.1", None, "SHARE_RANGE"),
        ("101%", None, "SHARE_RANGE"),
        ("abc", None, "SHARE_FORMAT"),
        ("0,35", None, "SHARE_FORMAT"),
        ("35", "permille", "SHARE_UNIT"),
    ],
)
def test_bad_shares(value: str, unit: str | None, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_share(value, unit)
    assert caught.value.reason == reason


def test_vectorised_shares_with_units() -> None:
    values = pd.Series(["0.5", "50", "50", None, "2"], index=[5, 6, 7, 8, 9])
    units = pd.Series([None, "percent", None, "percent", ""], index=[5, 6, 7, 8, 9])
    shares, reasons = parse_shares(values, units)
    assert shares.to_dict() == {5: 0.5, 6: 0.5, 7: None, 8: None, 9: None}
    assert reasons.to_dict() == {5: None, 6: None, 7: "SHARE_RANGE", 8: None, 9: "SHARE_RANGE"}


def test_full_width_and_foreign_digits_in_a_column() -> None:
    dates, reasons = parse_dates(pd.Series(["２０２０-01-02", "٢٠٢٠-01-02", "2020-01-02"]))
    assert list(dates) == [date(2020, 1, 2), None, date(2020, 1, 2)]
    assert list(reasons) == [None, "DATE_FORMAT", None]
    shares, share_reasons = parse_shares(pd.Series(["３５%", "٣٥%"]))
    assert list(shares) == [0.35, None]
    assert list(share_reasons) == [None, "SHARE_FORMAT"]
