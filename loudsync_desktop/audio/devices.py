"""Output devices behind one small interface: ``start(render)`` / ``stop()``.

``render(frames, leave_local_us)`` returns the bytes to play; ``leave_local_us``
is when (on this laptop's clock) the first of them leaves the speaker.

- ``TestOutputDevice`` needs no sound card: a thread consumes periods at real
  time times (1 + rate error), like a sound card whose crystal is off, and
  records at which true instant each period's first frame left the speaker,
  and when sound (a period not all zero) first and last left it.
- ``MiniaudioOutputDevice`` plays on the system's sound card (its NULL backend
  in real time where there is none).
"""

from __future__ import annotations

import ctypes
import json
import logging
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable

from ..clock import SystemClock
from ..protocol.playback import CHANNELS, SAMPLE_RATE

log = logging.getLogger(__name__)

Render = Callable[[int, float], bytes]
PERIOD_FRAMES = 960   # 20 ms at 48 kHz


@dataclass(frozen=True)
class Emitted:
    true_ns: int          # time.monotonic_ns() at which the period's first frame left
    frames: int


class TestOutputDevice:
    """A sound card made of a thread and a clock, for tests and benchmarks.

    Besides every period (``emitted``, unless ``keep_emitted`` is False: a process that
    plays for hours would pile them up), it counts what it played: ``first_sound_ns``
    and ``last_sound_ns`` are the ``time.monotonic_ns()`` (one kernel clock in every
    network namespace) at which the first and the latest period whose bytes were not
    all zero left the speaker; ``sound_periods`` and ``silent_periods`` count them.
    With ``report_to`` it appends JSON lines to that file (:data:`TEST_OUTPUT_ENV`):
    ``{"firstSoundNs": N}`` once, when sound first leaves, and every second
    ``{"soundNs": N|null, "periods": n, "silentPeriods": m}``.
    """

    def __init__(self, clock: SystemClock, rate_error_ppm: float = 0.0,
                 period_frames: int = PERIOD_FRAMES, sample_rate: int = SAMPLE_RATE, *,
                 keep_emitted: bool = True, report_to: Path | str | None = None) -> None:
        self.clock = clock
        self.rate = sample_rate * (1 + rate_error_ppm / 1e6)
        self.period_frames = period_frames
        self.emitted: list[Emitted] = []
        self.keep_emitted = keep_emitted
        self.failures = 0
        self.on_emit: Callable[[Emitted], None] | None = None
        self.first_sound_ns: int | None = None
        self.last_sound_ns: int | None = None
        self.sound_periods = 0
        self.silent_periods = 0
        self.report_to = None if report_to is None else Path(report_to)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, render: Render) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(render,), daemon=True,
                                        name="test-audio-device")
        self._thread.start()

    def _run(self, render: Render) -> None:
        started = time.monotonic_ns()
        frames = 0
        # Compared with memcmp, so telling silence from sound allocates nothing per period.
        silence = bytes(self.period_frames * CHANNELS * 2)
        next_report = started + REPORT_EVERY_NS
        while not self._stop.is_set():
            due = started + int(frames / self.rate * 1e9)
            delay = (due - time.monotonic_ns()) / 1e9
            if delay > 0:
                self._stop.wait(delay)
            # The "hardware timestamp": the device knows when this period plays.
            try:
                data = render(self.period_frames, self.clock.reading_at(due) * 1000)
            except Exception:  # a real card would play silence; say why
                log.exception("render failed")
                self.failures += 1
                data = silence
            self._count(data, silence, due)
            emitted = Emitted(due, self.period_frames)
            if self.keep_emitted:
                self.emitted.append(emitted)
            if self.on_emit is not None:
                self.on_emit(emitted)
            if self.report_to is not None and due >= next_report:
                next_report = due + REPORT_EVERY_NS
                self._report({"soundNs": self.last_sound_ns, "periods": self.sound_periods,
                              "silentPeriods": self.silent_periods})
            frames += self.period_frames

    def _count(self, data, silence: bytes, due: int) -> None:
        if data == silence or not any(data):   # any(): a period of another length
            self.silent_periods += 1
            return
        self.sound_periods += 1
        self.last_sound_ns = due
        if self.first_sound_ns is None:
            self.first_sound_ns = due
            if self.report_to is not None:
                self._report({"firstSoundNs": due})

    def _report(self, line: dict) -> None:
        assert self.report_to is not None
        try:
            with self.report_to.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line) + "\n")
        except OSError as exc:   # a test hook: the sound goes on without its report
            log.warning("cannot write the test output report %s: %s", self.report_to, exc)
            self.report_to = None

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None
            if self.report_to is not None:   # the last word: what it played in all
                self._report({"soundNs": self.last_sound_ns, "periods": self.sound_periods,
                              "silentPeriods": self.silent_periods})


REPORT_EVERY_NS = 1_000_000_000
# A test hook, not a setting: when set to a file path, the CLI and the app play into a
# TestOutputDevice that reports its first sound there (control/speakers.py default_output).
TEST_OUTPUT_ENV = "LOUDSYNC_TEST_OUTPUT"


_ALSA_QUIET = None   # keeps the no-op handler alive for as long as the process lives


def quiet_alsa() -> None:
    """ALSA prints its own errors to stderr (a dozen lines when there is no sound card):
    give it a handler that says nothing; we report what matters ourselves."""
    global _ALSA_QUIET
    if _ALSA_QUIET is not None or not sys.platform.startswith("linux"):
        return
    try:
        lib = ctypes.CDLL("libasound.so.2")
    except OSError:
        return   # no ALSA at all: nothing to quiet
    handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                    ctypes.c_int, ctypes.c_char_p)
    _ALSA_QUIET = handler_type(lambda *args: None)
    lib.snd_lib_error_set_handler(_ALSA_QUIET)


class MiniaudioOutputDevice:
    """The sound card through miniaudio.

    miniaudio does not say when a buffer reaches the speaker, so the leave
    time is estimated as now + buffer latency, smoothed like a PLL so that
    callback jitter does not become audible corrections.
    """

    def __init__(self, clock: SystemClock, buffer_ms: int = 60, backends=None) -> None:
        self.clock = clock
        self.buffer_ms = buffer_ms
        self._backends = backends
        self._device = None
        self._predicted_us: float | None = None
        self.silent = False   # no sound card: the NULL backend keeps time without sound

    def start(self, render: Render) -> None:
        import miniaudio

        quiet_alsa()

        def open_device(backends):
            return miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16, nchannels=CHANNELS,
                sample_rate=SAMPLE_RATE, buffersize_msec=self.buffer_ms, backends=backends,
                app_name="LoudSync")
        try:
            self._device = open_device(self._backends)
        except miniaudio.MiniaudioError as exc:
            log.info("no sound device (%s): playing silently", exc)   # callers say it
            self._device = open_device([miniaudio.Backend.NULL])
            self.silent = True
        generator = self._generate(render)
        next(generator)
        self._device.start(generator)

    def _generate(self, render: Render):
        frames = yield b""
        while True:
            measured = self.clock.now_precise_ms() * 1000 + self.buffer_ms * 1000
            if self._predicted_us is None or abs(measured - self._predicted_us) > 50_000:
                leave = measured   # the first period, or the stream really broke
            elif measured < self._predicted_us:
                leave = self._predicted_us   # an early call fills the buffer ahead: no gap
            else:
                leave = self._predicted_us + 0.02 * (measured - self._predicted_us)
            self._predicted_us = leave + frames / SAMPLE_RATE * 1e6
            frames = yield render(frames, leave)

    def stop(self) -> None:
        if self._device is not None:
            self._device.close()
            self._device = None
