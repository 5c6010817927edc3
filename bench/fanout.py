"""Fan-out benchmark of the LoudSync host, with the plain-websockets floor measured in the same run.

Run:  .venv/bin/python bench/fanout.py            (a table)
      .venv/bin/python bench/fanout.py --json     (one JSON object with every figure)

Everything listens on 127.0.0.1 with ports chosen by the OS (port 0); every subprocess is
killed in ``finally``. The whole run takes about 12 s on a 2-core machine.

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

   The fan-out is measured twice:
     * in-process: ``HostServer(config, port=0, bind="127.0.0.1")`` runs in the same asyncio
       loop as the guests, like the in-process floor. Host and guests share one core and one
       loop, so a sample is the sum of all the work: the host's (parse JOIN, build and queue
       N - 2 frames, N - 2 writes) and the guests' (N - 2 reads and JSON parses).
     * host process: the real command-line host (``python -m loudsync_desktop host --json
       --port 0 --no-discovery --max-members N``, --bind 127.0.0.1) in its own process,
       guests in this one, each pinned to a CPU of its own (see ``pin_cpus``), as on a real
       network where the host has its laptop to itself. Its floor is an echo server in its own
       process, pinned the same way, for a like-for-like ratio.

   Ratios are to the floor's median (the same floor for median and p95), so "ratio 10" reads
   "as long as ten plain echo round trips".

3. Memory. The command-line host in its own process; its resident set size (psutil RSS) is
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
from collections.abc import Iterator

import psutil
import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import serve

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


# -- 2. fan-out ------------------------------------------------------------------------------
async def fanout_samples(port: int, session_id: str, members: int, samples: int,
                         warmup: int, tag: str) -> list[float]:
    hub = Hub()
    receivers = members - 2
    residents = await join_residents(port, session_id, receivers, hub, f"{tag}-r{members}")
    times: list[float] = []
    try:
        for k in range(warmup + samples):
            device = f"{tag}-n{members}-{k}"
            ws = await ws_connect(port)
            try:
                hub.expect("MEMBER_JOINED", device, receivers)
                t0 = time.perf_counter()
                await ws.send(join_frame(session_id, device))
                await asyncio.wait_for(hub.done.wait(), STEP_TIMEOUT_S)
                if k >= warmup:
                    times.append(hub.last - t0)
                _, listing = await read_welcome(ws, device)
                if len(listing["payload"]["members"]) != members:
                    raise RuntimeError(f"MEMBER_LIST has {len(listing['payload']['members'])} "
                                       f"members, expected {members}")
                hub.expect("MEMBER_LEFT", device, receivers)
                await ws.send(frame("LEAVE", {"reason": "bench"}))
                await asyncio.wait_for(hub.done.wait(), STEP_TIMEOUT_S)
                await asyncio.wait_for(ws.wait_closed(), STEP_TIMEOUT_S)
            finally:
                ws.transport.abort()
    finally:
        await close_all(residents)
    return times


async def fanout_in_process(members: int, samples: int, warmup: int) -> list[float]:
    config = HostConfig(session_id=generate_session_id(), max_members=members)
    server = HostServer(config, port=0, bind=LOOPBACK)
    await server.start()
    try:
        return await fanout_samples(server.port, config.session_id, members, samples, warmup,
                                    "ip")
    finally:
        await server.stop()


async def fanout_own_process(members: int, samples: int, warmup: int) -> list[float]:
    with host_process(members) as (proc, hosting):
        return await fanout_samples(hosting["port"], hosting["sessionId"], members, samples,
                                    warmup, "hp")


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
            fanout = {}
            for members in args.members:
                times = await fanout_fn(members, args.samples, args.warmup)
                fanout[str(members)] = with_ratios(summary_ms(times), floor["median_ms"],
                                                   members - 2)
        finally:
            if pinned:
                os.sched_setaffinity(0, pinned)
                PINNING = None
        result[mode] = {"floor": floor, "fanout": fanout,
                        "cpus_guests_host": list(PINNING_USED) if pinned else None}
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
        print("  fan-out: JOIN sent -> MEMBER_JOINED at every other guest "
              "(ratios to the floor's median)")
        print(f"  {'members':>7} {'receivers':>9} {'samples':>7} {'median ms':>10} {'p95 ms':>8}"
              f" {'median/floor':>12} {'p95/floor':>9} {'per receiver':>12}")
        for members, s in r[mode]["fanout"].items():
            print(f"  {members:>7} {s['receivers']:>9} {s['samples']:>7} {s['median_ms']:>10.3f}"
                  f" {s['p95_ms']:>8.3f} {s['median_over_floor']:>12.1f}"
                  f" {s['p95_over_floor']:>9.1f} {s['median_per_receiver_us']:>9.0f} us")
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
