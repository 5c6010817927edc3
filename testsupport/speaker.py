"""What came out of each speaker, by content: the test's ear at the output.

(Test support: used by tests and bench/; not part of the app.)

``SpeakerCapture`` wraps the render callable a TestOutputDevice is started with:
the device emits exactly the bytes render returned, so recording them with the
true instant (the host's clock) at which each period's first frame left gives
what a microphone next to that speaker would have heard, with nothing taken on
trust from the engine.

Played with ``codec="pcm"`` or ``"flac"`` from a marked ramp (``write_test_tone(...,
mark=k)``), every output frame names the track (its mark) and the track position
it is: ``position_at(t)`` says which track position a device played at a true
instant, so two devices' positions at the same instant give their distance in
the song, and holes, repeats and jumps show in the content itself.
"""

from __future__ import annotations

import array
import bisect
import threading
from dataclasses import dataclass

from loudsync_desktop.audio.devices import Emitted, Render, TestOutputDevice
from loudsync_desktop.clock import SystemClock
from loudsync_desktop.protocol.playback import SAMPLE_RATE
from loudsync_desktop.protocol.stream import FRAME_BYTES

BLOCK = 65_536                      # frames of one sweep of the ramp's left channel
MARK_STEP = 64                      # right channel: mark * 64 + sweep number


def ramp_frame(mark: int, position: int) -> tuple[int, int]:
    """The (left, right) samples of ``write_test_tone(..., mark=mark)`` at ``position``."""
    return position % BLOCK - 32768, mark * MARK_STEP + position // BLOCK


def read_frame(left: int, right: int) -> tuple[int, int] | None:
    """(mark, track position) a marked ramp's frame names; None for silence."""
    if left == 0 and right == 0:
        return None
    mark, sweep = divmod(right, MARK_STEP)
    return mark, sweep * BLOCK + left + 32768


@dataclass(frozen=True)
class Heard:
    true_us: float                  # host-clock instant the period's first frame left
    pcm: bytes                      # exactly what the device emitted


class SpeakerCapture:
    """Every period one TestOutputDevice emitted, with its true emission instant."""

    def __init__(self, name: str, device: TestOutputDevice, truth: SystemClock) -> None:
        self.name = name
        self.truth = truth
        self.frame_us = 1e6 / device.rate           # one frame, in true µs (its crystal)
        self.heard: list[Heard] = []
        self._times: list[float] = []
        self._rendered: bytes | None = None
        self._lock = threading.Lock()
        chained = device.on_emit                     # a SyncRecorder may listen too

        def emitted(e: Emitted) -> None:
            if chained is not None:
                chained(e)
            self._emitted(e)
        device.on_emit = emitted

    def wrap(self, render: Render) -> Render:
        """The render to start the device with: the same, remembered."""
        def rendered(frames: int, leave_local_us: float) -> bytes:
            out = render(frames, leave_local_us)
            self._rendered = out
            return out
        return rendered

    def _emitted(self, e: Emitted) -> None:
        pcm, self._rendered = self._rendered, None
        if pcm is None:                              # render raised: the card played silence
            pcm = bytes(e.frames * FRAME_BYTES)
        true_us = self.truth.reading_at(e.true_ns) * 1000
        with self._lock:
            self.heard.append(Heard(true_us, pcm))
            self._times.append(true_us)

    # -- reading it back ----------------------------------------------------------------------
    def periods(self, from_us: float = float("-inf"),
                to_us: float = float("inf")) -> list[Heard]:
        with self._lock:
            i = bisect.bisect_left(self._times, from_us)
            j = bisect.bisect_left(self._times, to_us)
            return self.heard[i:j]

    def marked_frames(self, from_us: float, to_us: float) -> list[tuple[int, int] | None]:
        """(mark, position) of every frame of the periods that left between the two
        instants (write_test_tone(..., mark=k)); None for a silent frame."""
        frames: list[tuple[int, int] | None] = []
        for period in self.periods(from_us, to_us):
            samples = memoryview(period.pcm).cast("h")
            frames += [read_frame(samples[2 * j], samples[2 * j + 1])
                       for j in range(len(samples) // 2)]
        return frames

    def frame_at(self, true_us: float) -> tuple[int, int] | None:
        """The (left, right) samples leaving the speaker at ``true_us``; None when it had
        not (yet) emitted anything there."""
        with self._lock:
            i = bisect.bisect_right(self._times, true_us) - 1
            if i < 0:
                return None
            period = self.heard[i]
        j = int((true_us - period.true_us) / self.frame_us)
        if j * FRAME_BYTES >= len(period.pcm):
            return None
        samples = memoryview(period.pcm).cast("h")
        return samples[2 * j], samples[2 * j + 1]

    def position_at(self, true_us: float) -> tuple[int, int] | None:
        """(mark, track position) of a marked ramp playing at ``true_us``; None: silent."""
        frame = self.frame_at(true_us)
        return None if frame is None else read_frame(*frame)

    def first_sound_us(self, after_us: float = float("-inf"),
                       mark: int | None = None) -> float | None:
        """The true instant of the first frame of sound (of ``mark``) after ``after_us``."""
        for period in self.periods(after_us):
            samples = memoryview(period.pcm).cast("h")
            for j in range(len(samples) // 2):
                left, right = samples[2 * j], samples[2 * j + 1]
                if (left or right) and (mark is None or right // MARK_STEP == mark):
                    return period.true_us + j * self.frame_us
        return None

    def silent_frames(self, from_us: float, to_us: float) -> int:
        """Frames of silence emitted in the periods starting in [from_us, to_us)."""
        silent = 0
        for period in self.periods(from_us, to_us):
            silent += array.array("I", period.pcm).count(0)   # a frame: one 32-bit word
        return silent

    def breaks(self, from_us: float, to_us: float, slack: int = 2) -> list[str]:
        """Where the content of a marked ramp did not run on frame after frame (a hole,
        a repeat, a jump, silence), in the periods starting in [from_us, to_us). Each
        period may drop or repeat ``slack`` frames: the scheduler's slewing."""
        out: list[str] = []
        last: tuple[int, int] | None = None
        for period in self.periods(from_us, to_us):
            samples = memoryview(period.pcm).cast("h")
            count = len(samples) // 2
            first = read_frame(samples[0], samples[1])
            end = read_frame(samples[2 * count - 2], samples[2 * count - 1])
            at = f"{self.name} at {period.true_us / 1e6:.3f} s"
            if first is None or end is None:
                out.append(f"{at}: silence")
                last = None
                continue
            if first[0] != end[0] or abs(end[1] - first[1] - (count - 1)) > slack:
                out.append(f"{at}: {first} .. {end} within one period")
            elif last is not None and (first[0] != last[0] or abs(first[1] - last[1] - 1) > slack):
                out.append(f"{at}: {last} then {first}")
            last = end
        return out

    def left_samples(self, from_us: float, frames: int) -> array.array:
        """``frames`` left-channel samples as emitted from the true instant ``from_us`` on
        (for correlating lossy audio)."""
        out = array.array("h")
        periods = self.periods(from_us - 1e6)
        start = next((k for k, p in enumerate(periods)
                      if p.true_us + len(p.pcm) // FRAME_BYTES * self.frame_us > from_us), None)
        if start is None:
            return out
        skip = max(0, int((from_us - periods[start].true_us) / self.frame_us))
        for k, period in enumerate(periods[start:]):
            left = array.array("h", period.pcm)[0::2]
            out.extend(left[skip:] if k == 0 else left)
            if len(out) >= frames:
                break
        return out[:frames]


def distance_ms(a: SpeakerCapture, b: SpeakerCapture, true_us: float) -> float | None:
    """How far apart in the song two speakers were at one true instant (ms); None unless
    both played the same track there."""
    pa, pb = a.position_at(true_us), b.position_at(true_us)
    if pa is None or pb is None or pa[0] != pb[0]:
        return None
    return abs(pa[1] - pb[1]) * 1000 / SAMPLE_RATE


def distances_ms(a: SpeakerCapture, b: SpeakerCapture, from_us: float, to_us: float,
                 step_us: float = 10_000) -> list[float]:
    out = []
    t = from_us
    while t < to_us:
        d = distance_ms(a, b, t)
        if d is not None:
            out.append(d)
        t += step_us
    return out
