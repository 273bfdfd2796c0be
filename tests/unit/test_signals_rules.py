"""Pure parts of the signals and work lists: ban windows, phoenix scores, department kinds."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer.queries.departments import derive_department_kind, region_scope
from tracer.queries.liability import Check, Liability
from tracer.queries.models import EnterpriseRef, PersonRef
from tracer.queries.signals import (
    ADDRESS_WEIGHT,
    PROXIMITY_WEIGHT,
    _breaches,
    _phoenix,
)

LISTED = "91110105000000011A"
OTHER = "91110105000000022B"
PERSON = PersonRef.of("RESIDENT_ID", "11010519800101001X", "张三")


def _ban(effect: str, decided: dt.date, until: dt.date | None) -> Liability:
    return Liability(
        finding_id="F1",
        rule="R7" if effect == "OFFICER_BAN" else "R2",
        rule_name="ban",
        via="LEGAL_REPRESENTATIVE",
        role="LEGAL_REPRESENTATIVE",
        vias=["LEGAL_REPRESENTATIVE"],
        enterprise=EnterpriseRef(uscc=LISTED),
        decided_on=decided,
        reference="DECIDED_ON",
        basis_date=decided,
        effects=[effect],
        measures=[effect],
        measure_details=[],
        restricting=True,
        effective_until=until,
        path=[],
        source="test",
    )


def _check(*liabilities: Liability) -> Check:
    return Check(
        subject=PERSON,
        as_of=dt.date(2024, 6, 1),
        known=True,
        liable=bool(liabilities),
        restricted=bool(liabilities),
        liabilities=list(liabilities),
    )


def _post(
    uscc: str, role: str, start: dt.date, end: dt.date | None = None, kind: str = "HOLDS"
) -> dict[str, object]:
    return {
        "uscc": uscc, "name": None, "kind": kind, "role": role, "start_date": start,
        "end_date": end,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("effect", "post", "breach"),
    [
        ("OFFICER_BAN", _post(OTHER, "PRINCIPAL", dt.date(2022, 1, 1)), True),  # first day
        ("OFFICER_BAN", _post(OTHER, "PRINCIPAL", dt.date(2025, 1, 1)), True),  # last day
        ("OFFICER_BAN", _post(OTHER, "PRINCIPAL", dt.date(2021, 12, 31)), True),  # held before
        (
            "OFFICER_BAN",
            _post(OTHER, "PRINCIPAL", dt.date(2020, 1, 1), dt.date(2021, 12, 31)),
            False,
        ),  # left the day before the ban
        (
            "MARKET_BAN",
            _post(OTHER, "REGISTERED_PRACTITIONER", dt.date(2023, 1, 1), kind="REGISTERED_AT"),
            True,
        ),  # a practitioner registering elsewhere during a market ban
        (
            "OFFICER_BAN",
            _post(OTHER, "REGISTERED_PRACTITIONER", dt.date(2023, 1, 1), kind="REGISTERED_AT"),
            False,
        ),
        ("OFFICER_BAN", _post(OTHER, "PRINCIPAL", dt.date(2025, 1, 2)), False),  # after the ban
        (
            "OFFICER_BAN",
            _post(OTHER, "DIRECTOR", dt.date(2023, 1, 1)),
            False,
        ),  # not an officer post
        ("MARKET_BAN", _post(OTHER, "DIRECTOR", dt.date(2023, 1, 1)), True),
        ("MARKET_BAN", _post(LISTED, "LEGAL_REPRESENTATIVE", dt.date(2023, 1, 1)), False),
        ("MARKET_BAN", _post(OTHER, "SUPERVISOR", dt.date(2023, 1, 1)), False),
        ("CREDIT_RECORD", _post(OTHER, "LEGAL_REPRESENTATIVE", dt.date(2023, 1, 1)), False),
    ],
)
def test_ban_window(effect: str, post: dict[str, object], breach: bool) -> None:
    check = _check(_ban(effect, dt.date(2022, 1, 1), dt.date(2025, 1, 1)))
    found = _breaches(check, [post], as_of=dt.date(2026, 1, 1))
    assert bool(found) is breach
    if breach:
        assert found[0].ban_from == dt.date(2022, 1, 1) and found[0].effect == effect


def test_posts_after_as_of_are_not_yet_breaches() -> None:
    check = _check(_ban("MARKET_BAN", dt.date(2022, 1, 1), None))
    post = _post(OTHER, "LEGAL_REPRESENTATIVE", dt.date(2024, 7, 1))
    assert _breaches(check, [post], as_of=dt.date(2024, 6, 1)) == []
    assert len(_breaches(check, [post], as_of=dt.date(2024, 7, 1))) == 1


def _row(days: int, same_address: bool, roles: list[str]) -> dict[str, object]:
    decided = dt.date(2023, 1, 1)
    people = [
        {
            "person": {"id_type": "RESIDENT_ID", "id_number": PERSON.id_number, "name": "张三"},
            "listed_roles": roles,
            "new_roles": ["SUPERVISOR"],
        }
    ] if roles else []  # fmt: skip
    return {
        "finding": {"finding_id": "F1", "list_type": "SERIOUS_DISHONESTY", "decided_on": decided},
        "listed": {"uscc": LISTED, "name": "甲", "address": "地址"},
        "new": {
            "uscc": OTHER,
            "name": "乙",
            "address": "地址",
            "established_on": decided + dt.timedelta(days=days),
        },
        "people": people,
        "same_address": same_address,
    }


def test_phoenix_score() -> None:
    address_only = _phoenix(_row(365, True, []), 365)
    assert address_only.score == ADDRESS_WEIGHT and address_only.address == "地址"
    representative = _phoenix(_row(0, False, ["LEGAL_REPRESENTATIVE"]), 365)
    assert representative.score == 3.0 + PROXIMITY_WEIGHT
    assert representative.address is None
    director = _phoenix(_row(0, False, ["DIRECTOR"]), 365)
    assert director.score < representative.score
    sooner, later = _phoenix(_row(30, True, []), 365), _phoenix(_row(300, True, []), 365)
    assert sooner.score > later.score


def test_department_kind_from_name_then_code() -> None:
    known = {"COURT", "TAX", "MARKET_SUPERVISION"}
    assert derive_department_kind("X", "重庆市渝中区人民法院", known) == ("COURT", "NAME")
    assert derive_department_kind("X", "国家税务总局重庆市税务局", known) == ("TAX", "NAME")
    assert derive_department_kind("X", "中国人民银行重庆营业管理部", known) == ("PBOC", "NAME")
    assert derive_department_kind("market_supervision-50", None, known) == (
        "MARKET_SUPERVISION",
        "CODE",
    )
    assert derive_department_kind("D-1", "综合办", known) is None


@given(st.from_regex(r"[1-6][0-9]{5}", fullmatch=True))
def test_region_scope_is_a_prefix_without_trailing_zero_pairs(code: str) -> None:
    scope = region_scope(code)
    if code == "100000":
        assert scope is None
        return
    assert scope is not None and code.startswith(scope) and len(scope) % 2 == 0
    assert set(code[len(scope) :]) <= {"0"}
    assert len(scope) == 2 or not scope.endswith("00")
