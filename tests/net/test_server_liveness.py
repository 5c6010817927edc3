"""HostServer over real sockets: heartbeat timeout, drops, grace period and resume."""

import time

from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.events import MemberLeft
from tests.net.helpers import member, members_agree
from tests.support import RawGuest, wait_until

SID = "ABC234"
# The host keeps wall-clock ms as integers: a deadline it computes can come up
# to 1 ms before the real instant, so the lower bound allows that much (and a hair).
MS_ROUNDING_S = 0.002


async def test_silent_guest_is_removed_after_the_timeout_and_not_before(start_host, join_guest):
    timeout_s = 1.5
    server = await start_host(heartbeat_timeout_ms=int(timeout_s * 1000), grace_ms=0)
    removed_at: dict[str, float] = {}
    server.add_listener(lambda e: isinstance(e, MemberLeft)
                        and removed_at.setdefault(e.member.id, time.monotonic()))
    watcher = await join_guest(server, "watcher")  # a real guest: it heartbeats every 500 ms

    silent = await RawGuest.connect(server.port)
    sent_join = time.monotonic()
    welcome = await silent.join(SID, "silent")
    assert welcome["payload"]["heartbeatTimeoutMs"] == 1500
    assert welcome["payload"]["heartbeatIntervalMs"] == 500
    await silent.expect("MEMBER_LIST")
    # From here on the silent guest says nothing at all.

    # How soon after the timeout is a speed figure (the LAN fault tests report it); removal
    # itself, and never before the timeout, is the behaviour.
    await wait_until(lambda: "silent" in removed_at, what="the silent guest to be removed")
    assert removed_at["silent"] - sent_join >= timeout_s - MS_ROUNDING_S, \
        "removed before the timeout"

    await wait_until(lambda: watcher.seen(g.GuestMemberLeft), what="watcher told of the removal")
    [left] = watcher.seen(g.GuestMemberLeft)
    assert (left.device_id, left.reason) == ("silent", "Heartbeat timeout")
    assert not watcher.seen(g.GuestMemberUpdated)  # grace 0: no "reconnecting" first
    await silent.wait_closed()
    # The watcher, which kept talking, is still in, and everyone agrees.
    assert [x.id for x in server.members] == ["host", "watcher"]
    assert watcher.core.status == g.CONNECTED and members_agree(server, watcher)
    assert "watcher" not in removed_at


async def test_a_guest_that_heartbeats_outlives_many_timeouts(start_host, join_guest):
    # A timeout long enough that a busy machine's stalls cannot pass for silence.
    server = await start_host(heartbeat_timeout_ms=1200, grace_ms=0)
    guest = await join_guest(server, "chatty")
    opened = time.monotonic()
    # Heartbeats every 400 ms; 12 acknowledged ones span about four timeouts.
    await wait_until(lambda: len(guest.seen(g.HeartbeatAcked)) >= 12, timeout=60,
                     what="12 heartbeat acks")
    assert time.monotonic() - opened >= 3 * 1.2
    assert [x.id for x in server.members] == ["host", "chatty"]
    assert guest.core.status == g.CONNECTED
    assert all(e.rtt_ms >= 0 for e in guest.seen(g.HeartbeatAcked))


async def test_a_drop_in_grace_shows_reconnecting_and_resume_brings_it_back(start_host, join_guest):
    server = await start_host(grace_ms=10_000)
    watcher = await join_guest(server, "watcher")
    raw = await RawGuest.connect(server.port)
    welcome = await raw.join(SID, "phone", "Phone")
    token = welcome["payload"]["resumeToken"]
    await raw.expect("MEMBER_LIST")
    await wait_until(lambda: members_agree(server, watcher) and len(server.members) == 3,
                     what="phone listed everywhere")
    before = member(server, "phone")

    raw.ws.transport.abort()  # Wi-Fi gone: no LEAVE, no closing handshake
    await wait_until(lambda: member(server, "phone").connection_status == "reconnecting",
                     what="phone reconnecting on the host")
    await wait_until(lambda: members_agree(server, watcher), what="watcher sees reconnecting")
    assert server.core.member_count == 3  # it keeps its place
    assert [e.member.connection_status for e in watcher.seen(g.GuestMemberUpdated)] == \
        ["reconnecting"]

    # Someone else with the same deviceId but no token is still refused.
    impostor = await RawGuest.connect(server.port)
    error = await impostor.join(SID, "phone", "Impostor")
    assert error["payload"]["code"] == "ALREADY_JOINED"
    await impostor.wait_closed()

    back = await RawGuest.connect(server.port)
    rewelcome = await back.join(SID, "phone", "Phone", resumeToken=token)
    assert rewelcome["type"] == "WELCOME"
    listed = (await back.expect("MEMBER_LIST"))["payload"]["members"]
    assert [x["id"] for x in listed] == ["host", "watcher", "phone"]
    await wait_until(lambda: member(server, "phone").connection_status == "connected",
                     what="phone connected again")
    await wait_until(lambda: members_agree(server, watcher), what="watcher sees connected")
    assert member(server, "phone") == before  # same place, name and joinedAt
    assert [e.member.connection_status for e in watcher.seen(g.GuestMemberUpdated)] == \
        ["reconnecting", "connected"]
    assert [e.member.joined_at for e in watcher.seen(g.GuestMemberUpdated)] == \
        [before.joined_at] * 2
    # Not a leave and a join.
    assert not watcher.seen(g.GuestMemberLeft)
    assert [e.member.id for e in watcher.seen(g.GuestMemberJoined)] == ["phone"]
    # The resumed connection is a working one.
    await back.send("HEARTBEAT", {"sentAt": 7})
    assert (await back.expect("HEARTBEAT_ACK"))["payload"]["sentAt"] == 7
    await back.close()


async def test_grace_running_out_removes_the_member(start_host, join_guest):
    server = await start_host(grace_ms=300)
    watcher = await join_guest(server, "watcher")
    gone = await join_guest(server, "gone")
    await wait_until(lambda: members_agree(server, watcher, gone) and len(server.members) == 3,
                     what="both listed")
    gone.drop()
    await wait_until(lambda: watcher.seen(g.GuestMemberLeft), what="removal after grace")
    assert [e.member.connection_status for e in watcher.seen(g.GuestMemberUpdated)] == \
        ["reconnecting"]
    [left] = watcher.seen(g.GuestMemberLeft)
    assert (left.device_id, left.reason) == ("gone", "Connection closed")
    assert [x.id for x in server.members] == ["host", "watcher"]
    assert members_agree(server, watcher)


async def test_heartbeat_timeout_with_grace_keeps_the_place_until_grace_ends(start_host,
                                                                             join_guest):
    # The watcher heartbeats every timeout / 3: long enough not to be dropped itself when busy.
    server = await start_host(heartbeat_timeout_ms=900, grace_ms=300)
    watcher = await join_guest(server, "watcher")
    silent = await RawGuest.connect(server.port)
    await silent.join(SID, "silent")
    await silent.expect("MEMBER_LIST")
    await wait_until(lambda: watcher.seen(g.GuestMemberLeft), what="removal")
    assert [e.member.connection_status for e in watcher.seen(g.GuestMemberUpdated)] == \
        ["reconnecting"]
    [left] = watcher.seen(g.GuestMemberLeft)
    assert (left.device_id, left.reason) == ("silent", "Heartbeat timeout")
    await silent.wait_closed()
    assert members_agree(server, watcher)


async def test_resume_takes_over_a_half_open_connection(start_host, join_guest):
    server = await start_host(grace_ms=10_000)
    watcher = await join_guest(server, "watcher")
    old = await RawGuest.connect(server.port)
    token = (await old.join(SID, "laptop"))["payload"]["resumeToken"]
    await old.expect("MEMBER_LIST")
    await wait_until(lambda: len(watcher.members) == 3, what="watcher sees laptop")
    before = member(server, "laptop")

    new = await RawGuest.connect(server.port)
    welcome = await new.join(SID, "laptop", resumeToken=token)
    assert welcome["type"] == "WELCOME"
    code, _ = await old.wait_closed()
    assert code == 1000  # the host closed the old socket
    await new.expect("MEMBER_LIST")
    assert member(server, "laptop") == before
    # The watcher saw nothing: the member never stopped being connected.
    assert members_agree(server, watcher)
    assert not watcher.seen(g.GuestMemberUpdated) and not watcher.seen(g.GuestMemberLeft)
    # A clean close without LEAVE is a drop too, and the latest token resumes.
    await new.close()
    await wait_until(lambda: member(server, "laptop").connection_status == "reconnecting",
                     what="the close to count as a drop")
    again = await RawGuest.connect(server.port)
    rejoin = await again.join(SID, "laptop", resumeToken=welcome["payload"]["resumeToken"])
    assert rejoin["type"] == "WELCOME"
    await again.close()
