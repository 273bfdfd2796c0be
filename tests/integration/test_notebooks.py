"""The analyst notebooks run top to bottom against the test database (nbclient, venv kernel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from tracer.queries.runner import QueryRunner

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ORDER = ("01_quickstart", "02_investigation", "03_statistics", "04_credit_report")


def _outputs(book: Any, output_type: str) -> list[Any]:
    return [
        output
        for cell in book.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == output_type
    ]


def _text(book: Any) -> str:
    parts = [output.get("text", "") for output in _outputs(book, "stream")]
    for kind in ("execute_result", "display_data"):
        parts += [output.data.get("text/plain", "") for output in _outputs(book, kind)]
    return "\n".join(parts)


def _images(book: Any) -> int:
    return sum("image/png" in output.data for output in _outputs(book, "display_data"))


def test_notebooks_are_committed_without_outputs() -> None:
    for name in ORDER:
        book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)  # type: ignore[no-untyped-call]
        code = [cell for cell in book.cells if cell.cell_type == "code"]
        assert code, name
        assert all(not cell.outputs and cell.execution_count is None for cell in code), name


@pytest.mark.usefixtures("neo4j_env")
def test_notebooks_run_top_to_bottom(
    runner: QueryRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACER_NB_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("TRACER_NB_ENTERPRISES", "300")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    ran = {}
    for name in ORDER:
        book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)  # type: ignore[no-untyped-call]
        client = NotebookClient(
            book,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path)}},
        )
        client.execute()
        assert not _outputs(book, "error"), name
        ran[name] = book
    quick = _text(ran["01_quickstart"])
    assert "restricted: True" in quick and "restricted: False" in quick
    assert "appointed after the act" in quick
    assert _images(ran["02_investigation"]) == 1
    assert "nodes," in _text(ran["02_investigation"])
    assert _images(ran["03_statistics"]) == 2
    report = _text(ran["04_credit_report"])
    assert "as issued: AUTHENTIC AND UNALTERED" in report
    assert "one value changed: ALTERED" in report
    loaded = runner.read_one("MATCH (e:Enterprise) RETURN count(e) AS n")
    assert loaded is not None and loaded["n"] >= 300
