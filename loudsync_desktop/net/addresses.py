"""The host's addresses and parsing of addresses people type."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import ifaddr

from ..protocol.errors import LoudSyncError

DEFAULT_PORT = 8080


class InvalidAddress(LoudSyncError, ValueError):
    """Typed text that is not a ``host:port`` or ``ws://`` address."""


def local_ipv4_addresses() -> list[str]:
    """Every non-loopback IPv4 address of this machine; loopback only if there is none."""
    found: list[str] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not ip.is_IPv4:
                continue
            addr = ipaddress.IPv4Address(ip.ip)
            if addr.is_loopback or addr.is_link_local or addr.is_unspecified:
                continue
            if str(addr) not in found:
                found.append(str(addr))
    return found or ["127.0.0.1"]


def parse_address(text: str, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """``host:port``, ``host``, ``[v6]:port`` or ``ws://host:port/`` -> (host, port)."""
    raw = text.strip()
    if not raw:
        raise InvalidAddress("Enter the host's address, like 192.168.1.20:8080.")
    if "://" not in raw:
        raw = "ws://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise InvalidAddress(
            f"'{text.strip()}' is not an address: the port must be 1-65535.") from None
    if parts.scheme not in ("ws", "http") or not parts.hostname:
        raise InvalidAddress(f"'{text.strip()}' is not an address like 192.168.1.20:8080.")
    if port == 0:
        raise InvalidAddress("Port 0 is not a real port: use the port the host shows.")
    return parts.hostname, port or default_port


def ws_url(host: str, port: int) -> str:
    return f"ws://[{host}]:{port}/" if ":" in host else f"ws://{host}:{port}/"
