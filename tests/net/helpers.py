"""Helpers for the real-socket tests: live guests, raw HTTP, port checks, the command line."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path

from websockets.exceptions import ConnectionClosed

from loudsync_desktop.net.client import GuestConnection
from loudsync_desktop.net.server import HostServer
from loudsync_desktop.protocol.guest import GuestSession
from tests.support import DEADLINE_S

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "loudsync_desktop"]
CLI_HOST_ARGS = ("host", "--json", "--no-discovery", "--port", "0", "--bind", "127.0.0.1")


def cli_join_args(port: int, device_id: str, *extra: str) -> tuple:
    """``join`` on loopback without discovery, named after ``device_id``."""
    return ("join", f"127.0.0.1:{port}", "--json", "--no-discovery", "--name", device_id.title(),
            "--device-id", device_id, *extra)


def member(server: HostServer, device_id: str):
    """The host's member ``device_id``, or None."""
    return next((x for x in server.members if x.id == device_id), None)


class LiveGuest:
    """A real guest (GuestSession + GuestConnection) running as a task."""

    def __init__(self, core: GuestSession, host: str, port: int) -> None:
        self.core = core
        self.events: list = []
        self.connection = GuestConnection(core, host, port, on_event=self.events.append)
        self.task: asyncio.Task = asyncio.create_task(self.connection.run(),
                                                      name=f"guest-{core.device_id}")

    @property
    def device_id(self) -> str:
        return self.core.device_id

    @property
    def members(self) -> list:
        return self.core.members

    def seen(self, kind: type) -> list:
        """The events of one kind this guest's core has reported so far."""
        return [e for e in self.events if isinstance(e, kind)]

    async def leave(self) -> object:
        """LEAVE on purpose; returns ``run()``'s final event once the host closed."""
        await self.connection.leave()
        return await asyncio.wait_for(self.task, DEADLINE_S)

    def drop(self) -> None:
        """Vanish without LEAVE or closing handshake, like a laptop whose Wi-Fi died."""
        self.connection._ws.transport.abort()


def members_agree(server: HostServer, *guests: LiveGuest) -> bool:
    return all(g.members == server.members for g in guests)


async def http_get(port: int, path: str, host: str = "127.0.0.1",
                   timeout: float = 5.0) -> tuple[int, bytes]:
    """A plain HTTP/1.1 GET (no upgrade): (status, body). The host closes after answering."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Can a new server listen on ``port``? (SO_REUSEADDR, as every server sets,
    so connections of the old one lingering in TIME_WAIT do not count.)"""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
            s.listen()
        except OSError:
            return False
    return True


def unused_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on (free a moment ago)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


async def frames_until_closed(raw, timeout: float = 5.0) -> tuple[list[dict], int | None]:
    """Every frame a RawGuest receives until the host closes it, and the close code."""
    frames: list[dict] = []

    async def read() -> None:
        try:
            while True:
                frames.append(json.loads(await raw.ws.recv()))
        except ConnectionClosed:
            pass

    await asyncio.wait_for(read(), timeout)
    return frames, raw.ws.close_code
