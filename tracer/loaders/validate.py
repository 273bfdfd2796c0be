"""Validation of every input stem: rows to write, and every other row rejected with a reason.

Each validator runs the cell checks, removes conflicting and identical duplicates, then checks
references (against the rows valid so far in this load, then the graph in bulk). Stems are
validated in load order, so a row referring to a row rejected earlier is rejected too
(``REF_REJECTED``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tracer.domain.codes import (
    CAPACITIES,
    CATEGORIES,
    EMPLOYER_KINDS,
    ENTERPRISE_STATUSES,
    FINDING_STATUSES,
    HOLDER_KINDS,
    INTERVIEW_KINDS,
    OWNERSHIPS,
    POSITION_ROLES,
    SUBJECT_KINDS,
)
from tracer.domain.codes import ENTERPRISE_KINDS as KINDS
from tracer.domain.identifiers import uscc_kind
from tracer.domain.keys import PersonKey
from tracer.loaders import checks, identity
from tracer.loaders.batch import Batch, nones, objects
from tracer.loaders.checks import Context
from tracer.loaders.keysets import KeySet
from tracer.loaders.names import display_names
from tracer.loaders.read import FILE, LINE
from tracer.loaders.spill import Spill
from tracer.queries.lifecycle import (
    LEGAL_TRANSITIONS,
    changed_facts,
    is_new_status,
    is_new_term,
    term_may_change,
    term_rule,
)
from tracer.queries.reference import TABLES, validate_reference_row
from tracer.queries.timeline import history

DEPARTMENT_KIND_PATTERN = r"[A-Z][A-Z0-9_]{1,39}"
CODE_PATTERN = r"[A-Z][A-Z0-9_]{0,63}"
BOOLEANS = {
    "true": True, "1": True, "yes": True, "y": True, "t": True, "是": True,
    "false": False, "0": False, "no": False, "n": False, "f": False, "否": False,
}  # fmt: skip


@dataclass
class Validated:
    """One stem after validation: the rows to write (normalised columns) and the batch. A stem
    validated in partitions keeps the rows of all but its last partition on disk (``spilled``)."""

    stem: str
    batch: Batch
    rows: pd.DataFrame
    spilled: Spill[pd.DataFrame] | None = None

    def __post_init__(self) -> None:
        self.batch.forget_cells()

    @property
    def loaded(self) -> int:
        """Rows accepted (identical repeats included; they are written once)."""
        return self.batch.read - self.batch.rejected

    @property
    def row_count(self) -> int:
        """Rows to write."""
        return len(self.rows) + (len(self.spilled) if self.spilled is not None else 0)

    def frames(self) -> Iterator[pd.DataFrame]:
        """The rows to write, a partition at a time (one frame for a stem validated whole)."""
        if self.spilled is None:
            yield self.rows
            return
        yield from self.spilled
        if len(self.rows):
            yield self.rows

    def absorb(self, other: Validated) -> None:
        """Add ``other``, the next partition of this stem (its rows as read released): the rows
        held so far go to disk, and ``other``'s are held."""
        self.batch.absorb(other.batch)
        if len(self.rows):
            if self.spilled is None:
                self.spilled = Spill()
            self.spilled.append(self.rows, len(self.rows))
        self.rows = other.rows


def _finish(batch: Batch, ctx: Context, frame: pd.DataFrame, entity: str, key_column: str) -> None:
    """Register the entity keys of this stem as valid or rejected for later stems."""
    keys = frame[key_column]
    valid = KeySet(keys[batch.good].dropna().to_numpy(dtype=object))
    ctx.finish(entity, valid, KeySet(keys[batch.bad].dropna().to_numpy(dtype=object)) - valid)


def subject_keys(batch: Batch, ctx: Context, kinds: pd.Series, column: str) -> pd.Series:
    """Subject keys of findings and red-list rows: a USCC, or a ``PersonKey`` for persons (the
    cell may be ``ID_TYPE:number`` or a bare resident ID number)."""
    is_person = kinds == "PERSON"
    text = batch.text(column)
    split = text.where(is_person, None).str.split(":", n=1)
    has_type = split.map(lambda parts: isinstance(parts, list) and len(parts) == 2)
    types = split.str[0].where(has_type, None).str.strip().str.upper()
    numbers = split.str[1].where(has_type, text).where(is_person, None)
    persons = checks.person_ids(
        batch, column, column, ctx.today, rows=is_person, types=types, numbers=numbers
    )
    enterprises = checks.uscc(batch, column, rows=kinds == "ENTERPRISE")
    return enterprises.where(kinds == "ENTERPRISE", persons)


def _subject_references(batch: Batch, ctx: Context, kinds: pd.Series, keys: pd.Series) -> None:
    for kind, entity, label in (
        ("ENTERPRISE", "enterprise", "enterprise"),
        ("PERSON", "person", "person"),
    ):
        checks.references(batch, ctx, entity, keys.where(kinds == kind, None), "subject_id", label)


# -- stems ------------------------------------------------------------------------------------
def departments(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Departments: code, name, region_code, superior_code (a department, not itself), and an
    optional ``kind`` (an upper-case code such as COURT, TAX, AUDIT, matched against the
    measures' ``department_kinds``)."""
    checks.required(batch)
    kinds = batch.upper("kind")
    bad_kind = kinds.map(
        lambda value: value is not None and re.fullmatch(DEPARTMENT_KIND_PATTERN, value) is None
    ).astype(bool)
    batch.reject(
        bad_kind,
        "kind",
        "CODE_UNKNOWN",
        "kind must be an upper-case code such as COURT, TAX, MARKET_SUPERVISION or AUDIT",
    )
    frame = pd.DataFrame(
        {
            "code": batch.text("code"),
            "name": batch.text("name"),
            "region_code": batch.text("region_code"),
            "superior_code": batch.text("superior_code"),
            "kind": kinds.where(~bad_kind, None),
        }
    )
    batch.reject(
        frame["superior_code"].notna() & (frame["superior_code"] == frame["code"]),
        "superior_code",
        "SELF_REFERENCE",
        "a department cannot be its own superior",
    )
    rows = checks.dedupe(batch, frame, ["code"])
    while True:  # a chain of superiors: repeat until no new rejection
        before = batch.rejected
        _finish(batch, ctx, frame, "department", "code")
        checks.references(
            batch, ctx, "department", frame["superior_code"], "superior_code", "department"
        )
        if batch.rejected == before:
            break
    return rows[batch.good[rows.index]]


def enterprises(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Enterprises: USCC checks, kind derived from the USCC or checked against it; a known
    USCC under another name is an ``IDENTITY_CONFLICT`` unless the row dates a name change."""
    checks.required(batch)
    usccs = checks.uscc(batch, "uscc")
    derived = usccs.map(lambda code: uscc_kind(code) if code is not None else None)
    given = checks.code(batch, "kind", KINDS)
    mismatch = given.notna() & derived.notna() & (derived != "OTHER") & (given != derived)
    batch.reject_each(
        mismatch,
        "kind",
        pd.Series("KIND_MISMATCH", index=batch.frame.index),
        lambda index: (
            f"kind {given[index]} contradicts the USCC, whose positions 1-2 mean {derived[index]}"
        ),
    )
    frame = pd.DataFrame(
        {
            "uscc": usccs,
            "name": display_names(batch.text("name")),
            "kind": given.where(given.notna(), derived),
            "ownership": checks.code(batch, "ownership", OWNERSHIPS),
            "status": checks.code(batch, "status", ENTERPRISE_STATUSES),
            "region_code": batch.text("region_code"),
            "established_on": checks.dates(batch, "established_on"),
            "superior_department": batch.text("superior_department"),
            "address": batch.text("address").map(
                lambda value: " ".join(value.split()) if value is not None else None
            ),
        }
    )
    changes = identity.resolve(batch, ctx, frame, "uscc", "enterprise")
    rows = checks.dedupe(batch, frame, ["uscc"])
    checks.references(
        batch, ctx, "department", frame["superior_department"], "superior_department", "department"
    )
    _finish(batch, ctx, frame, "enterprise", "uscc")
    return _with_changes(rows[batch.good[rows.index]], "uscc", changes)


def persons(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Persons: document type and normalised number, name, nationality; a known number under
    another name is an ``IDENTITY_CONFLICT`` unless the row dates a name change."""
    checks.required(batch)
    frame = pd.DataFrame(
        {
            "person": checks.person_ids(batch, "id_type", "id_number", ctx.today),
            "name": display_names(batch.text("name")),
            "nationality": batch.text("nationality"),
        }
    )
    changes = identity.resolve(batch, ctx, frame, "person", "person")
    rows = checks.dedupe(batch, frame, ["person"])
    _finish(batch, ctx, frame, "person", "person")
    return _with_changes(rows[batch.good[rows.index]], "person", changes)


def _with_changes(
    rows: pd.DataFrame, key_column: str, changes: dict[Any, list[identity.NameChange]]
) -> pd.DataFrame:
    """``rows`` with the name changes to record for each key (column ``name_changes``: a list,
    None for a key without changes)."""
    rows = rows.copy(deep=False)  # a new column on the rows, not a copy of their cells
    rows["name_changes"] = (
        objects((changes.get(key) for key in rows[key_column]), rows.index)
        if changes
        else nones(rows.index)
    )
    return rows


def positions(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Positions (HOLDS): enterprise, person, role of DOMAIN §3 (not SHAREHOLDER or
    REGISTERED_PRACTITIONER), start_date, end_date >= start_date."""
    checks.required(batch)
    frame = pd.DataFrame(
        {
            "uscc": checks.uscc(batch, "uscc"),
            "person": checks.person_ids(batch, "id_type", "id_number", ctx.today),
            "role": checks.code(batch, "role", POSITION_ROLES),
            "start_date": checks.dates(batch, "start_date"),
            "end_date": checks.dates(batch, "end_date"),
        }
    )
    checks.not_before(
        batch, frame["start_date"], frame["end_date"], "end_date", "end_date is before start_date"
    )
    rows = checks.dedupe(batch, frame, ["uscc", "person", "role", "start_date"])
    checks.references(batch, ctx, "enterprise", frame["uscc"], "uscc", "enterprise")
    checks.references(batch, ctx, "person", frame["person"], "id_number", "person")
    return rows[batch.good[rows.index]]


_HOLDER_ENTITIES = {"PERSON": "person", "ENTERPRISE": "enterprise", "DEPARTMENT": "department"}


def shareholdings(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Shareholdings (OWNS): investee, holder (person, enterprise or department), share 0..1 or
    empty (unknown, kept as null), an optional range ``share_min``..``share_max`` (same units;
    ``SHARE_BOUNDS_ORDER`` when min > max, ``SHARE_OUTSIDE_BOUNDS`` when a given share lies
    outside it), and an optional ``record_id`` (an interchange record's own id), which joins the
    identity: ``start_key`` is the ISO start date (or "") followed by ``#record_id``."""
    checks.required(batch)
    kinds = checks.code(batch, "holder_kind", HOLDER_KINDS)
    persons_ = checks.person_ids(
        batch, "holder_id_type", "holder_id", ctx.today, rows=kinds == "PERSON"
    )
    usccs = checks.uscc(batch, "holder_id", rows=kinds == "ENTERPRISE")
    holders = persons_.where(kinds == "PERSON", usccs.where(kinds == "ENTERPRISE", None))
    holders = holders.where(kinds != "DEPARTMENT", batch.text("holder_id"))
    frame = pd.DataFrame(
        {
            "investee": checks.uscc(batch, "investee_uscc"),
            "holder_kind": kinds,
            "holder": holders,
            "share": checks.shares(batch, "share", "share_unit"),
            "share_min": checks.shares(batch, "share_min", "share_unit"),
            "share_max": checks.shares(batch, "share_max", "share_unit"),
            "start_date": checks.dates(batch, "start_date"),
            "end_date": checks.dates(batch, "end_date"),
            "record_id": batch.text("record_id"),
        }
    )
    _share_bounds(batch, frame)
    codes, days = pd.factorize(frame["start_date"].to_numpy(dtype=object))
    starts = np.array([*(day.isoformat() for day in days), ""], dtype=object)[codes]
    if frame["record_id"].notna().any():
        starts = np.array(
            [
                key + (f"#{record}" if record is not None else "")
                for key, record in zip(starts, frame["record_id"], strict=True)
            ],
            dtype=object,
        )
    frame["start_key"] = starts
    checks.not_before(
        batch, frame["start_date"], frame["end_date"], "end_date", "end_date is before start_date"
    )
    batch.reject(
        (kinds == "ENTERPRISE") & (frame["holder"] == frame["investee"]),
        "holder_id",
        "SELF_REFERENCE",
        "an enterprise cannot hold shares in itself",
    )
    rows = checks.dedupe(batch, frame, ["investee", "holder_kind", "holder", "start_key"])
    checks.references(batch, ctx, "enterprise", frame["investee"], "investee_uscc", "enterprise")
    for kind, entity in _HOLDER_ENTITIES.items():
        keys = frame["holder"].where(kinds == kind, None)
        checks.references(batch, ctx, entity, keys, "holder_id", entity)
    return rows[batch.good[rows.index]]


def _share_bounds(batch: Batch, frame: pd.DataFrame) -> None:
    """A range must be ordered (``SHARE_BOUNDS_ORDER``) and hold a given point share
    (``SHARE_OUTSIDE_BOUNDS``); a missing bound is open (0 or 1)."""
    low = frame["share_min"].astype("float64").fillna(0.0)
    high = frame["share_max"].astype("float64").fillna(1.0)
    reversed_ = (low > high).astype(bool)
    batch.reject(reversed_, "share_min", "SHARE_BOUNDS_ORDER", "share_min is above share_max")
    share = frame["share"].astype("float64")
    inside = (low - 1e-12 <= share) & (share <= high + 1e-12)
    outside = share.notna() & ~inside
    batch.reject(
        outside & ~reversed_,
        "share",
        "SHARE_OUTSIDE_BOUNDS",
        "share lies outside share_min..share_max",
    )


def practitioners(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Registered practitioners (REGISTERED_AT): person, enterprise, qualification, dates."""
    checks.required(batch)
    frame = pd.DataFrame(
        {
            "person": checks.person_ids(batch, "id_type", "id_number", ctx.today),
            "uscc": checks.uscc(batch, "uscc"),
            "qualification": batch.text("qualification"),
            "certificate_no": batch.text("certificate_no"),
            "start_date": checks.dates(batch, "start_date"),
            "end_date": checks.dates(batch, "end_date"),
        }
    )
    checks.not_before(
        batch, frame["start_date"], frame["end_date"], "end_date", "end_date is before start_date"
    )
    rows = checks.dedupe(batch, frame, ["person", "uscc", "qualification", "start_date"])
    checks.references(batch, ctx, "enterprise", frame["uscc"], "uscc", "enterprise")
    checks.references(batch, ctx, "person", frame["person"], "id_number", "person")
    return rows[batch.good[rows.index]]


def _booleans(batch: Batch, column: str) -> pd.Series:
    """true/false cells (also 1/0, yes/no, 是/否); ``BAD_VALUE`` otherwise; None when empty."""
    values = batch.text(column).map(lambda cell: None if cell is None else str(cell).lower())
    parsed = values.map(lambda cell: BOOLEANS.get(cell) if cell is not None else None)
    bad = values.notna() & parsed.isna()
    batch.reject(bad, column, "BAD_VALUE", f"{column} must be true or false")
    return parsed.where(~bad, None)


def _known_findings(batch: Batch, ctx: Context, frame: pd.DataFrame) -> None:
    """A finding given again keeps its decision (``DECISION_CHANGED`` where a stored fact would
    be overwritten). A status that differs from the stored one and is not in its history, or a
    term neither of the decision nor in its history, is a transition, with the checks of the
    command line: a legal move, effective (``status_since``) not before the decision or an
    earlier change, a term only where the status may take one."""
    stored = ctx.graph.findings(frame["finding_id"].dropna()) if ctx.graph is not None else {}
    ctx.findings.update(stored)
    rejected: dict[str, list[object]] = {"illegal": [], "term": [], "early": []}
    changed: dict[object, tuple[str, object, object]] = {}
    known = frame[checks.member(frame["finding_id"], set(stored)) & batch.good]
    for index, row in known.iterrows():
        state = stored[row["finding_id"]]
        given = {str(key): value for key, value in row.items()}
        given["subject_id"] = _subject_id(row["subject"])
        overwritten = changed_facts(state, given)
        if overwritten:
            fact = overwritten[0]
            changed[index] = (fact, state[fact], given[fact])
            continue
        changes, since, status = history(state), row["status_since"], row["status"]
        new_status = status is not None and is_new_status(state["status"], changes, status, since)
        if new_status and status not in LEGAL_TRANSITIONS.get(state["status"], frozenset()):
            rejected["illegal"].append(index)
        elif is_new_term(state, changes, row["effective_until"]) and not term_may_change(
            state["status"], status if new_status else None
        ):
            rejected["term"].append(index)
        elif (new_status or is_new_term(state, changes, row["effective_until"])) and (
            since is not None and since < (state.get("last_effective") or state["decided_on"])
        ):
            rejected["early"].append(index)
    for column in sorted({fact for fact, _, _ in changed.values()}):
        batch.reject_each(
            _rows(batch, [index for index, (fact, _, _) in changed.items() if fact == column]),
            column,
            pd.Series("DECISION_CHANGED", index=batch.frame.index),
            lambda index: (
                "a finding given again keeps its decision: stored {} {}, given {} "
                "(a wrong decision is REVOKED and loaded as a new finding)"
            ).format(*changed[index]),
        )
    batch.reject(
        _rows(batch, rejected["illegal"]),
        "status",
        "ILLEGAL_TRANSITION",
        "the stored status cannot move to this one (see the lifecycle table)",
    )
    batch.reject_each(
        _rows(batch, rejected["term"]),
        "effective_until",
        pd.Series("ILLEGAL_TRANSITION", index=batch.frame.index),
        lambda index: term_rule(stored[frame["finding_id"][index]]["status"]),
    )
    batch.reject(
        _rows(batch, rejected["early"]),
        "status_since",
        "DATE_ORDER",
        "status_since is before the decision or an earlier change of this finding",
    )


def _rows(batch: Batch, indexes: list[object]) -> pd.Series:
    return pd.Series(batch.frame.index.isin(indexes), index=batch.frame.index)


def _subject_id(subject: object) -> object:
    """The subject as a finding stores it: the USCC, or the person's document number."""
    return subject.id_number if isinstance(subject, PersonKey) else subject


def _decisions(ctx: Context, finding_ids: pd.Series) -> pd.Series:
    """The decision date of each finding: from this load's findings, else from the graph (None
    when unknown, e.g. in a dry run without a database)."""
    wanted = list(dict.fromkeys(finding_ids.dropna()))
    dates = ctx.decided.dates(wanted)
    missing = {fid for fid, day in zip(wanted, dates, strict=True) if day is None}
    if missing and ctx.graph is not None:
        found = ctx.graph.findings(missing)
        ctx.decided.update(found, (state["decided_on"] for state in found.values()))
        dates = ctx.decided.dates(wanted)
    known = dict(zip(wanted, dates, strict=True))
    return finding_ids.map(lambda fid: known.get(fid) if fid is not None else None)


def findings(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Findings: subject, a known list type, a category that agrees with the list type's
    (``CATEGORY_MISMATCH``), ground, severe and exit_restricted flags, dates in order
    (act_date <= decided_on <= effective_until, status_since), status and its legal change."""
    checks.required(batch)
    kinds = checks.code(batch, "subject_kind", SUBJECT_KINDS, default="ENTERPRISE")
    list_types = batch.upper("list_type")
    unknown = list_types.notna() & ~list_types.isin(set(ctx.list_types))
    batch.reject(
        unknown,
        "list_type",
        "LIST_TYPE_UNKNOWN",
        "list_type is neither a ListType in the graph nor in this load's list_types file",
    )
    categories = checks.code(batch, "category", CATEGORIES)
    from_list = list_types.map(lambda code: ctx.list_types.get(code) if code else None)
    mismatch = categories.notna() & from_list.notna() & (categories != from_list)
    batch.reject_each(
        mismatch,
        "category",
        pd.Series("CATEGORY_MISMATCH", index=batch.frame.index),
        lambda index: (
            f"category {categories[index]} disagrees with list type {list_types[index]}, "
            f"whose category is {from_list[index]}"
        ),
    )
    grounds = batch.upper("ground")
    bad_ground = grounds.notna() & ~grounds.fillna("").str.fullmatch(CODE_PATTERN)
    batch.reject(bad_ground, "ground", "CODE_UNKNOWN", "ground must be an upper-case code")
    frame = pd.DataFrame(
        {
            "finding_id": batch.text("finding_id"),
            "subject_kind": kinds,
            "subject": subject_keys(batch, ctx, kinds, "subject_id"),
            "list_type": list_types.where(~unknown, None),
            "category": categories.where(categories.notna(), from_list),
            "ground": grounds.where(~bad_ground, None),
            "severe": _booleans(batch, "severe"),
            "exit_restricted": _booleans(batch, "exit_restricted"),
            "authority": batch.text("authority"),
            "basis": batch.text("basis"),
            "act_date": checks.dates(batch, "act_date"),
            "decided_on": checks.dates(batch, "decided_on"),
            "effective_until": checks.dates(batch, "effective_until"),
            "status": checks.code(batch, "status", FINDING_STATUSES, default="ACTIVE"),
            "status_since": checks.dates(batch, "status_since"),
            "file": batch.frame[FILE],
        }
    )
    checks.not_before(
        batch, frame["act_date"], frame["decided_on"], "act_date", "act_date is after decided_on"
    )
    checks.not_before(
        batch,
        frame["decided_on"],
        frame["effective_until"],
        "effective_until",
        "effective_until is before decided_on",
    )
    checks.not_before(
        batch,
        frame["decided_on"],
        frame["status_since"],
        "status_since",
        "status_since is before decided_on",
    )
    checks.not_future(batch, frame["status_since"], ctx.today, "status_since")
    _known_findings(batch, ctx, frame)
    rows = checks.dedupe(batch, frame.drop(columns="file"), ["finding_id"])
    _subject_references(batch, ctx, kinds, frame["subject"])
    _finish(batch, ctx, frame, "finding", "finding_id")
    written = frame.loc[rows.index[batch.good[rows.index]]]
    ctx.decided.update(written["finding_id"], written["decided_on"])
    return written


def finding_persons(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Persons named in a finding with a capacity (NAMES), from ``effective_on`` (default: the
    finding's decision)."""
    checks.required(batch)
    frame = pd.DataFrame(
        {
            "finding_id": batch.text("finding_id"),
            "person": checks.person_ids(batch, "id_type", "id_number", ctx.today),
            "capacity": checks.code(batch, "capacity", CAPACITIES),
            "effective_on": checks.dates(batch, "effective_on"),
        }
    )
    checks.not_future(batch, frame["effective_on"], ctx.today, "effective_on")
    rows = checks.dedupe(batch, frame, ["finding_id", "person", "capacity"])
    checks.references(batch, ctx, "finding", frame["finding_id"], "finding_id", "finding")
    checks.not_before(
        batch,
        _decisions(ctx, frame["finding_id"].where(batch.good, None)),
        frame["effective_on"],
        "effective_on",
        "effective_on is before the finding's decision",
    )
    checks.references(batch, ctx, "person", frame["person"], "id_number", "person")
    return rows[batch.good[rows.index]]


def transitions(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Status changes from other systems: a known finding and status, an effective date (come,
    and not before the decision), actor and reason, an optional change of term (not before the
    decision), and for a per-person release the person. Whether the move is legal on its date
    is checked when it is written, exactly as from the command line (a refused move is rejected
    with the lifecycle's reason)."""
    checks.required(batch)
    numbers = batch.text("id_number")
    frame = pd.DataFrame(
        {
            "finding_id": batch.text("finding_id"),
            "to_status": checks.code(batch, "to_status", (*FINDING_STATUSES, "RELEASED")),
            "effective_on": checks.dates(batch, "effective_on"),
            "actor": batch.text("actor"),
            "reason": batch.text("reason"),
            "document": batch.text("document"),
            "new_effective_until": checks.dates(batch, "new_effective_until"),
            "person": checks.person_ids(
                batch, "id_type", "id_number", ctx.today, rows=numbers.notna()
            ),
            "line": batch.frame[LINE],
            "file": batch.frame[FILE],
            "raw": pd.Series(
                [batch.raw_row(index) for index in batch.frame.index],
                index=batch.frame.index,
                dtype=object,
            ),
        }
    )
    release = frame["to_status"] == "RELEASED"
    batch.reject(
        release & frame["person"].isna(),
        "id_number",
        "REQUIRED_MISSING",
        "a RELEASED row names the person (id_type, id_number)",
    )
    checks.not_future(batch, frame["effective_on"], ctx.today, "effective_on")
    checks.references(batch, ctx, "finding", frame["finding_id"], "finding_id", "finding")
    checks.references(
        batch, ctx, "person", frame["person"].where(release, None), "id_number", "person"
    )
    decided = _decisions(ctx, frame["finding_id"].where(batch.good, None))
    for column in ("effective_on", "new_effective_until"):
        checks.not_before(
            batch, decided, frame[column], column, f"{column} is before the finding's decision"
        )
    return frame[batch.good]


def honour_id(subject_kind: str, subject: str | PersonKey, honour: str, granted_on: str) -> str:
    """The stable id of a red-list entry: a hash of subject (a person as ``TYPE:NUMBER``, as
    ids were made before person keys had a type), honour and grant date."""
    key = f"{subject.id_type}:{subject.id_number}" if isinstance(subject, PersonKey) else subject
    text = "\x1f".join((subject_kind, key, honour, granted_on))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def redlist(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Red-list entries (Honour nodes) granted to an enterprise or a person."""
    checks.required(batch)
    kinds = checks.code(batch, "subject_kind", SUBJECT_KINDS, default="ENTERPRISE")
    frame = pd.DataFrame(
        {
            "subject_kind": kinds,
            "subject": subject_keys(batch, ctx, kinds, "subject_id"),
            "honour": batch.text("honour"),
            "granted_by": batch.text("granted_by"),
            "granted_on": checks.dates(batch, "granted_on"),
            "valid_until": checks.dates(batch, "valid_until"),
        }
    )
    checks.not_before(
        batch,
        frame["granted_on"],
        frame["valid_until"],
        "valid_until",
        "valid_until is before granted_on",
    )
    parts = zip(
        frame["subject_kind"], frame["subject"], frame["honour"], frame["granted_on"], strict=True
    )
    frame["honour_id"] = [
        honour_id(k, s, h, g.isoformat()) if k and s and h and g else None for k, s, h, g in parts
    ]
    rows = checks.dedupe(batch, frame, ["honour_id"])
    _subject_references(batch, ctx, kinds, frame["subject"])
    return rows[batch.good[rows.index]]


def employments(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Employments (EMPLOYED_BY): person, employer (an enterprise or a department), whether the
    post is in the public sector (default false), start_date, end_date >= start_date."""
    checks.required(batch)
    kinds = checks.code(batch, "employer_kind", EMPLOYER_KINDS)
    usccs = checks.uscc(batch, "employer_id", rows=kinds == "ENTERPRISE")
    frame = pd.DataFrame(
        {
            "person": checks.person_ids(batch, "id_type", "id_number", ctx.today),
            "employer_kind": kinds,
            "employer": usccs.where(kinds == "ENTERPRISE", batch.text("employer_id")),
            "public_sector": _booleans(batch, "public_sector").map(bool),
            "start_date": checks.dates(batch, "start_date"),
            "end_date": checks.dates(batch, "end_date"),
        }
    )
    checks.not_before(
        batch, frame["start_date"], frame["end_date"], "end_date", "end_date is before start_date"
    )
    rows = checks.dedupe(batch, frame, ["person", "employer_kind", "employer", "start_date"])
    checks.references(batch, ctx, "person", frame["person"], "id_number", "person")
    for kind, entity in (("ENTERPRISE", "enterprise"), ("DEPARTMENT", "department")):
        keys = frame["employer"].where(kinds == kind, None)
        checks.references(batch, ctx, entity, keys, "employer_id", entity)
    return rows[batch.good[rows.index]]


def _record_subject(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Subject kind and key, and the recording department, of a commitment or interview."""
    kinds = checks.code(batch, "subject_kind", SUBJECT_KINDS, default="ENTERPRISE")
    return pd.DataFrame(
        {
            "subject_kind": kinds,
            "subject": subject_keys(batch, ctx, kinds, "subject_id"),
            "department": batch.text("department"),
        }
    )


def _record_references(batch: Batch, ctx: Context, frame: pd.DataFrame) -> None:
    _subject_references(batch, ctx, frame["subject_kind"], frame["subject"])
    checks.references(batch, ctx, "department", frame["department"], "department", "department")


def commitments(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Credit commitments (信用承诺): subject, matter, receiving department, committed_on (come),
    due_on, and at most one of fulfilled_on and breached_on (``FULFILLED_AND_BREACHED``), both
    come and not before the commitment."""
    checks.required(batch)
    frame = _record_subject(batch, ctx)
    frame.insert(0, "commitment_id", batch.text("commitment_id"))
    frame["matter"] = batch.text("matter")
    for column in ("committed_on", "due_on", "fulfilled_on", "breached_on"):
        frame[column] = checks.dates(batch, column)
    for column in ("due_on", "fulfilled_on", "breached_on"):
        checks.not_before(
            batch, frame["committed_on"], frame[column], column, f"{column} is before committed_on"
        )
    for column in ("committed_on", "fulfilled_on", "breached_on"):
        checks.not_future(batch, frame[column], ctx.today, column)
    batch.reject(
        (frame["fulfilled_on"].notna() & frame["breached_on"].notna()).astype(bool),
        "breached_on",
        "FULFILLED_AND_BREACHED",
        "a commitment is either fulfilled or breached, not both",
    )
    rows = checks.dedupe(batch, frame, ["commitment_id"])
    _record_references(batch, ctx, frame)
    return rows[batch.good[rows.index]]


def interviews(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Interviews (提示约谈 PROMPT / 警示约谈 WARNING): subject, holding department, held_on
    (come), rectify_by and rectified_on not before it (rectified_on come)."""
    checks.required(batch)
    frame = _record_subject(batch, ctx)
    frame.insert(0, "interview_id", batch.text("interview_id"))
    frame["kind"] = checks.code(batch, "kind", INTERVIEW_KINDS)
    for column in ("held_on", "rectify_by", "rectified_on"):
        frame[column] = checks.dates(batch, column)
    for column in ("rectify_by", "rectified_on"):
        checks.not_before(
            batch, frame["held_on"], frame[column], column, f"{column} is before held_on"
        )
    for column in ("held_on", "rectified_on"):
        checks.not_future(batch, frame[column], ctx.today, column)
    rows = checks.dedupe(batch, frame, ["interview_id"])
    _record_references(batch, ctx, frame)
    return rows[batch.good[rows.index]]


def reference(batch: Batch, ctx: Context) -> pd.DataFrame:
    """Overrides of the reference tables: the engine's own row validation; the same version
    (logical key, valid_from, jurisdiction) twice with different values is a conflict."""
    stem = batch.spec.stem
    cells: list[dict[str, Any]] = []
    for index in batch.frame.index:
        source = batch.tables[str(batch.frame.at[index, FILE])]
        cells.append({name: batch.frame.at[index, name] for name in source.columns})
    problems = [validate_reference_row(stem, row) for row in cells]
    for index, found in zip(batch.frame.index, problems, strict=True):
        mask = pd.Series(batch.frame.index == index, index=batch.frame.index)
        for column, reason, message in found:
            batch.reject(mask, column, reason, message)
    frame = pd.DataFrame(
        {
            "key": [_version_key(stem, row) for row in cells],
            "row": pd.Series(cells, index=batch.frame.index, dtype=object),
        },
        index=batch.frame.index,
    )
    frame["signature"] = frame["row"].map(lambda row: repr(sorted(row.items())))
    rows = checks.dedupe(batch, frame[["key", "signature"]], ["key"])
    return frame.loc[rows.index, ["key", "row"]]


def _version_key(stem: str, row: dict[str, Any]) -> str:
    """A row's version id as far as its cells say (blank for cells that do not convert)."""
    typed = {
        str(name).strip().lower(): str(value).strip().upper()
        for name, value in row.items()
        if value is not None and str(value).strip() and str(value).strip().lower() != "nan"
    }
    table = TABLES[stem]
    parts = [typed.get(name, "") for name in (*table.key, "valid_from", "jurisdiction")]
    return "|".join(parts)


#: Reference cells that name a row of another reference table: (stem, column) → (stem, key).
LINKS: dict[tuple[str, str], tuple[str, str]] = {
    ("rules", "measures"): ("measures", "code"),
    ("rules", "eligible_measures"): ("measures", "code"),
    ("rules", "list_types"): ("list_types", "code"),
    ("list_type_measures", "measure"): ("measures", "code"),
    ("list_type_measures", "list_type"): ("list_types", "code"),
    ("list_type_periods", "list_type"): ("list_types", "code"),
    ("measure_basis", "measure"): ("measures", "code"),
    ("measure_basis", "edition"): ("basic_list_editions", "edition"),
}


def reference_links(batch: Batch, rows: pd.DataFrame, known: dict[str, set[str]]) -> pd.DataFrame:
    """Reject override rows naming a code defined nowhere (``REF_MEASURE``, ``REF_LIST_TYPE``,
    ``REF_BASIC_LIST_EDITION``): neither shipped, nor in the graph, nor in this load."""
    stem = batch.spec.stem
    for (source, column), (target, _) in LINKS.items():
        if source != stem:
            continue
        reason = "REF_" + target.removesuffix("s").upper()

        def unknown(row: dict[str, Any], column: str = column, target: str = target) -> list[str]:
            value = row.get(column)
            text = "" if value is None or str(value).lower() == "nan" else str(value)
            codes = [part.strip().upper() for part in text.split("|") if part.strip()]
            return [code for code in codes if code not in known[target]]

        missing = rows["row"].map(unknown)
        bad = missing.map(bool).reindex(batch.frame.index, fill_value=False)
        messages = {
            index: f"{column}: unknown code(s) " + ", ".join(codes)
            for index, codes in missing.items()
        }
        batch.reject_each(
            bad, column, pd.Series(reason, index=batch.frame.index), messages.__getitem__
        )
    return rows[batch.good[rows.index]]


def reference_codes(tables: dict[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    """The codes each reference table defines (the keys rows of other tables may name)."""
    targets = {target for target in LINKS.values()}
    return {stem: {str(row[key]) for row in tables.get(stem, [])} for stem, key in targets}


VALIDATORS: dict[str, Callable[[Batch, Context], pd.DataFrame]] = {
    "departments": departments,
    "enterprises": enterprises,
    "persons": persons,
    "positions": positions,
    "shareholdings": shareholdings,
    "practitioners": practitioners,
    "findings": findings,
    "finding_persons": finding_persons,
    "redlist": redlist,
    "transitions": transitions,
    "employments": employments,
    "commitments": commitments,
    "interviews": interviews,
    **{stem: reference for stem in TABLES},
}
