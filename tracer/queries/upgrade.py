"""Bring a database written by an earlier version up to date (``tracer db init`` and every load
run it; each step is idempotent and touches only what is old):

- releases get their two times (``effective_on`` and ``recorded_at`` from the old ``at``) and
  ``wrongful = false``;
- feedback on persons stores the person's key as two properties instead of ``TYPE:NUMBER``;
- findings get their stored status lines (transitions recorded before effective dates existed
  take their effective date from their recording time).
"""

from __future__ import annotations

from tracer.domain.clock import Clock
from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner
from tracer.queries.timeline import refresh_lines


def upgrade(runner: QueryRunner, clock: Clock | None = None) -> dict[str, int]:
    """Upgrade what is old; returns what was changed, by kind."""
    clock = clock or Clock()
    releases = runner.write(cypher("upgrade_releases"), zone=clock.zone.key)
    feedback = runner.write(cypher("upgrade_feedback"))
    return {
        "releases": int(releases[0]["upgraded"]) if releases else 0,
        "feedback": int(feedback[0]["upgraded"]) if feedback else 0,
        "findings": refresh_lines(runner, clock=clock),
    }
