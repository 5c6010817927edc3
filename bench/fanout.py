"""Fan-out benchmark of the LoudSync host, beside a plain websockets relay in the same run.

Run:  .venv/bin/python bench/fanout.py            (a table)
      .venv/bin/python bench/fanout.py --json     (one JSON object with every figure)

Everything listens on 127.0.0.1 with ports chosen by the OS (port 0); every subprocess is
killed in ``finally``. The whole run takes about 25 s on a 2-core machine.

What is measured
================

1. Floor. A ``websockets.asyncio`` echo server and one client on loopback; the client sends a
   small text frame (a HEARTBEAT-sized JSON object) and awaits its echo: ``--floor-trips`` round
   trips spread over 5 fresh connections, each after a warm-up (some loopback connections are
   steadily slower than others here, see ``floor_on``). The median round trip is "the floor":
   the cheapest possible "a frame goes to a server and something comes back" with this
   websockets build on this machine.

2. Fan-out. A party of N members (N = 8 and 32, ``max_members = N``; the host counts as one) is
   filled with N - 2 *resident* guests: raw websocket clients that JOIN, then read every frame
   in a reader task and HEARTBEAT at the interval WELCOME announces (random phase). One slot is
   left for a *newcomer*. Each sample:

     a. the newcomer opens its websocket (not timed: the TCP and HTTP-upgrade handshakes are
        not part of the fan-out),
     b. t0 is taken and its JOIN (a fresh deviceId each time) is sent,
     c. each resident's reader stamps the moment MEMBER_JOINED for that deviceId arrives; the
        sample is (latest stamp - t0), i.e. until the LAST of the N - 2 residents has it,
     d. the newcomer reads WELCOME and MEMBER_LIST (which must list N members), sends LEAVE,
        and we wait until the host has closed it and every resident has its MEMBER_LEFT, so
        no traffic from one sample spills into the next.

   Why leave-and-rejoin rather than filling the party progressively: every sample is taken at
   exactly the same party size (N members, N - 2 receivers), so hundreds of samples per size
   are cheap and the median and p95 mean something; a progressive fill gives one sample per
   size and mixes sizes. The cost is that the host's state churns (one guest in, one out) in
   a way a real party does not, which if anything is the harder case.

   Beside it, in the same run and sample by sample in turn (who goes first alternates, so
   whatever else the machine does weighs on both alike), the *relay*: the same party shape
   and sample procedure against a plain ``websockets.asyncio`` server (``Relay``) that, on
   the newcomer's JOIN, parses it and ``broadcast()``s one MEMBER_JOINED-sized frame to its
   residents. That is the least any host of this shape can do with this websockets build;
   "median/relay" is the host's median over the relay's.

   The fan-out is measured twice:
     * in-process: ``HostServer(config, port=0, bind="127.0.0.1")`` runs in the same asyncio
       loop as the guests, like the in-process floor. Host and guests share one core and one
       loop, so a sample is the sum of all the work: the host's (parse JOIN, build and queue
       N - 2 frames, N - 2 writes) and the guests' (N - 2 reads and JSON parses).
     * host process: the real command-line host (``python -m loudsync_desktop host --json
       --port 0 --no-discovery --max-members N``, --bind 127.0.0.1) in its own process,
       guests in this one, each pinned to a CPU of its own (see ``pin_cpus``), as on a real
       network where the host has its laptop to itself. Its floor is an echo server in its own
       process, pinned the same way, for a like-for-like ratio; the relay too runs in a
       process of its own, on the host's CPU.

   Ratios are to the floor's median (the same floor for median and p95), so "ratio 10" reads
   "as long as ten plain echo round trips".

3. Audio-sized binary frames. The same residents (host in this process, N = 8 and 32) and
   one 400-byte binary frame (one Opus chunk with its header) to every one of them, as the
   stream sends its chunks: ``HostServer.send_to`` for each guest, beside one
   ``broadcast()`` of it by the relay, timed until the last resident has it; the next frame
   goes once every resident has the last. Samples in turn, as above.

4. Memory. The command-line host in its own process; its resident set size (psutil RSS) is
   read before any guest connects, with 1 guest, and with 64 guests joined (``--max-members
   65``) that have been heartbeating for a little longer than one heartbeat interval (so
   every guest has sent a HEARTBEAT and had it acknowledged, and the host's websocket pings
   have run). The per-guest increment is (RSS with 64 - RSS with 1) / 63, which leaves out
   one-time costs of the first connection; the naive (64 - idle) / 64 is reported as well.

All of the above runs with discovery off (advertising would leave loopback). With discovery
on, a join or leave adds one coalesced UDP beacon to the cached broadcast addresses, sent on
the next loop iteration, after the frames already queued.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

import psutil
import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, broadcast, serve

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loudsync_desktop.net.server import HostServer  # noqa: E402
from loudsync_desktop.protocol.codes import generate_session_id  # noqa: E402
from loudsync_desktop.protocol.host import HostConfig  # noqa: E402

LOOPBACK = "127.0.0.1"
STEP_TIMEOUT_S = 5.0
# (CPU of this process, CPU of the child) while a child serves the round trips, else None.
PINNING: tuple[int, int] | None = None
FLOOR_CONNECTIONS = 5

# The real CLI host, listening on loopback only.
HOST_RUNNER = """
import sys
from loudsync_desktop import cli
sys.exit(cli.main(["host", *sys.argv[1:]]))
"""

ECHO_RUNNER = """
import asyncio
from websockets.asyncio.server import serve

async def echo(ws):
    async for message in ws:
        await ws.send(message)

async def main():
    async with serve(echo, "127.0.0.1", 0, compression=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()

asyncio.run(main())
"""

# The plain relay (``relay_forever`` below) in a process of its own.
RELAY_RUNNER = """
import asyncio, runpy, sys
bench = runpy.run_path(sys.argv[1], run_name="fanout_relay")
asyncio.run(bench["relay_forever"](int(sys.argv[2])))
"""
AUDIO_CHUNK_BYTES = 400   # one 20 ms Opus packet at ~160 kbit/s, with its header


# -- small helpers ---------------------------------------------------------------------------
def now_ms() -> int:
    return time.time_ns() // 1_000_000


def frame(type_: str, payload: dict) -> str:
    return json.dumps({"type": type_, "payload": payload, "timestamp": now_ms()},
                      separators=(",", ":"))


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary_ms(seconds: list[float]) -> dict[str, Any]:
    ms = [s * 1000 for s in seconds]
    return {"samples": len(ms), "median_ms": statistics.median(ms),
            "p95_ms": percentile(ms, 95), "min_ms": min(ms), "max_ms": max(ms)}


async def ws_connect(port: int) -> ClientConnection:
    return await connect(f"ws://{LOOPBACK}:{port}/", compression=None, max_size=None,
                         ping_interval=None, close_timeout=1, open_timeout=STEP_TIMEOUT_S)


# -- 1. floor --------------------------------------------------------------------------------
async def echo_round_trips(port: int, trips: int, warmup: int) -> list[float]:
    ws = await ws_connect(port)
    text = frame("HEARTBEAT", {"sentAt": now_ms()})
    times = []
    try:
        for i in range(warmup + trips):
            t0 = time.perf_counter()
            await ws.send(text)
            await ws.recv()
            if i >= warmup:
                times.append(time.perf_counter() - t0)
    finally:
        await ws.close()
    return times


async def floor_on(port: int, trips: int, warmup: int) -> dict[str, Any]:
    """``trips`` round trips spread over FLOOR_CONNECTIONS fresh connections, in turn.

    One connection alone is not enough: on this machine some loopback connections are
    steadily slower than others (the first one a process opens, often: ~70 instead of ~40
    microseconds per round trip, for thousands of trips, the extra time spent in the kernel's
    send and recv), so the floor is the median over several connections' round trips.
    """
    per_connection = [await echo_round_trips(port, max(1, trips // FLOOR_CONNECTIONS), warmup)
                      for _ in range(FLOOR_CONNECTIONS)]
    stats = summary_ms([t for times in per_connection for t in times])
    stats["per_connection_median_ms"] = [statistics.median(t) * 1000 for t in per_connection]
    return stats


async def floor_in_process(trips: int, warmup: int) -> dict[str, Any]:
    async def echo(ws):
        async for message in ws:
            await ws.send(message)

    async with serve(echo, LOOPBACK, 0, compression=None) as server:
        return await floor_on(server.sockets[0].getsockname()[1], trips, warmup)


async def floor_own_process(trips: int, warmup: int) -> dict[str, Any]:
    with child(ECHO_RUNNER, []) as (proc, first_line):
        return await floor_on(int(first_line()), trips, warmup)


# -- guests ----------------------------------------------------------------------------------
class Hub:
    """Waits until ``count`` residents have received a frame of one type about one device."""

    def __init__(self) -> None:
        self.want: tuple[str, str] | None = None
        self.remaining = 0
        self.last = 0.0
        self.done = asyncio.Event()
        self.acks = 0

    def expect(self, type_: str, device_id: str, count: int) -> None:
        self.want = (type_, device_id)
        self.remaining = count
        self.last = 0.0
        self.done = asyncio.Event()
        if count == 0:
            self.done.set()

    def on_binary(self, data: bytes, stamp: float) -> None:
        """An audio-like chunk: its first 8 bytes are the sample's number."""
        want = self.want
        if want is not None and want[0] == "binary" and data[:8] == want[1].encode():
            self.remaining -= 1
            self.last = max(self.last, stamp)
            if self.remaining == 0:
                self.done.set()

    def on_frame(self, msg: dict, stamp: float) -> None:
        type_ = msg.get("type")
        if type_ == "HEARTBEAT_ACK":
            self.acks += 1
            return
        want = self.want
        if want is None or type_ != want[0]:
            return
        payload = msg["payload"]
        device = payload["member"]["id"] if type_ == "MEMBER_JOINED" else payload.get("deviceId")
        if device == want[1]:
            self.remaining -= 1
            self.last = max(self.last, stamp)
            if self.remaining == 0:
                self.done.set()


def join_frame(session_id: str, device_id: str) -> str:
    return frame("JOIN", {"sessionId": session_id, "deviceId": device_id,
                          "deviceName": device_id, "appVersion": "bench"})


async def recv_json(ws: ClientConnection) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), STEP_TIMEOUT_S))


async def read_welcome(ws: ClientConnection, device_id: str) -> tuple[dict, dict]:
    welcome = await recv_json(ws)
    if welcome["type"] != "WELCOME":
        raise RuntimeError(f"{device_id}: expected WELCOME, got {welcome}")
    members = await recv_json(ws)
    if members["type"] != "MEMBER_LIST":
        raise RuntimeError(f"{device_id}: expected MEMBER_LIST, got {members}")
    return welcome, members


class Resident:
    """A joined guest that reads every frame and heartbeats like a real one."""

    def __init__(self, ws: ClientConnection, hub: Hub, interval_s: float) -> None:
        self.ws = ws
        self.hub = hub
        self.interval_s = interval_s
        self.tasks = [asyncio.create_task(self._read()),
                      asyncio.create_task(self._heartbeat(interval_s))]

    @classmethod
    async def join(cls, port: int, session_id: str, device_id: str, hub: Hub) -> Resident:
        ws = await ws_connect(port)
        await ws.send(join_frame(session_id, device_id))
        welcome, _ = await read_welcome(ws, device_id)
        return cls(ws, hub, welcome["payload"]["heartbeatIntervalMs"] / 1000)

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                if isinstance(raw, bytes):
                    self.hub.on_binary(raw, time.perf_counter())
                else:
                    self.hub.on_frame(json.loads(raw), time.perf_counter())
        except websockets.ConnectionClosed:
            pass

    async def _heartbeat(self, interval_s: float) -> None:
        await asyncio.sleep(random.uniform(0, interval_s))
        while True:
            await self.ws.send(frame("HEARTBEAT", {"sentAt": now_ms()}))
            await asyncio.sleep(interval_s)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.ws.transport.abort()  # many guests: no closing handshakes to wait for


async def join_residents(port: int, session_id: str, count: int, hub: Hub,
                         prefix: str) -> list[Resident]:
    residents: list[Resident] = []
    try:
        for i in range(count):
            residents.append(await Resident.join(port, session_id, f"{prefix}-{i}", hub))
    except BaseException:
        await close_all(residents)
        raise
    return residents


async def close_all(residents: list[Resident]) -> None:
    await asyncio.gather(*(r.close() for r in residents), return_exceptions=True)


# -- 2. fan-out, beside the plain relay ------------------------------------------------------
class Party:
    """N - 2 residents joined to a host (or the relay) and the newcomer's sample procedure."""

    def __init__(self, port: int, session_id: str, members: int, tag: str) -> None:
        self.port, self.session_id, self.members, self.tag = port, session_id, members, tag
        self.receivers = members - 2
        self.hub = Hub()
        self.residents: list[Resident] = []

    async def open(self) -> None:
        self.residents = await join_residents(self.port, self.session_id, self.receivers,
                                              self.hub, f"{self.tag}-r{self.members}")

    async def close(self) -> None:
        await close_all(self.residents)

    async def sample(self, k: int) -> float:
        """One newcomer's JOIN until the last resident has its MEMBER_JOINED; then it
        leaves, and nothing of it is left in flight."""
        hub, device = self.hub, f"{self.tag}-n{self.members}-{k}"
        ws = await ws_connect(self.port)
        try:
            hub.expect("MEMBER_JOINED", device, self.receivers)
            t0 = time.perf_counter()
            await ws.send(join_frame(self.session_id, device))
            await asyncio.wait_for(hub.done.wait(), STEP_TIMEOUT_S)
            took = hub.last - t0
            _, listing = await read_welcome(ws, device)
            if len(listing["payload"]["members"]) != self.members:
                raise RuntimeError(f"MEMBER_LIST has {len(listing['payload']['members'])} "
                                   f"members, expected {self.members}")
            hub.expect("MEMBER_LEFT", device, self.receivers)
            await ws.send(frame("LEAVE", {"reason": "bench"}))
            await asyncio.wait_for(hub.done.wait(), STEP_TIMEOUT_S)
            await asyncio.wait_for(ws.wait_closed(), STEP_TIMEOUT_S)
            return took
        finally:
            ws.transport.abort()


async def side_by_side(host: Any, relay: Any, samples: int, warmup: int
                       ) -> tuple[list[float], list[float]]:
    """Samples of the host and of the relay taken in turn (who goes first alternates), so
    whatever else the machine does weighs on both alike. ``host.sample(k)``, the same for
    ``relay``, each returns seconds."""
    times: dict[str, list[float]] = {"host": [], "relay": []}
    for k in range(warmup + samples):
        order = (("host", host), ("relay", relay)) if k % 2 else (("relay", relay),
                                                                  ("host", host))
        for name, party in order:
            took = await party.sample(k)
            if k >= warmup:
                times[name].append(took)
    return times["host"], times["relay"]


async def measure_parties(host: Party, relay: Party, samples: int, warmup: int
                          ) -> tuple[list[float], list[float]]:
    await host.open()
    try:
        await relay.open()
        try:
            return await side_by_side(host, relay, samples, warmup)
        finally:
            await relay.close()
    finally:
        await host.close()


async def fanout_in_process(members: int, samples: int, warmup: int
                            ) -> tuple[list[float], list[float]]:
    """(host's samples, relay's samples), both servers in this process and loop."""
    config = HostConfig(session_id=generate_session_id(), max_members=members)
    server = HostServer(config, port=0, bind=LOOPBACK)
    await server.start()
    try:
        async with serve(Relay(members - 2).handle, LOOPBACK, 0, compression=None) as relay:
            return await measure_parties(
                Party(server.port, config.session_id, members, "ip"),
                Party(relay.sockets[0].getsockname()[1], "RELAY2", members, "rip"),
                samples, warmup)
    finally:
        await server.stop()


async def fanout_own_process(members: int, samples: int, warmup: int
                             ) -> tuple[list[float], list[float]]:
    """(host's samples, relay's samples), the CLI host and the relay each in a process of
    its own, both on the host's CPU."""
    with host_process(members) as (_, hosting), \
            child(RELAY_RUNNER, [__file__, str(members - 2)]) as (_, relay_port):
        return await measure_parties(
            Party(hosting["port"], hosting["sessionId"], members, "hp"),
            Party(int(relay_port()), "RELAY2", members, "rhp"), samples, warmup)


# -- 2b. the plain websockets relay, and audio-sized binary frames ---------------------------
RELAY_HEARTBEAT_MS = HostConfig(session_id="RELAY2").heartbeat_interval_ms


def relay_member(device_id: str) -> dict[str, Any]:
    """A member as MEMBER_JOINED and MEMBER_LIST carry it, so the relay's frames are the
    host's size."""
    return {"id": device_id, "name": device_id, "role": "client",
            "connectionStatus": "connected", "joinedAt": now_ms()}


class Relay:
    """The least a host of this shape can do: a ``websockets.asyncio`` server that, on a
    newcomer's JOIN, ``broadcast()``s one MEMBER_JOINED-sized frame to the residents.

    A connection's first frame is its JOIN; the first ``receivers`` are residents, the rest
    newcomers. Everyone gets a WELCOME and a MEMBER_LIST of the party's size (a newcomer's
    after the broadcast: the sample ends before the newcomer reads them), HEARTBEATs are
    acknowledged, and a LEAVE is broadcast and closed, so the sample procedure is exactly
    the host's.
    """

    def __init__(self, receivers: int) -> None:
        self.receivers = receivers
        self.residents: list[ServerConnection] = []

    async def handle(self, ws: ServerConnection) -> None:
        try:
            await self._serve(ws)
        except websockets.ConnectionClosed:
            pass   # the bench aborts its guests: no closing handshakes to wait for

    async def _serve(self, ws: ServerConnection) -> None:
        device = ""
        async for raw in ws:
            msg = json.loads(raw)
            type_ = msg["type"]
            if type_ == "HEARTBEAT":
                await ws.send(frame("HEARTBEAT_ACK", {"sentAt": msg["payload"]["sentAt"]}))
            elif type_ == "JOIN":
                device = msg["payload"]["deviceId"]
                if len(self.residents) < self.receivers:
                    self.residents.append(ws)
                else:
                    broadcast(self.residents,
                              frame("MEMBER_JOINED", {"member": relay_member(device)}))
                await ws.send(frame("WELCOME", {"deviceId": device,
                                                "heartbeatIntervalMs": RELAY_HEARTBEAT_MS}))
                members = [relay_member(f"m{i}") for i in range(self.receivers + 2)]
                await ws.send(frame("MEMBER_LIST", {"members": members}))
            elif type_ == "LEAVE":
                broadcast(self.residents, frame("MEMBER_LEFT", {"deviceId": device,
                                                                "reason": "left"}))
                await ws.close()


async def relay_forever(receivers: int) -> None:
    """RELAY_RUNNER's body: print the port, then relay until killed."""
    async with serve(Relay(receivers).handle, LOOPBACK, 0, compression=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


class ChunkParty:
    """Residents that get one AUDIO_CHUNK_BYTES binary frame at a time from ``send_all``."""

    def __init__(self, party: Party, send_all: Callable[[bytes], None]) -> None:
        self.party, self.send_all = party, send_all
        self.padding = bytes(AUDIO_CHUNK_BYTES - 8)

    async def sample(self, k: int) -> float:
        """``send_all`` of chunk number ``k`` (its first 8 bytes) until the last resident
        has it."""
        hub, number = self.party.hub, f"{k:08d}"
        hub.expect("binary", number, self.party.receivers)
        t0 = time.perf_counter()
        self.send_all(number.encode() + self.padding)
        await asyncio.wait_for(hub.done.wait(), STEP_TIMEOUT_S)
        return hub.last - t0


async def binary_in_process(members: int, samples: int, warmup: int
                            ) -> tuple[list[float], list[float]]:
    """(host's, relay's): ``HostServer.send_to`` each guest, as the stream does, beside one
    ``broadcast()`` to the relay's residents."""
    config = HostConfig(session_id=generate_session_id(), max_members=members)
    server = HostServer(config, port=0, bind=LOOPBACK)
    await server.start()
    relay = Relay(members - 2)
    try:
        async with serve(relay.handle, LOOPBACK, 0, compression=None) as relay_server:
            host_party = Party(server.port, config.session_id, members, "bin")
            relay_party = Party(relay_server.sockets[0].getsockname()[1], "RELAY2", members,
                                "rbin")
            guests = [f"bin-r{members}-{i}" for i in range(members - 2)]

            def send_to_each(chunk: bytes) -> None:
                for guest in guests:
                    server.send_to(guest, chunk)

            await host_party.open()
            try:
                await relay_party.open()
                try:
                    return await side_by_side(
                        ChunkParty(host_party, send_to_each),
                        ChunkParty(relay_party, lambda c: broadcast(relay.residents, c)),
                        samples, warmup)
                finally:
                    await relay_party.close()
            finally:
                await host_party.close()
    finally:
        await server.stop()


# -- subprocesses ----------------------------------------------------------------------------
@contextmanager
def child(code: str, args: list[str]) -> Iterator[tuple[subprocess.Popen, Any]]:
    """A Python child running ``code``; stdout goes to a temp file (nobody must drain a pipe).

    Yields the process and ``first_line()``, which waits for its first line of output.
    """
    out = tempfile.TemporaryFile(mode="w+b")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT, env=env)
    if PINNING is not None:
        psutil.Process(proc.pid).cpu_affinity([PINNING[1]])

    def first_line(timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out.seek(0)
            line = out.readline()
            if line.endswith(b"\n"):
                return line.decode()
            if proc.poll() is not None:
                raise RuntimeError(f"child exited with {proc.returncode}: "
                                   f"{proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.02)
        raise RuntimeError("child printed nothing")

    try:
        yield proc, first_line
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        proc.stderr.close()
        out.close()


@contextmanager
def host_process(max_members: int) -> Iterator[tuple[subprocess.Popen, dict]]:
    """The CLI host on 127.0.0.1 and an OS-chosen port; yields it and its 'hosting' line."""
    with child(HOST_RUNNER, ["--json", "--port", "0", "--no-discovery", "--bind", LOOPBACK,
                             "--max-members", str(max_members)]) as (proc, first_line):
        hosting = json.loads(first_line())
        if hosting.get("event") != "hosting":
            raise RuntimeError(f"unexpected first line from the host: {hosting}")
        listening = {c.laddr.ip for c in psutil.Process(proc.pid).net_connections("tcp")
                     if c.status == psutil.CONN_LISTEN}
        if listening != {LOOPBACK}:
            raise RuntimeError(f"the host listens on {listening}, not only on {LOOPBACK}")
        yield proc, hosting


# -- 3. memory -------------------------------------------------------------------------------
async def host_memory(guests: int) -> dict[str, Any]:
    hub = Hub()
    with host_process(guests + 1) as (proc, hosting):
        ps = psutil.Process(proc.pid)
        port, session_id = hosting["port"], hosting["sessionId"]
        await asyncio.sleep(0.5)
        idle = ps.memory_info().rss
        residents: list[Resident] = []
        try:
            residents = await join_residents(port, session_id, 1, hub, "mem")
            await asyncio.sleep(0.3)
            one = ps.memory_info().rss
            residents += await join_residents(port, session_id, guests - 1, hub, "mem-more")
            # Prove the party is full: the host refuses one more (SESSION_FULL).
            ws = await ws_connect(port)
            await ws.send(join_frame(session_id, "mem-one-too-many"))
            refusal = await recv_json(ws)
            ws.transport.abort()
            if refusal["payload"].get("code") != "SESSION_FULL":
                raise RuntimeError(f"expected SESSION_FULL, got {refusal}")
            acks_before = hub.acks
            hold_s = residents[0].interval_s * 1.1
            await asyncio.sleep(hold_s)  # every guest heartbeats at least once
            full = ps.memory_info().rss
            acks = hub.acks - acks_before
            if acks < guests:
                raise RuntimeError(f"only {acks} HEARTBEAT_ACKs for {guests} guests")
        finally:
            await close_all(residents)
    mib = 1024 * 1024
    return {
        "guests": guests, "held_s": round(hold_s, 1), "heartbeat_acks": acks,
        "rss_idle_mib": idle / mib, "rss_1_guest_mib": one / mib,
        "rss_full_mib": full / mib,
        "per_guest_kib": (full - one) / (guests - 1) / 1024,
        "per_guest_naive_kib": (full - idle) / guests / 1024,
    }


# -- main ------------------------------------------------------------------------------------
PINNING_USED: tuple[int, int] = (0, 0)


def pin_cpus() -> set[int] | None:
    """Guests on one CPU, the child (echo server or host) on another; returns the old mask.

    Unpinned, the scheduler sometimes puts both processes on one CPU, where a ping-pong is
    faster (~0.06 instead of ~0.11 ms per echo round trip on the 2-core machine), so the
    figures would flip between two values from run to run. Pinned, they do not, and the host
    has a core of its own as it would on a real laptop.
    """
    global PINNING, PINNING_USED
    if not hasattr(os, "sched_setaffinity"):
        return None
    old = os.sched_getaffinity(0)
    if len(old) < 2:
        return None
    guest_cpu, host_cpu = sorted(old)[:2]
    os.sched_setaffinity(0, {guest_cpu})
    PINNING = PINNING_USED = (guest_cpu, host_cpu)
    return old


def with_ratios(stats: dict[str, Any], floor_ms: float, receivers: int) -> dict[str, Any]:
    return {**stats, "receivers": receivers,
            "median_over_floor": stats["median_ms"] / floor_ms,
            "p95_over_floor": stats["p95_ms"] / floor_ms,
            "median_per_receiver_us": stats["median_ms"] * 1000 / receivers}


def over_relay(stats: dict[str, Any], relay: dict[str, Any]) -> dict[str, Any]:
    return {**stats, "median_over_relay": stats["median_ms"] / relay["median_ms"],
            "p95_over_relay": stats["p95_ms"] / relay["p95_ms"]}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    result: dict[str, Any] = {
        "benchmark": "fanout",
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "websockets": websockets.__version__, "platform": platform.platform(),
                    "network": "loopback 127.0.0.1"},
        "parameters": {"floor_trips": args.floor_trips, "samples": args.samples,
                       "warmup": args.warmup, "members": args.members,
                       "memory_guests": args.memory_guests},
    }
    global PINNING
    for mode, floor_fn, fanout_fn in (
            ("in_process", floor_in_process, fanout_in_process),
            ("host_process", floor_own_process, fanout_own_process)):
        if mode == "host_process" and args.in_process_only:
            continue
        pinned = mode == "host_process" and pin_cpus()
        try:
            floor = await floor_fn(args.floor_trips, args.warmup)
            fanout, relay = {}, {}
            for members in args.members:
                host_times, relay_times = await fanout_fn(members, args.samples, args.warmup)
                relay[str(members)] = with_ratios(summary_ms(relay_times), floor["median_ms"],
                                                  members - 2)
                fanout[str(members)] = over_relay(
                    with_ratios(summary_ms(host_times), floor["median_ms"], members - 2),
                    relay[str(members)])
        finally:
            if pinned:
                os.sched_setaffinity(0, pinned)
                PINNING = None
        result[mode] = {"floor": floor, "fanout": fanout, "relay": relay,
                        "cpus_guests_host": list(PINNING_USED) if pinned else None}
    binary = {}
    for members in args.members:
        host_times, relay_times = await binary_in_process(members, args.samples, args.warmup)
        relay_stats = summary_ms(relay_times)
        binary[str(members)] = {"receivers": members - 2, "relay": relay_stats,
                                "host": over_relay(summary_ms(host_times), relay_stats)}
    result["binary_in_process"] = binary
    if args.memory_guests:
        result["memory"] = await host_memory(args.memory_guests)
    result["elapsed_s"] = round(time.monotonic() - started, 1)
    return result


def print_table(r: dict[str, Any]) -> None:
    mc = r["machine"]
    print(f"LoudSync fan-out benchmark, {r['date']}: {mc['cpus']} CPUs, Python {mc['python']}, "
          f"websockets {mc['websockets']}, {mc['network']}")
    titles = {"in_process": "host in the guests' process (one loop)",
              "host_process": "host in its own process (the CLI host)"}
    for mode in ("in_process", "host_process"):
        if mode not in r:
            continue
        f = r[mode]["floor"]
        cpus = r[mode].get("cpus_guests_host")
        pinned = f", guests on CPU {cpus[0]}, host on CPU {cpus[1]}" if cpus else ""
        print(f"\n{titles[mode]}{pinned}")
        print(f"  floor: websockets echo round trip, {f['samples']} trips on "
              f"{len(f['per_connection_median_ms'])} connections: "
              f"median {f['median_ms']:.3f} ms, p95 {f['p95_ms']:.3f} ms")
        print("  fan-out: JOIN sent -> MEMBER_JOINED at every other guest; relay: the same "
              "through a plain websockets broadcast()")
        print(f"  {'members':>7} {'':>7} {'receivers':>9} {'samples':>7} {'median ms':>10}"
              f" {'p95 ms':>8} {'median/floor':>12} {'p95/floor':>9} {'per receiver':>12}"
              f" {'median/relay':>12} {'p95/relay':>9}")
        for members, s in r[mode]["fanout"].items():
            for what, row in (("host", s), ("relay", r[mode]["relay"][members])):
                ratios = (f" {row['median_over_relay']:>12.2f} {row['p95_over_relay']:>9.2f}"
                          if what == "host" else "")
                print(f"  {members:>7} {what:>7} {row['receivers']:>9} {row['samples']:>7}"
                      f" {row['median_ms']:>10.3f} {row['p95_ms']:>8.3f}"
                      f" {row['median_over_floor']:>12.1f} {row['p95_over_floor']:>9.1f}"
                      f" {row['median_per_receiver_us']:>9.0f} us{ratios}")
    if "binary_in_process" in r:
        print(f"\none {AUDIO_CHUNK_BYTES}-byte binary frame to every guest, host in the guests' "
              "process: HostServer.send_to per guest vs broadcast()")
        print(f"  {'members':>7} {'receivers':>9} {'':>7} {'samples':>7} {'median ms':>10}"
              f" {'p95 ms':>8} {'median/relay':>12} {'p95/relay':>9}")
        for members, b in r["binary_in_process"].items():
            for what in ("host", "relay"):
                row = b[what]
                ratios = (f" {row['median_over_relay']:>12.2f} {row['p95_over_relay']:>9.2f}"
                          if what == "host" else "")
                print(f"  {members:>7} {b['receivers']:>9} {what:>7} {row['samples']:>7}"
                      f" {row['median_ms']:>10.3f} {row['p95_ms']:>8.3f}{ratios}")
    if "memory" in r:
        mem = r["memory"]
        print(f"\nhost process memory (RSS), {mem['guests']} guests heartbeating for "
              f"{mem['held_s']} s ({mem['heartbeat_acks']} acks)")
        full = f"with {mem['guests']} guests"
        print(f"  {'before any guest':<18} {mem['rss_idle_mib']:8.1f} MiB")
        print(f"  {'with 1 guest':<18} {mem['rss_1_guest_mib']:8.1f} MiB")
        print(f"  {full:<18} {mem['rss_full_mib']:8.1f} MiB")
        print(f"  {'per guest':<18} {mem['per_guest_kib']:8.1f} KiB  (1 -> {mem['guests']}; "
              f"naive idle -> {mem['guests']}: {mem['per_guest_naive_kib']:.1f} KiB)")
    print(f"\ntotal {r['elapsed_s']} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--samples", type=int, default=500, help="fan-out samples per size")
    parser.add_argument("--warmup", type=int, default=30, help="discarded samples / trips")
    parser.add_argument("--floor-trips", type=int, default=2000,
                        help=f"echo round trips, over {FLOOR_CONNECTIONS} connections")
    parser.add_argument("--members", type=int, nargs="+", default=[8, 32],
                        help="party sizes, host included (each at least 3)")
    parser.add_argument("--memory-guests", type=int, default=64,
                        help="guests for the memory figure (0: skip it)")
    parser.add_argument("--in-process-only", action="store_true",
                        help="skip the runs against a host in its own process")
    args = parser.parse_args(argv)
    if min(args.members) < 3:
        parser.error("--members: each size must be at least 3 (host, newcomer, one receiver)")
    if args.memory_guests == 1:
        parser.error("--memory-guests: 0 or at least 2")
    result = asyncio.run(run(args))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
