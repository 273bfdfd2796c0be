"""`tracer serve` against slow and greedy clients: header and body deadlines, keep-alive, head
size, per-client connection cap. The real server runs in a subprocess with timeouts of about a
second; `/healthz` and an unauthenticated `/v1` body need no database."""

from __future__ import annotations

import http.client
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tests.fixtures.database import free_port
from tracer.api.server import LimitedHttpToolsProtocol, ServeSettings, build_config, client_key
from tracer.api.settings import get_api_settings
from tracer.cli.main import app

TRACER = [sys.executable, "-m", "tracer.cli"]
#: Slack on every deadline (a loaded 2-CPU machine runs the suite).
MARGIN = 1.5
FAST = {
    "header_timeout": "1",
    "keep_alive_timeout": "1",
    "body_timeout": "1",
    "body_total_timeout": "2",
    "max_header_bytes": "4096",
}
CHECK_HEAD = (
    b"POST /v1/checks HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
    b"Content-Length: 100\r\n\r\n"
)


@contextmanager
def _serve(home: Path, limits: dict[str, str]) -> Iterator[int]:
    """`tracer serve` on a free port with ``TRACER_SERVE_<limit>`` set; yields the port."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACER_SERVE_")}
    env |= {f"TRACER_SERVE_{name.upper()}": value for name, value in limits.items()}
    env |= {
        "TRACER_API_HOME": str(home / "api"),
        "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",  # never contacted by these requests
        "NEO4J_PASSWORD": "unused",
        "TRACER_API_DB_RETRY_SECONDS": "0",  # the audit of a /v1 request may try it: fail fast
    }
    home.mkdir(parents=True, exist_ok=True)
    with (home / "stdout").open("w") as out, (home / "stderr").open("w") as err:
        server = subprocess.Popen(
            [*TRACER, "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, (home / "stderr").read_text()
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).is_success:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "tracer serve did not answer within 60 s"
                time.sleep(0.2)
            yield port
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    assert "Exception in ASGI application" not in (home / "stderr").read_text()


@pytest.fixture(scope="module")
def fast(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A server with one-second read timeouts and a 4 KiB head limit."""
    with _serve(tmp_path_factory.mktemp("fast"), FAST) as port:
        yield port


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def _until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and the seconds that took."""
    began = time.monotonic()
    received = b""
    while True:
        remaining = began + limit - time.monotonic()
        assert remaining > 0, f"still open after {limit} s; received {received[:80]!r}"
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            return received, time.monotonic() - began
        received += chunk


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def _trickle(sock: socket.socket, piece: bytes, every: float, limit: float) -> tuple[bytes, float]:
    """Send ``piece`` every ``every`` seconds until the server answers or closes."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        try:
            sock.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            return b"", time.monotonic() - began
        readable, _, _ = select.select([sock], [], [], every)
        if readable:
            received, _ = _until_closed(sock, limit)
            return received, time.monotonic() - began
    raise AssertionError(f"the server took a trickle for {limit} s")


def test_a_connection_without_a_complete_head_is_closed_after_the_header_timeout(
    fast: int,
) -> None:
    for sent in (b"", b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: "):
        with _connect(fast) as sock:
            sock.sendall(sent)
            received, took = _until_closed(sock, 1 + MARGIN)
        assert received == b""
        assert took > 0.8

    # A head that keeps trickling in is closed too: the deadline is not reset by each byte.
    with _connect(fast) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
        received, took = _trickle(sock, b"X: y\r\n", every=0.2, limit=1 + MARGIN)
    assert received == b""
    assert took > 0.8


def test_a_stalled_or_slow_body_gets_408_and_a_close(fast: int) -> None:
    with _connect(fast) as sock:
        sock.sendall(CHECK_HEAD + b'{"id')
        received, took = _until_closed(sock, 1 + MARGIN)
    assert _status(received) == 408
    assert b"connection: close" in received.lower()
    assert took > 0.8

    # One byte every 0.4 s never stalls for the 1 s idle timeout, but misses the 2 s total.
    with _connect(fast) as sock:
        sock.sendall(CHECK_HEAD)
        received, took = _trickle(sock, b" ", every=0.4, limit=2 + MARGIN)
    assert _status(received) == 408
    assert took > 1.8
    assert httpx.get(f"http://127.0.0.1:{fast}/healthz", timeout=5).status_code == 200


def test_keep_alive_serves_requests_then_closes_an_idle_or_half_sent_next_one(fast: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", fast, timeout=10)
    for pause in (0, 0.5, 0.5):
        time.sleep(pause)  # below the keep-alive timeout: the same connection serves the next
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b'{"status":"ok"}')
    sock = connection.sock
    assert isinstance(sock, socket.socket)
    received, took = _until_closed(sock, 1 + MARGIN)
    assert (received, took > 0.8) == (b"", True)
    connection.close()

    # The first byte of a next request ends uvicorn's keep-alive timer; the head deadline holds.
    connection = http.client.HTTPConnection("127.0.0.1", fast, timeout=10)
    connection.request("GET", "/healthz")
    assert connection.getresponse().read() == b'{"status":"ok"}'
    sock = connection.sock
    assert isinstance(sock, socket.socket)
    sock.sendall(b"G")
    received, took = _until_closed(sock, 1 + MARGIN)
    assert (received, took > 0.8) == (b"", True)
    connection.close()


def test_an_oversize_head_is_refused(fast: int) -> None:
    big = b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 8000 + b"\r\n"
    # Complete in one read, and incomplete (the parser would buffer it without bound).
    for sent in (big + b"\r\n", big):
        with _connect(fast) as sock:
            sock.sendall(sent)
            received, _ = _until_closed(sock, MARGIN)
        assert _status(received) == 431
    fitting = {"X-Big": "a" * 2000}
    response = httpx.get(f"http://127.0.0.1:{fast}/healthz", headers=fitting, timeout=5)
    assert response.status_code == 200


def test_pipelined_requests_are_answered_in_order_and_a_body_is_not_counted_as_a_head(
    fast: int,
) -> None:
    body = b'{"id_type": "RESIDENT_ID", "pad": "' + b"a" * 8000 + b'"}'
    post = CHECK_HEAD.replace(b"Content-Length: 100", b"Content-Length: %d" % len(body)) + body
    get = b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
    closing = b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    with _connect(fast) as sock:
        # The head after the 8 kB body arrives in the same read, then the rest of it later.
        sock.sendall(get + post + get[:20])
        time.sleep(0.3)
        sock.sendall(get[20:] + closing)
        received, _ = _until_closed(sock, 10)
    statuses = [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", received)]
    assert statuses == [200, 401, 200, 200]


def test_the_connection_over_the_per_client_cap_is_closed_at_once(tmp_path: Path) -> None:
    with _serve(tmp_path, {"max_connections_per_client": "3"}) as port:
        time.sleep(0.3)  # the start-up check's connection is closed, and released
        first = [_connect(port) for _ in range(3)]
        with _connect(port) as extra:
            received, took = _until_closed(extra, MARGIN)
        assert (received, took < 1) == (b"", True)
        for sock in first:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        for sock in first:
            received, _ = _until_closed(sock, 5)
            assert _status(received) == 200
            sock.close()
        # Closed connections no longer count.
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200


def test_settings_reach_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACER_SERVE_HEADER_TIMEOUT", "2.5")
    monkeypatch.setenv("TRACER_SERVE_MAX_CONNECTIONS", "64")
    settings = ServeSettings()
    config = build_config(settings, port=1)
    assert config.limits.header_timeout == 2.5
    assert config.http is LimitedHttpToolsProtocol
    assert config.limit_concurrency == 64
    assert config.timeout_keep_alive == settings.keep_alive_timeout == 5
    assert settings.max_header_bytes == 16384
    assert (settings.body_timeout, settings.body_total_timeout) == (30, 60)
    assert settings.max_connections_per_client == 32
    assert client_key("2001:db8::1") == client_key("2001:db8::2") == "2001:db8::/64"
    assert client_key("::ffff:10.0.0.1") == "10.0.0.1"


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    monkeypatch.setenv("TRACER_API_HOME", str(tmp_path / "api"))
    get_api_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, list(args)).stderr
    get_api_settings.cache_clear()


def test_serve_refuses_a_bad_limit(
    cli: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACER_SERVE_HEADER_TIMEOUT", "0")
    assert "TRACER_SERVE_HEADER_TIMEOUT" in cli("serve", "--port", "1")
