"""This computer's sound card during a party: the one place that opens it."""

from __future__ import annotations

import logging
import os
from typing import Protocol
from collections.abc import Callable

from ..audio.devices import TEST_OUTPUT_ENV, MiniaudioOutputDevice, TestOutputDevice
from ..clock import Clock
from ..protocol.playback import PlayState
from .events import SpeakersSilent

log = logging.getLogger(__name__)


class OutputDevice(Protocol):
    def start(self, render: Callable) -> None: ...
    def stop(self) -> None: ...


OutputFactory = Callable[[Clock], OutputDevice]


def default_output(clock: Clock) -> OutputDevice:
    """The sound card; a TestOutputDevice instead when the environment variable
    ``LOUDSYNC_TEST_OUTPUT`` names a file.

    That variable is a test hook, not a setting: benchmarks and tests that run the CLI or
    the app as processes learn from it when sound first left (and keeps leaving) the
    output, as JSON lines appended to that file (see TestOutputDevice), instead of
    trusting a log line. Read when the speakers open, so it applies per process.
    """
    report_to = os.environ.get(TEST_OUTPUT_ENV)
    if report_to:
        return TestOutputDevice(clock, keep_emitted=False,  # type: ignore[arg-type]
                                report_to=report_to)
    return MiniaudioOutputDevice(clock)  # type: ignore[arg-type]  # it reads now_precise_ms


class Speakers:
    """Opens ``output`` with the party's first music, not before and only once: a card that
    failed is not retried on every change, and a party without music never opens one."""

    def __init__(self, output: OutputFactory | None, clock: Clock, render: Callable,
                 on_silent: Callable[[SpeakersSilent], None]) -> None:
        self._output = output
        self._clock = clock
        self._render = render
        self._on_silent = on_silent
        self._tried = output is None
        self.device: OutputDevice | None = None

    def follow(self, playback) -> None:
        """Open as soon as ``playback`` (HostPlayback or GuestPlayback) has a queue."""
        playback.add_listener(self.on_state)
        self.on_state(playback.state)

    def on_state(self, state: PlayState) -> None:
        if self._tried or not state.queue or self._output is None:
            return
        self._tried = True
        try:
            device = self._output(self._clock)
            device.start(self._render)
        except Exception as exc:  # noqa: BLE001 - the party goes on without sound here
            log.warning("no audio output: %s", exc)
            self._on_silent(SpeakersSilent(str(exc)))
            return
        self.device = device
        if getattr(device, "silent", False):
            self._on_silent(SpeakersSilent())

    def stop(self) -> None:
        self._tried = True   # closed for good: a late state change opens nothing
        device, self.device = self.device, None
        if device is not None:
            device.stop()
