"""Loading employments, credit commitments and interviews: good rows land with their edges, bad
rows are rejected with reason codes, and a second load changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from tests.fixtures.graph_builder import resident_id, uscc
from tests.integration.test_load import fingerprint
from tracer.domain.clock import Clock
from tracer.loaders.load import load_directory
from tracer.queries.runner import QueryRunner

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
CLOCK = Clock(now=lambda: NOW)
ENTERPRISE = uscc(501)
PERSON = resident_id(501)
OTHER = resident_id(502)


def _write(folder: Path, stem: str, rows: list[dict[str, str]]) -> None:
    with (folder / f"{stem}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _directory(folder: Path) -> Path:
    _write(folder, "departments", [{"code": "D1", "name": "重庆市市场监管局"}])
    _write(folder, "enterprises", [{"uscc": ENTERPRISE, "name": "甲公司"}])
    _write(
        folder,
        "persons",
        [{"id_number": PERSON, "name": "张三"}, {"id_number": OTHER, "name": "李四"}],
    )
    employment = {
        "id_number": PERSON,
        "employer_kind": "DEPARTMENT",
        "employer_id": "D1",
        "public_sector": "true",
        "start_date": "2018-01-01",
        "end_date": "",
    }
    _write(
        folder,
        "employments",
        [
            employment,
            {
                **employment,
                "id_number": OTHER,
                "employer_kind": "ENTERPRISE",
                "employer_id": ENTERPRISE,
                "public_sector": "",
            },
            {**employment, "end_date": "2017-01-01", "start_date": "2019-01-01"},  # DATE_ORDER
            {**employment, "employer_id": "NOPE"},  # REF_DEPARTMENT
            {**employment, "employer_kind": "SCHOOL"},  # CODE_UNKNOWN
        ],
    )
    commitment = {
        "commitment_id": "C1",
        "subject_kind": "",
        "subject_id": ENTERPRISE,
        "matter": "告知承诺：食品经营许可",
        "department": "D1",
        "committed_on": "2024-03-01",
        "due_on": "2024-09-01",
        "fulfilled_on": "",
        "breached_on": "2024-10-01",
    }
    _write(
        folder,
        "commitments",
        [
            commitment,
            {
                **commitment,
                "commitment_id": "C2",
                "subject_kind": "PERSON",
                "subject_id": PERSON,
                "breached_on": "",
                "fulfilled_on": "2024-05-01",
            },
            {**commitment, "commitment_id": "C3", "fulfilled_on": "2024-05-01"},  # both set
            {**commitment, "commitment_id": "C4", "due_on": "2024-01-01"},  # due before
            {**commitment, "commitment_id": "C5", "breached_on": "2099-01-01"},  # future
        ],
    )
    interview = {
        "interview_id": "I1",
        "subject_kind": "ENTERPRISE",
        "subject_id": ENTERPRISE,
        "department": "D1",
        "kind": "WARNING",
        "held_on": "2025-02-01",
        "rectify_by": "2025-03-01",
        "rectified_on": "",
    }
    _write(
        folder,
        "interviews",
        [
            interview,
            {**interview, "interview_id": "I2", "rectified_on": "2025-01-15"},  # before held
            {**interview, "interview_id": "I3", "kind": "SCOLDING"},  # CODE_UNKNOWN
            {**interview, "interview_id": "I4", "subject_id": uscc(502)},  # REF_ENTERPRISE
        ],
    )
    return folder


def _reasons(path: Path) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8-sig") as handle:  # the rejects file opens in Excel
        return {(row["file"], row["line"]): row["reason_code"] for row in csv.DictReader(handle)}


def test_three_stems_load_reject_and_reload_unchanged(runner: QueryRunner, tmp_path: Path) -> None:
    folder = _directory(tmp_path)
    report = load_directory(runner, folder, clock=CLOCK)
    counts = {stem: report.files[stem] for stem in ("employments", "commitments", "interviews")}
    assert {stem: (c.read, c.loaded, c.rejected) for stem, c in counts.items()} == {
        "employments": (5, 2, 3),
        "commitments": (5, 2, 3),
        "interviews": (4, 1, 3),
    }
    reasons = _reasons(Path(report.rejects_file))
    assert reasons == {
        ("employments.csv", "4"): "DATE_ORDER",
        ("employments.csv", "5"): "REF_DEPARTMENT",
        ("employments.csv", "6"): "CODE_UNKNOWN",
        ("commitments.csv", "4"): "FULFILLED_AND_BREACHED",
        ("commitments.csv", "5"): "DATE_ORDER",
        ("commitments.csv", "6"): "DATE_FUTURE",
        ("interviews.csv", "3"): "DATE_ORDER",
        ("interviews.csv", "4"): "CODE_UNKNOWN",
        ("interviews.csv", "5"): "REF_ENTERPRISE",
    }
    employed = runner.read(
        "MATCH (p:Person)-[e:EMPLOYED_BY]->(w) "
        "RETURN p.id_number AS person, labels(w)[0] AS label, e.public_sector AS public "
        "ORDER BY person"
    )
    assert {(r["person"], r["label"], r["public"]) for r in employed} == {
        (PERSON, "Department", True),
        (OTHER, "Enterprise", False),
    }
    records = runner.read(
        "MATCH (c:Commitment)-[:GIVEN_BY]->(s), (c)-[:RECEIVED_BY]->(d:Department) "
        "RETURN c.commitment_id AS id, labels(s)[0] AS subject, d.code AS department, "
        "c.breached_on AS breached, c.recorded_at AS recorded ORDER BY id"
    )
    assert [(r["id"], r["subject"], r["department"]) for r in records] == [
        ("C1", "Enterprise", "D1"),
        ("C2", "Person", "D1"),
    ]
    assert records[0]["breached"] == dt.date(2024, 10, 1)
    interview = runner.read_one(
        "MATCH (i:Interview)-[:OF]->(e:Enterprise), (i)-[:HELD_BY]->(d:Department) "
        "RETURN i.interview_id AS id, i.kind AS kind, e.uscc AS uscc"
    )
    assert interview == {"id": "I1", "kind": "WARNING", "uscc": ENTERPRISE}

    before = fingerprint(runner)
    load_directory(runner, folder, clock=Clock(now=lambda: NOW + dt.timedelta(days=1)))
    assert fingerprint(runner) == before
