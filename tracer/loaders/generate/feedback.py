"""Synthetic implementer feedback for a loaded demo graph (DOMAIN §9, 执行反馈).

Feedback is recorded through the same function as the API's (``record_feedback``), so every
planted record passes its checks: the department owns the measure and the finding reaches the
subject with it on the day. Departments answer a seeded share of what they were pushed, mostly
``APPLIED``, some ``NOT_APPLICABLE`` with a reason, so completion per department varies.
"""

from __future__ import annotations

import datetime as dt
import random

from tracer.domain.clock import Clock
from tracer.domain.keys import SubjectKey
from tracer.queries.feedback import reached_measures, record_feedback, target_of
from tracer.queries.liability import FindingReach
from tracer.queries.overdue import department_pushes
from tracer.queries.runner import QueryRunner
from tracer.queries.worklist import reaches

ACTOR = "demo:feedback"
NOT_APPLICABLE_REASON = "主体已注销，无需执行"


def _targets(reach: FindingReach) -> list[SubjectKey]:
    """The listed subject, then every liable person of a finding's reach."""
    found: list[SubjectKey] = []
    if reach.enterprise is not None:
        found.append(SubjectKey.enterprise(reach.enterprise.uscc))
    people = [reach.subject_person] if reach.subject_person is not None else []
    for person in people + [item.person for item in reach.liable]:
        if person.id_number:
            found.append(SubjectKey.person(person.id_type, person.id_number))
    return found


def plant_feedback(
    runner: QueryRunner,
    on: dt.date,
    seed: int,
    clock: Clock,
    answer_share: float = 0.6,
    limit: int = 60,
) -> int:
    """Record feedback on ``on`` for a seeded ``answer_share`` of the (department, finding)
    pushes of that day, at most ``limit`` records (each is checked like the API's, so a few
    dozen take seconds); returns how many were recorded."""
    rng = random.Random(seed)
    depts, pushes, _, _ = department_pushes(runner, on)
    chosen = [
        (dept.code, item.finding_id, owned)
        for dept in depts
        for item, owned in pushes[dept.code]
        if rng.random() < answer_share
    ]
    rng.shuffle(chosen)  # the records of ``limit`` spread over departments
    reach = reaches(runner, sorted({finding_id for _, finding_id, _ in chosen[:limit]}), on)
    recorded = 0
    for code, finding_id, owned in chosen:
        found = reach.get(finding_id)
        if found is None:
            continue
        for subject in _targets(found):
            for measure in sorted(set(owned) & reached_measures(found, target_of(subject))):
                if recorded >= limit:
                    return recorded
                refused = rng.random() < 0.15
                record_feedback(
                    runner,
                    code,
                    finding_id,
                    subject,
                    measure,
                    "NOT_APPLICABLE" if refused else "APPLIED",
                    on,
                    NOT_APPLICABLE_REASON if refused else None,
                    ACTOR,
                    clock=clock,
                )
                recorded += 1
    return recorded
