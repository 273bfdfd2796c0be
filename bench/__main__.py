"""``python -m bench NAME [ARGS…]`` (``./run bench NAME``): run ``bench/bench_NAME.py``'s
``main()`` with ``ARGS`` as its command line."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def _available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))


def run(argv: list[str]) -> int:
    """Dispatch to one benchmark; 2 with the list of benchmarks when the name is unknown."""
    names = _available()
    if not argv or argv[0] not in names:
        sys.stderr.write(f"usage: python -m bench NAME [ARGS...]; NAME is one of {names}\n")
        return 2
    module = importlib.import_module(f"bench.bench_{argv[0]}")
    sys.argv = [f"bench {argv[0]}", *argv[1:]]
    module.main()
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
