"""Measuring sync: when did each device play each sample, on the true timeline?

(Test support: used by tests, bench/sync.py and scripts; not part of the app.)

A SyncRecorder pairs every period a TestOutputDevice emits with the stream's
timeline frames the engine put in it (and whether they were audio), and notes
the true instant (the host's clock, read at the device's real emission time)
the period's first frame left the speaker (what actually came out, by content:
testsupport.speaker). Comparing recorders at the same true instants gives the
inter-device error: how far apart in the song two speakers are.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field

from loudsync_desktop.audio.devices import Emitted, TestOutputDevice
from loudsync_desktop.audio.engine import PlaybackEngine
from loudsync_desktop.clock import SystemClock
from loudsync_desktop.protocol.playback import SAMPLE_RATE
from loudsync_desktop.protocol.stream import Period

from .relay import TcpRelay
from .speaker import SpeakerCapture


@dataclass(frozen=True)
class Played:
    true_us: float        # host-clock instant the period's first frame left the speaker
    track_id: str | None  # "stream" when the period held audio, None when it was silent
    start: int            # its first timeline frame (host µs x rate)
    correction: int
    resynced: bool


class SyncRecorder:
    def __init__(self, name: str, device: TestOutputDevice, engine: PlaybackEngine,
                 truth: SystemClock) -> None:
        self.name = name
        self.truth = truth
        self.played: list[Played] = []
        self._pending: list[Period] = []
        self._lock = threading.Lock()
        engine.on_period = self._period
        device.on_emit = self._emitted

    def _period(self, period: Period, host_us: float) -> None:
        self._pending = [period]

    def _emitted(self, emitted: Emitted) -> None:
        parts, self._pending = self._pending, []
        true_us = self.truth.reading_at(emitted.true_ns) * 1000
        with self._lock:
            for p in parts:
                self.played.append(Played(true_us, "stream" if p.filled else None, p.start,
                                          p.correction, p.resynced))

    def position_at(self, true_us: float) -> tuple[str | None, float] | None:
        """("stream", timeline frame) this device was playing at a true instant (None when
        it was silent)."""
        with self._lock:
            times = [x.true_us for x in self.played]
            i = bisect.bisect_right(times, true_us) - 1
            if i < 0 or i + 1 >= len(self.played):
                return None
            p = self.played[i]
        if p.track_id is None:
            return None
        return p.track_id, p.start + (true_us - p.true_us) * SAMPLE_RATE / 1e6

    def resyncs(self) -> int:
        return sum(1 for x in self.played if x.resynced)

    def corrections(self) -> int:
        return sum(1 for x in self.played if x.correction)


def errors_ms(reference: SyncRecorder, other: SyncRecorder, from_us: float, to_us: float,
              step_us: float = 20_000) -> list[float]:
    """|position difference| in ms at instants where both play audio."""
    out = []
    t = from_us
    while t < to_us:
        a, b = reference.position_at(t), other.position_at(t)
        if a is not None and b is not None and a[0] == b[0]:
            out.append(abs(a[1] - b[1]) * 1000 / SAMPLE_RATE)
        t += step_us
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@dataclass(frozen=True)
class Laptop:
    """A simulated laptop: its clock's offset and drift, and its sound card's rate error."""

    name: str
    offset_ms: float = 0.0
    drift_ppm: float = 0.0
    card_ppm: float = 0.0
    joins_at_s: float = 0.0   # > 0: a late joiner


@dataclass
class PartyRun:
    recorders: dict[str, SyncRecorder]
    play_pressed_us: float
    joined_us: dict[str, float]
    playback: object
    servers: list
    guest_playbacks: list = field(default_factory=list)
    speakers: dict[str, SpeakerCapture] = field(default_factory=dict)   # what each emitted

    @property
    def rtt_samples_us(self) -> list[list[float]]:
        return [[x.rtt_us for x in gp.sync.samples] for gp in self.guest_playbacks]


async def run_party(track_path, guests: list[Laptop], seconds: float, *,
                    host: Laptop = Laptop("host"), bind: str = "127.0.0.1",
                    host_address: str = "127.0.0.1", actions=None,
                    jitter_ms: float = 0.0, stall_at_s: float | None = None,
                    stall_ms: float = 0.0, codec: str = "opus") -> PartyRun:
    """Host and guests in this process on loopback, playing ``track_path`` for ``seconds``.

    ``actions``: optional list of (at_s, callable(playback)) to pause, seek, skip...
    ``jitter_ms``: each guest reaches the host through a TcpRelay adding jitter (with an
    optional stall of ``stall_ms`` at ``stall_at_s`` after the start).
    Every device's output is also kept as it left the speaker (``PartyRun.speakers``).
    """
    import asyncio

    from loudsync_desktop.net.guest_link import GuestLink
    from loudsync_desktop.net.playback_guest import GuestPlayback
    from loudsync_desktop.net.playback_host import HostPlayback
    from loudsync_desktop.net.server import HostServer
    from loudsync_desktop.protocol import guest as g
    from loudsync_desktop.protocol.host import HostConfig
    from loudsync_desktop.protocol.stream import FEATURE

    host_clock = SystemClock(host.offset_ms, host.drift_ppm)
    server = HostServer(HostConfig(session_id="SYNC23", max_members=len(guests) + 1),
                        port=0, bind=bind, clock=host_clock)
    await server.start()
    host_engine = PlaybackEngine()
    playback = HostPlayback(server, host_engine, codec=codec)
    host_device = TestOutputDevice(host_clock, host.card_ppm)
    recorders = {host.name: SyncRecorder(host.name, host_device, host_engine, host_clock)}
    # The truth is the host's clock: the timeline every device aims at.
    speakers = {host.name: SpeakerCapture(host.name, host_device, host_clock)}
    host_device.start(speakers[host.name].wrap(host_engine.render))
    devices = [host_device]
    links, tasks, guest_playbacks = [], [], []
    joined: dict[str, float] = {}

    proxies: list[TcpRelay] = []

    async def join(laptop: Laptop) -> None:
        port = server.port
        if jitter_ms > 0 or stall_ms > 0:
            proxy = await TcpRelay(server.port, jitter_ms=jitter_ms, seed=len(proxies),
                                   stall_at_s=stall_at_s, stall_ms=stall_ms).start()
            port = proxy.port
            proxies.append(proxy)
        clock = SystemClock(laptop.offset_ms, laptop.drift_ppm)
        gp = GuestPlayback(clock)
        welcomed = asyncio.Event()
        link = GuestLink(session_id="SYNC23", device_id=laptop.name, device_name=laptop.name,
                         app_version="measure", host=host_address, port=port,
                         clock=clock, features=(FEATURE,), on_frame=gp.on_frame,
                         on_event=lambda e: welcomed.set() if isinstance(e, g.Welcomed) else None)
        tasks.append(asyncio.get_running_loop().create_task(link.run()))
        await asyncio.wait_for(welcomed.wait(), 10)
        gp.attach(link.send_text)
        device = TestOutputDevice(clock, laptop.card_ppm)
        recorders[laptop.name] = SyncRecorder(laptop.name, device, gp.engine, host_clock)
        speakers[laptop.name] = SpeakerCapture(laptop.name, device, host_clock)
        device.start(speakers[laptop.name].wrap(gp.engine.render))
        devices.append(device)
        links.append(link)
        guest_playbacks.append(gp)
        joined[laptop.name] = host_clock.now_precise_ms() * 1000

    try:
        for laptop in guests:
            if laptop.joins_at_s <= 0:
                await join(laptop)
        await playback.add_file(track_path)
        started = asyncio.get_running_loop().time()
        play_pressed = host_clock.now_precise_ms() * 1000
        playback.play()
        pending = sorted([(x.joins_at_s, x) for x in guests if x.joins_at_s > 0],
                         key=lambda p: p[0])
        todo = sorted(actions or [], key=lambda a: a[0])
        while asyncio.get_running_loop().time() - started < seconds:
            elapsed = asyncio.get_running_loop().time() - started
            while pending and pending[0][0] <= elapsed:
                await join(pending.pop(0)[1])
            while todo and todo[0][0] <= elapsed:
                todo.pop(0)[1](playback)
            await asyncio.sleep(0.05)
        return PartyRun(recorders, play_pressed, joined, playback, [server], guest_playbacks,
                        speakers)
    finally:
        for device in devices:
            device.stop()
        for gp in guest_playbacks:
            await gp.detach()
        for link in links:
            await link.leave()
        await asyncio.gather(*tasks, return_exceptions=True)
        await playback.stop()
        await server.stop()
        for proxy in proxies:
            await proxy.stop()


def first_sound_us(recorder: SyncRecorder, after_us: float) -> float | None:
    """When the first period holding audio left this device, after ``after_us``."""
    for p in recorder.played:
        if p.true_us >= after_us and p.track_id is not None:
            return p.true_us
    return None


def write_test_tone(path, seconds: float = 30.0, sample_rate: int = SAMPLE_RATE,
                    mark: int | None = None) -> None:
    """A stereo WAV whose samples count up (a ramp), so every position is distinct.

    Without ``mark`` both channels carry the ramp. With ``mark`` (1..511) the right
    channel says which file it is and which sweep of the ramp, so every frame names
    its file and its position (testsupport.speaker.read_frame)."""
    import array
    import wave

    frames = int(seconds * sample_rate)
    if mark is not None and not 1 <= mark < 512:
        raise ValueError("mark must be 1..511")
    sweep = array.array("h", range(-32768, 32768))
    left = array.array("h")
    while len(left) < frames:
        left.extend(sweep)
    del left[frames:]
    samples = array.array("h", bytes(frames * 4))
    samples[0::2] = left
    if mark is None:
        samples[1::2] = left
    else:
        right = array.array("h")
        for k in range(-(-frames // 65536)):
            right.extend(array.array("h", [mark * 64 + k]) * 65536)
        del right[frames:]
        samples[1::2] = right
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(samples.tobytes())
