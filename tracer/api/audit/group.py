"""Group commit: the audit entries of concurrent requests written together, one fsync for all.

A request awaits its entry; while one group is being written (in a worker thread, so the event
loop keeps serving), the entries of the requests that arrive meanwhile queue up and form the next
group. Each request resumes only after the group holding its entry is durable
(``AuditLog.append_many``), so the audit guarantee is that of a single append. A checkpoint of the
head to Neo4j that falls due is sent after the group's requests were answered, in a thread of its
own (one at a time), so no response waits on a database write.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tracer.api.audit.log import AuditLog


class GroupCommit:
    """Appends to ``log`` from the event loop, grouping concurrent entries."""

    def __init__(self, log: AuditLog) -> None:
        self.log = log
        self._pending: list[tuple[dict[str, Any], asyncio.Future[dict[str, Any]]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._checkpoint: asyncio.Future[None] | None = None

    async def append(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Write ``payload`` (``request_payload``) as an entry; return it once it is durable.
        Raises what the write raised (for every request of a group that failed)."""
        loop = asyncio.get_running_loop()
        written: asyncio.Future[dict[str, Any]] = loop.create_future()
        self._pending.append((payload, written))
        writer = self._writer
        if writer is None or writer.done() or writer.get_loop() is not loop:
            self._writer = loop.create_task(self._write_groups())
        return await written

    async def _write_groups(self) -> None:
        """Write whatever is pending, group after group, until nothing is."""
        while self._pending:
            group, self._pending = self._pending, []
            try:
                entries = await asyncio.to_thread(
                    self.log.append_many, [payload for payload, _ in group], checkpoint=False
                )
            except Exception as exc:  # every waiting request learns that its entry failed
                for _, written in group:
                    if not written.done():
                        written.set_exception(exc)
                continue
            for (_, written), entry in zip(group, entries, strict=True):
                if not written.done():
                    written.set_result(entry)
            self._checkpoint_when_due()

    async def settled(self) -> None:
        """Wait until the checkpoint being sent, if any, is done (before the sink's driver is
        closed)."""
        if self._checkpoint is not None:
            await self._checkpoint

    def _checkpoint_when_due(self) -> None:
        """Start sending the head to the sink when a checkpoint is due and none is in flight."""
        if self.log.checkpoint_is_due and (self._checkpoint is None or self._checkpoint.done()):
            self._checkpoint = asyncio.ensure_future(asyncio.to_thread(self.log.checkpoint_due))
