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

A, B = uscc(1), uscc(2)
ZHANG = resident_id(1)
AS_OF = "2024-06-01"


@pytest.fixture()
def cli(runner: QueryRunner, neo4j_env: dict[str, str]) -> CliRunner:
    """Zhang represents listed A (a judgment defaulter) and later took over B during the ban."""
    install_reference_data(runner)
    g = GraphBuilder()
    g.department("COURT1", "北京市第一中级人民法院")
    g.enterprise(A, "甲公司")
    g.enterprise(B, "乙公司", established_on=dt.date(2010, 1, 1))
    zhang = g.person(ZHANG, "张三")
    g.holds(zhang, A, "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1))
    g.holds(zhang, B, "LEGAL_REPRESENTATIVE", dt.date(2024, 3, 1))
    g.finding("F1", A, decided_on=dt.date(2024, 1, 1), list_type="JUDGMENT_DEFAULTER")
    g.write(runner)
    return CliRunner()


def test_worklist_feedback_overdue(cli: CliRunner) -> None:
    before = cli.invoke(app, ["overdue", "--days", "30", "--as-of", AS_OF, "--json"])
    assert before.exit_code == 0, before.output
    assert json.loads(before.stdout)["departments"][0]["overdue"][0]["finding_id"] == "F1"
    listed = cli.invoke(app, ["worklist", "COURT1", "--as-of", AS_OF, "--json"])
    assert listed.exit_code == 0, listed.output
    assert ZHANG not in listed.stdout  # IDs masked
    document = json.loads(listed.stdout)
    assert document["department"]["kind"] == "COURT"
    targets = {entry["target"] for entry in document["entries"]}
    assert targets == {"SUBJECT", "LIABLE_PERSON"}
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
    assert json.loads(after.stdout)["departments"] == []
    human = cli.invoke(app, ["worklist", "COURT1", "--as-of", AS_OF])
    assert human.exit_code == 0 and "(COURT)" in human.stdout and "1 findings" in human.stdout


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
    breach = document["ban-breaches"]["items"][0]
    assert breach["new_position"]["enterprise"]["uscc"] == B and ZHANG not in result.stdout
    green = cli.invoke(
        app, ["signals", "--kind", "green-channel", "--subject", B, "--as-of", AS_OF, "--json"]
    )
    assert green.exit_code == 0, green.output
    assert json.loads(green.stdout)["green-channel"]["eligible"] is True
    human = cli.invoke(app, ["signals", "--kind", "ban-breaches", "--as-of", AS_OF])
    assert human.exit_code == 0 and "MARKET_BAN" in human.stdout
    assert cli.invoke(app, ["signals", "--kind", "nope"]).exit_code == 1
    stats = cli.invoke(app, ["stats", "--as-of", AS_OF, "--json"])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["findings"]["total"] == 1
    assert cli.invoke(app, ["stats", "--as-of", AS_OF]).exit_code == 0
