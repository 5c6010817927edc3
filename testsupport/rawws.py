"""Raw WebSocket guests: one speaking JSON frames over a real client (RawGuest), and one
byte by byte, sending frames a library never would (for hostile tests).

(Test support: used by tests/net and bench/hostile.py; not part of the app.)
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from testsupport import DEADLINE_S

SESSION_ID = "ABC234"   # the party the tests and the benchmark host


def _mask(data: bytes, key: bytes) -> bytes:
    if not data:
        return data
    stream = (key * (len(data) // 4 + 1))[:len(data)]
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def ws_frame(opcode: int, payload: bytes = b"", *, fin: bool = True, rsv: int = 0,
             mask: bool = True, length: int | None = None) -> bytes:
    """One WebSocket frame as a client sends it; ``length`` can lie about the payload."""
    n = len(payload) if length is None else length
    b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
    m = 0x80 if mask else 0
    if n < 126:
        head = bytes([b0, m | n])
    elif n < 65536:
        head = bytes([b0, m | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([b0, m | 127]) + n.to_bytes(8, "big")
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + _mask(payload, key)


async def ws_open(port: int,
                  timeout: float = 20.0) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """TCP connect and the WebSocket opening handshake, nothing more."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                 f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                 f"Sec-WebSocket-Version: 13\r\n\r\n".encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    if not head.startswith(b"HTTP/1.1 101"):
        writer.transport.abort()
        raise ConnectionError(f"handshake refused: {head[:60]!r}")
    return reader, writer


async def ws_read(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """One (unmasked) frame from the host: (opcode, payload)."""
    b0, b1 = await reader.readexactly(2)
    n = b1 & 0x7F
    if n == 126:
        n = int.from_bytes(await reader.readexactly(2), "big")
    elif n == 127:
        n = int.from_bytes(await reader.readexactly(8), "big")
    return b0 & 0x0F, await reader.readexactly(n)


def text_frame(obj) -> bytes:
    return ws_frame(0x1, (obj if isinstance(obj, str) else json.dumps(obj)).encode())


def join_payload(device_id: str, session_id: str = SESSION_ID, **extra) -> dict:
    return {"type": "JOIN", "payload": {"sessionId": session_id, "deviceId": device_id,
                                        "deviceName": device_id, "appVersion": "test", **extra}}


class RawGuest:
    """A guest that speaks raw JSON frames, for tests of the wire contract."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def connect(cls, port: int, host: str = "127.0.0.1") -> RawGuest:
        ws = await connect(f"ws://{host}:{port}/", compression=None, max_size=None,
                           ping_interval=None, close_timeout=1, open_timeout=DEADLINE_S)
        return cls(ws)

    async def send(self, type_: str, payload: dict | None = None, **extra: Any) -> None:
        await self.ws.send(json.dumps({"type": type_, "payload": payload or {}, **extra}))

    async def send_raw(self, data: str | bytes) -> None:
        await self.ws.send(data)

    async def recv(self, timeout: float = DEADLINE_S) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))

    async def expect(self, type_: str, timeout: float = DEADLINE_S) -> dict:
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

    async def wait_closed(self, timeout: float = DEADLINE_S) -> tuple[int | None, str]:
        await asyncio.wait_for(self.ws.wait_closed(), timeout)
        return self.ws.close_code, self.ws.close_reason or ""

    async def close(self) -> None:
        await self.ws.close()
