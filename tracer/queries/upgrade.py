"""Bring a database written by an earlier version up to date (``tracer db init`` and every load
run it; each step is idempotent and touches only what is old). No step reads the whole graph
once there is nothing left to upgrade, so a load's fixed cost does not grow with the graph:

- releases get their two times (``effective_on`` and ``recorded_at`` from the old ``at``) and
  ``wrongful = false``; the old ``at`` is removed, and the index on it finds what is left;
- feedback on persons stores the person's key as two properties instead of ``TYPE:NUMBER``; the
  joined key is removed, and the index on it finds what is left;
- findings get their stored status lines (transitions recorded before effective dates existed
  take their effective date from their recording time);
- persons and enterprises get the pinyin search keys of their names (``names.py``), in batches.

Every current writer of a finding writes its line and every writer of a name its keys, so only a
store written by an earlier version lacks them; nothing on such data is indexable (it is a
property that is missing). Once a pass finds none left, the reference state node records the
backfill's marker (``lines_version``, ``name_keys_version``) and later upgrades skip its scan.
The cost: what an *older* tracer writes into a store after it was marked is not repaired;
raising a version forces a new pass.
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
#: The status-line backfill recorded as complete; raise it to make the next upgrade scan again.
LINES_VERSION = 1


def upgrade(runner: QueryRunner, clock: Clock | None = None) -> dict[str, int]:
    """Upgrade what is old; returns what was changed, by kind."""
    clock = clock or Clock()
    releases = runner.write(cypher("upgrade_releases"), zone=clock.zone.key)
    feedback = runner.write(cypher("upgrade_feedback"))
    return {
        "releases": int(releases[0]["upgraded"]) if releases else 0,
        "feedback": int(feedback[0]["upgraded"]) if feedback else 0,
        "findings": backfill_lines(runner, clock),
        "names": backfill_name_keys(runner),
    }


def _complete(runner: QueryRunner, marker: str, version: int) -> bool:
    """Whether the backfill recorded as ``marker`` was completed at ``version`` or later."""
    state = runner.read_one(cypher("upgrade_marker"), marker=marker)
    return state is not None and (state["version"] or 0) >= version


def _record(runner: QueryRunner, marker: str, version: int) -> None:
    """Record the backfill ``marker`` as complete (nothing without reference data)."""
    runner.write(cypher("upgrade_mark"), marks={marker: version})


def backfill_lines(runner: QueryRunner, clock: Clock | None = None) -> int:
    """Store the status line of every finding that has none, unless a completed backfill is
    recorded; returns how many."""
    if _complete(runner, "lines_version", LINES_VERSION):
        return 0
    done = refresh_lines(runner, clock=clock)
    _record(runner, "lines_version", LINES_VERSION)
    return done


def backfill_name_keys(runner: QueryRunner, batch: int = NAME_BATCH) -> int:
    """Write the pinyin search keys of every name that has none, unless a completed backfill is
    recorded; returns how many."""
    if _complete(runner, "name_keys_version", NAME_KEYS_VERSION):
        return 0
    done = 0
    while rows := runner.write(cypher("upgrade_name_keys_pending"), limit=batch):
        keyed = [{"id": row["id"], "props": name_keys(row["name"]).properties()} for row in rows]
        written = runner.write(cypher("upgrade_name_keys_write"), rows=keyed)
        done += int(written[0]["upgraded"]) if written else 0
        if len(rows) < batch:
            break
    _record(runner, "name_keys_version", NAME_KEYS_VERSION)
    return done
