"""The synthetic data set: valid codes, consistent dates and shares, planted cases, determinism."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter, defaultdict
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from tracer.domain.codes import CAPACITIES, POSITION_ROLES
from tracer.domain.errors import InvalidInput
from tracer.domain.identifiers import normalise_person_id, uscc_kind, validate_uscc
from tracer.domain.timeline import period_end
from tracer.loaders.generate import GenerationSummary, generate_dataset
from tracer.loaders.generate.writer import STEMS
from tracer.loaders.specs import REFERENCE_STEMS, SPECS
from tracer.queries.reference import shipped_tables

N = 2_000
#: The identity of a row in each file (GRAPH_MODEL.md merge keys).
KEYS = {
    "departments": ("code",),
    "enterprises": ("uscc",),
    "persons": ("id_type", "id_number"),
    "positions": ("uscc", "id_type", "id_number", "role", "start_date"),
    "shareholdings": ("investee_uscc", "holder_kind", "holder_id_type", "holder_id", "start_date"),
    "practitioners": ("id_type", "id_number", "uscc", "qualification", "start_date"),
    "findings": ("finding_id",),
    "finding_persons": ("finding_id", "id_type", "id_number", "capacity"),
    "transitions": ("finding_id", "to_status", "effective_on"),
    "redlist": ("subject_kind", "subject_id", "honour", "granted_on"),
    "employments": ("id_type", "id_number", "employer_kind", "employer_id", "start_date"),
    "commitments": ("commitment_id",),
    "interviews": ("interview_id",),
}
AS_OF = date(2026, 10, 31)
Rows = list[dict[str, str]]


def read(directory: Path, stem: str) -> Rows:
    with (directory / f"{stem}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary]:
    directory = tmp_path_factory.mktemp("generated")
    summary = generate_dataset(directory, N, seed=7)
    return directory, summary


@pytest.fixture(scope="module")
def tables(generated: tuple[Path, GenerationSummary]) -> dict[str, Rows]:
    return {stem: read(generated[0], stem) for stem in STEMS}


def day(text: str) -> date:
    return date.fromisoformat(text)


def test_counts_match_the_summary(
    generated: tuple[Path, GenerationSummary], tables: dict[str, Rows]
) -> None:
    _, summary = generated
    assert summary.enterprises == N == len(tables["enterprises"])
    assert summary.rows == {stem: len(rows) for stem, rows in tables.items()}
    assert summary.corruptions == {}


def test_columns_are_the_loaders(generated: tuple[Path, GenerationSummary]) -> None:
    directory, _ = generated
    assert not set(STEMS) & set(REFERENCE_STEMS)
    for stem in STEMS:
        with (directory / f"{stem}.csv").open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == list(SPECS[stem].columns), stem


def test_every_uscc_and_person_id_validates(tables: dict[str, Rows]) -> None:
    for row in tables["enterprises"]:
        assert validate_uscc(row["uscc"]) == row["uscc"]
        assert uscc_kind(row["uscc"]) == row["kind"]
    for row in tables["departments"]:
        assert uscc_kind(validate_uscc(row["code"])) == "ORGAN"
    for row in tables["persons"]:
        assert normalise_person_id(row["id_type"], row["id_number"]) == row["id_number"]
    kinds = Counter(row["uscc"][:2] for row in tables["enterprises"])
    assert kinds.most_common(1)[0][0] == "91"
    assert {"92", "93", "12", "11"} <= set(kinds)
    assert {"51", "52", "53"} & set(kinds)
    assert {"PASSPORT", "RESIDENT_ID"} <= {row["id_type"] for row in tables["persons"]}


def test_keys_are_unique_and_references_resolve(tables: dict[str, Rows]) -> None:
    for stem, rows in tables.items():
        keys = Counter(tuple(row[column] for column in KEYS[stem]) for row in rows)
        assert keys.most_common(1)[0][1] == 1, stem
    usccs = {row["uscc"] for row in tables["enterprises"]}
    departments = {row["code"] for row in tables["departments"]}
    persons = {(row["id_type"], row["id_number"]) for row in tables["persons"]}
    findings = {row["finding_id"] for row in tables["findings"]}
    for stem in ("positions", "practitioners"):
        for row in tables[stem]:
            assert row["uscc"] in usccs
            assert (row["id_type"], row["id_number"]) in persons
    for row in tables["shareholdings"]:
        assert row["investee_uscc"] in usccs
        holder = row["holder_id"]
        if row["holder_kind"] == "PERSON":
            assert (row["holder_id_type"], holder) in persons
        else:
            assert holder in (usccs if row["holder_kind"] == "ENTERPRISE" else departments)
    for row in tables["findings"]:
        assert row["authority"] in departments
        if row["subject_kind"] == "PERSON":
            assert ("RESIDENT_ID", row["subject_id"]) in persons
        else:
            assert row["subject_id"] in usccs
    for row in tables["finding_persons"]:
        assert row["finding_id"] in findings
        assert (row["id_type"], row["id_number"]) in persons
    for row in tables["redlist"]:
        assert row["granted_by"] in departments
        assert row["subject_id"] in usccs or ("RESIDENT_ID", row["subject_id"]) in persons
    for row in tables["enterprises"]:
        assert not row["superior_department"] or row["superior_department"] in departments
    for row in tables["departments"]:
        assert not row["superior_code"] or row["superior_code"] in departments


def test_shares_per_investee_at_most_one(tables: dict[str, Rows]) -> None:
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for row in tables["shareholdings"]:
        share = Fraction(row["share"])
        assert 0 < share <= 1
        totals[row["investee_uscc"]] += share
    assert max(totals.values()) == 1
    assert all(total <= 1 for total in totals.values())
    holders = Counter(row["holder_kind"] for row in tables["shareholdings"])
    assert holders["PERSON"] > holders["ENTERPRISE"] > holders["DEPARTMENT"] > 0


def test_positions_dates_are_consistent(tables: dict[str, Rows]) -> None:
    established = {row["uscc"]: day(row["established_on"]) for row in tables["enterprises"]}
    heads: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    for row in tables["positions"]:
        start = day(row["start_date"])
        end = day(row["end_date"]) if row["end_date"] else None
        assert established[row["uscc"]] <= start <= AS_OF
        assert end is None or start <= end <= AS_OF
        if row["id_type"] == "RESIDENT_ID":
            born = day(
                f"{row['id_number'][6:10]}-{row['id_number'][10:12]}-{row['id_number'][12:14]}"
            )
            assert (
                born.replace(year=born.year + 18) <= start
                if born.month * 100 + born.day != 229
                else True
            )
        if row["role"] in ("LEGAL_REPRESENTATIVE", "PRINCIPAL"):
            heads[row["uscc"]].append((start, end))
    changed = 0
    for uscc, terms in heads.items():
        terms.sort()
        assert terms[0][0] == established[uscc]
        assert terms[-1][1] is None
        for (_, end), (next_start, _) in pairwise(terms):
            assert end is not None and next_start == end + timedelta(days=1)
            changed += 1
    assert changed > N * 0.2
    for row in tables["practitioners"]:
        assert established[row["uscc"]] <= day(row["start_date"])
        assert not row["end_date"] or day(row["start_date"]) <= day(row["end_date"])
    roles = {row["role"] for row in tables["positions"]}
    assert roles == set(POSITION_ROLES)


def _default_years(list_type: str, ground: str, decided: date) -> int | None:
    """The shipped default period of a finding (its ground's row, else the list type's)."""
    rows = [
        row
        for row in shipped_tables()["list_type_periods"]
        if row["list_type"] == list_type and row["valid_from"] <= decided <= row["valid_to"]
    ]
    by_ground = {row["ground"]: row for row in rows}
    row = by_ground.get(ground) or by_ground.get("")
    return row["years"] if row else None


def end_of(row: dict[str, str]) -> date | None:
    """The last day a finding applies: its effective_until, else its default period."""
    if row["effective_until"]:
        return day(row["effective_until"])
    decided = day(row["decided_on"])
    years = _default_years(row["list_type"], row["ground"], decided)
    return period_end(decided, years) if years else None


def test_findings_cover_every_list_type_and_status(tables: dict[str, Rows]) -> None:
    findings = tables["findings"]
    types = {row["list_type"] for row in findings}
    assert {
        "SERIOUS_DISHONESTY",
        "JUDGMENT_DEFAULTER",
        "MAJOR_TAX_VIOLATION",
        "MARKET_SUPERVISION_SERIOUS",
        "WAGE_ARREARS",
    } <= types
    statuses = Counter(row["status"] for row in findings)
    assert statuses.most_common(1)[0][0] in ("ACTIVE", "EXPIRED")
    assert {"ACTIVE", "UNDER_REVIEW", "REPAIRED", "EXPIRED", "REVOKED"} <= set(statuses)
    assert any(not row["act_date"] for row in findings)
    assert any(row["subject_kind"] == "PERSON" for row in findings)
    assert 0.01 * N < len(findings) < 0.1 * N
    for row in findings:
        assert not row["act_date"] or day(row["act_date"]) <= day(row["decided_on"])
        end = end_of(row)
        if row["status"] == "EXPIRED":
            assert end is not None and end < AS_OF
        elif row["status"] == "ACTIVE":
            assert end is None or end >= AS_OF


def test_terms_follow_the_grounds_and_default_periods(tables: dict[str, Rows]) -> None:
    findings = tables["findings"]
    court = [row for row in findings if row["list_type"] == "JUDGMENT_DEFAULTER"]
    grounds = Counter(row["ground"] for row in court)
    assert grounds.most_common(1)[0][0] == "ABLE_BUT_REFUSING"
    assert set(grounds) <= {
        "ABLE_BUT_REFUSING",
        "OBSTRUCTING_ENFORCEMENT",
        "EVADING_ENFORCEMENT",
        "PROPERTY_REPORT_VIOLATION",
        "CONSUMPTION_ORDER_VIOLATION",
        "SETTLEMENT_DEFAULT",
    }
    market = Counter(
        row["ground"] for row in findings if row["list_type"] == "MARKET_SUPERVISION_SERIOUS"
    )
    assert market.most_common(1)[0][0] == "ABNORMAL_3_YEARS" and all(market)
    open_court = [row for row in court if row["ground"] == "ABLE_BUT_REFUSING"]
    assert sum(not row["effective_until"] for row in open_court) > 0.7 * len(open_court)
    with_default = [
        row
        for row in findings
        if _default_years(row["list_type"], row["ground"], day(row["decided_on"]))
    ]
    assert {bool(row["effective_until"]) for row in with_default} == {True, False}
    for row in findings:
        decided = day(row["decided_on"])
        default = _default_years(row["list_type"], row["ground"], decided)
        if not row["effective_until"]:
            open_term = row["ground"] == "ABLE_BUT_REFUSING"
            assert default or open_term or row["list_type"] == "SERIOUS_DISHONESTY", row
            continue
        until = day(row["effective_until"])
        years = {n for n in range(1, 6) if period_end(decided, n) == until}
        if row["list_type"] == "JUDGMENT_DEFAULTER":
            assert len(years) == 1 and years <= {2, 3, 4, 5}, row
        else:
            assert years == {default or 3}, row


def test_category_only_where_the_list_type_does_not_fix_one(tables: dict[str, Rows]) -> None:
    fixed = {row["code"]: row["category"] for row in shipped_tables()["list_types"]}
    for row in tables["findings"]:
        assert bool(row["category"]) == (not fixed[row["list_type"]]), row


def test_status_since_dates_every_non_active_status(tables: dict[str, Rows]) -> None:
    for row in tables["findings"]:
        if row["status"] == "ACTIVE":
            assert not row["status_since"]
            continue
        since, end = day(row["status_since"]), end_of(row)
        assert day(row["decided_on"]) < since <= AS_OF
        if row["status"] == "EXPIRED":
            assert end is not None and since == end + timedelta(days=1)
        elif end is not None:
            assert since <= end


def test_severe_and_exit_restricted_flags(tables: dict[str, Rows]) -> None:
    findings = tables["findings"]
    assert {row["severe"] for row in findings} == {"true", "false"}
    assert 0.03 < sum(row["severe"] == "true" for row in findings) / len(findings) < 0.25
    assert {row["exit_restricted"] for row in findings} == {"true", "false"}
    for row in findings:
        if row["exit_restricted"] == "true":
            assert row["subject_kind"] == "PERSON" and row["list_type"] == "JUDGMENT_DEFAULTER"


def _heads(tables: dict[str, Rows]) -> dict[str, list[tuple[date, date | None, str]]]:
    """Legal representatives and principals per enterprise: (start, end, id_number)."""
    heads: dict[str, list[tuple[date, date | None, str]]] = defaultdict(list)
    for row in tables["positions"]:
        if row["role"] in ("LEGAL_REPRESENTATIVE", "PRINCIPAL"):
            end = day(row["end_date"]) if row["end_date"] else None
            heads[row["uscc"]].append((day(row["start_date"]), end, row["id_number"]))
    return heads


def test_named_persons_fit_the_list_types(tables: dict[str, Rows]) -> None:
    findings = {row["finding_id"]: row for row in tables["findings"]}
    heads = _heads(tables)
    named = tables["finding_persons"]
    capacities = Counter(row["capacity"] for row in named)
    assert set(capacities) == set(CAPACITIES)
    assert capacities["DIRECTLY_RESPONSIBLE"] > capacities["ACTUAL_CONTROLLER"] > 0
    for row in named:
        finding = findings[row["finding_id"]]
        decided, capacity = day(finding["decided_on"]), row["capacity"]
        terms = [
            (s, e) for s, e, person in heads[finding["subject_id"]] if person == row["id_number"]
        ]
        if finding["list_type"] == "WAGE_ARREARS":
            assert capacity in ("CO_LISTED", "ACTUAL_CONTROLLER")
        assert capacity != "CO_LISTED" or finding["list_type"] == "WAGE_ARREARS"
        if capacity in ("EXIT_RESTRICTED", "RESTRICTED_OFFICER"):
            assert finding["list_type"] == "JUDGMENT_DEFAULTER"
        if capacity == "EXIT_RESTRICTED":
            assert any(s <= decided and (e is None or decided <= e) for s, e in terms)
        if capacity == "RESTRICTED_OFFICER":
            effective = day(row["effective_on"])
            assert any(decided < s < effective <= AS_OF for s, _ in terms)
        else:
            assert not row["effective_on"]
    wage = {
        fid
        for fid, row in findings.items()
        if row["list_type"] == "WAGE_ARREARS" and row["subject_kind"] == "ENTERPRISE"
    }
    assert wage == {row["finding_id"] for row in named if row["capacity"] == "CO_LISTED"}


def test_transitions_are_legal_moves_of_active_findings(tables: dict[str, Rows]) -> None:
    findings = {row["finding_id"]: row for row in tables["findings"]}
    changes: dict[str, Rows] = defaultdict(list)
    for row in tables["transitions"]:
        changes[row["finding_id"]].append(row)
    assert changes
    moves = {("ACTIVE", "UNDER_REVIEW"), ("UNDER_REVIEW", "ACTIVE")}
    for finding_id, rows in changes.items():
        finding = findings[finding_id]
        assert finding["status"] == "ACTIVE"
        decided = day(finding["decided_on"])
        status, latest, end = "ACTIVE", decided, end_of(finding)
        for row in rows:
            effective = day(row["effective_on"])
            assert latest <= effective <= AS_OF and row["actor"] and row["reason"]
            if row["new_effective_until"]:
                new_end = day(row["new_effective_until"])
                assert status == row["to_status"] == "ACTIVE"
                assert end is not None and effective <= end < new_end <= period_end(decided, 5)
                end = new_end
            else:
                assert (status, row["to_status"]) in moves
            status, latest = row["to_status"], effective
        assert status == "ACTIVE"


def test_exposures_and_repeat_offenders_occur(tables: dict[str, Rows]) -> None:
    heads = _heads(tables)
    appointed_after = 0
    liable_heads: Counter[str] = Counter()
    for row in tables["findings"]:
        if row["subject_kind"] != "ENTERPRISE":
            continue
        reference = day(row["act_date"] or row["decided_on"])
        for start, end, person in heads[row["subject_id"]]:
            if start <= reference and (end is None or reference <= end):
                liable_heads[person] += 1
            if start > reference and end is None:
                appointed_after += 1
    assert appointed_after >= 5
    assert liable_heads.most_common(1)[0][1] >= 3


def test_planted_cases(generated: tuple[Path, GenerationSummary], tables: dict[str, Rows]) -> None:
    directory, summary = generated
    manifest = json.loads((directory / "planted_cases.json").read_text(encoding="utf-8"))
    cases = {case["id"]: case for case in manifest["cases"]}
    assert set(cases) == {case.id for case in summary.planted_cases}
    assert {
        "BAN_BREACH",
        "PHOENIX",
        "RED_THEN_LISTED",
        "DEEP_PYRAMID",
        "SAME_NAME",
        "APPOINTED_AFTER_ACT",
        "REPEAT_OFFENDER",
        "SUCCESSOR_RESTRICTED",
    } <= set(cases)
    usccs = {row["uscc"]: row for row in tables["enterprises"]}
    findings = {row["finding_id"]: row for row in tables["findings"]}
    for case in cases.values():
        assert all(uscc in usccs for uscc in case["enterprises"].values())
        assert all(fid in findings for fid in case["findings"].values())
    breach = cases["BAN_BREACH"]
    banned = breach["persons"][0]["id_number"]
    listing = findings[breach["findings"]["listing"]]
    post = [
        row
        for row in tables["positions"]
        if row["uscc"] == breach["enterprises"]["new_post"]
        and row["id_number"] == banned
        and row["role"] == "LEGAL_REPRESENTATIVE"
    ]
    assert len(post) == 1
    assert day(listing["decided_on"]) < day(post[0]["start_date"])
    assert day(post[0]["start_date"]) < day(listing["effective_until"])
    assert listing["list_type"] == "FOOD_DRUG_SERIOUS" and listing["status"] == "ACTIVE"
    assert listing["ground"] == "LICENCE_REVOKED"
    named = {(row["finding_id"], row["id_number"]): row for row in tables["finding_persons"]}
    successor_case = cases["SUCCESSOR_RESTRICTED"]
    restricted = successor_case["findings"]["listing"]
    former, successor = (person["id_number"] for person in successor_case["persons"])
    assert named[restricted, former]["capacity"] == "EXIT_RESTRICTED"
    assert named[restricted, successor]["capacity"] == "RESTRICTED_OFFICER"
    facts = successor_case["facts"]
    assert named[restricted, successor]["effective_on"] == facts["successor_named_from"]
    assert facts["decided_on"] < facts["successor_appointed_on"] < facts["successor_named_from"]
    repeat = cases["REPEAT_OFFENDER"]
    wage = named[repeat["findings"]["WAGE_ARREARS"], repeat["persons"][0]["id_number"]]
    assert wage["capacity"] == "CO_LISTED"
    phoenix = cases["PHOENIX"]
    assert findings[phoenix["findings"]["listing"]]["ground"] == "ABNORMAL_3_YEARS"
    old, new = (usccs[phoenix["enterprises"][k]] for k in ("listed", "phoenix"))
    assert old["address"] == new["address"]
    gap = day(new["established_on"]) - day(findings[phoenix["findings"]["listing"]]["decided_on"])
    assert timedelta(0) < gap < timedelta(days=180)
    same = cases["SAME_NAME"]["persons"]
    assert same[0]["name"] == same[1]["name"] and same[0]["id_number"] != same[1]["id_number"]
    red = cases["RED_THEN_LISTED"]
    honoured = {row["subject_id"] for row in tables["redlist"]}
    assert red["enterprises"]["listed"] in honoured
    assert red["persons"][0]["id_number"] in honoured
    pyramid = cases["DEEP_PYRAMID"]["enterprises"]
    holdings = {
        (row["holder_id"], row["investee_uscc"]): Fraction(row["share"])
        for row in tables["shareholdings"]
    }
    layers = [pyramid[f"layer_{i}"] for i in range(1, 9)]
    for upper, lower in pairwise(layers):
        assert holdings[upper, lower] > Fraction(1, 2)


def test_same_names_occur_naturally(tables: dict[str, Rows]) -> None:
    names = Counter(row["name"] for row in tables["persons"])
    assert sum(1 for count in names.values() if count > 1) > 20
    surnames = Counter(
        row["name"][0] for row in tables["persons"] if row["id_type"] == "RESIDENT_ID"
    )
    assert {s for s, _ in surnames.most_common(5)} <= {"王", "李", "张", "刘", "陈", "杨"}
    lengths = Counter(
        len(row["name"]) for row in tables["persons"] if row["id_type"] == "RESIDENT_ID"
    )
    assert lengths[2] > 0 and lengths[3] > lengths[2]


def _digest(directory: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
    }


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    generate_dataset(tmp_path / "a", 300, seed=3, corrupt_rate=0.02)
    generate_dataset(tmp_path / "b", 300, seed=3, corrupt_rate=0.02)
    generate_dataset(tmp_path / "c", 300, seed=4, corrupt_rate=0.02)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a")["persons.csv"] != _digest(tmp_path / "c")["persons.csv"]


def test_two_seeds_share_no_identifier(tmp_path: Path) -> None:
    """Issue 14: the demo's seed and the README's must not reuse each other's IDs, USCCs or
    finding ids; the departments are one directory, the same in every data set."""

    def identifiers(seed: int) -> dict[str, set[str]]:
        directory = tmp_path / f"seed{seed}"
        generate_dataset(directory, 500, seed=seed)
        return {
            "persons": {row["id_number"] for row in read(directory, "persons")},
            "enterprises": {row["uscc"] for row in read(directory, "enterprises")},
            "findings": {row["finding_id"] for row in read(directory, "findings")},
            "departments": {
                f"{row['code']} {row['name']}" for row in read(directory, "departments")
            },
        }

    one, forty_two = identifiers(1), identifiers(42)
    for kind in ("persons", "enterprises", "findings"):
        assert one[kind] and not one[kind] & forty_two[kind], kind
    assert one["departments"] == forty_two["departments"]
    departments = {text.split()[0] for text in one["departments"]}
    assert not departments & (one["enterprises"] | forty_two["enterprises"])


def test_corruption_does_not_change_the_clean_rows(tmp_path: Path) -> None:
    generate_dataset(tmp_path / "clean", 200, seed=5)
    generate_dataset(tmp_path / "dirty", 200, seed=5, corrupt_rate=0.05)
    for stem in STEMS:
        clean = read(tmp_path / "clean", stem)
        dirty = {tuple(row.values()) for row in read(tmp_path / "dirty", stem)}
        assert all(tuple(row.values()) in dirty for row in clean), stem


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "xlsx"])
def test_other_formats_hold_the_same_rows(tmp_path: Path, fmt: str) -> None:
    generate_dataset(tmp_path / "csv", 120, seed=9)
    generate_dataset(tmp_path / fmt, 120, seed=9, fmt=fmt)
    for stem in ("enterprises", "shareholdings", "findings", "finding_persons"):
        expected = pd.read_csv(tmp_path / "csv" / f"{stem}.csv", dtype=str)
        path = tmp_path / fmt / f"{stem}.{fmt}"
        if fmt == "jsonl":
            actual = pd.read_json(path, lines=True, dtype=False).astype(object)
        elif fmt == "parquet":
            actual = pd.read_parquet(path)
        else:
            actual = pd.read_excel(path, dtype=str)
        actual = actual.where(actual.notna(), None).astype(object)
        expected = expected.where(expected.notna(), None).astype(object)
        assert actual.to_dict("records") == expected.to_dict("records"), stem


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        generate_dataset(tmp_path, 10)
    with pytest.raises(InvalidInput):
        generate_dataset(tmp_path, 100, fmt="xml")
    with pytest.raises(InvalidInput):
        generate_dataset(tmp_path, 100, corrupt_rate=0.9)


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[int] = []
    generate_dataset(tmp_path, 2_500, progress=seen.append)
    assert seen[-1] == 2_500
    assert seen == sorted(seen) and len(seen) >= 2


def test_planted_staff_and_credit_records(
    generated: tuple[Path, GenerationSummary], tables: dict[str, Rows]
) -> None:
    cases = {case.id: case for case in generated[1].planted_cases}
    staff = cases["STAFF_NOTIFICATION"]
    person = staff.persons[0].id_number
    jobs = {
        (row["employer_id"], row["public_sector"], row["end_date"])
        for row in tables["employments"]
        if row["id_number"] == person
    }
    assert (staff.enterprises["employer"], "true", "") in jobs
    assert (staff.enterprises["former_private_employer"], "false") in {j[:2] for j in jobs}
    finding = staff.findings["person_listing"]
    listed = next(row for row in tables["findings"] if row["finding_id"] == finding)
    assert (listed["subject_kind"], listed["subject_id"]) == ("PERSON", person)
    credit = cases["CREDIT_RECORDS"]
    commitments = {row["commitment_id"]: row for row in tables["commitments"]}
    assert commitments[credit.facts["commitment_breached"]]["breached_on"]
    assert not commitments[credit.facts["commitment_overdue"]]["fulfilled_on"]
    interviews = {row["interview_id"]: row for row in tables["interviews"]}
    unrectified = interviews[credit.facts["interview_unrectified"]]
    assert (unrectified["kind"], unrectified["rectified_on"]) == ("WARNING", "")
    assert day(unrectified["rectify_by"]) < AS_OF
