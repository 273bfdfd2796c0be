"""The audit log: chained entries, tamper detection, concurrent writers, keyed subject refs."""

from __future__ import annotations

import itertools
import json
import multiprocessing
from pathlib import Path

import pytest

from tracer.api.audit import GENESIS, AuditLog, SubjectRefs

ACTOR = {"key_id": "abc", "key_name": "t", "role": "viewer"}


def _write(log: AuditLog, n: int) -> None:
    for i in range(n):
        log.append(actor=ACTOR, method="POST", endpoint="/v1/checks", status=200, subjects=[str(i)])


def _worker(path: str) -> None:
    _write(AuditLog(Path(path), fsync=False), 25)


def test_chain_is_written_and_verifies(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    _write(log, 5)
    entries = [json.loads(line) for _, line in log.entries()]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["prev"] == GENESIS
    assert all(b["prev"] == a["hash"] for a, b in itertools.pairwise(entries))
    assert log.verify().model_dump() == {
        "ok": True,
        "entries": 5,
        "broken_line": None,
        "broken_seq": None,
        "reason": None,
    }


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (
            lambda lines: lines.__setitem__(2, lines[2].replace('"status":200', '"status":201')),
            "hash",
        ),
        (lambda lines: lines.pop(2), "sequence"),
        (lambda lines: lines.__setitem__(2, "{broken"), "JSON"),
    ],
)
def test_tampering_is_detected_at_the_first_broken_entry(
    tmp_path: Path, tamper: object, reason: str
) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    _write(log, 5)
    lines = path.read_text().splitlines()
    tamper(lines)  # type: ignore[operator]
    path.write_text("\n".join(lines) + "\n")
    report = log.verify()
    assert not report.ok
    assert report.broken_line == 3
    assert report.entries == 2
    assert reason in (report.reason or "")


def test_rehashed_entry_still_breaks_the_next_link(tmp_path: Path) -> None:
    from tracer.api.audit import entry_hash

    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    _write(log, 4)
    lines = path.read_text().splitlines()
    forged = json.loads(lines[1])
    forged["status"] = 500
    forged["hash"] = entry_hash(forged)
    lines[1] = json.dumps(forged)
    path.write_text("\n".join(lines) + "\n")
    report = log.verify()
    assert (report.ok, report.broken_line) == (False, 3)
    assert "prev" in (report.reason or "")


def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_worker, args=(str(path),)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    report = AuditLog(path).verify()
    assert report.ok, report
    assert report.entries == 100


def test_person_refs_are_keyed_and_never_contain_the_number() -> None:
    refs = SubjectRefs(b"k" * 40)
    ref = refs.person("RESIDENT_ID", "11010519491231002X")
    assert ref.startswith("person:")
    assert "11010519491231002X" not in ref
    assert ref == refs.person("RESIDENT_ID", "11010519491231002X")
    assert ref != SubjectRefs(b"j" * 40).person("RESIDENT_ID", "11010519491231002X")
    log = AuditLog(Path("/nonexistent/never-created.jsonl"))
    assert log.verify().ok
    assert log.find(ref) == []
