"""The guest's WebSocket adapter, and the plain-HTTP ``GET /session`` lookup."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
from collections.abc import Callable

from websockets import CloseCode
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from ..clock import Clock, SystemClock
from ..protocol import messages as m
from ..protocol.errors import LoudSyncError
from ..protocol.events import Close, GuestEvent, GuestListener, Output, Send
from ..protocol.guest import CONNECTED, CONNECTING, GuestSession
from .addresses import ws_url
from .deadlines import run_deadlines

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 2.0
CLOSE_TIMEOUT_S = 1.0
# The largest frame taken from a host: a PLAYER_STATE of a long queue or a cover is well
# under it; anything bigger is a host gone wrong, and ends the connection, not the guest.
MAX_HOST_FRAME_BYTES = 4 * 1024 * 1024


class HostUnreachable(LoudSyncError):
    """No LoudSync host answered at that address."""


async def fetch_session_info(host: str, port: int, timeout: float = CONNECT_TIMEOUT_S) -> dict:
    """``GET /session`` on the host's port: the LOUDSYNC_ANNOUNCE object."""
    def get() -> dict:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.request("GET", "/session")
            response = conn.getresponse()
            body = response.read(m.MAX_FRAME_BYTES)
        finally:
            conn.close()
        if response.status != 200:
            raise HostUnreachable(
                f"{host}:{port} answered HTTP {response.status}: not a LoudSync host.")
        info = json.loads(body)
        if not isinstance(info, dict) or not isinstance(info.get("sessionId"), str):
            raise HostUnreachable(f"{host}:{port} is not a LoudSync host.")
        return info

    try:
        return await asyncio.to_thread(get)
    except HostUnreachable:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise HostUnreachable(f"No LoudSync host answered at {host}:{port} ({reason}).") from exc


class GuestConnection:
    """One connection of a GuestSession to a host; ``run()`` returns when it ends."""

    def __init__(self, core: GuestSession, host: str, port: int, *,
                 clock: Clock | None = None,
                 on_event: GuestListener = lambda event: None,
                 on_frame: Callable[[str | bytes, float], None] | None = None,
                 connect_timeout_s: float = CONNECT_TIMEOUT_S) -> None:
        """``on_frame(frame, arrived_us)`` sees every frame from the host before the
        core does (extensions such as playback read their own message types there)."""
        self.connect_timeout_s = connect_timeout_s
        self.core = core
        self.url = ws_url(host, port)
        self.clock = clock or SystemClock()
        self._on_event = on_event
        self._on_frame = on_frame
        self._ws: ClientConnection | None = None
        self._wake = asyncio.Event()
        self._done = asyncio.Event()
        self.final_event: GuestEvent | None = None

    async def run(self) -> GuestEvent | None:
        """Connect, join and pump until the session ends; returns the final event."""
        try:
            self._ws = await asyncio.wait_for(connect(
                self.url, compression=None, max_size=MAX_HOST_FRAME_BYTES, open_timeout=None,
                ping_interval=None, close_timeout=CLOSE_TIMEOUT_S, logger=log,
            ), self.connect_timeout_s)
        except (TimeoutError, OSError, InvalidHandshake, InvalidURI) as exc:
            raise HostUnreachable(
                f"Could not connect to {self.url} ({str(exc) or 'timed out'}).") from exc
        timer = asyncio.create_task(self._timer())
        try:
            await self._apply(self.core.connection_opened(self.clock.now_ms()))
            async for frame in self._ws:
                if self._on_frame is not None:
                    self._on_frame(frame, self.clock.now_precise_ms() * 1000)
                if isinstance(frame, str):
                    await self._apply(self.core.receive_text(frame, self.clock.now_ms()))
                else:
                    self.core.frame_arrived(self.clock.now_ms())
                if self._done.is_set():
                    break
        except ConnectionClosed:
            pass
        finally:
            timer.cancel()
            await asyncio.gather(timer, return_exceptions=True)
            if not self._done.is_set():
                reason = _describe_close(self._ws)
                await self._apply(self.core.connection_closed(self.clock.now_ms(), reason))
            await self._ws.close()
        return self.final_event

    async def send_text(self, text: str) -> None:
        """An extension frame to the host (only once welcomed)."""
        if self._ws is not None and self.core.status == CONNECTED:
            try:
                await self._ws.send(text)
            except ConnectionClosed:
                pass

    async def leave(self, reason: str | None = None) -> None:
        """Send LEAVE; the host answers by closing, which ends ``run()``."""
        if self._ws is None or self.core.status not in (CONNECTING, CONNECTED):
            return
        await self._apply(self.core.leave(self.clock.now_ms(), reason))
        self._done.set()
        try:
            await asyncio.wait_for(self._ws.wait_closed(), CLOSE_TIMEOUT_S)
        except TimeoutError:
            await self._ws.close()

    async def _timer(self) -> None:
        async def due() -> bool:
            await self._apply(self.core.tick(self.clock.now_ms()))
            if self._done.is_set():
                # The host fell silent: waiting for its closing handshake is pointless.
                assert self._ws is not None   # the timer runs only once connected
                self._ws.transport.abort()
                return True
            return False
        await run_deadlines(self.core.next_deadline, self.clock.seconds_until, self._wake, due)

    async def _apply(self, outputs: list[Output]) -> None:
        assert self._ws is not None   # the core speaks only once connected
        for out in outputs:
            if isinstance(out, Send):
                try:
                    await self._ws.send(out.text)
                except ConnectionClosed:
                    pass
            elif isinstance(out, Close):
                self._done.set()  # run() leaves its loop and closes the socket
            elif isinstance(out, GuestEvent):
                if self.core.status not in (CONNECTING, CONNECTED):
                    self.final_event = out
                    self._done.set()
                self._on_event(out)
        self._wake.set()


def _describe_close(ws: ClientConnection | None) -> str:
    if ws is None or ws.close_code is None:
        return "Connection lost"
    if ws.close_code == CloseCode.ABNORMAL_CLOSURE:
        return "Connection lost"
    reason = f": {ws.close_reason}" if ws.close_reason else ""
    return f"Connection closed by the host ({ws.close_code}{reason})"
