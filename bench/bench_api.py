"""HTTP API benchmark on loopback with a compiled load generator (``wrk``, or ``oha``).

Generates a data set (``tracer generate``), loads it (``tracer load``) into a private bundled
Neo4j in a temporary directory, creates a key and starts ``tracer serve`` (1 worker, audit log
fsynced), and waits (``--settle``) until Neo4j, just loaded, has gone idle. Then, against that
one server in the same run: ``GET /healthz`` (the baseline: the same server, no database, no
audit) and single ``POST /v1/checks`` of persons of the data set, the body rotating over them
(the ID number in the body, never the URL), each with ``--connections`` connections for
``--seconds``. Reports req/s, p50/p99, the server's and Neo4j's CPU time per
request, the ratio checks/healthz and the load average before and after; checks the audit log
afterwards; writes ``bench/results/api.json``.

Run with ``python -m bench.bench_api [--enterprises 2000] [--connections 32] [--seconds 20]``;
``--before FILE`` copies the figures of an earlier result (e.g. the previous build) beside the new
ones; ``--profile FILE`` records the server with ``py-spy`` (raw collapsed stacks, threads apart)
during the checks instead of measuring them (its sampling costs the server CPU). Without ``wrk`` or
``oha`` on PATH the benchmark says so and exits (status 2).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import cpu_seconds, free_port, settle
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings, get_local_settings

RESULTS = Path(__file__).parent / "results" / "api.json"
TRACER = [sys.executable, "-m", "tracer.cli"]

#: wrk script part: ``done`` prints the figures as one JSON line after a marker.
WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, '
    .. '"max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""

#: wrk script part: each request takes the next body of the file (one JSON body a line).
WRK_CHECKS = """
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do bodies[#bodies + 1] = line end
local index = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY")
request = function()
  index = index % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[index])
end
"""


def _run(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run([*TRACER, *args], env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"tracer {args[0]} failed: {proc.stderr.strip()[-500:]}")
    return proc.stdout


def _bodies(data: Path, as_of: str, seed: int) -> list[str]:
    """One check body per person of the data set, shuffled."""
    with (data / "persons.csv").open(encoding="utf-8-sig") as handle:
        bodies = [
            json.dumps(
                {
                    "id_type": row["id_type"] or "RESIDENT_ID",
                    "id_number": row["id_number"],
                    "as_of": as_of,
                }
            )
            for row in csv.DictReader(handle)
        ]
    random.Random(seed).shuffle(bodies)
    return bodies


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("tracer serve exited during start")
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError("tracer serve did not become ready within 120 s")


def _wrk(url: str, env: dict[str, str], args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    script = env["BENCH_SCRIPT"] if url.endswith("/v1/checks") else env["BENCH_PLAIN"]
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections)]
    command += ["-d", f"{seconds:g}s", "--timeout", "10s", "-s", script]
    out = subprocess.run([*command, url], env=env, capture_output=True, text=True, check=True)
    found = re.search(r"^BENCH-JSON (.*)$", out.stdout, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no figures: {out.stdout[-500:]} {out.stderr[-500:]}")
    figures: dict[str, Any] = json.loads(found.group(1))
    if not figures["requests"]:
        raise RuntimeError(f"wrk completed no request: {out.stderr[-500:]}")
    return figures


def _oha(url: str, env: dict[str, str], args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    command = ["oha", "--no-tui", "--output-format", "json", "-c", str(args.connections)]
    command += ["-z", f"{seconds:g}s"]
    if url.endswith("/v1/checks"):  # oha sends one body: the first person's
        body = Path(env["BENCH_BODIES"]).read_text().splitlines()[0]
        command += ["-m", "POST", "-T", "application/json", "-H", f"X-API-Key: {env['BENCH_KEY']}"]
        command += ["-d", body]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    statuses = report.get("statusCodeDistribution", {})
    done = sum(statuses.values())
    return {
        "requests": done,
        "seconds": report["summary"]["total"],
        "p50_ms": round(report["latencyPercentiles"]["p50"] * 1000, 2),
        "p99_ms": round(report["latencyPercentiles"]["p99"] * 1000, 2),
        "max_ms": round(report["summary"]["slowest"] * 1000, 2),
        "non_2xx": done - sum(n for code, n in statuses.items() if code.startswith("2")),
        "socket_errors": sum(report.get("errorDistribution", {}).values()),
    }


def _measure(
    base: str,
    path: str,
    env: dict[str, str],
    args: argparse.Namespace,
    server: int,
    neo4j: int | None = None,
) -> dict[str, Any]:
    """The load generator's figures, plus the server's (and Neo4j's) CPU per request (less
    sensitive to what else the machine runs than requests per second)."""
    tool = _wrk if args.tool == "wrk" else _oha
    processes = {"server": server} if neo4j is None else {"server": server, "neo4j": neo4j}
    began = {name: cpu_seconds(pid) for name, pid in processes.items()}
    figures = tool(base + path, env, args, args.seconds)
    figures["requests_per_second"] = round(figures["requests"] / figures["seconds"], 1)
    for name, pid in processes.items():
        used = cpu_seconds(pid) - began[name]
        figures[f"{name}_cpu_ms_per_request"] = round(1000 * used / figures["requests"], 3)
    return figures


def _profile(
    base: str, env: dict[str, str], args: argparse.Namespace, server: int
) -> dict[str, Any]:
    """The checks' figures while ``py-spy`` samples the server into ``args.profile``."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    command = [spy, "record", "-p", str(server), "-o", str(args.profile), "-f", "raw", "-t"]
    command += ["-d", f"{args.seconds:g}", "--nonblocking"]
    recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return _measure(base, "/v1/checks", env, args, server)
    finally:
        recorder.wait(args.seconds + 60)


def _neo4j(work: Path) -> LocalNeo4j:
    """A private bundled Neo4j in ``work``, reusing the installed launcher build if any."""
    home = work / "neo4j"
    home.mkdir()
    installed = get_local_settings().home / "launcher"
    if installed.is_dir():
        (home / "launcher").symlink_to(installed)
    return LocalNeo4j(LocalNeo4jSettings(home=home, port=free_port(), heap="1g", pagecache="512m"))


def _load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def main() -> None:
    """Generate, load, serve, measure /healthz and single checks, report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--seconds", type=float, default=20.0, help="per measurement")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of checks first")
    parser.add_argument(
        "--settle", type=float, default=90.0, help="at most this long for Neo4j to go idle first"
    )
    parser.add_argument("--as-of", default="2026-10-31")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--before", type=Path, help="an earlier api.json to quote beside")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--profile", type=Path, help="py-spy the server during the checks")
    args = parser.parse_args()
    args.tool = next((tool for tool in ("wrk", "oha") if shutil.which(tool)), None)
    if args.tool is None:
        print("bench api skipped: needs wrk (apt-get install wrk) or oha on PATH", file=sys.stderr)
        raise SystemExit(2)
    before = json.loads(args.before.read_text()) if args.before else None

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        work = Path(tmp)
        local = _neo4j(work)
        local.start(echo=lambda _msg: None)
        server: subprocess.Popen[bytes] | None = None
        try:
            env = {
                **os.environ,
                "NEO4J_URI": local.uri,
                "NEO4J_USER": "neo4j",
                "NEO4J_PASSWORD": local.password(),
                "NEO4J_DATABASE": "neo4j",
                "TRACER_API_HOME": str(work / "api"),
                "TRACER_API_AUDIT_FSYNC": "true",
            }
            data = work / "data"
            _run(env, "generate", str(data), "--enterprises", str(args.enterprises), "--json")
            _run(env, "load", str(data), "--json", "--allow-rejects")
            key = json.loads(_run(env, "keys", "create", "--role", "admin", "--json"))["key"]
            bodies = _bodies(data, args.as_of, args.seed)
            (work / "bodies.jsonl").write_text("\n".join(bodies) + "\n")
            (work / "checks.lua").write_text(WRK_CHECKS + WRK_DONE)
            (work / "plain.lua").write_text(WRK_DONE)
            port = free_port()
            server = subprocess.Popen(
                [*TRACER, "serve", "--port", str(port), "--workers", "1"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            base = f"http://127.0.0.1:{port}"
            _wait_ready(base, server)
            neo4j = local.status().pid
            settled = settle(neo4j, args.settle) if neo4j is not None else None
            checks_env = {
                **env,
                "BENCH_BODIES": str(work / "bodies.jsonl"),
                "BENCH_KEY": key,
                "BENCH_SCRIPT": str(work / "checks.lua"),
                "BENCH_PLAIN": str(work / "plain.lua"),
            }
            first = bodies[0].encode()  # one check alone first: the caches fill once
            headers = {"X-API-Key": key, "Content-Type": "application/json"}
            httpx.post(f"{base}/v1/checks", content=first, headers=headers, timeout=300)
            warm = _wrk if args.tool == "wrk" else _oha
            warm(base + "/v1/checks", checks_env, args, args.warmup)
            if args.profile is not None:
                print(json.dumps(_profile(base, checks_env, args, server.pid), indent=2))
                return
            load_before = _load_average()
            healthz = _measure(base, "/healthz", checks_env, args, server.pid, neo4j)
            checks = _measure(base, "/v1/checks", checks_env, args, server.pid, neo4j)
            load_after = _load_average()
            verified = json.loads(_run(env, "audit", "verify", "--json"))
        finally:
            if server is not None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(60)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
            local.stop()

    result: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": load_after,
        },
        "config": {
            **{
                name: value
                for name, value in vars(args).items()
                if name not in ("before", "output", "profile")
            },
            "workers": 1,
            "audit_fsync": True,
            "persons_in_data_set": len(bodies),
            "neo4j_settled_after_seconds": settled,
        },
        "healthz": healthz,
        "checks": checks,
        "checks_to_healthz": round(
            checks["requests_per_second"] / healthz["requests_per_second"], 3
        ),
        "audit_entries_verified": verified["entries"] if verified["ok"] else None,
    }
    if before is not None:
        result["before"] = {
            name: before[name] for name in ("machine", "healthz", "checks", "checks_to_healthz")
        }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
