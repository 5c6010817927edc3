"""The host's side of a party: server, discovery, playback and speakers, in one lifecycle.

  HostController(server) --start()--> hosting --stop()--> stopped

``start`` raises PortInUse or OSError when the port cannot be had (nothing is
left running then). ``stop`` is the one ordered way out: speakers, playback,
then SESSION_CLOSED to every guest while discovery says goodbye (closing can
wait ~2 s for a guest that vanished, and an ended party must not stay listed
that long), and the port freed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from collections.abc import Callable

from ..audio.engine import PlaybackEngine
from ..guard import FailureSink, TaskOwner, call_listener
from ..net.addresses import DEFAULT_PORT
from ..net.discovery import Advertiser
from ..net.playback_host import HostPlayback
from ..net.server import HostServer
from ..persistence import SessionStore
from ..protocol import messages as m
from ..protocol.events import ConnId
from ..protocol.codes import generate_session_id
from ..protocol.host import HostConfig
from ..protocol.stream import DEFAULT_CODEC, DEFAULT_LEAD_US
from .events import DiscoveryOff
from .speakers import OutputFactory, Speakers, default_output

log = logging.getLogger(__name__)

HostListener = Callable[[object], None]   # core events (MemberJoined, ...) and ControlEvents


@dataclass(frozen=True)
class HostOptions:
    port: int = DEFAULT_PORT
    bind: str = "0.0.0.0"
    discovery: bool = True
    wait_for_mdns: bool = True      # False: UDP beacons find the party at once anyway
    audio_output: OutputFactory | None = default_output   # None: this computer stays silent
    codec: str = DEFAULT_CODEC      # the party's stream codec (playback/2): opus, flac or pcm
    buffer_ms: int = DEFAULT_LEAD_US // 1000   # how far ahead of playing the host sends audio


def party_config(*, party_name: str, host_name: str, host_id: str, max_members: int,
                 heartbeat_timeout_ms: int, grace_ms: int, access: str = "open",
                 pin: str | None = None) -> HostConfig:
    """A new party's config (names already cleaned); raises LocalProtocolError."""
    return HostConfig(session_id=generate_session_id(), session_name=party_name,
                      host_id=host_id, host_name=host_name, max_members=max_members,
                      heartbeat_timeout_ms=heartbeat_timeout_ms, grace_ms=grace_ms,
                      access=access, pin=pin if access == "pin" else None)


class HostController:
    def __init__(self, server: HostServer, options: HostOptions | None = None, *,
                 on_event: HostListener = lambda event: None,
                 on_failure: FailureSink | None = None) -> None:
        self.server = server
        self.options = options or HostOptions()
        self._on_event = on_event
        self._on_failure = on_failure
        self._tasks = TaskOwner(on_failure)
        self.advertiser: Advertiser | None = None
        self.playback: HostPlayback | None = None
        self.speakers: Speakers | None = None
        self._stopped = False

    @classmethod
    def new(cls, config: HostConfig, options: HostOptions | None = None,
            store: SessionStore | None = None, **kwargs) -> HostController:
        options = options or HostOptions()
        return cls(HostServer(config, port=options.port, bind=options.bind, store=store),
                   options, **kwargs)

    @classmethod
    def resume(cls, saved: dict, options: HostOptions | None = None,
               store: SessionStore | None = None, **kwargs) -> HostController:
        """The party a crashed host saved (raises LoudSyncError if it cannot be restored)."""
        options = options or HostOptions()
        return cls(HostServer.resume(saved, bind=options.bind, store=store), options, **kwargs)

    @property
    def config(self) -> HostConfig:
        return self.server.config

    @property
    def members(self) -> list[m.Member]:
        return self.server.members

    def _emit(self, event: object) -> None:
        call_listener(self._on_event, event, on_failure=self._on_failure)

    async def start(self) -> None:
        await self.server.start()   # PortInUse / OSError: nothing else was started
        self.server.add_listener(self._emit)
        if self.options.discovery:
            advertiser = Advertiser(self.server)
            try:
                await advertiser.start(wait_for_mdns=self.options.wait_for_mdns)
                self.advertiser = advertiser
            except OSError as exc:   # no multicast here: still joinable by address
                log.warning("discovery unavailable: %s", exc)
                await advertiser.stop()
                self._emit(DiscoveryOff(str(exc)))
        engine = PlaybackEngine(lead_us=self.options.buffer_ms * 1000)
        self.playback = HostPlayback(self.server, engine, codec=self.options.codec,
                                     lead_us=self.options.buffer_ms * 1000)
        self.playback.on_failure = self._on_failure
        self.playback.skipped.add(self._emit)
        self.speakers = Speakers(self.options.audio_output, self.server.clock, engine.render,
                                 self._emit)
        self.speakers.follow(self.playback)

    def spawn(self, coro, name: str | None = None) -> asyncio.Task:
        """A task of this party (e.g. adding a track): watched, and cancelled by stop()."""
        return self._tasks.spawn(coro, name)

    # -- the host's decisions -----------------------------------------------------------------
    def approve(self, conn: ConnId) -> None:
        self.server.approve(conn)

    def decline(self, conn: ConnId) -> None:
        self.server.decline(conn)

    def remove(self, device_id: str) -> None:
        """The guest gets REMOVED_BY_HOST, the others MEMBER_LEFT."""
        self.server.remove(device_id)

    async def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        await self._tasks.cancel_all()
        if self.speakers is not None:
            self.speakers.stop()
        if self.playback is not None:
            await self.playback.stop()
        closing = asyncio.ensure_future(self.server.stop())
        if self.advertiser is not None:
            await self.advertiser.stop()
        await closing
