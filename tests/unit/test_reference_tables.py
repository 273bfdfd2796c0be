"""The shipped reference tables and the validation of user override rows (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from tracer.domain.errors import InvalidInput
from tracer.queries.reference import merged_tables, shipped_tables, validate_reference_row

TABLES = shipped_tables()
RULES: dict[Any, dict[str, Any]] = {row["rule_id"]: row for row in TABLES["rules"]}
MEASURES: dict[Any, dict[str, Any]] = {row["code"]: row for row in TABLES["measures"]}
LIST_TYPES: dict[Any, dict[str, Any]] = {row["code"]: row for row in TABLES["list_types"]}


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
        assert code in LIST_TYPES and LIST_TYPES[code]["default_period_years"]
    assert LIST_TYPES["JUDGMENT_DEFAULTER"]["category"] == "REFUSE_OBLIGATION"
    assert LIST_TYPES["JUDGMENT_DEFAULTER"]["default_period_years"] == 2


def test_rule_table_effects_and_shape() -> None:
    assert {rule_id: row["effect"] for rule_id, row in RULES.items()} == {
        "R1": "CREDIT_RECORD",
        "R2": "MARKET_BAN",
        "R3": "HONOURS_REVOKED",
        "R4": "PERSONAL_PUNISHMENT",
        "R5": "CONSUMPTION_RESTRICTION",
        "R6": "NOTIFICATION",
        "R7": "OFFICER_BAN",
    }
    assert RULES["R7"]["ban_years"] == 3 and RULES["R7"]["date_basis"] == "DECIDED_ON"
    assert RULES["R5"]["date_basis"] == "DECIDED_ON"
    assert RULES["R5"]["categories"] == ["REFUSE_OBLIGATION"]
    assert RULES["R6"]["reaches_organisations"] and not RULES["R6"]["roles"]
    assert RULES["R2"]["roles_if_named"] == ["REGISTERED_PRACTITIONER"]
    assert set(RULES["R3"]["roles_if_named"]) >= {"DIRECTOR", "SHAREHOLDER"}
    for row in RULES.values():
        assert row["source"]
        assert not {"DIRECTOR", "SHAREHOLDER"} & set(row["roles"])  # never by role alone
        assert all(code in MEASURES for code in row["measures"])
    for code in ("FLIGHT_BAN", "EXIT_BAN", "REAL_ESTATE_BAN", "STAR_HOTEL_BAN"):
        assert [rule for rule, row in RULES.items() if code in row["measures"]] == ["R5"]


def test_measures_have_every_column() -> None:
    for row in MEASURES.values():
        assert row["name"] and row["name_zh"] and row["source"] and row["department_kinds"]
        assert row["kind"] in {"ADMINISTRATIVE", "MARKET", "INDUSTRY", "SOCIAL"}
        assert row["hits"] in {"SUBJECT", "PERSON", "BOTH"}
        assert isinstance(row["mandatory"], bool)


@pytest.mark.parametrize(
    ("stem", "row", "expected"),
    [
        ("rules", {"rule_id": "R7", "ban_years": "5"}, []),
        (
            "rules",
            {"rule_id": "R9", "name": "x", "effect": "X", "source": "s", "roles": "DIRECTOR"},
            [("roles", "NOT_BY_ROLE_ALONE")],
        ),
        ("rules", {"rule_id": "R9", "name": "x"}, [("effect", "REQUIRED"), ("source", "REQUIRED")]),
        ("rules", {"rule_id": "R1", "date_basis": "TOMORROW"}, [("date_basis", "UNKNOWN_CODE")]),
        ("rules", {"rule_id": "R1", "ban_years": "2.5"}, [("ban_years", "BAD_VALUE")]),
        (
            "rules",
            {"rule_id": "R1", "roles": "LEGAL_REPRESENTATIVE|BOSS"},
            [("roles", "UNKNOWN_CODE")],
        ),
        ("rules", {"rule_id": "R1", "colour": "red"}, [("colour", "UNKNOWN_COLUMN")]),
        ("rules", {"name": "no key"}, [("rule_id", "REQUIRED")]),
        ("measures", {"code": "flight_ban", "mandatory": "maybe"}, [("mandatory", "BAD_VALUE")]),
        ("measures", {"code": "NEW bad"}, [("code", "BAD_CODE")]),
        (
            "list_types",
            {"code": "WAGE_ARREARS", "category": "NOPE"},
            [("category", "UNKNOWN_CODE")],
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


def test_overrides_change_columns_by_key_and_extend() -> None:
    merged = merged_tables(
        {
            "rules": [{"RULE_ID": "R7", "ban_years": 5}],
            "measures": [
                {
                    "code": "LICENCE_PLATE_BAN",
                    "name": "No licence plate auction",
                    "name_zh": "限制参与车牌竞拍",
                    "kind": "MARKET",
                    "hits": "PERSON",
                    "source": "local rule",
                }
            ],
        }
    )
    r7 = next(row for row in merged["rules"] if row["rule_id"] == "R7")
    assert r7["ban_years"] == 5 and r7["roles"] == RULES["R7"]["roles"]
    new = next(row for row in merged["measures"] if row["code"] == "LICENCE_PLATE_BAN")
    assert new["mandatory"] is False and new["department_kinds"] == []
    assert shipped_tables()["rules"][6]["ban_years"] == 3  # shipped data untouched


def test_overrides_are_checked_across_tables() -> None:
    with pytest.raises(InvalidInput, match="unknown measure"):
        merged_tables({"rules": [{"rule_id": "R1", "measures": "CREDIT_RECORD_ENTRY|NO_SUCH"}]})
    with pytest.raises(InvalidInput, match="unknown list type"):
        merged_tables({"rules": [{"rule_id": "R7", "list_types": "NO_SUCH_LIST"}]})
    with pytest.raises(InvalidInput, match="NOT_BY_ROLE_ALONE"):
        merged_tables({"rules": [{"rule_id": "R1", "roles": "SHAREHOLDER"}]})
    with pytest.raises(InvalidInput, match="no reference table"):
        merged_tables({"findings": []})
