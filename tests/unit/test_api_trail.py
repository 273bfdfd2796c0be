"""The audit trail of a request (every disclosed person, once) and ``known_on`` parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from tracer.api.audit import SubjectRefs
from tracer.api.audit.trail import Trail
from tracer.api.routes.checks import known_instant
from tracer.domain.clock import Clock
from tracer.domain.errors import InvalidInput
from tracer.domain.masking import revealing_ids
from tracer.queries.liability import Check, Exposure, PathNode, RelatedRisk
from tracer.queries.models import EnterpriseRef, PersonRef, persons_in

LISTED_ID, EXPOSED_ID = "110105198001010112", "110105198001010120"
LISTED = PersonRef.of("RESIDENT_ID", LISTED_ID, "张三")
EXPOSED = PersonRef.of("RESIDENT_ID", EXPOSED_ID, "李四")
SECRET = b"s" * 32


def _check() -> Check:
    """An enterprise check disclosing two persons (one of them twice) deep in its evidence."""
    return Check(
        subject=EnterpriseRef(uscc="91110105100000016T"),
        as_of=dt.date(2026, 1, 1),
        known=True,
        liable=False,
        restricted=False,
        liabilities=[],
        exposures=[
            Exposure(
                finding_id="F1",
                role="LEGAL_REPRESENTATIVE",
                kind="APPOINTED_AFTER_REFERENCE",
                since=None,
                reason="appointed after the act",
                person=EXPOSED,
            )
        ],
        related_risk=[
            RelatedRisk(
                relation="OFFICER",
                person=LISTED,
                finding_id="F2",
                path=[
                    PathNode(label="Person", person=LISTED),
                    PathNode(label="Person", person=EXPOSED),
                ],
            )
        ],
    )


def test_persons_in_finds_every_reference_whatever_the_masking() -> None:
    with revealing_ids(False):
        found = list(persons_in(_check()))
    assert [person.id_number for person in found] == [EXPOSED_ID, LISTED_ID, LISTED_ID, EXPOSED_ID]


def test_trail_records_each_disclosed_person_once_as_a_keyed_reference() -> None:
    subjects: list[str] = []
    trail = Trail(SubjectRefs(SECRET), subjects)
    trail.enterprise("91110105100000016T")
    trail.disclosed([_check(), _check()])
    refs = SubjectRefs(SECRET)
    assert subjects == [
        "enterprise:91110105100000016T",
        refs.person("RESIDENT_ID", EXPOSED_ID),
        refs.person("RESIDENT_ID", LISTED_ID),
    ]
    assert not any(LISTED_ID in subject for subject in subjects)


@pytest.mark.parametrize(
    "text", ["9999-12-31", "0001-01-01T00:00:00+10:00", "2024-06-01T00:00:00+19:00", "soon"]
)
def test_known_on_outside_the_instants_is_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput):
        known_instant(Clock(), text)


def test_known_on_date_is_the_end_of_that_day_here() -> None:
    assert known_instant(Clock(), None) is None
    instant = known_instant(Clock("Asia/Shanghai"), "2024-05-31")
    assert instant == dt.datetime(2024, 5, 31, 15, 59, 59, 999999, tzinfo=dt.UTC)
