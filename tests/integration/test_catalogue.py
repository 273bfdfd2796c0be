"""The Cypher catalogue: every statement is used, every name used resolves, every fragment is
included, and every composed statement is accepted by Neo4j's planner (EXPLAIN)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracer.queries.catalogue import catalogue_names, cypher, fragment_names, included_fragments
from tracer.queries.runner import QueryRunner

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "tracer", ROOT / "bench")
_LITERAL = re.compile(r"""f?["']([a-z][a-z0-9_]*(?:\{[^}"']*\}[a-z0-9_]*)?)["']""")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _python_sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for folder in SOURCES for path in folder.rglob("*.py")
    )


def test_every_statement_is_named_in_the_code() -> None:
    literals = set(_LITERAL.findall(_python_sources()))
    prefixes = [name.split("{", 1)[0] for name in literals if "{" in name]
    unused = [
        name
        for name in catalogue_names()
        if name not in literals and not any(name.startswith(prefix) for prefix in prefixes)
    ]
    assert unused == []


def test_every_name_given_to_cypher_resolves() -> None:
    for name in re.findall(r"""cypher\(\s*["']([a-z0-9_]+)["']""", _python_sources()):
        assert cypher(name)  # raises KeyError for an unknown name


def test_every_fragment_is_included() -> None:
    included = set().union(*(included_fragments(name) for name in catalogue_names()))
    assert set(fragment_names()) <= included


@pytest.mark.parametrize("name", catalogue_names())
def test_every_statement_passes_explain(runner: QueryRunner, name: str) -> None:
    text = cypher(name)
    parameters = {key: None for key in _PARAMETER.findall(text)}
    with runner.driver.session(database=runner.database) as session:
        session.run("EXPLAIN " + text, parameters).consume()
