"""Identity safety (issue 14): a known ID number or USCC arriving with another name.

A person's document number and an enterprise's USCC are identities; a name is not. So a key
that the graph (or an earlier row of the same batch) knows under one name and a row gives with
another is not overwritten: every row of that key is rejected ``IDENTITY_CONFLICT`` — unless
the file says it is a dated name change (``name_changed_on``, optionally ``former_name``).
Names are compared after normalisation (NFKC, case, whitespace and middle dots ignored), so a
full-width letter or a stray space never conflicts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from tracer.domain.keys import PersonKey
from tracer.domain.masking import mask_number
from tracer.loaders import checks
from tracer.loaders.batch import Batch
from tracer.loaders.checks import Context
from tracer.loaders.names import StoredName, display_names, name_key
from tracer.loaders.read import FILE, LINE

#: Optional columns of ``persons`` and ``enterprises`` that declare a dated name change.
NAME_CHANGE_COLUMNS = ("name_changed_on", "former_name")


@dataclass(frozen=True)
class NameChange:
    """One dated name change to record (a ``NameChange`` node)."""

    change_id: str
    name: str
    former_name: str | None
    changed_on: date


def _label(entity: str, key: Hashable) -> str:
    """The key as a message may show it: a person's number masked, a USCC in full."""
    if isinstance(key, PersonKey):
        return f"id_number {mask_number(key.id_number)}"
    return f"uscc {key}"


def _token(entity: str, key: Hashable) -> str:
    if isinstance(key, PersonKey):
        return f"{entity}\x1f{key.id_type}\x1f{key.id_number}"
    return f"{entity}\x1f{key!s}"


def change_id(entity: str, key: Hashable, changed_on: date, name: str) -> str:
    """The stable id of a name change: a hash of the subject, the date and the new name."""
    text = "\x1f".join((_token(entity, key), changed_on.isoformat(), name_key(name) or ""))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class Resolution:
    """The outcome for one stem: rows rejected, the name each key is written with, the changes."""

    def __init__(self) -> None:
        self.names: dict[Hashable, str | None] = {}
        self.changes: dict[Hashable, list[NameChange]] = {}
        self.conflicts: dict[Hashable, tuple[list[Any], str]] = {}


def resolve(
    batch: Batch, ctx: Context, frame: pd.DataFrame, key_column: str, entity: str
) -> dict[Hashable, list[NameChange]]:
    """Check the names of ``frame`` (columns ``key_column`` and ``name``) against this batch
    and the graph: reject the rows of conflicting keys, put the name each key is written with
    into ``frame['name']``, and return the name changes to record per key."""
    changed_on = checks.dates(batch, "name_changed_on")
    former = display_names(batch.text("former_name"))
    usable = batch.good & frame[key_column].notna() & frame["name"].notna()
    keys = frame[key_column][usable]
    stored = ctx.graph.names(entity, keys.tolist()) if ctx.graph is not None else {}
    # a key given once, undated and unknown to the graph keeps its name: nothing to resolve
    involved = keys.duplicated(keep=False) | changed_on[usable].notna()
    if stored:
        involved |= checks.member(keys, set(stored))
    groups: dict[Hashable, list[Any]] = {}
    for index, key in keys[involved].items():
        groups.setdefault(key, []).append(index)
    outcome = Resolution()
    for key, indexes in groups.items():
        given = {index: str(frame.at[index, "name"]) for index in indexes}
        _resolve_key(batch, key, given, changed_on, former, stored.get(key), entity, outcome)
    conflicted = ctx.conflicted.setdefault(entity, set())
    for key, (indexes, message) in outcome.conflicts.items():
        conflicted.add(key)
        rows = np.zeros(len(batch.frame), dtype=bool)
        rows[batch.frame.index.get_indexer(pd.Index(indexes))] = True  # not isin: once per key
        batch.reject(pd.Series(rows, index=batch.frame.index), "name", "IDENTITY_CONFLICT", message)
    renamed = checks.member(frame[key_column], set(outcome.names))
    if renamed.any():
        frame.loc[renamed, "name"] = pd.Series(
            [outcome.names[key] for key in frame[key_column][renamed]],
            index=frame.index[renamed],
            dtype=object,
        )
    return outcome.changes


def _places(batch: Batch, indexes: list[Any]) -> str:
    frame = batch.frame
    return ", ".join(f"{frame.at[i, FILE]!s}:{frame.at[i, LINE]!s}" for i in indexes[:10])


def _resolve_key(
    batch: Batch,
    key: Hashable,
    names: dict[Any, str],
    changed_on: pd.Series,
    former: pd.Series,
    stored: StoredName | None,
    entity: str,
    outcome: Resolution,
) -> None:
    indexes = list(names)
    keys = {index: name_key(name) for index, name in names.items()}
    dated = [index for index in indexes if changed_on[index] is not None]
    current = max(dated, key=lambda index: (changed_on[index], index)) if dated else indexes[0]
    explained = {keys[current], *(keys[i] for i in dated)}
    explained |= {name_key(former[i]) for i in dated if former[i] is not None}
    label = _label(entity, key)
    if any(keys[index] not in explained for index in indexes):
        shown = sorted({names[i] for i in indexes})
        outcome.conflicts[key] = (
            indexes,
            f"{label} appears with different names ({', '.join(shown[:5])}) at "
            f"{_places(batch, indexes)}; every copy is rejected (a dated name change needs "
            "name_changed_on and former_name)",
        )
        return
    name: str | None = names[current]
    if stored is not None and stored.name is not None:
        stored_key = name_key(stored.name)
        changed = bool(dated) and (any(former[i] is None for i in dated) or stored_key in explained)
        if stored_key != keys[current] and not changed:
            if keys[current] not in stored.known:
                known = f" ({stored.name})" if entity == "enterprise" else ""
                outcome.conflicts[key] = (
                    indexes,
                    f"{label} is in the graph under another name{known}: not overwritten "
                    "(a dated name change needs name_changed_on and former_name)",
                )
                return
            name = stored.name  # an older delivery: the graph's later name is kept
    outcome.names[key] = name
    changes = []
    for index in dated:
        previous = former[index] or next(
            (names[i] for i in indexes if i not in dated and keys[i] != keys[index]), None
        )
        if previous is None and stored is not None and name_key(stored.name) != keys[index]:
            previous = stored.name
        day = changed_on[index]
        changes.append(
            NameChange(change_id(entity, key, day, names[index]), names[index], previous, day)
        )
    outcome.changes[key] = list({change.change_id: change for change in changes}.values())
