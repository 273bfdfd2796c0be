"""The Cypher catalogue: one ``.cypher`` file per operation under ``queries/cypher/``."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def cypher(name: str) -> str:
    """The text of ``cypher/<name>.cypher`` (cached). Raises ``KeyError`` for an unknown name."""
    resource = resources.files("tracer.queries").joinpath("cypher", f"{name}.cypher")
    if not resource.is_file():
        raise KeyError(f"no Cypher file named {name!r} in tracer/queries/cypher")
    return resource.read_text(encoding="utf-8")


def catalogue_names() -> list[str]:
    """Every operation in the catalogue, sorted."""
    folder = resources.files("tracer.queries").joinpath("cypher")
    return sorted(
        item.name.removesuffix(".cypher")
        for item in folder.iterdir()
        if item.name.endswith(".cypher")
    )
