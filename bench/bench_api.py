"""HTTP API benchmark on loopback: N concurrent clients doing single and batch person checks.

Generates a data set (``tracer generate``), loads it (``tracer load``) into a private bundled
Neo4j in a temporary directory, creates a key, starts ``tracer serve --workers W``, then sends a
fixed number of requests (a share of them ``/v1/checks/batch``) from ``--clients`` threads and
stops. Reports throughput, p50/p99 latency and errors per kind, writes ``bench/results/api.json``.

Run with ``python -m bench.bench_api [--enterprises 2000] [--clients 8] [--requests 2000]``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import quantiles
from typing import Any

import httpx

from bench.common import free_port
from tracer.graph.local import LocalNeo4j
from tracer.graph.settings import LocalNeo4jSettings

RESULTS = Path(__file__).parent / "results" / "api.json"
TRACER = [sys.executable, "-m", "tracer.cli"]


def _run(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run([*TRACER, *args], env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"tracer {args[0]} failed: {proc.stderr.strip()[-500:]}")
    return proc.stdout


def _people(data: Path) -> list[dict[str, str]]:
    with (data / "persons.csv").open(encoding="utf-8-sig") as handle:
        return [
            {"id_type": row["id_type"] or "RESIDENT_ID", "id_number": row["id_number"]}
            for row in csv.DictReader(handle)
        ]


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


def _summary(latencies: list[float], errors: int, seconds: float) -> dict[str, Any]:
    done = len(latencies) + errors
    if len(latencies) >= 2:
        cuts = quantiles(latencies, n=100, method="inclusive")
        p50, p99 = cuts[49], cuts[98]
    else:
        p50 = p99 = latencies[0] if latencies else float("nan")
    return {
        "requests": done,
        "ok": len(latencies),
        "errors": errors,
        "requests_per_second": round(done / seconds, 1),
        "p50_ms": round(p50 * 1000, 1),
        "p99_ms": round(p99 * 1000, 1),
    }


def _load_clients(
    base: str, key: str, people: list[dict[str, str]], args: argparse.Namespace
) -> dict[str, Any]:
    """Send ``args.requests`` requests from ``args.clients`` threads; per-kind statistics."""
    rng = random.Random(args.seed)
    plan = ["batch" if rng.random() < args.batch_share else "single" for _ in range(args.requests)]
    bodies = [
        {"people": rng.sample(people, min(args.batch_size, len(people))), "as_of": args.as_of}
        if kind == "batch"
        else {**rng.choice(people), "as_of": args.as_of}
        for kind in plan
    ]
    counter = itertools.count()
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {"single": [], "batch": []}
    errors: dict[str, int] = {"single": 0, "batch": 0}
    statuses: dict[str, int] = {}

    def client() -> None:
        with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=120) as http:
            while (index := next(counter)) < len(plan):
                kind = plan[index]
                url = "/v1/checks/batch" if kind == "batch" else "/v1/checks"
                began = time.perf_counter()
                try:
                    status = http.post(url, json=bodies[index]).status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = time.perf_counter() - began
                with lock:
                    statuses[str(status)] = statuses.get(str(status), 0) + 1
                    if status == 200:
                        latencies[kind].append(elapsed)
                    else:
                        errors[kind] += 1

    began = time.monotonic()
    with ThreadPoolExecutor(args.clients) as pool:
        for future in [pool.submit(client) for _ in range(args.clients)]:
            future.result()
    seconds = time.monotonic() - began
    return {
        "seconds": round(seconds, 2),
        "all": _summary(latencies["single"] + latencies["batch"], sum(errors.values()), seconds),
        "single": _summary(latencies["single"], errors["single"], seconds),
        "batch": _summary(latencies["batch"], errors["batch"], seconds),
        "statuses": statuses,
        "persons_checked_per_second": round(
            (len(latencies["single"]) + len(latencies["batch"]) * args.batch_size) / seconds, 1
        ),
    }


def main() -> None:
    """Generate, load, serve, load-test, report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--batch-share", type=float, default=0.1)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--as-of", default="2026-10-31")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        work = Path(tmp)
        local = LocalNeo4j(
            LocalNeo4jSettings(home=work / "neo4j", port=free_port(), heap="2g", pagecache="1g")
        )
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
            }
            data = work / "data"
            _run(env, "generate", str(data), "--enterprises", str(args.enterprises), "--json")
            began = time.monotonic()
            _run(env, "load", str(data), "--json")
            load_seconds = time.monotonic() - began
            key = json.loads(_run(env, "keys", "create", "--role", "admin", "--json"))["key"]
            port = free_port()
            server = subprocess.Popen(
                [*TRACER, "serve", "--port", str(port), "--workers", str(args.workers)],
                env={**env, "TRACER_API_AUDIT_FSYNC": "true"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            base = f"http://127.0.0.1:{port}"
            _wait_ready(base, server)
            people = _people(data)
            warm = {"people": people[:50], "as_of": args.as_of}
            httpx.post(
                f"{base}/v1/checks/batch", json=warm, headers={"X-API-Key": key}, timeout=120
            )
            measured = _load_clients(base, key, people, args)
            verified = json.loads(_run(env, "audit", "verify", "--json"))
        finally:
            if server is not None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(60)
            local.stop()

    result = {
        "machine": {"cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2)},
        "config": {key: value for key, value in vars(args).items()},
        "persons_in_data_set": len(people),
        "load_seconds": round(load_seconds, 1),
        **measured,
        "audit_entries_verified": verified["entries"] if verified["ok"] else None,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
