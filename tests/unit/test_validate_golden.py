"""Rejects are exact: a dry run (no database) of the broken fixtures and of a corrupted
generated data set writes the rejects file row for row — file, line, column, reason code,
message, raw row — as the golden files in ``tests/fixtures/validate_golden`` (made by the
row-by-row validator of commit 126eb6f, before validation was vectorised). A deliberate change
of a message or a check updates the golden file with the new rejects file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracer.domain.clock import Clock
from tracer.loaders.generate import generate_dataset
from tracer.loaders.load import load_directory

FIXTURES = Path(__file__).parents[1] / "fixtures"
GOLDEN = FIXTURES / "validate_golden"
CLOCK = Clock(now=lambda: dt.datetime(2026, 11, 15, 4, tzinfo=dt.UTC))


def _rejects(data: Path, tmp_path: Path) -> str:
    rejects = tmp_path / "rejects.csv"
    load_directory(None, data, dry_run=True, rejects_path=rejects, clock=CLOCK)
    return rejects.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("fixture", ["broken", "refused"])
def test_fixture_rejects_match_golden(fixture: str, tmp_path: Path) -> None:
    expected = (GOLDEN / f"{fixture}.csv").read_text(encoding="utf-8-sig")
    assert _rejects(FIXTURES / "load" / fixture, tmp_path) == expected


def test_generated_rejects_match_golden(tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate_dataset(data, 400, seed=77, corrupt_rate=0.05)
    expected = (GOLDEN / "generated-400-seed77.csv").read_text(encoding="utf-8-sig")
    found = _rejects(data, tmp_path)
    assert found.count("\n") > 300  # every kind of corruption, many rows
    assert found == expected
