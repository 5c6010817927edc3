"""PlayerModel: the party's music as the views see it, for host and guests alike.

The host's model drives a HostPlayback (queue, transport); a guest's mirrors
the PLAYER_STATE its GuestPlayback receives. Both own a PlaybackEngine and an
output device. Position is derived from the state and the clock (polled a few
times a second while playing), never stored.
"""

from __future__ import annotations

import logging
from PySide6.QtCore import Property, QBuffer, QByteArray, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader

from ..audio.source import SourceError
from ..protocol.messages import STREAM_BEHIND, STREAM_BUFFERING
from ..protocol.playback import PlayState, Track
from .queue_model import QueueModel, format_time

__all__ = ["PlayerModel", "QueueModel", "format_time"]

log = logging.getLogger(__name__)

POSITION_REFRESH_MS = 250
MAX_COVER_SIDE = 8_000      # a cover claiming more pixels is not decoded (a memory bomb)


class PlayerModel(QObject):
    stateChanged = Signal()
    positionChanged = Signal(int)
    errorOccurred = Signal(str, str)
    outputDelayChanged = Signal(float)
    localVolumeChanged = Signal()
    trackRemoved = Signal(str)   # the title of a track the host took out (Undo brings it back)
    coverChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue = QueueModel(self)
        self._host = None     # HostPlayback while hosting
        self._guest = None    # GuestPlayback while a guest
        self._state = PlayState()
        self._position = 0
        self._output_delay_ms = 0.0
        self._local_volume = 1.0   # this laptop's own loudness, times the party's volume
        self._muted = False
        self._removed: tuple[Track, int, bool] | None = None   # the last removal, for Undo
        self._cover: tuple[object, int, QImage | None] | None = None   # (art, side, image)
        self.audio_note = ""   # why this computer is silent, if it is
        self._timer = QTimer(self)
        self._timer.setInterval(POSITION_REFRESH_MS)
        self._timer.timeout.connect(self._refresh_position)

    # -- wiring ---------------------------------------------------------------------------------
    def attach_host(self, playback) -> None:
        self._host, self._guest = playback, None
        self._removed = None
        playback.add_listener(self._on_state)
        playback.art_listeners.add(lambda art: self.coverChanged.emit())
        self.queue.mover = self.move
        self._apply_to_engines()
        self._on_state(playback.state)

    def attach_guest(self, playback) -> None:
        self._guest, self._host = playback, None
        playback.add_listener(self._on_state)
        playback.art_listeners.add(lambda art: self.coverChanged.emit())
        self.queue.mover = None   # the host orders the music
        self._apply_to_engines()
        self._on_state(playback.state)

    def set_audio_note(self, note: str) -> None:
        if note != self.audio_note:
            self.audio_note = note
            self.stateChanged.emit()

    def detach(self) -> None:
        self._host = self._guest = None
        self.queue.mover = None
        self._removed = None
        self.audio_note = ""
        self._timer.stop()
        self._on_state(PlayState())

    def _on_state(self, state: PlayState) -> None:
        self._state = state
        self.queue.set_queue(state.queue, state.index)
        if state.playing:
            self._timer.start()
        else:
            self._timer.stop()
        self._refresh_position()
        self.stateChanged.emit()

    def cover(self, side: int) -> QImage | None:
        """The current track's cover scaled to fit ``side`` pixels, or None if it has none.

        Decoded at that size straight from the file's bytes (a guest's came over the
        network: a broken or enormous image is no cover, not a crash)."""
        playback = self._host or self._guest
        art = playback.art if playback is not None else None
        track = self._state.current
        if art is None or track is None or art.track_id != track.track_id:
            return None
        if self._cover is not None and self._cover[0] is art and self._cover[1] == side:
            return self._cover[2]
        buffer = QBuffer()
        buffer.setData(QByteArray(art.data))
        reader = QImageReader(buffer)
        size = reader.size()
        image = None
        if size.isValid() and 0 < size.width() <= MAX_COVER_SIDE and \
                0 < size.height() <= MAX_COVER_SIDE:
            reader.setScaledSize(size.scaled(QSize(side, side),
                                             Qt.AspectRatioMode.KeepAspectRatio))
            read = reader.read()
            image = None if read.isNull() else read
        self._cover = (art, side, image)
        return image

    # -- properties ---------------------------------------------------------------------------
    @property
    def state(self) -> PlayState:
        return self._state

    @property
    def is_host(self) -> bool:
        return self._host is not None

    @property
    def active(self) -> bool:
        return self._host is not None or self._guest is not None

    def _get_title(self) -> str:
        track = self._state.current
        return track.title if track else ""

    def _get_artist(self) -> str:
        track = self._state.current
        return track.artist if track else ""

    def _get_playing(self) -> bool:
        return self._state.playing

    def _get_duration(self) -> int:
        track = self._state.current
        return track.duration_ms if track else 0

    def _get_position(self) -> int:
        return self._position

    def _get_volume(self) -> float:
        return self._state.volume

    def _get_delay(self) -> float:
        return self._output_delay_ms

    def _get_local_volume(self) -> float:
        return self._local_volume

    def _get_muted(self) -> bool:
        return self._muted

    title = Property(str, _get_title, notify=stateChanged)
    artist = Property(str, _get_artist, notify=stateChanged)
    playing = Property(bool, _get_playing, notify=stateChanged)
    durationMs = Property(int, _get_duration, notify=stateChanged)
    positionMs = Property(int, _get_position, notify=positionChanged)
    volume = Property(float, _get_volume, notify=stateChanged)
    outputDelayMs = Property(float, _get_delay, notify=outputDelayChanged)
    localVolume = Property(float, _get_local_volume, notify=localVolumeChanged)
    muted = Property(bool, _get_muted, notify=localVolumeChanged)

    @property
    def sync_text(self) -> str:
        """This device's sync, for people: in step, syncing, or not playing."""
        if self._guest is not None:
            if self._guest.unplayable is not None:
                return f"Cannot play the party's music: {self._guest.unplayable}"
            if not self._guest.engine.ready():
                return "Syncing…"
            if self._state.playing:
                health = self._guest.stream_state()
                if health == STREAM_BUFFERING:
                    return "Buffering…"
                if health == STREAM_BEHIND:
                    return "Behind, catching up…"
            return f"In sync (±{max(0.05, self._guest.uncertainty_us / 1000):.2f} ms)"
        return "Guests follow this laptop's clock" if self._host is not None else ""

    def _now_host_us(self) -> float:
        if self._host is not None:
            return self._host.now_us()
        if self._guest is not None:
            local = self._guest.clock.now_precise_ms() * 1000
            return self._guest.sync.host_us(local) if self._guest.sync.synced else local
        return 0.0

    def _refresh_position(self) -> None:
        state = self._state
        track = state.current
        position = 0
        if track is not None:
            position = int(state.position_us(self._now_host_us()) // 1000)
            position = max(0, min(track.duration_ms, position))
        if position != self._position:
            self._position = position
            self.positionChanged.emit(position)

    # -- the host's controls (no-ops for guests: they cannot command the party) ------------------
    async def add_files(self, paths: list[str]) -> int:
        """Queue files; unsupported ones are reported together, the rest still added."""
        if self._host is None:
            return 0
        added, problems = 0, []
        for path in paths:
            try:
                await self._host.add_file(path)
                added += 1
            except SourceError as exc:
                problems.append(str(exc))
        if problems:
            self.errorOccurred.emit("Some files were not added", "\n".join(problems))
        return added

    def toggle(self) -> None:
        if self._host is not None:
            (self._host.pause if self._state.playing else self._host.play)()

    def next(self) -> None:
        if self._host is not None:
            self._host.next()

    def previous(self) -> None:
        if self._host is not None:
            self._host.previous()

    def seek(self, position_ms: int) -> None:
        if self._host is not None:
            self._host.seek(position_ms)

    def jump(self, row: int) -> None:
        if self._host is not None:
            self._host.jump(row)

    def remove(self, row: int) -> None:
        """Take a track out of the party's queue; ``undo_remove`` puts it back."""
        track = self.queue.track_at(row)
        if self._host is not None and track is not None:
            self._removed = (track, row, row == self._state.index)
            self._host.remove_at(row)
            self.trackRemoved.emit(track.title)

    @property
    def can_undo_remove(self) -> bool:
        return self._host is not None and self._removed is not None

    def undo_remove(self) -> None:
        if self._host is not None and self._removed is not None:
            track, row, was_current = self._removed
            self._removed = None
            self._host.restore(track, row)
            if was_current:   # it comes back as the current track, from its start
                self._host.jump(row)

    def move(self, row: int, to: int) -> None:
        """Reorder the queue (drag and drop); guests follow with the next state."""
        if self._host is not None:
            self._host.move(row, to)

    def play_next(self, row: int) -> None:
        """Put a track right after the current one."""
        current = self._state.index
        if self._host is None or row == current or self.queue.track_at(row) is None:
            return
        # Taken out first: a track from above the current one shifts it up by one.
        self._host.move(row, current if row < current else current + 1)

    def set_volume(self, volume: float) -> None:
        if self._host is not None:
            self._host.set_volume(volume)

    def set_output_delay(self, delay_ms: float) -> None:
        """This device's speaker delay (Bluetooth speakers lag): plays that much earlier."""
        delay_ms = max(0.0, min(1000.0, float(delay_ms)))
        if delay_ms == self._output_delay_ms:
            return
        self._output_delay_ms = delay_ms
        self._apply_to_engines()
        self.outputDelayChanged.emit(delay_ms)

    def set_local_volume(self, volume: float) -> None:
        """This laptop's own loudness (0..1), on top of the party's; nobody else hears it."""
        volume = max(0.0, min(1.0, float(volume)))
        if volume != self._local_volume:
            self._local_volume = volume
            self._apply_to_engines()
            self.localVolumeChanged.emit()

    def set_muted(self, muted: bool) -> None:
        if bool(muted) != self._muted:
            self._muted = bool(muted)
            self._apply_to_engines()
            self.localVolumeChanged.emit()

    def _apply_to_engines(self) -> None:
        """What belongs to this laptop alone: speaker delay and its own volume."""
        for playback in (self._host, self._guest):
            if playback is not None and playback.engine is not None:
                playback.engine.output_delay_ms = self._output_delay_ms
                playback.engine.local_volume = 0.0 if self._muted else self._local_volume
