"""The shipped reference tables, the validation of user override rows, versions and the measures
the memoranda give (no database)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import pytest

from tracer.domain.errors import InvalidInput
from tracer.queries.measures import person_measures, subject_measures
from tracer.queries.reference import (
    MAX_DERIVED,
    Snapshot,
    merge_rows,
    pick,
    shipped_tables,
    validate_reference_row,
)

TABLES = shipped_tables()
RULES: dict[Any, dict[str, Any]] = {row["rule_id"]: row for row in TABLES["rules"]}
MEASURES: dict[Any, dict[str, Any]] = {row["code"]: row for row in TABLES["measures"]}
LIST_TYPES: dict[Any, dict[str, Any]] = {row["code"]: row for row in TABLES["list_types"]}
SNAPSHOT = Snapshot("test", {stem: tuple(rows) for stem, rows in TABLES.items()})
DAY = dt.date(2024, 6, 1)


def test_fixed_codes_of_the_interface_exist() -> None:
    for code in (
        "FLIGHT_BAN",
        "HIGH_SPEED_RAIL_BAN",
        "EXIT_BAN",
        "REAL_ESTATE_BAN",
        "STAR_HOTEL_BAN",
        "PUBLIC_BIDDING_BAN",
        "FISCAL_FUNDS_BAN",
        "MARKET_BAN",
        "HONOURS_REVOKED",
    ):
        assert code in MEASURES
    for code in (
        "SERIOUS_DISHONESTY",
        "JUDGMENT_DEFAULTER",
        "MAJOR_TAX_VIOLATION",
        "MARKET_SUPERVISION_SERIOUS",
        "WAGE_ARREARS",
    ):
        assert code in LIST_TYPES
    assert LIST_TYPES["JUDGMENT_DEFAULTER"]["category"] == "REFUSE_OBLIGATION"
    assert "REPORTING_CHANNEL" not in MEASURES


def test_reference_dates_per_list_type() -> None:
    assert LIST_TYPES["MAJOR_TAX_VIOLATION"]["person_reference"] == "ACT_DATE"
    assert LIST_TYPES["WAGE_ARREARS"]["person_reference"] == "NAMED_ONLY"
    for code, row in LIST_TYPES.items():
        if row["category"] == "REFUSE_OBLIGATION":
            assert row["person_reference"] == "DECIDED_ON", code


def test_judgment_defaulter_periods_cite_the_right_articles() -> None:
    periods = {
        (row["list_type"], row["ground"]): row
        for row in TABLES["list_type_periods"]
        if row["list_type"] == "JUDGMENT_DEFAULTER"
    }
    able = periods[("JUDGMENT_DEFAULTER", "ABLE_BUT_REFUSING")]
    assert able["years"] is None and "第一条第一项" in able["source"]
    assert "第十条" in able["source"] and able["open_until"]
    other = periods[("JUDGMENT_DEFAULTER", "")]
    assert other["years"] == 2 and "第二条" in other["source"] and other["max_extension_years"] == 3
    assert "第六条" not in other["source"]


def test_rule_table_effects_and_shape() -> None:
    assert {rule_id: row["effect"] for rule_id, row in RULES.items()} == {
        "R1": "CREDIT_RECORD",
        "R2": "MARKET_BAN",
        "R3": "HONOURS_REVOKED",
        "R4": "CREDIT_RECORD",
        "R5": "CONSUMPTION_RESTRICTION",
        "R6": "NOTIFICATION",
        "R7": "OFFICER_BAN",
        "R8": "EXIT_BAN_DECIDED",
        "R9": "NOTIFICATION",
        "R10": "LIST_MEASURES",
    }
    assert RULES["R4"]["measures"] == ["CREDIT_RECORD_ENTRY"]
    assert RULES["R7"]["ban_years"] == 3 and RULES["R7"]["reference"] == "DECIDED_ON"
    assert RULES["R7"]["grounds"] == ["ABNORMAL_3_YEARS"]
    assert RULES["R5"]["reference"] == "DECIDED_ON" and RULES["R5"]["requires_list_measures"]
    assert "EXIT_BAN" not in RULES["R5"]["measures"]
    assert RULES["R8"]["roles"] == [] and RULES["R8"]["named_capacities"] == ["EXIT_RESTRICTED"]
    assert RULES["R6"]["reaches_organisations"] and not RULES["R6"]["roles"]
    assert RULES["R2"]["roles_if_named"] == ["REGISTERED_PRACTITIONER"]
    assert RULES["R2"]["eligible_measures"] == ["MARKET_BAN"] and not RULES["R2"]["measures"]
    assert set(RULES["R3"]["roles_if_named"]) >= {"DIRECTOR", "SHAREHOLDER"}
    for row in RULES.values():
        assert row["source"]
        assert not {"DIRECTOR", "SHAREHOLDER"} & set(row["roles"])  # never by role alone
    assert not MEASURES["EXIT_BAN"]["mandatory"]


def test_measures_have_every_column() -> None:
    for row in MEASURES.values():
        assert row["name"] and row["name_zh"] and row["source"] and row["department_kinds"]
        assert row["kind"] in {"ADMINISTRATIVE", "MARKET", "INDUSTRY", "SOCIAL"}
        assert row["hits"] in {"SUBJECT", "PERSON", "BOTH"}
        assert isinstance(row["mandatory"], bool)
    assert not MEASURES["CREDIT_RECORD_ENTRY"]["restricting"]
    assert not MEASURES["NOTIFICATION"]["restricting"]


@pytest.mark.parametrize(
    ("stem", "row", "expected"),
    [
        ("rules", {"rule_id": "R7", "ban_years": "5"}, []),
        (
            "rules",
            {"rule_id": "R99", "name": "x", "effect": "X", "source": "s", "roles": "DIRECTOR"},
            [("roles", "NOT_BY_ROLE_ALONE")],
        ),
        (
            "rules",
            {"rule_id": "R99", "name": "x"},
            [("effect", "REQUIRED"), ("source", "REQUIRED")],
        ),
        ("rules", {"rule_id": "R1", "reference": "TOMORROW"}, [("reference", "UNKNOWN_CODE")]),
        ("rules", {"rule_id": "R1", "ban_years": "2.5"}, [("ban_years", "BAD_VALUE")]),
        (
            "rules",
            {"rule_id": "R1", "roles": "LEGAL_REPRESENTATIVE|BOSS"},
            [("roles", "UNKNOWN_CODE")],
        ),
        ("rules", {"rule_id": "R1", "colour": "red"}, [("colour", "UNKNOWN_COLUMN")]),
        ("rules", {"name": "no key"}, [("rule_id", "REQUIRED")]),
        (
            "rules",
            {"rule_id": "R1", "valid_from": "2024-01-01", "valid_to": "2023-01-01"},
            [("valid_to", "DATE_ORDER")],
        ),
        ("rules", {"rule_id": "R1", "jurisdiction": "Chongqing"}, [("jurisdiction", "BAD_VALUE")]),
        ("measures", {"code": "flight_ban", "mandatory": "maybe"}, [("mandatory", "BAD_VALUE")]),
        ("measures", {"code": "NEW bad"}, [("code", "BAD_CODE")]),
        ("measures", {"code": "REPORTING_CHANNEL"}, [("code", "REMOVED_MEASURE")]),
        (
            "list_types",
            {"code": "WAGE_ARREARS", "category": "NOPE"},
            [("category", "UNKNOWN_CODE")],
        ),
        ("list_types", {"code": "WAGE_ARREARS", "person_reference": "NAMED_ONLY"}, []),
        (
            "list_type_measures",
            {"list_type": "WAGE_ARREARS", "target": "PERSONS", "measure": "REPORTING_CHANNEL"},
            [("measure", "REMOVED_MEASURE")],
        ),
        ("nothing", {"code": "X"}, [("", "UNKNOWN_STEM")]),
    ],
)
def test_validate_reference_row(
    stem: str, row: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    problems = validate_reference_row(stem, row)
    assert [(column, reason) for column, reason, _ in problems] == expected
    assert all(message for _, _, message in problems)


def test_overrides_change_columns_by_version_and_extend() -> None:
    merged = merge_rows(
        TABLES,
        {
            "rules": [
                {"RULE_ID": "R7", "ban_years": 5},
                {"rule_id": "R7", "valid_from": "2030-01-01", "ban_years": 4},
            ],
            "measures": [
                {
                    "code": "LICENCE_PLATE_BAN",
                    "name": "No licence plate auction",
                    "name_zh": "限制参与车牌竞拍",
                    "kind": "MARKET",
                    "hits": "PERSON",
                    "source": "local rule",
                    "jurisdiction": "50",
                }
            ],
        },
    )
    r7 = [row for row in merged["rules"].values() if row["rule_id"] == "R7"]
    assert {row["ban_years"] for row in r7} == {5, 4}
    later = next(row for row in r7 if row["valid_from"] == dt.date(2030, 1, 1))
    assert later["roles"] == RULES["R7"]["roles"]  # the new version is based on the old one
    new = next(row for row in merged["measures"].values() if row["code"] == "LICENCE_PLATE_BAN")
    assert new["mandatory"] is False and new["department_kinds"] == []
    assert RULES["R7"]["ban_years"] == 3  # shipped data untouched


def test_pick_takes_the_version_in_force_for_the_region() -> None:
    start, new, end = dt.date(1, 1, 1), dt.date(2021, 9, 1), dt.date(9999, 12, 31)
    rows = [
        {"key": "A", "valid_from": start, "valid_to": end, "jurisdiction": ""},
        {"key": "A", "valid_from": new, "valid_to": end, "jurisdiction": ""},
        {"key": "A", "valid_from": start, "valid_to": end, "jurisdiction": "50"},
    ]
    assert pick(rows, lambda r: r["key"], dt.date(2020, 1, 1), "110105") == [rows[0]]
    assert pick(rows, lambda r: r["key"], dt.date(2022, 1, 1), "110105") == [rows[1]]
    assert pick(rows, lambda r: r["key"], dt.date(2022, 1, 1), "500103") == [rows[2]]


def test_overrides_are_checked_across_tables() -> None:
    with pytest.raises(InvalidInput, match="unknown code"):
        merge_rows(
            TABLES, {"rules": [{"rule_id": "R1", "measures": "CREDIT_RECORD_ENTRY|NO_SUCH"}]}
        )
    with pytest.raises(InvalidInput, match="unknown code"):
        merge_rows(TABLES, {"rules": [{"rule_id": "R7", "list_types": "NO_SUCH_LIST"}]})
    with pytest.raises(InvalidInput, match="NOT_BY_ROLE_ALONE"):
        merge_rows(TABLES, {"rules": [{"rule_id": "R1", "roles": "SHAREHOLDER"}]})
    with pytest.raises(InvalidInput, match="no reference table"):
        merge_rows(TABLES, {"findings": []})


def _finding(**values: Any) -> dict[str, Any]:
    return {"finding_id": "F", "decided_on": dt.date(2023, 1, 1), **values}


def test_industry_sanctions_are_a_choice_and_exposure_needs_a_severe_finding() -> None:
    plain = subject_measures(
        SNAPSHOT, _finding(list_type="SERIOUS_DISHONESTY"), "MARKET_ORDER", DAY, None
    )
    graded = {"INDUSTRY_WARNING", "INDUSTRY_CRITICISM", "PUBLIC_CENSURE", "MEMBERSHIP_REFUSED",
              "MEMBERSHIP_EXPULSION"}  # fmt: skip
    assert not graded & set(plain.codes)
    assert [set(choice.measures) for choice in plain.choices] == [graded]
    assert "PUBLIC_EXPOSURE" not in plain.codes
    severe = subject_measures(
        SNAPSHOT, _finding(list_type="SERIOUS_DISHONESTY", severe=True), "MARKET_ORDER", DAY, None
    )
    assert "PUBLIC_EXPOSURE" in severe.codes


def test_court_lists_restrict_consumption_and_administrative_lists_do_not() -> None:
    court = subject_measures(
        SNAPSHOT, _finding(list_type="JUDGMENT_DEFAULTER"), "REFUSE_OBLIGATION", DAY, None
    )
    assert {"FLIGHT_BAN", "HIGH_SPEED_RAIL_BAN"} <= set(court.codes)
    assert all(d.mandatory for d in court.details if d.code == "FLIGHT_BAN")
    admin = subject_measures(
        SNAPSHOT,
        _finding(list_type="ADMINISTRATIVE_DECISION_DEFAULTER"),
        "REFUSE_OBLIGATION",
        DAY,
        None,
    )
    assert "FLIGHT_BAN" not in admin.codes


def test_persons_get_only_their_rules_measures() -> None:
    r4 = person_measures(
        SNAPSHOT,
        RULES["R4"],
        _finding(list_type="MAJOR_TAX_VIOLATION"),
        "MARKET_ORDER",
        DAY,
        None,
        True,
    )
    assert r4.codes == ["CREDIT_RECORD_ENTRY"]
    r5 = person_measures(
        SNAPSHOT,
        RULES["R5"],
        _finding(list_type="JUDGMENT_DEFAULTER"),
        "REFUSE_OBLIGATION",
        DAY,
        None,
        True,
    )
    assert "EXIT_BAN" not in r5.codes and "FLIGHT_BAN" in r5.codes
    food = _finding(list_type="FOOD_DRUG_SERIOUS", ground="LICENCE_REVOKED")
    r2 = person_measures(SNAPSHOT, RULES["R2"], food, "HEALTH_SAFETY", DAY, None, True)
    assert r2.codes == ["MARKET_BAN"] and r2.details[0].until == dt.date(2027, 12, 31)
    after_finding = person_measures(SNAPSHOT, RULES["R2"], food, "HEALTH_SAFETY", DAY, None, False)
    assert after_finding.codes == ["MARKET_BAN"]  # its own five years outlast the finding


def test_a_snapshot_keeps_a_bounded_number_of_derived_values() -> None:
    snapshot = Snapshot("bounded", {})
    for day in range(MAX_DERIVED + 10):
        snapshot.derived(("day", day), partial(int, day))
    assert snapshot.derived(("day", MAX_DERIVED + 9), partial(int, -1)) == MAX_DERIVED + 9
    assert snapshot.derived(("day", 0), partial(int, -1)) == -1  # dropped: computed again
