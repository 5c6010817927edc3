"""Helpers shared by the test packages: polling with deadlines, a raw guest."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Callable

import ifaddr
from websockets.asyncio.client import ClientConnection, connect


def only_loopback_here() -> bool:
    """True inside a private network namespace (nothing we send can leave)."""
    return all(a.nice_name == "lo" for a in ifaddr.get_adapters())


async def wait_until(predicate: Callable[[], Any], timeout: float = 5.0,
                     interval: float = 0.01, what: str = "condition") -> Any:
    """Poll ``predicate`` until it is truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(interval)


class RawGuest:
    """A guest that speaks raw JSON frames, for tests of the wire contract."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def connect(cls, port: int, host: str = "127.0.0.1") -> "RawGuest":
        ws = await connect(f"ws://{host}:{port}/", compression=None, max_size=None,
                           ping_interval=None, close_timeout=1, open_timeout=5)
        return cls(ws)

    async def send(self, type_: str, payload: dict | None = None, **extra: Any) -> None:
        await self.ws.send(json.dumps({"type": type_, "payload": payload or {}, **extra}))

    async def send_raw(self, data: str | bytes) -> None:
        await self.ws.send(data)

    async def recv(self, timeout: float = 5.0) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))

    async def expect(self, type_: str, timeout: float = 5.0) -> dict:
        """Receive frames until one of ``type_`` arrives (heartbeat acks are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            frame = await self.recv(max(0.01, deadline - time.monotonic()))
            if frame["type"] == type_:
                return frame
            if frame["type"] != "HEARTBEAT_ACK":
                raise AssertionError(f"expected {type_}, got {frame}")

    async def join(self, session_id: str, device_id: str, name: str | None = None,
                   **payload: Any) -> dict:
        await self.send("JOIN", {"sessionId": session_id, "deviceId": device_id,
                                 "deviceName": name or device_id, "appVersion": "test",
                                 **payload})
        return await self.recv()

    async def wait_closed(self, timeout: float = 5.0) -> tuple[int | None, str]:
        await asyncio.wait_for(self.ws.wait_closed(), timeout)
        return self.ws.close_code, self.ws.close_reason or ""

    async def close(self) -> None:
        await self.ws.close()
