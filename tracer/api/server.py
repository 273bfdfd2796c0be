"""The HTTP server `tracer serve` runs: uvicorn's httptools protocol (the llhttp parser in C)
with read timeouts, a head size limit and a cap on connections per client, and the uvicorn
configuration built from ``TRACER_SERVE_*`` settings.

uvicorn bounds the time between requests (keep-alive) and the number of connections or tasks
before it answers 503 (``limit_concurrency``), but not how long a client may take to send a head
or a body, nor (with httptools) the size of a head. ``LimitedHttpToolsProtocol`` adds:

* a **header deadline**: a connection that has not sent a complete request head within
  ``header_timeout`` seconds of opening (or of the first byte after an idle keep-alive) is closed;
* a **body deadline**: a body that sends nothing for ``body_timeout`` seconds, or is not complete
  ``body_total_timeout`` seconds after its head, is answered 408 (when nothing was answered yet)
  and the connection closed;
* a **head limit**: a request head (request line and headers) over ``max_header_bytes``, complete
  or still arriving, is answered 431 and the connection closed;
* a **per-client cap**: a client address (an IPv6 client by its /64) with
  ``max_connections_per_client`` open connections has any further one closed at once.

Each worker process counts its own connections: with N workers a client may hold up to N times
the cap, and ``limit_concurrency`` is per worker too.

Once the application has started, each worker collects and freezes what it holds then
(``FreezeAfterStartup``): the modules, schemas and caches of a started app are some 380k objects
that live as long as the process, and a full cycle collection walking them paused the event loop
(and every request in flight) for a hundred milliseconds and more, several times a minute under
load. It also raises the youngest generation's threshold (``YOUNG_GC_THRESHOLD`` allocations
instead of 700): at 700, a check's short-lived objects were collected while its request was still
in flight, survived into the older generations and made every collection after them more
frequent and longer.
"""

from __future__ import annotations

import asyncio
import gc
import ipaddress
import logging
import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import uvicorn
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.server import ServerState
from uvicorn.supervisors import Multiprocess

LOGGER = logging.getLogger("tracer.api.server")

#: The application `tracer serve` runs (a factory, so every worker builds its own).
APP = "tracer.api.app:create_app"

#: At most one warning line per kind of refusal in this many seconds (a flood is one line).
LOG_INTERVAL = 10.0

#: Net allocations of container objects between two collections of the youngest generation
#: once the app has started (CPython's default: 700).
YOUNG_GC_THRESHOLD = 10_000

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
        description="Largest request head (request line and headers); larger ones get 431.",
    )


class FreezeAfterStartup:
    """An ASGI wrapper that, when the app reports its lifespan startup complete, collects
    garbage once and freezes every object left (``gc.freeze``): later collections no longer walk
    the objects a started app keeps for the life of the process; and collects the youngest
    generation every ``YOUNG_GC_THRESHOLD`` allocations instead of 700."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def freeze_when_started(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                gc.collect()
                gc.freeze()
                gc.set_threshold(YOUNG_GC_THRESHOLD, *gc.get_threshold()[1:])
            await send(message)

        await self.app(scope, receive, freeze_when_started)


class ServerConfig(uvicorn.Config):
    """uvicorn's configuration plus the limits its protocol enforces (pickled to each worker);
    the app it loads is wrapped in ``FreezeAfterStartup``."""

    def __init__(
        self, app: str | Callable[..., Any], *, limits: ServeSettings, **options: Any
    ) -> None:
        super().__init__(app, **options)
        self.limits = limits

    def load(self) -> None:
        super().load()
        self.loaded_app = FreezeAfterStartup(self.loaded_app)


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
        http=LimitedHttpToolsProtocol,
        timeout_keep_alive=settings.keep_alive_timeout,
        limit_concurrency=settings.max_connections,
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


_Timer = Literal["header", "body_idle", "body_total"]
_Phase = Literal["idle", "head", "body", "done"]


class _HeadTooLarge(Exception):
    """A complete request head over the limit (raised from the parser's callback)."""


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with header and body read deadlines, a request head limit
    and a per-client cap."""

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        if not isinstance(config, ServerConfig):
            raise TypeError("LimitedHttpToolsProtocol needs a ServerConfig (see build_config)")
        super().__init__(config, server_state, app_state, _loop)
        self.limits = config.limits
        self.shared = _SHARED.setdefault(server_state, _Shared())
        self.counted_as: str | None = None
        self.timers: dict[_Timer, asyncio.TimerHandle] = {}
        self.handed_over = False
        #: Where the client is in its current request: before a head, in it, in the body, done.
        self.phase: _Phase = "idle"
        #: Bytes of the open request head received so far.
        self.head_bytes = 0
        #: Whether the open head began in the chunk being parsed.
        self.head_began_here = False
        #: Bytes of the chunk being parsed that went to other things than the open head.
        self.elsewhere = 0
        self.refused_status = 400

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

    def handle_websocket_upgrade(self) -> None:
        # The websocket protocol takes the transport over; this one is never told it is lost.
        self.handed_over = True
        self._release()
        super().handle_websocket_upgrade()

    def _release(self) -> None:
        self._cancel("header", "body_idle", "body_total")
        if self.counted_as is not None:
            self.shared.clients[self.counted_as] -= 1
            if self.shared.clients[self.counted_as] <= 0:
                del self.shared.clients[self.counted_as]
            self.counted_as = None

    # -- reading ----------------------------------------------------------------------------
    def data_received(self, data: bytes) -> None:
        if self.phase == "body":
            self._cancel("body_idle")  # the body moves: its idle clock starts again
        self.elsewhere = 0
        self.head_began_here = False
        super().data_received(data)
        if self.phase == "head" and not self.transport.is_closing():
            # An incomplete head: bound what the parser buffers.
            if self.head_began_here:
                self.head_bytes = max(0, len(data) - self.elsewhere)
            else:
                self.head_bytes += len(data)
            if self.head_bytes > self.limits.max_header_bytes:
                self.refused_status = 431
                self.send_400_response("request head too large")
                return
        self._update_timers()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.phase = "head"
        self.head_bytes = 0
        self.head_began_here = True

    def on_headers_complete(self) -> None:
        size = len(self.parser.get_method()) + len(self.url) + 12  # "M URL HTTP/1.1\r\n"
        size += sum(len(name) + len(value) + 4 for name, value in self.headers) + 2
        self.elsewhere += size
        if size > self.limits.max_header_bytes:
            self.refused_status = 431
            raise _HeadTooLarge
        self.phase = "body"
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        self.elsewhere += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        # A request answered before its body was read is over with its body; else it waits.
        answered = self.cycle is not None and self.cycle.response_complete
        self.phase = "idle" if answered else "done"
        super().on_message_complete()

    def on_response_complete(self) -> None:
        if self.phase == "done":
            self.phase = "idle"
        super().on_response_complete()
        self._update_timers()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to an unreadable request; 431 when its head was too large."""
        if self.refused_status != 431:
            super().send_400_response(msg)
            return
        self.shared.report(
            "head_size", f"Answered 431 to request heads over {self.limits.max_header_bytes} bytes"
        )
        self._answer_and_close(431, b"Request header fields too large")

    def _answer_and_close(self, status: int, body: bytes) -> None:
        head = [STATUS_LINE[status]]
        head += [
            name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers
        ]
        head += [
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()

    # -- deadlines --------------------------------------------------------------------------
    def _update_timers(self) -> None:
        """Arm or cancel the read deadlines for the phase the client is in now."""
        if self.handed_over or self.transport.is_closing():
            self._cancel("header", "body_idle", "body_total")
            return
        if self.phase in ("idle", "head"):
            self._cancel("body_idle", "body_total")
            # Waiting for a head: uvicorn's keep-alive timer covers an idle connection between
            # requests; from a new connection's start or the first byte after that, ours does.
            if "header" not in self.timers and self.timeout_keep_alive_task is None:
                self._arm("header", self.limits.header_timeout)
        elif self.phase == "body":
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
            if self.phase not in ("idle", "head"):
                return
            if self.phase == "head":
                self.shared.report(
                    "header",
                    "Closed connections that sent no complete request head within "
                    f"{self.limits.header_timeout:g} s",
                )
            self.transport.close()
            return
        if self.phase != "body":
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
        answered = cycle is not None and cycle.response_started
        if cycle is not None:
            cycle.response_started = cycle.response_complete = cycle.disconnected = True
            cycle.message_event.set()
        if answered:
            self.transport.close()
        else:
            self._answer_and_close(408, b"Request Timeout")
