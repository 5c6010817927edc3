"""The streaming playback extension (``playback/2``, docs/PLAYBACK-PROTOCOL.md), the pure part.

- The binary audio chunk frame (Sendspin's layout): pack and a bounded, validated
  parse.
- ``STREAM_START`` / ``STREAM_CLEAR`` / ``STREAM_END`` payloads.
- ``HostStream``: which chunk the host makes next and when (a lead ahead of
  ``now``), the chunks it keeps for late joiners, and a fresh start on seek.
- ``GuestQueue``: one guest's chunks waiting to be written, bounded, dropping
  those already too late, so a slow guest never holds anyone else up.
- ``JitterBuffer``: a guest's decoded chunks by timeline instant; late ones
  dropped, bounded, and the frames for any instant (silence where none).
- ``StreamScheduler``: which timeline frames one sound card plays next, slewed a
  frame at a time toward where its clock says it should be.

No I/O, no clock: ``now_us`` (host time, µs) is always a parameter.
"""

from __future__ import annotations

import base64
import binascii
import math
import struct
from bisect import bisect_right, insort
from collections import deque
from dataclasses import dataclass
from enum import Enum
from typing import Any
from collections.abc import Mapping

from .errors import RemoteProtocolError
from .messages import INVALID_MESSAGE
from .playback import CHANNELS, SAMPLE_RATE

FEATURE = "playback/2"

STREAM_START = "STREAM_START"
STREAM_CLEAR = "STREAM_CLEAR"
STREAM_END = "STREAM_END"

CODECS = ("opus", "flac", "pcm")
DEFAULT_CODEC = "opus"                  # music at 128 kbit/s: 8 guests fit in ~1 Mbit/s
BIT_DEPTH = 16
FRAME_BYTES = CHANNELS * BIT_DEPTH // 8
CHUNK_FRAMES = 960                      # 20 ms
DEFAULT_LEAD_US = 1_000_000             # how far ahead the host sends (Snapcast's buffer)
BUFFER_SLACK_US = 500_000               # a guest holds at most lead + this
JOIN_MARGIN_US = 400_000                # a late joiner starts this far ahead of now
# A streaming guest hears from the host every 20 ms (chunks) or 0.5 s (clock answers):
# this much silence means its link stalled, and it connects anew (GuestSession). Shorter
# cuts TCP itself retransmits through soon enough; on a lossy link (10 %) a shorter watch
# would reconnect every few minutes, where TCP's resends are a moment's wait.
STREAM_WATCH_MS = 3_000
MIN_LEAD_MS = 100                       # what a host may choose (--buffer-ms) ...
MAX_LEAD_MS = 10_000                    # ... and what a guest accepts
MAX_CHUNK_FRAMES = 5_760                # 120 ms
MAX_CODEC_HEADER_BYTES = 1_024

AUDIO_CHUNK = 4                         # Sendspin's message type byte for player audio
_HEADER = struct.Struct(">BqI")         # type, timestamp µs (int64), send_ahead µs (uint32)
CHUNK_HEADER_BYTES = _HEADER.size       # 13
MAX_CHUNK_PAYLOAD = 32 * 1024
SEND_AHEAD_UNKNOWN = 0xFFFF_FFFF


def _invalid(message: str) -> RemoteProtocolError:
    return RemoteProtocolError(INVALID_MESSAGE, message)


# -- the binary chunk frame -----------------------------------------------------

@dataclass(frozen=True)
class AudioChunk:
    stamp_us: int                       # host time at which the chunk's first frame plays
    send_ahead_us: int | None           # lead the host had when sending; None: not measured
    payload: bytes                      # one codec unit


def pack_chunk(stamp_us: int, payload: bytes, sent_at_us: int) -> bytes:
    """The frame for ``payload`` playing at ``stamp_us``, sent at host time ``sent_at_us``."""
    if not 1 <= len(payload) <= MAX_CHUNK_PAYLOAD:
        raise ValueError(f"a chunk payload is 1 to {MAX_CHUNK_PAYLOAD} bytes, not {len(payload)}")
    ahead = min(max(stamp_us - sent_at_us, 0), SEND_AHEAD_UNKNOWN)
    return _HEADER.pack(AUDIO_CHUNK, stamp_us, ahead) + payload


def parse_chunk(frame: bytes) -> AudioChunk:
    """A received binary frame; RemoteProtocolError for anything but a well-formed chunk."""
    if not isinstance(frame, (bytes, bytearray, memoryview)):
        raise _invalid("an audio chunk must be binary")
    if len(frame) <= CHUNK_HEADER_BYTES:
        raise _invalid("an audio chunk too short to hold any audio")
    if len(frame) > CHUNK_HEADER_BYTES + MAX_CHUNK_PAYLOAD:
        raise _invalid("an audio chunk over the size limit")
    kind, stamp, ahead = _HEADER.unpack_from(frame)
    if kind != AUDIO_CHUNK:
        raise _invalid(f"binary message of type {kind}, not an audio chunk")
    measured = None if ahead in (0, SEND_AHEAD_UNKNOWN) else ahead
    return AudioChunk(stamp, measured, bytes(frame[CHUNK_HEADER_BYTES:]))


# -- control messages -----------------------------------------------------------

def _int_field(obj: Mapping[str, Any], key: str, low: int, high: int) -> int:
    value = obj.get(key)
    if type(value) is not int or not low <= value <= high:
        raise _invalid(f"'{key}' must be an integer from {low} to {high}")
    return value


@dataclass(frozen=True)
class StreamStart:
    codec: str
    codec_header: bytes | None = None
    chunk_frames: int = CHUNK_FRAMES
    lead_ms: int = DEFAULT_LEAD_US // 1000
    sample_rate: int = SAMPLE_RATE
    channels: int = CHANNELS
    bit_depth: int = BIT_DEPTH

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"codec": self.codec, "sampleRate": self.sample_rate,
                                "channels": self.channels, "bitDepth": self.bit_depth,
                                "chunkFrames": self.chunk_frames, "leadMs": self.lead_ms}
        if self.codec_header is not None:
            wire["codecHeader"] = base64.b64encode(self.codec_header).decode("ascii")
        return wire

    @classmethod
    def from_wire(cls, payload: Mapping[str, Any]) -> StreamStart:
        if not isinstance(payload, Mapping):
            raise _invalid("STREAM_START payload must be an object")
        codec = payload.get("codec")
        if codec not in CODECS:
            raise _invalid(f"'codec' must be one of {', '.join(CODECS)}")
        header = None
        raw = payload.get("codecHeader")
        if raw is not None:
            if not isinstance(raw, str) or len(raw) > (MAX_CODEC_HEADER_BYTES * 4) // 3 + 4:
                raise _invalid("'codecHeader' must be Base64 of at most 1024 bytes")
            try:
                header = base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                raise _invalid("'codecHeader' is not Base64") from None
        # One stream format for the party: anything else is not this contract.
        if payload.get("sampleRate") != SAMPLE_RATE or type(payload.get("sampleRate")) is not int:
            raise _invalid(f"'sampleRate' must be {SAMPLE_RATE}")
        if payload.get("channels") != CHANNELS or type(payload.get("channels")) is not int:
            raise _invalid(f"'channels' must be {CHANNELS}")
        if payload.get("bitDepth") != BIT_DEPTH or type(payload.get("bitDepth")) is not int:
            raise _invalid(f"'bitDepth' must be {BIT_DEPTH}")
        if codec == "flac" and header is None:
            raise _invalid("a FLAC stream needs its 'codecHeader'")
        return cls(codec, header, _int_field(payload, "chunkFrames", 1, MAX_CHUNK_FRAMES),
                   _int_field(payload, "leadMs", 0, MAX_LEAD_MS))


@dataclass(frozen=True)
class StreamClear:
    from_us: int                        # buffered chunks at or after this host time go

    def to_wire(self) -> dict[str, Any]:
        return {"fromUs": self.from_us}

    @classmethod
    def from_wire(cls, payload: Mapping[str, Any]) -> StreamClear:
        if not isinstance(payload, Mapping):
            raise _invalid("STREAM_CLEAR payload must be an object")
        return cls(_int_field(payload, "fromUs", -(2**53), 2**53))


def chunk_us(chunk_frames: int = CHUNK_FRAMES, rate: int = SAMPLE_RATE) -> float:
    return chunk_frames * 1_000_000 / rate


# -- the host: what to make and send, and when ---------------------------------

@dataclass(frozen=True)
class SentChunk:
    index: int                          # chunk number in the current stream, from 0
    stamp_us: int
    frame: bytes                        # the packed frame, built once for every guest


class HostStream:
    """The host's stream timeline.

    ``start(at_us)``: chunk 0 of a new stream (a Play, seek or skip) plays at
    ``at_us``; chunk k at ``at_us + k * chunk`` (less the codec's look-ahead).
    ``due(now_us)`` says how many chunks the host should make now so that it
    stays ``lead_us`` ahead; ``add`` records each one made, and ``catch_up``
    gives a late joiner those still ahead of it."""

    def __init__(self, chunk_frames: int = CHUNK_FRAMES, rate: int = SAMPLE_RATE,
                 lead_us: int = DEFAULT_LEAD_US, delay_frames: int = 0) -> None:
        if chunk_frames <= 0 or lead_us < 0:
            raise ValueError("chunk_frames must be positive and lead_us not negative")
        self.chunk_frames = chunk_frames
        self.rate = rate
        self.lead_us = lead_us
        self.delay_frames = delay_frames
        self.generation = 0             # increases on every start: tells streams apart
        self._start_us: int | None = None
        self._next = 0
        # What was sent and still plays: at most a lead's worth (plus the one in progress).
        kept = int(lead_us // chunk_us(chunk_frames, rate)) + 2
        self._kept: deque[SentChunk] = deque(maxlen=kept)

    @property
    def running(self) -> bool:
        return self._start_us is not None

    @property
    def kept_capacity(self) -> int:
        """Chunks kept for late joiners: a lead's worth, so also one guest's queue bound."""
        return self._kept.maxlen or 0

    def snap(self, at_us: int) -> int:
        """``at_us``, or the first instant after it that is a whole frame and a whole µs, so
        every stamp of a stream started there is exact (at 48 kHz: a multiple of 125 µs)."""
        grid = 1_000_000 // math.gcd(1_000_000, self.rate)
        return -(-at_us // grid) * grid

    def start(self, at_us: int) -> int:
        """A new stream whose position 0 plays at ``at_us`` (snapped); returns
        ``STREAM_CLEAR.fromUs``.

        That is the new first chunk's stamp, which a codec's look-ahead puts a little
        before ``at_us``: guests drop every old chunk that has not ended by then. When
        ``at_us`` is a boundary of the running stream (``boundary_after``), that is
        exactly where the old stream's last decoded chunk before it ends."""
        self._start_us = self.snap(at_us)
        self._next = 0
        self._kept.clear()
        self.generation += 1
        return self.stamp(0)

    def boundary_after(self, at_us: int) -> int:
        """The first chunk boundary of the running stream's PCM at or after ``at_us``
        (``at_us``, snapped, when stopped): switching there cuts no chunk in two."""
        if self._start_us is None:
            return self.snap(at_us)
        span = (at_us - self._start_us) * self.rate
        return self.pcm_stamp(max(0, -(-span // (self.chunk_frames * 1_000_000))))

    def boundary_before(self, at_us: int) -> int:
        """The start of the PCM chunk of the running stream that holds ``at_us``."""
        assert self._start_us is not None
        span = (at_us - self._start_us) * self.rate
        return self.pcm_stamp(max(0, span // (self.chunk_frames * 1_000_000)))

    def _first_index_at(self, at_us: int) -> int:
        """The first chunk index whose stamp is at or after ``at_us`` (may be negative)."""
        assert self._start_us is not None
        # stamp(k) >= t  <=>  k * N - delay >= (t - start) * rate / 1e6, in integers: a ceiling
        span = (at_us - self._start_us) * self.rate + self.delay_frames * 1_000_000
        return -(-span // (self.chunk_frames * 1_000_000))

    def stop(self) -> None:
        self._start_us = None
        self._kept.clear()

    def pcm_stamp(self, index: int) -> int:
        """Host time at which the PCM fed in as chunk ``index`` plays (the stamp less the
        codec's look-ahead): where the host's own speakers, which skip the codec, put it."""
        if self._start_us is None:
            raise ValueError("the stream is not running")
        return self._start_us + index * self.chunk_frames * 1_000_000 // self.rate

    def stamp(self, index: int) -> int:
        """Host time at which chunk ``index`` (as decoded) plays."""
        if self._start_us is None:
            raise ValueError("the stream is not running")
        # Integer arithmetic: stamps never drift over hours of stream.
        return (self._start_us + (index * self.chunk_frames - self.delay_frames) * 1_000_000
                // self.rate)

    @property
    def next_index(self) -> int:
        return self._next

    def due(self, now_us: int, max_chunks: int | None = None) -> int:
        """How many chunks to make now: those playing before ``now_us + lead``."""
        if self._start_us is None:
            return 0
        count = max(0, self._first_index_at(now_us + self.lead_us) - self._next)
        return count if max_chunks is None else min(count, max_chunks)

    def add(self, payload: bytes, now_us: int) -> SentChunk:
        """Record the next chunk made (encoded ``payload``) and return its frame to send."""
        stamp = self.stamp(self._next)
        sent = SentChunk(self._next, stamp, pack_chunk(stamp, payload, now_us))
        self._kept.append(sent)
        self._next += 1
        return sent

    def catch_up(self, now_us: int, margin_us: int = JOIN_MARGIN_US) -> list[SentChunk]:
        """The kept chunks a guest starting now can still play: from ``now + margin`` on."""
        return [c for c in self._kept if c.stamp_us >= now_us + margin_us]


class GuestQueue:
    """One guest's chunks not yet written to its connection.

    Bounded to the lead: when a guest's link stalls, the oldest chunks go first
    (they would be late anyway), and a chunk whose end has passed is never sent."""

    def __init__(self, capacity: int, chunk_frames: int = CHUNK_FRAMES,
                 rate: int = SAMPLE_RATE) -> None:
        self._queue: deque[SentChunk] = deque()
        self.capacity = capacity
        self._duration_us = chunk_us(chunk_frames, rate)
        self.dropped = 0                # chunks this guest never got: full queue or too late

    def __len__(self) -> int:
        return len(self._queue)

    def push(self, chunk: SentChunk) -> None:
        if len(self._queue) >= self.capacity:
            self._queue.popleft()
            self.dropped += 1
        self._queue.append(chunk)

    def clear(self, from_us: int | None = None) -> None:
        """Forget every chunk, or those that have not ended by ``from_us`` (STREAM_CLEAR)."""
        if from_us is None:
            self._queue.clear()
            return
        while self._queue and self._queue[-1].stamp_us + self._duration_us > from_us:
            self._queue.pop()

    def pop(self, now_us: int) -> SentChunk | None:
        """The next chunk worth writing at ``now_us``, or None."""
        while self._queue:
            chunk = self._queue.popleft()
            if chunk.stamp_us + self._duration_us > now_us:
                return chunk
            self.dropped += 1
        return None


# -- the guest: decoded chunks by instant -------------------------------------

class Insert(Enum):
    ACCEPTED = "accepted"
    LATE = "late"                       # its end has already played: dropped
    DUPLICATE = "duplicate"             # overlaps a chunk already held: dropped
    FULL = "full"                       # beyond the buffer's bound: dropped
    EARLY = "early"                     # plays further ahead than the buffer reaches
    BAD_LENGTH = "bad length"           # not one chunk of PCM


class JitterBuffer:
    """Decoded chunks on the host timeline, at most ``capacity`` of them.

    Instants become timeline frames (``frame_at``: host µs x rate), so reads
    for consecutive output periods line up to the frame across chunks."""

    def __init__(self, chunk_frames: int = CHUNK_FRAMES, rate: int = SAMPLE_RATE,
                 capacity: int | None = None, lead_us: int = DEFAULT_LEAD_US) -> None:
        self.chunk_frames = chunk_frames
        self.rate = rate
        self._chunk_bytes = chunk_frames * FRAME_BYTES
        if capacity is None:
            capacity = int((lead_us + BUFFER_SLACK_US) // chunk_us(chunk_frames, rate))
        self.capacity = capacity
        self._starts: list[int] = []    # sorted first timeline frames of the chunks held
        self._pcm: dict[int, bytes] = {}
        self._zeros = memoryview(bytes(self._chunk_bytes))
        self.late = 0
        self.refused = 0                # duplicate, full or bad length
        self.missing_frames = 0         # frames read where no chunk was: heard as silence

    def frame_at(self, host_us: float) -> int:
        return round(host_us * self.rate / 1_000_000)

    def __len__(self) -> int:
        return len(self._starts)

    def insert(self, stamp_us: int, pcm: bytes, now_us: int) -> Insert:
        if len(pcm) != self._chunk_bytes:
            self.refused += 1
            return Insert.BAD_LENGTH
        start = self.frame_at(stamp_us)
        now = self.frame_at(now_us)
        if start + self.chunk_frames <= now:
            self.late += 1
            return Insert.LATE
        if start > now + self.capacity * self.chunk_frames:
            # No host sends this far ahead: taken, such chunks would fill the buffer
            # and shut every real one out.
            self.refused += 1
            return Insert.EARLY
        at = bisect_right(self._starts, start)
        if (at and self._starts[at - 1] + self.chunk_frames > start) or \
                (at < len(self._starts) and self._starts[at] < start + self.chunk_frames):
            self.refused += 1
            return Insert.DUPLICATE
        if len(self._starts) >= self.capacity:
            # Only now forget what has played: the output may still be reading it.
            self.expire(now_us)
            if len(self._starts) >= self.capacity:
                self.refused += 1
                return Insert.FULL
        insort(self._starts, start)
        self._pcm[start] = pcm
        return Insert.ACCEPTED

    def clear(self, from_us: int | None = None) -> None:
        """Drop every chunk (``STREAM_CLEAR``: every chunk ending after ``from_us``)."""
        if from_us is None:
            self._starts.clear()
            self._pcm.clear()
            return
        first = self.frame_at(from_us)
        keep = [s for s in self._starts if s + self.chunk_frames <= first]
        for s in self._starts[len(keep):]:
            del self._pcm[s]
        self._starts = keep

    def expire(self, now_us: int) -> None:
        """Forget chunks whose last frame has played."""
        self._expire_before(self.frame_at(now_us))

    def _expire_before(self, frame: int) -> None:
        drop = 0
        while drop < len(self._starts) and self._starts[drop] + self.chunk_frames <= frame:
            del self._pcm[self._starts[drop]]
            drop += 1
        if drop:
            del self._starts[:drop]

    def buffered_us(self, now_us: int) -> int:
        """Audio held from ``now_us`` on, in µs (what a stall of the link can eat)."""
        now = self.frame_at(now_us)
        frames = sum(min(self.chunk_frames, s + self.chunk_frames - now)
                     for s in self._starts if s + self.chunk_frames > now)
        return frames * 1_000_000 // self.rate

    def read_into(self, first_frame: int, out: bytearray | memoryview, frames: int) -> int:
        """Timeline frames [first_frame, first_frame + frames) into ``out``, silence where no
        chunk is; returns how many frames came from chunks. Chunks that end before
        ``first_frame`` are forgotten (they have played or never will)."""
        self._expire_before(first_frame)
        view = memoryview(out)
        end = first_frame + frames
        filled = 0
        cursor = first_frame
        at = max(0, bisect_right(self._starts, first_frame) - 1)
        while cursor < end:
            start = self._starts[at] if at < len(self._starts) else end
            if start + self.chunk_frames <= cursor:
                at += 1
                continue
            if start > cursor:                  # no chunk here: silence up to the next one
                upto = min(start, end)
                self._silence(view, cursor - first_frame, upto - first_frame)
                cursor = upto
                continue
            upto = min(end, start + self.chunk_frames)
            pcm = memoryview(self._pcm[start])
            view[(cursor - first_frame) * FRAME_BYTES:(upto - first_frame) * FRAME_BYTES] = \
                pcm[(cursor - start) * FRAME_BYTES:(upto - start) * FRAME_BYTES]
            filled += upto - cursor
            cursor = upto
            at += 1
        self.missing_frames += frames - filled
        return filled

    def _silence(self, view: memoryview, first: int, end: int) -> None:
        while first < end:
            n = min(end - first, self.chunk_frames)
            view[first * FRAME_BYTES:(first + n) * FRAME_BYTES] = self._zeros[:n * FRAME_BYTES]
            first += n

    def read(self, host_us: float, frames: int) -> bytes:
        out = bytearray(frames * FRAME_BYTES)
        self.read_into(self.frame_at(host_us), out, frames)
        return bytes(out)


# -- one sound card: which timeline frames next ---------------------------------------

@dataclass(frozen=True)
class Period:
    """What a device plays next: timeline frames [start, start+count), with ``correction``
    frames dropped (+1) or repeated (-1) half-way; ``filled``: frames that were audio."""

    start: int
    count: int
    correction: int = 0
    resynced: bool = False
    error_frames: float = 0.0
    filled: int = 0


class StreamScheduler:
    """Keeps one device's read position on the host's timeline.

    Each period it compares where it is reading with where the timeline says the
    period's first frame belongs (the instant it leaves the speaker, mapped to host
    time). Small errors are slewed one frame at a time (a dropped or repeated frame
    every ``frames_per_correction`` is inaudible); an error over ``hard_resync_frames``
    jumps straight there."""

    def __init__(self, hard_resync_frames: int = SAMPLE_RATE // 100,
                 frames_per_correction: int = 480) -> None:
        self.hard_resync_frames = hard_resync_frames       # 10 ms
        self.frames_per_correction = frames_per_correction  # at most one per 10 ms
        self._read: int | None = None
        self.last_error_frames = 0.0

    def restart(self) -> None:
        """Forget the read position: the next period lands exactly where it belongs."""
        self._read = None

    def plan(self, desired_frame: float, count: int) -> Period:
        if self._read is None or abs(self._read - desired_frame) > self.hard_resync_frames:
            error = 0.0 if self._read is None else self._read - desired_frame
            self._read = round(desired_frame)
            self.last_error_frames = 0.0
            period = Period(self._read, count, 0, True, error)
        else:
            error = self._read - desired_frame
            self.last_error_frames = error
            budget = max(1, count // self.frames_per_correction)
            # Ahead of the timeline (error > 0): repeat a frame; behind: drop one.
            correction = int(max(-budget, min(budget, -round(error))))
            period = Period(self._read, count, correction, False, error)
        self._read = period.start + period.count + period.correction
        return period
