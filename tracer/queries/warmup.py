"""Query plans made before the first request.

Neo4j plans a statement the first time it sees it (for its parameter types, and for a list
parameter each size bucket: 1, 2–10, 11–100 …) and keeps the plan in its query cache. The
engine's statements are large: at 100k enterprises the reach of a work-list page took about 3 s
to plan against 0.2 s to run, so the first work list after a start took 7 s and the next under
1 s (measured with ``db.clearQueryCaches()``). ``warm_plans`` runs the heavy statements once, as
the engine's own functions run them, on keys that exist nowhere (nothing is read but indexes)
and on one department's work list, so that their plans are cached before anyone waits for them.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from tracer.domain.errors import TracerError
from tracer.domain.keys import PersonKey
from tracer.queries.departments import departments
from tracer.queries.liability import check_enterprises, check_people, findings_reach
from tracer.queries.network import plan_statements as plan_network
from tracer.queries.ownership import owners
from tracer.queries.paths import plan_statements as plan_paths
from tracer.queries.reference import snapshot
from tracer.queries.runner import QueryRunner
from tracer.queries.worklist import worklist

log = logging.getLogger(__name__)

#: Keys no register holds (well-formed: the statements run to their end on an empty match).
NO_PERSON = PersonKey("RESIDENT_ID", "110101190001010006")
NO_ENTERPRISE = "000000000000000000"
#: A work list's page of findings: the size bucket its reach is planned for.
PAGE_OF_FINDINGS = [f"plan-warm-up-{index}" for index in range(50)]
#: Subjects per check statement, one in each size bucket up to ``MAX_BATCH``: one, the single
#: checks the API reads together (up to 32: ``SingleChecks``), and the batch checks (up to
#: ``MAX_BATCH`` in one statement).
CHECK_SIZES = (1, 2, 11, 101, 1001)


def _worklist(runner: QueryRunner, as_of: dt.date) -> None:
    """One department's first page (the first, by code, that owns a measure)."""
    owning = [found for found in departments(runner, as_of) if found.measures]
    if owning:
        worklist(runner, owning[0].code, as_of, limit=50)


def warm_plans(
    runner: QueryRunner, as_of: dt.date, stop: threading.Event | None = None
) -> dict[str, float]:
    """Run the heavy statements once so their plans are cached; seconds per step. A step that
    fails is logged and skipped: warming never stops a start. ``stop`` set (a shutdown) ends it
    after the step in progress."""
    steps: dict[str, Callable[[], object]] = {
        "reference": lambda: snapshot(runner),
        "check_people": lambda: [
            check_people(runner, [NO_PERSON] * size, as_of) for size in CHECK_SIZES
        ],
        "check_enterprises": lambda: [
            check_enterprises(runner, [NO_ENTERPRISE] * size, as_of) for size in CHECK_SIZES
        ],
        "findings_reach": lambda: findings_reach(runner, PAGE_OF_FINDINGS, as_of),
        "worklist": lambda: _worklist(runner, as_of),
        "owners": lambda: owners(runner, NO_ENTERPRISE, as_of),
        "paths": lambda: plan_paths(runner, as_of),
        "network": lambda: plan_network(runner, as_of),
    }
    seconds: dict[str, float] = {}
    for name, step in steps.items():
        if stop is not None and stop.is_set():
            break
        began = time.monotonic()
        try:
            step()
        except TracerError:
            pass  # e.g. NotFound for the key that exists nowhere: its statements were planned
        except Exception:  # a warm-up is an optimisation: never a reason not to serve
            log.warning("plan warm-up step %s failed", name, exc_info=True)
        seconds[name] = round(time.monotonic() - began, 3)
    log.info("query plans warmed in %.1f s: %s", sum(seconds.values()), seconds)
    return seconds
