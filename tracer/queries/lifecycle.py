"""The life of a finding (DOMAIN.md §8): objection, correction, repair, revocation, expiry, release.

Every change is an append-only ``Transition`` node (``<finding_id>#<seq>``) written in the same
transaction as the finding's new ``status``; nothing is deleted. Liabilities are derived at query
time, so a status change ends (or restores) every liability of the finding at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel

from tracer.domain.errors import Conflict, InvalidInput, NotFound
from tracer.queries.catalogue import cypher
from tracer.queries.models import PersonRef
from tracer.queries.runner import QueryRunner, Row

STATUSES = ("ACTIVE", "UNDER_REVIEW", "CORRECTED", "REVOKED", "REPAIRED", "EXPIRED")

#: Legal moves: status -> the statuses it may move to (documented in queries/reference/README.md).
LEGAL_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "ACTIVE": frozenset({"UNDER_REVIEW", "REPAIRED", "REVOKED", "EXPIRED"}),
        "UNDER_REVIEW": frozenset({"ACTIVE", "CORRECTED", "REVOKED", "EXPIRED"}),
        "CORRECTED": frozenset({"ACTIVE", "REVOKED", "EXPIRED"}),
        "REPAIRED": frozenset(),
        "REVOKED": frozenset(),
        "EXPIRED": frozenset(),
    }
)
#: Statuses ``expire_due`` moves to EXPIRED once ``effective_until`` has passed.
EXPIRABLE = frozenset(status for status, moves in LEGAL_TRANSITIONS.items() if "EXPIRED" in moves)
MAX_HISTORY = 1000
EXPIRE_BATCH = 5000


class TransitionRecord(BaseModel):
    """One recorded status change of a finding."""

    transition_id: str
    finding_id: str
    seq: int
    from_status: str | None = None
    to_status: str
    at: dt.datetime
    actor: str
    reason: str
    document: str | None = None


class ReleaseRecord(BaseModel):
    """A per-person release from one finding; ``created`` is false when it already existed."""

    finding_id: str
    person: PersonRef
    at: dt.datetime
    actor: str
    reason: str
    document: str | None = None
    created: bool


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _require_text(**values: str) -> None:
    for name, value in values.items():
        if not value or not value.strip():
            raise InvalidInput(f"{name} is required")


def transition_finding(
    runner: QueryRunner,
    finding_id: str,
    to_status: str,
    actor: str,
    reason: str,
    document: str | None = None,
    at: dt.datetime | None = None,
) -> TransitionRecord:
    """Move a finding to ``to_status`` if the move is legal, recording who, when, why and on
    what document.

    Raises ``NotFound`` (unknown finding), ``InvalidInput`` (unknown status, empty actor or
    reason) or ``Conflict`` (illegal move, EXPIRED before ``effective_until`` has passed, or a
    concurrent change).
    """
    to_status = to_status.strip().upper()
    if to_status not in STATUSES:
        raise InvalidInput(f"unknown status {to_status!r}; use one of {', '.join(STATUSES)}")
    _require_text(actor=actor, reason=reason)
    when = at or _now()
    if when.tzinfo is None:
        raise InvalidInput("the transition time must carry a time zone")
    state = runner.read_one(cypher("lifecycle_finding_state"), finding_id=finding_id)
    if state is None:
        raise NotFound(f"no finding with id {finding_id}")
    current = state["status"]
    if current not in LEGAL_TRANSITIONS:
        raise Conflict(f"finding {finding_id} has no known status ({current!r})")
    if to_status not in LEGAL_TRANSITIONS[current]:
        allowed = ", ".join(sorted(LEGAL_TRANSITIONS[current])) or "none (final status)"
        raise Conflict(
            f"finding {finding_id} cannot move from {current} to {to_status}; allowed: {allowed}"
        )
    until = state["effective_until"]
    if to_status == "EXPIRED" and (until is None or until >= when.date()):
        raise Conflict(
            f"finding {finding_id} cannot expire on {when.date()}: "
            f"its punishment period runs until {until or 'further notice'}"
        )
    try:
        rows = runner.write(
            cypher("lifecycle_transition"),
            finding_id=finding_id,
            from_status=current,
            to_status=to_status,
            at=when,
            actor=actor.strip(),
            reason=reason.strip(),
            document=document.strip() if document and document.strip() else None,
        )
    except InvalidInput as exc:  # uniqueness of transition_id: a concurrent transition won
        raise Conflict(f"finding {finding_id} changed concurrently; retry") from exc
    if not rows:
        raise Conflict(f"finding {finding_id} changed concurrently; retry")
    return TransitionRecord(**rows[0]["transition"])


def transitions(runner: QueryRunner, finding_id: str) -> list[TransitionRecord]:
    """The status history of a finding, oldest first. Raises ``NotFound`` for an unknown id."""
    row = runner.read_one(cypher("lifecycle_transitions"), finding_id=finding_id, limit=MAX_HISTORY)
    if row is None:
        raise NotFound(f"no finding with id {finding_id}")
    return [TransitionRecord(**item) for item in row["history"]]


def release_person(
    runner: QueryRunner,
    finding_id: str,
    id_type: str,
    id_number: str,
    actor: str,
    reason: str,
    document: str | None = None,
    at: dt.datetime | None = None,
) -> ReleaseRecord:
    """Release one person from one finding (idempotent; the first release is kept).

    Raises ``NotFound`` for an unknown finding or person, ``InvalidInput`` for an empty actor
    or reason.
    """
    _require_text(actor=actor, reason=reason)
    row = runner.write(
        cypher("lifecycle_release"),
        finding_id=finding_id,
        id_type=id_type,
        id_number=id_number,
        at=at or _now(),
        actor=actor.strip(),
        reason=reason.strip(),
        document=document.strip() if document and document.strip() else None,
    )
    if not row:
        raise NotFound(f"no finding with id {finding_id}")
    result: Row = row[0]
    if not result["person_found"]:
        raise NotFound(f"no person {id_type} {PersonRef.of(id_type, id_number).id_masked}")
    release = result["release"]
    return ReleaseRecord(
        finding_id=finding_id,
        person=PersonRef.of(id_type, id_number, result["name"]),
        at=release["at"],
        actor=release["actor"],
        reason=release["reason"],
        document=release.get("document"),
        created=bool(result["created"]),
    )


def expire_due(
    runner: QueryRunner, as_of: dt.date, actor: str = "system", at: dt.datetime | None = None
) -> list[TransitionRecord]:
    """Record EXPIRED for every finding whose ``effective_until`` is before ``as_of``.

    Liabilities already end at query time without this; it makes the history show the expiry.
    """
    when = at or _now()
    recorded: list[TransitionRecord] = []
    while True:
        rows = runner.write(
            cypher("lifecycle_expire_due"), as_of=as_of, at=when, actor=actor, limit=EXPIRE_BATCH
        )
        recorded += [TransitionRecord(**row["transition"]) for row in rows]
        if len(rows) < EXPIRE_BATCH:
            return recorded
