"""The host's side of synchronised playback: the party's stream (``playback/2``).

Only the host reads files. A pump every 10 ms has the PartyStream make the chunks
now due (decoded as far as the lead asks, encoded once, stamped on the host's
timeline) and hands each frame to every streaming guest's own bounded queue
(GuestQueue), written out while that guest's connection keeps up: a slow guest
loses its own late chunks and delays nobody. The host's own speakers get the
PCM directly, at the same stamps.

Commands (HostPlayer) take effect at a common instant on a chunk boundary; a
change that moves the timeline restarts the stream there, after STREAM_CLEAR
tells every guest which chunks it replaces. A gapless advance is told to
everyone START_LEAD before it happens.

Threads: all of it runs on the event loop; the engine takes the PCM over on its
own audio thread (PlaybackEngine.push).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from pathlib import Path

from ..audio.engine import PlaybackEngine
from ..audio.party_stream import PartyStream
from ..audio.source import SourceError
from ..audio.tracks import describe_file, read_art
from ..control.events import TrackSkipped
from ..guard import FailureSink, Listeners, report, start_watched
from ..protocol import events as ev
from ..protocol.messages import encode
from ..protocol.playback import HostPlayer, PlayState, Track, TrackArt, player_state, track_art
from ..protocol.stream import (DEFAULT_CODEC, DEFAULT_LEAD_US, FEATURE, JOIN_MARGIN_US,
                               STREAM_CLEAR, STREAM_END, STREAM_START, GuestQueue, HostStream,
                               StreamClear,
                               StreamStart)
from .server import HostServer

log = logging.getLogger(__name__)

PUMP_INTERVAL_S = 0.010
MAX_CHUNKS_PER_PUMP = 8         # a (re)start fills its lead over a few pumps: the loop never
                                # stops for long (clock answers are stamped on it)
# Bytes a guest's socket may hold before its audio waits in its GuestQueue instead, where
# the chunks that became late are dropped rather than sent.
MAX_BACKLOG_BYTES = 64 * 1024
VOLUME_LEAD_US = 150_000        # a volume change lands this far ahead, on every device at once
VOLUME_EVERY_S = 0.1            # a dragged slider tells the guests at most this often
RESUME_REACH_US = 1_000_000     # a guest's audio reaches this far past the lead (slack, sends)


class HostPlayback:
    def __init__(self, server: HostServer, engine: PlaybackEngine | None = None, *,
                 codec: str = DEFAULT_CODEC, lead_us: int = DEFAULT_LEAD_US,
                 run_tasks: bool = True) -> None:
        """``run_tasks`` False: no pump or cover task of its own; the owner calls ``pump``
        (a simulation driving time itself)."""
        self.server = server
        self.clock = server.clock
        self.engine = engine
        self.player = HostPlayer()
        self.codec = codec
        self.lead_us = lead_us
        self._files: dict[str, Path] = {}           # track id -> the file it plays
        self.party = PartyStream(self._files, codec, lead_us, on_clear=self._clear_everywhere,
                                 on_skip=self._skipped)
        self._stream_start = encode(STREAM_START, StreamStart(
            codec, self.party.encoder.header, lead_ms=lead_us // 1000).to_wire())
        self._queues: dict[str, GuestQueue] = {}    # streaming guests, each its own queue
        self._clears: deque[tuple[int, int]] = deque()   # recent STREAM_CLEARs: (sent, fromUs)
        self._end_told = True
        self._run_tasks = run_tasks
        self._pump_task: asyncio.Task | None = None
        self._stopped = False
        # The volume, told to guests at most every VOLUME_EVERY_S while a slider moves.
        self._volume_told_at = 0.0
        self._volume_later: asyncio.TimerHandle | None = None
        # The current track's cover, read from its file when it becomes current.
        self.art: TrackArt | None = None
        self._art_for: str | None = None
        self._art_task: asyncio.Task | None = None
        # Told of our own bugs: a listener that raised, the pump failing.
        self.on_failure: FailureSink | None = None
        self.listeners: Listeners[PlayState] = Listeners(self._report)
        self.skipped: Listeners[TrackSkipped] = Listeners(self._report)
        self.art_listeners: Listeners[TrackArt] = Listeners(self._report)
        server.add_listener(self._on_host_event)

    @property
    def state(self) -> PlayState:
        return self.player.state

    @property
    def stream(self) -> HostStream:
        return self.party.stream

    def add_listener(self, callback: Callable[[PlayState], None]) -> None:
        self.listeners.add(callback)

    def _report(self, exc: BaseException) -> None:
        report(exc, self.on_failure)

    def now_us(self) -> int:
        return int(self.clock.now_precise_ms() * 1000)

    def _command_us(self) -> int:
        return self.party.command_us(self.now_us())

    # -- commands ---------------------------------------------------------------------------
    async def add_file(self, path: str | Path) -> Track:
        """Queue a local file (raises SourceError with a reason for people)."""
        track = await asyncio.to_thread(describe_file, path)
        self._files[track.track_id] = Path(path)
        self._enqueue(track)
        return track

    def play(self) -> None:
        self._publish(self.player.play(self._command_us()))

    def pause(self) -> None:
        self._publish(self.player.pause(self._command_us()))

    def seek(self, position_ms: int) -> None:
        self._publish(self.player.seek(position_ms, self._command_us()))

    def next(self) -> None:
        self._publish(self.player.next(self._command_us()))

    def previous(self) -> None:
        self._publish(self.player.previous(self._command_us()))

    def jump(self, index: int) -> None:
        self._publish(self.player.jump(index, self._command_us()))

    def remove(self, track_id: str) -> None:
        self._publish(self.player.remove(track_id, self._command_us()))

    def remove_at(self, row: int) -> None:
        self._publish(self.player.remove_at(row, self._command_us()))

    def move(self, row: int, to: int) -> None:
        """Reorder the queue; guests get it in the next PLAYER_STATE, like any change."""
        self._publish(self.player.move(row, to))

    def restore(self, track: Track, at: int) -> None:
        """Put a removed track back where it was (undo)."""
        if track.track_id in self._files:
            self._enqueue(track, at)

    def _enqueue(self, track: Track, at: int | None = None) -> None:
        self._publish(self.player.add(track, at))

    def set_volume(self, volume: float) -> None:
        """The party's volume, on every device at one instant just ahead. A dragged slider
        calls this for every step: guests hear of the latest at most every 0.1 s."""
        if self._volume_later is not None:
            self._volume_later.cancel()
            self._volume_later = None
        wait = self._volume_told_at + VOLUME_EVERY_S - self._loop_time()
        if self._run_tasks and wait > 0:
            self._volume_later = asyncio.get_running_loop().call_later(
                wait, self.set_volume, volume)
            return
        self._volume_told_at = self._loop_time()
        self._publish(self.player.set_volume(volume, self.now_us() + VOLUME_LEAD_US))

    def _loop_time(self) -> float:
        return self.clock.now_precise_ms() / 1000

    async def stop(self) -> None:
        self._stopped = True
        if self._volume_later is not None:
            self._volume_later.cancel()
        tasks = [t for t in (self._pump_task, self._art_task) if t is not None]
        self._pump_task = self._art_task = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.party.close()

    # -- state ------------------------------------------------------------------------------
    def _publish(self, state: PlayState) -> None:
        if self._stopped:
            return
        if self.engine is not None:
            self.engine.state = state
        text = player_state(state)
        for device_id in self._queues:
            self.server.send_to(device_id, text)
        self.party.follow(state, self.now_us())
        self._find_art(state.current)
        if self._pump_task is None and self._run_tasks:
            self._pump_task = start_watched(self._pump_loop(), "stream-pump", self._report)
        self.listeners.emit(state)

    def _clear_everywhere(self, from_us: int, pcm_from_us: int) -> None:
        """Every guest and the host's speakers drop what they hold from there on."""
        text = encode(STREAM_CLEAR, StreamClear(from_us).to_wire())
        for device_id, queue in self._queues.items():
            queue.clear(from_us)
            self.server.send_to(device_id, text)
        if self.engine is not None:
            self.engine.clear(pcm_from_us)
        self._clears.append((self.now_us(), from_us))
        self._end_told = False

    def _clears_it_may_have_missed(self, now_us: int) -> int | None:
        """Where a guest coming back must drop what it holds, or None: nothing to drop.

        What it holds reaches at most a lead (and the send slack) past the moment its link
        went; a clear issued since then may have been lost with the link, and only one
        issued within that reach of now can matter."""
        reach = now_us - self.lead_us - RESUME_REACH_US
        while self._clears and self._clears[0][0] < reach:
            self._clears.popleft()
        if not self._clears:
            return None
        return max(now_us, min(from_us for _, from_us in self._clears))

    def _skipped(self, track: Track, exc: SourceError) -> None:
        self.skipped.emit(TrackSkipped(track.title, exc.message))

    # -- the pump ---------------------------------------------------------------------------
    async def _pump_loop(self) -> None:
        while True:
            try:
                self.pump(self.now_us())
            except Exception as exc:  # noqa: BLE001 - a bug of ours: told, and the party goes on
                self._report(exc)
            await asyncio.sleep(PUMP_INTERVAL_S)

    def pump(self, now_us: int) -> None:
        """Tell what is due, make the chunks due and hand them out (every 10 ms)."""
        for advance in self.party.announcements(now_us):
            state = self.player.state
            ids = [t.track_id for t in state.queue]
            if advance.track_id is None:
                self._publish(self.player.finish(advance.at_us))
            elif advance.track_id in ids:
                self._publish(self.player.advance(advance.at_us, ids.index(advance.track_id)))
        self.party.resync_if_behind(now_us)
        for made in self.party.make(now_us, MAX_CHUNKS_PER_PUMP):
            if self.engine is not None:
                self.engine.push(made.pcm_stamp_us, made.pcm)
            for queue in self._queues.values():
                queue.push(made.chunk)
        if self.party.over and not self._end_told:
            self._end_told = True
            self._send_all(encode(STREAM_END, {}))
        for device_id, queue in self._queues.items():
            self._drain(device_id, queue, now_us)

    def _drain(self, device_id: str, queue: GuestQueue, now_us: int) -> None:
        """Write this guest's waiting chunks while its connection keeps up."""
        while len(queue):
            backlog = self.server.backlog_bytes(device_id)
            if backlog is None:
                queue.clear()
                return
            if backlog >= MAX_BACKLOG_BYTES:
                return
            chunk = queue.pop(now_us)
            if chunk is None:
                return
            self.server.send_to(device_id, chunk.frame)

    def _send_all(self, text: str) -> None:
        for device_id in self._queues:
            self.server.send_to(device_id, text)

    # -- cover art --------------------------------------------------------------------------
    def _find_art(self, track: Track | None) -> None:
        track_id = track.track_id if track is not None else None
        if track_id == self._art_for:
            return
        self._art_for = track_id
        if self.art is not None and self.art.track_id == track_id:
            self._tell_art(self.art)   # back to the track the cover is of: say it again
            return
        path = self._files.get(track_id) if track_id is not None else None
        if path is None or not self._run_tasks:
            return
        if self._art_task is None or self._art_task.done():
            self._art_task = start_watched(self._load_art(), "track-art", self._report)

    async def _load_art(self) -> None:
        """The cover of whatever is current, read off the loop (it may change meanwhile)."""
        while (track_id := self._art_for) is not None and \
                (self.art is None or self.art.track_id != track_id):
            path = self._files.get(track_id)
            art = await asyncio.to_thread(read_art, path, track_id) if path else None
            if self._art_for != track_id:
                continue   # the music moved on while reading: read the new one
            if art is not None:
                self.art = art
                self._tell_art(art)
            return

    def _tell_art(self, art: TrackArt) -> None:
        self._send_all(track_art(art))
        self.art_listeners.emit(art)

    # -- members ----------------------------------------------------------------------------
    def _on_host_event(self, event: ev.HostEvent) -> None:
        match event:
            # A new connection (a join, or a resume, also over a half-open old socket whose
            # frames may have been lost): the state, the stream's format, and the chunks
            # still ahead. A newcomer gets them from shortly after now, when it can be
            # ready; a guest coming back gets all that is left.
            case ev.MemberJoined(member) | ev.MemberResumed(member):
                if self.server.core.has_feature(member.id, FEATURE):
                    self.server.send_to(member.id, player_state(self.player.state))
                    self.server.send_to(member.id, self._stream_start)
                    if self.art is not None and self.art.track_id == self._art_for:
                        self.server.send_to(member.id, track_art(self.art))
                    queue = GuestQueue(self.stream.kept_capacity)
                    now_us = self.now_us()
                    margin = JOIN_MARGIN_US
                    if isinstance(event, ev.MemberResumed):
                        margin = 0   # it keeps what it holds: all that is left, from now
                        missed = self._clears_it_may_have_missed(now_us)
                        if missed is not None:
                            self.server.send_to(member.id, encode(
                                STREAM_CLEAR, StreamClear(missed).to_wire()))
                    for chunk in self.stream.catch_up(now_us, margin):
                        queue.push(chunk)
                    self._queues[member.id] = queue
                    self._drain(member.id, queue, now_us)
            case ev.MemberLeft(member):
                self._queues.pop(member.id, None)
