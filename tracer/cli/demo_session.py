"""Where a running ``tracer demo`` is: a state file in the API home, so that a second run points
at the first instead of revoking its key and failing on its port."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

STATE_FILE = "demo-serving.json"


@dataclass(frozen=True)
class DemoSession:
    """A demo process: its pid, the URL it serves (or will serve) and whether it started the
    bundled Neo4j."""

    pid: int
    url: str
    started_neo4j: bool


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running(home: Path) -> DemoSession | None:
    """The demo recorded in ``home`` if its process is still alive (a stale file is ignored)."""
    try:
        document = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
        session = DemoSession(
            int(document["pid"]), str(document["url"]), bool(document["started_neo4j"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if session.pid == os.getpid() or not _alive(session.pid):
        return None
    return session


def port_taken(host: str, port: int) -> bool:
    """Whether something already accepts connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def recorded(home: Path, session: DemoSession) -> Iterator[None]:
    """Record ``session`` in ``home`` while the block runs (the file is removed afterwards)."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / STATE_FILE
    path.write_text(json.dumps(asdict(session)), encoding="utf-8")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
