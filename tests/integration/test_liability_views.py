"""Batch checks, the enterprise and finding views, the profile, and controller candidates."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.errors import NotFound
from tracer.domain.keys import PersonKey
from tracer.queries.liability import (
    DERIVED_CONTROLLER,
    Check,
    check_people,
    check_person,
    enterprise_liabilities,
    finding_reach,
    findings_reach,
)
from tracer.queries.models import PersonRef
from tracer.queries.profile import enterprise_profile
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
AS_OF = D(2022, 1, 1)
CO, HOLDING, OTHER = uscc(31), uscc(32), uscc(33)


@pytest.fixture()
def scene(runner: QueryRunner) -> tuple[QueryRunner, dict[str, PersonKey]]:
    """CO is listed twice; its former LR is liable, its new LR exposed; OWNER controls CO through
    HOLDING (derived); a director and a practitioner are around; CO holds an honour."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.enterprise(CO, "甲公司", region_code="500103", established_on=D(2010, 3, 1))
    g.enterprise(HOLDING, "控股公司")
    g.enterprise(OTHER, "乙公司")
    people = {
        role: PersonKey(*g.person(resident_id(number), name))
        for role, number, name in (
            ("former", 41, "前法代"),
            ("current", 42, "现法代"),
            ("owner", 43, "幕后人"),
            ("director", 44, "董事"),
            ("builder", 45, "建造师"),
            ("outsider", 46, "路人"),
        )
    }
    g.holds(people["former"], CO, "LEGAL_REPRESENTATIVE", D(2012, 1, 1), D(2020, 12, 31))
    g.holds(people["current"], CO, "LEGAL_REPRESENTATIVE", D(2021, 1, 1))
    g.holds(people["former"], OTHER, "DIRECTOR", D(2015, 1, 1))
    g.holds(people["director"], CO, "DIRECTOR", D(2012, 1, 1))
    g.registered(people["builder"], CO, D(2016, 1, 1), certificate_no="渝1502020202")
    g.owns(people["owner"], HOLDING, 0.8, D(2012, 1, 1))
    g.owns(HOLDING, CO, 0.6, D(2012, 1, 1))
    g.honour(CO, "守合同重信用企业", D(2018, 1, 1), "市场监管局", D(2020, 12, 31))
    g.finding("F1", CO, decided_on=D(2021, 6, 1), act_date=D(2020, 6, 1))
    g.finding("F2", CO, decided_on=D(2023, 1, 1), act_date=D(2021, 6, 1))  # after AS_OF
    g.write(runner)
    return runner, people


def person_number(answer: Check) -> str | None:
    assert isinstance(answer.subject, PersonRef)
    return answer.subject.id_number


def test_check_people_equals_check_person_in_order(
    scene: tuple[QueryRunner, dict[str, PersonKey]],
) -> None:
    runner, people = scene
    keys = [*people.values(), PersonKey("RESIDENT_ID", resident_id(98)), people["former"]]
    batch = check_people(runner, keys, AS_OF, measure="HONOURS_REVOKED")
    assert [person_number(c) for c in batch] == [key.id_number for key in keys]
    for key, answer in zip(keys, batch, strict=True):
        assert answer == check_person(runner, key, AS_OF, measure="HONOURS_REVOKED")
    assert [c.restricted for c in batch] == [True, False, False, False, False, False, False, True]
    # a person-level market ban needs a legal basis this finding does not give: eligible only
    former = check_person(runner, people["former"], AS_OF, measure="MARKET_BAN")
    assert former.liable and not former.restricted
    assert check_people(runner, [], AS_OF) == []


def test_enterprise_liabilities_separates_liable_exposed_and_candidates(
    scene: tuple[QueryRunner, dict[str, PersonKey]],
) -> None:
    runner, people = scene
    result = enterprise_liabilities(runner, CO, AS_OF)
    assert [(f.finding_id, f.applies) for f in result.findings] == [("F1", True), ("F2", False)]
    assert result.findings[1].not_applying_reason == "decided on 2023-01-01, after 2022-01-01"
    assert [p.person.id_number for p in result.liable] == [people["former"][1]]
    assert {item.rule for item in result.liable[0].liabilities} == {"R1", "R2", "R3", "R4"}
    by_person = {(e.person.name if e.person else None, e.reason) for e in result.exposures}
    assert by_person == {("现法代", "appointed after the act"), ("幕后人", DERIVED_CONTROLLER)}
    candidate = next(e for e in result.exposures if e.candidate)
    assert candidate.role == "ACTUAL_CONTROLLER" and candidate.chains
    assert not check_person(runner, people["owner"], AS_OF).restricted  # inference, not liability
    document = result.model_dump_json()  # ID numbers masked unless a role reveals them
    assert people["former"].id_number not in document
    assert people["owner"].id_number not in document


def test_finding_reach_and_not_found(scene: tuple[QueryRunner, dict[str, PersonKey]]) -> None:
    runner, _ = scene
    reach = finding_reach(runner, "F1", AS_OF)
    assert reach.enterprise is not None and reach.enterprise.uscc == CO
    assert [p.person.name for p in reach.liable] == ["前法代"]
    assert [(t.to_status, t.effective_on) for t in reach.transitions] == [("ACTIVE", D(2021, 6, 1))]
    assert reach.notified == []
    before = finding_reach(runner, "F1", D(2021, 5, 31))
    assert before.liable == [] and before.exposures == [] and not before.finding.applies
    with pytest.raises(NotFound):
        finding_reach(runner, "NOPE", AS_OF)
    with pytest.raises(NotFound):
        enterprise_liabilities(runner, uscc(99), AS_OF)


def test_findings_reach_equals_finding_reach_in_one_round_trip(
    scene: tuple[QueryRunner, dict[str, PersonKey]],
) -> None:
    runner, _ = scene
    for as_of in (AS_OF, D(2023, 6, 1)):
        bulk = findings_reach(runner, ["F2", "F1", "NOPE", "F1"], as_of)
        assert sorted(bulk) == ["F1", "F2"]
        for finding_id, reach in bulk.items():
            single = finding_reach(runner, finding_id, as_of)
            assert reach.liable == single.liable
            assert reach.exposures == [e for e in single.exposures if not e.candidate]
            assert reach.finding == single.finding and reach.notified == single.notified
    assert findings_reach(runner, [], AS_OF) == {}


def test_enterprise_profile(scene: tuple[QueryRunner, dict[str, PersonKey]]) -> None:
    runner, _ = scene
    profile = enterprise_profile(runner, CO, AS_OF)
    assert profile.enterprise.name == "甲公司" and profile.established_on == D(2010, 3, 1)
    assert [(o.person.name, o.role, o.current) for o in profile.officers] == [
        ("现法代", "LEGAL_REPRESENTATIVE", True),
        ("董事", "DIRECTOR", True),
        ("前法代", "LEGAL_REPRESENTATIVE", False),
    ]
    assert [(s.kind, s.code, s.share, s.current) for s in profile.shareholders] == [
        ("ENTERPRISE", HOLDING, 0.6, True)
    ]
    assert [(p.person.name, p.certificate_no) for p in profile.practitioners] == [
        ("建造师", "渝1502020202")
    ]
    assert [(h.honour, h.valid) for h in profile.honours] == [("守合同重信用企业", False)]
    assert [f.finding_id for f in profile.findings] == ["F1", "F2"]
    assert [p.person.name for p in profile.liable] == ["前法代"]
    with pytest.raises(NotFound):
        enterprise_profile(runner, uscc(99), AS_OF)
