"""Name search against the real Neo4j: namesakes (重名) listed with the facts that tell them apart,
pinyin, initials, fuzzy and partial enterprise names; the backfill and the loader's keys; the API
(masking by role, audit of every person shown, text only in the body) and the command line."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.fixtures.database import wipe
from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.api.app import create_app
from tracer.api.audit import SubjectRefs
from tracer.api.explorer import STATIC_DIR
from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.api.settings import ApiSettings
from tracer.cli.main import app as cli_app
from tracer.graph.driver import Target
from tracer.loaders.load import load_directory
from tracer.queries.names import MatchKind
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner
from tracer.queries.search import NameSearch, search_names
from tracer.queries.upgrade import backfill_name_keys

D = dt.date
TODAY = D(2026, 6, 1)
BUILDER, TECH, TRADER = uscc(20000001), uscc(20000002), uscc(20000003)
WEI_BJ = resident_id(11, "19800101", "110105")  # 张伟, born 1980 in Beijing Chaoyang
WEI_CQ = resident_id(22, "19920315", "500103")  # 张伟, born 1992 in Chongqing Yuzhong
WEI_HOMOPHONE = resident_id(33, "19851010", "310101")  # 张玮
XIAOJUN = resident_id(44, "19700505", "110101")  # 张小军
STRANGER = resident_id(55, "19750101", "440106")  # 李四
NAMESAKES = {WEI_BJ, WEI_CQ}


@pytest.fixture(scope="module")
def graph(neo4j_driver: neo4j.Driver, neo4j_target: Target) -> QueryRunner:
    """Two 张伟 (one legal representative of 某某建设有限公司, one director of a listed enterprise),
    a 张玮, a 张小军 and a 李四, written without search keys and then backfilled."""
    wipe(neo4j_driver, neo4j_target.database)
    runner = QueryRunner(neo4j_driver, neo4j_target.database)
    install_reference_data(runner)
    g = GraphBuilder()
    builder = g.enterprise(BUILDER, "某某建设有限公司", established_on=D(2012, 3, 1))
    tech = g.enterprise(TECH, "顶点科技有限公司", region_code="110105")
    g.enterprise(TRADER, "远方建设有限公司")
    wei_bj, wei_cq = g.person(WEI_BJ, "张伟"), g.person(WEI_CQ, "张伟")
    for number, name in ((WEI_HOMOPHONE, "张玮"), (XIAOJUN, "张小军"), (STRANGER, "李四")):
        g.person(number, name)
    g.holds(wei_bj, builder, "LEGAL_REPRESENTATIVE", D(2015, 1, 1))
    g.holds(wei_cq, tech, "DIRECTOR", D(2018, 1, 1))
    g.finding("F-NS-1", tech, decided_on=D(2024, 1, 10), act_date=D(2023, 5, 1))
    g.write(runner)
    assert backfill_name_keys(runner, batch=3) == 8  # 5 persons, 3 enterprises, batch by batch
    assert backfill_name_keys(runner) == 0
    return runner


def _persons(found: NameSearch) -> dict[str | None, Any]:
    return {item.person.id_number: item for item in found.persons}


def test_namesakes_are_all_listed_with_the_facts_that_tell_them_apart(graph: QueryRunner) -> None:
    found = search_names(graph, "张伟", TODAY, kind="person")
    persons = _persons(found)
    assert found.enterprises == [] and "not findings" in found.note
    assert [item.person.id_number for item in found.persons[:2]] == sorted(NAMESAKES)
    bj, cq = persons[WEI_BJ], persons[WEI_CQ]
    assert bj.match is cq.match is MatchKind.EXACT and bj.score == cq.score == 1.0
    assert (bj.birth_year, bj.region_code) == (1980, "110105")
    assert (cq.birth_year, cq.region_code) == (1992, "500103")
    assert bj.sex == ("M" if int(WEI_BJ[16]) % 2 else "F")
    assert [(p.role, p.enterprise.name) for p in bj.positions] == [
        ("LEGAL_REPRESENTATIVE", "某某建设有限公司")
    ]
    assert [(p.role, p.enterprise.uscc) for p in cq.positions] == [("DIRECTOR", TECH)]
    assert (bj.has_findings, cq.has_findings) == (False, True)
    # The homophone 张玮 comes after both, by sound; 李四 is no candidate.
    assert persons[WEI_HOMOPHONE].match is MatchKind.PINYIN
    assert found.persons[2].person.id_number == WEI_HOMOPHONE and STRANGER not in persons


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("张玮", MatchKind.PINYIN),
        ("zhang wei", MatchKind.PINYIN),
        ("ZhangWei", MatchKind.PINYIN),
        ("zw", MatchKind.PINYIN_INITIALS),
        ("zhangwie", MatchKind.FUZZY),
    ],
)
def test_sound_initials_and_typos_find_both_namesakes(
    graph: QueryRunner, text: str, kind: MatchKind
) -> None:
    persons = _persons(search_names(graph, text, TODAY, kind="person"))
    assert {persons[n].match for n in NAMESAKES} == {kind}
    assert STRANGER not in persons


def test_a_near_name_is_a_fuzzy_candidate(graph: QueryRunner) -> None:
    persons = _persons(search_names(graph, "张小伟", TODAY, kind="person"))
    assert persons[XIAOJUN].match is MatchKind.FUZZY and persons[XIAOJUN].score < 0.8


def test_partial_enterprise_name_with_its_facts(graph: QueryRunner) -> None:
    found = search_names(graph, "重庆某某建设", TODAY, kind="enterprise")
    assert found.persons == []
    best = found.enterprises[0]
    assert (best.enterprise.uscc, best.match) == (BUILDER, MatchKind.SUBSTRING)
    assert best.established_on == D(2012, 3, 1) and best.status == "ACTIVE"
    assert best.legal_representative is not None
    assert best.legal_representative.id_number == WEI_BJ
    assert TECH not in {item.enterprise.uscc for item in found.enterprises}
    listed = search_names(graph, "顶点科技", TODAY, kind="enterprise").enterprises[0]
    assert listed.has_findings and not best.has_findings


def test_limit_truncates_and_an_id_number_is_refused(graph: QueryRunner) -> None:
    found = search_names(graph, "zw", TODAY, kind="person", limit=1)
    assert len(found.persons) == 1 and found.truncated
    with pytest.raises(Exception, match="ID number"):
        search_names(graph, WEI_BJ, TODAY)


def test_loaded_persons_carry_their_search_keys(graph: QueryRunner, tmp_path: Path) -> None:
    number = resident_id(66, "19880808", "110105")
    (tmp_path / "persons.csv").write_text(
        f"id_type,id_number,name\nRESIDENT_ID,{number},欧阳娜娜\n", encoding="utf-8"
    )
    load_directory(graph, tmp_path)
    row = graph.read(
        "MATCH (p:Person {id_number: $n}) RETURN p.name_pinyin AS py, p.name_initials AS ini",
        n=number,
    )
    assert row == [{"py": "ou yang na na", "ini": "oynn"}]
    assert _persons(search_names(graph, "ouyang nana", TODAY))[number].match is MatchKind.PINYIN


# -- HTTP API ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(
    graph: QueryRunner, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, ApiSettings, dict[Role, str]]]:
    settings = ApiSettings(home=tmp_path_factory.mktemp("api"), audit_fsync=False)
    store = KeyStore(settings.keys_path)
    keys = {
        role: store.create(
            role, f"{role.value}-search", "HR01" if role is Role.IMPLEMENTER else None
        ).key
        for role in Role
    }
    with TestClient(create_app(settings, neo4j_target)) as test_client:
        yield test_client, settings, keys


def _numbers(document: Any) -> set[str]:
    text = json.dumps(document)
    return {number for number in (WEI_BJ, WEI_CQ, WEI_HOMOPHONE) if number in text}


def test_api_masks_by_role_and_audits_every_person_shown(
    client: tuple[TestClient, ApiSettings, dict[Role, str]],
) -> None:
    http, settings, keys = client
    for role in Role:
        response = http.post(
            "/v1/search", json={"text": "张伟", "limit": 5}, headers={"X-API-Key": keys[role]}
        )
        assert response.status_code == 200, (role, response.text)
        document = response.json()
        assert {p["person"]["id_masked"][:6] for p in document["persons"][:2]} == {
            "110105",
            "500103",
        }
        if role in (Role.INVESTIGATOR, Role.ADMIN):
            assert _numbers(document) == {WEI_BJ, WEI_CQ, WEI_HOMOPHONE}
        else:
            assert _numbers(document) == set()
    entry = json.loads(settings.audit_path.read_text().splitlines()[-1])
    assert entry["endpoint"] == "/v1/search" and entry["method"] == "POST"
    refs = SubjectRefs(settings.secret_bytes())
    shown = {refs.person("RESIDENT_ID", n) for n in (WEI_BJ, WEI_CQ, WEI_HOMOPHONE)}
    assert shown <= set(entry["subjects"])
    assert "张伟" not in settings.audit_path.read_text()


def test_api_takes_the_name_only_in_a_body(
    client: tuple[TestClient, ApiSettings, dict[Role, str]],
) -> None:
    http, _, keys = client
    headers = {"X-API-Key": keys[Role.VIEWER]}
    assert http.get("/v1/search", params={"text": "张伟"}, headers=headers).status_code == 405
    refused = http.post("/v1/search", json={"text": WEI_BJ}, headers=headers)
    assert refused.status_code == 422 and WEI_BJ not in refused.text
    assert http.post("/v1/search", json={"text": " "}, headers=headers).status_code == 422
    only = http.post("/v1/search", json={"text": "建设", "kind": "enterprise"}, headers=headers)
    assert only.status_code == 200 and only.json()["persons"] == []
    assert {e["enterprise"]["uscc"] for e in only.json()["enterprises"]} == {BUILDER, TRADER}
    assert http.post("/v1/search", json={"text": "张伟"}).status_code == 401


# -- command line --------------------------------------------------------------------------------
def test_cli_search_and_enterprise_by_name(graph: QueryRunner, neo4j_env: dict[str, str]) -> None:
    cli = CliRunner()
    result = cli.invoke(cli_app, ["search", "张伟", "--kind", "person", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {p["person"]["id_masked"] for p in document["persons"][:2]} == {
        WEI_BJ[:6] + "********" + WEI_BJ[-4:],
        WEI_CQ[:6] + "********" + WEI_CQ[-4:],
    }
    assert _numbers(document) == set()
    table = cli.invoke(cli_app, ["search", "zw", "--kind", "person"])
    assert table.exit_code == 0 and "PINYIN_INITIALS" in table.stdout
    assert "candidates to verify" in table.stdout.lower().replace("\n", " ")
    audit = (Path(neo4j_env["TRACER_API_HOME"]) / "audit.jsonl").read_text().splitlines()
    assert json.loads(audit[0])["endpoint"] == "tracer search"
    profile = cli.invoke(cli_app, ["enterprise", "某某建设有限公司", "--json"])
    assert profile.exit_code == 0, profile.output
    assert json.loads(profile.stdout)["enterprise"]["uscc"] == BUILDER
    several = cli.invoke(cli_app, ["enterprise", "建设"])
    assert several.exit_code == 1
    assert BUILDER in several.stdout and TRADER in several.stdout
    assert "USCC" in several.output


# -- explorer -------------------------------------------------------------------------------------
def test_the_explorer_posts_names_and_builds_no_url_from_them(
    client: tuple[TestClient, ApiSettings, dict[Role, str]],
) -> None:
    """The name box POSTs to /v1/search; no script puts a name into a URL (a person candidate is
    opened by a check whose ID number travels in the body, an enterprise by its USCC)."""
    scripts = {
        path.name: path.read_text(encoding="utf-8") for path in (STATIC_DIR / "js").glob("*.js")
    }
    assert re.search(
        r'searchNames: \(text, kind\) => api\("POST", "/v1/search", \{ text\b', scripts["api.js"]
    )
    for name, text in scripts.items():
        assert "/v1/search?" not in text and "/v1/search/" not in text, name
    search = scripts["search.js"]
    assert "endpoints.searchNames(" in search and "encodeURIComponent" not in search
    assert "open.enterprise(item.enterprise.uscc)" in search and "open.person(subject)" in search
    http, _, _ = client
    page = http.get("/explore")
    assert page.status_code == 200 and 'id="name-form"' in page.text
    assert http.get("/explore/static/js/search.js").status_code == 200
