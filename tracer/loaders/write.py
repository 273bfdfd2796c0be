"""Batched, idempotent writes of validated rows: ``UNWIND $rows AS row MERGE …`` on the
constrained keys, one managed transaction per batch (so a retried or repeated batch is safe)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracer.domain.errors import TracerError
from tracer.queries.catalogue import cypher
from tracer.queries.runner import QueryRunner

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


def _person(key: str | None) -> tuple[str | None, str | None]:
    if key is None:
        return None, None
    kind, number = key.split(":", 1)
    return kind, number


def _steps_departments(rows: pd.DataFrame) -> list[Step]:
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


def _steps_enterprises(rows: pd.DataFrame) -> list[Step]:
    props = ("name", "kind", "ownership", "status", "region_code", "established_on", "address")
    records = list(_records(rows, ["uscc", *props, "superior_department"]))
    return [
        Step("load_enterprises", [{"uscc": r["uscc"], "props": _props(r, props)} for r in records]),
        Step(
            "load_enterprise_supervisors",
            [
                {"uscc": r["uscc"], "department": r["superior_department"]}
                for r in records
                if r["superior_department"] is not None
            ],
            counts=False,
        ),
    ]


def _steps_persons(rows: pd.DataFrame) -> list[Step]:
    params = []
    for r in _records(rows, ["person", "name", "nationality"]):
        kind, number = _person(r["person"])
        params.append(
            {"id_type": kind, "id_number": number, "props": _props(r, ("name", "nationality"))}
        )
    return [Step("load_persons", params)]


def _steps_positions(rows: pd.DataFrame) -> list[Step]:
    params = []
    for r in _records(rows, ["uscc", "person", "role", "start_date", "end_date"]):
        kind, number = _person(r.pop("person"))
        params.append({**r, "id_type": kind, "id_number": number})
    return [Step("load_positions", params)]


def _steps_shareholdings(rows: pd.DataFrame) -> list[Step]:
    by_kind: dict[str, list[Param]] = {"PERSON": [], "ENTERPRISE": [], "DEPARTMENT": []}
    columns = ["investee", "holder_kind", "holder", "share", "start_date", "end_date", "start_key"]
    for r in _records(rows, columns):
        param: Param = {
            "investee": r["investee"],
            "start_key": r["start_key"],
            "holder_id": r["holder"],
            "props": _props(r, ("share", "start_date", "end_date")),
        }
        if r["holder_kind"] == "PERSON":
            param["holder_id_type"], param["holder_id"] = _person(r["holder"])
        by_kind[r["holder_kind"]].append(param)
    return [
        Step(f"load_shareholdings_{kind.lower()}", params)
        for kind, params in by_kind.items()
        if params
    ]


def _steps_practitioners(rows: pd.DataFrame) -> list[Step]:
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


_FINDING_PROPS = (
    "subject_kind",
    "subject_id",
    "list_type",
    "category",
    "authority",
    "basis",
    "act_date",
    "decided_on",
    "effective_until",
    "status",
)


def _subject(kind: str, key: str) -> dict[str, Any]:
    if kind == "PERSON":
        id_type, number = _person(key)
        return {"subject_uscc": None, "subject_id_type": id_type, "subject_id_number": number}
    return {"subject_uscc": key, "subject_id_type": None, "subject_id_number": None}


def _steps_findings(rows: pd.DataFrame) -> list[Step]:
    params = []
    columns = ["finding_id", "subject", "file", *[c for c in _FINDING_PROPS if c != "subject_id"]]
    for r in _records(rows, columns):
        r["subject_id"] = r["subject"]
        params.append(
            {
                "finding_id": r["finding_id"],
                "props": _props(r, _FINDING_PROPS),
                "actor": f"loader:{r['file']}",
                **_subject(r["subject_kind"], r["subject"]),
            }
        )
    return [Step("load_findings", params)]


def _steps_finding_persons(rows: pd.DataFrame) -> list[Step]:
    params = []
    for r in _records(rows, ["finding_id", "person", "capacity"]):
        kind, number = _person(r.pop("person"))
        params.append({**r, "id_type": kind, "id_number": number})
    return [Step("load_finding_persons", params)]


def _steps_redlist(rows: pd.DataFrame) -> list[Step]:
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


STEPS: dict[str, Callable[[pd.DataFrame], list[Step]]] = {
    "departments": _steps_departments,
    "enterprises": _steps_enterprises,
    "persons": _steps_persons,
    "positions": _steps_positions,
    "shareholdings": _steps_shareholdings,
    "practitioners": _steps_practitioners,
    "findings": _steps_findings,
    "finding_persons": _steps_finding_persons,
    "redlist": _steps_redlist,
}


def write_stem(
    runner: QueryRunner,
    stem: str,
    rows: pd.DataFrame,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Write one stem's validated rows in batches; returns the rows written by its main steps."""
    written = 0
    for step in STEPS[stem](rows):
        query = cypher(step.query)
        for start in range(0, len(step.rows), batch_size):
            chunk = step.rows[start : start + batch_size]
            result = runner.write(query, rows=chunk)
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
