"""UDP broadcast discovery (PROTOCOL.md section 4), for networks that filter multicast.

Port 41234 is shared with address reuse, so several hosts and scanners on
one machine coexist. A unicast datagram to a shared port reaches only one of
the sockets, so besides the spec's targets (each interface's broadcast
address, and 127.0.0.1 for DISCOVER) we also use the loopback broadcast
127.255.255.255, which reaches every socket on this machine: two windows on
one laptop with no network still find each other.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import socket
from collections.abc import Callable

import ifaddr

from ..protocol.discovery import (
    ANNOUNCE, BEACON_INTERVAL_MS, BYE, DISCOVER, UDP_PORT, Announcement, announcement_from_json,
    bye_session_id, parse_datagram,
)

log = logging.getLogger(__name__)

LOOPBACK_BROADCAST = "127.255.255.255"


def broadcast_addresses() -> list[str]:
    """The broadcast address of every IPv4 interface that has one, plus loopback's."""
    found: list[str] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not ip.is_IPv4 or ip.network_prefix >= 31:
                continue  # point-to-point links (VPN tunnels) have no broadcast
            net = ipaddress.IPv4Network(f"{ip.ip}/{ip.network_prefix}", strict=False)
            if net.is_loopback or net.is_link_local:
                continue
            found.append(str(net.broadcast_address))
    return list(dict.fromkeys(found + [LOOPBACK_BROADCAST]))


def local_networks() -> list[ipaddress.IPv4Network]:
    nets = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if ip.is_IPv4:
                nets.append(ipaddress.IPv4Network(f"{ip.ip}/{ip.network_prefix}", strict=False))
    return nets


def _udp_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        except OSError:
            pass
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setblocking(False)
    try:
        sock.bind(("", port))
    except OSError:
        sock.close()
        raise
    return sock


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, on_datagram: Callable[[dict, tuple], None]) -> None:
        self.on_datagram = on_datagram
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        obj = parse_datagram(data)
        if obj is not None:
            try:
                self.on_datagram(obj, addr)
            except Exception:  # a bad datagram must never take discovery down
                log.exception("datagram handler failed")

    def error_received(self, exc: Exception) -> None:
        log.debug("UDP error: %s", exc)


def _send_all(transport: asyncio.DatagramTransport, obj: dict, targets: list[str],
              port: int = UDP_PORT) -> None:
    data = json.dumps(obj).encode()
    for target in targets:
        try:
            transport.sendto(data, (target, port))
        except OSError as exc:  # an interface went away; the others still count
            log.debug("UDP send to %s failed: %s", target, exc)


class BeaconSender:
    """Host side: a beacon every second, answers to DISCOVER, BYE on stop."""

    def __init__(self, announcement: Callable[[], Announcement], port: int = UDP_PORT) -> None:
        self._announcement = announcement
        self._port = port
        self._transport: asyncio.DatagramTransport | None = None
        self._task: asyncio.Task | None = None
        self._targets: list[str] = []   # listing interfaces costs ~0.2 ms: once a beacon
        self._extra_pending = False

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            sock = _udp_socket(self._port)
        except OSError as exc:  # still beacon, from any port; DISCOVER answers are lost
            log.warning("cannot bind UDP %s (%s): beacons only", self._port, exc)
            sock = _udp_socket(0)
        self._transport, _ = await loop.create_datagram_endpoint(
            lambda: _Protocol(self._on_datagram), sock=sock)
        self._task = loop.create_task(self._beacon_loop(), name="udp-beacon")

    def _on_datagram(self, obj: dict, addr: tuple) -> None:
        if obj["type"] == DISCOVER and self._transport is not None:
            _send_all(self._transport, self._announcement().to_json_obj(), [addr[0]], addr[1])

    def send_soon(self) -> None:
        """An extra beacon (memberCount changed), after the frames already queued;
        a burst of joins gives one beacon."""
        if not self._extra_pending:
            self._extra_pending = True
            asyncio.get_running_loop().call_soon(self._send_extra)

    def _send_extra(self) -> None:
        self._extra_pending = False
        self._send()

    def _send(self) -> None:
        if self._transport is not None:
            _send_all(self._transport, self._announcement().to_json_obj(), self._targets,
                      self._port)

    async def _beacon_loop(self) -> None:
        while True:
            self._targets = broadcast_addresses()   # interfaces come and go
            self._send()
            await asyncio.sleep(BEACON_INTERVAL_MS / 1000)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._transport is not None:
            bye = {"type": BYE, "v": 1, "sessionId": self._announcement().session_id}
            _send_all(self._transport, bye, broadcast_addresses(), self._port)
            self._transport.close()
            self._transport = None


class UdpScanner:
    """Guest side: hears beacons and BYEs on 41234, asks with DISCOVER from an ephemeral port."""

    def __init__(self, on_announce: Callable[[Announcement, str], None],
                 on_bye: Callable[[str], None], port: int = UDP_PORT) -> None:
        self._on_announce = on_announce
        self._on_bye = on_bye
        self._port = port
        self._listener: asyncio.DatagramTransport | None = None
        self._asker: asyncio.DatagramTransport | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            self._listener, _ = await loop.create_datagram_endpoint(
                lambda: _Protocol(self._on_datagram), sock=_udp_socket(self._port))
        except OSError as exc:  # answers to DISCOVER still arrive on the asker
            log.warning("cannot listen for beacons on UDP %s: %s", self._port, exc)
        self._asker, _ = await loop.create_datagram_endpoint(
            lambda: _Protocol(self._on_datagram), sock=_udp_socket(0))
        self.discover()

    def discover(self) -> None:
        if self._asker is not None:
            _send_all(self._asker, {"type": DISCOVER, "v": 1},
                      broadcast_addresses() + ["127.0.0.1"], self._port)

    def _on_datagram(self, obj: dict, addr: tuple) -> None:
        if obj["type"] == ANNOUNCE:
            announcement = announcement_from_json(obj)
            if announcement is not None:
                self._on_announce(announcement, addr[0])
        elif obj["type"] == BYE:
            session_id = bye_session_id(obj)
            if session_id:
                self._on_bye(session_id)

    async def stop(self) -> None:
        for transport in (self._listener, self._asker):
            if transport is not None:
                transport.close()
        self._listener = self._asker = None
