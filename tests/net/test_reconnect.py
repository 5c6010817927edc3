"""Staying connected, over real sockets on 127.0.0.1: a guest whose connection drops comes back
to its place by itself (through a TcpRelay the test can cut, freeze or slow down), a guest away
longer than the grace comes back as new, and only the right resume token takes a place over.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from loudsync_desktop.net.guest_link import GuestLink
from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.events import MemberUpdated
from loudsync_desktop.protocol.guest import CONNECTED, ReconnectPolicy
from tests.net.helpers import member, members_agree
from tests.support import DEADLINE_S, RawGuest, wait_until
from testsupport.rawws import SESSION_ID as SID
from testsupport.rawws import join_payload, text_frame, ws_open, ws_read
from testsupport.relay import TcpRelay

# Quick retries keep the tests short; the shape (at once, then backing off) is the real one.
FAST_RETRY = ReconnectPolicy(delays_ms=(0, 100, 200, 400), give_up_after_ms=60_000)


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
        self.link = GuestLink(session_id=SID, device_id=device_id,
                              device_name=f"Laptop {device_id}",
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
        await wait_until(lambda: link.task.done() or link.connected,
                         what=f"{device_id} to be welcomed")
        assert not link.task.done(), f"{device_id} was not welcomed: {link.task.result()!r}"
        return link

    yield start
    for link in links:
        if not link.task.done():
            await link.link.leave()
        try:
            await asyncio.wait_for(link.task, DEADLINE_S)
        except Exception:  # noqa: BLE001 - the test itself reports what went wrong
            pass



@pytest.fixture
async def relay():
    """Factory: ``path = await relay(server.port)``, a TcpRelay to the host, stopped at the end."""
    relays: list[TcpRelay] = []

    async def start(port: int) -> TcpRelay:
        relays.append(await TcpRelay(port).start())
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

    await wait_until(lambda: mover.seen(g.Reconnected), what="mover back")
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
    await wait_until(lambda: mover.seen(g.Reconnected), what="mover back")
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
    await wait_until(lambda: watcher.seen(g.GuestMemberLeft), what="grace to run out")
    [left] = watcher.seen(g.GuestMemberLeft)
    assert (left.device_id, left.reason) == ("mover", "Connection closed")
    assert statuses(watcher.events, "mover") == ["reconnecting"]
    assert [x.id for x in server.members] == ["host", "watcher", "last"]
    await asyncio.sleep(0.3)  # still away for a little longer
    path.down = False

    await wait_until(lambda: mover.seen(g.Reconnected), what="mover to connect again")
    await wait_until(lambda: members_agree(server, watcher, mover, last)
                     and len(server.members) == 4, what="everyone to list mover again")
    new = member(server, "mover")
    assert [x.id for x in server.members] == ["host", "watcher", "last", "mover"]  # at the end
    assert new.joined_at > old.joined_at and new.connection_status == "connected"
    # The others see a leave and a fresh join, not a resume.
    assert [e.member.id for e in watcher.seen(g.GuestMemberJoined)][-1] == "mover"
    assert [e.member for e in last.seen(g.GuestMemberJoined)] == [new]
    assert statuses(watcher.events, "mover") == ["reconnecting"]

# -- resume tokens -----------------------------------------------------------------------------
async def test_wrong_token_is_refused_in_grace_and_the_right_one_takes_over_a_half_open_socket(
        start_host, join_guest):
    server = await start_host(grace_ms=10_000)
    watcher = await join_guest(server, "watcher")

    # A guest whose socket will look alive to the host but is dead: once welcomed, it
    # neither reads nor sends another byte.
    reader, writer = await ws_open(server.port)
    writer.write(text_frame(join_payload("laptop")))
    opcode, welcome = await asyncio.wait_for(ws_read(reader), 20)
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
    await wait_until(lambda: old_conn not in server._outboxes,
                     what="the host to let go of the old socket")
    frames = []
    try:
        while True:
            frames.append(await asyncio.wait_for(ws_read(reader), 20))
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
