"""Benchmark of the audit log: the cost of one keyed, chained append (with its head file) against
the floor of appending the same line to a file, in the same run; and verification speed.

Run with ``./run bench audit [--entries N] [--rounds R]``. Writes ``bench/results/audit.json``.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import tempfile
import time
from pathlib import Path

from tracer.api.audit import AuditKeyring, AuditLog, verify_log
from tracer.api.audit.log import canonical

RESULTS = Path(__file__).parent / "results" / "audit.json"
ACTOR = {"key_id": "0123456789ab", "key_name": "bench", "role": "implementer"}
SUBJECTS = ["person:" + "a" * 32, "enterprise:91110105MA01XXXXXX", "finding:F-2024-0001"]


def _floor(path: Path, entries: int, fsync: bool) -> float:
    """Microseconds per plain append of an entry-sized line under the same lock (no chain)."""
    line = canonical({"seq": 1, **ACTOR, "subjects": SUBJECTS, "mac": "0" * 64}) + b"\n"
    began = time.perf_counter()
    for _ in range(entries):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "wb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(line)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
    return (time.perf_counter() - began) / entries * 1e6


def _keyed(folder: Path, entries: int, fsync: bool) -> tuple[float, AuditLog]:
    log = AuditLog(folder / "audit.jsonl", AuditKeyring(folder / "keys.json"), fsync=fsync)
    began = time.perf_counter()
    for _ in range(entries):
        log.append(actor=ACTOR, method="POST", endpoint="/v1/checks", status=200, subjects=SUBJECTS)
    return (time.perf_counter() - began) / entries * 1e6, log


def main() -> None:
    """Interleaved rounds of floor and keyed appends, with and without fsync; then verify."""
    parser = argparse.ArgumentParser(prog="bench audit", description=__doc__)
    parser.add_argument("--entries", type=int, default=2000, help="Appends per round.")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds per mode.")
    args = parser.parse_args()
    rows = []
    for fsync in (True, False):
        for round_ in range(args.rounds):
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch)
                floor = _floor(folder / "floor.jsonl", args.entries, fsync)
                keyed, log = _keyed(folder, args.entries, fsync)
                began = time.perf_counter()
                report = verify_log(log)
                verify_s = time.perf_counter() - began
            assert report.ok, report
            row = {
                "fsync": fsync,
                "round": round_,
                "floor_us": round(floor, 1),
                "keyed_us": round(keyed, 1),
                "ratio": round(keyed / floor, 2),
                "verify_entries_per_s": round(args.entries / verify_s),
            }
            rows.append(row)
            print(json.dumps(row))
    result = {
        "entries_per_round": args.entries,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "rows": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    print(f"written to {RESULTS}")
