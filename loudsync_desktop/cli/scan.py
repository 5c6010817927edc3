"""``loudsync scan``: the parties nearby, one line each as they are found."""

from __future__ import annotations

import argparse
import asyncio
import sys

from ..net.discovery import DiscoveryService
from ..protocol.codes import format_code
from ..protocol.discovery import SessionFound, SessionUpdated
from .common import EXIT_OK, Printer, on_signals

SCAN_MERGE_S = 0.4     # how long a sighting waits for the other discovery source


async def run_scan(args: argparse.Namespace) -> int:
    """Print each party once, as soon as it is found (briefly held to merge mDNS and UDP)."""
    say = Printer(args.json)
    discovery = DiscoveryService()
    printed: set[str] = set()
    waiting: dict[str, asyncio.TimerHandle] = {}
    loop = asyncio.get_running_loop()

    def show(session_id: str) -> None:
        waiting.pop(session_id, None)
        session = discovery.table.get(session_id)
        if session is None or session_id in printed:
            return
        printed.add(session_id)
        a = session.announcement
        say("session", f"{a.session_name} - hosted by {a.host_name} - code "
            f"{format_code(a.session_id)} - {a.member_count}/{a.max_members} - "
            f"{session.address}:{a.port} ({session.via_label})", **session.to_json_obj())

    def on_event(event: object) -> None:
        if isinstance(event, (SessionFound, SessionUpdated)):
            session = event.session
            if session.session_id in printed:
                return
            if len(session.via) > 1:
                if session.session_id in waiting:
                    waiting[session.session_id].cancel()
                show(session.session_id)
            elif session.session_id not in waiting:
                waiting[session.session_id] = loop.call_later(SCAN_MERGE_S, show,
                                                              session.session_id)

    stop = asyncio.Event()
    on_signals(stop.set)
    discovery.add_listener(on_event)
    await discovery.start()
    try:
        await asyncio.wait_for(stop.wait(), args.timeout)
    except TimeoutError:
        pass
    for session_id in list(waiting):
        waiting.pop(session_id).cancel()
        show(session_id)
    await discovery.stop()
    if not printed and not args.json:
        print("No parties found. Check that this computer is on the same Wi-Fi as the host "
              "(not a guest network) and that a firewall allows LoudSync.", file=sys.stderr)
    return EXIT_OK
