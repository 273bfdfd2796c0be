"""Division names from the shipped GB/T 2260 table (Ministry of Civil Affairs codes)."""

from __future__ import annotations

import pytest

from tracer.queries.divisions import division_label, division_name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("500103", "重庆市渝中区"),  # a municipality's district: no "市辖区" tier
        ("50", "重庆市"),
        ("110105", "北京市朝阳区"),
        ("320582", "江苏省苏州市张家港市"),
        ("429004", "湖北省仙桃市"),  # county-level city directly under the province
        ("6543", "新疆维吾尔自治区阿勒泰地区"),
    ],
)
def test_full_names(code: str, name: str) -> None:
    assert division_name(code) == name


@pytest.mark.parametrize("code", ["99", "5001", "12345", "abcdef", "", None])
def test_unknown_codes_have_no_name(code: str | None) -> None:
    assert division_name(code) is None


def test_labels() -> None:
    assert division_label("500103") == "重庆市渝中区 (500103)"
    assert division_label("999999") == "999999"
    assert division_label(None) == "UNKNOWN"
