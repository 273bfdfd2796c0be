"""Batched, idempotent writes of validated rows: ``UNWIND $rows AS row MERGE …`` on the
constrained keys, one managed transaction per batch (so a retried or repeated batch is safe)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracer.domain.clock import Clock
from tracer.domain.errors import Conflict, InvalidInput, NotFound, TracerError
from tracer.domain.keys import PersonKey
from tracer.loaders.batch import Reject
from tracer.loaders.identity import NameChange
from tracer.loaders.lookup import GraphKeys
from tracer.queries.catalogue import cypher
from tracer.queries.lifecycle import (
    FindingInput,
    record_findings,
    release_person,
    transition_finding,
)
from tracer.queries.names import NameKeys, NameKeyTable, name_key_table
from tracer.queries.runner import QueryRunner
from tracer.queries.timeline import history

#: Rows per transaction, measured with bench/bench_load.py (see docs/LOADING.md).
BATCH_SIZE = 1_000

Param = dict[str, Any]
Progress = Callable[[int], None]


class IncompleteWrite(TracerError):
    """A batch wrote fewer rows than it was given (a referenced node vanished mid-load)."""

    title = "Incomplete write"


@dataclass(frozen=True)
class Step:
    """One Cypher statement and its parameter rows; ``counts`` says whether its rows are the
    stem's rows (for progress) or a secondary pass (e.g. superiors)."""

    query: str
    rows: list[Param]
    counts: bool = True


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


def _records(frame: pd.DataFrame, columns: Iterable[str]) -> Iterator[dict[str, Any]]:
    names = list(columns)
    for values in zip(*(frame[name] for name in names), strict=True):
        yield {name: _clean(value) for name, value in zip(names, values, strict=True)}


def _props(record: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Only the given (non-null) properties: an absent value never erases a stored one."""
    return {name: record[name] for name in names if record[name] is not None}


def _named(props: dict[str, Any], keys: NameKeyTable) -> dict[str, Any]:
    """The properties with the pinyin search keys of the name, when a name is given."""
    name = props.get("name")
    return {**props, **NameKeys.of(keys[name]).properties()} if isinstance(name, str) else props


def name_table(stem: str, rows: pd.DataFrame, known: NameKeyTable | None = None) -> NameKeyTable:
    """The pinyin keys of the names in a stem's validated rows (empty for a stem whose nodes
    carry none); computed once for a stem written in chunks, since chunks repeat names. With
    ``known`` (the table of the stem's rows written before), that table with the new names."""
    table = {} if known is None else known
    if stem in ("enterprises", "persons"):
        table.update(name_key_table(name for name in rows["name"] if name not in table))
    return table


def _person(key: PersonKey | None) -> tuple[str | None, str | None]:
    if key is None:
        return None, None
    return key.id_type, key.id_number


def _steps_departments(rows: pd.DataFrame, _names: NameKeyTable) -> list[Step]:
    records = list(_records(rows, ["code", "name", "region_code", "superior_code", "kind"]))
    props = ("name", "region_code", "kind")
    return [
        Step(
            "load_departments",
            [{"code": r["code"], "props": _props(r, props)} for r in records],
        ),
        Step(
            "load_department_superiors",
            [
                {"code": r["code"], "superior_code": r["superior_code"]}
                for r in records
                if r["superior_code"] is not None
            ],
            counts=False,
        ),
    ]


def _name_changes(changes: list[NameChange]) -> Iterator[Param]:
    for change in changes:
        props = {"name": change.name, "changed_on": change.changed_on}
        if change.former_name is not None:
            props["former_name"] = change.former_name
        yield {"change_id": change.change_id, "props": props}


def _steps_enterprises(rows: pd.DataFrame, names: NameKeyTable) -> list[Step]:
    props = ("name", "kind", "ownership", "status", "region_code", "established_on", "address")
    records = list(_records(rows, ["uscc", *props, "superior_department", "name_changes"]))
    return [
        Step(
            "load_enterprises",
            [{"uscc": r["uscc"], "props": _named(_props(r, props), names)} for r in records],
        ),
        Step(
            "load_enterprise_supervisors",
            [
                {"uscc": r["uscc"], "department": r["superior_department"]}
                for r in records
                if r["superior_department"] is not None
            ],
            counts=False,
        ),
        Step(
            "load_enterprise_name_changes",
            [
                {"uscc": r["uscc"], **change}
                for r in records
                for change in _name_changes(r["name_changes"] or [])
            ],
            counts=False,
        ),
    ]


def _steps_persons(rows: pd.DataFrame, names: NameKeyTable) -> list[Step]:
    params, changes = [], []
    for r in _records(rows, ["person", "name", "nationality", "name_changes"]):
        kind, number = _person(r["person"])
        params.append(
            {
                "id_type": kind,
                "id_number": number,
                "props": _named(_props(r, ("name", "nationality")), names),
            }
        )
        for change in _name_changes(r["name_changes"] or []):
            changes.append({"id_type": kind, "id_number": number, **change})
    return [
        Step("load_persons", params),
        Step("load_person_name_changes", changes, counts=False),
    ]


def _steps_positions(rows: pd.DataFrame, _names: NameKeyTable) -> list[Step]:
    params = []
    for r in _records(rows, ["uscc", "person", "role", "start_date", "end_date"]):
        kind, number = _person(r.pop("person"))
        params.append({**r, "id_type": kind, "id_number": number})
    return [Step("load_positions", params)]


def _steps_shareholdings(rows: pd.DataFrame, _names: NameKeyTable) -> list[Step]:
    by_kind: dict[str, list[Param]] = {"PERSON": [], "ENTERPRISE": [], "DEPARTMENT": []}
    props = ("share", "share_min", "share_max", "start_date", "end_date", "record_id")
    for r in _records(rows, ["investee", "holder_kind", "holder", "start_key", *props]):
        param: Param = {
            "investee": r["investee"],
            "start_key": r["start_key"],
            "holder_id": r["holder"],
            "props": _props(r, props),
        }
        if r["holder_kind"] == "PERSON":
            param["holder_id_type"], param["holder_id"] = _person(r["holder"])
        by_kind[r["holder_kind"]].append(param)
    return [
        Step(f"load_shareholdings_{kind.lower()}", params)
        for kind, params in by_kind.items()
        if params
    ]


def _steps_practitioners(rows: pd.DataFrame, _names: NameKeyTable) -> list[Step]:
    params = []
    columns = ["person", "uscc", "qualification", "certificate_no", "start_date", "end_date"]
    for r in _records(rows, columns):
        kind, number = _person(r["person"])
        params.append(
            {
                "id_type": kind,
                "id_number": number,
                "uscc": r["uscc"],
                "qualification": r["qualification"],
                "start_date": r["start_date"],
                "props": _props(r, ("certificate_no", "end_date")),
            }
        )
    return [Step("load_practitioners", params)]


def _subject(kind: str, key: Any) -> dict[str, Any]:
    if kind == "PERSON":
        id_type, number = _person(key)
        return {"subject_uscc": None, "subject_id_type": id_type, "subject_id_number": number}
    return {"subject_uscc": key, "subject_id_type": None, "subject_id_number": None}


def _steps_finding_persons(rows: pd.DataFrame, _names: NameKeyTable) -> list[Step]:
    params = []
    for r in _records(rows, ["finding_id", "person", "capacity", "effective_on"]):
        kind, number = _person(r.pop("person"))
        params.append({**r, "id_type": kind, "id_number": number})
    return [Step("load_finding_persons", params)]


def _steps_redlist(rows: pd.DataFrame, _names: NameKeyTable) -> list[Step]:
    params = []
    columns = ["honour_id", "subject_kind", "subject", "honour", "granted_by", "granted_on"]
    for r in _records(rows, [*columns, "valid_until"]):
        params.append(
            {
                "honour_id": r["honour_id"],
                "props": _props(r, ("honour", "granted_by", "granted_on", "valid_until")),
                **_subject(r["subject_kind"], r["subject"]),
            }
        )
    return [Step("load_honours", params)]


def _steps_employments(rows: pd.DataFrame, _names: NameKeyTable) -> list[Step]:
    by_kind: dict[str, list[Param]] = {"ENTERPRISE": [], "DEPARTMENT": []}
    columns = ["person", "employer_kind", "employer", "public_sector", "start_date", "end_date"]
    for r in _records(rows, columns):
        kind, number = _person(r["person"])
        by_kind[r["employer_kind"]].append(
            {
                "id_type": kind,
                "id_number": number,
                "employer_id": r["employer"],
                "start_date": r["start_date"],
                "props": _props(r, ("public_sector", "end_date")),
            }
        )
    return [
        Step(f"load_employments_{kind.lower()}", params)
        for kind, params in by_kind.items()
        if params
    ]


def _record_steps(rows: pd.DataFrame, key: str, props: tuple[str, ...], query: str) -> list[Step]:
    params = [
        {
            key: r[key],
            "department": r["department"],
            "props": _props(r, props),
            **_subject(r["subject_kind"], r["subject"]),
        }
        for r in _records(rows, [key, "subject_kind", "subject", "department", *props])
    ]
    return [Step(query, params)]


def _steps_commitments(rows: pd.DataFrame, _names: NameKeyTable) -> list[Step]:
    props = ("matter", "committed_on", "due_on", "fulfilled_on", "breached_on")
    return _record_steps(rows, "commitment_id", props, "load_commitments")


def _steps_interviews(rows: pd.DataFrame, _names: NameKeyTable) -> list[Step]:
    props = ("kind", "held_on", "rectify_by", "rectified_on")
    return _record_steps(rows, "interview_id", props, "load_interviews")


#: Each stem's statements and parameter rows, from its validated rows and ``name_table`` of them
#: (or of the whole stem, when written in chunks).
STEPS: dict[str, Callable[[pd.DataFrame, NameKeyTable], list[Step]]] = {
    "departments": _steps_departments,
    "enterprises": _steps_enterprises,
    "persons": _steps_persons,
    "positions": _steps_positions,
    "shareholdings": _steps_shareholdings,
    "practitioners": _steps_practitioners,
    "finding_persons": _steps_finding_persons,
    "redlist": _steps_redlist,
    "employments": _steps_employments,
    "commitments": _steps_commitments,
    "interviews": _steps_interviews,
}


def _finding_inputs(rows: pd.DataFrame) -> Iterator[tuple[str, FindingInput]]:
    columns = [
        "finding_id", "subject_kind", "subject", "list_type", "category", "ground", "severe",
        "exit_restricted", "authority", "basis", "act_date", "decided_on", "effective_until",
        "status", "status_since", "file",
    ]  # fmt: skip
    for r in _records(rows, columns):
        person = r["subject"] if r["subject_kind"] == "PERSON" else None
        yield (
            str(r.pop("file")),
            FindingInput(
                subject_uscc=None if person else r["subject"],
                subject_person=person,
                **{
                    k: v
                    for k, v in r.items()
                    if k not in ("subject", "subject_kind") and v is not None
                },
            ),
        )


def write_findings(
    runner: QueryRunner,
    rows: pd.DataFrame,
    clock: Clock,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Write findings through the engine's recording path (transitions and status lines in the
    same statement as the finding), in batches."""
    inputs = list(_finding_inputs(rows))
    written = 0
    for start in range(0, len(inputs), batch_size):
        chunk = inputs[start : start + batch_size]
        by_file: dict[str, list[FindingInput]] = {}
        for file, item in chunk:
            by_file.setdefault(file, []).append(item)
        for file, items in by_file.items():
            count = record_findings(runner, items, f"loader:{file}", clock)
            if count != len(items):
                raise IncompleteWrite(
                    f"findings: {len(items) - count} of {len(items)} rows were not written; "
                    "run the load again"
                )
            written += count
        if progress is not None:
            progress(len(chunk))
    return written


#: A change as the history holds it: to_status, effective_on, new_effective_until.
ChangeKey = tuple[str, Any, Any]


def _recorded(runner: QueryRunner, finding_ids: Iterable[str]) -> dict[str, set[ChangeKey]]:
    """The changes each finding's stored history holds (one look-up for the whole file), so a
    row loaded before is skipped."""
    states = GraphKeys(runner).findings(finding_ids)
    return {
        finding_id: {
            (change.to_status, change.effective_on, change.new_effective_until)
            for change in history(state)
        }
        for finding_id, state in states.items()
    }


#: Reason codes of a transition the lifecycle refused, by error (else ``REFUSED``).
REFUSALS: tuple[tuple[type[TracerError], str], ...] = (
    (Conflict, "ILLEGAL_TRANSITION"),
    (InvalidInput, "BAD_VALUE"),
    (NotFound, "REF_FINDING"),
)


def _refusal(error: TracerError) -> str:
    return next((reason for kind, reason in REFUSALS if isinstance(error, kind)), "REFUSED")


def write_transitions(
    runner: QueryRunner, rows: pd.DataFrame, clock: Clock, progress: Progress | None = None
) -> tuple[int, list[Reject]]:
    """Apply status changes and releases row by row, in file order, through the lifecycle (the
    checks of the command line); a refused row is returned as a reject with the reason."""
    written, rejects = 0, []
    columns = [
        "finding_id", "to_status", "effective_on", "actor", "reason", "document",
        "new_effective_until", "person", "line", "file", "raw",
    ]  # fmt: skip
    recorded = _recorded(runner, rows["finding_id"])
    for r in _records(rows, columns):
        change = (r["to_status"], r["effective_on"], r["new_effective_until"])
        known = recorded.setdefault(r["finding_id"], set())
        try:
            if r["to_status"] == "RELEASED":
                release_person(
                    runner, r["finding_id"], r["person"], r["actor"], r["reason"],
                    r["effective_on"], document=r["document"], clock=clock,
                )  # fmt: skip
            elif change not in known:
                transition_finding(
                    runner, r["finding_id"], r["to_status"], r["actor"], r["reason"],
                    r["effective_on"], r["document"], r["new_effective_until"], clock,
                )  # fmt: skip
                known.add(change)
            written += 1
        except TracerError as exc:
            rejects.append(
                Reject(
                    str(r["file"]),
                    int(r["line"]),
                    "to_status",
                    _refusal(exc),
                    str(exc),
                    str(r["raw"]),
                )
            )
        if progress is not None:
            progress(1)
    return written, rejects


def write_stem(
    runner: QueryRunner,
    stem: str,
    rows: pd.DataFrame,
    clock: Clock,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Write one stem's validated rows in batches; returns the rows written by its main steps."""
    written = 0
    for step in STEPS[stem](rows, name_table(stem, rows)):
        query = cypher(step.query)
        for start in range(0, len(step.rows), batch_size):
            chunk = step.rows[start : start + batch_size]
            result = runner.write(query, rows=chunk, recorded_at=clock.now())
            count = int(result[0]["written"]) if result else 0
            if count != len(chunk):
                raise IncompleteWrite(
                    f"{stem}: {len(chunk) - count} of {len(chunk)} rows were not written "
                    "(a referenced node disappeared during the load); run the load again"
                )
            if step.counts:
                written += count
                if progress is not None:
                    progress(count)
    return written
