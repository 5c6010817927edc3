"""The host's send path over real sockets: frames written straight to a guest's socket while
it keeps up, and queued for its writer once its socket's buffer is full.

A guest here is a raw WebSocket client whose reading the test stops and restarts: stopped,
the kernel's buffers on both sides fill, then the host's transport buffer passes its limit,
and from then on frames wait in the host's outbox for that guest.
"""

from __future__ import annotations

import asyncio
import json

from loudsync_desktop.net.server import OUTBOX_LIMIT, HostServer
from loudsync_desktop.protocol import messages as m
from testsupport.rawws import join_payload, text_frame, ws_frame, ws_open, ws_read
from tests.net.helpers import member
from tests.support import DEADLINE_S, wait_until

# The raw guests send no HEARTBEAT: the core must not drop them while a test runs.
QUIET_GUESTS = {"heartbeat_timeout_ms": 120_000}
BIG_FRAME = 64 * 1024          # fills the socket buffers in a few dozen frames
MAX_FILL_FRAMES = 4000         # 256 MiB: far more than any loopback buffer here holds
PING, PONG, CLOSE = 0x9, 0xA, 0x8


def numbered(n: int, size: int = 0) -> str | bytes:
    """Frame ``n`` of a test sequence: binary with ``size`` bytes, else a text frame."""
    if size:
        return b"N" + f"{n:08d}".encode() + bytes(size - 9)
    return json.dumps({"type": "SEQ", "payload": {"n": n}})


class RawMember:
    """A joined guest on a raw socket: reads only when the test says so."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def join(cls, port: int, device_id: str) -> RawMember:
        reader, writer = await ws_open(port)
        writer.write(text_frame(join_payload(device_id)))
        guest = cls(reader, writer)
        seen = []
        while "MEMBER_LIST" not in seen:
            opcode, payload = await guest.frame()
            seen.append(json.loads(payload)["type"])
        assert seen[0] == "WELCOME", seen
        return guest

    def stall(self) -> None:
        self.writer.transport.pause_reading()

    def resume(self) -> None:
        self.writer.transport.resume_reading()

    async def frame(self) -> tuple[int, bytes]:
        """The next data or close frame (the host's keepalive pings are skipped)."""
        while True:
            opcode, payload = await asyncio.wait_for(ws_read(self.reader), DEADLINE_S)
            if opcode not in (PING, PONG):
                return opcode, payload

    async def numbers(self, count: int) -> list[int]:
        """The next ``count`` numbered frames' numbers, text or binary, in arrival order."""
        got: list[int] = []
        while len(got) < count:
            opcode, payload = await self.frame()
            if opcode == 0x2 and payload[:1] == b"N":
                got.append(int(payload[1:9]))
            elif opcode == 0x1 and json.loads(payload)["type"] == "SEQ":
                got.append(json.loads(payload)["payload"]["n"])
            else:
                raise AssertionError(f"unexpected frame {opcode} {payload[:80]!r}")
        return got

    def close(self) -> None:
        self.writer.transport.abort()


async def fill_until_queued(server: HostServer, device_id: str, first: int) -> int:
    """Big numbered frames to a stalled guest until one has to wait in its outbox; returns
    the number of the next frame."""
    n = first
    while server.queued_for(device_id) == 0:
        assert n - first < MAX_FILL_FRAMES, "the socket buffers never filled"
        assert server.send_to(device_id, numbered(n, BIG_FRAME))
        n += 1
        await asyncio.sleep(0)   # let the loop hand what it can to the kernel
    return n


async def test_order_holds_across_direct_writes_and_queued_ones(start_host):
    server = await start_host(**QUIET_GUESTS)
    guest = await RawMember.join(server.port, "slowpoke")
    try:
        # Direct while the socket keeps up (the guest still reads nothing, but the
        # kernel takes them), then queued once its buffer is full: text and binary mixed.
        for n in range(10):
            assert server.send_to("slowpoke", numbered(n, 0 if n % 2 else 500))
        assert server.queued_for("slowpoke") == 0
        guest.stall()
        n = await fill_until_queued(server, "slowpoke", 10)
        for k in range(n, n + 50):
            assert server.send_to("slowpoke", numbered(k, 0 if k % 2 else 500))
        n += 50
        assert server.queued_for("slowpoke") >= 50

        guest.resume()
        got = await guest.numbers(n)
        assert got == list(range(n))
        # Drained: the next frames go straight to the socket again, still in order.
        await wait_until(lambda: server.queued_for("slowpoke") == 0, what="outbox drained")
        for k in range(n, n + 20):
            assert server.send_to("slowpoke", numbered(k, 0 if k % 2 else 500))
        assert server.queued_for("slowpoke") == 0
        assert await guest.numbers(20) == list(range(n, n + 20))
    finally:
        guest.close()


async def test_a_guest_that_reads_nothing_delays_no_one_and_is_cut_off(start_host):
    server = await start_host(**QUIET_GUESTS)
    stalled = await RawMember.join(server.port, "stalled")
    live = await RawMember.join(server.port, "live")
    try:
        stalled.stall()
        n = await fill_until_queued(server, "stalled", 0)

        # Frames to both: the live guest gets every one of its own while the stalled
        # guest's wait behind its full socket.
        for k in range(100):
            assert server.send_to("stalled", numbered(n + k))
            assert server.send_to("live", numbered(k))
        assert await live.numbers(100) == list(range(100))
        assert server.queued_for("stalled") >= 100
        assert member(server, "stalled").connection_status == m.CONNECTED

        # It still reads nothing: past OUTBOX_LIMIT waiting frames it counts as dead.
        for k in range(OUTBOX_LIMIT):
            if not server.send_to("stalled", numbered(n + 100 + k)):
                break
        await wait_until(lambda: server.backlog_bytes("stalled") is None,
                         what="the stalled guest to be cut off")
        await wait_until(lambda: member(server, "stalled").connection_status != m.CONNECTED,
                         what="the host to count the stalled guest as gone")
        assert not server.send_to("stalled", numbered(0))
        # The live guest is untouched and still served.
        assert server.send_to("live", numbered(100))
        opcode, payload = await live.frame()
        assert json.loads(payload)["type"] == m.MEMBER_UPDATED   # the stalled one's drop
        assert await live.numbers(1) == [100]
    finally:
        stalled.close()
        live.close()


async def test_backlog_bytes_follows_a_stalled_reader_back_to_zero(start_host):
    server = await start_host(**QUIET_GUESTS)
    assert server.backlog_bytes("nobody") is None
    guest = await RawMember.join(server.port, "reader")
    try:
        await wait_until(lambda: server.backlog_bytes("reader") == 0, what="an idle socket")
        guest.stall()
        n = await fill_until_queued(server, "reader", 0)
        for k in range(n, n + 30):
            server.send_to("reader", numbered(k, 1000))
        waiting = server.queued_for("reader")
        backlog = server.backlog_bytes("reader")
        assert backlog is not None
        # At least what waits in the outbox (30 frames of ~1 KB and the big ones before
        # them), plus whatever the transport holds over its limit.
        assert backlog >= 30 * 1000 + (waiting - 30) * BIG_FRAME
        assert backlog > BIG_FRAME

        guest.resume()
        assert await guest.numbers(n + 30) == list(range(n + 30))
        await wait_until(lambda: server.backlog_bytes("reader") == 0,
                         what="the backlog to drain")
        assert server.queued_for("reader") == 0
    finally:
        guest.close()
    await wait_until(lambda: server.backlog_bytes("reader") is None,
                     what="no backlog once it is gone")


async def test_a_close_goes_after_the_frames_queued_before_it(start_host):
    server = await start_host(**QUIET_GUESTS)
    guest = await RawMember.join(server.port, "goner")
    try:
        guest.stall()
        n = await fill_until_queued(server, "goner", 0)
        for k in range(n, n + 10):
            server.send_to("goner", numbered(k))
        n += 10
        server.remove("goner")   # REMOVED_BY_HOST, then a close, behind those frames
        assert not server.send_to("goner", numbered(n))

        guest.resume()
        assert await guest.numbers(n) == list(range(n))
        opcode, payload = await guest.frame()
        assert opcode == 0x1 and json.loads(payload)["payload"]["code"] == m.REMOVED_BY_HOST
        opcode, payload = await guest.frame()
        assert opcode == CLOSE and int.from_bytes(payload[:2], "big") == 1000
        guest.writer.write(ws_frame(CLOSE, payload[:2]))   # answer it: a clean close
        await wait_until(lambda: member(server, "goner") is None, what="the guest removed")
    finally:
        guest.close()
