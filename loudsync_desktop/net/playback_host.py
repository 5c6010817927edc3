"""The host's side of synchronised playback, pumping HostPlayer over the session.

Guests that listed the ``playback/1`` feature get every PLAYER_STATE and the
bytes of every queued track (the current one first) as binary frames, sent a
few frames at a time so that session messages are never stuck behind a file.
The host's own speakers play through a PlaybackEngine on the same timeline.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from ..audio.engine import PlaybackEngine
from ..guard import FailureSink, Listeners, report, start_watched
from ..audio.library import TrackLibrary, describe_file
from ..protocol import events as ev
from ..protocol.playback import (
    FEATURE, TRACK_CHUNK_BYTES, HostPlayer, PlayState, Track, player_state, track_frame,
)
from .deadlines import run_deadlines
from .server import HostServer

log = logging.getLogger(__name__)

MAX_QUEUED_CHUNKS = 4   # per guest: a transfer waits while this many frames are queued


class HostPlayback:
    def __init__(self, server: HostServer, library: TrackLibrary | None = None,
                 engine: PlaybackEngine | None = None) -> None:
        self.server = server
        self.clock = server.clock
        self.library = library or TrackLibrary()
        self.engine = engine
        self.player = HostPlayer()
        self._transfers: dict[str, asyncio.Task] = {}
        # Per guest: the tracks whose whole file went out on its current connection.
        self._sent: dict[str, set[str]] = {}
        self._timer: asyncio.Task | None = None
        self._wake = asyncio.Event()
        # Told of our own bugs: a listener that raised (never raised into a command) or
        # a transfer or timer task that died.
        self.on_failure: FailureSink | None = None
        self.listeners: Listeners[PlayState] = Listeners(self._report)
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

    # -- commands ---------------------------------------------------------------------------
    async def add_file(self, path: str | Path) -> Track:
        """Queue a local file (raises UnsupportedAudio with a reason for people)."""
        track, data = await asyncio.to_thread(describe_file, path)
        self.library.add_complete(track.track_id, data)
        self._enqueue(track)
        return track

    def play(self) -> None:
        self._publish(self.player.play(self.now_us()))

    def pause(self) -> None:
        self._publish(self.player.pause(self.now_us()))

    def seek(self, position_ms: int) -> None:
        self._publish(self.player.seek(position_ms, self.now_us()))

    def next(self) -> None:
        self._publish(self.player.next(self.now_us()))

    def previous(self) -> None:
        self._publish(self.player.previous(self.now_us()))

    def jump(self, index: int) -> None:
        self._publish(self.player.jump(index, self.now_us()))

    def remove(self, track_id: str) -> None:
        self._publish(self.player.remove(track_id, self.now_us()))

    def remove_at(self, row: int) -> None:
        self._publish(self.player.remove_at(row, self.now_us()))

    def move(self, row: int, to: int) -> None:
        """Reorder the queue; guests get it in the next PLAYER_STATE, like any change."""
        self._publish(self.player.move(row, to))

    def restore(self, track: Track, at: int) -> None:
        """Put a removed track back where it was (undo). Its file is still in the library;
        guests forgot it with the removal, so it goes out to them again."""
        if self.library.has_file(track.track_id):
            self._enqueue(track, at)

    def _enqueue(self, track: Track, at: int | None = None) -> None:
        """Into the queue (at the end, or at ``at``), and its file out to every guest."""
        self._publish(self.player.add(track, at))
        for device_id in self._playback_guests():
            self._send_tracks(device_id)

    def set_volume(self, volume: float) -> None:
        self._publish(self.player.set_volume(volume))

    async def stop(self) -> None:
        tasks = list(self._transfers.values()) + ([self._timer] if self._timer else [])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._transfers.clear()
        self._timer = None

    # -- plumbing ------------------------------------------------------------------------------
    def _publish(self, state: PlayState) -> None:
        if self.engine is not None:
            self.engine.state = state
        queued = {t.track_id for t in state.queue}
        for sent in self._sent.values():
            sent.intersection_update(queued)   # guests forget what left the queue
        text = player_state(state)
        for device_id in self._playback_guests():
            self.server.send_to(device_id, text)
        if self._timer is None:
            self._timer = start_watched(self._tick_loop(), "playback-timer", self._report)
        self._wake.set()
        self.listeners.emit(state)

    def _playback_guests(self) -> list[str]:
        return [x.id for x in self.server.members[1:]
                if self.server.core.has_feature(x.id, FEATURE)]

    def _on_host_event(self, event: ev.HostEvent) -> None:
        match event:
            # A new connection (a join, or a resume, also over a half-open old socket whose
            # frames may have been lost): the state and the files again, from the start.
            case ev.MemberJoined(member) | ev.MemberResumed(member):
                if self.server.core.has_feature(member.id, FEATURE):
                    self.server.send_to(member.id, player_state(self.player.state))
                    self._send_tracks(member.id, restart=True)
            case ev.MemberLeft(member):
                self._sent.pop(member.id, None)
                task = self._transfers.pop(member.id, None)
                if task is not None:
                    task.cancel()

    def _send_tracks(self, device_id: str, restart: bool = False) -> None:
        task = self._transfers.get(device_id)
        if restart:
            self._sent[device_id] = set()
        if task is not None and not task.done():
            if not restart:
                return   # the running transfer picks up newly queued tracks
            task.cancel()
        self._transfers[device_id] = start_watched(self._transfer(device_id),
                                                   f"transfer-{device_id}", self._report)

    async def _transfer(self, device_id: str) -> None:
        """Every queued track not yet sent to one guest, the current one first."""
        sent = self._sent.setdefault(device_id, set())
        while True:
            state = self.player.state
            order = sorted(state.queue, key=lambda t: (t is not state.current, ))
            todo = [t for t in order if t.track_id not in sent]
            if not todo:
                return
            track = todo[0]
            data = self.library.file_bytes(track.track_id)
            if data is None:
                sent.add(track.track_id)
                continue
            # Counted as sent from its first frame: a removal takes it out of ``sent``
            # (the guest forgets it, and the rest of this send with it), so a removal
            # ends this send, and an undo sends it again from the start.
            sent.add(track.track_id)
            for offset in range(0, len(data), TRACK_CHUNK_BYTES):
                while self.server.queued_for(device_id) >= MAX_QUEUED_CHUNKS:
                    await asyncio.sleep(0.005)
                if track.track_id not in sent:
                    break
                chunk = data[offset:offset + TRACK_CHUNK_BYTES]
                if not self.server.send_to(device_id, track_frame(track.track_id, offset,
                                                                   len(data), chunk)):
                    return   # gone; a resume starts the transfer again

    async def _tick_loop(self) -> None:
        def due() -> None:
            changed = self.player.tick(self.now_us())
            if changed is not None:
                self._publish(changed)
        await run_deadlines(self.player.next_deadline_us,
                            lambda deadline_us: max(0.0, (deadline_us - self.now_us()) / 1e6),
                            self._wake, due)
