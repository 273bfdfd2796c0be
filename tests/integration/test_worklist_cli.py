"""``tracer worklist``, ``feedback``, ``overdue``, ``signals`` and ``stats`` in-process."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from tests.fixtures.graph_builder import GraphBuilder, resident_id, uscc
from tracer.cli.main import app
from tracer.queries.reference import install_reference_data
from tracer.queries.runner import QueryRunner

A, A2, B = uscc(1), uscc(2, division="310101"), uscc(3)
ZHANG = resident_id(1)
AS_OF = "2024-06-01"
#: A finding id longer than any column of an 80-character table.
LONG_ID = "MS-310101-2024-00000000000000000019-ABNORMAL_3_YEARS"


@pytest.fixture()
def cli(runner: QueryRunner, neo4j_env: dict[str, str]) -> CliRunner:
    """Zhang represents A (a judgment defaulter, Beijing) and A2 (Shanghai, on the market
    supervision list for three years in the abnormal-operations directory: R7 officer ban), and
    took over B during the ban."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("COURT1", "北京市第一中级人民法院")
    g.department("MSA11", "北京市市场监督管理局", region_code="110000")
    g.enterprise(A, "甲公司", region_code="110105")
    g.enterprise(A2, "乙公司", region_code="310101")
    g.enterprise(B, "丙公司", region_code="110105", established_on=dt.date(2010, 1, 1))
    zhang = g.person(ZHANG, "张三")
    g.holds(zhang, A, "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1))
    g.holds(zhang, A2, "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1))
    g.holds(zhang, B, "LEGAL_REPRESENTATIVE", dt.date(2024, 3, 1))
    g.finding("F1", A, decided_on=dt.date(2024, 1, 1), list_type="JUDGMENT_DEFAULTER")
    g.finding(
        LONG_ID,
        A2,
        decided_on=dt.date(2024, 1, 1),
        list_type="MARKET_SUPERVISION_SERIOUS",
        ground="ABNORMAL_3_YEARS",
    )
    g.write(runner)
    return CliRunner()


def column(output: str, index: int) -> str:
    """The text of one column of a table's body rows without spaces (folded cells rejoin); in
    the one-block-per-row layout of a narrow terminal, all the text without spaces."""
    if "│" not in output:
        return "".join(output.split())
    cells = [line.split("│")[index] for line in output.splitlines() if line.count("│") > index]
    return "".join(cells).replace(" ", "")


def test_worklist_feedback_overdue(cli: CliRunner) -> None:
    before = cli.invoke(app, ["overdue", "--days", "30", "--as-of", AS_OF, "--json"])
    assert before.exit_code == 0, before.output
    overdue = {
        d["department"]["code"]: d["overdue"] for d in json.loads(before.stdout)["departments"]
    }
    assert [item["finding_id"] for item in overdue["COURT1"]] == ["F1"]
    listed = cli.invoke(app, ["worklist", "COURT1", "--as-of", AS_OF, "--json"])
    assert listed.exit_code == 0, listed.output
    assert ZHANG not in listed.stdout  # IDs masked
    document = json.loads(listed.stdout)
    assert document["department"]["kind"] == "COURT"
    assert {(e["target"], e["action"]) for e in document["entries"]} == {
        ("SUBJECT", "APPLY"),
        ("LIABLE_PERSON", "APPLY"),
    }
    details = document["entries"][0]["measure_details"]
    assert {"code": "FLIGHT_BAN", "mandatory": True} in [
        {"code": d["code"], "mandatory": d["mandatory"]} for d in details
    ]
    recorded = cli.invoke(
        app,
        [
            "feedback", "COURT1", "F1", "--subject", f"RESIDENT_ID:{ZHANG}",
            "--measure", "FLIGHT_BAN", "--outcome", "APPLIED", "--on", AS_OF,
            "--actor", "clerk", "--json",
        ],
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    assert json.loads(recorded.stdout)["outcome"] == "APPLIED"
    after = cli.invoke(app, ["overdue", "--days", "30", "--as-of", AS_OF, "--json"])
    codes = [d["department"]["code"] for d in json.loads(after.stdout)["departments"]]
    assert codes == ["MSA11"]
    human = cli.invoke(app, ["worklist", "COURT1", "--as-of", AS_OF])
    assert human.exit_code == 0 and "(COURT)" in human.stdout and "scope REGION" in human.stdout
    assert "FLIGHT_BAN(must)" in column(human.stdout, 5)
    assert "FLIGHT_BAN:APPLIED" in column(human.stdout, 8)


def test_worklist_scope(cli: CliRunner) -> None:
    region = cli.invoke(app, ["worklist", "MSA11", "--as-of", AS_OF, "--json"])
    assert region.exit_code == 0, region.output
    assert {e["finding"]["finding_id"] for e in json.loads(region.stdout)["entries"]} == {"F1"}
    everywhere = cli.invoke(
        app, ["worklist", "MSA11", "--as-of", AS_OF, "--scope", "all", "--json"]
    )
    assert everywhere.exit_code == 0, everywhere.output
    document = json.loads(everywhere.stdout)
    assert document["scope"] == "ALL"
    entries = {(e["finding"]["finding_id"], e["target"]): e for e in document["entries"]}
    assert set(entries) == {("F1", "SUBJECT"), (LONG_ID, "SUBJECT"), (LONG_ID, "LIABLE_PERSON")}
    assert entries[(LONG_ID, "LIABLE_PERSON")]["measures"] == ["OFFICER_BAN"]
    human = cli.invoke(app, ["worklist", "MSA11", "--as-of", AS_OF, "--scope", "ALL"])
    assert human.exit_code == 0 and "scope ALL" in human.stdout
    assert LONG_ID in column(human.stdout, 2) and "…" not in human.stdout
    wrong = cli.invoke(app, ["worklist", "MSA11", "--scope", "province"])
    assert wrong.exit_code == 1 and "--scope" in wrong.output


def test_feedback_errors_are_one_line(cli: CliRunner) -> None:
    result = cli.invoke(
        app,
        [
            "feedback", "COURT1", "F1", "--subject", A, "--measure", "MARKET_BAN",
            "--outcome", "APPLIED", "--actor", "clerk",
        ],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "does not implement MARKET_BAN" in result.output
    unknown = cli.invoke(app, ["worklist", "NOPE"])
    assert unknown.exit_code == 1 and "no department" in unknown.output


def test_signals_and_stats(cli: CliRunner) -> None:
    result = cli.invoke(app, ["signals", "--as-of", AS_OF, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {
        "as_of", "ban-breaches", "repeat-offenders", "phoenix", "redlist-conflicts",
    }  # fmt: skip
    breaches = document["ban-breaches"]["items"]
    assert {(b["effect"], b["ban"]["rule"], b["ban"]["finding_id"]) for b in breaches} == {
        ("OFFICER_BAN", "R7", LONG_ID)
    }
    posts = [b["new_position"]["enterprise"]["uscc"] for b in breaches]
    assert posts == [B, A] and ZHANG not in result.stdout  # A: held before the ban, still held
    green = cli.invoke(
        app, ["signals", "--kind", "green-channel", "--subject", B, "--as-of", AS_OF, "--json"]
    )
    assert green.exit_code == 0, green.output
    assert json.loads(green.stdout)["green-channel"]["eligible"] is True
    human = cli.invoke(app, ["signals", "--kind", "ban-breaches", "--as-of", AS_OF])
    assert human.exit_code == 0 and "OFFICER_BAN" in human.stdout
    assert LONG_ID in column(human.stdout, 2)
    assert cli.invoke(app, ["signals", "--kind", "nope"]).exit_code == 1
    stats = cli.invoke(app, ["stats", "--as-of", AS_OF, "--json"])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["findings"]["total"] == 2
    assert cli.invoke(app, ["stats", "--as-of", AS_OF]).exit_code == 0
