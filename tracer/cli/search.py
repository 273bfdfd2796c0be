"""Command: tracer search — persons and enterprises by name, as candidates to verify."""

from __future__ import annotations

from typing import cast

import typer

from tracer.cli.context import (
    JSON_OPTION,
    audit_read,
    database,
    emit_model,
    fail,
    out,
    table,
    text,
    who,
)
from tracer.domain.errors import TracerError
from tracer.graph.settings import get_clock
from tracer.queries.search import (
    MAX_CANDIDATES,
    EnterpriseCandidate,
    NameSearch,
    SearchKind,
    search_names,
)

KINDS = ("person", "enterprise")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("search")(search_command)


def find(name: str, kind: str | None, limit: int) -> NameSearch:
    """Run the search and record it in the audit log with every person it shows."""
    if kind is not None and kind not in KINDS:
        fail(f"--kind must be one of {', '.join(KINDS)}")
    try:
        with database() as runner:
            found = search_names(
                runner, name, get_clock().today(), cast(SearchKind | None, kind), limit
            )
    except TracerError as exc:
        fail(str(exc))
    audit_read("search", disclosed=found)
    return found


def search_command(
    name: str = typer.Argument(..., metavar="TEXT", help="A name, its pinyin or initials."),
    kind: str | None = typer.Option(None, "--kind", help="person or enterprise (default both)."),
    limit: int = typer.Option(
        20, "--limit", min=1, max=MAX_CANDIDATES, help="Candidates of each kind."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Persons and enterprises whose names match exactly, by pinyin or initials, in part or
    nearly: candidates to verify by ID number or USCC, never findings (a name is no identity)."""
    found = find(name, kind, limit)
    if json_output:
        emit_model(found)
        return
    print_search(found)


def print_search(found: NameSearch) -> None:
    """The candidates as tables, with the reminder that they are not findings."""
    if found.kind != "enterprise":
        persons = table(
            "Persons", "person", "born", "sex", "region", "holds today", "findings", "match"
        )
        for item in found.persons:
            persons.add_row(
                who(item.person),
                text(item.birth_year),
                text(item.sex),
                text(item.region_code),
                "; ".join(
                    f"{p.role} {p.enterprise.name or p.enterprise.uscc}" for p in item.positions
                ),
                "see check" if item.has_findings else "",
                f"{item.match} {item.score:.2f}",
            )
        out.print(persons)
    if found.kind != "person":
        print_enterprises(found.enterprises)
    if found.truncated:
        out.print("More candidates match: narrow the text or raise --limit.")
    out.print(f"[bold]{found.note}[/]")


def print_enterprises(candidates: list[EnterpriseCandidate]) -> None:
    """Enterprise candidates as a table."""
    enterprises = table(
        "Enterprises", "enterprise", "status", "region", "established", "legal rep.", "findings",
        "match",
    )  # fmt: skip
    for item in candidates:
        enterprises.add_row(
            who(enterprise=item.enterprise),
            text(item.status),
            text(item.region_code),
            text(item.established_on),
            who(item.legal_representative) if item.legal_representative else "",
            "see check" if item.has_findings else "",
            f"{item.match} {item.score:.2f}",
        )
    out.print(enterprises)
