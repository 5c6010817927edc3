"""The host's side of synchronised playback: the party's stream (``playback/2``).

Only the host reads files. A pump every 10 ms decodes the current track as far
as it plays (FileSource), cuts it into 20 ms chunks (one Chunker across tracks,
so the next track follows gaplessly), encodes each chunk once, stamps it on the
host's timeline a lead ahead (HostStream), and hands the frame to each streaming
guest's own bounded queue (GuestQueue), written out while that guest's
connection keeps up: a slow guest loses its own late chunks and delays nobody.
The host's own speakers get the PCM directly, at the same stamps.

Commands (HostPlayer) take effect at a common instant on a chunk boundary; a
change that moves the timeline (play, pause, seek, skip) restarts the stream
there, after STREAM_CLEAR tells every guest which chunks it replaces.

Threads: all of it runs on the event loop; the engine takes the PCM over on its
own audio thread (PlaybackEngine.push).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

from ..audio.codec import make_encoder
from ..audio.engine import PlaybackEngine
from ..audio.source import Chunk, Chunker, FileSource, SourceError
from ..audio.tracks import describe_file, read_art
from ..control.events import TrackSkipped
from ..guard import FailureSink, Listeners, report, start_watched
from ..protocol import events as ev
from ..protocol.messages import encode
from ..protocol.playback import (SAMPLE_RATE, START_LEAD_US, HostPlayer, PlayState, Track,
                                 TrackArt, player_state, track_art)
from ..protocol.stream import (DEFAULT_CODEC, DEFAULT_LEAD_US, FEATURE, FRAME_BYTES,
                               STREAM_CLEAR, STREAM_END, STREAM_START, GuestQueue, HostStream,
                               StreamClear, StreamStart)
from .server import HostServer

log = logging.getLogger(__name__)

PUMP_INTERVAL_S = 0.010
MAX_CHUNKS_PER_PUMP = 64        # a (re)start fills a whole 1 s lead (50 chunks) at once
# Bytes a guest's socket may hold before its audio waits in its GuestQueue instead, where
# the chunks that became late are dropped rather than sent.
MAX_BACKLOG_BYTES = 64 * 1024


class HostPlayback:
    def __init__(self, server: HostServer, engine: PlaybackEngine | None = None, *,
                 codec: str = DEFAULT_CODEC, lead_us: int = DEFAULT_LEAD_US) -> None:
        self.server = server
        self.clock = server.clock
        self.engine = engine
        self.player = HostPlayer()
        self.codec = codec
        self.lead_us = lead_us
        self._encoder = make_encoder(codec)          # CodecError: this FFmpeg lacks it
        self.stream = HostStream(lead_us=lead_us, delay_frames=self._encoder.delay_frames)
        self._stream_start = encode(STREAM_START, StreamStart(
            codec, self._encoder.header, lead_ms=lead_us // 1000).to_wire())
        self._files: dict[str, Path] = {}           # track id -> the file it plays
        self._queues: dict[str, GuestQueue] = {}    # streaming guests, each its own queue
        # What is being decoded: one source at a time, fed into one chunker.
        self._chunker = Chunker()
        self._ready: deque[Chunk] = deque()
        self._source: FileSource | None = None
        self._blocks: Iterator[bytes] | None = None
        self._decoding: str | None = None           # track id the blocks come from
        self._fed_frames = 0                        # fed into the chunker since the start
        self._start_us = 0                          # host time of the stream's frame 0
        self._end_told = True                       # STREAM_END sent: nothing more to make
        # What the stream plays, as the last state it followed said: (track id, start).
        self._following: tuple[str, int] | None = None
        # Gapless advances decoded but not yet told (track id, start), and the queue's end.
        self._advances: deque[tuple[str, int]] = deque()
        self._finish_us: int | None = None
        self._pump_task: asyncio.Task | None = None
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

    def add_listener(self, callback: Callable[[PlayState], None]) -> None:
        self.listeners.add(callback)

    def _report(self, exc: BaseException) -> None:
        report(exc, self.on_failure)

    def now_us(self) -> int:
        return int(self.clock.now_precise_ms() * 1000)

    def _command_us(self) -> int:
        """"Now" for a command: chosen so that it takes effect (START_LEAD later) on a chunk
        boundary of the running stream, which then stops without cutting a chunk in two."""
        return self.stream.boundary_after(self.now_us() + START_LEAD_US) - START_LEAD_US

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
        self._publish(self.player.set_volume(volume))

    async def stop(self) -> None:
        tasks = [t for t in (self._pump_task, self._art_task) if t is not None]
        self._pump_task = self._art_task = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._close_source()

    # -- state ------------------------------------------------------------------------------
    def _publish(self, state: PlayState) -> None:
        if self.engine is not None:
            self.engine.state = state
        text = player_state(state)
        for device_id in self._queues:
            self.server.send_to(device_id, text)
        self._follow(state)
        self._find_art(state.current)
        if self._pump_task is None:
            self._pump_task = start_watched(self._pump_loop(), "stream-pump", self._report)
        self.listeners.emit(state)

    def _follow(self, state: PlayState) -> None:
        """Make the stream play what ``state`` says, restarting it only where it must."""
        current = state.current
        wanted = (current.track_id, state.start_at_us) \
            if state.playing and current is not None else None
        queued = {t.track_id for t in state.queue}
        still_there = (self._decoding is None or self._decoding in queued) and \
            all(track_id in queued for track_id, _ in self._advances)
        if wanted == self._following and still_there:
            return   # the volume, or the queue around what plays: nobody hears a thing
        self._following = wanted
        self._advances.clear()
        self._finish_us = None
        at_us = state.effective_at_us
        if wanted is None:
            self._stop_stream(at_us)
        else:
            self._restart(at_us, state)

    def _restart(self, at_us: int, state: PlayState) -> None:
        """From host time ``at_us`` on, the current track from where ``state`` puts it."""
        assert state.current is not None
        from_us = self.stream.start(at_us)
        self._clear_everywhere(from_us, at_us)
        self._encoder.reset()
        self._chunker.reset(0)
        self._ready.clear()
        self._fed_frames = 0
        self._start_us = at_us
        self._end_told = False
        self._close_source()
        position = max(0, round(state.position_us(at_us) * SAMPLE_RATE / 1e6))
        if not self._open(state.current, position):
            self._track_ended(state.current.track_id)

    def _stop_stream(self, at_us: int) -> None:
        if self.stream.running:
            self._clear_everywhere(at_us, at_us)
        self.stream.stop()
        self._close_source()
        self._end_told = True

    def _clear_everywhere(self, from_us: int, local_from_us: int) -> None:
        """Every guest and the host's speakers drop what they hold from there on."""
        text = encode(STREAM_CLEAR, StreamClear(from_us).to_wire())
        for device_id, queue in self._queues.items():
            queue.clear(from_us)
            self.server.send_to(device_id, text)
        if self.engine is not None:
            self.engine.clear(local_from_us)

    def _find_art(self, track: Track | None) -> None:
        track_id = track.track_id if track is not None else None
        if track_id == self._art_for:
            return
        self._art_for = track_id
        path = self._files.get(track_id) if track_id is not None else None
        if path is not None and (self._art_task is None or self._art_task.done()):
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
                self._send_all(track_art(art))
                self.art_listeners.emit(art)
            return

    # -- decoding ---------------------------------------------------------------------------
    def _open(self, track: Track, position: int) -> bool:
        """Start decoding ``track`` at frame ``position``; False (and told) if it cannot."""
        path = self._files.get(track.track_id)
        try:
            if path is None:
                raise SourceError(f"{track.title}: its file is not on this computer")
            source = FileSource(path)
        except SourceError as exc:
            self._skip(track, exc)
            return False
        source.seek(position)
        self._source, self._blocks, self._decoding = source, source.blocks(), track.track_id
        return True

    def _close_source(self) -> None:
        source, self._source, self._blocks, self._decoding = self._source, None, None, None
        if source is not None:
            source.close()

    def _skip(self, track: Track, exc: SourceError) -> None:
        log.warning("skipping %s: %s", track.title, exc.message)
        self.skipped.emit(TrackSkipped(track.title, exc.message))

    def _track_ended(self, finished: str | None) -> None:
        """Track ``finished`` has no more audio: the next one follows gaplessly, at the
        instant its last frame ends; told to everyone when that comes near."""
        self._close_source()
        end_us = self._start_us + self._fed_frames * 1_000_000 // SAMPLE_RATE
        queue = self.player.state.queue
        ids = [t.track_id for t in queue]
        after = ids.index(finished) + 1 if finished in ids else len(ids)
        for track in queue[after:]:
            if self._open(track, 0):
                self._advances.append((track.track_id, end_us))
                return
        last = self._chunker.finish()
        if last is not None:
            self._ready.append(last)
        self._finish_us = end_us

    def _next_pcm(self) -> bytes | None:
        """The next chunk's PCM of the stream, or None when the queue has no more."""
        while not self._ready:
            if self._blocks is None:
                return None
            try:
                block = next(self._blocks)
            except StopIteration:
                self._track_ended(self._decoding)
                continue
            except SourceError as exc:
                track = next((t for t in self.player.state.queue
                              if t.track_id == self._decoding), None)
                if track is not None:
                    self._skip(track, exc)
                self._track_ended(self._decoding)
                continue
            self._fed_frames += len(block) // FRAME_BYTES
            self._ready.extend(self._chunker.feed(block))
        return self._ready.popleft().pcm

    # -- the pump ---------------------------------------------------------------------------
    async def _pump_loop(self) -> None:
        while True:
            try:
                self._pump(self.now_us())
            except Exception as exc:  # noqa: BLE001 - a bug of ours: told, and the party goes on
                self._report(exc)
            await asyncio.sleep(PUMP_INTERVAL_S)

    def _pump(self, now_us: int) -> None:
        self._tell_due(now_us)
        if self.stream.running and not self._end_told:
            for _ in range(self.stream.due(now_us, MAX_CHUNKS_PER_PUMP)):
                pcm = self._next_pcm()
                if pcm is None:
                    self._send_all(encode(STREAM_END, {}))
                    self._end_told = True
                    break
                sent = self.stream.add(self._encoder.encode(pcm), now_us)
                if self.engine is not None:
                    self.engine.push(self.stream.pcm_stamp(sent.index), pcm)
                for queue in self._queues.values():
                    queue.push(sent)
        for device_id, queue in self._queues.items():
            self._drain(device_id, queue, now_us)

    def _tell_due(self, now_us: int) -> None:
        """Publish the gapless advances (and the queue's end) whose time has come."""
        while self._advances and now_us >= self._advances[0][1] - START_LEAD_US:
            track_id, start_us = self._advances.popleft()
            ids = [t.track_id for t in self.player.state.queue]
            self._following = (track_id, start_us)
            self._publish(self.player.advance(start_us, ids.index(track_id)))
        if self._finish_us is not None and not self._advances and \
                now_us >= self._finish_us - START_LEAD_US:
            end_us, self._finish_us = self._finish_us, None
            state = self.player.state
            if state.index + 1 < len(state.queue):
                # Music was added while the last track played out: on with it, from its end.
                self._following = None
                self._publish(self.player.advance(end_us))
            else:
                self._following = None
                self._publish(self.player.finish(end_us))

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

    # -- members ----------------------------------------------------------------------------
    def _on_host_event(self, event: ev.HostEvent) -> None:
        match event:
            # A new connection (a join, or a resume, also over a half-open old socket whose
            # frames may have been lost): the state, the stream's format, and the chunks
            # still ahead, from shortly after now so the guest can be ready for them.
            case ev.MemberJoined(member) | ev.MemberResumed(member):
                if self.server.core.has_feature(member.id, FEATURE):
                    self.server.send_to(member.id, player_state(self.player.state))
                    self.server.send_to(member.id, self._stream_start)
                    if self.art is not None and self.art.track_id == self._art_for:
                        self.server.send_to(member.id, track_art(self.art))
                    queue = GuestQueue(self.stream.kept_capacity)
                    now_us = self.now_us()
                    for chunk in self.stream.catch_up(now_us):
                        queue.push(chunk)
                    self._queues[member.id] = queue
                    self._drain(member.id, queue, now_us)
            case ev.MemberLeft(member):
                self._queues.pop(member.id, None)
