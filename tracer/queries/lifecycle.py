"""The life of a finding (DOMAIN.md §8): objection, correction, repair, revocation, expiry, a
change of term, and per-person releases and suspensions.

Two times: every change has an *effective date* (when it takes legal effect, given by the
caller and checked) and a *recorded-at* time (the server's clock; a caller can never set it).
Each transition is an append-only ``Transition`` node written in the same statement as the
finding's new status and its recomputed status line (``tracer.queries.timeline``); nothing is
deleted. Liabilities are derived at query time from that line, so a change takes effect at once
— from its effective date on; REVOKED and WRONGFUL releases void the past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from pydantic import BaseModel, Field

from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict, InvalidInput, NotFound
from tracer.domain.keys import PersonKey
from tracer.domain.timeline import Change
from tracer.queries.catalogue import cypher
from tracer.queries.models import PersonRef
from tracer.queries.reference import snapshot
from tracer.queries.runner import QueryRunner, Row
from tracer.queries.timeline import history, line_properties, period

STATUSES = ("ACTIVE", "UNDER_REVIEW", "CORRECTED", "REVOKED", "REPAIRED", "EXPIRED")

#: Legal moves: status -> the statuses it may move to (documented in queries/reference/README.md).
#: ACTIVE -> ACTIVE and CORRECTED -> CORRECTED only change the term (``new_effective_until``).
LEGAL_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "ACTIVE": frozenset({"ACTIVE", "UNDER_REVIEW", "REPAIRED", "REVOKED", "EXPIRED"}),
        "UNDER_REVIEW": frozenset({"ACTIVE", "CORRECTED", "REVOKED", "EXPIRED"}),
        "CORRECTED": frozenset({"CORRECTED", "UNDER_REVIEW", "REPAIRED", "REVOKED", "EXPIRED"}),
        "REPAIRED": frozenset(),
        "REVOKED": frozenset(),
        "EXPIRED": frozenset(),
    }
)
#: Statuses whose term a change may set (``new_effective_until``, moving to themselves).
TERM_STATUSES = frozenset({"ACTIVE", "CORRECTED"})
#: The facts of a decision. Loading a finding again never overwrites them: the old values
#: are kept (DOMAIN §8), so a file that gives other values is refused.
DECISION_FACTS = (
    "subject_id", "list_type", "category", "ground", "severe", "exit_restricted", "authority",
    "basis", "act_date", "decided_on",
)  # fmt: skip
#: Statuses ``expire_due`` moves to EXPIRED once the period has passed.
EXPIRABLE = frozenset(status for status, moves in LEGAL_TRANSITIONS.items() if "EXPIRED" in moves)
#: Per-person release reasons with a fixed meaning.
WRONGFUL = "WRONGFUL"
FORMER_OFFICER = "FORMER_OFFICER"
MAX_HISTORY = 1000
EXPIRE_BATCH = 1000


class TransitionRecord(BaseModel):
    """One recorded status change of a finding."""

    transition_id: str
    finding_id: str
    seq: int
    from_status: str | None = None
    to_status: str
    effective_on: dt.date = Field(description="when the change takes legal effect")
    recorded_at: dt.datetime = Field(description="when the system recorded it (server clock)")
    new_effective_until: dt.date | None = Field(default=None, description="a change of term")
    actor: str
    reason: str
    document: str | None = None


class ReleaseRecord(BaseModel):
    """A per-person release (or suspension) from one finding; ``created`` is false when the same
    release already stood."""

    finding_id: str
    person: PersonRef
    effective_on: dt.date
    wrongful: bool = Field(description="void from the start (wrongly named)")
    until: dt.date | None = Field(default=None, description="end of a suspension, once decided")
    recorded_at: dt.datetime
    actor: str
    reason: str
    document: str | None = None
    created: bool


def _require_text(**values: str) -> None:
    for name, value in values.items():
        if not value or not value.strip():
            raise InvalidInput(f"{name} is required")


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def _state(runner: QueryRunner, finding_id: str) -> Row:
    state = runner.read_one(cypher("lifecycle_finding_state"), finding_id=finding_id)
    if state is None:
        raise NotFound(f"no finding with id {finding_id}")
    return state


def _check_effective(
    finding_id: str, state: Row, changes: list[Change], effective_on: dt.date, today: dt.date
) -> None:
    decided: dt.date = state["finding"]["decided_on"]
    if effective_on < decided:
        raise InvalidInput(
            f"effective date {effective_on} is before finding {finding_id} was decided ({decided})"
        )
    if effective_on > today:
        raise InvalidInput(f"effective date {effective_on} is in the future (today is {today})")
    latest = max((change.effective_on for change in changes), default=decided)
    if effective_on < latest:
        raise Conflict(
            f"finding {finding_id} already has a change effective on {latest}; "
            f"a later change cannot take effect earlier ({effective_on})"
        )


def transition_finding(
    runner: QueryRunner,
    finding_id: str,
    to_status: str,
    actor: str,
    reason: str,
    effective_on: dt.date | None = None,
    document: str | None = None,
    new_effective_until: dt.date | None = None,
    clock: Clock | None = None,
) -> TransitionRecord:
    """Move a finding to ``to_status`` from ``effective_on`` (default: today) if the move is
    legal, recording who, why and on what document, at the server's time.

    ``new_effective_until`` changes the term (status ACTIVE or CORRECTED, moving to itself).
    EXPIRED takes effect the day after the period ended and only once that day has come.
    Raises ``NotFound`` (unknown finding), ``InvalidInput`` (unknown status, empty actor or
    reason, a bad date) or ``Conflict`` (illegal move, a concurrent change).
    """
    clock = clock or Clock()
    to_status = to_status.strip().upper()
    if to_status not in STATUSES:
        raise InvalidInput(f"unknown status {to_status!r}; use one of {', '.join(STATUSES)}")
    _require_text(actor=actor, reason=reason)
    state = _state(runner, finding_id)
    finding = state["finding"]
    current = str(finding["status"])
    if current not in LEGAL_TRANSITIONS:
        raise Conflict(f"finding {finding_id} has no known status ({current!r})")
    if to_status not in LEGAL_TRANSITIONS[current]:
        allowed = ", ".join(sorted(LEGAL_TRANSITIONS[current] - {current})) or "none"
        raise Conflict(
            f"finding {finding_id} cannot move from {current} to {to_status}; allowed: {allowed}"
        )
    if to_status == current and new_effective_until is None:
        raise InvalidInput(f"{current} → {current} only changes the term: give new_effective_until")
    if new_effective_until is not None:
        if not term_may_change(current, None if to_status == current else to_status):
            raise InvalidInput(term_rule(current))
        if new_effective_until < finding["decided_on"]:
            raise InvalidInput("the new term ends before the decision")
    changes = history(finding)
    term = period(snapshot(runner), finding, state["region_code"])
    today = clock.today()
    terms = [change.new_effective_until for change in changes if change.new_effective_until]
    until = terms[-1] if terms else term.until
    if to_status == "EXPIRED":
        if until is None or until >= today:
            raise Conflict(
                f"finding {finding_id} cannot expire on {today}: its punishment period runs "
                f"until {until or 'further notice'}"
            )
        effective_on = effective_on or until + dt.timedelta(days=1)
        if effective_on <= until:
            raise InvalidInput(f"EXPIRED takes effect after the period ended ({until})")
    effective = effective_on or today
    _check_effective(finding_id, state, changes, effective, today)
    now = clock.now()
    seq = len(changes) + 1
    change = Change(seq, to_status, effective, now, new_effective_until)
    props = line_properties(finding, [*changes, change], term)
    rows = runner.write(
        cypher("lifecycle_transition"),
        finding_id=finding_id,
        from_status=current,
        expected=len(changes),
        transition={
            "transition_id": f"{finding_id}#{seq}",
            "finding_id": finding_id,
            "seq": seq,
            "from_status": current,
            "to_status": to_status,
            "effective_on": effective,
            "recorded_at": now,
            "new_effective_until": new_effective_until,
            "actor": actor.strip(),
            "reason": reason.strip(),
            "document": _clean(document),
        },
        props=props,
    )
    if not rows:
        raise Conflict(f"finding {finding_id} changed concurrently; retry")
    return TransitionRecord(**rows[0]["transition"])


def transitions(runner: QueryRunner, finding_id: str) -> list[TransitionRecord]:
    """The status history of a finding, oldest first. Raises ``NotFound`` for an unknown id."""
    row = runner.read_one(cypher("lifecycle_transitions"), finding_id=finding_id, limit=MAX_HISTORY)
    if row is None:
        raise NotFound(f"no finding with id {finding_id}")
    return [TransitionRecord(**item) for item in row["history"]]


def _release(
    runner: QueryRunner,
    finding_id: str,
    person: PersonKey,
    properties: dict[str, object],
    clock: Clock,
) -> ReleaseRecord:
    row = runner.write(
        cypher("lifecycle_release"),
        finding_id=finding_id,
        id_type=person.id_type,
        id_number=person.id_number,
        release=properties,
        recorded_at=clock.now(),
    )
    if not row:
        raise NotFound(f"no finding with id {finding_id}")
    result: Row = row[0]
    if not result["person_found"]:
        raise NotFound(f"no person {person.masked}")
    release = result["release"]
    return ReleaseRecord(
        finding_id=finding_id,
        person=PersonRef.of(person.id_type, person.id_number, result["name"]),
        effective_on=release["effective_on"],
        wrongful=bool(release["wrongful"]),
        until=release.get("until"),
        recorded_at=release["recorded_at"],
        actor=release["actor"],
        reason=release["reason"],
        document=release.get("document"),
        created=bool(result["created"]),
    )


def release_person(
    runner: QueryRunner,
    finding_id: str,
    person: PersonKey,
    actor: str,
    reason: str,
    effective_on: dt.date | None = None,
    wrongful: bool = False,
    document: str | None = None,
    clock: Clock | None = None,
) -> ReleaseRecord:
    """Release one person from one finding from ``effective_on`` (default today; prospective),
    or — ``wrongful`` (reason WRONGFUL: wrongly named) — from the start. Idempotent: the same
    release twice is recorded once.

    Raises ``NotFound`` for an unknown finding or person, ``InvalidInput`` for an empty actor or
    reason or a bad date.
    """
    clock = clock or Clock()
    _require_text(actor=actor, reason=reason)
    wrongful = wrongful or reason.strip().upper() == WRONGFUL
    state = _state(runner, finding_id)
    effective = effective_on or clock.today()
    decided: dt.date = state["finding"]["decided_on"]
    if effective > clock.today():
        raise InvalidInput(f"effective date {effective} is in the future")
    if effective < decided:
        raise InvalidInput(f"effective date {effective} is before the decision ({decided})")
    properties: dict[str, object] = {
        "effective_on": decided if wrongful else effective,
        "wrongful": wrongful,
        "actor": actor.strip(),
        "reason": reason.strip(),
        "document": _clean(document),
    }
    return _release(runner, finding_id, person, properties, clock)


def suspend_person(
    runner: QueryRunner,
    finding_id: str,
    person: PersonKey,
    actor: str,
    reason: str,
    effective_on: dt.date | None = None,
    document: str | None = None,
    clock: Clock | None = None,
) -> ReleaseRecord:
    """Suspend one person's liabilities under one finding from ``effective_on`` (an accepted
    objection to their own role, DOMAIN §8) until ``end_suspension``; the finding still applies
    to everyone else."""
    clock = clock or Clock()
    _require_text(actor=actor, reason=reason)
    _state(runner, finding_id)
    effective = effective_on or clock.today()
    if effective > clock.today():
        raise InvalidInput(f"effective date {effective} is in the future")
    properties: dict[str, object] = {
        "effective_on": effective,
        "wrongful": False,
        "suspension": True,
        "actor": actor.strip(),
        "reason": reason.strip(),
        "document": _clean(document),
    }
    return _release(runner, finding_id, person, properties, clock)


def end_suspension(
    runner: QueryRunner,
    finding_id: str,
    person: PersonKey,
    until: dt.date | None = None,
    clock: Clock | None = None,
) -> int:
    """End every open suspension of ``person`` under ``finding_id`` on ``until`` (default
    today): liabilities resume from that day. Returns the number ended."""
    clock = clock or Clock()
    rows = runner.write(
        cypher("lifecycle_end_suspension"),
        finding_id=finding_id,
        id_type=person.id_type,
        id_number=person.id_number,
        until=until or clock.today(),
        recorded_at=clock.now(),
    )
    return int(rows[0]["ended"]) if rows else 0


def expire_due(
    runner: QueryRunner, actor: str = "system", clock: Clock | None = None
) -> list[TransitionRecord]:
    """Record EXPIRED (effective the day after the period ended) for every finding whose period,
    as now known, ended before today. Liabilities end at query time without this; it makes the
    history show the expiry. Safe to run from cron as often as wanted."""
    clock = clock or Clock()
    recorded: list[TransitionRecord] = []
    seen: set[str] = set()
    while True:
        rows = runner.read(
            cypher("lifecycle_expire_candidates"),
            today=clock.today(),
            statuses=sorted(EXPIRABLE),
            limit=EXPIRE_BATCH,
        )
        fresh = [row["finding_id"] for row in rows if row["finding_id"] not in seen]
        for finding_id in fresh:
            seen.add(finding_id)
            try:
                recorded.append(
                    transition_finding(
                        runner,
                        finding_id,
                        "EXPIRED",
                        actor,
                        "punishment period ended",
                        clock=clock,
                    )
                )
            except Conflict:
                continue  # changed meanwhile; the next run sees it again
        if len(rows) < EXPIRE_BATCH or not fresh:
            return recorded


# -- recording findings ---------------------------------------------------------------------


class FindingInput(BaseModel):
    """A finding as a writer gives it (the loader, a draft approval): its decision, its subject
    (a USCC or a person key) and its status with the date that status took effect."""

    finding_id: str
    subject_uscc: str | None = None
    subject_person: PersonKey | None = None
    list_type: str
    category: str | None = None
    ground: str | None = None
    severe: bool | None = None
    exit_restricted: bool | None = None
    authority: str
    basis: str | None = None
    act_date: dt.date | None = None
    decided_on: dt.date
    effective_until: dt.date | None = None
    status: str = "ACTIVE"
    status_since: dt.date | None = None

    @property
    def subject_id(self) -> str:
        """The subject's key as the finding stores it (USCC, or the document number)."""
        if self.subject_person is not None:
            return self.subject_person.id_number
        return self.subject_uscc or ""


def is_new_status(
    current: str, changes: Sequence[Change], status: str, since: dt.date | None
) -> bool:
    """Whether a status given for a known finding (a loaded file) is a change to record: not
    its current status, and not a status its history already holds (from ``since``, when
    given) — so loading the same file again, after later transitions, changes nothing."""
    if status == current:
        return False
    return not any(
        change.to_status == status and (since is None or change.effective_on == since)
        for change in changes
    ) and not (status == "ACTIVE" and since is None)


def is_new_term(
    stored: Mapping[str, object], changes: Sequence[Change], until: dt.date | None
) -> bool:
    """Whether a term given for a known finding is a change to record: neither the decision's
    term nor one its history already holds — so loading a file again changes nothing."""
    return (
        until is not None
        and until != stored.get("effective_until")
        and all(change.new_effective_until != until for change in changes)
    )


def term_may_change(current: str, to_status: str | None) -> bool:
    """Whether a change from ``current`` (to ``to_status``; None: no change of status) may set
    a new term: ACTIVE or CORRECTED keeping its status, or a move to CORRECTED."""
    return to_status == "CORRECTED" if to_status else current in TERM_STATUSES


def term_rule(current: str) -> str:
    """Why a new term is refused for a finding whose status is ``current``."""
    return (
        f"the status is {current}: a new term needs status ACTIVE or CORRECTED kept, "
        "or a move to CORRECTED"
    )


def changed_facts(stored: Mapping[str, object], given: Mapping[str, object]) -> list[str]:
    """The decision facts that ``given`` would overwrite: stored, given and different."""
    return [
        name
        for name in DECISION_FACTS
        if stored.get(name) is not None
        and given.get(name) is not None
        and stored[name] != given[name]
    ]


_STORED = (*DECISION_FACTS, "effective_until")


def record_findings(
    runner: QueryRunner, findings: list[FindingInput], actor: str, clock: Clock | None = None
) -> int:
    """Write findings (new or changed) with their transitions and status lines, one statement.

    A new finding is recorded now: ACTIVE from its decision, then its given status from
    ``status_since`` (default today). A changed status or a new ``effective_until`` of a
    known finding is a new transition effective from ``status_since`` (default today). An empty
    value never erases a stored one. Raises ``InvalidInput`` when a known finding is given
    other decision facts (``changed_facts``) or a new term where its status has none to change.
    Returns the number of findings written.
    """
    if not findings:
        return 0
    clock = clock or Clock()
    now, today = clock.now(), clock.today()
    reference = snapshot(runner)
    states = {
        row["finding"]["finding_id"]: row
        for row in runner.read(
            cypher("lifecycle_findings_state"), finding_ids=[item.finding_id for item in findings]
        )
    }
    rows = []
    for item in findings:
        state = states.get(item.finding_id)
        stored: dict[str, object] = dict(state["finding"]) if state else {}
        given = {name: getattr(item, name) for name in _STORED if getattr(item, name) is not None}
        props = {**stored, **given, "finding_id": item.finding_id}
        props["recorded_at"] = stored.get("recorded_at") or now
        changes = history(stored) if state else []
        new: list[tuple[Change, str | None, str]] = []
        since = item.status_since or today
        if not state:
            new.append((Change(1, "ACTIVE", item.decided_on, now), None, "first loaded"))
            if item.status != "ACTIVE":
                new.append(
                    (Change(2, item.status, since, now), "ACTIVE", "status given when loaded")
                )
        else:
            overwritten = changed_facts(stored, given)
            if overwritten:
                raise InvalidInput(
                    f"finding {item.finding_id}: a reload cannot change its decision "
                    f"({', '.join(overwritten)})"
                )
            current = str(stored.get("status") or "ACTIVE")
            new_status = is_new_status(current, changes, item.status, item.status_since)
            new_term = is_new_term(stored, changes, item.effective_until)
            if new_term and not term_may_change(current, item.status if new_status else None):
                raise InvalidInput(f"finding {item.finding_id}: {term_rule(current)}")
            if new_status or new_term:
                new.append(
                    (
                        Change(
                            len(changes) + 1,
                            item.status if new_status else current,
                            since,
                            now,
                            item.effective_until if new_term else None,
                        ),
                        current,
                        f"{'status' if new_status else 'term'} changed by a loaded file",
                    )
                )
            props["effective_until"] = stored.get("effective_until")
        all_changes = [*changes, *(change for change, _, _ in new)]
        region = state["region_code"] if state else None
        term = period(reference, props, region)
        line = line_properties(props, all_changes, term)
        rows.append(
            {
                "finding_id": item.finding_id,
                "props": {
                    **{
                        key: value
                        for key, value in props.items()
                        if key in (*_STORED, "recorded_at")
                    },
                    "subject_kind": "PERSON" if item.subject_person is not None else "ENTERPRISE",
                    "subject_id": item.subject_id,
                    "status": all_changes[-1].to_status if all_changes else item.status,
                    **line,
                },
                "transitions": [
                    {
                        "transition_id": f"{item.finding_id}#{change.seq}",
                        "finding_id": item.finding_id,
                        "seq": change.seq,
                        "from_status": previous,
                        "to_status": change.to_status,
                        "effective_on": change.effective_on,
                        "recorded_at": change.recorded_at,
                        "at": change.recorded_at,
                        "new_effective_until": change.new_effective_until,
                        "actor": actor,
                        "reason": reason,
                    }
                    for change, previous, reason in new
                ],
                "subject_uscc": item.subject_uscc,
                "subject_id_type": item.subject_person.id_type if item.subject_person else None,
                "subject_id_number": item.subject_person.id_number if item.subject_person else None,
            }
        )
    result = runner.write(cypher("load_findings"), rows=rows)
    return int(result[0]["written"]) if result else 0
