"""A playback party on loopback for the real-socket playback tests.

Like ``testsupport.measure.run_party`` but step by step, so a test can join guests when
it likes, drop or cut their connections, and look at every frame they received:
a host (HostServer + HostPlayback + a TestOutputDevice) and playback guests
(GuestLink listing playback/2 + GuestPlayback + a TestOutputDevice), each with a
clock and a sound card of its own, every device's output recorded against the
host's clock by a SyncRecorder (what the engine planned) and a SpeakerCapture
(what the speaker emitted).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from loudsync_desktop.audio.devices import TestOutputDevice
from loudsync_desktop.audio.engine import PlaybackEngine
from loudsync_desktop.clock import SystemClock
from loudsync_desktop.net.guest_link import GuestLink
from loudsync_desktop.net.playback_guest import GuestPlayback
from loudsync_desktop.net.playback_host import HostPlayback
from loudsync_desktop.net.server import HostServer
from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.host import HostConfig
from loudsync_desktop.protocol.stream import FEATURE
from tests.support import wait_until
from testsupport.measure import Laptop, SyncRecorder, errors_ms, percentile
from testsupport.relay import TcpRelay
from testsupport.speaker import SpeakerCapture

SID = "PLAY23"


@dataclass
class PartyGuest:
    laptop: Laptop
    clock: SystemClock
    playback: GuestPlayback
    link: GuestLink
    task: asyncio.Task
    device: TestOutputDevice
    recorder: SyncRecorder
    joined_us: float                          # host clock
    events: list = field(default_factory=list)
    binary_frames: list = field(default_factory=list)    # (host µs, the chunk's stamp µs)
    texts: list = field(default_factory=list)             # message types, in order

    def drop(self) -> None:
        """Its connection dies under it (reset), as when its Wi-Fi goes: it reconnects."""
        self.link._connection._ws.transport.abort()

    def reconnections(self) -> int:
        return sum(isinstance(e, g.Reconnected) for e in self.events)


class Party:
    def __init__(self, host: Laptop = Laptop("host", card_ppm=50), codec: str = "pcm") -> None:
        self.host_laptop = host
        self.codec = codec
        self.clock = SystemClock(host.offset_ms, host.drift_ppm)
        self.server: HostServer | None = None
        self.playback: HostPlayback | None = None
        self.guests: dict[str, PartyGuest] = {}
        self.recorders: dict[str, SyncRecorder] = {}
        self.speakers: dict[str, SpeakerCapture] = {}
        self._devices: list[TestOutputDevice] = []
        self._relays: list[TcpRelay] = []

    def now_us(self) -> float:
        return self.clock.now_precise_ms() * 1000

    async def start(self) -> Party:
        self.server = HostServer(HostConfig(session_id=SID, max_members=8), port=0,
                                 bind="127.0.0.1", clock=self.clock)
        await self.server.start()
        engine = PlaybackEngine()
        self.playback = HostPlayback(self.server, engine, codec=self.codec)
        device = TestOutputDevice(self.clock, self.host_laptop.card_ppm)
        self.recorders["host"] = SyncRecorder("host", device, engine, self.clock)
        self.speakers["host"] = SpeakerCapture("host", device, self.clock)
        device.start(self.speakers["host"].wrap(engine.render))
        self._devices.append(device)
        return self

    async def relay(self, **faults) -> TcpRelay:
        """A TcpRelay to the host (``faults``: its jitter and stall), stopped at the end."""
        relay = await TcpRelay(self.server.port, **faults).start()
        self._relays.append(relay)
        return relay

    async def join(self, laptop: Laptop, via: TcpRelay | None = None) -> PartyGuest:
        """A playback guest, welcomed, pinging and playing (through ``via``, a relay)."""
        clock = SystemClock(laptop.offset_ms, laptop.drift_ppm)
        gp = GuestPlayback(clock)
        binary, texts, events = [], [], []

        def on_frame(frame, arrived_us) -> None:
            if isinstance(frame, bytes):
                binary.append((self.now_us(), int.from_bytes(frame[1:9], "big", signed=True)))
            else:
                texts.append(frame[9:frame.index('"', 9)] if frame.startswith('{"type":"') else "?")
            gp.on_frame(frame, arrived_us)

        link = GuestLink(session_id=SID, device_id=laptop.name, device_name=laptop.name,
                         app_version="test", host="127.0.0.1",
                         port=via.port if via is not None else self.server.port,
                         clock=clock, features=(FEATURE,), on_frame=on_frame,
                         on_event=events.append,
                         policy=g.ReconnectPolicy(delays_ms=(0, 200, 500)))
        task = asyncio.get_running_loop().create_task(link.run(), name=f"link-{laptop.name}")
        await wait_until(lambda: task.done() or any(isinstance(e, g.Welcomed) for e in events),
                         what=f"{laptop.name} to be welcomed")
        assert not task.done(), task.result()
        gp.attach(link.send_text)
        device = TestOutputDevice(clock, laptop.card_ppm)
        recorder = SyncRecorder(laptop.name, device, gp.engine, self.clock)
        speaker = SpeakerCapture(laptop.name, device, self.clock)
        self.speakers[laptop.name] = speaker
        device.start(speaker.wrap(gp.engine.render))
        self._devices.append(device)
        guest = PartyGuest(laptop, clock, gp, link, task, device, recorder, self.now_us(),
                           events, binary, texts)
        self.guests[laptop.name] = guest
        self.recorders[laptop.name] = recorder
        return guest

    async def close(self) -> None:
        for device in self._devices:
            device.stop()
        for guest in self.guests.values():
            await guest.playback.detach()
            await guest.link.leave()
        await asyncio.gather(*(x.task for x in self.guests.values()), return_exceptions=True)
        for relay in self._relays:
            await relay.stop()
        if self.playback is not None:
            await self.playback.stop()
        if self.server is not None:
            await self.server.stop()

    # -- measuring ---------------------------------------------------------------------------
    def errors(self, name: str, from_us: float, to_us: float) -> list[float]:
        return errors_ms(self.recorders["host"], self.recorders[name], from_us, to_us)

    def switch_instant_us(self, name: str, after_us: float, silent: bool = False) -> float | None:
        """When a device first played a resynced period (or silence) after ``after_us``."""
        for p in list(self.recorders[name].played):
            if p.true_us >= after_us and (p.track_id is None if silent else p.resynced):
                return p.true_us
        return None


def summary(errors: list[float]) -> str:
    if not errors:
        return "no samples"
    return (f"median {percentile(errors, 0.5):.3f} p99 {percentile(errors, 0.99):.3f} "
            f"max {max(errors):.3f} ms over {len(errors)} samples")


async def wait_all_have(party: Party, track_id: str, timeout: float = 15.0) -> None:
    await wait_until(lambda: all(any(t.track_id == track_id for t in x.playback.state.queue)
                                 for x in party.guests.values()),
                     timeout=timeout, what=f"every guest to have {track_id} queued")


__all__ = ["Laptop", "Party", "PartyGuest", "summary", "wait_all_have"]
