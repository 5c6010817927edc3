"""HostServer over real sockets: joining, party size, member lists, refusals, LEAVE."""

import asyncio
import time


from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.events import MemberLeft
from tests.net.helpers import members_agree
from tests.support import DEADLINE_S, RawGuest, wait_until

SID = "ABC234"


def ids(members) -> list[str]:
    return [x.id for x in members]


async def test_host_and_seven_guests_fill_the_party_and_a_ninth_is_refused(start_host, join_guest):
    server = await start_host(max_members=8)
    guests = []
    for i in range(7):
        guests.append(await join_guest(server, f"guest-{i}", f"Guest {i}"))
        await wait_until(lambda: members_agree(server, *guests), what=f"all lists after join {i}")
        assert ids(server.members) == ["host", *(x.device_id for x in guests)]
    assert server.core.member_count == 8

    ninth = await RawGuest.connect(server.port)
    error = await ninth.join(SID, "guest-8", "One Too Many")
    assert error["type"] == "ERROR"
    assert error["payload"]["code"] == "SESSION_FULL"
    assert error["payload"]["message"] == "Session is full (8/8)"
    code, _ = await ninth.wait_closed()
    assert code == 1000

    # A real guest is told the same, in words for a person, and its run ends.
    late = await join_guest(server, "guest-9", wait=False)
    final = await asyncio.wait_for(late.task, DEADLINE_S)
    assert isinstance(final, g.ErrorReceived)
    assert (final.code, final.human, final.fatal) == \
        ("SESSION_FULL", "This party is full (8/8). Ask the host to raise the limit.", True)
    assert late.core.status == g.DISCONNECTED

    # Nobody saw the refused guests come or go, and the party is unchanged.
    assert server.core.member_count == 8
    assert members_agree(server, *guests)
    for x in guests:
        assert all(e.member.id not in ("guest-8", "guest-9") for e in x.seen(g.GuestMemberJoined))


async def test_every_member_list_matches_the_hosts_after_each_join_and_leave(start_host,
                                                                             join_guest):
    server = await start_host(max_members=8, grace_ms=0)
    party = []

    async def settle(expected: list[str], what: str) -> None:
        await wait_until(lambda: ids(server.members) == ["host", *expected]
                         and members_agree(server, *party), what=what)

    for name in ("ann", "bob", "cat", "dan", "eve"):
        party.append(await join_guest(server, name))
        await settle([x.device_id for x in party], f"lists after {name} joined")

    cat = party.pop(2)
    assert await cat.leave() is None  # LEAVE: no error, no lost connection
    await settle(["ann", "bob", "dan", "eve"], "lists after cat left")

    bob = party.pop(1)
    bob.drop()  # no LEAVE: a drop, and with grace 0 a removal at once
    await settle(["ann", "dan", "eve"], "lists after bob dropped")
    assert isinstance(await asyncio.wait_for(bob.task, DEADLINE_S), g.ConnectionLost)

    party.append(await join_guest(server, "fay"))
    await settle(["ann", "dan", "eve", "fay"], "lists after fay joined")

    ann = party.pop(0)
    await ann.leave()
    await settle(["dan", "eve", "fay"], "lists after ann left")

    # What the remaining guests were told, in order.
    dan = party[0]
    assert [(e.device_id, e.reason) for e in dan.seen(g.GuestMemberLeft)] == [
        ("cat", "Left the party"), ("bob", "Connection closed"), ("ann", "Left the party")]
    assert [e.member.id for e in dan.seen(g.GuestMemberJoined)] == ["eve", "fay"]
    assert not dan.seen(g.GuestMemberUpdated)


async def test_duplicate_join_is_refused_and_the_original_stays_alive(start_host, join_guest):
    server = await start_host()
    original = await RawGuest.connect(server.port)
    welcome = await original.join(SID, "laptop-1", "Alice")
    assert welcome["type"] == "WELCOME"
    await original.expect("MEMBER_LIST")
    before = server.members

    for extra in ({}, {"resumeToken": "not-the-token"}):
        impostor = await RawGuest.connect(server.port)
        error = await impostor.join(SID, "laptop-1", "Impostor", **extra)
        assert (error["type"], error["payload"]["code"]) == ("ERROR", "ALREADY_JOINED"), extra
        await impostor.wait_closed()
    # The host's own id is taken too.
    impostor = await RawGuest.connect(server.port)
    error = await impostor.join(SID, "host", "Fake Host")
    assert error["payload"]["code"] == "ALREADY_JOINED"
    await impostor.wait_closed()

    assert server.members == before  # Alice keeps her name, place and connection
    # The original connection is alive: it is still answered ...
    await original.send("HEARTBEAT", {"sentAt": 1234})
    ack = await original.expect("HEARTBEAT_ACK")
    assert ack["payload"]["sentAt"] == 1234
    # ... and still hears about the party.
    await join_guest(server, "laptop-2", "Bob")
    joined = await original.expect("MEMBER_JOINED")
    assert joined["payload"]["member"]["id"] == "laptop-2"
    assert original.ws.close_code is None
    await original.close()


async def test_wrong_session_id_gets_session_not_found(start_host, join_guest):
    server = await start_host()
    raw = await RawGuest.connect(server.port)
    error = await raw.join("ZZZ999", "lost-1")
    assert (error["type"], error["payload"]["code"]) == ("ERROR", "SESSION_NOT_FOUND")
    await raw.wait_closed()

    lost = await join_guest(server, "lost-2", session_id="ZZZ999", wait=False)
    final = await asyncio.wait_for(lost.task, DEADLINE_S)
    assert (final.code, final.human) == ("SESSION_NOT_FOUND",
                                         "No party with this code is running there")
    assert ids(server.members) == ["host"]


async def test_unsupported_protocol_version_gets_version_mismatch(start_host):
    server = await start_host()
    raw = await RawGuest.connect(server.port)
    error = await raw.join(SID, "future-1", protocolVersion=2)
    assert (error["type"], error["payload"]["code"]) == ("ERROR", "VERSION_MISMATCH")
    await raw.wait_closed()
    assert ids(server.members) == ["host"]


async def test_a_socket_that_never_joins_gets_join_timeout(start_host):
    server = await start_host(join_timeout_ms=300)
    opened = time.monotonic()
    raw = await RawGuest.connect(server.port)
    error = await raw.recv()
    waited = time.monotonic() - opened
    assert (error["type"], error["payload"]["code"]) == ("ERROR", "JOIN_TIMEOUT")
    assert waited >= 0.3 - 0.005, waited   # not before the timeout (how soon after: speed)
    await raw.wait_closed()
    assert ids(server.members) == ["host"]


async def test_join_timeout_message_states_a_real_duration(start_host):
    server = await start_host(join_timeout_ms=300)
    raw = await RawGuest.connect(server.port)
    error = await raw.recv()
    assert "within 0.3 s" in error["payload"]["message"]
    await raw.wait_closed()


async def test_frames_before_join_are_refused_and_closed(start_host):
    server = await start_host()
    raw = await RawGuest.connect(server.port)
    await raw.send("HEARTBEAT", {"sentAt": 1})
    error = await raw.recv()
    assert (error["type"], error["payload"]["code"]) == ("ERROR", "INVALID_MESSAGE")
    code, _ = await raw.wait_closed()
    assert code == 1008
    assert ids(server.members) == ["host"]


async def test_leave_tells_the_others_and_closes_the_leaver_with_1000(start_host):
    server = await start_host()
    stays, goes, quiet = [await RawGuest.connect(server.port) for _ in range(3)]
    for raw, device in ((stays, "stays"), (goes, "goes"), (quiet, "quiet")):
        await raw.join(SID, device)
        await raw.expect("MEMBER_LIST")
    await stays.expect("MEMBER_JOINED")
    await stays.expect("MEMBER_JOINED")
    await goes.expect("MEMBER_JOINED")

    await goes.send("LEAVE", {"reason": "Going home"})
    code, _ = await goes.wait_closed()
    assert code == 1000
    for raw in (stays, quiet):
        left = await raw.expect("MEMBER_LEFT")
        assert left["payload"] == {"deviceId": "goes", "reason": "Going home"}

    # Without a reason the others are told "Left the party".
    await quiet.send("LEAVE", {})
    assert (await quiet.wait_closed())[0] == 1000
    left = await stays.expect("MEMBER_LEFT")
    assert left["payload"] == {"deviceId": "quiet", "reason": "Left the party"}
    assert ids(server.members) == ["host", "stays"]
    await stays.close()


async def test_a_guest_that_left_comes_back_as_a_new_member(start_host):
    server = await start_host(grace_ms=5000)
    watcher = await RawGuest.connect(server.port)
    await watcher.join(SID, "watcher")
    await watcher.expect("MEMBER_LIST")
    raw = await RawGuest.connect(server.port)
    token = (await raw.join(SID, "fickle"))["payload"]["resumeToken"]
    await raw.expect("MEMBER_LIST")
    first_joined_at = (await watcher.expect("MEMBER_JOINED"))["payload"]["member"]["joinedAt"]
    await raw.send("LEAVE")
    await raw.wait_closed()
    await watcher.expect("MEMBER_LEFT")

    again = await RawGuest.connect(server.port)
    welcome = await again.join(SID, "fickle", resumeToken=token)
    assert welcome["type"] == "WELCOME"  # the old token is no use, but no harm either
    back = (await watcher.expect("MEMBER_JOINED"))["payload"]["member"]
    assert back["id"] == "fickle" and back["joinedAt"] >= first_joined_at
    assert [x.id for x in server.members] == ["host", "watcher", "fickle"]
    await again.close()
    await watcher.close()


async def test_host_listener_sees_joins_and_leaves(start_host, join_guest):
    server = await start_host()
    seen = []
    server.add_listener(seen.append)
    guest = await join_guest(server, "listened")
    await guest.leave()
    await wait_until(lambda: any(isinstance(e, MemberLeft) for e in seen), what="MemberLeft")
    assert [type(e).__name__ for e in seen] == ["MemberJoined", "MemberLeft"]
    assert seen[1].reason == "Left the party"
