"""Synchronised playback, the pure part: the control messages and the host's player.

Everything is on the host's timeline in microseconds. The host says "position
0 of track T plays at host time S" (``PlayState.start_at_us``); the sound
itself travels as a stream of chunks stamped on the same timeline
(stream.py). See docs/PLAYBACK-PROTOCOL.md.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .errors import RemoteProtocolError
from .messages import (CLOCK_PING, INVALID_MESSAGE, SYNC_REPORT, encode, lenient_str,
                       require_int, require_str)

SAMPLE_RATE = 48_000
CHANNELS = 2

# Extension message types (sent only when both sides listed the feature, stream.FEATURE).
# CLOCK_PING (guest -> host: {"t0": µs guest clock}) and SYNC_REPORT are parsed with the
# session's messages, so they are defined in messages.py and imported above.
CLOCK_PONG = "CLOCK_PONG"       # host -> guest: {"t0", "t1", "t2"}; t1, t2 µs host clock
PLAYER_STATE = "PLAYER_STATE"   # host -> guest: the whole player state, on every change
TRACK_ART = "TRACK_ART"         # host -> guest: the current track's cover image, if it has one

START_LEAD_US = 400_000         # Play starts this far ahead, so every device can be ready
RESTART_THRESHOLD_MS = 3_000    # Previous within this of a track's start goes back a track
MAX_ART_BYTES = 512 * 1024      # larger covers stay on the host: a guest never decodes them
ART_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp")
MAX_TRACK_BYTES = 2**40          # Track.size is informative: the host alone reads files


@dataclass(frozen=True)
class Track:
    track_id: str
    title: str
    artist: str
    duration_ms: int
    size: int
    format: str = ""

    def to_wire(self) -> dict[str, Any]:
        return {"trackId": self.track_id, "title": self.title, "artist": self.artist,
                "durationMs": self.duration_ms, "size": self.size, "format": self.format}

    @classmethod
    def from_wire(cls, obj: Any) -> Track:
        if not isinstance(obj, dict):
            raise RemoteProtocolError(INVALID_MESSAGE, "track must be an object")
        size = require_int(obj, "size")
        if not 0 <= size <= MAX_TRACK_BYTES:
            raise RemoteProtocolError(INVALID_MESSAGE, "track size out of range")
        if require_int(obj, "durationMs") < 0:
            raise RemoteProtocolError(INVALID_MESSAGE, "track duration out of range")
        return cls(require_str(obj, "trackId"), require_str(obj, "title"),
                   require_str(obj, "artist"), require_int(obj, "durationMs"), size,
                   lenient_str(obj, "format"))


@dataclass(frozen=True)
class PlayState:
    queue: tuple[Track, ...] = ()
    index: int = -1                 # current track in queue, -1 for none
    playing: bool = False
    start_at_us: int = 0            # host time at which position 0 of the current track plays
    position_ms: int = 0            # where a paused track stands
    volume: float = 1.0
    seq: int = 0                    # increases with every change
    effective_at_us: int = 0        # host time from which this state replaces the last one

    @property
    def current(self) -> Track | None:
        return self.queue[self.index] if 0 <= self.index < len(self.queue) else None

    def position_us(self, host_us: float) -> float:
        """Position in the current track at host time ``host_us`` (may be negative
        before the start or beyond the end)."""
        if self.playing:
            return host_us - self.start_at_us
        return self.position_ms * 1000.0

    def to_wire(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "queue": [t.to_wire() for t in self.queue], "index": self.index,
            "playing": self.playing, "positionMs": self.position_ms,
            "volume": self.volume, "seq": self.seq, "effectiveAtUs": self.effective_at_us,
        }
        if self.playing:
            payload["startAtUs"] = self.start_at_us
        return payload

    @classmethod
    def from_wire(cls, p: Mapping[str, Any]) -> PlayState:
        raw_queue = p.get("queue")
        if not isinstance(raw_queue, list):
            raise RemoteProtocolError(INVALID_MESSAGE, "'queue' must be a list")
        playing = p.get("playing") is True
        volume = p.get("volume", 1.0)
        if not isinstance(volume, (int, float)) or isinstance(volume, bool):
            raise RemoteProtocolError(INVALID_MESSAGE, "'volume' must be a number")
        return cls(
            queue=tuple(Track.from_wire(t) for t in raw_queue),
            index=require_int(p, "index"), playing=playing,
            start_at_us=require_int(p, "startAtUs") if playing else 0,
            position_ms=require_int(p, "positionMs"),
            volume=min(1.0, max(0.0, float(volume))), seq=require_int(p, "seq"),
            effective_at_us=require_int(p, "effectiveAtUs") if "effectiveAtUs" in p else 0)


# -- messages ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TrackArt:
    """A track's cover image, as stored in its file (JPEG, PNG...)."""

    track_id: str
    mime: str
    data: bytes

    def to_wire(self) -> dict[str, Any]:
        return {"trackId": self.track_id, "mime": self.mime,
                "data": base64.b64encode(self.data).decode("ascii")}

    @classmethod
    def from_wire(cls, p: Mapping[str, Any]) -> TrackArt:
        if not isinstance(p, Mapping):
            raise RemoteProtocolError(INVALID_MESSAGE, "TRACK_ART payload must be an object")
        mime, raw = p.get("mime"), p.get("data")
        if mime not in ART_TYPES:
            raise RemoteProtocolError(INVALID_MESSAGE, f"'mime' must be one of {ART_TYPES}")
        if not isinstance(raw, str) or len(raw) > (MAX_ART_BYTES * 4) // 3 + 4:
            raise RemoteProtocolError(INVALID_MESSAGE, "'data' must be Base64 of at most "
                                      f"{MAX_ART_BYTES} bytes")
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise RemoteProtocolError(INVALID_MESSAGE, "'data' is not Base64") from None
        return cls(require_str(p, "trackId"), mime, data)


def track_art(art: TrackArt) -> str:
    return encode(TRACK_ART, art.to_wire())


def clock_ping(t0_us: int) -> str:
    return encode(CLOCK_PING, {"t0": t0_us})


def clock_pong(t0_us: int, t1_us: int, t2_us: int) -> str:
    return encode(CLOCK_PONG, {"t0": t0_us, "t1": t1_us, "t2": t2_us})


def sync_report(error_us: int, uncertainty_us: int,
                stream: Mapping[str, Any] | None = None) -> str:
    """``stream``: a streaming guest's health (StreamHealth.fields), sent alongside."""
    return encode(SYNC_REPORT, {"errorUs": error_us, "uncertaintyUs": uncertainty_us,
                                **(stream or {})})


def player_state(state: PlayState) -> str:
    return encode(PLAYER_STATE, state.to_wire())


def parse_clock_pong(p: Mapping[str, Any]) -> tuple[int, int, int]:
    return require_int(p, "t0"), require_int(p, "t1"), require_int(p, "t2")


# -- the host's player --------------------------------------------------------------------
class HostPlayer:
    """Queue and transport. Every command takes ``now_us`` (host clock) and returns
    the new PlayState (also in ``state``)."""

    def __init__(self, lead_us: int = START_LEAD_US) -> None:
        self.lead_us = lead_us
        self.state = PlayState()

    def _set(self, now_us: int | None = None, **changes) -> PlayState:
        """The next state; every device switches to it at the same host instant."""
        effective = self.state.effective_at_us if now_us is None else now_us + self.lead_us
        self.state = replace(self.state, seq=self.state.seq + 1, effective_at_us=effective,
                             **changes)
        return self.state

    def add(self, track: Track, at: int | None = None) -> PlayState:
        """Queue a track at the end, or at position ``at`` (an undone removal goes back
        where it was); the current track stays current and keeps playing."""
        s = self.state
        at = len(s.queue) if at is None else max(0, min(len(s.queue), at))
        queue = s.queue[:at] + (track,) + s.queue[at:]
        index = 0 if s.index < 0 else s.index + (at <= s.index)
        return self._set(queue=queue, index=index)

    def move(self, row: int, to: int) -> PlayState:
        """Put the track at position ``row`` at position ``to``; the current track stays
        current and its timeline is untouched, so nobody hears a thing."""
        s = self.state
        if not 0 <= row < len(s.queue):
            return s
        to = max(0, min(len(s.queue) - 1, to))
        if row == to:
            return s
        rest = s.queue[:row] + s.queue[row + 1:]
        queue = rest[:to] + (s.queue[row],) + rest[to:]
        if s.index == row:
            index = to
        else:   # the current track shifts by one if the moved one jumped over it
            index = s.index - (row < s.index) + (to <= s.index - (row < s.index))
        return self._set(queue=queue, index=index)

    def remove(self, track_id: str, now_us: int) -> PlayState:
        i = next((k for k, t in enumerate(self.state.queue) if t.track_id == track_id), None)
        return self.state if i is None else self.remove_at(i, now_us)

    def remove_at(self, i: int, now_us: int) -> PlayState:
        """Take the track at position ``i`` out (the same file may be queued twice)."""
        s = self.state
        if not 0 <= i < len(s.queue):
            return s
        queue = s.queue[:i] + s.queue[i + 1:]
        if i < s.index:
            return self._set(queue=queue, index=s.index - 1)
        if i > s.index:
            return self._set(queue=queue)
        if i == len(queue):   # the current track was the last: stop at the new end
            return self._set(now_us, queue=queue, index=len(queue) - 1, playing=False,
                             position_ms=0)
        return self._set(now_us, queue=queue, index=i, playing=s.playing,   # the next one
                         position_ms=0, start_at_us=now_us + self.lead_us)

    def play(self, now_us: int) -> PlayState:
        s = self.state
        if s.playing or s.current is None:
            return s
        return self._set(now_us, playing=True,
                         start_at_us=now_us + self.lead_us - s.position_ms * 1000)

    def pause(self, now_us: int) -> PlayState:
        s = self.state
        if not s.playing:
            return s
        # Paused where the music is at the switch, not where it was when asked.
        switch = now_us + self.lead_us
        assert s.current is not None   # playing implies a current track
        position = max(0, min(s.current.duration_ms, int(s.position_us(switch) // 1000)))
        return self._set(now_us, playing=False, position_ms=position)

    def seek(self, position_ms: int, now_us: int) -> PlayState:
        s = self.state
        if s.current is None:
            return s
        position_ms = max(0, min(s.current.duration_ms, position_ms))
        if s.playing:
            return self._set(now_us, position_ms=position_ms,
                             start_at_us=now_us + self.lead_us - position_ms * 1000)
        return self._set(now_us, position_ms=position_ms)

    def jump(self, index: int, now_us: int) -> PlayState:
        s = self.state
        if not 0 <= index < len(s.queue):
            return s
        return self._set(now_us, index=index, position_ms=0, start_at_us=now_us + self.lead_us)

    def next(self, now_us: int) -> PlayState:
        s = self.state
        if s.index + 1 >= len(s.queue):
            return self._set(now_us, playing=False, position_ms=0, index=s.index)
        return self.jump(s.index + 1, now_us)

    def previous(self, now_us: int) -> PlayState:
        s = self.state
        if s.current is not None and (s.position_us(now_us) > RESTART_THRESHOLD_MS * 1000
                                      or s.index == 0):
            return self.seek(0, now_us)
        return self.jump(s.index - 1, now_us)

    def set_volume(self, volume: float) -> PlayState:
        return self._set(volume=min(1.0, max(0.0, volume)))

    def advance(self, start_at_us: int, index: int | None = None) -> PlayState:
        """Gapless on to the next track (or to ``index``, past tracks that could not be
        played), whose first frame plays at ``start_at_us``, where the stream found the
        current one's end; every device switches at that instant."""
        s = self.state
        index = s.index + 1 if index is None else index
        if not 0 <= index < len(s.queue):
            return self.finish(start_at_us)
        return self._set(start_at_us - self.lead_us, index=index, start_at_us=start_at_us,
                         position_ms=0)

    def finish(self, end_us: int) -> PlayState:
        """The queue played to its end at ``end_us``: stopped, back at the last track's start."""
        return self._set(end_us - self.lead_us, playing=False, position_ms=0)
