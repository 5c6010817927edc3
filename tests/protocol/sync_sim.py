"""A deterministic simulation of a synchronised-playback party, for the sync tests.

No threads, no sockets, no sleeping: an event queue on a true timeline (µs).
The host runs a HostPlayer and a PlaybackEngine; every guest is a real
GuestPlayback fed with the frames the host would send (PLAYER_STATE,
CLOCK_PONG) after simulated network delays. Each laptop has a clock of its own
(offset and drift) and a sound card whose crystal is off; every 20 ms each card
asks its engine for a period, stamped with its own clock, exactly as
TestOutputDevice does. What each device played is recorded from the engine's
periods and checked against the audio itself (a ramp that names every frame).
"""

from __future__ import annotations

import array
import bisect
import heapq
import itertools
import random
from dataclasses import dataclass, field
from collections.abc import Callable

from loudsync_desktop.audio.engine import PlaybackEngine
from loudsync_desktop.audio.library import TrackLibrary
from loudsync_desktop.net import playback_guest
from loudsync_desktop.net.playback_guest import GuestPlayback
from loudsync_desktop.protocol.playback import (
    CHANNELS, SAMPLE_RATE, HostPlayer, OutputScheduler, PlayState, Track, clock_pong,
    player_state,
)

EPOCH_US = 1_760_000_000_000_000.0
PERIOD_FRAMES = 960
S = 1_000_000


# -- tracks whose every frame says what it is -----------------------------------------------
def ramp_pcm(number: int, frames: int) -> array.array:
    """Left: frame % 65536 - 32768; right: number * 64 + frame // 65536 (silence is 0, 0)."""
    block = array.array("h", bytes(65536 * 2 * CHANNELS))
    block[0::2] = array.array("h", range(-32768, 32768))
    out = array.array("h")
    for b in range(-(-frames // 65536)):
        part = array.array("h", block)
        part[1::2] = array.array("h", [number * 64 + b]) * 65536
        out += part
    del out[frames * CHANNELS:]
    return out


def frame_at(pcm_bytes: memoryview, index: int) -> tuple[int, int] | None:
    """(track number, source frame) an output frame carries; None for silence."""
    left, right = pcm_bytes[index * 2], pcm_bytes[index * 2 + 1]
    if left == 0 and right == 0:
        return None
    return right // 64, (right % 64) * 65536 + left + 32768


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


# -- what a device played ------------------------------------------------------------------
class RecordingScheduler(OutputScheduler):
    """An OutputScheduler that remembers which state each period was planned for."""

    last_state: PlayState | None = None

    def plan(self, state, first_frame_host_us, count):
        self.last_state = state
        return super().plan(state, first_frame_host_us, count)


@dataclass(frozen=True)
class Part:
    true_us: float          # true instant its first frame left the speaker
    frame_us: float         # true duration of one of its frames (the card's rate)
    host_us: float          # the device's own estimate of that instant, host clock
    track_id: str | None
    start: int
    count: int
    correction: int
    resynced: bool
    seq: int
    volume: float


class Device:
    """A laptop's sound card driving one PlaybackEngine, period by period."""

    def __init__(self, sim: Simulation, laptop: Laptop, engine: PlaybackEngine,
                 starts_us: float) -> None:
        self.sim, self.laptop, self.engine = sim, laptop, engine
        self.frame_us = 1e6 / (SAMPLE_RATE * (1 + laptop.card_ppm / 1e6))
        self.starts_us = starts_us
        self.parts: list[Part] = []
        self.part_times: list[float] = []
        self.audio_mismatches: list[str] = []
        self.periods = 0
        self.mute_periods: list[float] = []   # true µs of periods rendered unready after sounding
        engine.scheduler = RecordingScheduler()
        self._pending: list[tuple] = []
        engine.on_period = lambda period, host_us, offset: self._pending.append(
            (period, host_us, offset, engine.scheduler.last_state))
        sim.at(starts_us, self.render)

    def render(self) -> None:
        true_us = self.starts_us + self.periods * PERIOD_FRAMES * self.frame_us
        self._pending = []
        out = self.engine.render(PERIOD_FRAMES, self.laptop.clock(true_us))
        assert len(out) == PERIOD_FRAMES * CHANNELS * 2
        samples = memoryview(out).cast("h")
        if not self._pending and self.parts:
            self.mute_periods.append(true_us)   # the engine said it was not ready
        for period, host_us, offset, state in self._pending:
            part = Part(true_us + offset * self.frame_us, self.frame_us, host_us, period.track_id,
                        period.start, period.count, period.correction, period.resynced,
                        state.seq, state.volume)
            self.parts.append(part)
            self.part_times.append(part.true_us)
            self._check_audio(part, samples, offset)
        self.periods += 1
        self.sim.at(self.starts_us + self.periods * PERIOD_FRAMES * self.frame_us, self.render)

    def _check_audio(self, part: Part, samples: memoryview, offset: int) -> None:
        """The first and last frames of the part are the source frames the plan names."""
        if part.volume < 0.999:
            return   # scaled: the ramp no longer names frames
        number = self.sim.track_numbers.get(part.track_id)
        total = self.sim.track_frames.get(part.track_id, 0)
        for j in (0, part.count - 1):
            # Frame j plays source frame start + j, shifted by the correction after mid-way.
            source = part.start + j + (part.correction if j >= part.count // 2 else 0)
            expected = (number, source) if number is not None and 0 <= source < total else None
            got = frame_at(samples, offset + j)
            if got != expected:
                self.audio_mismatches.append(f"{self.laptop.name} at {part.true_us / S:.3f} s "
                                             f"frame {j}: {got} != {expected}")

    def position_at(self, true_us: float) -> tuple[str, float] | None:
        """(track, source frame) at a true instant; None for silence."""
        i = bisect.bisect_right(self.part_times, true_us) - 1
        if i < 0:
            return None
        p = self.parts[i]
        j = (true_us - p.true_us) / p.frame_us
        if p.track_id is None or j >= p.count:
            return None
        position = p.start + j + (p.correction if j >= p.count // 2 else 0)
        if not 0 <= position < self.sim.track_frames[p.track_id]:
            return None
        return p.track_id, position

    def first_part_of(self, seq: int, after_true_us: float) -> Part | None:
        i = bisect.bisect_left(self.part_times, after_true_us)
        return next((p for p in self.parts[i:] if p.seq >= seq), None)


# -- the party -----------------------------------------------------------------------------------
class Guest:
    def __init__(self, sim: Simulation, laptop: Laptop) -> None:
        self.sim, self.laptop = sim, laptop
        self.playback = GuestPlayback(clock=None)
        self.device: Device | None = None
        self.joined_us = laptop.joins_at_s * S
        self.pings = 0
        sim.at(self.joined_us, self.join)

    def join(self) -> None:
        sim = self.sim
        # The host welcomes it with the state and the files of the queue.
        self.receive(player_state(sim.player.state), self.joined_us)
        self.receive_files(self.joined_us)
        self.device = Device(sim, self.laptop, self.playback.engine, self.joined_us)
        sim.at(self.joined_us, self.ping)

    def receive(self, text: str, sent_us: float) -> None:
        arrive = self.sim.network.arrival((self.laptop.name, "down"), sent_us)
        self.sim.at(arrive, lambda: self.playback.on_frame(text, self.laptop.clock(arrive)))

    def receive_files(self, sent_us: float) -> None:
        arrive = self.sim.network.arrival((self.laptop.name, "down"), sent_us)
        tracks = [(t.track_id, self.sim.pcm[t.track_id]) for t in self.sim.player.state.queue]

        def store() -> None:
            for track_id, pcm in tracks:
                if self.playback.library.pcm(track_id) is None:
                    self.playback.library.add_complete(track_id, b"", pcm)
        self.sim.at(arrive, store)

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


class Simulation:
    def __init__(self, host: Laptop, guests: list[Laptop], tracks: list[tuple[Track, int]],
                 seed: int, stall_s: tuple[float, float] | None = None) -> None:
        self.now = 0.0
        self._queue: list = []
        self._ids = itertools.count()
        self.host = host
        self.network = Network(random.Random(seed),
                               stall=None if stall_s is None else (stall_s[0] * S, stall_s[1] * S))
        self.player = HostPlayer()
        self.pcm: dict[str, array.array] = {}
        self.track_numbers: dict[str, int] = {}
        self.track_frames: dict[str, int] = {}
        self.tracks = [t for t, _ in tracks]
        for t, number in tracks:
            frames = t.duration_ms * SAMPLE_RATE // 1000
            self.pcm[t.track_id] = ramp_pcm(number, frames)
            self.track_numbers[t.track_id] = number
            self.track_frames[t.track_id] = frames
        self.host_library = TrackLibrary()
        self.host_engine = PlaybackEngine(self.host_library)
        self.host_device = Device(self, host, self.host_engine, 0.0)
        self.guests = [Guest(self, laptop) for laptop in guests]
        self.published: list[tuple[float, PlayState]] = []   # (true µs sent, state)

    # event queue
    def at(self, true_us: float, action: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (true_us, next(self._ids), action))

    def run_until(self, true_us: float) -> None:
        while self._queue and self._queue[0][0] <= true_us:
            self.now, _, action = heapq.heappop(self._queue)
            action()
        self.now = true_us

    # the host's side (what HostPlayback does)
    def host_now(self) -> int:
        return int(self.host.clock(self.now))

    def command(self, at_s: float, do: Callable[[HostPlayer, int], PlayState | None]) -> None:
        def run() -> None:
            before = self.player.state
            state = do(self.player, self.host_now())
            if state is not None and state is not before:
                self.publish(state)
        self.at(at_s * S, run)

    def add_tracks(self, at_s: float) -> None:
        def run() -> None:
            for t in self.tracks:
                self.host_library.add_complete(t.track_id, b"", self.pcm[t.track_id])
                self.publish(self.player.add(t))
            for guest in self.joined_guests():
                guest.receive_files(self.now)
        self.at(at_s * S, run)

    def joined_guests(self) -> list[Guest]:
        return [g for g in self.guests if g.joined_us <= self.now]

    def publish(self, state: PlayState) -> None:
        self.published.append((self.now, state))
        self.host_engine.state = state
        text = player_state(state)
        for guest in self.joined_guests():
            guest.receive(text, self.now)
        deadline = self.player.next_deadline_us()
        if deadline is not None:
            self.at(max(self.now, self.host.true_of(deadline)), self.tick)

    def tick(self) -> None:
        changed = self.player.tick(self.host_now())
        if changed is not None:
            self.publish(changed)

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
        da, db = self.devices[a], self.devices[b]
        out = []
        t = from_s * S
        while t < to_s * S:
            i = bisect.bisect_left(switches, t - avoid_us)
            if i < len(switches) and switches[i] <= t + avoid_us:
                t += step_ms * 1000
                continue
            pa, pb = da.position_at(t), db.position_at(t)
            if pa is not None and pb is not None and pa[0] == pb[0]:
                out.append((t / S, abs(pa[1] - pb[1]) * 1000 / SAMPLE_RATE))
            t += step_ms * 1000
        return out
