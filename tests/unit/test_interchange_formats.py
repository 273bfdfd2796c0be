"""Interchange readers and writers without a database: BODS 0.4 and FtM fixtures read into the
loader's tables, the official examples validate, exports validate against the official schemas
(BODS 0.4 JSON schema; followthemoney's model when installed, else its vendored schema data)."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource

from tracer.loaders.interchange import read
from tracer.loaders.interchange.export import (
    bods_statements,
    enterprise_id,
    ftm_entities,
    person_id,
)
from tracer.queries.export import Page

FIXTURES = Path(__file__).parents[1] / "fixtures" / "interchange"
SCHEMA = FIXTURES / "bods" / "schema"


@cache
def bods_validator() -> Draft202012Validator:
    """The BODS 0.4 statement schema (with its referenced record schemas)."""
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in SCHEMA.glob("*.json")]
    registry: Registry[Any] = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in documents
    )
    schema = json.loads((SCHEMA / "statement.json").read_text(encoding="utf-8"))
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _ftm_schemata() -> dict[str, dict[str, Any]]:
    folder = FIXTURES / "ftm" / "schema"
    found: dict[str, dict[str, Any]] = {}
    for path in folder.glob("*.yaml"):
        found.update(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _ftm_properties(schema: str) -> dict[str, dict[str, Any]]:
    """A schema's properties with those it inherits (vendored FtM schema data)."""
    definition = _ftm_schemata()[schema]
    props: dict[str, dict[str, Any]] = {}
    for parent in definition.get("extends", []):
        props.update(_ftm_properties(parent))
    props.update(definition.get("properties") or {})
    return props


def ftm_schema_problems(entities: list[dict[str, Any]]) -> list[str]:
    """The checks of ``ftm_problems`` against followthemoney's vendored schema data: known,
    non-abstract schema, known properties, entity references inside the list, ISO dates."""
    problems: list[str] = []
    ids = {entity["id"] for entity in entities}
    for entity in entities:
        schema = entity["schema"]
        if schema not in _ftm_schemata() or _ftm_schemata()[schema].get("abstract"):
            problems.append(f"{entity['id']}: schema {schema!r} not usable")
            continue
        props = _ftm_properties(schema)
        for prop, values in entity["properties"].items():
            kind = props.get(prop, {}).get("type")
            if prop not in props:
                problems.append(f"{entity['id']}.{prop}: no such property of {schema}")
            elif kind == "entity":
                problems += [f"{entity['id']}.{prop}: dangling {v}" for v in values if v not in ids]
            elif kind == "date":
                bad = [v for v in values if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v)]
                problems += [f"{entity['id']}.{prop}: not a date {v!r}" for v in bad]
    return problems


def ftm_problems(entities: list[dict[str, Any]]) -> list[str]:
    """What followthemoney's model finds wrong with ``entities`` (unknown schema or property,
    invalid values, references to entities not in the list); without the package, the checks
    against its vendored schema data."""
    try:
        import followthemoney as ftm
        from followthemoney.exc import InvalidData
    except ImportError:
        return ftm_schema_problems(entities)

    problems: list[str] = []
    ids = {entity["id"] for entity in entities}
    for entity in entities:
        try:
            proxy = ftm.model.get_proxy(entity, cleaned=False)
        except InvalidData as exc:
            problems.append(f"{entity['id']}: {exc}")
            continue
        for prop, values in entity["properties"].items():
            if len(proxy.get(prop)) != len(values):
                problems.append(f"{entity['id']}.{prop}: values dropped as invalid")
            definition = proxy.schema.get(prop)
            if definition is not None and definition.type.name == "entity":
                problems += [f"{entity['id']}.{prop}: dangling {v}" for v in values if v not in ids]
    return problems


def test_official_bods_examples_and_our_fixture_are_valid() -> None:
    paths = [
        *sorted((FIXTURES / "bods" / "examples").glob("*.json")),
        FIXTURES / "cn-group.bods.json",
    ]
    for path in paths:
        assert list(bods_validator().iter_errors(json.loads(path.read_text("utf-8")))) == [], path


def test_ftm_fixture_is_valid() -> None:
    lines = (FIXTURES / "cn-cluster.ftm.jsonl").read_text(encoding="utf-8").splitlines()
    entities = [json.loads(line) for line in lines]
    usable = [e for e in entities if e["schema"] not in ("Identification", "Address")]
    assert ftm_problems(entities) == []
    assert ftm_schema_problems(usable) == []


def test_the_vendored_ftm_schema_check_finds_problems() -> None:
    bad = [
        {"id": "a", "schema": "Company", "properties": {"colour": ["red"]}},
        {"id": "b", "schema": "Ownership", "properties": {"owner": ["x"], "startDate": ["May"]}},
        {"id": "c", "schema": "Thing", "properties": {}},
    ]
    assert len(ftm_schema_problems(bad)) == 4


def test_bods_fixture_maps_shares_ranges_and_roles() -> None:
    tables = read(FIXTURES / "cn-group.bods.json")
    shares = tables["shareholdings"].frame
    ranged = shares[shares["record_id"] == "rel-p2-a"].iloc[0]
    assert (ranged["share"], ranged["share_min"], ranged["share_max"]) == (None, "0.25", "0.4")
    unknown = shares[shares["record_id"] == "rel-p1-d"].iloc[0]
    assert unknown["share"] is None and unknown["share_min"] is None
    assert set(tables["positions"].frame["role"]) == {"CHAIRMAN", "DIRECTOR", "ACTUAL_CONTROLLER"}
    unmapped = {
        m.line: m.message.split("]")[0][1:] for m in tables["interchange_unmapped"].malformed
    }
    assert unmapped == {
        7: "BODS_PERSON_NO_ID",
        8: "BODS_NO_USCC",
        17: "BODS_INTEREST_UNMAPPED",
        18: "BODS_PARTY_UNRESOLVED",
        19: "BODS_PARTY_UNRESOLVED",
        20: "SUPERSEDED",
    }


def test_ftm_fixture_maps_listings_topics_and_keys() -> None:
    tables = read(FIXTURES / "cn-cluster.ftm.jsonl")
    persons = tables["persons"].frame
    assert sorted(persons["id_type"]) == ["PASSPORT", "RESIDENT_ID"]
    ids = tables["external_ids"].frame
    assert set(ids.loc[ids["kind"] == "TOPIC", "value"]) == {"sanction", "role.pep"}
    listing = tables["external_listings"].frame.iloc[0]
    assert (listing["program"], listing["start_date"]) == ("SDN", "2021-06-03")
    assert len(tables["interchange_unmapped"].malformed) == 3


def test_a_file_that_is_not_json_is_rejected_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "x.ftm.jsonl"
    path.write_text('{"id": "a", "schema": "Address", "properties": {}}\nnot json\n[1]\n')
    rejected = read(path)["interchange_unmapped"].malformed
    reasons = {m.line: m.message.split("]")[0][1:] for m in rejected}
    assert reasons == {1: "FTM_SCHEMA_UNMAPPED", 2: "ROW_MALFORMED", 3: "FTM_NOT_ENTITY"}


def _page() -> Page:
    day = dt.date(2015, 1, 1)
    return Page(
        enterprises=[
            {"uscc": "911101050000010117", "props": {"name": "甲", "established_on": day}},
            {"uscc": "9111010500000102XY", "props": {"name": "乙"}},
        ],
        persons=[
            {
                "id_type": "RESIDENT_ID",
                "id_number": "110105198001010112",
                "props": {"name": "张三", "nationality": "CN"},
            }
        ],
        edges=[
            {
                "type": "OWNS",
                "investee": "911101050000010117",
                "holder_uscc": None,
                "holder_id_type": "RESIDENT_ID",
                "holder_id_number": "110105198001010112",
                "props": {"share": None, "share_min": 0.25, "share_max": 0.5, "start_date": day},
            },
            {
                "type": "OWNS",
                "investee": "9111010500000102XY",
                "holder_uscc": "911101050000010117",
                "holder_id_type": None,
                "holder_id_number": None,
                "props": {"share": 0.7},
            },
            {
                "type": "HOLDS",
                "investee": "9111010500000102XY",
                "holder_uscc": None,
                "holder_id_type": "RESIDENT_ID",
                "holder_id_number": "110105198001010112",
                "props": {"role": "LEGAL_REPRESENTATIVE", "start_date": day},
            },
        ],
    )


def test_exports_validate_and_mask() -> None:
    entities = list(ftm_entities([_page()]))
    assert ftm_problems(entities) == []
    assert ftm_schema_problems(entities) == []
    statements = list(bods_statements([_page()], dt.date(2026, 1, 1)))
    assert list(bods_validator().iter_errors(statements)) == []
    text = json.dumps([entities, statements], ensure_ascii=False)
    assert "110105198001010112" not in text and "110105********0112" in text
    assert enterprise_id("911101050000010117") in text
    assert person_id("RESIDENT_ID", "110105198001010112") in text
    revealed = json.dumps(list(ftm_entities([_page()], reveal=True)))
    assert "110105198001010112" in revealed
