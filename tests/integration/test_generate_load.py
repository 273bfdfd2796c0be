"""A generated data set loads into the real Neo4j; the loader rejects exactly the injected rows."""

from __future__ import annotations

import json
from pathlib import Path

from tracer.loaders.generate import generate_dataset
from tracer.loaders.load import load_directory
from tracer.queries.runner import QueryRunner


def test_generated_data_loads_and_rejects_reconcile(runner: QueryRunner, tmp_path: Path) -> None:
    summary = generate_dataset(tmp_path, 300, seed=21, corrupt_rate=0.02)
    manifest = json.loads((tmp_path / "corruptions.json").read_text(encoding="utf-8"))
    report = load_directory(runner, tmp_path, rejects_path=tmp_path / "out" / "rejects.csv")
    assert report.graph_checked
    for stem, counts in report.files.items():
        injected = sum(manifest["files"][stem]["injected"].values())
        assert counts.read == summary.rows[stem], stem
        assert counts.rejected == injected, stem
        assert counts.loaded == summary.rows[stem] - injected, stem
    assert summary.injected_rows > 0
