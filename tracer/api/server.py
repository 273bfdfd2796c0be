"""The HTTP server `tracer serve` runs: uvicorn's h11 protocol with read timeouts and a cap on
connections per client, and the uvicorn configuration built from ``TRACER_SERVE_*`` settings.

uvicorn bounds the time between requests (keep-alive), the number of connections or tasks before
it answers 503 (``limit_concurrency``) and the size of a request head (h11's incomplete-event
size), but not how long a client may take to send a head or a body. ``LimitedH11Protocol`` adds:

* a **header deadline**: a connection that has not sent a complete request head within
  ``header_timeout`` seconds of opening (or of the first byte after an idle keep-alive) is closed;
* a **body deadline**: a body that sends nothing for ``body_timeout`` seconds, or is not complete
  ``body_total_timeout`` seconds after its head, is answered 408 (when nothing was answered yet)
  and the connection closed;
* a **per-client cap**: a client address (an IPv6 client by its /64) with
  ``max_connections_per_client`` open connections has any further one closed at once.

Each worker process counts its own connections: with N workers a client may hold up to N times
the cap, and ``limit_concurrency`` is per worker too.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import h11
import uvicorn
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState
from uvicorn.supervisors import Multiprocess

LOGGER = logging.getLogger("tracer.api.server")

#: The application `tracer serve` runs (a factory, so every worker builds its own).
APP = "tracer.api.app:create_app"

#: At most one warning line per kind of refusal in this many seconds (a flood is one line).
LOG_INTERVAL = 10.0

#: uvicorn's exit status when the server did not start.
_STARTUP_FAILURE = 3


class ServeSettings(BaseSettings):
    """Limits of the HTTP server (per worker process)."""

    model_config = SettingsConfigDict(env_prefix="TRACER_SERVE_", extra="ignore")

    header_timeout: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="Seconds from a connection's start (or its first byte after an idle "
        "keep-alive) to a complete request head; the connection is closed after that.",
    )
    keep_alive_timeout: int = Field(
        default=5,
        ge=1,
        le=3600,
        description="Seconds an idle keep-alive connection waits for its next request.",
    )
    body_timeout: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Seconds a request body may send nothing: 408 (or a close) after that.",
    )
    body_total_timeout: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="Seconds from the end of a request's head to the end of its body.",
    )
    max_connections_per_client: int = Field(
        default=32,
        ge=0,
        description="Open connections per client address (IPv6: per /64), loopback included; "
        "further ones are closed at once. 0: no cap.",
    )
    max_connections: int = Field(
        default=512,
        ge=1,
        description="uvicorn's limit_concurrency: above this many connections or requests in "
        "progress, requests are answered 503.",
    )
    max_header_bytes: int = Field(
        default=16 * 1024,
        ge=1024,
        description="Largest request head (request line and headers); larger ones get 400.",
    )


class ServerConfig(uvicorn.Config):
    """uvicorn's configuration plus the limits its protocol enforces (pickled to each worker)."""

    def __init__(
        self, app: str | Callable[..., Any], *, limits: ServeSettings, **options: Any
    ) -> None:
        super().__init__(app, **options)
        self.limits = limits


def build_config(
    settings: ServeSettings, app: str | Callable[..., Any] = APP, **options: Any
) -> ServerConfig:
    """uvicorn's configuration for ``app`` with the limits of ``settings``.

    ``options`` are uvicorn ``Config`` arguments (host, port, workers, logging …); the limits
    come from ``settings`` and cannot be overridden there.
    """
    return ServerConfig(
        app,
        limits=settings,
        http=LimitedH11Protocol,
        timeout_keep_alive=settings.keep_alive_timeout,
        limit_concurrency=settings.max_connections,
        h11_max_incomplete_event_size=settings.max_header_bytes,
        **options,
    )


def run(config: ServerConfig) -> None:
    """Serve until stopped, as ``uvicorn.run`` does (without reload): one process, or a
    supervisor with ``config.workers`` worker processes on one socket."""
    if config.workers > 1 and not isinstance(config.app, str):
        raise ValueError("several workers need the application as an import string")
    if config.workers == 1:
        config.load_app()
    server = uvicorn.Server(config)
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        else:
            server.run()
    except KeyboardInterrupt:
        pass
    if config.workers == 1 and not server.started:
        raise SystemExit(_STARTUP_FAILURE)


def client_key(host: str) -> str:
    """Whom a connection counts against: the IPv4 address, or the /64 of an IPv6 address (one
    host usually holds a whole /64); anything else (a name, a socket path) as it is."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass
class _Shared:
    """What the connections of one server (one worker) share: open connections per client, and
    how many refusals of each kind went unreported since the last log line."""

    clients: Counter[str] = field(default_factory=Counter)
    unreported: Counter[str] = field(default_factory=Counter)
    last_line: dict[str, float] = field(default_factory=dict)

    def report(self, kind: str, message: str) -> None:
        """Log ``message`` at most once per ``LOG_INTERVAL`` per kind, with the count since."""
        self.unreported[kind] += 1
        now = time.monotonic()
        last = self.last_line.get(kind)
        if last is None or now - last >= LOG_INTERVAL:
            LOGGER.warning("%s: %d since the previous report", message, self.unreported[kind])
            self.unreported[kind] = 0
            self.last_line[kind] = now


_SHARED: weakref.WeakKeyDictionary[ServerState, _Shared] = weakref.WeakKeyDictionary()


def head_size(request: h11.Request) -> int:
    """Bytes of a request line and its headers as sent (less optional whitespace)."""
    line = len(request.method) + len(request.target) + len(request.http_version) + 9
    return line + sum(len(name) + len(value) + 4 for name, value in request.headers) + 2


class HeadLimitedConnection(h11.Connection):
    """h11's server side refusing request heads over ``max_head_bytes``.

    h11 alone bounds only an *incomplete* head (``max_incomplete_event_size``): a larger head
    that arrives complete in one read (up to 256 KiB from asyncio) passes. This checks the
    parsed head too; ``refused_status`` is 431 after either refusal.
    """

    def __init__(self, max_head_bytes: int) -> None:
        super().__init__(h11.SERVER, max_incomplete_event_size=max_head_bytes)
        self.max_head_bytes = max_head_bytes
        self.refused_status = 400

    def next_event(self) -> h11.Event | type[h11.NEED_DATA] | type[h11.PAUSED]:
        try:
            event = super().next_event()
        except h11.RemoteProtocolError as exc:
            self.refused_status = exc.error_status_hint
            raise
        if isinstance(event, h11.Request) and head_size(event) > self.max_head_bytes:
            self.refused_status = 431
            raise h11.RemoteProtocolError("request head too large", error_status_hint=431)
        return event


_Timer = Literal["header", "body_idle", "body_total"]


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with header and body read deadlines and a per-client cap."""

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        if not isinstance(config, ServerConfig):
            raise TypeError("LimitedH11Protocol needs a ServerConfig (see build_config)")
        super().__init__(config, server_state, app_state, _loop)
        self.limits = config.limits
        self.conn = HeadLimitedConnection(self.limits.max_header_bytes)
        self.shared = _SHARED.setdefault(server_state, _Shared())
        self.counted_as: str | None = None
        self.timers: dict[_Timer, asyncio.TimerHandle] = {}
        self.handed_over = False

    # -- connection lifetime ----------------------------------------------------------------
    def connection_made(  # type: ignore[override]
        self, transport: asyncio.Transport
    ) -> None:
        super().connection_made(transport)
        cap = self.limits.max_connections_per_client
        if cap and self.client is not None:
            key = client_key(self.client[0])
            if self.shared.clients[key] >= cap:
                self.shared.report(
                    "cap", f"Closed connections over the cap of {cap} per client address"
                )
                transport.close()
                return
            self.shared.clients[key] += 1
            self.counted_as = key
        self._update_timers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._release()
        super().connection_lost(exc)

    def handle_websocket_upgrade(self, event: h11.Request) -> None:
        # The websocket protocol takes the transport over; this one is never told it is lost.
        self.handed_over = True
        self._release()
        super().handle_websocket_upgrade(event)

    def _release(self) -> None:
        self._cancel("header", "body_idle", "body_total")
        if self.counted_as is not None:
            self.shared.clients[self.counted_as] -= 1
            if self.shared.clients[self.counted_as] <= 0:
                del self.shared.clients[self.counted_as]
            self.counted_as = None

    # -- reading ----------------------------------------------------------------------------
    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.SEND_BODY:
            self._cancel("body_idle")  # the body moves: its idle clock starts again
        super().data_received(data)
        self._update_timers()

    def handle_events(self) -> None:
        super().handle_events()
        self._update_timers()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._update_timers()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to an unreadable request; 431 when its head was too large."""
        status = self.conn.refused_status if isinstance(self.conn, HeadLimitedConnection) else 400
        if status != 431:
            super().send_400_response(msg)
            return
        self.shared.report(
            "head_size", f"Answered 431 to request heads over {self.limits.max_header_bytes} bytes"
        )
        body = b"Request header fields too large"
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        reason = b"Request Header Fields Too Large"
        output = self.conn.send(h11.Response(status_code=431, headers=headers, reason=reason))
        output = (output or b"") + (self.conn.send(h11.Data(data=body)) or b"")
        output += self.conn.send(h11.EndOfMessage()) or b""
        self.transport.write(output)
        self.transport.close()

    # -- deadlines --------------------------------------------------------------------------
    def _update_timers(self) -> None:
        """Arm or cancel the read deadlines for the state the client is in now."""
        if self.handed_over or self.transport.is_closing():
            self._cancel("header", "body_idle", "body_total")
            return
        state = self.conn.their_state
        if state is h11.IDLE:
            self._cancel("body_idle", "body_total")
            # Waiting for a head: uvicorn's keep-alive timer covers an idle connection between
            # requests; from a new connection's start or the first byte after that, ours does.
            if "header" not in self.timers and self.timeout_keep_alive_task is None:
                self._arm("header", self.limits.header_timeout)
        elif state is h11.SEND_BODY:
            self._cancel("header")
            if "body_idle" not in self.timers:
                self._arm("body_idle", self.limits.body_timeout)
            if "body_total" not in self.timers:
                self._arm("body_total", self.limits.body_total_timeout)
        else:
            self._cancel("header", "body_idle", "body_total")

    def _arm(self, name: _Timer, delay: float) -> None:
        self.timers[name] = self.loop.call_later(delay, self._expired, name)

    def _cancel(self, *names: _Timer) -> None:
        for name in names:
            timer = self.timers.pop(name, None)
            if timer is not None:
                timer.cancel()

    def _expired(self, name: _Timer) -> None:
        self.timers.pop(name, None)
        if self.handed_over or self.transport.is_closing():
            return
        if name == "header":
            if self.conn.their_state is not h11.IDLE:
                return
            if self.conn.trailing_data[0]:
                self.shared.report(
                    "header",
                    "Closed connections that sent no complete request head within "
                    f"{self.limits.header_timeout:g} s",
                )
            self._close()
            return
        if self.conn.their_state is not h11.SEND_BODY:
            return
        if self.flow.read_paused or (
            self.cycle is not None and self.cycle.waiting_for_100_continue
        ):
            # The client waits for us (unread body, or no 100 Continue yet): not its delay.
            self._arm(name, min(1.0, self.limits.body_timeout))
            return
        self.shared.report("body", "Answered 408 to request bodies that stalled or came too slowly")
        self._request_timeout()

    def _request_timeout(self) -> None:
        """408 when nothing of the response went out yet, then close; the app sees a disconnect."""
        cycle = self.cycle
        if cycle is not None and not cycle.response_started:
            cycle.response_started = True
            if self.conn.our_state is h11.SEND_RESPONSE:
                body = b"Request Timeout"
                headers = [
                    *self.server_state.default_headers,
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ]
                response = h11.Response(status_code=408, headers=headers, reason=b"Request Timeout")
                output = self.conn.send(response) or b""
                output += self.conn.send(h11.Data(data=body)) or b""
                output += self.conn.send(h11.EndOfMessage()) or b""
                self.transport.write(output)
        if cycle is not None:
            cycle.response_complete = True
            cycle.disconnected = True
            cycle.message_event.set()
        self._close()

    def _close(self) -> None:
        with contextlib.suppress(h11.LocalProtocolError):
            self.conn.send(h11.ConnectionClosed())
        self.transport.close()
