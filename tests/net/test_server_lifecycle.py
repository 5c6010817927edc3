"""HostServer over real sockets: GET /session, ending the session, ports."""

import asyncio
import errno
import json
import socket

import pytest

from loudsync_desktop.net.addresses import DEFAULT_PORT
from loudsync_desktop.net.client import fetch_session_info
from loudsync_desktop.net.server import HostServer, PortInUse
from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.host import HostConfig
from tests.net.helpers import frames_until_closed, http_get, port_is_free
from tests.support import DEADLINE_S, RawGuest

SID = "ABC234"


async def test_get_session_returns_the_announcement_with_the_real_port(start_host, join_guest):
    server = await start_host(session_name="Friday", host_id="host-1", host_name="Dee",
                              max_members=5)
    info = await fetch_session_info("127.0.0.1", server.port)
    assert info == {"type": "LOUDSYNC_ANNOUNCE", "v": 1, "sessionId": SID, "sessionName": "Friday",
                    "hostId": "host-1", "hostName": "Dee", "memberCount": 1, "maxMembers": 5,
                    "access": "open", "port": server.port}
    assert server.port != 0

    await join_guest(server, "guest-1")
    status, body = await http_get(server.port, "/session?fresh=1")
    assert status == 200
    assert json.loads(body)["memberCount"] == 2


@pytest.mark.parametrize("path", ["/", "/sessions", "/session/x", "/favicon.ico"])
async def test_other_paths_get_404_and_the_host_carries_on(start_host, path):
    server = await start_host()
    status, body = await http_get(server.port, path)
    assert status == 404
    assert "LoudSync" in json.loads(body)["error"]
    raw = await RawGuest.connect(server.port)
    assert (await raw.join(SID, "after-404"))["type"] == "WELCOME"
    await raw.close()


async def test_stop_closes_every_guest_with_session_closed_and_frees_the_port(start_host,
                                                                              join_guest):
    server = await start_host()
    port = server.port
    raws = []
    for device in ("raw-1", "raw-2"):
        raw = await RawGuest.connect(port)
        await raw.join(SID, device)
        await raw.expect("MEMBER_LIST")
        raws.append(raw)
    real = await join_guest(server, "real")
    pending = await RawGuest.connect(port)  # connected, never joined

    await server.stop()

    for raw in raws:
        frames, code = await frames_until_closed(raw)
        assert frames[-1] == {"type": "SESSION_CLOSED",
                              "payload": {"reason": "Host closed session"},
                              "timestamp": frames[-1].get("timestamp")}
        assert code == 1000
    assert await frames_until_closed(pending) == ([], 1000)
    final = await asyncio.wait_for(real.task, DEADLINE_S)
    assert isinstance(final, g.SessionClosed) and final.reason == "Host closed session"
    assert real.connection._ws.close_code == 1000

    # Nobody listens there any more, and another server can have the port.
    with pytest.raises(OSError):
        await RawGuest.connect(port)
    assert port_is_free(port)
    again = HostServer(HostConfig(session_id="NEW234"), port=port, bind="127.0.0.1")
    await again.start()
    try:
        assert again.port == port
    finally:
        await again.stop()


async def test_session_closed_is_the_last_frame_before_the_close(start_host):
    # The order matters to a guest: SESSION_CLOSED first, then the 1000 close.
    server = await start_host()
    raw = await RawGuest.connect(server.port)
    await raw.join(SID, "ordered")
    await raw.expect("MEMBER_LIST")
    await server.stop()
    frames, code = await frames_until_closed(raw)
    assert [f["type"] for f in frames] == ["SESSION_CLOSED"]
    assert code == 1000


async def test_stop_twice_is_harmless(start_host):
    server = await start_host()
    await server.stop()
    await server.stop()


async def test_an_explicit_port_that_is_taken_raises_port_in_use():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        server = HostServer(HostConfig(session_id=SID), port=port, bind="127.0.0.1")
        with pytest.raises(PortInUse) as caught:
            await server.start()
    message = str(caught.value)
    assert f"Port {port} is already in use" in message
    assert "0 for any free one" in message


async def test_the_default_port_taken_falls_back_to_a_free_one():
    blocker = socket.socket()
    try:
        try:
            blocker.bind(("127.0.0.1", DEFAULT_PORT))
            blocker.listen()
        except OSError as exc:  # someone else holds 8080: taken all the same
            assert exc.errno == errno.EADDRINUSE
        server = HostServer(HostConfig(session_id=SID), bind="127.0.0.1")  # port 8080 by default
        await server.start()
        try:
            assert server.port not in (0, DEFAULT_PORT)
            info = await fetch_session_info("127.0.0.1", server.port)
            assert info["port"] == server.port  # the advertised port is the truth
            raw = await RawGuest.connect(server.port)
            assert (await raw.join(SID, "fallback"))["type"] == "WELCOME"
            await raw.close()
        finally:
            await server.stop()
    finally:
        blocker.close()
