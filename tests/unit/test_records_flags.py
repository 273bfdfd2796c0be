"""Flags of credit commitments and interviews on a date, and which of them are bad records of
the green channel's window (DOMAIN.md §10, §13) — no database."""

from __future__ import annotations

import datetime as dt

from tracer.queries.records import (
    CommitmentRecord,
    InterviewRecord,
    RecordDepartment,
    SubjectRecords,
    _flags_commitment,
    _unrectified,
    credit_bad_records,
)

D = dt.date
MKT = RecordDepartment(code="MKT01")


def test_commitment_flags_on_a_date() -> None:
    record = {"committed_on": D(2025, 1, 1), "due_on": D(2025, 6, 30)}
    assert _flags_commitment(record, D(2025, 6, 30)) == []  # due that day
    assert _flags_commitment(record, D(2025, 7, 1)) == ["OVERDUE"]
    fulfilled = {**record, "fulfilled_on": D(2025, 8, 1)}
    assert _flags_commitment(fulfilled, D(2025, 7, 15)) == ["OVERDUE"]  # not fulfilled yet
    assert _flags_commitment(fulfilled, D(2025, 8, 1)) == []
    breached = {**record, "breached_on": D(2025, 3, 1)}
    assert _flags_commitment(breached, D(2025, 2, 28)) == []
    assert _flags_commitment(breached, D(2025, 9, 1)) == ["BREACHED"]


def test_interview_unrectified_after_its_deadline_until_rectified() -> None:
    record = {"held_on": D(2025, 1, 1), "rectify_by": D(2025, 2, 1)}
    assert not _unrectified(record, D(2025, 2, 1))
    assert _unrectified(record, D(2025, 2, 2))
    assert not _unrectified({**record, "rectified_on": D(2025, 3, 1)}, D(2025, 3, 1))
    assert not _unrectified({"held_on": D(2025, 1, 1)}, D(2030, 1, 1))  # no deadline


def _interview(kind: str, deadline: dt.date, rectified: dt.date | None) -> InterviewRecord:
    return InterviewRecord(
        interview_id=f"I-{kind}-{deadline}",
        kind="WARNING" if kind == "WARNING" else "PROMPT",
        department=MKT,
        held_on=deadline - dt.timedelta(days=30),
        rectify_by=deadline,
        rectified_on=rectified,
        flags=[],
    )


def test_bad_records_in_the_window() -> None:
    start, end = D(2023, 6, 1), D(2026, 6, 1)
    commitments = [
        CommitmentRecord(
            commitment_id=f"C-{breached}",
            department=MKT,
            committed_on=D(2020, 1, 1),
            breached_on=breached,
            flags=[],
        )
        for breached in (D(2023, 5, 31), D(2024, 1, 1), None)
    ]
    interviews = [
        _interview("WARNING", D(2025, 1, 1), None),  # still unrectified: current
        _interview("WARNING", D(2024, 1, 1), D(2024, 3, 1)),  # late, rectified in the window
        _interview("WARNING", D(2023, 1, 1), D(2023, 5, 1)),  # rectified before the window
        _interview("WARNING", D(2025, 1, 1), D(2024, 12, 20)),  # on time: never a bad record
        _interview("PROMPT", D(2025, 1, 1), None),  # a reminder, not a bad record
        _interview("WARNING", D(2026, 6, 1), None),  # its deadline is today: not yet
    ]
    records = SubjectRecords(as_of=end, commitments=commitments, interviews=interviews)
    found = credit_bad_records(records, start, end)
    assert [(r.kind, r.record_id, r.ended, r.current) for r in found] == [
        ("COMMITMENT_BREACHED", "C-2024-01-01", D(2024, 1, 1), False),
        ("INTERVIEW_UNRECTIFIED", "I-WARNING-2025-01-01", None, True),
        ("INTERVIEW_UNRECTIFIED", "I-WARNING-2024-01-01", D(2024, 3, 1), False),
    ]
    assert found[1].since == D(2025, 1, 2)
