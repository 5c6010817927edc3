"""Helpers for the audio tests: small PCM ramps, sound files made with sox, polling."""

from __future__ import annotations

import array
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from collections.abc import Callable

import pytest

from loudsync_desktop.protocol.playback import SAMPLE_RATE, PlayState, Track
from tests.support import DEADLINE_S

FRAME_US = 1e6 / SAMPLE_RATE


def lefts(data: bytes | array.array) -> list[int]:
    """The left samples of 16-bit stereo PCM (for ramps: the source frames)."""
    samples = data if isinstance(data, array.array) else array.array("h", data)
    return list(samples[0::2])


def track(track_id: str = "t" * 20, duration_ms: int = 500) -> Track:
    return Track(track_id, "Ramp", "", duration_ms, 0, "wav")


def playing(t: Track, start_at_us: int, seq: int = 1, effective_at_us: int = 0,
            volume: float = 1.0) -> PlayState:
    return PlayState((t,), 0, True, start_at_us=start_at_us, seq=seq,
                     effective_at_us=effective_at_us, volume=volume)


def paused(t: Track, position_ms: int, seq: int, effective_at_us: int) -> PlayState:
    return PlayState((t,), 0, False, position_ms=position_ms, seq=seq,
                     effective_at_us=effective_at_us)


def sox(*args: Any) -> None:
    """Run sox (scripts/setup.sh test installs it); skip if it is not on PATH."""
    if shutil.which("sox") is None:
        pytest.skip("sox is not installed (scripts/setup.sh test installs it)")
    subprocess.run(["sox", *map(str, args)], check=True, capture_output=True, timeout=60)


def sine_file(path: Path, seconds: float = 1.0, rate: int = 44_100, channels: int = 1) -> Path:
    sox("-n", "-r", rate, "-c", channels, path, "synth", seconds, "sine", 440, "vol", 0.5)
    return path


def wait_for(predicate: Callable[[], Any], timeout: float = DEADLINE_S, interval: float = 0.01,
             what: str = "condition") -> Any:
    """Poll ``predicate`` (from a plain thread) until truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
