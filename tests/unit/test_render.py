"""Human tables never cut an ID or a measure code, whatever the terminal's width."""

from __future__ import annotations

import pytest
from rich.console import Console

from tracer.cli.context import table
from tracer.cli.tables import share_out

FINDING = "F-2024-000123-ABCDEF"
USCC = "91500103MA5U3XYZ0K"
CODES = ("MARKET_BAN", "FLIGHT_BAN", "HIGH_SPEED_RAIL_BAN")


def _render(width: int) -> str:
    found = table("Liabilities", "finding", "rule", "via", "enterprise", "measures", "until")
    found.add_row(
        FINDING,
        "R2",
        "LEGAL_REPRESENTATIVE + named DIRECTLY_RESPONSIBLE",
        f"重庆某某建筑工程有限公司 ({USCC})",
        ", ".join(f"{code} (must)" for code in CODES),
        "2026-01-01",
    )
    console = Console(width=width, record=True, color_system=None)
    console.print(found)
    return console.export_text()


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_ids_and_codes_are_whole_at_any_width(width: int) -> None:
    shown = _render(width)
    for value in (FINDING, USCC, *CODES, "DIRECTLY_RESPONSIBLE", "2026-01-01"):
        assert value in shown, f"{value} cut at width {width}:\n{shown}"
    assert max(len(line) for line in shown.splitlines()) <= width


def test_a_wide_terminal_gets_a_table_a_narrow_one_blocks_per_row() -> None:
    assert "┃ finding" in _render(200)
    narrow = _render(80)
    assert "finding:" in narrow and "┃" not in narrow


def test_share_out_keeps_every_word_and_fills_the_room() -> None:
    assert share_out([5, 3], [10, 4], 20) == [10, 4]
    assert share_out([5, 3], [25, 13], 18) == [5 + 10 * 20 // 30, 3 + 10 * 10 // 30]
    assert share_out([10, 10], [30, 30], 19) is None
