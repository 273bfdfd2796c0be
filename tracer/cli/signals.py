"""Command: tracer signals — ban breaches, repeat offenders, phoenix, red-list conflicts, green
channel (investigators)."""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import BaseModel

from tracer.cli.context import (
    AS_OF_OPTION,
    JSON_OPTION,
    audit_read,
    database,
    day,
    emit_json,
    fail,
    out,
    resolve_argument,
    table,
    who,
)
from tracer.cli.exports import EXPORT_OPTION, export_target, sheet, write_export
from tracer.domain.sheets import Sheet
from tracer.queries import signals
from tracer.queries.paging import MAX_LIMIT, Page

KINDS = ("ban-breaches", "repeat-offenders", "phoenix", "redlist-conflicts", "green-channel")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("signals")(signals_command)


def signals_command(
    kind: str | None = typer.Option(
        None, "--kind", help=f"One of {', '.join(KINDS)}; default all but green-channel."
    ),
    subject: str | None = typer.Option(
        None, "--subject", help="green-channel: USCC, ID_TYPE:NUMBER or resident ID."
    ),
    as_of: str | None = AS_OF_OPTION,
    window_days: int = typer.Option(365, "--window-days", help="phoenix: days after listing."),
    limit: int = typer.Option(20, "--limit", help=f"Items per signal (1..{MAX_LIMIT})."),
    offset: int = typer.Option(0, "--offset", help="Items to skip."),
    target: Path | None = EXPORT_OPTION,
    json_output: bool = JSON_OPTION,
) -> None:
    """Signals: ban breaches, repeat offenders, phoenix, red-list conflicts, green channel."""
    export_target(target)
    if kind is not None and kind not in KINDS:
        fail(f"--kind must be one of {', '.join(KINDS)}")
    if kind == "green-channel" and not subject:
        fail("--kind green-channel needs --subject")
    on = day(as_of)
    kinds = [kind] if kind else [k for k in KINDS if k != "green-channel"]
    document: dict[str, BaseModel] = {}
    with database() as runner:
        for name in kinds:
            if name == "green-channel":
                assert subject is not None
                key = resolve_argument(runner, "--subject", subject)
                document[name] = signals.green_channel(runner, key, on)
            elif name == "ban-breaches":
                document[name] = signals.ban_breaches(runner, on, limit, offset)
            elif name == "repeat-offenders":
                document[name] = signals.repeat_offenders(runner, on, limit=limit, offset=offset)
            elif name == "phoenix":
                document[name] = signals.phoenix_candidates(runner, on, window_days, limit, offset)
            else:
                document[name] = signals.red_list_conflicts(runner, on, limit, offset)
    audit_read("signals", disclosed=document)
    if target is not None:
        write_export(target, [_signal_sheet(name, result) for name, result in document.items()])
    if json_output:
        emit_json(
            {"as_of": on.isoformat(), **{k: v.model_dump(mode="json") for k, v in document.items()}}
        )
        return
    for name in kinds:
        _print_signal(name, document[name])


def _signal_row(item: object) -> tuple[str, str, str]:
    if isinstance(item, signals.BanBreach):
        post = item.new_position
        return (
            who(item.person),
            f"{item.effect} {item.ban.rule} {item.ban.finding_id} "
            f"{item.ban_from}..{item.ban_until or 'open'}",
            f"{post.role} at {who(enterprise=post.enterprise)} since {post.start_date}",
        )
    if isinstance(item, signals.RepeatOffender):
        counts = f"{item.findings} findings, {item.enterprises} enterprises"
        return (who(item.person), counts, ", ".join(item.finding_ids))
    if isinstance(item, signals.PhoenixCandidate):
        shared = ", ".join(who(s.person) for s in item.shared_people)
        address = " same address" if item.same_address else ""
        return (
            f"{who(enterprise=item.listed)} → {who(enterprise=item.new)}",
            f"score {item.score}, {item.days_after_listing} days after {item.finding_id}",
            f"{shared}{address}",
        )
    assert isinstance(item, signals.RedListConflict)
    return (
        who(item.person, item.enterprise),
        f"{item.honour.honour} ({item.honour.granted_on}; id {item.honour.honour_id})",
        f"{', '.join(item.finding_ids)} via {', '.join(item.rules)}",
    )


def _signal_sheet(name: str, result: BaseModel) -> Sheet:
    """A signal's rows for ``--out`` (green channel: its one answer)."""
    return sheet(name, result.items if isinstance(result, Page) else [result])


def _print_signal(name: str, result: BaseModel) -> None:
    if isinstance(result, signals.GreenChannel):
        verdict = "eligible" if result.eligible else "not eligible"
        subject = who(result.person, result.enterprise)
        out.print(f"Green channel for {subject} on {result.as_of}: {verdict} — {result.reason}")
        return
    assert isinstance(result, Page)
    found = table(f"{name} ({result.total} found)", "subject", "signal", "evidence")
    for item in result.items:
        found.add_row(*_signal_row(item))
    out.print(found)
