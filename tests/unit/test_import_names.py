"""The import-file writer computes a name's pinyin keys once across the partitions of a stem
whose names repeat (persons), keeping at most ``NAMES_KEPT`` names until the stem ends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from tracer.domain.clock import Clock
from tracer.domain.keys import PersonKey
from tracer.loaders import bulk_files
from tracer.loaders.bulk_files import ImportFileWriter
from tracer.queries import names

CLOCK = Clock(now=lambda: dt.datetime(2026, 11, 15, 4, tzinfo=dt.UTC))


def _persons(numbers: range, name: str) -> pd.DataFrame:
    keys = [PersonKey("RESIDENT_ID", f"{n:018d}") for n in numbers]
    return pd.DataFrame(
        {"person": keys, "name": [f"{name}{n % 3}" for n in numbers]}
        | {"nationality": ["CHN"] * len(keys), "name_changes": [None] * len(keys)}
    )


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names whose keys are computed, in order."""
    names_computed: list[str] = []
    keys_of = names.name_keys

    def counted(name: str) -> names.NameKeys:
        names_computed.append(name)
        return keys_of(name)

    monkeypatch.setattr(names, "name_keys", counted)
    return names_computed


def test_names_are_computed_once_per_stem_up_to_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, computed: list[str]
) -> None:
    writer = ImportFileWriter(tmp_path, CLOCK)
    writer.add("persons", _persons(range(0, 6), "张伟"))
    writer.add("persons", _persons(range(6, 12), "张伟"))  # another partition: the same names
    assert sorted(computed) == ["张伟0", "张伟1", "张伟2"]
    monkeypatch.setattr(bulk_files, "NAMES_KEPT", 3)
    writer.add("persons", _persons(range(12, 15), "王芳"))  # 3 kept: still under the bound
    writer.add("persons", _persons(range(15, 18), "王芳"))  # 6 kept: the table starts again
    assert sorted(computed[3:]) == sorted(["王芳0", "王芳1", "王芳2"] * 2)
    assert writer.files.node_counts["Person"] == 18


def test_names_are_kept_for_persons_only_and_dropped_when_the_stem_ends(
    tmp_path: Path, computed: list[str]
) -> None:
    writer = ImportFileWriter(tmp_path, CLOCK)
    for serial in range(2):  # two partitions of enterprises: their names are not kept
        writer.add(
            "enterprises",
            pd.DataFrame(
                {"uscc": [f"uscc-{serial}"], "name": ["北京某某有限公司"], "kind": [None]}
                | {"ownership": [None], "status": [None], "region_code": [None]}
                | {"established_on": [None], "address": [None]}
                | {"superior_department": [None], "name_changes": [None]}
            ),
        )
    assert computed == ["北京某某有限公司"] * 2
    writer.add("persons", _persons(range(0, 3), "张伟"))
    writer.end("persons")  # the stem's last partition was written: its names go
    writer.add("persons", _persons(range(3, 6), "张伟"))
    assert sorted(computed[2:]) == sorted(["张伟0", "张伟1", "张伟2"] * 2)
