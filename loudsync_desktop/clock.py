"""Injectable clocks. Everything that needs ``now`` asks a Clock, never ``time`` directly.

``SystemClock`` reads wall-clock milliseconds anchored once to the monotonic
clock, so a wall-clock step (NTP, a user changing the time) cannot make
timeouts fire early or late. ``offset_ms`` and ``drift_ppm`` let tests give
each simulated laptop a clock of its own.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now_ms(self) -> int: ...

    def now_precise_ms(self) -> float: ...

    def seconds_until(self, deadline_ms: int) -> float: ...


# One anchor for the process, so clocks without offset or drift agree exactly:
# tests compare simulated laptops against this common truth.
_ANCHOR_MONO_NS = time.monotonic_ns()
_ANCHOR_WALL_MS = time.time_ns() / 1e6


class SystemClock:
    def __init__(self, offset_ms: float = 0.0, drift_ppm: float = 0.0) -> None:
        self._anchor_mono_ns = _ANCHOR_MONO_NS
        self._anchor_wall_ms = _ANCHOR_WALL_MS + offset_ms
        self._rate = 1.0 + drift_ppm / 1e6

    def now_precise_ms(self) -> float:
        return self.reading_at(time.monotonic_ns())

    def now_us(self) -> int:
        return int(self.now_precise_ms() * 1000)

    def reading_at(self, monotonic_ns: int) -> float:
        """What this clock showed (in ms) at a given ``time.monotonic_ns()``."""
        elapsed_ms = (monotonic_ns - self._anchor_mono_ns) / 1e6
        return self._anchor_wall_ms + elapsed_ms * self._rate

    def now_ms(self) -> int:
        return int(self.now_precise_ms())

    def seconds_until(self, deadline_ms: int) -> float:
        """Real seconds to wait until this clock shows ``deadline_ms``."""
        return max(0.0, (deadline_ms - self.now_precise_ms()) / 1000 / self._rate)
