"""The guest's adapter over real sockets: GuestConnection and fetch_session_info."""

import asyncio
import contextlib
import json
import time

import pytest
from websockets.asyncio.server import serve

from loudsync_desktop.net.client import HostUnreachable, fetch_session_info
from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.events import MemberLeft
from tests.net.helpers import LiveGuest, members_agree, unused_port
from tests.support import DEADLINE_S, wait_until

SID = "ABC234"


def welcome(timeout_ms: int = 15_000) -> str:
    return json.dumps({"type": "WELCOME", "payload": {
        "sessionId": SID, "sessionName": "Fake", "hostId": "fake-host", "hostName": "Fake Host",
        "deviceId": "dev", "heartbeatIntervalMs": max(1, timeout_ms // 3),
        "heartbeatTimeoutMs": timeout_ms, "resumeToken": "tok", "protocolVersion": 1}})


def member_list(*ids: str) -> str:
    return json.dumps({"type": "MEMBER_LIST", "payload": {"members": [
        {"id": i, "name": i, "role": "host" if i == "fake-host" else "client",
         "connectionStatus": "connected", "joinedAt": 1} for i in ids]}})


@contextlib.asynccontextmanager
async def fake_host(handler):
    """A websockets server on 127.0.0.1 that plays the host by script."""
    async with serve(handler, "127.0.0.1", 0, ping_interval=None, close_timeout=1) as server:
        yield server.sockets[0].getsockname()[1]


@contextlib.asynccontextmanager
async def fake_http(response: bytes):
    """A TCP server on 127.0.0.1 that answers any request with ``response`` and closes."""
    async def answer(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(response)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


def guest_on(port: int, device_id: str = "dev") -> LiveGuest:
    core = g.GuestSession(session_id=SID, device_id=device_id, device_name=device_id,
                          app_version="test")
    return LiveGuest(core, "127.0.0.1", port)


# -- fetch_session_info ---------------------------------------------------------------
async def test_fetch_session_info_from_a_closed_port_says_nobody_answered():
    port = unused_port()
    with pytest.raises(HostUnreachable, match=rf"No LoudSync host answered at 127\.0\.0\.1:{port}"):
        await fetch_session_info("127.0.0.1", port)


@pytest.mark.parametrize("response, words", [
    (b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "HTTP 404"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello", "No LoudSync host"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "not a LoudSync host"),
])
async def test_fetch_session_info_from_something_else_is_refused_clearly(response, words):
    async with fake_http(response) as port:
        with pytest.raises(HostUnreachable, match=words):
            await fetch_session_info("127.0.0.1", port)


# -- GuestConnection ------------------------------------------------------------------
async def test_connecting_to_a_closed_port_raises_host_unreachable():
    guest = guest_on(unused_port())
    with pytest.raises(HostUnreachable, match="Could not connect"):
        await asyncio.wait_for(guest.task, DEADLINE_S)


async def test_a_host_that_never_answers_the_handshake_is_reported_as_timed_out(monkeypatch):
    # The TCP connection is accepted (by the kernel), but no WebSocket handshake answers.
    monkeypatch.setattr("loudsync_desktop.net.client.CONNECT_TIMEOUT_S", 0.2)
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        guest = guest_on(port)
        with pytest.raises(HostUnreachable) as refused:
            await asyncio.wait_for(guest.task, DEADLINE_S)
    finally:
        server.close()
    # Not "(...)." with an empty reason: a TimeoutError has no text of its own.
    assert str(refused.value) == f"Could not connect to ws://127.0.0.1:{port}/ (timed out)."


async def test_leave_ends_run_with_none_and_the_host_closes_with_1000(start_host, join_guest):
    server = await start_host()
    left = []
    server.add_listener(lambda e: isinstance(e, MemberLeft) and left.append(e))
    stays = await join_guest(server, "stays")
    goes = await join_guest(server, "goes")
    await goes.connection.leave("Bus to catch")
    assert await asyncio.wait_for(goes.task, DEADLINE_S) is None
    assert goes.core.status == g.DISCONNECTED and goes.core.resume_token is None
    assert goes.connection._ws.close_code == 1000
    await wait_until(lambda: left and members_agree(server, stays), what="the leave to land")
    assert (left[0].member.id, left[0].reason) == ("goes", "Bus to catch")
    assert [(e.device_id, e.reason) for e in stays.seen(g.GuestMemberLeft)] == \
        [("goes", "Bus to catch")]


async def test_run_returns_promptly_after_a_fatal_error_even_if_the_host_keeps_the_socket():
    async def refuse_but_linger(ws):
        await ws.recv()
        await ws.send(json.dumps({"type": "ERROR", "payload": {
            "code": "JOIN_DECLINED", "message": "No thanks"}}))
        await ws.wait_closed()

    async with fake_host(refuse_but_linger) as port:
        guest = guest_on(port)
        final = await asyncio.wait_for(guest.task, DEADLINE_S)
    assert isinstance(final, g.ErrorReceived)
    assert (final.code, final.human) == ("JOIN_DECLINED", "The host declined your request to join")


async def test_a_silent_host_is_noticed_after_its_timeout():
    async def welcome_then_silence(ws):
        await ws.recv()
        await ws.send(welcome(timeout_ms=500))
        await ws.send(member_list("fake-host", "dev"))
        await ws.wait_closed()  # never answers a heartbeat

    async with fake_host(welcome_then_silence) as port:
        started = time.monotonic()  # before the host's last frame, whenever that came
        guest = guest_on(port)
        await wait_until(lambda: guest.core.status == g.CONNECTED, what="welcome")
        final = await asyncio.wait_for(guest.task, DEADLINE_S)
        ended = time.monotonic()
    assert isinstance(final, g.ConnectionLost) and final.reason == "No answer from the host"
    assert ended - started >= 0.5 - 0.002   # not before the timeout (how soon after: speed)
    assert guest.seen(g.ConnectionLost) == [final]


async def test_a_host_that_closes_without_a_word_is_a_lost_connection():
    async def welcome_then_close(ws):
        await ws.recv()
        await ws.send(welcome())
        await ws.send(member_list("fake-host", "dev"))
        await ws.close(1011, "oops")

    async with fake_host(welcome_then_close) as port:
        final = await asyncio.wait_for(guest_on(port).task, 5)
    assert isinstance(final, g.ConnectionLost)
    assert "1011" in final.reason


async def test_unknown_and_malformed_host_frames_are_ignored():
    async def newer_host(ws):
        await ws.recv()
        await ws.send(welcome())
        await ws.send(member_list("fake-host", "dev"))
        await ws.send(json.dumps({"type": "PLAYBACK_STATE", "payload": {"track": 3}}))
        await ws.send("{not json")
        await ws.send(json.dumps({"type": "MEMBER_JOINED", "payload": {"member": "bogus"}}))
        await ws.send(b"\x00binary")
        await ws.send(json.dumps({"type": "MEMBER_JOINED", "payload": {"member": {
            "id": "other", "name": "Other", "role": "client", "connectionStatus": "connected",
            "joinedAt": 2}}, "futureField": True}))
        async for frame in ws:
            if json.loads(frame)["type"] == "LEAVE":
                await ws.close()

    async with fake_host(newer_host) as port:
        guest = guest_on(port)
        await wait_until(lambda: [x.id for x in guest.members] == ["fake-host", "dev", "other"],
                         what="the valid MEMBER_JOINED after the junk")
        assert guest.core.status == g.CONNECTED
        await guest.connection.leave()
        await asyncio.wait_for(guest.task, DEADLINE_S)


async def test_a_dropped_guest_resumes_its_place_with_its_token(start_host):
    server = await start_host(grace_ms=5000)
    first = guest_on(server.port, "keeper")
    await wait_until(lambda: first.core.status == g.CONNECTED, what="first welcome")
    token = first.core.resume_token
    assert token and token == first.core.session.resume_token
    first.drop()
    assert isinstance(await asyncio.wait_for(first.task, DEADLINE_S), g.ConnectionLost)
    assert first.core.resume_token == token  # a drop keeps the token for the resume

    core = g.GuestSession(session_id=SID, device_id="keeper", device_name="keeper",
                          app_version="test", resume_token=token)
    again = LiveGuest(core, "127.0.0.1", server.port)
    await wait_until(lambda: core.status == g.CONNECTED and core.members, what="resumed")
    assert [x.connection_status for x in server.members] == ["connected", "connected"]
    assert core.members == server.members
    await again.connection.leave()
    await asyncio.wait_for(again.task, DEADLINE_S)

