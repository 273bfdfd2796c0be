"""Bring a database written by an earlier version up to date (``tracer db init`` and every load
run it; each step is idempotent and touches only what is old):

- releases get their two times (``effective_on`` and ``recorded_at`` from the old ``at``) and
  ``wrongful = false``;
- feedback on persons stores the person's key as two properties instead of ``TYPE:NUMBER``;
- findings get their stored status lines (transitions recorded before effective dates existed
  take their effective date from their recording time);
- persons and enterprises get the pinyin search keys of their names (``names.py``), in batches.
  Every current writer of a name writes its keys, so only a store written by an earlier version
  lacks them: once a pass finds none left, the reference state node records
  ``name_keys_version`` and later upgrades skip the scan of every name (a full-label scan: 14M
  db hits at 1M enterprises, on every load).
"""

from __future__ import annotations

from tracer.domain.clock import Clock
from tracer.queries.catalogue import cypher
from tracer.queries.names import name_keys
from tracer.queries.runner import QueryRunner
from tracer.queries.timeline import refresh_lines

#: Names given their pinyin keys per transaction.
NAME_BATCH = 10_000

#: The name-key backfill recorded as complete; raise it to make the next upgrade scan again.
NAME_KEYS_VERSION = 1


def upgrade(runner: QueryRunner, clock: Clock | None = None) -> dict[str, int]:
    """Upgrade what is old; returns what was changed, by kind."""
    clock = clock or Clock()
    releases = runner.write(cypher("upgrade_releases"), zone=clock.zone.key)
    feedback = runner.write(cypher("upgrade_feedback"))
    return {
        "releases": int(releases[0]["upgraded"]) if releases else 0,
        "feedback": int(feedback[0]["upgraded"]) if feedback else 0,
        "findings": refresh_lines(runner, clock=clock),
        "names": backfill_name_keys(runner),
    }


def backfill_name_keys(runner: QueryRunner, batch: int = NAME_BATCH) -> int:
    """Write the pinyin search keys of every name that has none, unless a completed backfill is
    recorded; returns how many."""
    state = runner.read(cypher("upgrade_name_keys_state"))
    if state and (state[0]["version"] or 0) >= NAME_KEYS_VERSION:
        return 0
    done = 0
    while rows := runner.write(cypher("upgrade_name_keys_pending"), limit=batch):
        keyed = [{"id": row["id"], "props": name_keys(row["name"]).properties()} for row in rows]
        written = runner.write(cypher("upgrade_name_keys_write"), rows=keyed)
        done += int(written[0]["upgraded"]) if written else 0
        if len(rows) < batch:
            break
    runner.write(cypher("upgrade_name_keys_done"), version=NAME_KEYS_VERSION)
    return done
