"""Group commit of the audit log: concurrent requests share a write, and each response starts
only after its own entry is in the file (fsynced)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from tracer.api.audit import AuditKeyring, AuditLog, verify_log
from tracer.api.audit.group import GroupCommit
from tracer.api.middleware import AuditMiddleware
from tracer.queries.audit import Checkpoint

REQUESTS = 40


def _log(folder: Path) -> AuditLog:
    return AuditLog(folder / "audit.jsonl", AuditKeyring(folder / "audit-keys.json"), fsync=True)


def _subject(number: int) -> str:
    """What request ``number`` reads: a person (even numbers) or an enterprise."""
    return f"person:{number}" if number % 2 == 0 else f"enterprise:{number}"


async def _app(scope: Scope, receive: Receive, send: Send) -> None:
    """An endpoint that reads one subject per request and answers after a pause."""
    scope["state"]["audit_subjects"] = [_subject(int(scope["path"].rsplit("/", 1)[-1]))]
    await asyncio.sleep(0.001)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def _serve(
    log: AuditLog, answered: threading.Event | None = None
) -> tuple[dict[int, int], dict[int, bool]]:
    """Send ``REQUESTS`` concurrent requests through the audit middleware; per request its
    status, and whether its entry was in the log file when its response started. ``answered``
    is set once every request was answered."""
    commit = GroupCommit(log)
    middleware = AuditMiddleware(_app, commit, retry_after=5)
    statuses: dict[int, int] = {}
    durable: dict[int, bool] = {}

    async def request(number: int) -> None:
        scope: Scope = {
            "type": "http",
            "method": "POST",
            "scheme": "http",
            "server": ("testserver", 80),
            "path": f"/v1/x/{number}",
            "query_string": b"",
            "headers": [],
            "state": {},
        }

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses[number] = message["status"]
                written = log.path.read_text() if log.path.exists() else ""
                durable[number] = f'"{_subject(number)}"' in written

        await middleware(scope, receive, send)

    async def all_requests() -> None:
        await asyncio.gather(*(request(number) for number in range(REQUESTS)))
        if answered is not None:
            answered.set()
        await commit.settled()

    asyncio.run(all_requests())
    return statuses, durable


def test_concurrent_entries_are_written_together_before_their_responses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _log(tmp_path)
    groups: list[int] = []
    append_many = log.append_many

    def recording(
        payloads: Sequence[dict[str, Any]], at: dt.datetime | None = None, **options: bool
    ) -> list[dict[str, Any]]:
        groups.append(len(payloads))
        return append_many(payloads, at, **options)

    monkeypatch.setattr(log, "append_many", recording)
    statuses, durable = _serve(log)
    assert statuses == dict.fromkeys(range(REQUESTS), 200)
    assert durable == dict.fromkeys(range(REQUESTS), True)
    assert sum(groups) == REQUESTS
    assert len(groups) < REQUESTS  # at least one write carried several entries
    entries = [json.loads(line) for line in log.path.read_text().splitlines()]
    assert [entry["seq"] for entry in entries] == list(range(1, REQUESTS + 1))
    assert verify_log(log).ok


def test_a_failed_group_write_refuses_reads_of_persons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _log(tmp_path)

    def failing(
        payloads: Sequence[dict[str, Any]], at: dt.datetime | None = None, **options: bool
    ) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(log, "append_many", failing)
    statuses, _ = _serve(log)
    # every entry of the group failed: reads of persons are refused, the others go out
    assert statuses == {number: 503 if number % 2 == 0 else 200 for number in range(REQUESTS)}


def test_a_checkpoint_that_falls_due_is_sent_after_its_group_was_answered(tmp_path: Path) -> None:
    """The head goes to the sink (Neo4j; here one that holds until every request was answered)
    after the responses: no request waits on that write (one checkpoint is due: the head of the
    first group)."""
    answered = threading.Event()
    sent: list[tuple[int, bool]] = []

    def sink(head: Checkpoint) -> bool:
        sent.append((head.seq, answered.wait(timeout=30)))
        return True

    log = AuditLog(
        tmp_path / "audit.jsonl",
        AuditKeyring(tmp_path / "audit-keys.json"),
        fsync=True,
        checkpoint_every=1000,
        sink=sink,
    )
    statuses, durable = _serve(log, answered)
    assert statuses == dict.fromkeys(range(REQUESTS), 200)
    assert durable == dict.fromkeys(range(REQUESTS), True)
    assert [was_answered for _, was_answered in sent] == [True]
