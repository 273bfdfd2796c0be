"""An attacker's probe of a running ``tracer serve``: bad input on every operation, identifiers in
URLs, concurrent clients, half-sent requests; then the audit log is checked for leaks.

Run against a server with data (e.g. ``tracer demo``'s) and an admin key:
``./run bench attack --url http://127.0.0.1:8000 --key trk_… [--audit-log PATH]``.
Prints and writes ``bench/results/attack.json``: cases per area, status counts, 5xx count (must
be 0), identifiers echoed in responses or found in the audit log (must be 0), connections still
open after the header deadline (must be 0).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import random
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

RESULTS = Path(__file__).parent / "results" / "attack.json"
#: Identifier-shaped values an attacker (or a careless client) puts in URLs.
IDENTIFIERS = ["110105199001010021", "11010519491231002X", "E12345678", "110105900101002"]
JUNK: list[Any] = [
    None,
    "",
    " ",
    "\x00",
    "💥" * 50,
    "' OR 1=1 --",
    "MATCH (n) DETACH DELETE n",
    "${jndi:ldap://x}",
    "../../etc/passwd",
    -1,
    0,
    2**63,
    1e308,
    True,
    [],
    {},
    [1, 2],
    {"$ne": 1},
    "9" * 5000,
    "2025-02-30",
    "0000-00-00",
    "9999-12-31T23:59:59+99:00",
]


def _bodies(schema: dict[str, Any], rng: random.Random) -> list[Any]:
    """Malformed bodies: junk for each property, junk as the whole body, wrong shapes."""
    properties = list((schema.get("properties") or {}).keys()) or ["x"]
    bodies: list[Any] = [rng.choice(JUNK) for _ in range(6)]
    for name in properties:
        for value in rng.sample(JUNK, 6):
            bodies.append({name: value})
    bodies.append({name: rng.choice(JUNK) for name in properties})
    return bodies


def _resolve(spec: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in ref:
        name = ref["$ref"].rsplit("/", 1)[-1]
        ref = spec["components"]["schemas"][name]
    return ref


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, item)
        for path, methods in spec["paths"].items()
        for method, item in methods.items()
        if path.startswith("/v1/")
    ]


def _fill(path: str, value: str) -> str:
    parts = [value if part.startswith("{") else part for part in path.split("/")]
    return "/".join(parts)


class Probe:
    """Sends requests and keeps the tally."""

    def __init__(self, url: str, key: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=60, headers={"X-API-Key": key})
        self.statuses: dict[str, collections.Counter[int]] = collections.defaultdict(
            collections.Counter
        )
        self.echoed = 0
        self.errors: list[str] = []

    def send(self, area: str, method: str, url: str, **kwargs: Any) -> None:
        try:
            response = self.client.request(method, url, **kwargs)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            self.statuses[area][0] += 1
            self.errors.append(f"{area} {method} {url[:60]}: {type(exc).__name__}")
            return
        self.statuses[area][response.status_code] += 1
        if response.status_code >= 500 and response.status_code != 503:
            self.errors.append(f"{area} {method} {url[:60]} -> {response.status_code}")
        self.echoed += sum(value in response.text for value in IDENTIFIERS)


def bad_input(probe: Probe, spec: dict[str, Any], rng: random.Random) -> None:
    for method, path, item in _operations(spec):
        url = _fill(path, "F-PROBE-0001")
        content = item.get("requestBody", {}).get("content", {})
        body_schema = content.get("application/json", {}).get("schema")
        if body_schema is not None:
            for body in _bodies(_resolve(spec, body_schema), rng):
                probe.send("bad_input", method, url, json=body)
            for content, kind in ((b"{not json", "application/json"), (b"a=b", "text/plain")):
                probe.send(
                    "bad_input", method, url, content=content, headers={"content-type": kind}
                )
            probe.send("bad_input", method, url, content=b"x" * (5 * 1024 * 1024))
        for parameter in item.get("parameters", []):
            for value in rng.sample(JUNK, 8):
                target = url
                params = {}
                if parameter["in"] == "path":
                    target = _fill(path, str(value) or "%00")
                else:
                    params = {parameter["name"]: str(value)}
                probe.send("bad_input", method, target, params=params)
        probe.send("bad_input", method, url, headers={"X-API-Key": "trk_nonsense"})
        probe.send("bad_input", "PATCH", url)


def identifiers_in_urls(probe: Probe, spec: dict[str, Any]) -> None:
    for method, path, _ in _operations(spec):
        for value in IDENTIFIERS:
            if "{" in path:
                probe.send("identifier_in_url", method, _fill(path, value))
                probe.send("identifier_in_url", method, _fill(path, f"F-{value}"))
            probe.send("identifier_in_url", method, _fill(path, "X"), params={"q": value})
            probe.send("identifier_in_url", method, _fill(path, "X"), params={value: "1"})


def concurrent_clients(url: str, key: str, clients: int, per_client: int) -> dict[str, Any]:
    """``clients`` threads sending good and bad requests at once."""
    counts: collections.Counter[int] = collections.Counter()

    def one(seed: int) -> collections.Counter[int]:
        rng = random.Random(seed)
        local: collections.Counter[int] = collections.Counter()
        with httpx.Client(base_url=url, timeout=120, headers={"X-API-Key": key}) as client:
            for _ in range(per_client):
                choice = rng.random()
                try:
                    if choice < 0.4:
                        body = {"id_type": "RESIDENT_ID", "id_number": rng.choice(IDENTIFIERS[:2])}
                        response = client.post("/v1/checks", json=body)
                    elif choice < 0.7:
                        response = client.post("/v1/checks", json={"id_number": rng.choice(JUNK)})
                    elif choice < 0.85:
                        response = client.get("/v1/stats", params={"as_of": str(rng.choice(JUNK))})
                    else:
                        response = client.get(f"/v1/findings/{rng.choice(IDENTIFIERS)}")
                except httpx.HTTPError:
                    local[0] += 1  # connection closed (e.g. the per-client cap)
                    continue
                local[response.status_code] += 1
        return local

    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for result in pool.map(one, range(clients)):
            counts.update(result)
    return {
        "clients": clients,
        "requests": sum(counts.values()),
        "seconds": round(time.perf_counter() - began, 1),
        "statuses": dict(sorted(counts.items())),
        "server_errors": sum(n for status, n in counts.items() if status >= 500 and status != 503),
    }


def half_sent(url: str, connections: int, wait: float) -> dict[str, Any]:
    """Open connections that send half a request head, wait, count those still open."""
    parts = urlsplit(url)
    sockets = []
    for _ in range(connections):
        sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        sockets.append(sock)
    time.sleep(wait)
    still_open = 0
    for sock in sockets:
        sock.settimeout(0.2)
        try:
            data = sock.recv(1)
        except TimeoutError:
            still_open += 1  # neither data nor a close: the server still waits for the head
        except OSError:
            pass  # reset: closed
        else:
            still_open += bool(data)
        finally:
            sock.close()
    return {"connections": connections, "waited_s": wait, "still_open": still_open}


def main() -> None:
    """Run every area and write the tally."""
    parser = argparse.ArgumentParser(prog="bench attack", description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", required=True, help="An admin API key.")
    parser.add_argument("--audit-log", type=Path, help="The server's audit.jsonl, to scan.")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--per-client", type=int, default=30)
    parser.add_argument("--half-sent", type=int, default=200)
    parser.add_argument("--header-timeout", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    probe = Probe(args.url, args.key)
    spec = probe.client.get("/openapi.json").json()
    bad_input(probe, spec, rng)
    identifiers_in_urls(probe, spec)
    result: dict[str, Any] = {
        "load_average_before": os.getloadavg(),
        "areas": {
            area: {
                "cases": sum(counts.values()),
                "statuses": dict(sorted(counts.items())),
                "server_errors": sum(n for s, n in counts.items() if s >= 500 and s != 503),
            }
            for area, counts in probe.statuses.items()
        },
        "identifiers_echoed_in_responses": probe.echoed,
        "errors": probe.errors[:50],
    }
    probe.client.close()  # its keep-alive connection would count against the per-client cap
    result["concurrent"] = concurrent_clients(args.url, args.key, args.clients, args.per_client)
    result["half_sent"] = half_sent(args.url, args.half_sent, args.header_timeout + 2)
    if args.audit_log is not None:
        text = args.audit_log.read_text(encoding="utf-8", errors="replace")
        result["identifiers_in_audit_log"] = sum(text.count(value) for value in IDENTIFIERS)
    result["load_average_after"] = os.getloadavg()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))
