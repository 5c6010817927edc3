"""A DiscoveryService that prints what it sees as JSON lines, for tests and benchmarks on the LAN.

Run on a laptop of the simulated LAN (never in the machine's own namespace):
``ip netns exec NS python -m tests.lan.watch [--no-mdns] [--no-udp]``. Prints
``{"event": "started", "t": ...}`` once discovery runs, then ``found``, ``updated`` and
``lost`` lines with the session's PROTOCOL.md section 5 fields. ``t`` is ``time.monotonic()``,
one clock for every process on this machine, so a parent can time events across
namespaces. Runs until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import time

from loudsync_desktop.net.discovery import DiscoveryService
from loudsync_desktop.protocol.discovery import SessionFound, SessionLost, SessionUpdated


def _say(event: str, **fields) -> None:
    print(json.dumps({"event": event, "t": time.monotonic(), **fields}), flush=True)


async def main(mdns: bool, udp: bool) -> None:
    discovery = DiscoveryService(mdns=mdns, udp=udp)

    def on_event(event: object) -> None:
        if isinstance(event, SessionFound):
            _say("found", **event.session.to_json_obj())
        elif isinstance(event, SessionUpdated):
            _say("updated", **event.session.to_json_obj())
        elif isinstance(event, SessionLost):
            _say("lost", sessionId=event.session_id, reason=event.reason)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    discovery.add_listener(on_event)
    begun = time.monotonic()
    await discovery.start()
    _say("started", begun=begun)
    await stop.wait()
    await discovery.stop()
    _say("stopped")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--mdns", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--udp", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    asyncio.run(main(args.mdns, args.udp))
