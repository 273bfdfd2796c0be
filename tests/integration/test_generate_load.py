"""A generated data set loads into the real Neo4j: the loader rejects exactly the injected rows
(corruptions.json), each for the reason its kind of corruption means, and loading it again
changes nothing."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from tests.integration.test_load import counts, fingerprint, stats
from tracer.loaders.generate import generate_dataset
from tracer.loaders.load import load_directory
from tracer.queries.runner import QueryRunner

#: The loader's reason codes for each kind of corruption the generator injects.
REASONS = {
    "BAD_USCC_CHECK": {"USCC_CHECK"},
    "BAD_ID_CHECK": {"ID_CHECK"},
    "IMPOSSIBLE_DATE": {"DATE_IMPOSSIBLE"},
    "END_BEFORE_START": {"DATE_ORDER"},
    "SHARE_OUT_OF_RANGE": {"SHARE_RANGE"},
    "UNKNOWN_CODE": {"CODE_UNKNOWN", "ID_TYPE_UNKNOWN", "LIST_TYPE_UNKNOWN"},
    "UNKNOWN_REFERENCE": {"REF_ENTERPRISE", "REF_PERSON", "REF_DEPARTMENT", "REF_FINDING"},
    "MISSING_REQUIRED": {"REQUIRED_MISSING"},
    "DUPLICATE_CONFLICT": {"DUPLICATE_CONFLICT", "IDENTITY_CONFLICT"},  # a copy with another name
    "CATEGORY_MISMATCH": {"CATEGORY_MISMATCH"},
}


def _kinds_rejected(rejects: Path) -> dict[str, Counter[str]]:
    """Per file stem, the kind of corruption each rejected line shows (one kind per line)."""
    reasons: dict[tuple[str, str], set[str]] = {}
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            reasons.setdefault((row["file"], row["line"]), set()).add(row["reason_code"])
    found: dict[str, Counter[str]] = {}
    for (file, line), codes in reasons.items():
        kinds = [kind for kind, meant in REASONS.items() if codes & meant]
        assert len(kinds) == 1, (file, line, codes)
        found.setdefault(Path(file).stem, Counter())[kinds[0]] += 1
    return found


def test_generated_data_loads_and_rejects_reconcile(runner: QueryRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    # this seed and size give transitions and a CATEGORY_MISMATCH among the corruptions
    summary = generate_dataset(data, 400, seed=77, corrupt_rate=0.05)
    manifest = json.loads((data / "corruptions.json").read_text(encoding="utf-8"))
    assert summary.rows["transitions"] > 0, "pick a seed whose data set has transitions"
    assert manifest["files"]["findings"]["injected"].get("CATEGORY_MISMATCH"), "pick a seed"
    rejects = tmp_path / "rejects.csv"
    report = load_directory(runner, data, rejects_path=rejects)
    assert report.graph_checked
    injected = {stem: Counter(manifest["files"][stem]["injected"]) for stem in report.files}
    assert {stem: read for stem, (read, _, _) in counts(report).items()} == summary.rows
    assert {stem: rejected for stem, (_, _, rejected) in counts(report).items()} == {
        stem: sum(kinds.values()) for stem, kinds in injected.items()
    }
    assert _kinds_rejected(rejects) == {stem: kinds for stem, kinds in injected.items() if kinds}
    assert report.status_since_defaulted == 0  # the generator dates every status it gives
    before = stats(runner), fingerprint(runner)
    again = load_directory(runner, data, rejects_path=rejects)
    assert counts(again) == counts(report)
    assert (stats(runner), fingerprint(runner)) == before
