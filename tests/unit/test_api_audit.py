"""The audit log: keyed chain, heads kept elsewhere, every kind of tampering, recovery, rotation."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.api.audit import GENESIS, AuditKeyring, AuditLog, SubjectRefs, verify_log
from tracer.api.audit.log import KEY_ROTATED, TORN_LINE, canonical, entry_mac, legacy_hash
from tracer.api.audit.verify import signed_head_document
from tracer.api.audit.viewers import viewers
from tracer.queries.audit import Checkpoint

ACTOR = {"key_id": "abc", "key_name": "t", "role": "viewer"}
Lines = list[str]


def _log(folder: Path, **options: object) -> AuditLog:
    return AuditLog(
        folder / "audit.jsonl",
        AuditKeyring(folder / "audit-keys.json"),
        fsync=False,
        **options,  # type: ignore[arg-type]
    )


def _write(log: AuditLog, n: int, subjects: list[str] | None = None) -> None:
    for i in range(n):
        log.append(
            actor=ACTOR,
            method="POST",
            endpoint="/v1/checks",
            status=200,
            subjects=subjects if subjects is not None else [str(i)],
        )


def _worker(folder: str) -> None:
    _write(_log(Path(folder)), 25)


def _lines(log: AuditLog) -> Lines:
    return log.path.read_text().splitlines()


def _rewrite(log: AuditLog, lines: Lines) -> None:
    log.path.write_text("".join(line + "\n" for line in lines))


class Recorder:
    """A checkpoint sink that keeps what it was sent (Neo4j in the integration tests)."""

    def __init__(self) -> None:
        self.heads: list[Checkpoint] = []

    def __call__(self, head: Checkpoint) -> bool:
        self.heads.append(head)
        return True


def test_chain_is_keyed_numbered_and_verifies(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _write(log, 5)
    entries = [json.loads(line) for line in _lines(log)]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["prev"] == GENESIS
    assert all(b["prev"] == a["mac"] for a, b in itertools.pairwise(entries))
    assert {e["kid"] for e in entries} == {"k1"}
    report = verify_log(log)
    assert (report.ok, report.entries, report.heads_checked) == (True, 5, 1)
    assert (tmp_path / "audit-keys.json").stat().st_mode & 0o777 == 0o600


def _edit(lines: Lines) -> None:
    lines[2] = lines[2].replace('"status":200', '"status":201')


def _insert(lines: Lines) -> None:
    lines.insert(2, lines[1])


def _delete(lines: Lines) -> None:
    lines.pop(2)


def _reorder(lines: Lines) -> None:
    lines[2], lines[3] = lines[3], lines[2]


def _bare_sha_recompute(lines: Lines) -> None:
    """What defeated the first build: edit an entry and recompute a bare SHA-256 chain."""
    previous = json.loads(lines[1])["mac"]
    for index in range(2, len(lines)):
        entry = json.loads(lines[index])
        if index == 2:
            entry["status"] = 500
        entry["prev"] = previous
        entry["mac"] = hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "mac"}))
        entry["mac"] = entry["mac"].hexdigest()
        previous = entry["mac"]
        lines[index] = json.dumps(entry)


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_edit, "MAC"),
        (_insert, "sequence"),
        (_delete, "sequence"),
        (_reorder, "sequence"),
        (_bare_sha_recompute, "MAC"),
        (lambda lines: lines.__setitem__(2, "{broken"), "not an audit entry"),
    ],
)
def test_a_changed_line_is_found_at_the_first_broken_entry(
    tmp_path: Path, tamper: Callable[[Lines], None], reason: str
) -> None:
    log = _log(tmp_path)
    _write(log, 6)
    lines = _lines(log)
    tamper(lines)
    _rewrite(log, lines)
    report = verify_log(log)
    assert not report.ok
    assert (report.broken_line, report.broken_seq, report.entries) == (3, 3, 2)
    assert reason in (report.reason or "")


@pytest.mark.parametrize("cut", [1, 10, 151])
def test_a_cut_tail_is_detected_by_the_head_file(tmp_path: Path, cut: int) -> None:
    log = _log(tmp_path)
    _write(log, 200)
    _rewrite(log, _lines(log)[:-cut])
    report = verify_log(log)
    assert not report.ok
    assert "the head file records entry 200" in (report.reason or "")
    assert report.entries == 200 - cut


def test_a_cut_tail_with_an_old_head_file_is_detected_by_the_checkpoints(tmp_path: Path) -> None:
    """A head file kept from before the cut hides the cut from the file alone, not from the
    checkpoints written elsewhere."""
    sink = Recorder()
    log = _log(tmp_path, sink=sink, checkpoint_every=50)
    _write(log, 120)
    old_head = log.head_path.read_bytes()
    _write(log, 30)
    _rewrite(log, _lines(log)[:-30])
    log.head_path.write_bytes(old_head)
    assert verify_log(log).ok
    report = verify_log(log, sink.heads)
    assert not report.ok
    assert "Neo4j checkpoint of entry 150" in (report.reason or "")
    assert [head.seq for head in sink.heads] == [1, 50, 100, 150]


@pytest.mark.parametrize("damage", ["emptied", "deleted", "deleted with its head file"])
def test_an_emptied_or_deleted_log_is_detected(tmp_path: Path, damage: str) -> None:
    sink = Recorder()
    log = _log(tmp_path, sink=sink)
    _write(log, 3)
    if damage == "emptied":
        log.path.write_text("")
    else:
        log.path.unlink()
    if damage == "deleted with its head file":
        log.head_path.unlink()
    report = verify_log(log, sink.heads)
    assert not report.ok
    assert "the log ends at entry 0" in (report.reason or "")


def test_a_missing_head_file_is_reported(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _write(log, 3)
    log.head_path.unlink()
    report = verify_log(log)
    assert not report.ok
    assert "head file" in (report.reason or "")


def test_a_forged_append_without_the_key_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _write(log, 3)
    last = json.loads(_lines(log)[-1])
    forged = {**last, "seq": 4, "prev": last["mac"], "status": 204}
    forged["mac"] = hashlib.sha256(canonical(forged)).hexdigest()
    _rewrite(log, [*_lines(log), json.dumps(forged)])
    report = verify_log(log)
    assert (report.ok, report.broken_seq) == (False, 4)
    assert "MAC" in (report.reason or "")


def test_a_chain_recomputed_with_another_keyring_is_detected(tmp_path: Path) -> None:
    """The keyring replaced and the whole chain re-signed: the checkpoints in Neo4j name the
    old log at this path."""
    sink = Recorder()
    log = _log(tmp_path, sink=sink)
    _write(log, 5)
    (tmp_path / "audit-keys.json").unlink()
    log.path.unlink()
    log.head_path.unlink()
    fresh = _log(tmp_path)
    _write(fresh, 5)
    assert verify_log(fresh).ok
    report = verify_log(fresh, sink.heads)
    assert not report.ok
    assert "another log" in (report.reason or "")


def test_signed_checkpoint_files_are_verified(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _write(log, 10)
    kept = tmp_path / "kept.json"
    document = signed_head_document(log)
    assert document is not None and document["seq"] == 10
    kept.write_text(json.dumps(document))
    assert verify_log(log, signed_heads=[kept]).ok
    _rewrite(log, _lines(log)[:-2])
    log.head_path.write_text(json.dumps(signed_head_document(log)))  # re-signed with the keyring
    assert verify_log(log).ok
    assert "checkpoint file" in (verify_log(log, signed_heads=[kept]).reason or "")
    kept.write_text(json.dumps({**document, "seq": 3}))
    assert "signature" in (verify_log(log, signed_heads=[kept]).reason or "")


def test_key_rotation_keeps_old_entries_verifiable(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _write(log, 3)
    new = log.keyring.rotate()
    _write(log, 2)
    entries = [json.loads(line) for line in _lines(log)]
    rotation = entries[3]
    assert rotation["event"] == KEY_ROTATED
    assert rotation["kid"] == "k1" and rotation["detail"] == {"from_kid": "k1", "to_kid": new.kid}
    assert [e["kid"] for e in entries[4:]] == [new.kid, new.kid]
    report = verify_log(log)
    assert (report.ok, report.entries, report.rotations) == (True, 6, 1)


def test_a_switch_of_key_without_a_recorded_rotation_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _write(log, 3)
    ring = log.keyring.read()
    assert ring is not None
    new = log.keyring.rotate()
    lines = _lines(log)
    entry = json.loads(lines[2])
    entry["kid"] = new.kid
    entry["mac"] = entry_mac(new, entry)
    lines[2] = json.dumps(entry)
    _rewrite(log, lines)
    report = verify_log(log)
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "no rotation recorded" in (report.reason or "")


@pytest.mark.parametrize("torn", [b'{"seq": 4, "at": "2026', b"\x00\x00\x00", b"{}\n"])
def test_a_torn_last_line_is_moved_aside_and_recorded(tmp_path: Path, torn: bytes) -> None:
    log = _log(tmp_path)
    _write(log, 3)
    with log.path.open("ab") as handle:
        handle.write(torn)
    _write(log, 1)
    entries = [json.loads(line) for line in _lines(log)]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    recovered = entries[3]
    assert recovered["event"] == TORN_LINE
    aside = tmp_path / recovered["detail"]["moved_to"]
    assert aside.read_bytes() == torn
    assert recovered["detail"]["sha256"] == hashlib.sha256(torn).hexdigest()
    report = verify_log(log)
    assert (report.ok, report.recovered_lines) == (True, 1)


def test_a_legacy_prefix_verifies_and_is_bound_by_the_first_keyed_entry(tmp_path: Path) -> None:
    """Logs of the first build (bare SHA-256 chain) stay readable; the first keyed entry links
    to their last hash, so a rewrite of the prefix breaks that link."""
    log = _log(tmp_path)
    previous = GENESIS
    lines = []
    for seq in (1, 2):
        entry: dict[str, object] = {"seq": seq, "at": "2026-01-01T00:00:00Z", "prev": previous}
        previous = legacy_hash(entry)
        entry["hash"] = previous
        lines.append(json.dumps(entry))
    _rewrite(log, lines)
    _write(log, 2)
    report = verify_log(log)
    assert (report.ok, report.entries, report.legacy_entries) == (True, 4, 2)
    rewritten = json.loads(lines[1])
    rewritten["status"] = 500
    rewritten["hash"] = legacy_hash(rewritten)
    _rewrite(log, [lines[0], json.dumps(rewritten), *_lines(log)[2:]])
    report = verify_log(log)
    assert (report.ok, report.broken_seq) == (False, 3)


def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_worker, args=(str(tmp_path),)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    report = verify_log(_log(tmp_path))
    assert report.ok, report
    assert report.entries == 100


@pytest.mark.parametrize(("backoff", "expected"), [(30.0, [1]), (0.0, [1, 2])])
def test_a_failing_checkpoint_is_retried_after_a_pause_not_on_every_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backoff: float, expected: list[int]
) -> None:
    calls: list[int] = []

    def flaky(head: Checkpoint) -> bool:
        calls.append(head.seq)
        if len(calls) == 1:
            raise OSError("database down")
        return True

    monkeypatch.setattr("tracer.api.audit.log.CHECKPOINT_RETRY_SECONDS", backoff)
    log = _log(tmp_path, sink=flaky, checkpoint_every=1000)
    _write(log, 3)
    assert calls == expected


def test_person_refs_are_keyed_and_identifier_shaped_values_never_plain() -> None:
    refs = SubjectRefs(b"k" * 40)
    ref = refs.person("RESIDENT_ID", "11010519491231002X")
    assert ref.startswith("person:")
    assert "11010519491231002X" not in ref
    assert ref == refs.person("RESIDENT_ID", "11010519491231002X")
    assert ref != SubjectRefs(b"j" * 40).person("RESIDENT_ID", "11010519491231002X")
    assert refs.finding("F-2024-0001") == "finding:F-2024-0001"
    for hidden in (refs.finding("11010519491231002X"), refs.department("E12345678")):
        assert hidden.startswith("redacted:")
        assert "11010519491231002X" not in hidden and "E12345678" not in hidden


def test_who_saw_a_person(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _write(log, 2, subjects=["person:aa"])
    log.append(
        actor={"key_id": "x", "key_name": "other", "role": "admin"},
        method="GET",
        endpoint="/v1/findings/{finding_id}",
        status=200,
        subjects=["person:aa", "person:bb"],
    )
    _write(log, 1, subjects=["person:bb"])
    seen = viewers(log, "person:aa")
    assert [(v.key_name, v.requests) for v in seen] == [("t", 2), ("other", 1)]
    assert seen[0].first_at <= seen[0].last_at
    assert seen[1].endpoints == ["GET /v1/findings/{finding_id}"]
    assert viewers(log, "person:cc") == []


def test_an_absent_log_verifies_empty(tmp_path: Path) -> None:
    log = _log(tmp_path / "never")
    report = verify_log(log)
    assert (report.ok, report.entries) == (True, 0)
    assert log.find("person:aa") == []


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    damage=st.sampled_from(["edit", "delete", "cut"]),
    line=st.integers(min_value=0, max_value=11),
    data=st.data(),
)
def test_any_single_line_edit_deletion_or_cut_is_detected(
    tmp_path_factory: pytest.TempPathFactory, damage: str, line: int, data: st.DataObject
) -> None:
    """Property: whatever line is edited (any field, any new value), deleted, or wherever the
    log is cut, ``verify`` fails."""
    folder = tmp_path_factory.mktemp("audit")
    log = _log(folder)
    _write(log, 12)
    lines = _lines(log)
    if damage == "edit":
        entry = json.loads(lines[line])
        field = data.draw(st.sampled_from(sorted(entry)))
        value = data.draw(st.one_of(st.integers(), st.text(max_size=10), st.none()))
        if entry[field] == value:
            return
        entry[field] = value
        lines[line] = json.dumps(entry)
    elif damage == "delete":
        del lines[line]
    else:
        lines = lines[:line]
    _rewrite(log, lines)
    assert not verify_log(log).ok


def test_a_checkpoint_is_not_skipped_when_an_event_takes_its_sequence_number(
    tmp_path: Path,
) -> None:
    sink = Recorder()
    log = _log(tmp_path, sink=sink, checkpoint_every=5)
    _write(log, 4)
    log.keyring.rotate()
    _write(log, 1)  # entry 5 is the rotation, entry 6 this one
    assert [head.seq for head in sink.heads] == [1, 6]
