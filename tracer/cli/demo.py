"""Commands: tracer demo — a generated data set, loaded, toured and served, for a first look.

Idempotent: the data set for (``--enterprises``, ``--seed``) is generated once into the data
directory and loaded once into a given database; a re-run finds the stamp and the planted
subjects in the graph and goes straight to the tour.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tracer.api.keys import KeyStore
from tracer.api.roles import Role
from tracer.cli.context import api_settings, audit_read, console, database, emit_json, fail, out
from tracer.cli.demo_examples import DESCRIPTIONS, demo_examples, example_subjects
from tracer.cli.demo_session import DemoSession, port_taken, recorded, running
from tracer.cli.serve import serve
from tracer.domain.errors import NotFound, TracerError
from tracer.domain.keys import PersonKey, SubjectKey
from tracer.graph.driver import resolve_target
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import get_clock, get_local_settings, get_neo4j_settings
from tracer.loaders.generate.dataset import generate_dataset
from tracer.loaders.generate.feedback import plant_feedback
from tracer.loaders.load import load_directory
from tracer.queries.liability import Check, PathElement, check_person
from tracer.queries.models import PersonRef
from tracer.queries.ownership import owners
from tracer.queries.paths import resolve_subject
from tracer.queries.runner import QueryRunner
from tracer.queries.signals import ban_breaches

DEFAULT_ENTERPRISES = 10_000
DEMO_KEY_NAME = "tracer-demo"
GENERATED = "generated.json"
LOADED = "loaded.json"


def _default_dir(enterprises: int, seed: int) -> Path:
    return get_local_settings().home.parent / "demo" / f"n{enterprises}-seed{seed}"


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document


def _bar(what: str) -> Progress:
    return Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def ensure_generated(directory: Path, enterprises: int, seed: int) -> dict[str, Any]:
    """The planted cases of the data set in ``directory``, generating it unless already there."""
    wanted = {"enterprises": enterprises, "seed": seed}
    stamp = _read_json(directory / GENERATED)
    planted = _read_json(directory / "planted_cases.json")
    if stamp == wanted and planted is not None:
        console.print(f"data set already generated in {directory}")
        return planted
    console.print(f"generating {enterprises} enterprises (seed {seed}) …")
    began = time.monotonic()
    with _bar("generating enterprises") as bar:
        task = bar.add_task("generate", total=enterprises)
        generate_dataset(
            directory, enterprises, seed, progress=lambda n: bar.update(task, completed=n)
        )
    (directory / GENERATED).write_text(json.dumps(wanted), encoding="utf-8")
    console.print(
        f"generated {enterprises} enterprises (seed {seed}) in {directory} "
        f"in {time.monotonic() - began:.0f}s"
    )
    planted = _read_json(directory / "planted_cases.json")
    assert planted is not None
    return planted


def _planted_subjects_present(runner: QueryRunner, planted: dict[str, Any]) -> bool:
    try:
        for case in planted["cases"]:
            for uscc in case["enterprises"].values():
                resolve_subject(runner, SubjectKey.enterprise(uscc))
            for person in case["persons"]:
                resolve_subject(runner, SubjectKey.person(person["id_type"], person["id_number"]))
    except NotFound:
        return False
    return True


def _ensure_feedback(
    runner: QueryRunner, directory: Path, stamp: dict[str, Any], seed: int
) -> None:
    """Plant implementer feedback once per loaded graph (recorded in the load stamp)."""
    if "feedback" in stamp:
        return
    began = time.monotonic()
    with console.status("Recording implementer feedback of some departments …"):
        stamp["feedback"] = plant_feedback(runner, get_clock().today(), seed, get_clock())
    console.print(
        f"recorded {stamp['feedback']} feedback records in {time.monotonic() - began:.0f}s"
    )
    (directory / LOADED).write_text(json.dumps(stamp, indent=1), encoding="utf-8")


def ensure_loaded(runner: QueryRunner, directory: Path, planted: dict[str, Any], seed: int) -> bool:
    """Load ``directory`` (and plant feedback) unless this database already holds it; True when
    it loaded now."""
    target = resolve_target()
    where = {"uri": target.uri, "database": target.database}
    stamp = _read_json(directory / LOADED)
    if (
        stamp is not None
        and stamp.get("target") == where
        and _planted_subjects_present(runner, planted)
    ):
        console.print(f"graph already loaded from {directory} (stamp {stamp['loaded_at']})")
        _ensure_feedback(runner, directory, stamp, seed)
        return False
    console.print(f"loading {directory} into {target.uri} …")
    with _bar("loading") as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, stem: str, done: int, total: int) -> None:
            if stage == "validate":
                return
            if stem not in tasks:
                tasks[stem] = bar.add_task(stem, total=total)
            bar.update(tasks[stem], completed=done, description=f"writing {stem}")

        report = load_directory(runner, directory, progress=progress, clock=get_clock())
    loaded = sum(counts.loaded for counts in report.files.values())
    console.print(
        f"loaded {loaded} rows in {report.seconds:.1f}s "
        f"({report.rows_per_second:.0f} rows/s); rejects in {report.rejects_file}"
    )
    document: dict[str, Any] = {
        "target": where,
        "loaded_at": get_clock().now().isoformat(timespec="seconds"),
        "rows": {stem: counts.loaded for stem, counts in report.files.items()},
        "seconds": report.seconds,
    }
    (directory / LOADED).write_text(json.dumps(document, indent=1), encoding="utf-8")
    _ensure_feedback(runner, directory, document, seed)
    return True


# -- the tour --------------------------------------------------------------------------------


def path_text(path: list[PathElement]) -> str:
    """An evidence path as one line: ``张三 —LEGAL_REPRESENTATIVE→ 甲公司 ←AGAINST— F-1``."""
    parts: list[str] = []
    for element in path:
        if element.element == "node":
            name = element.person.name if element.person else element.name
            parts.append(name or element.key or element.label)
        else:
            what = element.properties.get("role") or element.properties.get("capacity")
            label = f"{element.type}{f' {what}' if what else ''}"
            parts.append(f" —{label}→ " if element.direction == "forward" else f" ←{label}— ")
    return "".join(parts)


def _case(planted: dict[str, Any], case_id: str) -> dict[str, Any]:
    return next(case for case in planted["cases"] if case["id"] == case_id)


def _person(case: dict[str, Any], role_in_case: str) -> dict[str, Any]:
    return next(p for p in case["persons"] if p["role_in_case"] == role_in_case)


def _check(runner: QueryRunner, person: dict[str, Any], as_of: dt.date) -> Check:
    return check_person(runner, PersonKey(person["id_type"], person["id_number"]), as_of)


def _subject(check: Check) -> PersonRef:
    assert isinstance(check.subject, PersonRef)
    return check.subject


def tour(runner: QueryRunner, planted: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """Planted cases read back through the engine on ``as_of`` (and the ban breaches found, the
    planted one first): what the tour prints, as data."""
    timing = _case(planted, "APPOINTED_AFTER_ACT")
    liable = _check(runner, _person(timing, "liable_former_head"), as_of)
    exposed = _check(runner, _person(timing, "exposed_current_head"), as_of)
    pyramid = _case(planted, "DEEP_PYRAMID")
    bottom = pyramid["enterprises"][max(pyramid["enterprises"])]
    report = owners(runner, bottom, as_of)
    banned = _person(_case(planted, "BAN_BREACH"), "banned_person")
    found = ban_breaches(runner, as_of, limit=500).items
    distinct = {
        (b.person.id_number, b.ban.finding_id, b.new_position.enterprise.uscc): b for b in found
    }
    ordered = sorted(distinct.values(), key=lambda b: b.person.id_number != banned["id_number"])
    breaches = ordered[:3]
    audit_read("demo", disclosed=(liable, exposed, report, breaches))
    return {
        "as_of": as_of.isoformat(),
        "generated_as_of": planted["as_of"],
        "restricted_person": {
            "name": _subject(liable).name,
            "id_masked": _subject(liable).id_masked,
            "id_number_synthetic": _subject(liable).id_number,
            "restricted": liable.restricted,
            "liabilities": [
                {
                    "finding_id": item.finding_id,
                    "rule": item.rule,
                    "rule_name": item.rule_name,
                    "via": item.via,
                    "effects": item.effects,
                    "measures": item.measures,
                    "eligible_measures": item.eligible_measures,
                    "path": path_text(item.path),
                }
                for item in liable.liabilities
            ],
        },
        "exposure": {
            "name": _subject(exposed).name,
            "id_masked": _subject(exposed).id_masked,
            "restricted": exposed.restricted,
            "exposures": [
                {"finding_id": x.finding_id, "role": x.role, "since": x.since, "reason": x.reason}
                for x in exposed.exposures
            ],
        },
        "ownership_chain": {
            "enterprise": report.enterprise.model_dump(),
            "controllers": [
                {
                    "name": c.subject.name,
                    "basis": c.basis,
                    "share": c.share,
                    "chain": [s.name for s in c.chains[0].subjects] if c.chains else [],
                    "shares": c.chains[0].shares if c.chains else [],
                }
                for c in report.controllers
            ],
        },
        "ban_breach": [
            {
                "name": b.person.name,
                "id_masked": b.person.id_masked,
                "ban": f"{b.ban.rule} {b.effect} {b.ban_from} – {b.ban_until or 'open'}",
                "banned_at": b.ban.enterprise.name if b.ban.enterprise else None,
                "new_post": f"{b.new_position.role} of {b.new_position.enterprise.name} "
                f"({b.new_position.enterprise.uscc}) since {b.new_position.start_date}",
            }
            for b in breaches
        ],
    }


def print_tour(document: dict[str, Any]) -> None:
    """The tour as text on stdout."""
    p = out.print
    p(
        f"\n[bold]Tour[/] as of today, {document['as_of']} (the data set describes the world "
        f"up to {document['generated_as_of']})",
        highlight=False,
    )
    person = document["restricted_person"]
    p(
        f"\n[bold]1. A restricted person, with the evidence[/]: {person['name']} "
        f"{person['id_masked']} — restricted: {person['restricted']}",
        highlight=False,
    )
    for item in person["liabilities"]:
        effects = ", ".join(item["effects"]) or "eligible (for the authority to decide): " + (
            ", ".join(item["eligible_measures"])
        )
        p(f"   {item['rule']} {item['rule_name']} via {item['via']}: {effects}")
        p(f"      path: {item['path']}", highlight=False)
    exposure = document["exposure"]
    p(
        f"\n[bold]2. Exposed, not liable[/]: {exposure['name']} {exposure['id_masked']} — "
        f"restricted: {exposure['restricted']}",
        highlight=False,
    )
    for x in exposure["exposures"]:
        p(f"   {x['role']} since {x['since']} at finding {x['finding_id']}: {x['reason']}")
    chain = document["ownership_chain"]
    p(
        f"\n[bold]3. An ownership chain[/]: actual controllers of {chain['enterprise']['name']} "
        f"({chain['enterprise']['uscc']})",
        highlight=False,
    )
    for c in chain["controllers"]:
        hops = "".join(
            f"{name} —{'?' if share is None else f'{share:.0%}'}→ "
            for name, share in zip(c["chain"], c["shares"], strict=False)
        )
        share = "unknown" if c["share"] is None else f"{c['share']:.2%}"
        p(f"   {c['name']} ({c['basis']}, penetrated {share})", highlight=False)
        p(f"      chain: {hops}{c['chain'][-1] if c['chain'] else ''}", highlight=False)
    p("\n[bold]4. A ban breach[/]:")
    for b in document["ban_breach"]:
        p(f"   {b['name']} {b['id_masked']}: {b['ban']} (banned at {b['banned_at']})")
        p(f"      took a post while banned: {b['new_post']}", highlight=False)
    if not document["ban_breach"]:
        p("   (none found)")
    p(
        f"\nTry it: search the person {person['name']} (synthetic ID "
        f"{person['id_number_synthetic']}) or the enterprise {chain['enterprise']['uscc']} "
        "in the explorer.",
        highlight=False,
    )


def _demo_key() -> str:
    """A fresh admin key for the demo; earlier demo keys are revoked."""
    store = KeyStore(api_settings().keys_path)
    for key in store.list_keys():
        if key.name == DEMO_KEY_NAME and key.revoked_at is None:
            store.revoke(key.key_id)
    return store.create(Role.ADMIN, DEMO_KEY_NAME).key


def _already_serving(session: DemoSession) -> None:
    """Say where the running demo is and how to stop it (its key is left alone)."""
    out.print(
        f"A demo is already running (pid {session.pid}): explorer {session.url}/explore, "
        f"API docs {session.url}/docs.\nUse the API key that run printed, or create another: "
        "tracer keys create --role admin\n"
        f"Stop it with Ctrl+C in its terminal, or: kill {session.pid}",
        highlight=False,
    )


def _start_neo4j() -> bool:
    """Start the bundled Neo4j unless NEO4J_URI is set; True when this call started it."""
    if get_neo4j_settings().uri:
        return False
    local = LocalNeo4j(get_local_settings())
    was_running = local.status().running
    began = time.monotonic()
    with console.status("Starting the bundled Neo4j …"):
        status = local.start(echo=console.print)
    started = "" if was_running else f" (started in {time.monotonic() - began:.0f}s)"
    console.print(f"bundled Neo4j running at {status.uri}{started}")
    return not was_running


def _after_serving(started_neo4j: bool) -> None:
    """Stop the bundled Neo4j this demo started, or say what keeps running."""
    if get_neo4j_settings().uri:
        return
    if started_neo4j:
        console.print("stopping the bundled Neo4j this demo started …")
        LocalNeo4j(get_local_settings()).stop()
        console.print("stopped (start it again for the tracer commands: tracer db start)")
    else:
        console.print(
            "the bundled Neo4j keeps running (it was running before the demo); "
            "stop it with: tracer db stop"
        )


def _prepare(directory: Path, enterprises: int, seed: int) -> dict[str, Any]:
    """Generate and load the data set (once) and read the tour of today."""
    planted = ensure_generated(directory, enterprises, seed)
    with database(ensure_schema=True) as runner:
        ensure_loaded(runner, directory, planted, seed)
        return tour(runner, planted, get_clock().today())


def _print_examples(directory: Path, as_of: dt.date, json_output: bool) -> None:
    planted = _read_json(directory / "planted_cases.json")
    if planted is None:
        fail(f"no demo data set in {directory}: run the demo first (./run demo)")
    with database() as runner:
        values = demo_examples(runner, planted, as_of)
    audit_read("demo --examples", *example_subjects(values), findings=[values["finding_id"]])
    if json_output:
        emit_json(values)
        return
    for name, value in values.items():
        out.print(f"{name:<18} {value:<24} {DESCRIPTIONS[name]}", highlight=False)


def demo(
    enterprises: Annotated[
        int, typer.Option("--enterprises", min=50, max=200_000, help="Size of the data set.")
    ] = DEFAULT_ENTERPRISES,
    seed: Annotated[
        int, typer.Option("--seed", help="Generator seed (same seed, same data).")
    ] = 42,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Stop after the tour.")] = False,
    examples: Annotated[
        bool,
        typer.Option(
            "--examples", help="Print real values of the loaded demo data for trying commands."
        ),
    ] = False,
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="HTTP port of the API.")
    ] = 8000,
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Data set folder (default: tracer home).")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the tour as one JSON document.")
    ] = False,
) -> None:
    """Generate, load, tour and serve a synthetic data set (bundled Neo4j without NEO4J_URI).

    A second run while one serves says where it is and exits; Ctrl+C stops the server and the
    bundled Neo4j if this run started it."""
    directory = data_dir or _default_dir(enterprises, seed)
    if examples:
        _print_examples(directory, get_clock().today(), json_output)
        return
    home = api_settings().home
    url = f"http://{host}:{port}"
    if not no_serve:
        current = running(home)
        if current is not None:
            _already_serving(current)
            return
        if port_taken(host, port):
            fail(f"port {port} on {host} is in use by another program: pass --port N")
    try:
        started_neo4j = _start_neo4j()
    except TracerError as exc:
        fail(str(exc))
    if no_serve:
        try:
            document = _prepare(directory, enterprises, seed)
        except TracerError as exc:
            fail(str(exc))
        if json_output:
            emit_json({"data_dir": str(directory), "tour": document})
        else:
            print_tour(document)
        if not get_neo4j_settings().uri:
            console.print("the bundled Neo4j keeps running; stop it with: tracer db stop")
        return
    try:
        with recorded(home, DemoSession(os.getpid(), url, started_neo4j)):
            try:
                document = _prepare(directory, enterprises, seed)
            except TracerError as exc:
                fail(str(exc))
            key = _demo_key()
            if json_output:
                emit_json(
                    {"data_dir": str(directory), "tour": document, "url": url, "api_key": key}
                )
            else:
                print_tour(document)
                out.print(
                    f"\n[bold]Explorer[/]: {url}/explore   [bold]API docs[/]: {url}/docs\n"
                    f"[bold]Demo API key (admin)[/]: {key}\n"
                    "Example values for the README's commands: tracer demo --examples\n"
                    "(press Ctrl+C to stop)",
                    highlight=False,
                )
            serve(host=host, port=port, workers=1)
    except KeyboardInterrupt:
        console.print("interrupted")
    finally:
        _after_serving(started_neo4j)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("demo")(demo)
