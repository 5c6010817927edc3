"""The host's WebSocket adapter: pumps the HostSession core over websockets.

A frame goes straight to a guest's socket while nothing waits before it and the
socket's buffer has room, as websockets' ``broadcast()`` writes: no queue and no
task wake-up per frame on the hot path (audio chunks, tens a second per guest).
Otherwise it waits in that guest's outbox for the guest's writer task, so frames
stay in order and a slow or dead guest never stalls the host or the others. One
timer task calls the core's ``tick`` at its ``next_deadline``. The same port
answers plain-HTTP ``GET /session`` (PROTOCOL.md section 4).
"""

from __future__ import annotations

import asyncio
import errno
import http
import itertools
import json
import logging
from collections import deque

from websockets import CloseCode
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.protocol import State

from ..clock import Clock, SystemClock
from ..persistence import SessionStore
from ..protocol import messages as m
from ..protocol.errors import LoudSyncError
from ..protocol.events import (
    Close, ConnId, HostEvent, HostListener, MemberJoined, MemberLeft, MemberResumed, MemberUpdated,
    Output, Send,
)
from ..protocol.host import HostConfig, HostSession
from .addresses import DEFAULT_PORT, local_ipv4_addresses, ws_url
from .deadlines import run_deadlines

log = logging.getLogger(__name__)

OUTBOX_LIMIT = 1024      # frames waiting for one guest before it counts as dead
CLOSE_TIMEOUT_S = 2.0    # how long a closing handshake may take before we abort
HANDSHAKE_TIMEOUT_S = 5.0
LISTEN_BACKLOG = 512
# Close codes websockets sends by itself when a guest breaks the framing rules.
GUEST_FAULTS = frozenset({CloseCode.PROTOCOL_ERROR, CloseCode.INVALID_DATA,
                          CloseCode.MESSAGE_TOO_BIG})


class PortInUse(LoudSyncError):
    pass


class _Outbox:
    """What waits to be written to one connection, in order, and how many bytes that is.

    Frames are kept encoded, with whether each is text: (data, True) or (data, False).
    The socket's own buffer (its transport's) holds what was written but not yet sent.
    """

    __slots__ = ("ws", "waiting", "waiting_bytes", "wake", "closing")

    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.waiting: deque[tuple[bytes, bool] | Close] = deque()
        self.waiting_bytes = 0      # kept as frames come and go: backlog_bytes is polled
        self.wake = asyncio.Event()  # set when something is put in ``waiting``
        self.closing = False


class HostServer:
    def __init__(self, config: HostConfig | None = None, *, port: int = DEFAULT_PORT,
                 bind: str = "0.0.0.0", clock: Clock | None = None,
                 fall_back_to_free_port: bool | None = None,
                 session: HostSession | None = None, store: SessionStore | None = None) -> None:
        """``session``: a restored HostSession instead of a new one from ``config``.
        ``store``: keep the party saved there while hosting (for ``resume``)."""
        self.clock = clock or SystemClock()
        if session is None:
            assert config is not None, "a HostConfig or a restored session is needed"
            session = HostSession(config, self.clock.now_ms())
        self.core = session
        self._store = store
        self._save_pending = False
        self._requested_port = port
        self._bind = bind
        # The default port falls back to any free one; a port someone chose does not.
        self._fall_back = (port == DEFAULT_PORT) if fall_back_to_free_port is None \
            else fall_back_to_free_port
        self._server: Server | None = None
        self._outboxes: dict[ConnId, _Outbox] = {}
        self._tasks: set[asyncio.Task] = set()
        self._wake = asyncio.Event()
        self._timer_deadline: int | None = None   # what the timer sleeps until
        self._listeners: list[HostListener] = []
        self._ids = itertools.count(1)
        self.port = 0

    # -- public API -------------------------------------------------------------
    def add_listener(self, callback: HostListener) -> None:
        """``callback(event)`` for every core event (MemberJoined, MemberLeft, ...)."""
        self._listeners.append(callback)

    @property
    def config(self) -> HostConfig:
        return self.core.config

    @property
    def members(self) -> list[m.Member]:
        return self.core.members

    def announcement(self) -> dict:
        return {**self.core.announcement(), "port": self.port}

    def urls(self) -> list[str]:
        return [ws_url(a, self.port) for a in local_ipv4_addresses()]

    def latency_ms(self, device_id: str) -> float | None:
        """Round trip of the last keepalive ping to that guest, if measured."""
        box = self._outboxes.get(self.core.conn_of(device_id))
        return box.ws.latency * 1000 if box is not None and box.ws.latency else None

    @classmethod
    def resume(cls, saved: dict, **kwargs) -> HostServer:
        """The party a crashed host saved: same code and members, on its old port if free."""
        clock = kwargs.pop("clock", None) or SystemClock()
        session = HostSession.restore(saved, clock.now_ms())
        saved_port = saved.get("port")
        port = saved_port if isinstance(saved_port, int) else DEFAULT_PORT
        kwargs.setdefault("fall_back_to_free_port", True)
        return cls(session=session, port=port, clock=clock, **kwargs)

    # -- the host's decisions ------------------------------------------------------------
    def approve(self, conn) -> None:
        self._apply(self.core.approve(conn, self.clock.now_ms()))

    def decline(self, conn) -> None:
        self._apply(self.core.decline(conn, self.clock.now_ms()))

    def remove(self, device_id: str) -> None:
        self._apply(self.core.remove(device_id, self.clock.now_ms()))

    def send_to(self, device_id: str, frame: str | bytes) -> bool:
        """An extension frame (text or binary) to one member; False if it is not connected."""
        conn = self.core.conn_of(device_id)
        box = self._outboxes.get(conn) if conn is not None else None
        if box is None or box.closing:
            return False
        if isinstance(frame, str):
            self._send(conn, box, frame.encode(), True)
        else:
            self._send(conn, box, frame, False)
        return True

    def queued_for(self, device_id: str) -> int:
        """Frames waiting to be written to a member (for flow control of big transfers):
        those its socket's buffer had no room for yet."""
        conn = self.core.conn_of(device_id)
        box = self._outboxes.get(conn) if conn is not None else None
        return len(box.waiting) if box is not None else 0

    def backlog_bytes(self, device_id: str) -> int | None:
        """Bytes waiting to go to a member (its outbox and its socket's write buffer), or
        None if it is not connected: the stream holds audio back while this is high."""
        conn = self.core.conn_of(device_id)
        box = self._outboxes.get(conn) if conn is not None else None
        if box is None or box.closing:
            return None
        return box.waiting_bytes + box.ws.transport.get_write_buffer_size()

    async def start(self) -> None:
        try:
            self._server = await self._serve(self._requested_port)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise PortInUse(f"Cannot listen on port {self._requested_port}: "
                                f"{exc.strerror}.") from exc
            if not self._fall_back:
                raise PortInUse(f"Port {self._requested_port} is already in use by another "
                                "program. Choose another port, or 0 for any free one.") from exc
            self._server = await self._serve(0)
        self.port = self._server.sockets[0].getsockname()[1]
        self._spawn(self._timer())
        self._save()

    async def stop(self, reason: str | None = None) -> None:
        """End Session: SESSION_CLOSED to all, close each with 1000, free the port."""
        if self._server is None:
            return
        now = self.clock.now_ms()
        self._apply(self.core.close(now, reason) if reason else self.core.close(now))
        writers = [t for t in self._tasks if t.get_name().startswith("writer-")]
        if writers:
            await asyncio.wait(writers, timeout=CLOSE_TIMEOUT_S + 1)
        self._server.close()
        await self._server.wait_closed()
        self._server = None
        if self._store is not None:
            self._store.clear()   # ended on purpose: nothing to resume
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- websockets plumbing ----------------------------------------------------------
    async def _serve(self, port: int) -> Server:
        return await serve(
            self._handle, self._bind, port,
            process_request=self._http_request,
            compression=None,
            max_size=m.MAX_FRAME_BYTES,
            ping_interval=self.config.heartbeat_interval_ms / 1000,
            ping_timeout=None,  # liveness is the core's HEARTBEAT rule, not websockets'
            close_timeout=CLOSE_TIMEOUT_S,
            open_timeout=HANDSHAKE_TIMEOUT_S,
            backlog=LISTEN_BACKLOG,   # a connection flood must not crowd out a real guest
            logger=log,
        )

    def _http_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return None
        if request.path.split("?")[0] == "/session":
            return _json_response(http.HTTPStatus.OK, self.announcement())
        return _json_response(http.HTTPStatus.NOT_FOUND, {
            "error": "This is a LoudSync party. GET /session describes it; "
                     "guests connect here with a WebSocket."})

    async def _handle(self, ws: ServerConnection) -> None:
        conn = next(self._ids)
        box = _Outbox(ws)
        self._outboxes[conn] = box
        address = ws.remote_address[0] if ws.remote_address else "?"
        writer = self._spawn(self._writer(conn, box), name=f"writer-{conn}")
        self._apply(self.core.connection_opened(conn, address, self.clock.now_ms()))
        abusive = False
        try:
            async for frame in ws:
                now = self.clock.now_ms()
                if isinstance(frame, str):
                    self._apply(self.core.receive_text(conn, frame, now,
                                                       int(self.clock.now_precise_ms() * 1000)))
                else:
                    self._apply(self.core.receive_binary(conn, frame, now))
        except ConnectionClosed as closed:
            # A clean close ends the loop without this exception. websockets fails a
            # guest's oversized frame, invalid UTF-8 or broken framing itself and drops
            # TCP, so the close code reads 1006: the frame we sent first is the truth.
            abusive = (closed.sent is not None and not closed.rcvd_then_sent
                       and closed.sent.code in GUEST_FAULTS)
        finally:
            self._apply(self.core.connection_closed(conn, self.clock.now_ms(), abusive=abusive))
            box.closing = True
            self._wait(box, Close(conn, CloseCode.NORMAL_CLOSURE, ""))  # let the writer finish
            await writer
            self._outboxes.pop(conn, None)

    def _send(self, conn: ConnId, box: _Outbox, data: bytes, text: bool) -> None:
        """One encoded frame to one connection: written at once if it can be, else queued."""
        ws = box.ws
        if box.waiting or ws.paused:
            # Something waits before it, or the socket's buffer is over its limit: it
            # waits too, for the writer, which sends it once the buffer has drained.
            if len(box.waiting) >= OUTBOX_LIMIT:
                # A guest that reads nothing is dead even if TCP says otherwise.
                self._abort(box)
                return
            box.waiting_bytes += len(data)
            self._wait(box, (data, text))
            return
        if ws.protocol.state is not State.OPEN:
            return   # closing already (as broadcast() skips it): the core hears of it soon
        try:
            # What websockets' broadcast() does for each connection: frame, then write.
            if text:
                ws.protocol.send_text(data)
            else:
                ws.protocol.send_binary(data)
            ws.send_data()
        except Exception:  # never leave a connection half-served
            log.exception("writing to connection %s failed", conn)
            self._abort(box)

    @staticmethod
    def _wait(box: _Outbox, item: tuple[bytes, bool] | Close) -> None:
        box.waiting.append(item)
        box.wake.set()

    @staticmethod
    def _abort(box: _Outbox) -> None:
        box.closing = True   # nothing more for it: the handler's end cleans up
        box.ws.transport.abort()

    async def _writer(self, conn: int, box: _Outbox) -> None:
        """Writes what had to wait, in order, each once the socket's buffer has room.

        ``ws.send`` writes at once and then waits while the buffer is over its limit, so
        a frame taken from ``waiting`` is in the socket's buffer before this task yields:
        a frame written directly meanwhile still comes after it.
        """
        ws = box.ws
        while True:
            await box.wake.wait()
            box.wake.clear()
            while box.waiting:
                item = box.waiting.popleft()
                try:
                    if isinstance(item, Close):
                        await asyncio.wait_for(ws.close(item.code, item.reason),
                                               CLOSE_TIMEOUT_S + 1)
                        return
                    data, text = item
                    box.waiting_bytes -= len(data)
                    await ws.send(data, text=text)
                except (TimeoutError, ConnectionClosed, OSError):
                    self._abort(box)
                    return
                except Exception:  # never leave a connection half-served
                    log.exception("writing to connection %s failed", conn)
                    self._abort(box)
                    return

    async def _timer(self) -> None:
        await run_deadlines(self._next_deadline, self.clock.seconds_until, self._wake,
                            lambda: self._apply(self.core.tick(self.clock.now_ms())))

    def _next_deadline(self) -> int | None:
        self._timer_deadline = self.core.next_deadline()
        return self._timer_deadline

    # -- effects ------------------------------------------------------------------
    def _apply(self, outputs: list[Output]) -> None:
        # The core hands one broadcast's Send effects the same text object: encode it once.
        text: str | bytes | None = None
        data = b""
        for out in outputs:
            if isinstance(out, Send):
                box = self._outboxes.get(out.conn)
                if box is None or box.closing:
                    continue
                if out.text is not text:
                    text = out.text
                    data = text.encode() if isinstance(text, str) else text
                self._send(out.conn, box, data, isinstance(text, str))
            elif isinstance(out, Close):
                box = self._outboxes.get(out.conn)
                if box is None or box.closing:
                    continue
                box.closing = True
                self._wait(box, out)   # after whatever waits before it
            elif isinstance(out, HostEvent):
                if isinstance(out, (MemberJoined, MemberLeft, MemberUpdated, MemberResumed)):
                    self._save_soon()   # a resume hands out a new token: keep it
                for listener in list(self._listeners):
                    try:
                        listener(out)
                    except Exception:  # a broken listener must not break the host
                        log.exception("listener failed on %r", out)
        # Wake the timer only if this moved the next deadline earlier (a new connection's
        # JOIN timeout, say): one it sleeps past it finds on waking at the old one, as a
        # tick before anything is due does nothing. Most inputs (HEARTBEATs) move it later.
        deadline = self.core.next_deadline()
        if deadline is not None and (self._timer_deadline is None
                                     or deadline < self._timer_deadline):
            self._wake.set()

    def _save_soon(self) -> None:
        if self._store is not None and not self._save_pending:
            self._save_pending = True   # a burst of joins is saved once
            asyncio.get_running_loop().call_soon(self._save)

    def _save(self) -> None:
        self._save_pending = False
        if self._store is None or self.core.closed or self._server is None:
            return
        try:
            self._store.save({**self.core.snapshot(), "port": self.port})
        except OSError as exc:  # hosting goes on; only crash recovery is lost
            log.warning("cannot save the party for crash recovery: %s", exc)

    def _spawn(self, coro, name: str | None = None) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


def _json_response(status: http.HTTPStatus, body: dict) -> Response:
    data = json.dumps(body).encode()
    headers = Headers([
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(data))),
        ("Connection", "close"),
        ("Access-Control-Allow-Origin", "*"),
    ])
    return Response(status.value, status.phrase, headers, data)
