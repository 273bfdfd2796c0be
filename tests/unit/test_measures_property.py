"""Property: whatever the finding, the day, the region and the versions installed, the measures
pushed come from memorandum rows valid on that day and never include a graded industry sanction
(those are one choice for the association), and a person gets only their rule's measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.domain.codes import CATEGORIES
from tracer.queries.measures import measure_catalogue, person_measures, subject_measures
from tracer.queries.reference import Snapshot, in_force, merge_rows, shipped_tables

TABLES = shipped_tables()
ROWS = TABLES["list_type_measures"]
GRADED = {str(row["measure"]) for row in ROWS if row["choice"]}
LIST_TYPES = sorted({str(row["code"]) for row in TABLES["list_types"]})
GROUNDS = sorted({str(row["ground"]) for row in ROWS if row["ground"]})
REGIONS = [None, "110105", "500103", "310101", "440305"]
DAYS = st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def versions(draw: st.DrawFn) -> list[dict[str, Any]]:
    """New versions of shipped rows: from a date, in a region, must or may, maybe ended."""
    found = []
    for row in draw(st.lists(st.sampled_from(ROWS), max_size=4)):
        start = draw(DAYS)
        end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=dt.date(2030, 12, 31))))
        found.append(
            {
                **{key: row[key] or "" for key in ("list_type", "category", "ground")},
                "target": row["target"],
                "measure": row["measure"],
                "mandatory": str(draw(st.booleans())).lower(),
                "valid_from": start.isoformat(),
                "valid_to": end.isoformat() if end else "",
                "jurisdiction": draw(st.sampled_from(["", "50", "11"])),
                "source": "a test version",
            }
        )
    return found


def _snapshot(overrides: list[dict[str, Any]]) -> Snapshot:
    merged = merge_rows(TABLES, {"list_type_measures": overrides})
    return Snapshot("property", {stem: tuple(rows.values()) for stem, rows in merged.items()})


def _named_by_a_row(
    snapshot: Snapshot,
    target: str,
    code: str,
    finding: dict[str, Any],
    category: str | None,
    day: dt.date,
    region: str | None,
) -> bool:
    return any(
        row["target"] == target
        and row["measure"] == code
        and in_force(row, day, region)
        and row["list_type"] in ("", finding["list_type"])
        and row["category"] in ("", category)
        and row["ground"] in ("", finding["ground"])
        and (not row["severe_only"] or finding["severe"])
        for row in snapshot.rows("list_type_measures")
    )


@settings(max_examples=300, deadline=None)
@given(
    overrides=versions(),
    list_type=st.sampled_from(LIST_TYPES),
    category=st.sampled_from([None, *sorted(CATEGORIES)]),
    ground=st.sampled_from([None, *GROUNDS]),
    severe=st.booleans(),
    decided_on=DAYS,
    day=DAYS,
    region=st.sampled_from(REGIONS),
)
def test_pushed_measures_come_from_rows_valid_on_the_day(
    overrides: list[dict[str, Any]],
    list_type: str,
    category: str | None,
    ground: str | None,
    severe: bool,
    decided_on: dt.date,
    day: dt.date,
    region: str | None,
) -> None:
    snapshot = _snapshot(overrides)
    finding = {
        "finding_id": "F",
        "list_type": list_type,
        "ground": ground,
        "severe": severe,
        "decided_on": decided_on,
    }
    listed = subject_measures(snapshot, finding, category, day, region)
    catalogue = measure_catalogue(snapshot, day, region)
    assert not GRADED & set(listed.codes)
    offered = [code for choice in listed.choices for code in choice.measures]
    assert set(offered) <= GRADED and len(offered) == len(set(offered))
    for code in [*listed.codes, *offered]:
        assert code in catalogue
        assert _named_by_a_row(snapshot, "SUBJECT", code, finding, category, day, region), code
    for rule in snapshot.rows("rules"):
        if not in_force(rule, day, region):
            continue
        person = person_measures(snapshot, rule, finding, category, day, region, True)
        for code in person.codes:
            assert code in (rule["measures"] or ()) or _named_by_a_row(
                snapshot, "PERSONS", code, finding, category, day, region
            ), (rule["rule_id"], code)
