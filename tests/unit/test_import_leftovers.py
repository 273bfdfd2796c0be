"""The import files of an interrupted ``tracer import`` are replaced by the next run; files of a
finished run (or anyone else's CSV files) are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from tracer.domain.clock import Clock
from tracer.loaders.bulk_files import REPORT_FILE, UNFINISHED, ImportFileWriter

CLOCK = Clock(now=lambda: dt.datetime(2026, 11, 15, 4, tzinfo=dt.UTC))
DEPARTMENTS = pd.DataFrame(
    {"code": ["D1"], "name": ["北京市市场监督管理局"], "region_code": ["110000"]}
    | {"superior_code": [None], "kind": [None]}
)


def _written(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def test_an_interrupted_runs_files_are_replaced(tmp_path: Path) -> None:
    first = ImportFileWriter(tmp_path, CLOCK)
    first.add("departments", DEPARTMENTS)  # then the run dies: no complete()
    (tmp_path / REPORT_FILE).write_text("bad entries of the interrupted run")
    left = _written(tmp_path)
    assert UNFINISHED in left and any(name.endswith("-Department.csv") for name in left)

    second = ImportFileWriter(tmp_path, CLOCK)
    assert _written(tmp_path) == [UNFINISHED]  # the interrupted run's files are gone
    second.add("departments", DEPARTMENTS)
    second.complete()
    assert UNFINISHED not in _written(tmp_path)
    assert second.files.node_counts == {"Department": 1}


def test_a_finished_runs_files_are_refused(tmp_path: Path) -> None:
    done = ImportFileWriter(tmp_path, CLOCK)
    done.add("departments", DEPARTMENTS)
    done.complete()
    with pytest.raises(FileExistsError, match="already holds CSV files"):
        ImportFileWriter(tmp_path, CLOCK)
    assert any(name.endswith("-Department.csv") for name in _written(tmp_path))


def test_other_csv_files_are_refused_even_beside_an_unfinished_run(tmp_path: Path) -> None:
    (tmp_path / UNFINISHED).touch()
    (tmp_path / "mine.csv").write_text("a,b\n1,2\n")
    with pytest.raises(FileExistsError):
        ImportFileWriter(tmp_path, CLOCK)
    assert (tmp_path / "mine.csv").exists()
