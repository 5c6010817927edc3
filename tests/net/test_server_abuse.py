"""Bad input over real sockets must not crash or stall the host, nor change what others see."""

import asyncio
import json

import pytest

from loudsync_desktop.protocol import guest as g
from tests.net.helpers import frames_until_closed, members_agree
from tests.support import RawGuest, wait_until

SID = "ABC234"
MAX_FRAME = 64 * 1024

GARBAGE = {
    "not json": "this is not json",
    "truncated json": '{"type": "HEARTBEAT", "payload": {',
    "json array": "[]",
    "json number": "42",
    "json string": '"JOIN"',
    "json null": "null",
    "no type": '{"payload": {}}',
    "type not a string": '{"type": 7, "payload": {}}',
    "no payload": '{"type": "HEARTBEAT"}',
    "payload not an object": '{"type": "HEARTBEAT", "payload": [1]}',
    "field of wrong type": '{"type": "HEARTBEAT", "payload": {"sentAt": "soon"}}',
    "timestamp not an int": '{"type": "HEARTBEAT", "payload": {"sentAt": 1}, "timestamp": "x"}',
    "huge int": '{"type": "HEARTBEAT", "payload": {"sentAt": 1' + "0" * 5000 + "}}",
    "deep nesting": "[" * 30_000 + "]" * 30_000,
    "unknown type": '{"type": "DANCE", "payload": {}}',
    "host-only WELCOME": '{"type": "WELCOME", "payload": {"sessionId": "ABC234"}}',
    "host-only SESSION_CLOSED": '{"type": "SESSION_CLOSED", "payload": {"reason": "pwned"}}',
    "host-only MEMBER_LEFT":
        '{"type": "MEMBER_LEFT", "payload": {"deviceId": "watcher", "reason": "x"}}',
    "JOIN missing fields": '{"type": "JOIN", "payload": {"sessionId": "ABC234"}}',
    "JOIN with control chars in name": json.dumps({"type": "JOIN", "payload": {
        "sessionId": SID, "deviceId": "x", "deviceName": "evil\u202ename", "appVersion": "1"}}),
}


class Party:
    """A host with a real guest watching and a raw guest probing, to check nothing changed."""

    def __init__(self, server, watcher, prober):
        self.server, self.watcher, self.prober = server, watcher, prober
        self.members = server.members
        self.watcher_events = len(watcher.events)

    @classmethod
    async def start(cls, start_host, join_guest, **config):
        server = await start_host(**config)
        watcher = await join_guest(server, "watcher", "Watcher")
        prober = await RawGuest.connect(server.port)
        await prober.join(SID, "prober")
        await prober.expect("MEMBER_LIST")
        await wait_until(lambda: members_agree(server, watcher) and len(watcher.members) == 3,
                         what="watcher and prober listed")
        return cls(server, watcher, prober)

    async def joined_abuser(self, device_id="abuser") -> RawGuest:
        raw = await RawGuest.connect(self.server.port)
        assert (await raw.join(SID, device_id))["type"] == "WELCOME"
        await raw.expect("MEMBER_LIST")
        await wait_until(lambda: len(self.watcher.members) == 4, what="watcher sees the abuser")
        self.members = self.server.members
        self.watcher_events = len(self.watcher.events)
        return raw

    async def assert_unharmed(self, join_guest, newcomer="newcomer"):
        """Members unchanged everywhere, heartbeats answered, a new guest welcome."""
        assert self.server.members == self.members
        assert self.watcher.core.status == g.CONNECTED
        await self.prober.send("HEARTBEAT", {"sentAt": 99})
        while (frame := await self.prober.recv())["type"] != "HEARTBEAT_ACK":
            assert frame["type"] in ("MEMBER_JOINED", "MEMBER_LEFT"), frame
        assert frame["payload"]["sentAt"] == 99
        fresh = await join_guest(self.server, newcomer)
        expected = [x.id for x in self.members] + [newcomer]
        await wait_until(lambda: [x.id for x in self.server.members] == expected
                         and members_agree(self.server, self.watcher, fresh),
                         what="everyone lists the newcomer")
        assert self.server.members[:-1] == self.members
        # Frames reach the watcher in order, so anything the bad input made the host
        # broadcast would have come before this join: the join must be all it heard.
        heard = [e for e in self.watcher.events[self.watcher_events:]
                 if not isinstance(e, g.HeartbeatAcked)]
        assert [(type(e), e.member.id) for e in heard] == [(g.GuestMemberJoined, newcomer)]
        await self.prober.close()


@pytest.mark.parametrize("text", GARBAGE.values(), ids=GARBAGE.keys())
async def test_garbage_before_join_is_refused_and_changes_nothing(start_host, join_guest, text):
    party = await Party.start(start_host, join_guest)
    raw = await RawGuest.connect(party.server.port)
    await raw.send_raw(text)
    error = await raw.recv()
    assert (error["type"], error["payload"]["code"]) == ("ERROR", "INVALID_MESSAGE")
    code, _ = await raw.wait_closed()
    assert code == 1008
    await party.assert_unharmed(join_guest)


@pytest.mark.parametrize("text", GARBAGE.values(), ids=GARBAGE.keys())
async def test_garbage_from_a_joined_guest_is_answered_and_changes_nothing(start_host, join_guest,
                                                                            text):
    party = await Party.start(start_host, join_guest, grace_ms=5000)
    abuser = await party.joined_abuser()
    await abuser.send_raw(text)
    error = await abuser.expect("ERROR")
    assert error["payload"]["code"] == "INVALID_MESSAGE"
    assert error["payload"]["message"]
    # The abuser is still in and still answered: one bad frame is not a disconnect.
    await abuser.send("HEARTBEAT", {"sentAt": 5})
    assert (await abuser.expect("HEARTBEAT_ACK"))["payload"]["sentAt"] == 5
    await party.assert_unharmed(join_guest)
    await abuser.close()


async def test_join_again_on_a_joined_connection_is_invalid(start_host, join_guest):
    party = await Party.start(start_host, join_guest)
    abuser = await party.joined_abuser()
    await abuser.send("JOIN", {"sessionId": SID, "deviceId": "second-self",
                               "deviceName": "Second", "appVersion": "1"})
    assert (await abuser.expect("ERROR"))["payload"]["code"] == "INVALID_MESSAGE"
    await party.assert_unharmed(join_guest)
    await abuser.close()


async def test_binary_frames_are_invalid_messages(start_host, join_guest):
    party = await Party.start(start_host, join_guest, grace_ms=5000)
    early = await RawGuest.connect(party.server.port)
    await early.send_raw(b"\x00\x01binary")
    assert (await early.recv())["payload"]["code"] == "INVALID_MESSAGE"
    assert (await early.wait_closed())[0] == 1008

    abuser = await party.joined_abuser()
    await abuser.send_raw(json.dumps({"type": "HEARTBEAT", "payload": {"sentAt": 1}}).encode())
    assert (await abuser.expect("ERROR"))["payload"]["code"] == "INVALID_MESSAGE"
    assert abuser.ws.close_code is None
    await party.assert_unharmed(join_guest)
    await abuser.close()


async def test_a_frame_of_exactly_64_kib_is_accepted(start_host, join_guest):
    party = await Party.start(start_host, join_guest)
    abuser = await party.joined_abuser("big-but-legal")
    frame = json.dumps({"type": "HEARTBEAT", "payload": {"sentAt": 3}, "pad": ""})
    frame = frame.replace('"pad": ""', '"pad": "' + "x" * (MAX_FRAME - len(frame)) + '"')
    assert len(frame.encode()) == MAX_FRAME
    await abuser.send_raw(frame)
    assert (await abuser.expect("HEARTBEAT_ACK"))["payload"]["sentAt"] == 3
    await party.assert_unharmed(join_guest)
    await abuser.close()


async def test_oversized_frame_before_join_is_closed_with_1009(start_host, join_guest):
    party = await Party.start(start_host, join_guest)
    raw = await RawGuest.connect(party.server.port)
    await raw.send_raw("x" * (MAX_FRAME + 1))
    assert (await raw.wait_closed())[0] == 1009
    await party.assert_unharmed(join_guest)


@pytest.mark.parametrize("kind", ["oversized text", "oversized binary", "invalid utf-8",
                                  "broken framing"])
async def test_a_guest_the_host_disconnects_for_bad_frames_is_removed_at_once(
        start_host, join_guest, kind):
    # Grace is long: a drop would leave the abuser "reconnecting" for 30 s. Abuse must not.
    party = await Party.start(start_host, join_guest, grace_ms=30_000)
    abuser = await party.joined_abuser()
    before = [x for x in party.server.members if x.id != "abuser"]
    if kind == "oversized text":
        await abuser.send_raw(json.dumps({"type": "HEARTBEAT", "payload": {"sentAt": 1},
                                          "pad": "x" * MAX_FRAME}))
        expected_code = 1009
    elif kind == "oversized binary":
        await abuser.send_raw(b"\x00" * (MAX_FRAME + 1))
        expected_code = 1009
    elif kind == "invalid utf-8":
        await abuser.ws.send(b'{"type": "HEARTBEAT", "payload": {"sentAt": 1}}\xff', text=True)
        expected_code = 1007
    else:  # a masked continuation frame ("x") with no message to continue
        abuser.ws.transport.write(b"\x80\x81\x00\x00\x00\x00x")
        expected_code = 1002
    assert (await abuser.wait_closed())[0] == expected_code

    await wait_until(lambda: [x.id for x in party.server.members] == ["host", "watcher", "prober"],
                     what="abuser removed on the host")
    await wait_until(lambda: party.watcher.seen(g.GuestMemberLeft), what="watcher told")
    [left] = party.watcher.seen(g.GuestMemberLeft)
    assert left.device_id == "abuser"
    assert left.reason == "Disconnected for invalid messages"
    assert not party.watcher.seen(g.GuestMemberUpdated)  # never "reconnecting"
    assert party.server.members == before
    party.members = before
    party.watcher_events = len(party.watcher.events)
    await party.assert_unharmed(join_guest)


async def test_repeated_invalid_messages_close_the_connection_and_remove_at_once(
        start_host, join_guest):
    party = await Party.start(start_host, join_guest, grace_ms=30_000)
    abuser = await party.joined_abuser()
    for _ in range(10):
        await abuser.send_raw("nonsense")
        assert (await abuser.expect("ERROR"))["payload"]["code"] == "INVALID_MESSAGE"
    assert abuser.ws.close_code is None  # ten within a minute are tolerated ...
    await abuser.send_raw("nonsense")  # ... the eleventh is not
    assert (await abuser.wait_closed())[0] == 1008
    await wait_until(lambda: party.watcher.seen(g.GuestMemberLeft), what="watcher told")
    [left] = party.watcher.seen(g.GuestMemberLeft)
    assert (left.device_id, left.reason) == ("abuser", "Disconnected for invalid messages")
    assert not party.watcher.seen(g.GuestMemberUpdated)
    party.members = [x for x in party.members if x.id != "abuser"]
    party.watcher_events = len(party.watcher.events)
    await party.assert_unharmed(join_guest)


async def test_a_flood_of_frames_is_cut_off_without_stalling_the_host(start_host, join_guest):
    party = await Party.start(start_host, join_guest, grace_ms=30_000)
    abuser = await party.joined_abuser()
    frame = json.dumps({"type": "HEARTBEAT", "payload": {"sentAt": 1}})
    for _ in range(300):
        try:
            await abuser.send_raw(frame)
        except Exception:  # noqa: BLE001 - the host may have closed us already
            break
    assert (await frames_until_closed(abuser))[1] == 1008
    await wait_until(lambda: [x.id for x in party.server.members] == ["host", "watcher", "prober"],
                     what="flooder removed")
    party.members = party.server.members
    party.watcher_events = len(party.watcher.events)
    await party.assert_unharmed(join_guest)


async def test_non_websocket_garbage_on_the_port_changes_nothing(start_host, join_guest):
    party = await Party.start(start_host, join_guest)
    for junk in (b"\x16\x03\x01\x02\x00garbage\r\n\r\n", b"HELLO\r\n\r\n",
                 b"GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"):
        reader, writer = await asyncio.open_connection("127.0.0.1", party.server.port)
        writer.write(junk)
        await asyncio.wait_for(reader.read(), 5)  # the host answers or closes; it does not hang
        writer.close()
        await writer.wait_closed()
    await party.assert_unharmed(join_guest)
