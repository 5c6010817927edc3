"""A streaming guest whose link stalls connects anew as soon as the link is back.

TCP alone retransmits with backoff: after a 5 s cut the next try may come seconds after the
link returns. A guest that the host streams to hears from it every 20 ms (chunks) or 0.5 s
(clock answers), so 1.5 s of silence is a stalled link: it drops the connection and tries
again every few tenths of a second, and the first try after the link returns gets through.
Real host, real guest, a real relay that holds every byte back while the link is down."""

from __future__ import annotations

import asyncio

import pytest

from loudsync_desktop.net.guest_link import GuestLink
from loudsync_desktop.net.server import HostServer
from loudsync_desktop.protocol import events as ev
from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.host import HostConfig
from loudsync_desktop.protocol.stream import STREAM_WATCH_MS
from tests.support import wait_until
from testsupport.relay import TcpRelay

pytestmark = pytest.mark.timeout(60)


async def test_a_stalled_link_under_the_music_is_replaced_within_a_second_of_its_return():
    server = HostServer(HostConfig(session_id="WATCH2", max_members=4,
                                   heartbeat_timeout_ms=60_000), port=0, bind="127.0.0.1")
    await server.start()
    relay = await TcpRelay(server.port).start()
    events: list = []
    link = GuestLink(session_id="WATCH2", device_id="d1", device_name="Ana", app_version="t",
                     host="127.0.0.1", port=relay.port, on_event=events.append)
    link.watch_stream(STREAM_WATCH_MS)
    task = asyncio.get_running_loop().create_task(link.run())
    try:
        await wait_until(lambda: any(isinstance(e, ev.Welcomed) for e in events),
                         what="the guest in")

        async def keep_talking():   # the host's side of a stream: something every 100 ms
            while True:
                server.send_to("d1", b"\x04" + bytes(20))
                await asyncio.sleep(0.1)
        talker = asyncio.get_running_loop().create_task(keep_talking())
        await asyncio.sleep(0.5)
        assert not any(isinstance(e, ev.Reconnecting) for e in events)   # all is well
        relay.stall_now(5_000)                  # the link is down for 5 s
        stalled = asyncio.get_running_loop().time()
        await wait_until(lambda: any(isinstance(e, ev.Reconnecting) for e in events),
                         what="the guest to see the stall")
        lost = next(e for e in events if isinstance(e, ev.Reconnecting))
        assert lost.reason == g.STALLED
        await wait_until(lambda: any(isinstance(e, ev.Reconnected) for e in events),
                         what="the guest back")
        back = asyncio.get_running_loop().time() - stalled
        # Back within a second of the link's return, with its place kept.
        assert back < 6.0, back
        assert next(e for e in events if isinstance(e, ev.Reconnected)).kept_place
        talker.cancel()
    finally:
        await link.leave()
        await asyncio.gather(task, return_exceptions=True)
        await relay.stop()
        await server.stop()
