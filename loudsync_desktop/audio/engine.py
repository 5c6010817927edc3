"""The playback engine: what one device's sound card plays, period by period.

The device calls ``render(frames, leave_local_us)`` from its audio thread
with the instant (on this laptop's clock) at which the period's first frame
will leave the speaker. The engine moves that instant onto the host's
timeline, asks the scheduler which source frames belong there, and returns
them as 16-bit stereo, with the per-device output delay, the party volume and
this laptop's own volume applied.

Threads: ``render`` (and the ``to_host_us``, ``ready`` and ``on_period`` it
calls) runs on the audio thread; the ``state`` setter runs on the event loop.
They share only references that are swapped whole: the list of pending states
here, and the clock's published fit (``ClockSync.fit``) behind ``to_host_us``.
"""

from __future__ import annotations

import array
from collections.abc import Callable

from ..protocol.playback import CHANNELS, OutputScheduler, Period, PlayState
from .library import TrackLibrary

_SILENCE_CACHE: dict[int, bytes] = {}
MAX_PENDING_STATES = 8


def silence(frames: int) -> bytes:
    if frames not in _SILENCE_CACHE:
        _SILENCE_CACHE[frames] = bytes(frames * CHANNELS * 2)
    return _SILENCE_CACHE[frames]


def frames_of(pcm: array.array | None, start: int, count: int) -> array.array:
    """Frames [start, start+count) of interleaved stereo PCM, zeros outside it."""
    out = array.array("h", bytes(count * CHANNELS * 2))
    if pcm is None or count <= 0:
        return out
    total = len(pcm) // CHANNELS
    lo, hi = max(start, 0), min(start + count, total)
    if lo < hi:
        out[(lo - start) * CHANNELS:(hi - start) * CHANNELS] = pcm[lo * CHANNELS:hi * CHANNELS]
    return out


def apply_correction(pcm: array.array | None, period: Period) -> array.array:
    """The period's output: ``count`` frames, one source frame dropped or repeated mid-way."""
    if period.correction == 0:
        return frames_of(pcm, period.start, period.count)
    # The second half starts `correction` frames later (drop) or earlier (repeat).
    half = period.count // 2
    return (frames_of(pcm, period.start, half)
            + frames_of(pcm, period.start + half + period.correction, period.count - half))


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
    def __init__(self, library: TrackLibrary, to_host_us: Callable[[float], float] | None = None,
                 output_delay_ms: float = 0.0) -> None:
        self.library = library
        self.to_host_us = to_host_us or (lambda local_us: local_us)
        self.output_delay_ms = output_delay_ms
        self._states: list[PlayState] = [PlayState()]
        self.scheduler = OutputScheduler()
        # on_period(period, host_us of its first frame, frames into the render before it)
        self.on_period: Callable[[Period, float, int], None] | None = None
        self.ready: Callable[[], bool] = lambda: True   # e.g. "the clock is synced"
        # This laptop's own loudness (0..1, 0 when muted), on top of the party's volume;
        # set from the UI thread, read once per period.
        self.local_volume = 1.0

    @property
    def state(self) -> PlayState:
        return self._states[-1]

    @state.setter
    def state(self, new: PlayState) -> None:
        # States already in effect play on until the new one's effective instant;
        # any that would only have started after it are superseded.
        kept = [x for x in self._states if x.effective_at_us < new.effective_at_us]
        self._states = (kept + [new])[-MAX_PENDING_STATES:]

    def render(self, frames: int, leave_local_us: float) -> bytes:
        if not self.ready():
            return silence(frames)   # better late than in the wrong place
        # A speaker with a delay plays each frame later: ask for what belongs then.
        host_us = self.to_host_us(leave_local_us + self.output_delay_ms * 1000)
        states = self._states   # one snapshot: the setter runs on another thread
        rate = self.scheduler.sample_rate
        out = array.array("h")
        done = 0
        while done < frames:
            at_us = host_us + done * 1e6 / rate
            active = states[0]
            for candidate in states:
                if candidate.effective_at_us <= at_us:
                    active = candidate
            later = [x.effective_at_us for x in states if x.effective_at_us > at_us]
            # Split the period exactly at the next switch, if it falls inside it.
            until = frames if not later else min(frames, done + max(1, int(
                (min(later) - at_us) * rate / 1e6 + 0.999999)))
            out += self._part(active, at_us, until - done, done)
            done = until
        return out.tobytes()

    def _part(self, state: PlayState, host_us: float, frames: int, offset: int) -> array.array:
        period = self.scheduler.plan(state, host_us, frames)
        if self.on_period is not None:
            self.on_period(period, host_us, offset)
        if period.track_id is None:
            return array.array("h", silence(frames))
        out = apply_correction(self.library.pcm(period.track_id), period)
        return scale(out, state.volume * self.local_volume)

    @property
    def sync_error_ms(self) -> float:
        """The scheduler's last measured error against the timeline."""
        return self.scheduler.last_error_frames * 1000 / self.scheduler.sample_rate
