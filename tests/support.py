"""Helpers shared by the test packages: polling with deadlines, a raw guest, a process."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from collections.abc import Callable

import ifaddr

from testsupport import DEADLINE_S
from testsupport.rawws import RawGuest

__all__ = ["DEADLINE_S", "EventProcess", "RawGuest", "no_traceback", "only_loopback_here",
           "wait_until"]


def only_loopback_here() -> bool:
    """True inside a private network namespace (nothing we send can leave)."""
    return all(a.nice_name == "lo" for a in ifaddr.get_adapters())


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


def no_traceback(stderr: str, who: str) -> None:
    assert "Traceback" not in stderr, f"{who} crashed:\n{stderr[-4000:]}"


class EventProcess:
    """A LoudSync process printing ``--json`` event lines, and what it printed.

    Its output is read as it comes (so a chatty process never blocks on a full pipe):
    ``events`` are the JSON lines so far, ``other_lines`` anything else on stdout, ``stderr``
    the text so far. The one runner for every subprocess test (the CLI, the frozen bundle).
    """

    def __init__(self, proc: asyncio.subprocess.Process, name: str,
                 check_stderr: Callable[[str, str], None] = no_traceback,
                 timeout: float = 30.0) -> None:
        self.proc = proc
        self.name = name
        self.events: list[dict] = []
        self.other_lines: list[str] = []
        self.started = time.monotonic()
        self._err = bytearray()
        self._check_stderr = check_stderr
        self._timeout = timeout
        self._next = 0          # where event() looks from: after the last event it returned
        self._readers = [asyncio.create_task(self._read_out()),
                         asyncio.create_task(self._read_err())]

    @classmethod
    async def start(cls, cmd: list, name: str, *, stdin: int = asyncio.subprocess.PIPE,
                    **kwargs: Any) -> EventProcess:
        """Start ``cmd`` (``kwargs``: cwd, env, and this class's check_stderr, timeout)."""
        own = {k: kwargs.pop(k) for k in ("check_stderr", "timeout") if k in kwargs}
        proc = await asyncio.create_subprocess_exec(
            *map(str, cmd), stdin=stdin, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, **kwargs)
        return cls(proc, name, **own)

    async def _read_out(self) -> None:
        async for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            try:
                self.events.append(json.loads(line))
            except ValueError:
                self.other_lines.append(line)

    async def _read_err(self) -> None:
        while chunk := await self.proc.stderr.read(4096):
            self._err += chunk

    @property
    def stderr(self) -> str:
        return self._err.decode(errors="replace")

    def named(self, name: str, **match: Any) -> list[dict]:
        """The events ``name`` so far whose fields include ``match``."""
        return [e for e in self.events
                if e.get("event") == name and all(e.get(k) == v for k, v in match.items())]

    async def _wait_for(self, name: str, start: int, timeout: float | None,
                        match: dict) -> int:
        def found() -> int | None:
            return next((i for i in range(start, len(self.events))
                         if self.events[i].get("event") == name
                         and all(self.events[i].get(k) == v for k, v in match.items())), None)

        timeout = timeout or self._timeout
        try:
            await wait_until(lambda: found() is not None or self._readers[0].done(),
                             timeout=timeout, what=f"{self.name}: {name} {match}")
        except AssertionError:
            raise AssertionError(f"{self.name}: no {name} {match} within {timeout} s; "
                                 f"saw {self.events}; stderr: {self.stderr[-4000:]}") from None
        index = found()
        if index is None:   # its output ended first
            await asyncio.wait_for(self.proc.wait(), self._timeout)
            raise AssertionError(f"{self.name} exited ({self.proc.returncode}) before {name} "
                                 f"{match}; saw {self.events}; stderr: {self.stderr[-4000:]}")
        return index

    async def event(self, name: str, timeout: float | None = None, **match: Any) -> dict:
        """The next event ``name`` (fields including ``match``) after the one this returned
        last, waiting for it if need be."""
        index = await self._wait_for(name, self._next, timeout, match)
        self._next = index + 1
        return self.events[index]

    async def first_event(self, name: str, timeout: float | None = None, **match: Any) -> dict:
        """The first event ``name`` (fields including ``match``) it ever printed."""
        return self.events[await self._wait_for(name, 0, timeout, match)]

    def write(self, line: str) -> None:
        """A line on its standard input (a command)."""
        self.proc.stdin.write(line.encode() + b"\n")

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    async def finish(self, timeout: float | None = None) -> int:
        """Wait for the exit and the end of its output; check stderr. Returns the exit code."""
        timeout = timeout or self._timeout
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"{self.name} still running after {timeout} s; saw "
                                 f"{self.events}; stderr: {self.stderr[-4000:]}") from None
        await asyncio.wait_for(asyncio.gather(*self._readers), timeout)
        self._check_stderr(self.stderr, self.name)
        return self.proc.returncode

    async def reap(self) -> None:
        """Kill it if it still runs, and wait for it (teardown)."""
        if self.proc.returncode is None:
            self.proc.kill()
        await self.proc.wait()
        await asyncio.gather(*self._readers, return_exceptions=True)
