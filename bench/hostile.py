#!/usr/bin/env python3
"""How fast does the host answer its real guests while a hostile crowd attacks it? Measured.

On loopback, one HostServer in this process (the tests' settings: 24 members, 1 s grace).

1. Heartbeat answers. Two probe guests heartbeat, together one every 50 ms, and time every
   HEARTBEAT_ACK from when the heartbeat was due (testsupport/hostile.py). First with nothing
   else going on (the baseline, in the same run), then while the fuzz process of
   tests/net/test_hostile_crowds.py attacks (at least 18 s and 3,000 frames: hostile JSON,
   framing tricks, takeovers, junk HTTP, idle sockets, slow readers).
2. Joining through a flood. How long a real guest takes from connecting to WELCOME: on a quiet
   host (baseline), right after 300 idle WebSockets and 100 half-open sockets, and while 8
   tasks keep opening more.

The tests check only behaviour (every heartbeat answered within the protocol's timeout, the
guests get in); these are the speed figures, for docs/BENCHMARKS.md.

    .venv/bin/python bench/hostile.py [--quiet-seconds 10] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loudsync_desktop.net.server import HostServer  # noqa: E402
from loudsync_desktop.protocol.host import HostConfig  # noqa: E402
from testsupport.hostile import (FUZZ_SECONDS, Probe, heartbeats_under_attack,  # noqa: E402
                                 join_probes)
from testsupport.measure import percentile  # noqa: E402
from testsupport.rawws import SESSION_ID, RawGuest, ws_open  # noqa: E402


def figures(probes: list[Probe]) -> dict:
    lat = [x * 1000 for p in probes for x in p.latencies]
    late = [x * 1000 for p in probes for x in p.late_sends]
    return {"acks": len(lat), "median_ms": statistics.median(lat), "p99_ms": percentile(lat, 0.99),
            "max_ms": max(lat), "late_send_max_ms": max(late)}


async def heartbeats(quiet_s: float) -> dict:
    """Section 1: the same two probes, quiet first, then under attack."""
    server = HostServer(HostConfig(SESSION_ID, max_members=24, grace_ms=1_000), port=0,
                        bind="127.0.0.1")
    await server.start()
    result = {}
    try:
        for phase, attack, seconds in (("baseline", False, quiet_s),
                                       ("under_attack", True, FUZZ_SECONDS)):
            probes = await join_probes(server.port)
            readers = [asyncio.create_task(p.read()) for p in probes]
            started = time.monotonic()
            stats = await heartbeats_under_attack(server.port, ["host", "probe-0", "probe-1"],
                                                  probes, seconds=seconds, attack=attack)
            elapsed = time.monotonic() - started
            deadline = time.monotonic() + 10
            while any(p.sent for p in probes) and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            result[phase] = {**figures(probes), "seconds": round(elapsed, 1),
                             "unanswered": sum(len(p.sent) for p in probes)}
            if attack:
                result[phase]["attack"] = {k: stats[k] for k in ("frames", "connections", "bytes")}
            for p in probes:   # leave, so the next phase's probes can join with these ids
                await p.raw.send("LEAVE", {"reason": "done"})
                await p.raw.close()
            await asyncio.gather(*readers)
            while len(server.members) > 1 and time.monotonic() < deadline + 10:
                await asyncio.sleep(0.05)
    finally:
        await server.stop()
    return result


async def join_ms(port: int, device_id: str) -> float:
    started = time.monotonic()
    raw = await RawGuest.connect(port)
    answer = await raw.join(SESSION_ID, device_id)
    took = (time.monotonic() - started) * 1000
    assert answer["type"] == "WELCOME", answer
    await raw.close()
    return took


async def flood() -> dict:
    """Section 2: joins on a quiet host, after a flood, and during one."""
    server = HostServer(HostConfig(SESSION_ID), port=0, bind="127.0.0.1")
    await server.start()
    opened, half_open = [], []
    gate = asyncio.Semaphore(64)

    async def websocket_only() -> None:
        async with gate:
            opened.append(await ws_open(server.port))

    async def tcp_only(i: int) -> None:
        async with gate:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            if i % 2:
                writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
            half_open.append((reader, writer))

    try:
        baseline = [await join_ms(server.port, f"quiet-{i}") for i in range(5)]
        started = time.monotonic()
        await asyncio.gather(*(websocket_only() for _ in range(300)),
                             *(tcp_only(i) for i in range(100)))
        flood_s = time.monotonic() - started
        after = await join_ms(server.port, "after-flood")
        flooding = True

        async def keep_flooding() -> None:
            while flooding:
                await websocket_only()

        flooders = [asyncio.create_task(keep_flooding()) for _ in range(8)]
        first_wave = len(opened)
        while len(opened) < first_wave + 16:
            await asyncio.sleep(0.01)
        try:
            during = await join_ms(server.port, "during-flood")
        finally:
            flooding = False
            await asyncio.gather(*flooders)
        return {"baseline_join_ms": statistics.median(baseline), "flood_sockets": 400,
                "flood_opened_s": round(flood_s, 3), "join_after_flood_ms": after,
                "join_during_flood_ms": during, "opened_meanwhile": len(opened) - first_wave}
    finally:
        for _, writer in opened + half_open:
            writer.transport.abort()
        await server.stop()


def print_table(r: dict) -> None:
    print("heartbeat answers (two probes, one heartbeat every 50 ms, timed from when it was due)")
    for phase in ("baseline", "under_attack"):
        f = r["heartbeats"][phase]
        extra = ""
        if "attack" in f:
            a = f["attack"]
            extra = (f"; attack {a['frames']} frames, {a['bytes'] / 1e6:.0f} MB, "
                     f"{a['connections']} connections")
        print(f"  {phase:<13} {f['acks']:>4} acks over {f['seconds']:>5.1f} s: median "
              f"{f['median_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms, max {f['max_ms']:.1f} ms "
              f"(own sends late by up to {f['late_send_max_ms']:.1f} ms), "
              f"{f['unanswered']} unanswered{extra}")
    f = r["flood"]
    print("joining through a flood (connect to WELCOME)")
    print(f"  baseline (quiet host, median of 5): {f['baseline_join_ms']:.1f} ms")
    print(f"  right after {f['flood_sockets']} idle/half-open sockets (opened in "
          f"{f['flood_opened_s']:.2f} s): {f['join_after_flood_ms']:.1f} ms")
    print(f"  while the flood goes on ({f['opened_meanwhile']} more sockets meanwhile): "
          f"{f['join_during_flood_ms']:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quiet-seconds", type=float, default=10.0,
                        help="how long the baseline heartbeats run (default 10)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    async def run() -> dict:
        return {"heartbeats": await heartbeats(args.quiet_seconds), "flood": await flood()}

    result = asyncio.run(run())
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
