"""Commands: tracer owners, paths, network (investigators), signals, stats, worklist."""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table
from rich.tree import Tree

from tracer.api.audit import SubjectRefs
from tracer.cli.context import audit_read, database, emit_json, fail, out
from tracer.domain.errors import InvalidInput, NotFound, TracerError
from tracer.domain.values import parse_date
from tracer.queries import signals, stats, worklist
from tracer.queries.models import EnterpriseRef, PersonRef, redact
from tracer.queries.network import neighbourhood
from tracer.queries.ownership import Chain, OwnersReport, Subject, owners
from tracer.queries.paths import (
    GraphEdge,
    GraphNode,
    PathsResult,
    SubjectKey,
    find_paths,
    resolve_subject,
)
from tracer.queries.runner import QueryRunner

JSON_OPTION = typer.Option(False, "--json", help="Machine output (one JSON document).")
AS_OF_OPTION = typer.Option(None, "--as-of", help="Date to look at (YYYY-MM-DD); default today.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("owners")(owners_command)
    app.command("paths")(paths_command)
    app.command("network")(network_command)
    # signals, stats, worklist, feedback (work lists and signals engineer)
    app.command("signals")(signals_command)
    app.command("stats")(stats_command)
    app.command("worklist")(worklist_command)
    app.command("feedback")(feedback_command)
    app.command("overdue")(overdue_command)


# -- shared helpers ------------------------------------------------------------------------------
def _date(text: str | None) -> date | None:
    try:
        return parse_date(text)
    except TracerError as exc:
        fail(f"--as-of: {exc}")


def subject_candidates(text: str) -> list[SubjectKey]:
    """What a FROM/TO argument can mean: ``ID_TYPE:NUMBER``, a USCC, or a bare resident ID
    (both when an 18-character value passes both checks)."""
    value = text.strip()
    if ":" in value:
        id_type, number = value.split(":", 1)
        return [SubjectKey.person(id_type.strip().upper(), number).normalised()]
    candidates: list[SubjectKey] = []
    for make in (SubjectKey.enterprise, lambda v: SubjectKey.person("RESIDENT_ID", v)):
        try:
            candidates.append(make(value).normalised())
        except InvalidInput:
            continue
    if not candidates:
        raise InvalidInput("not a valid USCC, resident ID, or ID_TYPE:NUMBER")
    return candidates


def _resolve_argument(runner: QueryRunner, name: str, text: str) -> SubjectKey:
    try:
        candidates = subject_candidates(text)
    except InvalidInput as exc:
        fail(f"{name}: {exc}")
    for candidate in candidates[:-1]:
        try:
            resolve_subject(runner, candidate)
        except NotFound:
            continue
        return candidate
    return candidates[-1]


def _subject_text(subject: Subject) -> str:
    if subject.person is not None:
        return f"{subject.name or '?'} ({subject.person.id_type} {subject.person.id_masked})"
    return f"{subject.name or '?'} ({subject.uscc or subject.code})"


def _percent(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2%}"


def _chain_text(chain: Chain) -> str:
    parts = [_subject_text(chain.subjects[0])]
    for link, share, subject in zip(chain.links, chain.shares, chain.subjects[1:], strict=True):
        arrow = "controls" if link == "ACTUAL_CONTROLLER" else _percent(share)
        parts.append(f"─{arrow}→ {subject.name or subject.uscc}")
    product = f"  = {_percent(chain.product)}" if chain.product is not None else ""
    return " ".join(parts) + product


def _node_text(node: GraphNode) -> str:
    flags = f" [{','.join(node.flags)}]" if node.flags else ""
    if node.kind == "FINDING":
        return f"{node.label}{flags}"
    key = node.person.id_masked if node.person else node.key
    return f"{node.label} ({key}){flags}"


def _edge_text(edge: GraphEdge) -> str:
    detail = edge.role or edge.capacity or edge.qualification or edge.type
    if edge.type == "OWNS":
        detail += f" {_percent(edge.share)}"
    if edge.ended:
        detail += " (ended)"
    return detail


# -- tracer owners -------------------------------------------------------------------------------
def owners_command(
    uscc: str = typer.Argument(..., help="USCC of the enterprise."),
    threshold: float = typer.Option(0.25, "--threshold", help="Beneficial-owner share (0..1)."),
    as_of: str | None = AS_OF_OPTION,
    max_depth: int = typer.Option(10, "--max-depth", help="Longest chain (1..15)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Beneficial owners and actual controllers of an enterprise, with the proving chains."""
    on = _date(as_of) or date.today()
    with database() as runner:
        report = owners(runner, uscc, on, threshold=threshold, max_depth=max_depth)
    if json_output:
        emit_json(redact(report))
        return
    _print_owners(report)


def _print_owners(report: OwnersReport) -> None:
    name = report.enterprise.name or report.enterprise.uscc
    table = Table(title=f"Owners of {name} ({report.enterprise.uscc}) on {report.as_of}")
    for column in ("owner", "kind", "share", "direct", "beneficial owner", "controller"):
        table.add_column(column)
    for owner in report.owners:
        share = _percent(owner.share)
        if owner.share is None:
            share = f"≥ {owner.share_known_part:.2%} ({owner.unknown_chains} unknown)"
        role = owner.controller or ("controlling shareholder" if owner.controls else "")
        table.add_row(
            _subject_text(owner.subject),
            owner.subject.kind,
            share,
            _percent(owner.direct_share),
            owner.beneficial_owner_basis or "",
            role,
        )
    out.print(table)
    if report.controllers:
        tree = Tree("Actual controllers (derived ones are candidates for the authority)")
        for controller in report.controllers:
            label = "ultimate, " if controller.ultimate else ""
            branch = tree.add(
                f"{_subject_text(controller.subject)}: {label}{controller.basis}", highlight=False
            )
            for chain in controller.chains:
                branch.add(_chain_text(chain), highlight=False)
        out.print(tree)
    else:
        out.print("No actual controller declared or derived.")
    for note in report.notes:
        out.print(f"[yellow]note:[/] {note}")


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
    on = _date(as_of)
    with database() as runner:
        start = _resolve_argument(runner, "FROM", source)
        end = _resolve_argument(runner, "TO", target)
        _audit("paths", start, end)
        result = find_paths(runner, start, end, max_hops=max_hops, limit=limit, as_of=on)
    if json_output:
        emit_json(redact(result))
        return
    _print_paths(result)


def _print_paths(result: PathsResult) -> None:
    head = f"{_node_text(result.source)} → {_node_text(result.target)}"
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


def _audit(command: str, *subjects: SubjectKey) -> None:
    """Audit a read around these subjects (persons only as keyed hashes)."""
    audit_read(
        command,
        persons=[(s.id_type, s.id_number) for s in subjects if s.id_type and s.id_number],
        others=[SubjectRefs.enterprise(s.uscc) for s in subjects if s.uscc],
    )


# -- tracer network ------------------------------------------------------------------------------
def network_command(
    subject: str = typer.Argument(..., help="USCC (or ID_TYPE:NUMBER) at the centre."),
    depth: int = typer.Option(1, "--depth", help="Relationships from the centre (1..3)."),
    limit: int = typer.Option(200, "--limit", help="Most nodes (1..1000)."),
    as_of: str | None = AS_OF_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Nodes and relationships around an enterprise or person (for a graph view)."""
    on = _date(as_of)
    with database() as runner:
        center = _resolve_argument(runner, "subject", subject)
        _audit("network", center)
        network = neighbourhood(runner, center, depth=depth, limit=limit, as_of=on)
    if json_output:
        emit_json(redact(network))
        return
    labels = {node.id: _node_text(node) for node in network.nodes}
    table = Table(title=f"Network around {labels[network.center]} (depth {network.depth})")
    for column in ("from", "relationship", "to", "since", "until"):
        table.add_column(column)
    for edge in network.edges:
        table.add_row(
            labels[edge.source],
            _edge_text(edge),
            labels[edge.target],
            str(edge.start_date or ""),
            str(edge.end_date or ""),
        )
    out.print(table)
    out.print(f"{len(network.nodes)} nodes, {len(network.edges)} relationships")
    if network.truncated:
        out.print("[yellow]note:[/] truncated at the node or relationship cap")


# == signals, stats, worklist, feedback (work lists and signals engineer) =======================
SIGNAL_KINDS = ("ban-breaches", "repeat-offenders", "phoenix", "redlist-conflicts", "green-channel")


def _page_options(limit: int, offset: int) -> None:
    if not 1 <= limit <= 500 or offset < 0:
        fail("--limit must be in 1..500 and --offset >= 0")


def signals_command(
    kind: str | None = typer.Option(
        None, "--kind", help=f"One of {', '.join(SIGNAL_KINDS)}; default all but green-channel."
    ),
    subject: str | None = typer.Option(
        None, "--subject", help="green-channel: USCC, ID_TYPE:NUMBER or resident ID."
    ),
    as_of: str | None = AS_OF_OPTION,
    window_days: int = typer.Option(365, "--window-days", help="phoenix: days after listing."),
    limit: int = typer.Option(20, "--limit", help="Items per signal (1..500)."),
    offset: int = typer.Option(0, "--offset", help="Items to skip."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Signals: ban breaches, repeat offenders, phoenix, red-list conflicts, green channel."""
    if kind is not None and kind not in SIGNAL_KINDS:
        fail(f"--kind must be one of {', '.join(SIGNAL_KINDS)}")
    if kind == "green-channel" and not subject:
        fail("--kind green-channel needs --subject")
    _page_options(limit, offset)
    on = _date(as_of) or date.today()
    kinds = [kind] if kind else [k for k in SIGNAL_KINDS if k != "green-channel"]
    document: dict[str, object] = {"as_of": on}
    with database() as runner:
        for name in kinds:
            if name == "green-channel":
                assert subject is not None
                key = _resolve_argument(runner, "--subject", subject)
                document[name] = signals.green_channel(runner, key, on)
            elif name == "ban-breaches":
                document[name] = signals.ban_breaches(runner, on, limit, offset)
            elif name == "repeat-offenders":
                document[name] = signals.repeat_offenders(runner, on, limit=limit, offset=offset)
            elif name == "phoenix":
                document[name] = signals.phoenix_candidates(runner, on, window_days, limit, offset)
            else:
                document[name] = signals.red_list_conflicts(runner, on, limit, offset)
    if json_output:
        emit_json(redact(document))
        return
    for name in kinds:
        _print_signal(name, document[name])


def _who(person: PersonRef | None, enterprise: EnterpriseRef | None) -> str:
    if person is not None:
        return f"{person.name or '?'} ({person.id_type} {person.id_masked})"
    if enterprise is not None:
        return f"{enterprise.name or '?'} ({enterprise.uscc})"
    return "?"


def _signal_row(item: object) -> tuple[str, str, str]:
    if isinstance(item, signals.BanBreach):
        post = item.new_position
        return (
            _who(item.person, None),
            f"{item.effect} {item.ban.rule} {item.ban.finding_id} "
            f"{item.ban_from}..{item.ban_until or 'open'}",
            f"{post.role} at {_who(None, post.enterprise)} since {post.start_date}",
        )
    if isinstance(item, signals.RepeatOffender):
        counts = f"{item.findings} findings, {item.enterprises} enterprises"
        return (_who(item.person, None), counts, ", ".join(item.finding_ids))
    if isinstance(item, signals.PhoenixCandidate):
        shared = ", ".join(_who(s.person, None) for s in item.shared_people)
        address = " same address" if item.same_address else ""
        return (
            f"{_who(None, item.listed)} → {_who(None, item.new)}",
            f"score {item.score}, {item.days_after_listing} days after {item.finding_id}",
            f"{shared}{address}",
        )
    assert isinstance(item, signals.RedListConflict)
    return (
        _who(item.person, item.enterprise),
        f"{item.honour.honour} ({item.honour.granted_on})",
        f"{', '.join(item.finding_ids)} via {', '.join(item.rules)}",
    )


def _print_signal(name: str, result: object) -> None:
    if isinstance(result, signals.GreenChannel):
        verdict = "eligible" if result.eligible else "not eligible"
        who = _who(result.person, result.enterprise)
        out.print(f"Green channel for {who} on {result.as_of}: {verdict} — {result.reason}")
        return
    assert isinstance(result, signals.Page)
    table = Table(title=f"{name} ({result.total} found)")
    for column in ("subject", "signal", "evidence"):
        table.add_column(column)
    for item in result.items:
        table.add_row(*_signal_row(item))
    out.print(table)


def stats_command(as_of: str | None = AS_OF_OPTION, json_output: bool = JSON_OPTION) -> None:
    """Summary counts: findings by dimension, liable persons by rule/effect, feedback completion."""
    on = _date(as_of) or date.today()
    with database() as runner:
        result = stats.summary(runner, on)
    if json_output:
        emit_json(result.model_dump(mode="json"))
        return
    found = result.findings
    for title, counts in (
        ("findings by category", found.by_category),
        ("findings by list type", found.by_list_type),
        ("findings by status", found.by_status),
        ("findings by province", found.by_province),
        ("findings by authority", found.by_authority),
        ("liable persons by rule", result.liable.by_rule),
        ("liable persons by effect", result.liable.by_effect),
    ):
        table = Table(title=title)
        table.add_column("key")
        table.add_column("count", justify="right")
        for key, count in counts.items():
            table.add_row(key, str(count))
        out.print(table)
    table = Table(title=f"feedback completion on {result.as_of}")
    for column in ("department", "kind", "pushed", "answered", "completion"):
        table.add_column(column)
    for row in result.feedback:
        share = "" if row.completion is None else f"{row.completion:.0%}"
        table.add_row(row.department, row.kind or "?", str(row.pushed), str(row.answered), share)
    out.print(table)
    out.print(f"{found.total} findings, {result.liable.persons} liable persons")


def worklist_command(
    department_code: str = typer.Argument(..., metavar="DEPT_CODE", help="Department code."),
    as_of: str | None = AS_OF_OPTION,
    limit: int = typer.Option(50, "--limit", help="Findings per page (1..500)."),
    offset: int = typer.Option(0, "--offset", help="Findings to skip."),
    json_output: bool = JSON_OPTION,
) -> None:
    """What a department must restrict on a date, with the measures it owns and the evidence."""
    _page_options(limit, offset)
    on = _date(as_of) or date.today()
    with database() as runner:
        result = worklist.worklist(runner, department_code, on, limit=limit, offset=offset)
    if json_output:
        emit_json(redact(result))
        return
    dept = result.department
    table = Table(
        title=f"Work list of {dept.name or dept.code} ({dept.kind or 'kind unknown'}) on {on}: "
        f"{result.total_findings} findings"
    )
    for column in ("finding", "target", "subject", "measures", "rules", "feedback"):
        table.add_column(column)
    for entry in result.entries:
        done = ", ".join(f"{fb.measure}:{fb.outcome}" for fb in entry.feedback)
        table.add_row(
            entry.finding.finding_id,
            entry.target,
            _who(entry.person, entry.enterprise),
            ", ".join(entry.measures),
            ", ".join(entry.rules),
            done,
        )
    out.print(table)
    if result.next_offset is not None:
        out.print(f"more: --offset {result.next_offset}")


def feedback_command(
    department_code: str = typer.Argument(..., metavar="DEPT_CODE", help="Department code."),
    finding_id: str = typer.Argument(..., metavar="FINDING_ID", help="Finding id."),
    subject: str = typer.Option(..., "--subject", help="USCC, ID_TYPE:NUMBER or resident ID."),
    measure: str = typer.Option(..., "--measure", help="Measure code the department owns."),
    outcome: str = typer.Option(..., "--outcome", help="APPLIED, NOT_APPLICABLE or REFUSED."),
    on: str | None = typer.Option(None, "--on", help="Date it was done (default today)."),
    reason: str | None = typer.Option(None, "--reason", help="Required unless APPLIED."),
    actor: str = typer.Option(..., "--actor", help="Who records this feedback."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Record what a department did about one measure for one subject of a finding."""
    day = _date(on) or date.today()
    with database() as runner:
        key = _resolve_argument(runner, "--subject", subject)
        saved = worklist.record_feedback(
            runner, department_code, finding_id, key, measure, outcome, day, reason, actor
        )
    if json_output:
        emit_json(redact(saved))
        return
    out.print(
        f"recorded {saved.outcome} of {saved.measure} for {_who(saved.person, saved.enterprise)} "
        f"on finding {saved.finding_id} by {saved.department} ({saved.feedback_id})"
    )


def overdue_command(
    days: int = typer.Option(30, "--days", help="Days without feedback (0..3650)."),
    as_of: str | None = AS_OF_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Findings pushed to departments with no feedback after N days (跟踪问效)."""
    on = _date(as_of) or date.today()
    with database() as runner:
        report = worklist.overdue_feedback(runner, on, days=days)
    if json_output:
        emit_json(report.model_dump(mode="json"))
        return
    table = Table(title=f"No feedback after {days} days, on {on}")
    for column in ("department", "kind", "overdue findings", "longest wait (days)"):
        table.add_column(column)
    for item in report.departments:
        table.add_row(
            item.department.code,
            item.department.kind or "?",
            str(len(item.overdue)),
            str(item.overdue[0].days_waiting),
        )
    out.print(table)
