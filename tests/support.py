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


# Deadlines are generous on purpose: a condition that holds ends the wait at once, and a
# machine shared with other work (CI, a second copy of the suite) may be many times slower.
DEADLINE_S = 20.0


async def wait_until(predicate: Callable[[], Any], timeout: float = DEADLINE_S,
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


def no_traceback(stderr: str, who: str) -> None:
    assert "Traceback" not in stderr, f"{who} crashed:\n{stderr[-4000:]}"


class EventProcess:
    """A LoudSync process printing ``--json`` event lines; reads them as they come."""

    def __init__(self, proc, name: str, check_stderr: Callable[[str, str], None] = no_traceback,
                 timeout: float = 30.0) -> None:
        self.proc = proc
        self.name = name
        self.events: list[dict] = []
        self.stderr = ""
        self._check_stderr = check_stderr
        self._timeout = timeout

    async def event(self, name: str, timeout: float | None = None, **match: Any) -> dict:
        """Read lines until an event ``name`` whose fields include ``match``."""
        timeout = timeout or self._timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"{self.name}: no {name} {match} within {timeout} s; "
                                     f"saw {self.events}")
            line = await asyncio.wait_for(self.proc.stdout.readline(), left)
            if not line:
                _, err = await asyncio.wait_for(self.proc.communicate(), 10)
                raise AssertionError(f"{self.name} exited ({self.proc.returncode}) before "
                                     f"{name} {match}; saw {self.events}; stderr: {err.decode()}")
            event = json.loads(line)
            self.events.append(event)
            if event["event"] == name and all(event.get(k) == v for k, v in match.items()):
                return event

    async def finish(self, timeout: float | None = None) -> int:
        """Wait for the exit; keep the remaining events and stderr. Returns the exit code."""
        out, err = await asyncio.wait_for(self.proc.communicate(), timeout or self._timeout)
        self.events += [json.loads(x) for x in out.decode().splitlines() if x.startswith("{")]
        self.stderr = err.decode(errors="replace")
        self._check_stderr(self.stderr, self.name)
        return self.proc.returncode

    def send(self, sig: int) -> None:
        self.proc.send_signal(sig)
