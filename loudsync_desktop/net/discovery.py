"""Discovery services: the host's Advertiser and the guest's DiscoveryService.

Both combine mDNS (zeroconf) and UDP beacons. The guest side feeds every
sighting into the pure DiscoveryTable and probes silent parties with
``GET /session``, since a killed host's mDNS records stay cached.
"""

from __future__ import annotations

import asyncio
import logging

from zeroconf.asyncio import AsyncZeroconf

from ..clock import Clock, SystemClock
from ..protocol import events as ev
from ..protocol.discovery import (
    PROBE_TIMEOUT_MS, Announcement, DiscoveredSession, DiscoveryTable, announcement_from_json,
)
from ..protocol.events import DiscoveryEvent, DiscoveryListener, SessionFound, SessionUpdated
from .addresses import local_ipv4_addresses
from .client import HostUnreachable, fetch_session_info
from .mdns import MdnsAdvertiser, MdnsBrowser
from .udp import BeaconSender, UdpScanner, local_networks

log = logging.getLogger(__name__)

MAINTENANCE_INTERVAL_S = 0.25
UPDATE_COALESCE_S = 0.2
REDISCOVER_AFTER_S = (0.5, 1.5, 5.0)   # repeat DISCOVER in case the first was lost


def _announcement_of(server) -> Announcement:
    obj = server.announcement()
    announcement = announcement_from_json(obj)
    assert announcement is not None, obj
    return announcement


class Advertiser:
    """Makes a running HostServer findable: mDNS record + UDP beacons, kept current."""

    def __init__(self, server, *, mdns: bool = True, udp: bool = True) -> None:
        self._server = server
        self._use_mdns = mdns
        self._use_udp = udp
        self._zc: AsyncZeroconf | None = None
        self._mdns: MdnsAdvertiser | None = None
        self._beacons: BeaconSender | None = None
        self._pending_update: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task] = set()
        self._registering: asyncio.Task | None = None

    @property
    def instance_name(self) -> str | None:
        return self._mdns.instance_name if self._mdns else None

    async def start(self, wait_for_mdns: bool = True) -> None:
        """Start advertising. ``wait_for_mdns=False`` returns once UDP is up and lets the
        ~1.5 s of mDNS name probing finish in the background (the GUI's choice)."""
        if self._use_udp:
            self._beacons = BeaconSender(lambda: _announcement_of(self._server))
            await self._beacons.start()
        if self._use_mdns:
            self._zc = AsyncZeroconf()
            self._mdns = MdnsAdvertiser(self._zc)
            # Probing for a unique name takes ~1.5 s, while UDP already makes the party
            # findable: the caller chooses whether to wait for it.
            self._registering = asyncio.get_running_loop().create_task(self._register())
        self._server.add_listener(self._on_host_event)
        if wait_for_mdns:
            await self.registered()

    async def _register(self) -> None:
        assert self._mdns is not None   # made before this task starts
        try:
            await self._mdns.register(_announcement_of(self._server), local_ipv4_addresses())
        except Exception:  # mDNS is one of two ways to be found; UDP goes on
            log.exception("mDNS registration failed")
            return
        self._push_update()   # members who joined while the name was being probed

    async def registered(self) -> None:
        """Wait until the mDNS record is up (tests and benchmarks)."""
        if self._registering is not None:
            await asyncio.shield(self._registering)

    def _on_host_event(self, event: ev.HostEvent) -> None:
        if isinstance(event, (ev.MemberJoined, ev.MemberLeft)):
            if self._beacons is not None:
                self._beacons.send_soon()
            if self._pending_update is None:  # coalesce a burst of joins into one update
                loop = asyncio.get_running_loop()
                self._pending_update = loop.call_later(UPDATE_COALESCE_S, self._push_update)

    def _push_update(self) -> None:
        self._pending_update = None
        if self._mdns is None:
            return
        task = asyncio.get_running_loop().create_task(
            self._mdns.update(_announcement_of(self._server), local_ipv4_addresses()))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        """Goodbyes: mDNS unregister and UDP BYE, then release everything."""
        if self._pending_update is not None:
            self._pending_update.cancel()
            self._pending_update = None
        if self._registering is not None:
            # A goodbye for a name that is still being probed: let the probe end first.
            await asyncio.gather(self._registering, return_exceptions=True)
            self._registering = None
        await asyncio.gather(*self._tasks, return_exceptions=True)
        # Beacons first: a beacon sent while the mDNS goodbye goes out (it takes
        # ~0.25 s) would bring the party back on scanners that already dropped it.
        if self._beacons is not None:
            await self._beacons.stop()
            self._beacons = None
        if self._mdns is not None:
            try:
                await self._mdns.unregister()
            except Exception:  # the goodbye is best effort; closing must go on
                log.exception("mDNS unregister failed")
            self._mdns = None
        if self._zc is not None:
            await self._zc.async_close()
            self._zc = None


class DiscoveryService:
    """Parties nearby, merged from mDNS and UDP; listeners get Found/Updated/Lost."""

    def __init__(self, *, clock: Clock | None = None, mdns: bool = True, udp: bool = True) -> None:
        self.clock = clock or SystemClock()
        self.table = DiscoveryTable(local_networks())
        self._use_mdns = mdns
        self._use_udp = udp
        self._listeners: list[DiscoveryListener] = []
        self._zc: AsyncZeroconf | None = None
        self._browser: MdnsBrowser | None = None
        self._udp: UdpScanner | None = None
        self._mdns_names: dict[str, Announcement] = {}   # service name -> last record
        self._mdns_addresses: dict[str, list[str]] = {}
        self._tasks: set[asyncio.Task] = set()

    @property
    def sessions(self) -> list[DiscoveredSession]:
        return self.table.sessions

    def add_listener(self, callback: DiscoveryListener) -> None:
        self._listeners.append(callback)

    def remove_listener(self, callback: DiscoveryListener) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    async def start(self) -> None:
        if self._use_udp:
            self._udp = UdpScanner(self._on_udp_announce, self._on_bye)
            await self._udp.start()
        if self._use_mdns:
            self._zc = AsyncZeroconf()
            self._browser = MdnsBrowser(self._zc, self._on_mdns_seen, self._on_mdns_gone)
            await self._browser.start()
        self._spawn(self._maintenance())
        if self._use_udp:
            self._spawn(self._rediscover())

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._browser is not None:
            await self._browser.stop()
            self._browser = None
        if self._zc is not None:
            await self._zc.async_close()
            self._zc = None
        if self._udp is not None:
            await self._udp.stop()
            self._udp = None

    def refresh(self) -> None:
        """Ask again at once (a user pressed Refresh)."""
        if self._udp is not None:
            self._udp.discover()

    async def find(self, session_id: str, timeout: float) -> DiscoveredSession | None:
        """Wait up to ``timeout`` s for the party with this id."""
        found = asyncio.Event()

        def watch(event: DiscoveryEvent) -> None:
            if isinstance(event, (SessionFound, SessionUpdated)) and \
                    event.session.session_id == session_id:
                found.set()

        self.add_listener(watch)
        try:
            if self.table.get(session_id) is None:
                await asyncio.wait_for(found.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            self.remove_listener(watch)
        return self.table.get(session_id)

    # -- sightings ---------------------------------------------------------------
    def _on_udp_announce(self, announcement: Announcement, source: str) -> None:
        self._emit(self.table.udp_seen(announcement, source, self.clock.now_ms()))

    def _on_bye(self, session_id: str) -> None:
        self._emit(self.table.gone(session_id, "Host ended the party"))

    def _on_mdns_seen(self, name: str, announcement: Announcement, addresses: list[str]) -> None:
        self._mdns_names[name] = announcement
        self._mdns_addresses[name] = addresses
        self._emit(self.table.mdns_seen(announcement, addresses, self.clock.now_ms()))

    def _on_mdns_gone(self, name: str) -> None:
        announcement = self._mdns_names.pop(name, None)
        self._mdns_addresses.pop(name, None)
        if announcement is not None:
            self._emit(self.table.gone(announcement.session_id, "Host ended the party"))

    # -- liveness ----------------------------------------------------------------
    async def _maintenance(self) -> None:
        while True:
            now = self.clock.now_ms()
            for session in self.table.due_probes(now):
                self._spawn(self._probe(session.announcement, list(session.addresses)))
            self._emit(self.table.expire(now))
            # mDNS records of a party we dropped stay cached without new events:
            # probe them now and then, so a host that was only unreachable comes back.
            for name, announcement in list(self._mdns_names.items()):
                if self.table.get(announcement.session_id) is None and \
                        not any(t.get_name() == f"revive-{name}" for t in self._tasks):
                    self._spawn(self._revive(name, announcement), name=f"revive-{name}")
            await asyncio.sleep(MAINTENANCE_INTERVAL_S)

    async def _probe(self, announcement: Announcement, addresses: list[str]) -> None:
        answer = await probe_any(addresses, announcement.port, announcement.session_id)
        if answer is None:
            self._emit(self.table.probe_failed(announcement.session_id))
            return
        address, fresh = answer
        self._emit(self.table.probe_ok(fresh, address, self.clock.now_ms()))

    async def _revive(self, name: str, announcement: Announcement) -> None:
        await asyncio.sleep(2.0)
        addresses = self._mdns_addresses.get(name, [])
        answer = await probe_any(addresses, announcement.port, announcement.session_id)
        if answer is not None and name in self._mdns_names:
            self._emit(self.table.mdns_seen(answer[1], addresses, self.clock.now_ms()))

    async def _rediscover(self) -> None:
        for delay in REDISCOVER_AFTER_S:
            await asyncio.sleep(delay)
            self.refresh()

    def _emit(self, events: list[DiscoveryEvent]) -> None:
        for event in events:
            for listener in list(self._listeners):
                try:
                    listener(event)
                except Exception:
                    log.exception("discovery listener failed on %r", event)

    def _spawn(self, coro, name: str | None = None) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


async def probe_any(addresses: list[str], port: int, session_id: str,
                    timeout: float = PROBE_TIMEOUT_MS / 1000) -> tuple[str, Announcement] | None:
    """``GET /session`` on every address at once; the first that answers for this party wins."""
    async def probe(address: str) -> tuple[str, Announcement]:
        info = await fetch_session_info(address, port, timeout=timeout)
        announcement = announcement_from_json(info)
        if announcement is None or announcement.session_id != session_id:
            raise HostUnreachable(f"{address}:{port} hosts another party now")
        return address, announcement

    tasks = [asyncio.ensure_future(probe(a)) for a in addresses]
    try:
        for next_done in asyncio.as_completed(tasks):
            try:
                return await next_done
            except HostUnreachable:
                continue
        return None
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


class DiscoveryLookup:
    """``await lookup(session_id)`` -> the party's reachable (address, port), or None.

    Starts a DiscoveryService on first use and keeps it until ``close()``, so a
    guest that is reconnecting sees a restarted host as soon as it advertises.
    """

    FIND_TIMEOUT_S = 1.5

    def __init__(self) -> None:
        self._service: DiscoveryService | None = None

    async def __call__(self, session_id: str) -> tuple[str, int] | None:
        if self._service is None:
            self._service = DiscoveryService()
            await self._service.start()
        session = await self._service.find(session_id, self.FIND_TIMEOUT_S)
        if session is None:
            return None
        answer = await probe_any(list(session.addresses), session.announcement.port, session_id)
        return None if answer is None else (answer[0], answer[1].port)

    async def close(self) -> None:
        if self._service is not None:
            service, self._service = self._service, None
            await service.stop()
