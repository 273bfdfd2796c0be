"""Benchmark of screening a spreadsheet (``tracer check --file``) against the batch engine.

Builds an .xlsx of N rows (default 10,000) from a loaded data set's files — persons (a part of
them named in findings), enterprises (a part of them listed), unknown and invalid identifiers,
a few names that do not match — and times, on the configured database (NEO4J_URI, or the
bundled one; read only):

- baseline: the same subjects through ``check_subjects`` directly (one call, as
  ``POST /v1/checks/batch`` does);
- ``screen`` alone (chunks of ``CHECK_BATCH``), reading + screening + writing the workbook, and
  the file work alone (reading the input, building and writing the result workbook);
- the whole command, ``tracer check --file IN --out OUT`` in a subprocess (start-up, audit
  entry in a temporary API home).

Writes ``bench/results/check_file.json`` with the load average before and after.
Run: ``./run bench check_file [--data DIR] [--rows N]`` (DIR: default the demo's data set).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import openpyxl

from bench.common import timed
from tracer.domain.keys import SubjectKey
from tracer.domain.sheets import read_rows, write_xlsx
from tracer.graph.driver import open_driver, resolve_target
from tracer.loaders.generate import DEFAULT_AS_OF
from tracer.queries.liability import check_subjects
from tracer.queries.runner import QueryRunner
from tracer.queries.screening import entries_of, result_sheets, screen

RESULTS = Path(__file__).parent / "results"
DEMO_DATA = Path.home() / ".local/share/liability-tracer/demo/n10000-seed42"


def _rows(directory: Path, stem: str) -> list[dict[str, str]]:
    with (directory / f"{stem}.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def build_workbook(directory: Path, size: int, seed: int = 7) -> bytes:
    """An input workbook of ``size`` rows: 70 % persons (a fifth of them named in findings),
    27 % enterprises (a fifth listed), 2 % unknown, 1 % invalid; 5 % of names altered."""
    pick = random.Random(seed)
    persons = {row["id_number"]: row for row in _rows(directory, "persons")}
    named = [row["id_number"] for row in _rows(directory, "finding_persons")]
    named = [number for number in named if number in persons]
    firms = {row["uscc"]: row["name"] for row in _rows(directory, "enterprises")}
    listed = [
        row["subject_id"] for row in _rows(directory, "findings") if row["subject_id"] in firms
    ]
    rows: list[list[Any]] = []
    for index in range(size):
        share = index % 100
        if share < 70:
            number = pick.choice(named if share < 14 and named else list(persons))
            person = persons[number]
            rows.append([person["id_type"] or "RESIDENT_ID", number, None, person["name"]])
        elif share < 97:
            code = pick.choice(listed if share < 76 and listed else list(firms))
            rows.append([None, None, code, firms[code]])
        elif share < 99:
            rows.append(["PASSPORT", f"E{pick.randrange(10**8):08d}", None, "未知"])
        else:
            rows.append(["RESIDENT_ID", "110105199001010000", None, None])
        if pick.random() < 0.05 and rows[-1][3]:
            rows[-1][3] = rows[-1][3] + "某"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("bidders")
    sheet.append(["id_type", "id_number", "uscc", "name"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    """Parse the arguments, run the timings, write ``bench/results/check_file.json``."""
    parser = argparse.ArgumentParser(prog="bench check_file")
    parser.add_argument("--data", type=Path, default=DEMO_DATA, help="the loaded data set")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    load_before = os.getloadavg()
    data = build_workbook(args.data, args.rows)
    target = resolve_target()
    driver = open_driver(target)
    runner = QueryRunner(driver, target.database)
    result: dict[str, Any] = {
        "rows": args.rows,
        "cpus": os.cpu_count(),
        "as_of": str(DEFAULT_AS_OF),
    }
    try:
        rows = read_rows(data)
        keys: list[SubjectKey] = [e.key for e in entries_of(rows)[0] if e.key is not None]
        check_subjects(runner, keys[:200], DEFAULT_AS_OF)  # warm the caches and plans
        baseline, _ = timed(lambda: check_subjects(runner, keys, DEFAULT_AS_OF))
        screening_s, screening = timed(lambda: screen(runner, rows, DEFAULT_AS_OF))

        def whole() -> bytes:
            return write_xlsx(result_sheets(screen(runner, read_rows(data), DEFAULT_AS_OF)))

        whole_s, out = timed(whole)
        files_s, _ = timed(lambda: write_xlsx(result_sheets(screening)) and read_rows(data))
    finally:
        driver.close()
    with tempfile.TemporaryDirectory() as work:
        source, screened = Path(work) / "in.xlsx", Path(work) / "out.xlsx"
        source.write_bytes(data)
        env = {**os.environ, "TRACER_API_HOME": str(Path(work) / "api")}
        command = [sys.executable, "-m", "tracer.cli", "check", "--file", str(source),
                   "--out", str(screened), "--as-of", DEFAULT_AS_OF.isoformat()]  # fmt: skip
        cli_s, done = timed(lambda: subprocess.run(command, env=env, capture_output=True))
        summary_line = done.stderr.decode().strip().splitlines()[-1] if done.stderr else ""
    result.update(
        subjects_checked=len(keys),
        baseline_check_subjects_s=round(baseline, 2),
        screen_s=round(screening_s, 2),
        read_screen_write_xlsx_s=round(whole_s, 2),
        overhead_vs_baseline=round(whole_s / baseline, 2),
        files_only_s=round(files_s, 2),
        cli_s=round(cli_s, 2),
        cli_exit=done.returncode,
        cli_summary=summary_line,
        summary=screening.summary(),
        output_bytes=len(out),
        load_average_before=[round(x, 2) for x in load_before],
        load_average_after=[round(x, 2) for x in os.getloadavg()],
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "check_file.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
