"""Crowds of hostile or idle sockets must not disturb the real guests (real sockets, 127.0.0.1).

The two load tests are named so that ``-k fuzz`` / ``-k flood`` pick them (and
``-k "not fuzz and not flood"`` skips them): ``test_fuzz_*`` (at least 18 s and 3,000 frames
of attack; testsupport/hostile.py) and ``test_flood_*`` (about 5 s). The fuzzer runs in a
separate process, so the load is not that of this test process. They check behaviour (every
heartbeat answered in time to keep its guest, nobody dropped); how fast the host answers
under attack is measured by bench/hostile.py. Both print what they saw (``-s``).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import statistics
import time

import psutil

from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.events import JoinRefused, MemberLeft
from loudsync_desktop.protocol.guest import CONNECTED
from tests.net.helpers import members_agree
from tests.support import wait_until
from testsupport.hostile import (FUZZ_MIN_CONNECTIONS, FUZZ_MIN_FRAMES, FUZZ_SECONDS,
                                 heartbeats_under_attack, join_probes)
from testsupport.measure import percentile
from testsupport.rawws import ws_open, ws_read


async def test_fuzz_hostile_frames_never_stall_the_host_or_touch_real_members(
        start_host, join_guest, caplog):
    caplog.set_level(logging.ERROR)
    server = await start_host(max_members=24, grace_ms=1_000)
    watchers = [await join_guest(server, f"watcher-{i}") for i in range(2)]
    probes = await join_probes(server.port)
    readers = [asyncio.create_task(p.read()) for p in probes]
    await wait_until(lambda: all(len(w.members) == 5 for w in watchers)
                     and members_agree(server, *watchers), what="the real members listed")
    legit = server.members
    legit_ids = {x.id for x in legit}
    seen_by_host: collections.Counter = collections.Counter()
    server.add_listener(lambda e: seen_by_host.update(
        [type(e).__name__ + (f" {e.code}" if isinstance(e, JoinRefused) else "")
         + (f" ({e.reason})" if isinstance(e, MemberLeft) else "")]))
    host_cpu = psutil.Process().cpu_times()
    started = time.monotonic()

    # Two guests each heartbeat every 100 ms, half a period apart: the host gets a heartbeat
    # every 50 ms, and neither guest comes near the host's 200-frames-in-10-s abuse limit.
    stats = await heartbeats_under_attack(server.port, sorted(legit_ids), probes,
                                          seconds=FUZZ_SECONDS)
    elapsed = time.monotonic() - started
    cpu = psutil.Process().cpu_times()
    busy = (cpu.user + cpu.system - host_cpu.user - host_cpu.system) / elapsed
    await wait_until(lambda: all(not p.sent for p in probes), what="the last acks")

    latencies = [x for p in probes for x in p.latencies]
    late = [x for p in probes for x in p.late_sends]
    figures = (f"{len(latencies)} heartbeat acks: max {max(latencies) * 1000:.1f} ms, "
               f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, "
               f"median {statistics.median(latencies) * 1000:.1f} ms (from when each was due; "
               f"sends were late by up to {max(late) * 1000:.1f} ms of that); "
               f"this process (host and probes) used "
               f"{busy:.0%} of a core over {elapsed:.1f} s; fuzz sent {stats}; "
               f"the host saw {dict(seen_by_host)}")
    print("\n" + figures)
    assert stats["frames"] >= FUZZ_MIN_FRAMES, figures
    assert stats["connections"] >= FUZZ_MIN_CONNECTIONS, figures
    assert stats.get("takeover answered ALREADY_JOINED"), figures
    assert [k for k in stats if k.startswith("takeover answered")] == \
        ["takeover answered ALREADY_JOINED"], figures  # nobody took a real member's place
    assert all(p.closed is None for p in probes), [p.closed for p in probes]
    # Every heartbeat sent during the attack was answered (none lost, none refused) ...
    assert len(latencies) == len(late) >= 40, figures
    # ... and in time for the guest to stay a member: within the protocol's heartbeat timeout.
    assert max(latencies) < server.config.heartbeat_timeout_ms / 1000, figures

    # Every hostile member leaves (grace 1 s), and the real ones never changed.
    await wait_until(lambda: server.members == legit and members_agree(server, *watchers),
                     what="only the real members, as before")
    for w in watchers:
        about_legit = [e for e in w.events
                       if isinstance(e, g.GuestMemberLeft) and e.device_id in legit_ids
                       or isinstance(e, g.GuestMemberUpdated) and e.member.id in legit_ids]
        assert about_legit == [] and w.core.status == CONNECTED
    for p in probes:
        about_legit = [f for f in p.other_frames if f["type"] in ("MEMBER_LEFT", "MEMBER_UPDATED")
                       and (f["payload"].get("deviceId") in legit_ids
                            or f["payload"].get("member", {}).get("id") in legit_ids)]
        assert about_legit == [] and not [f for f in p.other_frames if f["type"] == "ERROR"]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    # Nothing is left over from the attack, and the host still lets people in.
    await wait_until(lambda: len(server._outboxes) == 4, what="attack sockets gone")
    newcomer = await join_guest(server, "newcomer")
    assert members_agree(server, newcomer, *watchers)
    for p in probes:
        await p.raw.close()
    await asyncio.gather(*readers)


async def test_flood_of_sockets_that_never_join_does_not_keep_a_real_guest_out(start_host,
                                                                               join_guest):
    server = await start_host()
    port = server.port
    watcher = await join_guest(server, "watcher")
    opened: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    half_open: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    gate = asyncio.Semaphore(64)

    async def websocket_only() -> None:
        async with gate:
            opened.append(await ws_open(port))

    async def tcp_only(i: int) -> None:
        async with gate:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            if i % 2:  # the start of a request, never finished
                writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
            half_open.append((reader, writer))

    started = time.monotonic()
    await asyncio.gather(*(websocket_only() for _ in range(300)),
                         *(tcp_only(i) for i in range(100)))
    flood_s = time.monotonic() - started
    first_wave = len(opened)
    # All of them are still connected on our side; a real guest joins now ...
    t0 = time.monotonic()
    real = await join_guest(server, "real")
    first_join_s = time.monotonic() - t0

    # ... and another while the flood goes on (each new idle socket evicts the oldest).
    flooding = True

    async def keep_flooding() -> None:
        while flooding:
            await websocket_only()

    flooders = [asyncio.create_task(keep_flooding()) for _ in range(8)]
    await wait_until(lambda: len(opened) >= first_wave + 16, what="the flood to go on")
    t0 = time.monotonic()
    try:
        late = await join_guest(server, "late")
        second_join_s = time.monotonic() - t0
    finally:
        flooding = False
        await asyncio.gather(*flooders)
    print(f"\n{first_wave} idle WebSockets and {len(half_open)} half-open sockets in "
          f"{flood_s:.2f} s; a guest joined {first_join_s * 1000:.0f} ms after them, and another "
          f"in {second_join_s * 1000:.0f} ms while {len(opened) - first_wave} more came")
    # How long those joins took is a speed figure (bench/hostile.py); here they got in.
    assert members_agree(server, watcher, real, late) and len(server.members) == 4

    # The host closed the oldest idle sockets to make room (1008), keeping only a few waiting.
    waiting = [c for c in server.core._conns.values() if c.device_id is None]
    assert len(waiting) <= 16

    async def close_code(reader: asyncio.StreamReader) -> int | None:
        try:
            while True:
                opcode, payload = await asyncio.wait_for(ws_read(reader), 5)
                if opcode == 0x8:
                    return int.from_bytes(payload[:2], "big")
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            return None

    codes = collections.Counter(await asyncio.gather(*(close_code(r) for r, _ in opened)))
    assert codes[1008] >= len(opened) - 16, codes
    # Sockets that never finish the WebSocket handshake are dropped after its timeout (5 s).
    async def ended(reader: asyncio.StreamReader) -> bool:
        try:
            return await asyncio.wait_for(reader.read(), 30) is not None
        except ConnectionError:
            return True

    assert all(await asyncio.gather(*(ended(r) for r, _ in half_open)))
    for _, writer in opened + half_open:
        writer.transport.abort()
    await wait_until(lambda: len(server._outboxes) == 3, what="flood sockets gone")
