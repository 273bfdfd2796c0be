"""Commands: tracer paths, network — how subjects are connected (investigators)."""

from __future__ import annotations

import typer
from rich.tree import Tree

from tracer.cli.context import (
    AS_OF_OPTION,
    JSON_OPTION,
    audit_read,
    database,
    emit_model,
    optional_day,
    out,
    resolve_argument,
    table,
)
from tracer.graph.settings import get_clock
from tracer.queries.network import neighbourhood
from tracer.queries.paths import GraphEdge, GraphNode, PathsResult, find_paths


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("paths")(paths_command)
    app.command("network")(network_command)


def _percent(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2%}"


def _node_text(node: GraphNode) -> str:
    flags = f" [{','.join(node.flags)}]" if node.flags else ""
    if node.kind == "FINDING":
        return f"{node.label}{flags}"
    key = node.person.id_masked if node.person else node.key
    return f"{node.label} ({key}){flags}"


def _edge_text(edge: GraphEdge) -> str:
    detail = (
        " + ".join(edge.roles)
        if len(edge.roles) > 1
        else edge.role or edge.capacity or edge.qualification or edge.type
    )
    if edge.type == "OWNS":
        detail += f" {_percent(edge.share)}"
    if edge.ended:
        detail += " (ended)"
    return detail


# -- tracer paths --------------------------------------------------------------------------------
def paths_command(
    source: str = typer.Argument(..., metavar="FROM", help="USCC, ID_TYPE:NUMBER or resident ID."),
    target: str = typer.Argument(..., metavar="TO", help="USCC, ID_TYPE:NUMBER or resident ID."),
    max_hops: int = typer.Option(6, "--max-hops", help="Longest path (1..8)."),
    limit: int = typer.Option(10, "--limit", help="Most paths shown (1..50)."),
    as_of: str | None = AS_OF_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """How two subjects are connected, shortest first."""
    on = optional_day(as_of, "--as-of")
    with database() as runner:
        start = resolve_argument(runner, "FROM", source)
        end = resolve_argument(runner, "TO", target)
        result = find_paths(
            runner, start, end, max_hops=max_hops, limit=limit, as_of=on, clock=get_clock()
        )
    audit_read("paths", start, end, disclosed=result)
    if json_output:
        emit_model(result)
        return
    _print_paths(result)


def _print_paths(result: PathsResult) -> None:
    head = f"{_node_text(result.source)} → {_node_text(result.target)}"
    for note in result.notes if result.truncated else []:
        out.print(f"[yellow]note:[/] {note}", highlight=False)
    if not result.paths:
        out.print(f"No connection within {result.max_hops} hops: {head}", highlight=False)
        return
    tree = Tree(f"{len(result.paths)} shortest connection(s): {head}", highlight=False)
    for path in result.paths:
        parts = [_node_text(path.nodes[0])]
        for edge, before, node in zip(path.edges, path.nodes, path.nodes[1:], strict=False):
            forward = edge.source == before.id
            link = f"─{_edge_text(edge)}→" if forward else f"←{_edge_text(edge)}─"
            parts.append(f"{link} {_node_text(node)}")
        tree.add(f"{path.hops} hop(s): " + " ".join(parts), highlight=False)
    out.print(tree)


# -- tracer network ------------------------------------------------------------------------------
def network_command(
    subject: str = typer.Argument(..., help="USCC (or ID_TYPE:NUMBER) at the centre."),
    depth: int = typer.Option(1, "--depth", help="Relationships from the centre (1..3)."),
    limit: int = typer.Option(200, "--limit", help="Most nodes (1..1000)."),
    as_of: str | None = AS_OF_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Nodes and relationships around an enterprise or person (for a graph view)."""
    on = optional_day(as_of, "--as-of")
    with database() as runner:
        center = resolve_argument(runner, "subject", subject)
        network = neighbourhood(
            runner, center, depth=depth, limit=limit, as_of=on, clock=get_clock()
        )
    audit_read("network", center, disclosed=network)
    if json_output:
        emit_model(network)
        return
    labels = {node.id: _node_text(node) for node in network.nodes}
    found = table(
        f"Network around {labels[network.center]} (depth {network.depth})",
        "from", "relationship", "to", "since", "until",
    )  # fmt: skip
    for edge in network.edges:
        found.add_row(
            labels[edge.source],
            _edge_text(edge),
            labels[edge.target],
            str(edge.start_date or ""),
            str(edge.end_date or ""),
        )
    out.print(found)
    out.print(f"{len(network.nodes)} nodes, {len(network.edges)} relationships")
    if network.truncated:
        out.print("[yellow]note:[/] truncated at the node or relationship cap")
