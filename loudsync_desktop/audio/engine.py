"""The playback engine: what one device's sound card plays, period by period.

The device calls ``render(frames, leave_local_us)`` from its audio thread
with the instant (on this laptop's clock) at which the period's first frame
will leave the speaker. The engine moves that instant onto the host's
timeline and plays the stream's chunks that belong there (silence where it
has none), with the per-device output delay, the party volume and this
laptop's own volume applied.

Threads: ``render`` (and the ``to_host_us``, ``ready`` and ``on_period`` it
calls) runs on the audio thread; ``push``, ``clear`` and the ``state`` setter
run on the event loop. They share only a deque of hand-overs (atomic append
and popleft) and references that are swapped whole: the list of pending
states here, and the clock's published fit (``ClockSync.fit``) behind
``to_host_us``.
"""

from __future__ import annotations

import array
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from ..protocol.playback import CHANNELS, SAMPLE_RATE, PlayState
from ..protocol.stream import (BUFFER_SLACK_US, DEFAULT_LEAD_US, FRAME_BYTES, JitterBuffer,
                               Period, StreamScheduler, chunk_us)

_SILENCE_CACHE: dict[int, bytes] = {}
MAX_PENDING_STATES = 8
MAX_INBOX = 1_024                   # hand-overs waiting for the audio thread (20 s of chunks)
_CHUNK, _CLEAR = "chunk", "clear"   # what the loop hands the audio thread


def silence(frames: int) -> bytes:
    if frames not in _SILENCE_CACHE:
        _SILENCE_CACHE[frames] = bytes(frames * CHANNELS * 2)
    return _SILENCE_CACHE[frames]


_FLIP_SIGN = bytes(b ^ 0x80 for b in range(256))   # two's complement <-> offset binary
_GAIN_ONE = 1 << 16                                  # gains in 16.16 fixed point
_bias_cache: dict[tuple[int, int], int] = {}


def scale(samples: array.array, volume: float) -> array.array:
    """``samples`` at ``volume`` (0..1, applied squared: the slider feels linear)."""
    if volume >= 0.999:
        return samples
    return apply_gain(samples, round(max(0.0, volume) ** 2 * _GAIN_ONE))


def apply_gain(samples: array.array, gain: int) -> array.array:
    """Every 16-bit sample times ``gain``/65536, rounded down, at C speed.

    Real-time code must not loop over samples in Python (a period is ~2,000 of them). With
    no array library at hand, the samples go into one big integer, a sample per 32-bit
    lane, as offset binary (x + 32768, never negative); one multiplication scales every
    lane at once, and a precomputed per-lane bias brings the zero back to the middle, so no
    lane ever borrows from or carries into its neighbour.
    """
    count = len(samples)
    if gain >= _GAIN_ONE or count == 0:
        return samples
    if gain <= 0:
        return array.array("h", bytes(2 * count))
    raw = samples.tobytes()
    wide = bytearray(4 * count)
    wide[0::4] = raw[0::2]
    wide[1::4] = raw[1::2].translate(_FLIP_SIGN)
    bias = _bias_cache.get((count, gain))
    if bias is None:   # one per period size and volume: a handful in a party
        lane = (32768 << 16) - 32768 * gain       # (x + 32768)·g + this = (x·g + 32768) << 16
        bias = int.from_bytes(lane.to_bytes(4, "little") * count, "little")
        if len(_bias_cache) > 64:
            _bias_cache.clear()
        _bias_cache[(count, gain)] = bias
    lanes = (int.from_bytes(wide, "little") * gain + bias).to_bytes(4 * count, "little")
    out = bytearray(2 * count)
    out[0::2] = lanes[2::4]
    out[1::2] = lanes[3::4].translate(_FLIP_SIGN)
    return array.array("h", out)


class PlaybackEngine:
    """One device's output: the party's stream, each chunk at its stamp.

    The event loop hands decoded chunks over with ``push`` (and ``clear`` for a
    seek, skip or pause); the audio thread takes them in at the start of its next
    period and owns the JitterBuffer, so the two never touch the same structure.
    """

    def __init__(self, to_host_us: Callable[[float], float] | None = None,
                 output_delay_ms: float = 0.0, lead_us: int = DEFAULT_LEAD_US) -> None:
        self.to_host_us = to_host_us or (lambda local_us: local_us)
        self.output_delay_ms = output_delay_ms
        self.buffer = JitterBuffer(lead_us=lead_us)      # audio thread only
        self.scheduler = StreamScheduler()
        # loop -> audio thread; deque's append and popleft are atomic, and a full one drops
        # its oldest (only while nobody plays: chunks that would be late by then anyway)
        self._inbox: deque[tuple] = deque(maxlen=MAX_INBOX)
        self.failures = 0               # periods that failed (a bug): played as silence
        self.last_failure: BaseException | None = None
        self._states: list[PlayState] = [PlayState()]
        # on_period(period, host_us of its first frame): what each period played
        self.on_period: Callable[[Period, float], None] | None = None
        self.ready: Callable[[], bool] = lambda: True   # e.g. "the clock is synced"
        # This laptop's own loudness (0..1, 0 when muted), on top of the party's volume;
        # set from the UI thread, read once per period.
        self.local_volume = 1.0
        self.played_frames = 0          # frames of audio (not silence) played: any thread reads
        self._out = bytearray()

    # -- event loop -------------------------------------------------------------------------
    @property
    def state(self) -> PlayState:
        return self._states[-1]

    @state.setter
    def state(self, new: PlayState) -> None:
        # States already in effect play on until the new one's effective instant;
        # any that would only have started after it are superseded.
        kept = [x for x in self._states if x.effective_at_us < new.effective_at_us]
        self._states = (kept + [new])[-MAX_PENDING_STATES:]

    def push(self, stamp_us: int, pcm: bytes) -> None:
        """A decoded chunk (CHUNK_FRAMES of s16 stereo) playing from host time ``stamp_us``."""
        self._inbox.append((_CHUNK, stamp_us, pcm))

    def clear(self, from_us: int | None = None) -> None:
        """Drop what is held from ``from_us`` on (all of it when None)."""
        self._inbox.append((_CLEAR, from_us, None))

    def set_lead(self, lead_us: int) -> None:
        """The stream's lead (STREAM_START): the buffer holds that much and a margin."""
        self.buffer.capacity = int((lead_us + BUFFER_SLACK_US) // chunk_us())   # one int

    # -- audio thread -----------------------------------------------------------------------
    def _take_inbox(self, now_us: float) -> None:
        inbox = self._inbox
        while inbox:
            kind, value, pcm = inbox.popleft()
            if kind is _CHUNK:
                self.buffer.insert(value, pcm, int(now_us))
            else:
                self.buffer.clear(value)

    def render(self, frames: int, leave_local_us: float) -> bytes:
        """The period's bytes; never raises (the sound card's thread must go on): a failure
        is counted and plays as silence."""
        try:
            return self._render(frames, leave_local_us)
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not stop the card
            self.failures += 1
            self.last_failure = exc
            return silence(frames)

    def _render(self, frames: int, leave_local_us: float) -> bytes:
        # A speaker with a delay plays each frame later: ask for what belongs then.
        if not self.ready():
            # Better late than in the wrong place; what arrives waits in the inbox, since
            # without the host's clock no one can tell which chunks are already late.
            return silence(frames)
        host_us = self.to_host_us(leave_local_us + self.output_delay_ms * 1000)
        self._take_inbox(host_us)
        size = frames * FRAME_BYTES
        if len(self._out) != size:
            self._out = bytearray(size)
        out = self._out
        period = self.scheduler.plan(host_us * SAMPLE_RATE / 1e6, frames)
        if period.correction == 0:
            filled = self.buffer.read_into(period.start, out, frames)
        else:   # the second half starts `correction` frames later (drop) or earlier (repeat)
            half = frames // 2
            view = memoryview(out)
            filled = self.buffer.read_into(period.start, view[:half * FRAME_BYTES], half)
            filled += self.buffer.read_into(period.start + half + period.correction,
                                            view[half * FRAME_BYTES:], frames - half)
        self.played_frames += filled
        if self.on_period is not None:
            self.on_period(replace(period, filled=filled), host_us)
        if not filled:
            return silence(frames)
        volume = self._volume_at(host_us) * self.local_volume
        if volume >= 0.999:
            return bytes(out)
        return scale(array.array("h", out), volume).tobytes()

    def _volume_at(self, host_us: float) -> float:
        states = self._states   # one snapshot: the setter runs on another thread
        volume = states[0].volume
        for candidate in states:
            if candidate.effective_at_us <= host_us:
                volume = candidate.volume
        return volume

    @property
    def sync_error_ms(self) -> float:
        """The scheduler's last measured error against the timeline."""
        return self.scheduler.last_error_frames * 1000 / SAMPLE_RATE
