"""The Cypher catalogue: one ``.cypher`` file per operation under ``queries/cypher/``.

A statement may include a shared *fragment* (``cypher/fragments/<name>.cypher``) by writing
``{{ name }}``: each rule condition ("finding in force", "rule in force", "person released" …) is
written once and composed into every statement that needs it. Fragments use the variable names
of the statements that include them (``f`` finding, ``s`` listed subject, ``p`` person, ``h``
position, ``n`` naming, ``r`` rule, ``lt`` list type) and the parameters ``$as_of`` (Date) and
``$known_at`` (DateTime).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

_INCLUDE = re.compile(r"\{\{\s*([a-z0-9_]+)\s*\}\}")


def _folder(*parts: str) -> Traversable:
    return resources.files("tracer.queries").joinpath("cypher", *parts)


def _text(resource: Traversable, what: str) -> str:
    if not resource.is_file():
        raise KeyError(f"no Cypher {what} named {resource.name!r} in tracer/queries/cypher")
    return resource.read_text(encoding="utf-8")


def _compose(text: str, seen: tuple[str, ...]) -> str:
    def include(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in seen:
            raise KeyError(f"Cypher fragment {name!r} includes itself")
        body = _text(_folder("fragments", f"{name}.cypher"), "fragment")
        return _compose(body.rstrip("\n"), (*seen, name))

    return _INCLUDE.sub(include, text)


@cache
def cypher(name: str) -> str:
    """The composed text of ``cypher/<name>.cypher`` (cached). ``KeyError`` for an unknown name
    or fragment."""
    return _compose(_text(_folder(f"{name}.cypher"), "file"), ())


def _names(folder: Traversable) -> list[str]:
    return sorted(
        item.name.removesuffix(".cypher")
        for item in folder.iterdir()
        if item.is_file() and item.name.endswith(".cypher")
    )


def catalogue_names() -> list[str]:
    """Every operation in the catalogue, sorted."""
    return _names(_folder())


def fragment_names() -> list[str]:
    """Every shared fragment, sorted."""
    return _names(_folder("fragments"))


def included_fragments(name: str) -> set[str]:
    """The fragments a statement includes, directly or through other fragments."""
    found: set[str] = set()
    pending = [_text(_folder(f"{name}.cypher"), "file")]
    while pending:
        for match in _INCLUDE.finditer(pending.pop()):
            if match.group(1) not in found:
                found.add(match.group(1))
                pending.append(_text(_folder("fragments", f"{match.group(1)}.cypher"), "fragment"))
    return found
