"""A guest's membership across connections: it reconnects by itself and resumes.

``GuestLink`` runs one GuestConnection after another. When a connection that
had been welcomed is lost (closed, reset, or the host fell silent), it tells
its listener ``Reconnecting`` and tries again after the ReconnectPolicy's
delay, with the latest resume token, looking the host up again through
discovery when the old address stops answering (the host may have restarted
on another port). Refusals, SESSION_CLOSED, removal and LEAVE end it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from ..clock import Clock, SystemClock
from ..protocol import events as ev
from ..protocol import guest as g
from .client import CONNECT_TIMEOUT_S, GuestConnection, HostUnreachable

log = logging.getLogger(__name__)

# (session id) -> the host's (address, port) now, or None if nobody has it.
Lookup = Callable[[str], Awaitable[tuple[str, int] | None]]


QUICK_FOR_MS = 20_000      # after the music stalled: tries this long, ...
QUICK_DELAY_MS = 100       # ... this far apart, ...
QUICK_CONNECT_S = 0.7      # ... each giving up this soon (a new SYN beats a backed-off one)


class GuestLink:
    def __init__(self, *, session_id: str, device_id: str, device_name: str, app_version: str,
                 host: str, port: int, pin: str | None = None, clock: Clock | None = None,
                 on_event: ev.GuestListener = lambda event: None,
                 lookup: Lookup | None = None,
                 policy: g.ReconnectPolicy | None = None,
                 features: tuple[str, ...] = (),
                 on_frame: Callable[[str | bytes, float], None] | None = None) -> None:
        self.session_id = session_id
        self.device_id = device_id
        self.device_name = device_name
        self.app_version = app_version
        self.host, self.port = host, port
        self.pin = pin
        self.clock = clock or SystemClock()
        self._on_event = on_event
        self._lookup = lookup
        self.policy = policy or g.ReconnectPolicy()
        self.features = features
        self._on_frame = on_frame
        self.resume_token: str | None = None
        self.core: g.GuestSession | None = None
        self._connection: GuestConnection | None = None
        self._stopping = False
        self._wake = asyncio.Event()
        self.reconnecting = False
        self._attempt = 0
        self._joined_at: int | None = None   # our place in the party, as the host keeps it
        self._leaving: asyncio.Future | None = None
        # Set (by playback) while the host streams music: see GuestSession.stream_watch_ms.
        self.stream_watch_ms: int | None = None
        self._quick_until: int | None = None

    @property
    def members(self):
        return self.core.members if self.core else []

    async def run(self) -> ev.GuestEvent | None:
        """Until the membership ends; returns the final event (None after leave())."""
        welcomed_once = False
        self._attempt = attempt = 0
        dropped_at = 0
        while True:
            self.core = g.GuestSession(session_id=self.session_id, device_id=self.device_id,
                                       device_name=self.device_name,
                                       app_version=self.app_version,
                                       resume_token=self.resume_token, pin=self.pin,
                                       features=self.features)
            self.core.stream_watch_ms = self.stream_watch_ms
            quick = self._quick_until is not None and self.clock.now_ms() < self._quick_until
            # Quick tries give up soon, so a new SYN goes out often; every fourth waits the
            # usual time, so a slow network or a busy host still gets through.
            short = quick and attempt % 4 != 3
            self._connection = GuestConnection(
                self.core, self.host, self.port, clock=self.clock, on_event=self._relay,
                on_frame=self._on_frame,
                connect_timeout_s=QUICK_CONNECT_S if short else CONNECT_TIMEOUT_S)
            try:
                final = await self._connection.run()
            except HostUnreachable as exc:
                if not welcomed_once:
                    raise
                final = ev.ConnectionLost(str(exc))
            if self._leaving is not None:
                await self._leaving
            self.resume_token = self.core.resume_token
            if self.core.session is not None:   # this connection was welcomed
                welcomed_once = True
                attempt = 0
            if self.core.stalled:
                # The link stalled under the music: try again and again, quickly, so the
                # first try after it comes back gets through (TCP alone waits seconds).
                self._quick_until = self.clock.now_ms() + QUICK_FOR_MS
            if self._stopping or not isinstance(final, ev.ConnectionLost) or not welcomed_once:
                if isinstance(final, ev.ConnectionLost) and not self._stopping:
                    self._on_event(final)
                return None if self._stopping else final
            # Lost after being in: try to get the place back.
            now = self.clock.now_ms()
            if not self.reconnecting:
                self.reconnecting = True
                dropped_at = now
            delay = self.policy.next_delay_ms(attempt, now - dropped_at)
            if delay is not None and self._quick_until is not None and now < self._quick_until:
                delay = min(delay, QUICK_DELAY_MS)
            if delay is None:
                self.reconnecting = False
                final = ev.ConnectionLost(f"Could not reconnect: {final.reason}")
                self._on_event(final)
                return final
            attempt += 1
            self._attempt = attempt
            self._on_event(ev.Reconnecting(attempt, final.reason, delay))
            if await self._pause(delay / 1000):
                return None
            if attempt > 1 and (self._quick_until is None or now >= self._quick_until):
                await self._find_host()   # (not after a stall: the host did not move)

    def watch_stream(self, watch_ms: int | None) -> None:
        """While the host streams music, a silence of ``watch_ms`` is a stalled link."""
        self.stream_watch_ms = watch_ms
        if self.core is not None:
            self.core.stream_watch_ms = watch_ms

    async def send_text(self, text: str) -> None:
        if self._connection is not None:
            await self._connection.send_text(text)

    async def leave(self, reason: str | None = None) -> None:
        """Leave on purpose (also stops reconnecting)."""
        self._stopping = True
        self._wake.set()
        if self._connection is not None:
            await self._connection.leave(reason)

    def give_up(self) -> None:
        """Stop trying to reconnect (the person pressed Give up)."""
        if self.reconnecting:
            self._stopping = True
            self._wake.set()

    def _relay(self, event: ev.GuestEvent) -> None:
        if isinstance(event, ev.ConnectionLost):
            return  # run() decides whether this ends the membership
        if self._stopping and self.reconnecting:
            # Given up (or left) while this try was already on its way: it got through,
            # but the person is gone; leave instead of slipping back into the party.
            if self._leaving is None and self._connection is not None:
                self._leaving = asyncio.ensure_future(self._connection.leave())
            return
        if isinstance(event, ev.Welcomed) and self._stopping and self._connection is not None:
            # leave() came while we were still connecting: leave now that we can.
            asyncio.get_running_loop().create_task(self._connection.leave("Left"))
            return
        self._on_event(event)
        if isinstance(event, ev.MembersReplaced):
            me = next((x for x in event.members if x.id == self.device_id), None)
            joined_at = me.joined_at if me else None
            if self.reconnecting:   # the member list after WELCOME tells whether the place held
                self.reconnecting = False
                self._on_event(ev.Reconnected(self._attempt, joined_at == self._joined_at))
            self._joined_at = joined_at

    async def _pause(self, seconds: float) -> bool:
        """Sleep, or return True at once if asked to stop."""
        if self._stopping:
            return True
        try:
            async with asyncio.timeout(seconds):   # not wait_for: it can swallow a cancel
                await self._wake.wait()
        except TimeoutError:
            pass
        return self._stopping

    async def _find_host(self) -> None:
        if self._lookup is None:
            return
        try:
            found = await asyncio.wait_for(self._lookup(self.session_id), CONNECT_TIMEOUT_S + 2)
        except (TimeoutError, OSError) as exc:
            log.debug("lookup of %s failed: %s", self.session_id, exc)
            return
        if found is not None:
            self.host, self.port = found
