"""``generate_dataset``: write a whole synthetic data set to a directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from tracer.domain.errors import InvalidInput
from tracer.loaders.generate.corrupt import RowCorrupter
from tracer.loaders.generate.credit import CREDIT_ENTERPRISES, plant_credit
from tracer.loaders.generate.draw import Weighted
from tracer.loaders.generate.planted import PLANTED_ENTERPRISES, PlantedCase, plant_cases
from tracer.loaders.generate.practitioners import Practitioners
from tracer.loaders.generate.sink import Sink
from tracer.loaders.generate.units import group, standalone
from tracer.loaders.generate.world import World
from tracer.loaders.generate.writer import FORMATS, STEMS

#: The reference day of a data set unless one is given: fixed, so a seed always gives the
#: same files.
DEFAULT_AS_OF = date(2026, 10, 31)
MIN_ENTERPRISES = PLANTED_ENTERPRISES + CREDIT_ENTERPRISES + 24
PROGRESS_EVERY = 1_000
XLSX_MAX_ROWS = 1_048_575
_GROUP_DEPTHS = Weighted((2, 3, 4, 5, 6, 7, 8), (40, 25, 12, 8, 6, 5, 4))


class GenerationSummary(BaseModel):
    """What ``generate_dataset`` wrote."""

    directory: str
    format: str
    seed: int
    as_of: date
    enterprises: int
    rows: dict[str, int]
    corrupt_rate: float
    corruptions: dict[str, dict[str, int]]
    planted_cases: list[PlantedCase]

    @property
    def injected_rows(self) -> int:
        """Bad rows added in all files."""
        return sum(sum(kinds.values()) for kinds in self.corruptions.values())


def _check(enterprises: int, corrupt_rate: float, fmt: str) -> None:
    if enterprises < MIN_ENTERPRISES:
        raise InvalidInput(f"--enterprises must be at least {MIN_ENTERPRISES}")
    if not 0.0 <= corrupt_rate <= 0.5:
        raise InvalidInput("--corrupt-rate must be between 0 and 0.5")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt == "xlsx" and enterprises > 100_000:
        raise InvalidInput("xlsx holds at most 1,048,576 rows a sheet: use at most 100000")


def generate_dataset(
    out_dir: Path,
    enterprises: int,
    seed: int = 0,
    corrupt_rate: float = 0.0,
    fmt: str = "csv",
    progress: Callable[[int], None] | None = None,
    as_of: date = DEFAULT_AS_OF,
) -> GenerationSummary:
    """Write a realistic synthetic data set of ``enterprises`` organisations to ``out_dir``.

    Files: the data files of INTERFACES.md §1 as ``<stem>.<fmt>``, plus
    ``planted_cases.json`` (the planted investigator cases) and ``corruptions.json`` (bad rows
    injected per file and kind). The same arguments always give byte-identical csv, jsonl and
    parquet files. ``progress`` is called with the number of organisations written so far.
    """
    _check(enterprises, corrupt_rate, fmt)
    out_dir.mkdir(parents=True, exist_ok=True)
    corrupter = RowCorrupter(corrupt_rate, seed) if corrupt_rate > 0 else None
    sink = Sink(out_dir, fmt, corrupter)
    try:
        world = World(seed, as_of, sink)
        world.target = enterprises
        practitioners = Practitioners(world)
        cases = [*plant_cases(world), *plant_credit(world)]
        reported = 0
        rng = world.rng
        while world.enterprises < enterprises:
            remaining = enterprises - world.enterprises
            roll = rng.random()
            if roll < 0.03 and remaining >= 3:
                depth = _GROUP_DEPTHS.draw(rng)
                size = min(remaining, max(depth + 1, int(rng.paretovariate(1.4) * 3)), 60)
                group(world, practitioners, size, min(depth, size - 1), state=roll < 0.006)
            else:
                standalone(world, practitioners)
            if progress is not None and world.enterprises - reported >= PROGRESS_EVERY:
                reported = world.enterprises
                progress(reported)
        practitioners.close()
    finally:
        sink.close()
    if fmt == "xlsx" and max(sink.rows.values()) > XLSX_MAX_ROWS:
        raise InvalidInput("a file exceeds the xlsx row limit: use csv, jsonl or parquet")
    if progress is not None:
        progress(world.enterprises)
    summary = GenerationSummary(
        directory=str(out_dir),
        format=fmt,
        seed=seed,
        as_of=as_of,
        enterprises=world.enterprises,
        rows={stem: sink.rows[stem] for stem in STEMS},
        corrupt_rate=corrupt_rate,
        corruptions={stem: dict(sorted(k.items())) for stem, k in sink.injected.items() if k},
        planted_cases=cases,
    )
    _write_manifests(out_dir, summary)
    return summary


def _write_manifests(out_dir: Path, summary: GenerationSummary) -> None:
    cases = [case.model_dump(mode="json") for case in summary.planted_cases]
    planted = {"as_of": summary.as_of.isoformat(), "cases": cases}
    _write_json(out_dir / "planted_cases.json", planted)
    files = {
        stem: {"rows": summary.rows[stem], "injected": summary.corruptions.get(stem, {})}
        for stem in STEMS
    }
    document = {
        "rate": summary.corrupt_rate,
        "seed": summary.seed,
        "injected_rows": summary.injected_rows,
        "files": files,
    }
    _write_json(out_dir / "corruptions.json", document)


def _write_json(path: Path, document: object) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
