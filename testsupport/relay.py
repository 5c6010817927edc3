"""One TCP relay between guests and a host on loopback, with the network's faults on demand.

Every fault a test needs of the path between a guest and its host, in one place:

- ``jitter_ms``: every chunk, both ways, is held back a random 0..``jitter_ms`` ms, order
  kept (a TCP stream keeps it), optionally with a stall of ``stall_ms`` at ``stall_at_s``
  after the start;
- ``cut()``: every open connection is aborted under both sides at once (no FIN, no closing
  handshake), and new attempts fail at once until ``down`` is cleared;
- ``freeze()``: the open connections go silent both ways and stay open (a half-open link, as
  when a laptop roams): what either side sends is dropped, a close on one side is not passed
  on; new connections work;
- ``open_gate`` cleared: new connections hang before reaching the host (a slow network).
"""

from __future__ import annotations

import asyncio
import random


class _Pipe:
    """One relayed connection: its two transports, and whether it was frozen."""

    def __init__(self, *transports: asyncio.BaseTransport) -> None:
        self.transports = transports
        self.frozen = False


class TcpRelay:
    def __init__(self, target_port: int, *, jitter_ms: float = 0.0, seed: int = 0,
                 stall_at_s: float | None = None, stall_ms: float = 0.0) -> None:
        self.target_port = target_port
        self.jitter_ms = jitter_ms
        self.random = random.Random(seed)
        self.stall_at_s = stall_at_s
        self.stall_ms = stall_ms
        self.down = False
        self.accepted = 0
        self.open_gate = asyncio.Event()
        self.open_gate.set()
        self.port = 0
        self._pipes: set[_Pipe] = set()
        self._tasks: set[asyncio.Task] = set()
        self._server: asyncio.Server | None = None
        self._started = 0.0

    async def start(self) -> TcpRelay:
        self._started = asyncio.get_running_loop().time()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def cut(self, stay_down: bool = True) -> None:
        self.down = stay_down
        for pipe in list(self._pipes):
            for transport in pipe.transports:
                transport.abort()

    def stall_now(self, stall_ms: float) -> None:
        """From now on, for ``stall_ms``, nothing gets through either way (then all of it)."""
        self.stall_at_s = asyncio.get_running_loop().time() - self._started
        self.stall_ms = stall_ms

    def freeze(self) -> None:
        for pipe in self._pipes:
            pipe.frozen = True

    async def stop(self) -> None:
        self.down = True
        if self._server is not None:
            self._server.close()                 # no new connections ...
        for task in list(self._tasks):           # ... and every accepted one aborted
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()     # from Python 3.12 this waits for them

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)
        pipe: _Pipe | None = None
        try:
            if self.down:   # no route to the host: the attempt fails at once
                writer.transport.abort()
                return
            self.accepted += 1
            await self.open_gate.wait()
            try:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            except OSError:
                writer.transport.abort()
                return
            pipe = _Pipe(writer.transport, up_writer.transport)
            self._pipes.add(pipe)
            await asyncio.gather(self._pump(pipe, reader, up_writer),
                                 self._pump(pipe, up_reader, writer))
        except asyncio.CancelledError:   # stop(): nothing it accepted stays open
            for transport in pipe.transports if pipe is not None else (writer.transport,):
                transport.abort()
            raise
        finally:
            if pipe is not None:
                self._pipes.discard(pipe)
            self._tasks.discard(task)

    def _release_at(self, release: float, now: float) -> float:
        """When a chunk that arrived ``now`` may leave, after the previous one (``release``)."""
        if self.jitter_ms > 0:
            release = max(release, now + self.random.uniform(0, self.jitter_ms) / 1000)
        if self.stall_at_s is not None:
            stall_from = self._started + self.stall_at_s
            if stall_from <= now < stall_from + self.stall_ms / 1000:
                release = max(release, stall_from + self.stall_ms / 1000)
        return release

    async def _pump(self, pipe: _Pipe, src: asyncio.StreamReader,
                    dst: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        release = 0.0
        try:
            while data := await src.read(65536):
                release = self._release_at(release, loop.time())
                if release > loop.time():
                    await asyncio.sleep(release - loop.time())
                if not pipe.frozen:
                    dst.write(data)
                    await dst.drain()
            if not pipe.frozen:
                dst.close()   # a clean end on one side ends the other cleanly
        except (OSError, RuntimeError):
            if not pipe.frozen:
                dst.transport.abort()
