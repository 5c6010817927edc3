"""The guest's side of synchronised playback: the party's stream (``playback/2``).

It rides on a GuestLink: it sees the host's frames first (PLAYER_STATE,
CLOCK_PONG, STREAM_START / STREAM_CLEAR / STREAM_END and the binary audio
chunks), pings the host's clock (10 per second while converging, then 2), keeps
a ClockSync, decodes each chunk as it arrives and hands it to a PlaybackEngine
whose timeline mapping is that ClockSync. Reconnecting keeps the clock estimate
and the audio already buffered.

Threads: everything here runs on the event loop, except ``_is_ready`` and
``_to_host_us``, which the engine calls on the audio thread; they read only
the ClockSync's published fit (one immutable object).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from ..audio.codec import ChunkDecoder, CodecError, make_decoder
from ..audio.engine import PlaybackEngine
from ..clock import SystemClock
from ..guard import FailureSink, Listeners, report, start_watched
from ..protocol.clocksync import ClockSync
from ..protocol.errors import RemoteProtocolError
from ..protocol.playback import (CLOCK_PONG, PLAYER_STATE, TRACK_ART, PlayState, TrackArt,
                                 clock_ping, parse_clock_pong, sync_report)
from ..protocol.stream_health import StreamHealth
from ..protocol.stream import (CHUNK_FRAMES, STREAM_CLEAR, STREAM_END, STREAM_START, StreamClear,
                               StreamStart, chunk_us, parse_chunk)

log = logging.getLogger(__name__)

FAST_PINGS_S = 0.1      # ping interval while converging ...
SLOW_PINGS_S = 0.5      # ... and after
CONVERGE_S = 10.0
REPORT_EVERY_S = 2.0
MIN_SYNC_SAMPLES = 2    # seconds with a good exchange before this device makes a sound


class GuestPlayback:
    def __init__(self, clock: SystemClock, output_delay_ms: float = 0.0) -> None:
        self.clock = clock
        self.sync = ClockSync()
        self.engine = PlaybackEngine(self._to_host_us, output_delay_ms)
        self.stream: StreamStart | None = None      # the host's stream, once it said
        self._decoder: ChunkDecoder | None = None
        self.unplayable: str | None = None          # why this guest cannot play the stream
        self.bad_chunks = 0                         # chunks dropped as malformed
        self.art: TrackArt | None = None            # the latest cover the host sent
        self.health = StreamHealth(round(chunk_us()))  # what SYNC_REPORT tells of the stream
        self._played_mark = 0                       # engine.played_frames at the last start
        self._ready = False
        self.engine.ready = self._is_ready
        self._send: Callable[[str], Awaitable[object]] | None = None
        self._pinger: asyncio.Task | None = None
        # Told of our own bugs: a listener that raised (not taken for a malformed frame) or
        # the pinger task that died.
        self.on_failure: FailureSink | None = None
        self.listeners: Listeners[PlayState] = Listeners(self._report)
        self.art_listeners: Listeners[TrackArt] = Listeners(self._report)

    @property
    def state(self) -> PlayState:
        return self.engine.state

    def add_listener(self, callback: Callable[[PlayState], None]) -> None:
        self.listeners.add(callback)

    def _report(self, exc: BaseException) -> None:
        report(exc, self.on_failure)

    @property
    def attached(self) -> bool:
        return self._pinger is not None

    # -- called by the engine on the audio thread: one read of the published fit ----------
    def _is_ready(self) -> bool:
        """Silent until the clock is known; latched, so a thin window never mutes it again."""
        if not self._ready:
            self._ready = self.sync.fit.samples_used >= MIN_SYNC_SAMPLES
        return self._ready

    def _to_host_us(self, local_us: float) -> float:
        return self.sync.fit.host_us(local_us)   # no fit yet: the identity

    # -- wiring to a GuestLink ----------------------------------------------------------------
    def attach(self, send_text: Callable[[str], Awaitable[object]]) -> None:
        """Start pinging through ``send_text`` (GuestLink.send_text)."""
        self._send = send_text
        if self._pinger is None:
            self._pinger = start_watched(self._ping_loop(), "clock-pinger", self._report)

    async def detach(self) -> None:
        if self._pinger is not None:
            self._pinger.cancel()
            await asyncio.gather(self._pinger, return_exceptions=True)
            self._pinger = None

    def on_frame(self, frame: str | bytes, arrived_us: float) -> None:
        """Every frame from the host (GuestLink's on_frame hook)."""
        state = self._read_frame(frame, arrived_us)
        if state is not None:
            self.listeners.emit(state)   # outside the parsing: a listener's bug is no bad frame

    def _read_frame(self, frame: str | bytes, arrived_us: float) -> PlayState | None:
        """Apply one frame; the new player state if it was a PLAYER_STATE."""
        try:
            if isinstance(frame, bytes):
                self._on_chunk(frame, arrived_us)
                return None
            if not frame.startswith(('{"type":"CLOCK_PONG"', '{"type":"PLAYER_STATE"',
                                     '{"type":"STREAM_', '{"type":"TRACK_ART"')):
                return None   # session messages are the core's business
            message = json.loads(frame)
            kind, payload = message.get("type"), message.get("payload")
            if kind == CLOCK_PONG:
                t0, t1, t2 = parse_clock_pong(payload)
                self.sync.add_exchange(t0, t1, t2, arrived_us)
            elif kind == PLAYER_STATE:
                # In order over TCP, and the host is the authority (also a restarted one).
                state = PlayState.from_wire(payload)
                self.engine.state = state
                return state
            elif kind == STREAM_START:
                self._on_stream_start(StreamStart.from_wire(payload))
            elif kind == STREAM_CLEAR:
                clear = StreamClear.from_wire(payload)
                self.engine.clear(clear.from_us)
                self.health.cleared(clear.from_us)
                self._played_mark = self.engine.played_frames
                if self._decoder is not None:
                    self._decoder.reset()   # the chunks that follow start a fresh encoder
            elif kind == STREAM_END:
                self.health.ended()   # what is buffered plays out; then silence is no trouble
            elif kind == TRACK_ART:
                self.art = TrackArt.from_wire(payload)
                self.art_listeners.emit(self.art)
        except (RemoteProtocolError, ValueError, KeyError, TypeError, AttributeError,
                IndexError, OverflowError, RecursionError) as exc:
            # Anything a host can send: a frame that makes no sense changes nothing here.
            log.debug("ignoring a malformed playback frame: %s", exc)
        return None

    def _on_stream_start(self, start: StreamStart) -> None:
        if start == self.stream and self._decoder is not None:
            return   # the same stream again (a reconnect): keep what is buffered
        self.stream = start
        self.engine.clear()
        self.health.started(start.lead_ms * 1000)
        self._played_mark = self.engine.played_frames
        if start.chunk_frames != CHUNK_FRAMES:
            self._decoder = None
            self.unplayable = (f"the host sends chunks of {start.chunk_frames} frames; "
                               f"this version plays {CHUNK_FRAMES}")
            return
        self.engine.set_lead(start.lead_ms * 1000)
        try:
            self._decoder = make_decoder(start.codec, start.chunk_frames, start.codec_header)
            self.unplayable = None
        except CodecError as exc:   # not a protocol error: this guest stays silent, and says so
            self._decoder = None
            self.unplayable = str(exc)
            log.warning("cannot play the party's stream: %s", exc)

    def _on_chunk(self, frame: bytes, arrived_us: float) -> None:
        if self._decoder is None:
            self.bad_chunks += 1
            return
        try:
            chunk = parse_chunk(frame)
        except RemoteProtocolError:
            self.bad_chunks += 1   # counted like a chunk that does not decode
            return
        fit = self.sync.fit
        # Late or not can only be told once the host's clock is known; the engine drops
        # what is late when it plays in any case.
        now_us = int(fit.host_us(arrived_us))
        on_time = not self._is_ready() or chunk.stamp_us + chunk_us() > now_us
        self.health.chunk(chunk.stamp_us, now_us, on_time)
        if not on_time:
            return
        try:
            pcm = self._decoder.decode(chunk.payload)
        except CodecError:
            self.bad_chunks += 1   # a peer's bad audio never ends the party
            return
        self.engine.push(chunk.stamp_us, pcm)

    @property
    def uncertainty_us(self) -> int:
        """How far off the clock estimate may be: half the best round trip (asymmetry bound)."""
        best = self.sync.best_rtt_us
        return int(best / 2) if best is not None else 1_000_000

    def stream_state(self) -> str:
        """What the stream is doing here now (StreamHealth's states), for this laptop's face."""
        return self._health_now()[0]

    def _stream_fields(self) -> dict:
        return self._health_now()[1]

    def _health_now(self) -> tuple[str, dict]:
        if self.engine.played_frames > self._played_mark:
            self.health.played()   # (the first sound since the last start or clear)
        now_us = int(self.sync.fit.host_us(self.clock.now_precise_ms() * 1000))
        return self.health.state(now_us), self.health.fields(now_us)

    async def _ping_loop(self) -> None:
        loop = asyncio.get_running_loop()
        started = last_report = loop.time()
        while True:
            if self._send is not None:
                await self._send(clock_ping(int(self.clock.now_precise_ms() * 1000)))
                if loop.time() - last_report >= REPORT_EVERY_S:
                    last_report = loop.time()
                    await self._send(sync_report(int(self.engine.sync_error_ms * 1000),
                                                 self.uncertainty_us, self._stream_fields()))
            fast = loop.time() - started < CONVERGE_S
            await asyncio.sleep(FAST_PINGS_S if fast else SLOW_PINGS_S)
