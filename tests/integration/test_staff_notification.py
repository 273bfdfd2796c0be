"""Golden scenarios of R9 (DOMAIN.md §5): a finding against public-sector staff notifies the
employer and the discipline-inspection and organisation/personnel departments over it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.domain.keys import PersonKey
from tracer.queries.catalogue import cypher
from tracer.queries.liability import check_person, finding_reach
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

D = dt.date
DECIDED = D(2021, 5, 10)
AS_OF = D(2022, 1, 1)
SOE = uscc(801, division="500103")
PRIVATE = uscc(802, division="500103")


def _employ(
    runner: QueryRunner,
    person: PersonKey,
    employer: str,
    public_sector: bool,
    start: dt.date,
    end: dt.date | None = None,
    kind: str = "enterprise",
) -> None:
    props = {"public_sector": public_sector, **({"end_date": end} if end else {})}
    row = {
        "id_type": person.id_type,
        "id_number": person.id_number,
        "employer_id": employer,
        "start_date": start,
        "props": props,
    }
    runner.write(cypher(f"load_employments_{kind}"), rows=[row])


@pytest.fixture()
def staff(runner: QueryRunner) -> dict[str, PersonKey]:
    """A state-owned employer in 渝中区 supervised by the city SASAC, departments of the two kinds
    (by stored kind and by name), one in another region, and four persons with findings."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("CQ-SASAC", "重庆市国资委", kind="SASAC", region_code="500000")
    g.department("CQ-JW", "重庆市纪委监委", region_code="500000")
    g.department("CQ-ZZB", "中共重庆市委组织部", region_code="500000")
    g.department("YZ-JJ", "渝中区纪检监察", kind="DISCIPLINE_INSPECTION", region_code="500103")
    g.department("BJ-ZZB", "中共北京市委组织部", region_code="110000")
    g.department("BJ-CZ", "北京市财政局", region_code="110000")
    g.enterprise(SOE, "国有甲", ownership="STATE", region_code="500103", superior="CQ-SASAC")
    g.enterprise(PRIVATE, "民营乙", ownership="PRIVATE", region_code="500103")
    people = {
        name: g.person(resident_id(800 + index), name)
        for index, name in enumerate(("在职", "民营", "离职", "机关"))
    }
    for name, person in people.items():
        g.finding(f"F-{name}", person, decided_on=DECIDED, category="MARKET_ORDER")
    g.finding("F-SOE", SOE, decided_on=DECIDED, category="MARKET_ORDER")
    g.write(runner)
    _employ(runner, people["在职"], SOE, True, D(2015, 1, 1))
    _employ(runner, people["民营"], PRIVATE, False, D(2015, 1, 1))
    _employ(runner, people["离职"], SOE, True, D(2015, 1, 1), end=D(2020, 12, 31))
    _employ(runner, people["机关"], "BJ-CZ", True, D(2016, 3, 1), kind="department")
    return people


def test_public_sector_staff_notifies_employer_and_both_departments(
    runner: QueryRunner, staff: dict[str, PersonKey]
) -> None:
    reach = finding_reach(runner, "F-在职", AS_OF)
    assert {(n.rule, n.relation, n.code) for n in reach.notified} == {
        ("R9", "EMPLOYER", SOE),
        ("R9", "DISCIPLINE_INSPECTION", "YZ-JJ"),  # the employer's region, stored kind
        ("R9", "DISCIPLINE_INSPECTION", "CQ-JW"),  # the superior's region, kind by name
        ("R9", "ORGANISATION_PERSONNEL", "CQ-ZZB"),
    }
    assert all(
        n.effect == "NOTIFICATION" and n.measures == ["NOTIFICATION"] and "118号" in n.source
        for n in reach.notified
    )
    # an organisation is notified; the person gets nothing restricting from R9
    check = check_person(runner, staff["在职"], AS_OF)
    assert "R9" not in {item.rule for item in check.liabilities}


def test_private_sector_and_ended_employment_notify_nobody(
    runner: QueryRunner, staff: dict[str, PersonKey]
) -> None:
    assert finding_reach(runner, "F-民营", AS_OF).notified == []
    assert finding_reach(runner, "F-离职", AS_OF).notified == []


def test_department_employer_without_such_departments_is_reported_missing(
    runner: QueryRunner, staff: dict[str, PersonKey]
) -> None:
    notified = finding_reach(runner, "F-机关", AS_OF).notified
    assert {(n.relation, n.code, n.missing is not None) for n in notified} == {
        ("EMPLOYER", "BJ-CZ", False),
        ("DISCIPLINE_INSPECTION", None, True),
        ("ORGANISATION_PERSONNEL", "BJ-ZZB", False),
    }


def test_no_notice_before_the_decision_and_none_for_enterprise_findings(
    runner: QueryRunner, staff: dict[str, PersonKey]
) -> None:
    assert finding_reach(runner, "F-在职", D(2021, 1, 1)).notified == []
    soe = finding_reach(runner, "F-SOE", AS_OF).notified
    assert soe and {n.rule for n in soe} == {"R6"}
