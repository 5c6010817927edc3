"""mDNS / DNS-SD over python-zeroconf: advertise a party, browse for parties."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable

from zeroconf import (
    BadTypeInNameException, DNSQuestionType, IPVersion, NonUniqueNameException, ServiceStateChange,
)
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from ..protocol.discovery import SERVICE_TYPE, Announcement, announcement_from_txt

log = logging.getLogger(__name__)

RESOLVE_TIMEOUT_MS = 3000
MAX_LABEL_BYTES = 63
MAX_TXT_ITEM_BYTES = 255
NAME_CHECK_MS = 300
MAX_RENAMES = 100


def instance_label(party_name: str) -> str:
    """A DNS-SD instance name from the party name: at most 63 bytes of UTF-8."""
    label = party_name.replace(".", " ").strip() or "LoudSync party"
    data = label.encode("utf-8")[:MAX_LABEL_BYTES]
    return data.decode("utf-8", "ignore").strip()


def _txt(announcement: Announcement) -> dict[str, str]:
    txt = {}
    for key, value in announcement.txt_record().items():
        room = MAX_TXT_ITEM_BYTES - len(key) - 1
        txt[key] = value.encode("utf-8")[:room].decode("utf-8", "ignore")
    return txt


class MdnsAdvertiser:
    """Registers ``_loudsync._tcp`` for one party; ``update`` refreshes its TXT."""

    def __init__(self, zeroconf: AsyncZeroconf) -> None:
        self._zc = zeroconf
        self._info: AsyncServiceInfo | None = None
        self._announcing: asyncio.Future | None = None

    @property
    def instance_name(self) -> str | None:
        return self._info.name if self._info else None

    def _service_info(self, announcement: Announcement, addresses: list[str],
                      name: str | None = None) -> AsyncServiceInfo:
        return AsyncServiceInfo(
            SERVICE_TYPE,
            name or f"{instance_label(announcement.session_name)}.{SERVICE_TYPE}",
            port=announcement.port,
            properties=_txt(announcement),
            server=f"loudsync-{announcement.session_id.lower()}.local.",
            parsed_addresses=addresses,
        )

    async def register(self, announcement: Announcement, addresses: list[str]) -> None:
        label = instance_label(announcement.session_name)
        name = f"{label}.{SERVICE_TYPE}"
        for number in range(2, MAX_RENAMES):
            if not await self._name_taken(name):
                break
            name = f"{label} ({number}).{SERVICE_TYPE}"
        info = self._service_info(announcement, addresses, name=name)
        # The first await probes for a unique name (DNS-SD renames on conflict);
        # the announcements it then sends run on in the background.
        announcing = await self._zc.async_register_service(info, allow_name_change=True)
        self._announcing = asyncio.ensure_future(announcing)   # already a future: typed as one
        self._info = info

    async def _name_taken(self, name: str) -> bool:
        """Ask with a multicast question whether another host owns ``name``.

        zeroconf's own probe asks for unicast answers, which on one machine with
        several mDNS sockets on port 5353 may reach the wrong process; a
        multicast answer reaches every one of them.
        """
        probe = AsyncServiceInfo(SERVICE_TYPE, name)
        return await probe.async_request(self._zc.zeroconf, NAME_CHECK_MS,
                                         question_type=DNSQuestionType.QM)

    async def update(self, announcement: Announcement, addresses: list[str]) -> None:
        if self._info is None:
            return
        self._info = self._service_info(announcement, addresses, name=self._info.name)
        await self._zc.async_update_service(self._info)

    async def unregister(self) -> None:
        """Send the goodbye, so browsers drop the party at once."""
        if self._announcing is not None:
            self._announcing.cancel()
            await asyncio.gather(self._announcing, return_exceptions=True)
        if self._info is not None:
            info, self._info = self._info, None
            task = await self._zc.async_unregister_service(info)
            await task


class MdnsBrowser:
    """Reports parties as ``on_seen(name, announcement, addresses)`` and ``on_gone(name)``."""

    def __init__(self, zeroconf: AsyncZeroconf,
                 on_seen: Callable[[str, Announcement, list[str]], None],
                 on_gone: Callable[[str], None]) -> None:
        self._zc = zeroconf
        self._on_seen = on_seen
        self._on_gone = on_gone
        self._browser: AsyncServiceBrowser | None = None
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> None:
        self._browser = AsyncServiceBrowser(self._zc.zeroconf, SERVICE_TYPE,
                                            handlers=[self._on_change])

    def _on_change(self, zeroconf, service_type: str, name: str,
                   state_change: ServiceStateChange) -> None:
        if state_change is ServiceStateChange.Removed:
            self._on_gone(name)
            return
        task = asyncio.get_running_loop().create_task(self._resolve(name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def resolve(self, name: str) -> None:
        await self._resolve(name)

    async def _resolve(self, name: str) -> None:
        try:
            info = AsyncServiceInfo(SERVICE_TYPE, name)
            if not await info.async_request(self._zc.zeroconf, RESOLVE_TIMEOUT_MS):
                return
        except (BadTypeInNameException, NonUniqueNameException, ValueError) as exc:
            log.debug("ignoring malformed mDNS record %r: %s", name, exc)
            return
        addresses = [a for a in info.parsed_addresses(IPVersion.V4Only) if _is_ipv4(a)]
        announcement = announcement_from_txt(info.properties or {}, info.port or 0)
        if announcement is None or not addresses:
            log.debug("ignoring incomplete mDNS record %r", name)
            return
        self._on_seen(name, announcement, addresses)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._browser is not None:
            await self._browser.async_cancel()
            self._browser = None


def _is_ipv4(text: str) -> bool:
    try:
        socket.inet_aton(text)
        return True
    except OSError:
        return False
