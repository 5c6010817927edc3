"""A deterministic simulation of a streaming party, for the sync tests.

No threads, no sockets, no sleeping: an event queue on a true timeline (µs).
The host is the real HostPlayback (reading real files, cutting and stamping the
stream, PCM so every frame stays exact), behind a SimServer that delivers what
it sends after simulated network delays; its pump runs every 10 ms of simulated
time. Every guest is a real GuestPlayback fed with those frames. Each laptop has
a clock of its own (offset and drift) and a sound card whose crystal is off;
every 20 ms each card asks its engine for a period, stamped with its own clock,
exactly as TestOutputDevice does, and a SpeakerCapture keeps what came out at
the true instant it came out. The tracks are marked ramps: every frame heard
names its track and its position.
"""

from __future__ import annotations

import asyncio
import bisect
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from loudsync_desktop.audio.devices import Emitted
from loudsync_desktop.audio.engine import PlaybackEngine
from loudsync_desktop.net import playback_guest
from loudsync_desktop.net.playback_guest import GuestPlayback
from loudsync_desktop.net.playback_host import PUMP_INTERVAL_S, HostPlayback
from loudsync_desktop.protocol import events as ev
from loudsync_desktop.protocol.playback import SAMPLE_RATE, HostPlayer, PlayState, clock_pong
from loudsync_desktop.protocol.stream import Period
from testsupport.speaker import SpeakerCapture, distance_ms

EPOCH_US = 1_760_000_000_000_000.0
PERIOD_FRAMES = 960
S = 1_000_000


# -- laptops, clocks, network ----------------------------------------------------------------
@dataclass(frozen=True)
class Laptop:
    name: str
    offset_s: float = 0.0      # its clock minus the true time
    drift_ppm: float = 0.0
    card_ppm: float = 0.0
    joins_at_s: float = 0.0

    def clock(self, true_us: float) -> float:
        return EPOCH_US + self.offset_s * S + true_us * (1 + self.drift_ppm / 1e6)

    def true_of(self, reading_us: float) -> float:
        return (reading_us - EPOCH_US - self.offset_s * S) / (1 + self.drift_ppm / 1e6)


@dataclass
class Network:
    """Per-direction delays: a base, random queueing (different each way and each
    time), occasional spikes and one stall; TCP keeps each direction in order."""

    rnd: random.Random
    base_us: float = 150.0
    jitter_mean_us: float = 300.0
    spike_probability: float = 0.02
    spike_us: float = 20_000.0
    stall: tuple[float, float] | None = None      # true µs [start, end): nothing gets through
    _last: dict = field(default_factory=dict)
    spikes: int = 0

    def arrival(self, direction: tuple, sent_us: float) -> float:
        delay = self.base_us + self.rnd.expovariate(1 / self.jitter_mean_us)
        if self.rnd.random() < self.spike_probability:
            delay += self.spike_us
            self.spikes += 1
        arrive = sent_us + delay
        if self.stall is not None and sent_us < self.stall[1] and arrive >= self.stall[0]:
            arrive = max(arrive, self.stall[1] + self.base_us)
        arrive = max(arrive, self._last.get(direction, 0.0))
        self._last[direction] = arrive
        return arrive


class TrueTime:
    """The 'truth' a SpeakerCapture reads emission instants with: the simulation's µs."""

    @staticmethod
    def reading_at(true_ns: int) -> float:
        return true_ns / 1e6   # ms


# -- a sound card ----------------------------------------------------------------------------
class Device:
    """A laptop's sound card driving one PlaybackEngine, period by period; what it emits
    goes through a SpeakerCapture, what the engine planned into ``planned``."""

    def __init__(self, sim: Simulation, laptop: Laptop, engine: PlaybackEngine,
                 starts_us: float) -> None:
        self.sim, self.laptop, self.engine = sim, laptop, engine
        self.rate = SAMPLE_RATE * (1 + laptop.card_ppm / 1e6)    # as TestOutputDevice has it
        self.frame_us = 1e6 / self.rate
        self.on_emit: Callable[[Emitted], None] | None = None
        self.speaker = SpeakerCapture(laptop.name, self, TrueTime())  # type: ignore[arg-type]
        self._render = self.speaker.wrap(engine.render)
        self.starts_us = starts_us
        self.periods = 0
        self.planned: list[tuple[float, Period]] = []           # (true µs, period)
        engine.on_period = lambda period, host_us: self.planned.append((self._true_us, period))
        self._true_us = starts_us
        sim.at(starts_us, self.render)

    def render(self) -> None:
        self._true_us = true_us = self.starts_us + self.periods * PERIOD_FRAMES * self.frame_us
        self._render(PERIOD_FRAMES, self.laptop.clock(true_us))
        assert self.on_emit is not None
        self.on_emit(Emitted(round(true_us * 1000), PERIOD_FRAMES))
        self.periods += 1
        self.sim.at(self.starts_us + self.periods * PERIOD_FRAMES * self.frame_us, self.render)


# -- the host's side: the real HostPlayback behind a simulated server -------------------------
class SimClock:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim

    def now_precise_ms(self) -> float:
        return self.sim.host.clock(self.sim.now) / 1000


class SimServer:
    """What HostPlayback needs of a HostServer: the host's clock, its events, and a
    ``send_to`` whose frames reach the guest after the network's delay."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.clock = SimClock(sim)
        self.core = self                     # has_feature: every simulated guest plays
        self._listeners: list[Callable[[ev.HostEvent], None]] = []
        self.sent_bytes = 0

    def add_listener(self, listener: Callable[[ev.HostEvent], None]) -> None:
        self._listeners.append(listener)

    def has_feature(self, member_id: str, feature: str) -> bool:
        return True

    def joined(self, name: str) -> None:
        for listener in self._listeners:
            listener(ev.MemberJoined(SimpleNamespace(id=name)))  # type: ignore[arg-type]

    def send_to(self, device_id: str, frame: str | bytes) -> bool:
        self.sent_bytes += len(frame)
        self.sim.guest(device_id).receive(frame, self.sim.now)
        return True

    def backlog_bytes(self, device_id: str) -> int:
        return 0                              # the simulated link takes everything at once


class _DrivenPump:
    """Stands for HostPlayback's pump task: the simulation calls the pump itself."""

    def cancel(self) -> None:
        pass


# -- the guests ------------------------------------------------------------------------------------
class Guest:
    def __init__(self, sim: Simulation, laptop: Laptop) -> None:
        self.sim, self.laptop = sim, laptop
        self.playback = GuestPlayback(clock=None)  # type: ignore[arg-type]  # pings: ours
        self.device: Device | None = None
        self.joined_us = laptop.joins_at_s * S
        self.pings = 0
        sim.at(self.joined_us, self.join)

    def join(self) -> None:
        self.device = Device(self.sim, self.laptop, self.playback.engine, self.joined_us)
        self.sim.server.joined(self.laptop.name)
        self.sim.at(self.joined_us, self.ping)

    def receive(self, frame: str | bytes, sent_us: float) -> None:
        arrive = self.sim.network.arrival((self.laptop.name, "down"), sent_us)
        self.sim.at(arrive, lambda: self.playback.on_frame(frame, self.laptop.clock(arrive)))

    def ping(self) -> None:
        """CLOCK_PING now; the host answers when it arrives; the pong comes back."""
        sim, now = self.sim, self.sim.now
        self.exchange(sim.network.arrival((self.laptop.name, "up"), now))
        self.pings += 1
        fast = now - self.joined_us < playback_guest.CONVERGE_S * S
        interval = playback_guest.FAST_PINGS_S if fast else playback_guest.SLOW_PINGS_S
        sim.at(now + interval * S, self.ping)

    def exchange(self, at_host: float, down_us: float | None = None) -> None:
        """A ping sent now reaches the host at ``at_host``; the pong comes back after
        the network's delay, or after ``down_us``."""
        sim, t0 = self.sim, int(self.laptop.clock(self.sim.now))

        def answer() -> None:
            t1 = int(sim.host.clock(at_host))
            text = clock_pong(t0, t1, t1)
            if down_us is None:
                self.receive(text, at_host)
                return
            direction = (self.laptop.name, "down")   # in order, as over TCP
            arrive = max(at_host + down_us, sim.network._last.get(direction, 0.0))
            sim.network._last[direction] = arrive
            sim.at(arrive, lambda: self.playback.on_frame(text, self.laptop.clock(arrive)))
        sim.at(at_host, answer)

    def lucky_exchange(self, at_s: float, one_way_us: float = 10.0) -> None:
        """At ``at_s``, one exchange far faster than the network ever is (every queue
        empty at once): the kind of outlier a real Wi-Fi link produces now and then."""
        self.sim.at(at_s * S, lambda: self.exchange(self.sim.now + one_way_us, one_way_us))


# -- the party -----------------------------------------------------------------------------------
class Simulation:
    def __init__(self, host: Laptop, guests: list[Laptop], files: list[Path],
                 seed: int, stall_s: tuple[float, float] | None = None) -> None:
        self.now = 0.0
        self._queue: list = []
        self._ids = itertools.count()
        self.host = host
        self.network = Network(random.Random(seed),
                               stall=None if stall_s is None else (stall_s[0] * S, stall_s[1] * S))
        self.files = files
        self.server = SimServer(self)
        self.host_engine = PlaybackEngine()
        self.playback = HostPlayback(self.server, self.host_engine, codec="pcm")  # type: ignore[arg-type]
        self.playback._pump_task = _DrivenPump()  # type: ignore[assignment]
        self.published: list[tuple[float, PlayState]] = []   # (true µs sent, state)
        self.playback.add_listener(lambda state: self.published.append((self.now, state)))
        self.host_device = Device(self, host, self.host_engine, 0.0)
        self.guests = [Guest(self, laptop) for laptop in guests]
        self._by_name = {g.laptop.name: g for g in self.guests}
        self.at(0.0, self.pump)

    @property
    def player(self) -> HostPlayer:
        return self.playback.player

    def guest(self, name: str) -> Guest:
        return self._by_name[name]

    # event queue
    def at(self, true_us: float, action: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (true_us, next(self._ids), action))

    def run_until(self, true_us: float) -> None:
        while self._queue and self._queue[0][0] <= true_us:
            self.now, _, action = heapq.heappop(self._queue)
            action()
        self.now = true_us

    # the host's side
    def pump(self) -> None:
        self.playback._pump(self.playback.now_us())
        self.at(self.now + PUMP_INTERVAL_S * S, self.pump)

    def command(self, at_s: float, do: Callable[[HostPlayback], None]) -> None:
        self.at(at_s * S, lambda: do(self.playback))

    def add_tracks(self, at_s: float) -> None:
        def run() -> None:
            for path in self.files:
                asyncio.run(self.playback.add_file(path))
        self.at(at_s * S, run)

    # looking at the result
    @property
    def devices(self) -> dict[str, Device]:
        out = {self.host.name: self.host_device}
        out.update({g.laptop.name: g.device for g in self.guests if g.device is not None})
        return out

    def switch_instants_us(self) -> list[float]:
        """True instants at which the timeline jumps (every state's effective instant)."""
        return [self.host.true_of(s.effective_at_us) for _, s in self.published]

    def errors_ms(self, a: str, b: str, from_s: float, to_s: float, step_ms: float = 10.0,
                  avoid_us: float = 3_000.0) -> list[tuple[float, float]]:
        """(true s, |position difference| ms) where both play the same track, away from
        the instants where the timeline jumps (there, a few µs apart is a whole seek)."""
        switches = sorted(self.switch_instants_us())
        sa, sb = self.devices[a].speaker, self.devices[b].speaker
        out = []
        t = from_s * S
        while t < to_s * S:
            i = bisect.bisect_left(switches, t - avoid_us)
            if i < len(switches) and switches[i] <= t + avoid_us:
                t += step_ms * 1000
                continue
            d = distance_ms(sa, sb, t)
            if d is not None:
                out.append((t / S, d))
            t += step_ms * 1000
        return out
