"""Discovery without I/O: announcement parsing and the table of parties nearby.

The adapters (UDP beacons, zeroconf, HTTP probes) report sightings here; the
table merges them by ``sessionId`` and says when a party is found, updated or
lost. Liveness: a party must be heard from (beacon, mDNS record, probe) at
least every ``LOST_AFTER_MS``; after ``PROBE_AFTER_MS`` of silence the
adapter probes it (``GET /session``), because cached mDNS records outlive a
killed host. A BYE or an mDNS goodbye drops it at once.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .codes import CODE_LENGTH
from .events import SessionFound, SessionLost, SessionUpdated  # also importable from here
from .messages import MAX_NAME_CHARS, is_wire_int

SERVICE_TYPE = "_loudsync._tcp.local."
UDP_PORT = 41234
ANNOUNCE = "LOUDSYNC_ANNOUNCE"
DISCOVER = "LOUDSYNC_DISCOVER"
BYE = "LOUDSYNC_BYE"
ACCESS_MODES = ("open", "pin", "approval")
MAX_DATAGRAM_BYTES = 4096

BEACON_INTERVAL_MS = 1000
PROBE_AFTER_MS = 1500   # silence after which we ask the host directly
LOST_AFTER_MS = 3000    # silence after which the party is gone (well within 5 s)
PROBE_TIMEOUT_MS = 1000

_WIRE_CODE = re.compile(r"[A-Z0-9]{6}")   # a session id as sent on the wire
VIA_MDNS = "mdns"
VIA_UDP = "udp"


@dataclass(frozen=True)
class Announcement:
    session_id: str
    session_name: str
    host_id: str
    host_name: str
    port: int
    member_count: int
    max_members: int
    access: str = "open"

    def to_json_obj(self) -> dict[str, Any]:
        return {
            "type": ANNOUNCE, "v": 1, "sessionId": self.session_id,
            "sessionName": self.session_name, "hostId": self.host_id,
            "hostName": self.host_name, "port": self.port, "memberCount": self.member_count,
            "maxMembers": self.max_members, "access": self.access,
        }

    def txt_record(self) -> dict[str, str]:
        return {
            "v": "1", "sessionId": self.session_id, "sessionName": self.session_name,
            "hostId": self.host_id, "hostName": self.host_name,
            "memberCount": str(self.member_count), "maxMembers": str(self.max_members),
            "access": self.access,
        }


def _text(value: Any, limit: int = MAX_NAME_CHARS * 4) -> str | None:
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(value, str) or not value or len(value) > limit or not value.isprintable():
        return None
    return value


def _count(value: Any) -> int | None:
    if isinstance(value, (bytes, str)):
        text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None
    return value if is_wire_int(value) and 0 <= value <= 100_000 else None


def _announcement(get: Mapping[str, Any], port: Any) -> Announcement | None:
    session_id = _text(get.get("sessionId"), CODE_LENGTH)
    session_name = _text(get.get("sessionName"))
    host_id = _text(get.get("hostId"))
    host_name = _text(get.get("hostName"))
    member_count = _count(get.get("memberCount"))
    max_members = _count(get.get("maxMembers"))
    if session_id is None or session_name is None or host_id is None or host_name is None \
            or not (is_wire_int(port) and 0 < port < 65536) \
            or member_count is None or max_members is None \
            or not _WIRE_CODE.fullmatch(session_id):
        return None
    access = _text(get.get("access")) or "open"
    return Announcement(session_id, session_name, host_id, host_name, port, member_count,
                        max_members, access=access if access in ACCESS_MODES else "open")


def parse_datagram(data: bytes) -> dict[str, Any] | None:
    """A UDP datagram as a JSON object of ours (any type), or None for noise."""
    if len(data) > MAX_DATAGRAM_BYTES:
        return None
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(obj, dict) or type(obj.get("v")) is not int or obj.get("v") != 1 \
            or obj.get("type") not in (ANNOUNCE, DISCOVER, BYE):
        return None
    return obj


def announcement_from_json(obj: Mapping[str, Any]) -> Announcement | None:
    """LOUDSYNC_ANNOUNCE (beacon, DISCOVER answer or GET /session) -> Announcement."""
    if obj.get("type") != ANNOUNCE:
        return None
    return _announcement(obj, obj.get("port"))


def announcement_from_txt(properties: Mapping[bytes, bytes | None],
                          port: int) -> Announcement | None:
    """An mDNS TXT record (as zeroconf gives it) -> Announcement, or None if malformed."""
    decoded: dict[str, Any] = {}
    for key, value in properties.items():
        decoded[key.decode("utf-8", "replace") if isinstance(key, bytes) else key] = value
    if _text(decoded.get("v")) != "1":
        return None
    return _announcement(decoded, port)


def bye_session_id(obj: Mapping[str, Any]) -> str | None:
    return _text(obj.get("sessionId"), CODE_LENGTH) if obj.get("type") == BYE else None


@dataclass(frozen=True)
class DiscoveredSession:
    """A party as a guest knows it: the announcement plus where and how it was seen."""

    announcement: Announcement
    addresses: tuple[str, ...]      # preferred first
    via: frozenset[str]
    last_heard: int

    @property
    def session_id(self) -> str:
        return self.announcement.session_id

    @property
    def address(self) -> str:
        return self.addresses[0]

    @property
    def via_label(self) -> str:
        return "both" if len(self.via) > 1 else next(iter(self.via))

    @property
    def is_full(self) -> bool:
        return self.announcement.member_count >= self.announcement.max_members

    def to_json_obj(self) -> dict[str, Any]:
        a = self.announcement
        return {
            "sessionId": a.session_id, "sessionName": a.session_name, "hostId": a.host_id,
            "hostName": a.host_name, "address": self.address, "addresses": list(self.addresses),
            "port": a.port, "memberCount": a.member_count, "maxMembers": a.max_members,
            "access": a.access, "via": self.via_label,
        }


@dataclass
class _Entry:
    session: DiscoveredSession
    probing: bool = False
    udp_sources: list[str] = field(default_factory=list)   # proven reachable
    mdns_addresses: list[str] = field(default_factory=list)


def order_addresses(udp_sources: list[str], mdns_addresses: list[str],
                    local_networks: list[ipaddress.IPv4Network]) -> tuple[str, ...]:
    """Addresses that answered us first, then those on one of our subnets, then the rest."""
    def on_our_net(addr: str) -> bool:
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            return False
        return any(ip in net for net in local_networks)

    ordered = list(dict.fromkeys(udp_sources))
    rest = [a for a in mdns_addresses if a not in ordered]
    ordered += sorted(rest, key=lambda a: not on_our_net(a))
    return tuple(ordered)


class DiscoveryTable:
    """The parties a scanner currently sees. Every method returns events."""

    def __init__(self, local_networks: list[ipaddress.IPv4Network] | None = None) -> None:
        self._entries: dict[str, _Entry] = {}
        self._local_networks = local_networks or []

    @property
    def sessions(self) -> list[DiscoveredSession]:
        return [e.session for e in self._entries.values()]

    def get(self, session_id: str) -> DiscoveredSession | None:
        entry = self._entries.get(session_id)
        return entry.session if entry else None

    def udp_seen(self, announcement: Announcement, source: str, now: int) -> list:
        return self._seen(announcement, VIA_UDP, now, udp_source=source)

    def mdns_seen(self, announcement: Announcement, addresses: list[str], now: int) -> list:
        return self._seen(announcement, VIA_MDNS, now, mdns_addresses=addresses)

    def probe_ok(self, announcement: Announcement, address: str, now: int) -> list:
        """A ``GET /session`` answered: the host is alive at ``address``."""
        entry = self._entries.get(announcement.session_id)
        if entry is None:
            return []
        entry.probing = False
        if address not in entry.udp_sources:
            entry.udp_sources.insert(0, address)
        return self._refresh(entry, announcement, entry.session.via, now)

    def probe_failed(self, session_id: str) -> list:
        entry = self._entries.get(session_id)
        if entry is not None:
            entry.probing = False
        return []

    def gone(self, session_id: str, reason: str) -> list:
        """A BYE or an mDNS goodbye: the host ended the party."""
        if self._entries.pop(session_id, None) is None:
            return []
        return [SessionLost(session_id, reason)]

    def due_probes(self, now: int) -> list[DiscoveredSession]:
        """Parties silent long enough to ask directly; marks them as being probed."""
        due = []
        for entry in self._entries.values():
            if not entry.probing and now - entry.session.last_heard >= PROBE_AFTER_MS:
                entry.probing = True
                due.append(entry.session)
        return due

    def expire(self, now: int) -> list:
        lost = [sid for sid, e in self._entries.items()
                if now - e.session.last_heard >= LOST_AFTER_MS]
        return [event for sid in lost for event in self.gone(sid, "Host stopped answering")]

    def _seen(self, announcement: Announcement, via: str, now: int, *,
              udp_source: str | None = None, mdns_addresses: list[str] | None = None) -> list:
        entry = self._entries.get(announcement.session_id)
        if entry is None:
            session = DiscoveredSession(announcement, (), frozenset({via}), now)
            entry = _Entry(session)
            if udp_source:
                entry.udp_sources.append(udp_source)
            entry.mdns_addresses = list(mdns_addresses or [])
            entry.session = replace(session, addresses=self._addresses(entry))
            if not entry.session.addresses:
                return []
            self._entries[announcement.session_id] = entry
            return [SessionFound(entry.session)]
        if udp_source and udp_source not in entry.udp_sources:
            entry.udp_sources.append(udp_source)
        if mdns_addresses is not None:
            entry.mdns_addresses = list(mdns_addresses)
        return self._refresh(entry, announcement, entry.session.via | {via}, now)

    def _refresh(self, entry: _Entry, announcement: Announcement, via: frozenset[str],
                 now: int) -> list:
        old = entry.session
        entry.session = replace(old, announcement=announcement, via=via, last_heard=now,
                                addresses=self._addresses(entry))
        visible_change = replace(entry.session, last_heard=0) != replace(old, last_heard=0)
        return [SessionUpdated(entry.session)] if visible_change else []

    def _addresses(self, entry: _Entry) -> tuple[str, ...]:
        return order_addresses(entry.udp_sources, entry.mdns_addresses, self._local_networks)
