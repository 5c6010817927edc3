"""Helpers for the playback core tests: tracks, players and simulated clock exchanges."""

from __future__ import annotations

import random
from dataclasses import replace
from collections.abc import Callable, Iterator

from loudsync_desktop.protocol.playback import SAMPLE_RATE, HostPlayer, PlayState, Track

FRAME_US = 1e6 / SAMPLE_RATE
EPOCH_US = 1_760_000_000_000_000.0   # clocks read like wall clocks: float precision matters

A = Track("a" * 20, "Alpha", "The Band", 180_000, 3_000_000, "flac")
B = Track("b" * 20, "Beta", "", 200_000, 4_000_000, "mp3")
C = Track("c" * 20, "Gamma", "Other", 5_000, 100_000, "ogg")


def track(name: str, duration_ms: int) -> Track:
    return Track(name.ljust(20, "-")[:20], name, "", duration_ms, 1000, "wav")


def player_with(*tracks: Track, lead_us: int | None = None) -> HostPlayer:
    player = HostPlayer() if lead_us is None else HostPlayer(lead_us=lead_us)
    for t in tracks:
        player.add(t)
    return player


def state_at(state: PlayState, **changes) -> PlayState:
    return replace(state, **changes)


def one_way_delay_us(rnd: random.Random, base_us: float = 120.0) -> float:
    """A base delay plus queueing that differs every time and in each direction."""
    return base_us + rnd.expovariate(1 / 250.0)


def host_clock_exchanges(rnd: random.Random, offset_us: float, drift_ppm: float,
                         seconds: float, per_second: int = 10, base_us: float = 120.0
                         ) -> Iterator[tuple[float, Callable[[float], float], tuple]]:
    """Simulated CLOCK_PING/PONG exchanges between a guest and its host.

    True time T (µs) starts at 0; the host's clock reads EPOCH_US + T, the guest's
    EPOCH_US - offset_us + T * (1 + drift_ppm/1e6): the host is ``offset_us`` ahead
    at the start. Yields (t0, host_of, (t0, t1, t2, t3)) where ``host_of(local)`` is
    the host's true reading when the guest's clock shows ``local``.
    """
    rate = 1 + drift_ppm / 1e6

    def local(t: float) -> float:
        return EPOCH_US - offset_us + t * rate

    def host(t: float) -> float:
        return EPOCH_US + t

    def host_of(local_us: float) -> float:
        return host((local_us - EPOCH_US + offset_us) / rate)

    t = 0.0
    while t < seconds * 1e6:
        t += 1e6 / per_second * rnd.uniform(0.9, 1.1)
        up, down = one_way_delay_us(rnd, base_us), one_way_delay_us(rnd, base_us)
        busy = rnd.uniform(5, 30)
        exchange = (local(t), host(t + up), host(t + up + busy), local(t + up + busy + down))
        yield exchange[0], host_of, exchange
