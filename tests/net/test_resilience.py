"""Staying connected, over real sockets on 127.0.0.1: a guest that drops comes back to its
place by itself, a crashed host resumes its party, PIN and approval through the command line,
and crowds of hostile or idle sockets that must not disturb the real guests.

The two load tests are named so that ``-k fuzz`` / ``-k flood`` pick them (and
``-k "not fuzz and not flood"`` skips them): ``test_fuzz_*`` (about 15 s: 30 000 frames or
18 s, whichever comes first) and ``test_flood_*`` (about 5 s). The fuzzer's load runs in a
separate process (``fuzz_main`` below), so the heartbeat latency measured here is the host's,
not that of this test process generating the load. Both print what they measured (``-s``).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import logging
import os
import random
import signal
import stat
import statistics
import sys
import time
from pathlib import Path

import psutil
import pytest

from loudsync_desktop.net.guest_link import GuestLink
from loudsync_desktop.net.server import HostServer
from loudsync_desktop.persistence import SessionStore
from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.events import JoinRefused, MemberLeft, MemberUpdated
from loudsync_desktop.protocol.guest import CONNECTED, ReconnectPolicy
from loudsync_desktop.protocol.host import HostConfig
from tests.net.helpers import members_agree
from tests.support import RawGuest, wait_until

REPO = Path(__file__).resolve().parents[2]
SID = "ABC234"
HOST_ARGS = ("host", "--json", "--no-discovery", "--port", "0", "--bind", "127.0.0.1")
# Quick retries keep the tests short; the shape (at once, then backing off) is the real one.
FAST_RETRY = ReconnectPolicy(delays_ms=(0, 100, 200, 400), give_up_after_ms=60_000)


def member(server, device_id):
    return next((x for x in server.members if x.id == device_id), None)


def statuses(events, device_id):
    """connectionStatus of each MEMBER_UPDATED about ``device_id`` (guest or host events)."""
    return [e.member.connection_status for e in events
            if isinstance(e, (g.GuestMemberUpdated, MemberUpdated)) and e.member.id == device_id]


# -- a guest that reconnects by itself ---------------------------------------------------------
class Link:
    """A GuestLink running as a task, with the events it reported."""

    def __init__(self, port: int, device_id: str, *, policy: ReconnectPolicy = FAST_RETRY,
                 pin: str | None = None) -> None:
        self.events: list = []
        self.link = GuestLink(session_id=SID, device_id=device_id, device_name=f"Laptop {device_id}",
                              app_version="test", host="127.0.0.1", port=port, pin=pin,
                              on_event=self.events.append, policy=policy)
        self.task = asyncio.create_task(self.link.run(), name=f"link-{device_id}")

    @property
    def members(self):
        return self.link.members

    def seen(self, kind):
        return [e for e in self.events if isinstance(e, kind)]

    @property
    def connected(self) -> bool:
        core = self.link.core
        return core is not None and core.status == CONNECTED and bool(core.members)


@pytest.fixture
async def start_link():
    links: list[Link] = []

    async def start(port: int, device_id: str, **kwargs) -> Link:
        link = Link(port, device_id, **kwargs)
        links.append(link)
        await wait_until(lambda: link.task.done() or link.connected, timeout=10,
                         what=f"{device_id} to be welcomed")
        assert not link.task.done(), f"{device_id} was not welcomed: {link.task.result()!r}"
        return link

    yield start
    for link in links:
        if not link.task.done():
            await link.link.leave()
        try:
            await asyncio.wait_for(link.task, 5)
        except Exception:  # noqa: BLE001 - the test itself reports what went wrong
            pass


class Relay:
    """A TCP relay between guests and the host: the test can cut the network under both
    sides at once (no FIN, no closing handshake) and keep it down for a while."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.down = False
        self.accepted = 0
        self.frozen = False                # existing connections pass nothing, close nothing
        self._frozen_transports: set[asyncio.BaseTransport] = set()
        self.open_gate = asyncio.Event()   # cleared: new connections hang before reaching the host
        self.open_gate.set()
        self._transports: set[asyncio.BaseTransport] = set()
        self._tasks: set[asyncio.Task] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> "Relay":
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def cut(self, stay_down: bool = True) -> None:
        self.down = stay_down
        for transport in list(self._transports):
            transport.abort()

    def freeze(self) -> None:
        """The network goes silent under the open connections (packets lost, no RST)."""
        self.frozen = True
        self._frozen_transports = set(self._transports)

    async def stop(self) -> None:
        self.open_gate.set()
        self.cut()
        self._server.close()
        await self._server.wait_closed()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._tasks.add(asyncio.current_task())
        try:
            if self.down:  # no route to the host: the guest's attempt fails at once
                writer.transport.abort()
                return
            self.accepted += 1
            await self.open_gate.wait()
            try:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            except OSError:
                writer.transport.abort()
                return
            self._transports |= {writer.transport, up_writer.transport}
            await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
            self._transports -= {writer.transport, up_writer.transport}
        finally:
            self._tasks.discard(asyncio.current_task())

    def _silent(self, writer: asyncio.StreamWriter) -> bool:
        return self.frozen and writer.transport in self._frozen_transports

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if not self._silent(writer):
                    writer.write(data)
                    await writer.drain()
            if not self._silent(writer):
                writer.close()  # a clean end on one side ends the other cleanly
        except (OSError, RuntimeError):
            if not self._silent(writer):
                writer.transport.abort()


@pytest.fixture
async def relay():
    relays: list[Relay] = []

    async def start(port: int) -> Relay:
        relays.append(await Relay(port).start())
        return relays[-1]

    yield start
    for r in relays:
        await r.stop()


@pytest.mark.parametrize("cut", ["network down for a while", "host side aborted"])
async def test_a_dropped_guest_reconnects_by_itself_to_the_same_place(start_host, join_guest,
                                                                      start_link, relay, cut):
    server = await start_host(grace_ms=10_000)
    watcher = await join_guest(server, "watcher")
    if cut == "network down for a while":
        path = await relay(server.port)
        mover = await start_link(path.port, "mover")
    else:
        mover = await start_link(server.port, "mover")
    last = await join_guest(server, "last")
    await wait_until(lambda: members_agree(server, watcher, mover, last)
                     and len(server.members) == 4, what="everyone listed")
    before = server.members
    first_token = mover.link.resume_token
    host_events: list = []
    server.add_listener(host_events.append)

    if cut == "network down for a while":
        path.cut()  # both sides lose the connection; new attempts fail until it is back
    else:
        [box] = [b for c, b in server._outboxes.items() if server.core.device_of(c) == "mover"]
        box.ws.transport.abort()
    await wait_until(lambda: statuses(host_events, "mover")[:1] == ["reconnecting"],
                     what="the host to see the drop")
    await wait_until(lambda: statuses(watcher.events, "mover")[:1] == ["reconnecting"],
                     what="the others to see mover reconnecting")
    await wait_until(lambda: mover.seen(g.Reconnecting), what="mover to notice the drop")
    if cut == "network down for a while":
        assert member(server, "mover").connection_status == "reconnecting"
        await wait_until(lambda: len(mover.seen(g.Reconnecting)) >= 3, what="retries")
        assert not mover.seen(g.Reconnected)
        path.down = False

    await wait_until(lambda: mover.seen(g.Reconnected), timeout=5, what="mover back")
    await wait_until(lambda: members_agree(server, watcher, mover, last)
                     and member(server, "mover").connection_status == "connected",
                     what="everyone to see mover connected again")
    assert server.members == before  # same place, name and joinedAt for everyone
    assert statuses(host_events, "mover") == ["reconnecting", "connected"]
    for other in (watcher, last):
        assert statuses(other.events, "mover") == ["reconnecting", "connected"]
        assert not other.seen(g.GuestMemberLeft)
        assert [e.member.id for e in other.seen(g.GuestMemberJoined)] == \
            (["mover", "last"] if other is watcher else [])
    # What the reconnecting guest itself reported: tries, then one Reconnected, no loss.
    retries = mover.seen(g.Reconnecting)
    [back] = mover.seen(g.Reconnected)
    assert [r.attempt for r in retries] == list(range(1, len(retries) + 1))
    assert back.attempts == len(retries)
    assert retries[0].next_try_in_ms == 0  # the first try is at once
    kinds = [type(e) for e in mover.events if isinstance(e, (g.Reconnecting, g.Reconnected))]
    assert kinds == [g.Reconnecting] * len(retries) + [g.Reconnected]
    assert not mover.seen(g.ConnectionLost) and not mover.seen(g.GuestMemberLeft)
    assert mover.link.resume_token not in (None, first_token)  # the latest token is kept
    assert not mover.task.done()


async def test_a_guest_on_a_network_gone_silent_notices_and_gets_its_place_back(
        start_host, join_guest, start_link, relay):
    server = await start_host(heartbeat_timeout_ms=900, grace_ms=10_000)
    watcher = await join_guest(server, "watcher")
    path = await relay(server.port)
    mover = await start_link(path.port, "mover")
    await wait_until(lambda: members_agree(server, watcher, mover) and len(server.members) == 3,
                     what="everyone listed")
    before = server.members

    path.freeze()  # no FIN, no RST: only silence tells either side
    await wait_until(lambda: mover.seen(g.Reconnected), timeout=5, what="mover back")
    [retry] = mover.seen(g.Reconnecting)
    assert retry.reason == "No answer from the host"
    await wait_until(lambda: members_agree(server, watcher, mover)
                     and member(server, "mover").connection_status == "connected",
                     what="everyone to see mover connected")
    assert server.members == before
    # Whoever noticed first (the host: a drop, then a resume; the guest: a takeover of the
    # socket the host still thought alive), the others never see mover leave.
    assert statuses(watcher.events, "mover") in ([], ["reconnecting", "connected"])
    assert not watcher.seen(g.GuestMemberLeft)


@pytest.mark.parametrize("how", ["give_up", "leave"])
async def test_giving_up_while_a_try_is_under_way_stays_out(start_host, join_guest, start_link,
                                                            relay, how):
    server = await start_host(grace_ms=10_000)
    watcher = await join_guest(server, "watcher")
    path = await relay(server.port)
    mover = await start_link(path.port, "mover")
    path.cut()
    await wait_until(lambda: len(mover.seen(g.Reconnecting)) >= 2, what="retries")
    path.open_gate.clear()  # the network is back, but slow: the next try hangs on the way
    accepted = path.accepted
    path.down = False
    await wait_until(lambda: path.accepted > accepted, what="a try under way")
    if how == "give_up":
        mover.link.give_up()
    else:
        leaving = asyncio.create_task(mover.link.leave())
    path.open_gate.set()  # ... and it would get through now
    await wait_until(mover.task.done, what="the link to end")
    assert mover.task.result() is None
    if how == "leave":
        await leaving
    # The try that got through says goodbye instead: the host and the others hear it left.
    await wait_until(lambda: member(server, "mover") is None and members_agree(server, watcher),
                     what="mover gone from the party")
    assert [(e.device_id, e.reason) for e in watcher.seen(g.GuestMemberLeft)] == \
        [("mover", "Left the party")]
    # ... and the person who gave up was not told of a reconnection.
    assert not mover.seen(g.Reconnected) and len(mover.seen(g.Welcomed)) == 1


async def test_a_guest_away_longer_than_the_grace_comes_back_as_new(start_host, join_guest,
                                                                    start_link, relay):
    server = await start_host(grace_ms=400)
    watcher = await join_guest(server, "watcher")
    path = await relay(server.port)
    mover = await start_link(path.port, "mover")
    last = await join_guest(server, "last")
    await wait_until(lambda: members_agree(server, watcher, mover, last)
                     and len(server.members) == 4, what="everyone listed")
    old = member(server, "mover")

    path.cut()
    await wait_until(lambda: watcher.seen(g.GuestMemberLeft), timeout=5, what="grace to run out")
    [left] = watcher.seen(g.GuestMemberLeft)
    assert (left.device_id, left.reason) == ("mover", "Connection closed")
    assert statuses(watcher.events, "mover") == ["reconnecting"]
    assert [x.id for x in server.members] == ["host", "watcher", "last"]
    await asyncio.sleep(0.3)  # still away for a little longer
    path.down = False

    await wait_until(lambda: mover.seen(g.Reconnected), timeout=5, what="mover to connect again")
    await wait_until(lambda: members_agree(server, watcher, mover, last)
                     and len(server.members) == 4, what="everyone to list mover again")
    new = member(server, "mover")
    assert [x.id for x in server.members] == ["host", "watcher", "last", "mover"]  # at the end
    assert new.joined_at > old.joined_at and new.connection_status == "connected"
    # The others see a leave and a fresh join, not a resume.
    assert [e.member.id for e in watcher.seen(g.GuestMemberJoined)][-1] == "mover"
    assert [e.member for e in last.seen(g.GuestMemberJoined)] == [new]
    assert statuses(watcher.events, "mover") == ["reconnecting"]


# -- a raw WebSocket client, byte by byte ------------------------------------------------------
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
                  timeout: float = 5.0) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
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


def join_payload(device_id: str, **extra) -> dict:
    return {"type": "JOIN", "payload": {"sessionId": SID, "deviceId": device_id,
                                        "deviceName": device_id, "appVersion": "test", **extra}}


async def test_wrong_token_is_refused_in_grace_and_the_right_one_takes_over_a_half_open_socket(
        start_host, join_guest):
    server = await start_host(grace_ms=10_000)
    watcher = await join_guest(server, "watcher")

    # A guest whose socket will look alive to the host but is dead: once welcomed, it
    # neither reads nor sends another byte.
    reader, writer = await ws_open(server.port)
    writer.write(text_frame(join_payload("laptop")))
    opcode, welcome = await asyncio.wait_for(ws_read(reader), 5)
    token = json.loads(welcome)["payload"]["resumeToken"]
    assert json.loads((await ws_read(reader))[1])["type"] == "MEMBER_LIST"
    # A second guest that drops for real and is in its grace period.
    phone = await RawGuest.connect(server.port)
    phone_token = (await phone.join(SID, "phone"))["payload"]["resumeToken"]
    await phone.expect("MEMBER_LIST")
    phone.ws.transport.abort()
    await wait_until(lambda: member(server, "phone").connection_status == "reconnecting"
                     and members_agree(server, watcher), what="phone in its grace period")
    before = server.members
    seen_before = list(watcher.events)
    [old_conn] = [c for c in server._outboxes if server.core.device_of(c) == "laptop"]

    # Known deviceIds with a wrong token (or none): ALREADY_JOINED, while live and in grace.
    wrong = [None, "", "x" * len(token), token[:-1], token + "x", phone_token]
    for device_id, tok in [("laptop", t) for t in wrong] + [("phone", t) for t in wrong[:-1]
                                                             + [token]]:
        impostor = await RawGuest.connect(server.port)
        extra = {} if tok is None else {"resumeToken": tok}
        answer = await impostor.join(SID, device_id, "Impostor", **extra)
        assert (answer["type"], answer["payload"]["code"]) == ("ERROR", "ALREADY_JOINED"), \
            (device_id, tok)
        assert await impostor.wait_closed() == (1000, "ALREADY_JOINED")
    assert server.members == before and watcher.events == seen_before

    # The right token takes over although the old socket still looks alive.
    new = await RawGuest.connect(server.port)
    rewelcome = await new.join(SID, "laptop", resumeToken=token)
    assert rewelcome["type"] == "WELCOME"
    assert [x["id"] for x in (await new.expect("MEMBER_LIST"))["payload"]["members"]] == \
        ["host", "watcher", "laptop", "phone"]
    # The host closes the old socket: its closing handshake gets no answer, so it is
    # aborted after the close timeout; nothing about it reaches the other guests.
    await wait_until(lambda: old_conn not in server._outboxes, timeout=6,
                     what="the host to let go of the old socket")
    frames = []
    try:
        while True:
            frames.append(await asyncio.wait_for(ws_read(reader), 5))
    except (asyncio.IncompleteReadError, ConnectionError):
        pass  # the end of the old socket
    close = [payload for op, payload in frames if op == 0x8]
    assert close and int.from_bytes(close[0][:2], "big") == 1000
    assert close[0][2:] == b"Replaced by a new connection"
    writer.transport.abort()
    assert server.members == before and watcher.events == seen_before
    # The newcomer is the member now: its heartbeats are answered.
    await new.send("HEARTBEAT", {"sentAt": 5})
    assert (await new.expect("HEARTBEAT_ACK"))["payload"]["sentAt"] == 5
    await new.close()


# -- the command line: a host that crashes and resumes, PIN, approval, removal -----------------
class Cli:
    """A ``loudsync`` command in a subprocess; its JSON lines are collected as they come."""

    def __init__(self, proc: asyncio.subprocess.Process, args: tuple) -> None:
        self.proc = proc
        self.args = args
        self.lines: list[dict] = []
        self._err = bytearray()
        self._readers = [asyncio.create_task(self._read_out()), asyncio.create_task(self._read_err())]

    async def _read_out(self) -> None:
        async for raw in self.proc.stdout:
            try:
                self.lines.append(json.loads(raw))
            except ValueError:
                self.lines.append({"event": "text", "text": raw.decode(errors="replace")})

    async def _read_err(self) -> None:
        while chunk := await self.proc.stderr.read(4096):
            self._err += chunk

    @property
    def stderr(self) -> str:
        return self._err.decode(errors="replace")

    def events(self, name: str, **match) -> list[dict]:
        return [x for x in self.lines
                if x.get("event") == name and all(x.get(k) == v for k, v in match.items())]

    async def event(self, name: str, timeout: float = 10.0, **match) -> dict:
        """The first ``name`` event (with these fields), waiting for it if need be."""
        try:
            await wait_until(lambda: self.events(name, **match) or self.proc.returncode is not None,
                             timeout=timeout, what=f"{name} {match or ''}")
        except AssertionError:
            raise AssertionError(f"no {name} {match} from {self.args[:2]} within {timeout} s; "
                                 f"output {self.lines}, stderr {self.stderr!r}") from None
        found = self.events(name, **match)
        assert found, f"{self.args[:2]} exited {self.proc.returncode} before {name}: " \
                      f"{self.lines} {self.stderr!r}"
        return found[0]

    async def send(self, line: str) -> None:
        self.proc.stdin.write(line.encode() + b"\n")
        await self.proc.stdin.drain()

    async def exit_code(self, timeout: float = 10.0) -> int:
        try:
            code = await asyncio.wait_for(self.proc.wait(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"{self.args[:2]} still running after {timeout} s; "
                                 f"output {self.lines}, stderr {self.stderr!r}") from None
        await asyncio.gather(*self._readers)
        return code

    async def reap(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
        await self.proc.wait()
        await asyncio.gather(*self._readers, return_exceptions=True)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def cli(data_dir):
    """Factory: ``proc = await cli("host", ...)`` with LOUDSYNC_DATA_DIR in a temp folder."""
    procs: list[Cli] = []

    async def run(*args: str, data: Path | None = None) -> Cli:
        env = {**os.environ, "LOUDSYNC_DATA_DIR": str(data or data_dir), "PYTHONUNBUFFERED": "1"}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "loudsync_desktop", *args, cwd=REPO, env=env,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        procs.append(Cli(proc, args))
        return procs[-1]

    yield run
    for proc in procs:
        await proc.reap()


def join_args(port: int, device_id: str, *extra: str) -> tuple:
    return ("join", f"127.0.0.1:{port}", "--json", "--no-discovery", "--name", device_id.title(),
            "--device-id", device_id, *extra)


async def test_a_killed_host_resumes_its_party_and_the_guest_comes_back(cli, data_dir):
    saved = data_dir / "host-session.json"
    host = await cli(*HOST_ARGS, "--name", "Friday")
    hosting = await host.event("hosting")
    port, session_id = hosting["port"], hosting["sessionId"]
    guest = await cli(*join_args(port, "ana"))
    await guest.event("welcome")
    joined = (await host.event("member_joined"))["member"]
    await wait_until(lambda: saved.exists() and "ana" in saved.read_text(),
                     what="the party with ana saved")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600  # it holds resume tokens
    # Nothing but the file is left behind by the atomic writes (and the log, diagnostics.py).
    assert [p.name for p in data_dir.iterdir() if not p.name.startswith("loudsync.log")] == \
        ["host-session.json"]

    host.proc.send_signal(signal.SIGKILL)
    assert await host.exit_code() == -signal.SIGKILL
    assert saved.exists()
    snapshot = json.loads(saved.read_text())
    assert snapshot["config"]["sessionId"] == session_id and snapshot["port"] == port
    await guest.event("reconnecting")

    started = time.monotonic()
    resumed = await cli(*HOST_ARGS, "--resume")
    again = await resumed.event("hosting")
    assert (again["sessionId"], again["sessionName"], again["resumed"]) == \
        (session_id, "Friday", True)
    assert again["port"] == port  # its old port, so the guest finds it without discovery
    assert [(x["id"], x["connectionStatus"], x["joinedAt"]) for x in again["members"]][1:] == \
        [("ana", "reconnecting", joined["joinedAt"])]
    back = await resumed.event("member_updated", timeout=10)
    await guest.event("reconnected", timeout=max(0.1, 10 - (time.monotonic() - started)))
    assert time.monotonic() - started < 10
    assert back["member"] == {**joined, "connectionStatus": "connected"}  # same place
    assert not resumed.events("member_joined") and not resumed.events("member_left")
    [listed] = guest.events("member_list")[-1:]
    assert [x["id"] for x in listed["members"]][1:] == ["ana"]

    # SIGTERM ends the party on purpose: the guest is told, the saved file goes.
    resumed.proc.send_signal(signal.SIGTERM)
    assert await resumed.exit_code() == 0
    assert resumed.events("session_closed")
    assert not saved.exists()
    await guest.event("session_closed")
    assert await guest.exit_code() == 0


async def test_what_a_crash_leaves_behind_has_the_latest_tokens_even_after_a_takeover(tmp_path):
    """A guest whose old socket the host still thought alive takes it over and gets a new
    token; the saved party must hold that token, or the guest cannot resume after a crash."""
    store = SessionStore(tmp_path / "host-session.json")
    first = HostServer(HostConfig(SID, grace_ms=10_000), port=0, bind="127.0.0.1", store=store)
    await first.start()
    second = None
    guests: list[RawGuest] = []
    try:
        old = await RawGuest.connect(first.port)
        guests.append(old)
        token = (await old.join(SID, "laptop"))["payload"]["resumeToken"]
        new = await RawGuest.connect(first.port)
        guests.append(new)
        latest = (await new.join(SID, "laptop", resumeToken=token))["payload"]["resumeToken"]
        await old.wait_closed()
        await wait_until(lambda: latest in store.path.read_text(), timeout=2,
                         what="the new token saved")

        # The host dies here; what it saved comes back on another port.
        second = HostServer.resume(store.load(), bind="127.0.0.1")
        await second.start()
        back = await RawGuest.connect(second.port)
        guests.append(back)
        answer = await back.join(SID, "laptop", resumeToken=latest)
        assert answer["type"] == "WELCOME", answer
        assert [x.connection_status for x in second.members] == ["connected", "connected"]
    finally:
        for raw in guests:
            await raw.close()
        for server in (first, second):
            if server is not None:
                await server.stop()


@pytest.mark.parametrize("saved", ["nothing", "damaged", "not ours"])
async def test_resume_without_a_usable_saved_party_says_so(cli, data_dir, saved):
    path = data_dir / "host-session.json"
    if saved != "nothing":
        data_dir.mkdir()
        path.write_text('{"config": {' if saved == "damaged" else '{"version": 1, "guests": []}')
    host = await cli(*HOST_ARGS, "--resume")
    assert await host.exit_code() == 1
    assert host.lines == []
    last = host.stderr.strip().splitlines()[-1]
    if saved == "not ours":
        assert last.startswith("loudsync host: cannot resume the saved party: "
                               "not a saved LoudSync party"), host.stderr
    else:
        assert last == f"loudsync host: no saved party to resume in {path}", host.stderr
    if saved == "damaged":  # set aside, not trusted and not lost
        assert not path.exists() and path.with_suffix(".damaged").read_text() == '{"config": {'


async def test_pin_through_the_command_line_and_removal_by_the_host(cli, data_dir):
    host = await cli(*HOST_ARGS, "--pin", "4321")
    port = (await host.event("hosting", access="pin"))["port"]
    right = await cli(*join_args(port, "right", "--pin", "4321"))
    wrong = await cli(*join_args(port, "wrong", "--pin", "1111"))
    missing = await cli(*join_args(port, "missing"))
    bad = await cli(*join_args(port, "bad", "--pin", "12a4"))

    await right.event("welcome")
    assert await wrong.exit_code() == 1
    assert wrong.events("error", code="WRONG_PIN")
    assert wrong.stderr.strip() == "loudsync join: Wrong PIN"
    assert await missing.exit_code() == 1  # asked before connecting: no terminal to ask on
    assert missing.stderr.strip() == "loudsync join: this party needs a PIN: add --pin 1234"
    assert await bad.exit_code() == 2 and "a PIN is 4 digits" in bad.stderr
    await host.event("join_refused", code="WRONG_PIN")
    assert [x["member"]["id"] for x in host.events("member_joined")] == ["right"]

    await host.send("remove nobody")
    await host.event("command_error", message="No guest with id nobody")
    await host.send("remove right")
    assert await right.exit_code() == 1
    assert right.stderr.strip() == "loudsync join: The host removed you from the party"
    assert right.events("error", code="REMOVED_BY_HOST")
    left = await host.event("member_left")
    assert (left["deviceId"], left["reason"]) == ("right", "Removed by host")

    # `end` on standard input ends the party like End Session: the saved file goes.
    assert (data_dir / "host-session.json").exists()
    await host.send("end")
    assert await host.exit_code() == 0
    assert host.events("session_closed")
    assert not (data_dir / "host-session.json").exists()


async def test_approval_through_the_command_line(cli):
    host = await cli(*HOST_ARGS, "--approve")
    port = (await host.event("hosting", access="approval"))["port"]
    yes = await cli(*join_args(port, "yes"))
    no = await cli(*join_args(port, "no"))
    gone = await cli(*join_args(port, "gone"))
    await yes.event("join_pending")
    await no.event("join_pending")
    await gone.event("join_pending")
    ask_yes = await host.event("join_request", deviceId="yes")
    ask_no = await host.event("join_request", deviceId="no")
    ask_gone = await host.event("join_request", deviceId="gone")
    assert len({ask_yes["requestId"], ask_no["requestId"], ask_gone["requestId"]}) == 3
    assert not yes.events("welcome") and not host.events("member_joined")
    # Who stops waiting (Ctrl+C) withdraws the request: the host's prompt goes away.
    gone.proc.send_signal(signal.SIGINT)
    assert await gone.exit_code() == 0
    await host.event("join_request_ended", requestId=ask_gone["requestId"])

    await host.send("approve 999")  # no such request: nothing happens
    await host.send(f"decline {ask_no['requestId']}")
    await host.send(f"approve {ask_yes['requestId']}")
    await yes.event("welcome")
    assert [x["id"] for x in (await yes.event("member_list"))["members"]][1:] == ["yes"]
    assert await no.exit_code() == 1
    assert no.stderr.strip() == "loudsync join: The host declined your request to join"
    assert no.events("error", code="JOIN_DECLINED") and not no.events("welcome")
    joined = await host.event("member_joined")
    assert joined["member"]["id"] == "yes"
    await host.event("join_request_ended", requestId=ask_yes["requestId"])
    await host.event("join_request_ended", requestId=ask_no["requestId"])

    await host.send("end")
    assert await host.exit_code() == 0
    await yes.event("session_closed")
    assert await yes.exit_code() == 0


# -- hostile crowds ----------------------------------------------------------------------------
FUZZ_SECONDS = 18.0        # how long the fuzz process keeps attacking
FUZZ_WORKERS = 24          # connections it keeps busy at once
FUZZ_MAX_FRAMES = 30_000   # and a bound on what it sends in all
PROBE_INTERVAL_S = 0.05    # a heartbeat reaches the host every 50 ms
ACK_BOUND_S = 0.100        # ... and each must be answered within 100 ms

_WEIRD_TEXT = ["", " ", "\u202e\u0646\u0635", "\U0001f389" * 20, "a\u0301" * 30, "\x00", "\x1b[2J",
               "\ud800", "\udfff", "Ω" * 64, "Ω" * 65, "x" * 300, "\ufeffBOM", "\u2028", "null"]
_HOST_TYPES = ["WELCOME", "MEMBER_LIST", "MEMBER_JOINED", "MEMBER_LEFT", "MEMBER_UPDATED",
               "HEARTBEAT_ACK", "JOIN_PENDING", "ERROR", "SESSION_CLOSED"]


def _junk_value(rng: random.Random, depth: int = 0):
    """A random JSON value, biased to the shapes and edges the host parses."""
    pick = rng.randrange(12 if depth < 3 else 8)
    if pick == 0:
        return rng.choice([0, -1, 1, 2**53, 2**53 + 1, -(2**63), 10**400, 1.5, -0.0, 1e308])
    if pick == 1:
        return rng.choice([True, False, None])
    if pick in (2, 3, 4):
        return rng.choice(_WEIRD_TEXT)
    if pick == 5:
        return "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(1, 80)))
    if pick in (6, 7):
        return rng.randrange(-10**6, 10**13)
    if pick in (8, 9):
        keys = ["sessionId", "deviceId", "deviceName", "appVersion", "protocolVersion",
                "resumeToken", "pin", "sentAt", "reason", "member", "members", "code", "type",
                "payload", "timestamp", rng.choice(_WEIRD_TEXT)]
        return {rng.choice(keys): _junk_value(rng, depth + 1) for _ in range(rng.randrange(6))}
    return [_junk_value(rng, depth + 1) for _ in range(rng.randrange(5))]


def hostile_text(rng: random.Random, protected: list[str]) -> str:
    """One text frame's worth of trouble (valid UTF-8; sometimes valid JSON)."""
    kind = rng.randrange(14)
    if kind == 0:
        return rng.choice(["", "{", "}", "[]", "null", "42", '"JOIN"', "{'type': 'JOIN'}",
                           '{"type": "HEARTBEAT", "payload": {"sentAt": NaN}}',
                           '{"type": "HEARTBEAT", "payload": {"sentAt": Infinity}}',
                           '{"type":"HEARTBEAT","type":"LEAVE","payload":{}}', "\ufeff{}"])
    if kind == 1:
        depth = rng.choice([100, 1000, 20_000])
        return "[" * depth + "]" * depth
    if kind == 2:
        return '{"type": "HEARTBEAT", "payload": {"sentAt": ' + "9" * rng.choice([20, 5000]) + "}}"
    if kind == 3:
        return json.dumps({"type": rng.choice(_HOST_TYPES), "payload": _junk_value(rng)})
    if kind == 4:  # pretend to be the host, about a real member
        return json.dumps({"type": rng.choice(["MEMBER_LEFT", "MEMBER_UPDATED", "SESSION_CLOSED"]),
                           "payload": {"deviceId": rng.choice(protected), "reason": "pwned",
                                       "member": {"id": rng.choice(protected), "name": "x",
                                                  "role": "host", "connectionStatus": "reconnecting",
                                                  "joinedAt": 0}}})
    if kind == 5:
        return json.dumps({"type": rng.choice(["JOIN", "HEARTBEAT", "LEAVE", "DANCE", "join"]),
                           "payload": _junk_value(rng)})
    if kind == 6:
        return json.dumps({"type": "JOIN", "payload": {
            "sessionId": rng.choice([SID, "ZZZ999", "", "abc234"]), "deviceId": rng.choice(protected),
            "deviceName": rng.choice(_WEIRD_TEXT), "appVersion": "x",
            "resumeToken": rng.choice([None, "", "guess", base64.b64encode(os.urandom(18)).decode()]),
            "protocolVersion": rng.choice([1, 2, 0, -1, "1", True, 2**60])}})
    if kind == 7:
        return json.dumps({"type": "HEARTBEAT", "payload": {"sentAt": _junk_value(rng)},
                           "timestamp": _junk_value(rng)})
    if kind == 8:
        return json.dumps({"type": "DANCE" * rng.randrange(1, 3000), "payload": {}})
    if kind == 9:  # exactly at the size limit
        pad = 64 * 1024 - len('{"type":"HEARTBEAT","payload":{"sentAt":1},"pad":""}')
        return '{"type":"HEARTBEAT","payload":{"sentAt":1},"pad":"' + "p" * pad + '"}'
    if kind == 10:
        return "".join(chr(rng.randrange(1, 0xD7FF)) for _ in range(rng.randrange(1, 400)))
    return json.dumps(_junk_value(rng))


def framing_trouble(rng: random.Random) -> tuple[str, bytes]:
    """Bytes that break the WebSocket layer itself; the host must only drop that socket."""
    kind = rng.randrange(12)
    if kind == 0:
        return "oversized", ws_frame(0x1, b"x" * (64 * 1024 + rng.randrange(1, 10_000)))
    if kind == 1:
        return "huge length", ws_frame(0x2, b"", length=2**62)[:14]
    if kind == 2:
        return "bad utf-8", ws_frame(0x1, rng.choice([b"\xff\xfe", b'{"type":"\xc3"}',
                                                      b"\xed\xa0\x80"]))
    if kind == 3:
        return "reserved bits", ws_frame(0x1, b"{}", rsv=rng.randrange(1, 8))
    if kind == 4:
        return "unknown opcode", ws_frame(rng.choice([0x3, 0x7, 0xB, 0xF]), b"?")
    if kind == 5:
        return "unmasked", ws_frame(0x1, b'{"type":"HEARTBEAT","payload":{"sentAt":1}}', mask=False)
    if kind == 6:
        return "stray continuation", ws_frame(0x0, b"more")
    if kind == 7:
        return "long ping", ws_frame(0x9, b"p" * 200, length=126)
    if kind == 8:
        return "fragmented control", ws_frame(0x9, b"p", fin=False)
    if kind == 9:
        return "odd close", ws_frame(0x8, rng.choice([b"\x03", b"\x03\xe7", b"\x03\xed",
                                                      b"\x0f\xa0\xff"]))
    if kind == 10:
        return "half a frame", ws_frame(0x1, b"x" * 1000)[:rng.randrange(1, 900)]
    parts = [ws_frame(0x1, b'{"type":', fin=False), ws_frame(0x0, b'"HEART', fin=False)]
    return "fragments", b"".join(parts) + ws_frame(0x0, b'BEAT","payload":{"sentAt":1}}')


class Fuzzer:
    """Connections with bad intent against one host, bounded in time and in frames."""

    def __init__(self, port: int, seconds: float, seed: int, protected: list[str]) -> None:
        self.port, self.protected = port, protected
        self.rng = random.Random(seed)
        self.deadline = time.monotonic() + seconds
        self.stats: dict[str, int] = {"frames": 0, "connections": 0, "bytes": 0}

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    def over(self) -> bool:
        return time.monotonic() > self.deadline or self.stats["frames"] >= FUZZ_MAX_FRAMES

    async def run(self) -> dict:
        await asyncio.gather(*(self._worker(i) for i in range(FUZZ_WORKERS)))
        return self.stats

    async def _worker(self, i: int) -> None:
        rng = random.Random(self.rng.random())
        scenarios = [self._joined] * 8 + [self._before_join] * 3 + [self._framing] * 3 + \
            [self._takeover] * 2 + [self._http] + [self._idle] + [self._slow_reader]
        while not self.over():
            scenario = rng.choice(scenarios)
            self.count("scenario " + scenario.__name__.strip("_"))
            try:
                await asyncio.wait_for(scenario(rng), 10)
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                self.count("ended by the host or timed out")

    async def _open(self, rng: random.Random, drain: bool = True):
        reader, writer = await ws_open(self.port)
        self.count("connections")
        if drain:  # read (and drop) whatever the host says, so we are no slow reader
            asyncio.get_running_loop().create_task(self._drain(reader))
        return reader, writer

    async def _drain(self, reader: asyncio.StreamReader) -> None:
        try:
            while await reader.read(65536):
                pass
        except OSError:
            pass

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        self.count("frames")
        self.count("bytes", len(data))
        await asyncio.wait_for(writer.drain(), 5)

    async def _end(self, writer: asyncio.StreamWriter, rng: random.Random) -> None:
        if rng.random() < 0.5:
            writer.transport.abort()  # vanish
        else:
            writer.close()

    async def _joined(self, rng: random.Random) -> None:
        reader, writer = await self._open(rng)
        name = rng.choice(["Fuzz", "\U0001f3a7 DJ", "\u202eevil", "x" * 64, "Ünïcödé"])
        await self._send(writer, text_frame(join_payload(f"fz-{rng.randrange(10**9)}",
                                                         deviceName=name)))
        for _ in range(rng.randrange(3, 40)):
            roll = rng.random()
            if roll < 0.35:
                frame = text_frame({"type": "HEARTBEAT", "payload": {"sentAt": rng.randrange(10**12)}})
            elif roll < 0.85:
                text = hostile_text(rng, self.protected)
                frame = ws_frame(0x1, text.encode("utf-8", "surrogatepass"))
            elif roll < 0.95:
                frame = ws_frame(0x2, os.urandom(rng.randrange(0, 300)))
            else:
                frame = text_frame({"type": "LEAVE", "payload": {"reason": rng.choice(_WEIRD_TEXT)}})
            await self._send(writer, frame)
            await asyncio.sleep(rng.uniform(0, 0.03))
        if rng.random() < 0.3:
            await self._send(writer, framing_trouble(rng)[1])
        await self._end(writer, rng)

    async def _before_join(self, rng: random.Random) -> None:
        reader, writer = await self._open(rng)
        for _ in range(rng.randrange(1, 4)):
            roll = rng.random()
            data = ws_frame(0x2, os.urandom(40)) if roll < 0.2 else \
                ws_frame(0x1, hostile_text(rng, self.protected).encode("utf-8", "surrogatepass"))
            await self._send(writer, data)
        await asyncio.sleep(rng.uniform(0, 0.2))
        await self._end(writer, rng)

    async def _framing(self, rng: random.Random) -> None:
        reader, writer = await self._open(rng)
        if rng.random() < 0.5:
            await self._send(writer, text_frame(join_payload(f"fz-{rng.randrange(10**9)}")))
        kind, data = framing_trouble(rng)
        self.count("framing " + kind)
        await self._send(writer, data)
        await asyncio.sleep(rng.uniform(0, 0.3))
        await self._end(writer, rng)

    async def _takeover(self, rng: random.Random) -> None:
        """JOIN as a real member (guessing its token): must get ALREADY_JOINED."""
        reader, writer = await self._open(rng, drain=False)
        token = rng.choice([{}, {"resumeToken": base64.urlsafe_b64encode(os.urandom(18)).decode()},
                            {"resumeToken": ""}])
        await self._send(writer, text_frame(join_payload(rng.choice(self.protected), **token)))
        opcode, payload = await asyncio.wait_for(ws_read(reader), 5)
        if opcode == 0x8:  # closed before the JOIN was read: evicted as the oldest waiting
            self.count(f"takeover closed {int.from_bytes(payload[:2], 'big')}")
        else:
            answer = json.loads(payload)
            self.count("takeover answered " + answer.get("payload", {}).get("code", answer["type"]))
        writer.transport.abort()

    async def _http(self, rng: random.Random) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.count("connections")
        junk = rng.choice([b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + os.urandom(60),
                           b"GET /session HTTP/1.1\r\nHost: x\r\n\r\n",
                           b"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           b"Sec-WebSocket-Key: nope\r\nSec-WebSocket-Version: 99\r\n\r\n",
                           b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\nxx",
                           b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n",
                           os.urandom(rng.randrange(1, 2000))])
        await self._send(writer, junk)
        try:
            await asyncio.wait_for(reader.read(65536), rng.uniform(0.05, 1))
        except asyncio.TimeoutError:
            pass
        writer.transport.abort()

    async def _idle(self, rng: random.Random) -> None:
        reader, writer = await self._open(rng)
        await asyncio.sleep(rng.uniform(0.2, 2))
        writer.transport.abort()

    async def _slow_reader(self, rng: random.Random) -> None:
        """Joins, then talks fast and never reads: the rate limit must cut it off."""
        reader, writer = await self._open(rng, drain=False)
        await self._send(writer, text_frame(join_payload(f"fz-slow-{rng.randrange(10**9)}")))
        for k in range(250):
            await self._send(writer, text_frame({"type": "HEARTBEAT", "payload": {"sentAt": k}}))
            if k % 25 == 0:
                await asyncio.sleep(0.01)
        writer.transport.abort()


def fuzz_main(argv: list[str]) -> None:
    """``python -c 'from tests.net.test_resilience import fuzz_main; fuzz_main(...)'``:
    PORT SECONDS SEED PROTECTED_ID...; prints its statistics as one JSON line."""
    port, seconds, seed, *protected = argv

    async def main() -> dict:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda *_: None)  # drained sockets the host reset
        stats = await Fuzzer(int(port), float(seconds), int(seed), protected).run()
        for task in asyncio.all_tasks() - {asyncio.current_task()}:
            task.cancel()
        return stats

    print(json.dumps(asyncio.run(main())), flush=True)


class Probe:
    """A real guest that heartbeats on a fixed schedule and times every HEARTBEAT_ACK."""

    def __init__(self, raw: RawGuest, device_id: str) -> None:
        self.raw, self.device_id = raw, device_id
        self.sent: dict[int, float] = {}
        self.latencies: list[float] = []
        self.late_sends: list[float] = []   # how late our own loop let us send
        self.other_frames: list[dict] = []
        self.closed: str | None = None

    async def read(self) -> None:
        try:
            while True:
                frame = json.loads(await self.raw.ws.recv())
                now = time.monotonic()
                if frame["type"] == "HEARTBEAT_ACK":
                    self.latencies.append(now - self.sent.pop(frame["payload"]["sentAt"]))
                else:
                    self.other_frames.append(frame)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.closed = repr(exc)

    async def beat(self, stop: asyncio.Event, offset: float, interval: float) -> None:
        loop = asyncio.get_running_loop()
        k = 0
        due = loop.time() + offset
        while not stop.is_set():
            await asyncio.sleep(max(0.0, due - loop.time()))
            self.late_sends.append(loop.time() - due)
            k += 1
            # Timed from when it was due, not from when this loop (which the host shares)
            # got round to sending it: a stall of the host cannot hide in a late send.
            self.sent[k] = time.monotonic() - (loop.time() - due)
            await self.raw.send("HEARTBEAT", {"sentAt": k})
            # The next one a full interval after this one (never bunched after a stall:
            # the host cuts off more than 200 frames in 10 s, i.e. one per 50 ms).
            due = max(due + interval, loop.time() + interval * 0.9)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def test_fuzz_hostile_frames_never_stall_the_host_or_touch_real_members(
        start_host, join_guest, caplog):
    caplog.set_level(logging.ERROR)
    server = await start_host(max_members=24, grace_ms=1_000)
    watchers = [await join_guest(server, f"watcher-{i}") for i in range(2)]
    probes = []
    for i in range(2):
        raw = await RawGuest.connect(server.port)
        assert (await raw.join(SID, f"probe-{i}"))["type"] == "WELCOME"
        await raw.expect("MEMBER_LIST")
        probes.append(Probe(raw, f"probe-{i}"))
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

    fuzz = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from tests.net.test_resilience import fuzz_main; "
        "fuzz_main(sys.argv[1:])", str(server.port), str(FUZZ_SECONDS), "20251126", *legit_ids,
        cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stop = asyncio.Event()
    # Two guests each heartbeat every 100 ms, half a period apart: the host gets a heartbeat
    # every 50 ms, and neither guest comes near the host's 200-frames-in-10-s abuse limit.
    beats = [asyncio.create_task(p.beat(stop, i * PROBE_INTERVAL_S, 2 * PROBE_INTERVAL_S))
             for i, p in enumerate(probes)]
    try:
        out, err = await asyncio.wait_for(fuzz.communicate(), FUZZ_SECONDS + 30)
    finally:
        if fuzz.returncode is None:
            fuzz.kill()
            await fuzz.wait()
        stop.set()
        await asyncio.gather(*beats)
    assert fuzz.returncode == 0, err.decode()[-2000:]
    stats = json.loads(out)
    elapsed = time.monotonic() - started
    cpu = psutil.Process().cpu_times()
    busy = (cpu.user + cpu.system - host_cpu.user - host_cpu.system) / elapsed
    await wait_until(lambda: all(not p.sent for p in probes), timeout=2, what="the last acks")

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
    assert stats["frames"] >= 3000 and stats["connections"] >= 300, figures
    assert stats.get("takeover answered ALREADY_JOINED"), figures
    assert [k for k in stats if k.startswith("takeover answered")] == \
        ["takeover answered ALREADY_JOINED"], figures  # nobody took a real member's place
    assert all(p.closed is None for p in probes), [p.closed for p in probes]
    assert len(latencies) >= elapsed / PROBE_INTERVAL_S * 0.8, figures
    assert max(latencies) <= ACK_BOUND_S, figures

    # Every hostile member leaves (grace 1 s), and the real ones never changed.
    await wait_until(lambda: server.members == legit and members_agree(server, *watchers),
                     timeout=5, what="only the real members, as before")
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
    await wait_until(lambda: len(server._outboxes) == 4, timeout=5, what="attack sockets gone")
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
            opened.append(await ws_open(port, timeout=10))

    async def tcp_only(i: int) -> None:
        async with gate:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            if i % 2:  # the start of a request, never finished
                writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
            half_open.append((reader, writer))

    started = time.monotonic()
    await asyncio.gather(*(websocket_only() for _ in range(300)), *(tcp_only(i) for i in range(100)))
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
    await asyncio.sleep(0.3)
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
    assert first_join_s < 2 and second_join_s < 2
    assert members_agree(server, watcher, real, late) and len(server.members) == 4

    # The host closed the oldest idle sockets to make room (1008), keeping only a few waiting.
    waiting = [c for c in server.core._conns.values() if c.device_id is None]
    assert len(waiting) <= 16

    async def close_code(reader: asyncio.StreamReader) -> int | None:
        try:
            while True:
                opcode, payload = await asyncio.wait_for(ws_read(reader), 0.5)
                if opcode == 0x8:
                    return int.from_bytes(payload[:2], "big")
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            return None

    codes = collections.Counter(await asyncio.gather(*(close_code(r) for r, _ in opened)))
    assert codes[1008] >= len(opened) - 16, codes
    # Sockets that never finish the WebSocket handshake are dropped after its timeout (5 s).
    async def ended(reader: asyncio.StreamReader) -> bool:
        try:
            return await asyncio.wait_for(reader.read(), 8) is not None
        except ConnectionError:
            return True

    assert all(await asyncio.gather(*(ended(r) for r, _ in half_open)))
    for _, writer in opened + half_open:
        writer.transport.abort()
    await wait_until(lambda: len(server._outboxes) == 3, timeout=5, what="flood sockets gone")
