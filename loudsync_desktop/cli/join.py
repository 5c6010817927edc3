"""``loudsync join``: a guest in a terminal, by code or by address."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
import uuid
from typing import Callable

from .. import __version__
from ..net.addresses import parse_address
from ..net.client import CONNECT_TIMEOUT_S, HostUnreachable, fetch_session_info
from ..net.discovery import DiscoveryLookup, DiscoveryService, probe_any
from ..audio.devices import MiniaudioOutputDevice
from ..clock import SystemClock
from ..net.guest_link import GuestLink
from ..net.playback_guest import GuestPlayback
from ..protocol.playback import FEATURE as PLAYBACK
from ..protocol import guest as g
from ..protocol import messages as m
from ..protocol.codes import check_code_shape, format_code, looks_like_code, normalize_code
from ..protocol.errors import LoudSyncError, RemoteProtocolError
from ..guard import call_listener
from .common import (EXIT_INTERNAL, EXIT_LOST, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Failure, Printer,
                     member_text, on_signals)
from .host import player_printer

log = logging.getLogger(__name__)

FIND_TIMEOUT_S = 5.0   # how long `join CODE` looks for the party


def guest_event_printer(say: Printer, core: GuestLink) -> Callable[[object], None]:
    def on_event(event: object) -> None:
        if isinstance(event, g.Welcomed):
            s = event.session
            say("welcome", f"Connected to host: '{s.session_name}' hosted by {s.host_name}",
                sessionId=s.session_id, sessionName=s.session_name, hostId=s.host_id,
                hostName=s.host_name, deviceId=s.device_id,
                heartbeatIntervalMs=s.heartbeat_interval_ms,
                heartbeatTimeoutMs=s.heartbeat_timeout_ms)
        elif isinstance(event, g.MembersReplaced):
            names = ", ".join(("you" if x.id == core.device_id else x.name) +
                              (" (host)" if x.role == m.ROLE_HOST else "") for x in event.members)
            say("member_list", f"{len(event.members)} Connected: {names}",
                members=[x.to_wire() for x in event.members])
        elif isinstance(event, g.GuestMemberJoined):
            say("member_joined", f"Member joined: {member_text(event.member)} - "
                f"{len(core.members)} Connected", member=event.member.to_wire())
        elif isinstance(event, g.GuestMemberLeft):
            say("member_left", f"Member left: {event.device_id} ({event.reason}) - "
                f"{len(core.members)} Connected", deviceId=event.device_id, reason=event.reason)
        elif isinstance(event, g.GuestMemberUpdated):
            say("member_updated", f"Member {event.member.connection_status}: "
                f"{member_text(event.member)}", member=event.member.to_wire())
        elif isinstance(event, g.JoinPending):
            say("join_pending", event.message, message=event.message)
        elif isinstance(event, g.ErrorReceived):
            say("error", f"Error from host: {event.human}", code=event.code, message=event.message)
        elif isinstance(event, g.SessionClosed):
            say("session_closed", f"Session ended by host ({event.reason})", reason=event.reason)
        elif isinstance(event, g.ConnectionLost):
            say("connection_lost", f"Connection lost: {event.reason}", reason=event.reason)
        elif isinstance(event, g.Reconnecting):
            say("reconnecting", f"Reconnecting (try {event.attempt}): {event.reason}",
                attempt=event.attempt, reason=event.reason, nextTryInMs=event.next_try_in_ms)
        elif isinstance(event, g.Reconnected):
            say("reconnected", "Reconnected" if event.kept_place else
                "Reconnected as a new member: the host had let this place go",
                attempts=event.attempts, keptPlace=event.kept_place)
    return on_event


async def resolve_target(target: str, timeout: float = FIND_TIMEOUT_S) -> tuple[str, int, str, str]:
    """TARGET (a code or an address) -> (host, port, sessionId, access) of a host that answers."""
    check_code_shape(target)
    if looks_like_code(target):
        session_id = normalize_code(target)
        discovery = DiscoveryService()
        await discovery.start()
        try:
            session = await discovery.find(session_id, timeout)
        finally:
            await discovery.stop()
        if session is None:
            raise HostUnreachable(
                f"No party with code {format_code(session_id)} was found nearby within "
                f"{timeout:g} s. Check that you are on the same Wi-Fi as the host (not a guest "
                "network), or join by the address the host's screen shows, e.g. "
                "loudsync join 192.168.1.20:8080.")
        answer = await probe_any(list(session.addresses), session.announcement.port, session_id,
                                 timeout=CONNECT_TIMEOUT_S)
        if answer is None:
            raise HostUnreachable(
                f"Found party {format_code(session_id)}, but none of its addresses "
                f"({', '.join(session.addresses)}) answered. A firewall on the host may block "
                f"port {session.announcement.port}.")
        return answer[0], session.announcement.port, session_id, answer[1].access
    host, port = parse_address(target)
    info = await fetch_session_info(host, port)
    return host, port, info["sessionId"], str(info.get("access", "open"))


async def run_join(args: argparse.Namespace) -> int:
    say = Printer(args.json)
    try:
        name = m.clean_name(args.name, "name")
    except RemoteProtocolError as exc:
        print(f"loudsync join: {exc.message.removeprefix('Invalid message: ')}", file=sys.stderr)
        return EXIT_USAGE
    try:
        host, port, session_id, access = await resolve_target(args.target)
    except (LoudSyncError, ValueError) as exc:
        print(f"loudsync join: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    pin = args.pin
    if access == "pin" and pin is None:
        if not sys.stdin.isatty():
            print("loudsync join: this party needs a PIN: add --pin 1234", file=sys.stderr)
            return EXIT_REFUSED
        pin = await asyncio.to_thread(getpass.getpass, "This party needs a PIN: ")
    lookup = None if args.no_discovery else DiscoveryLookup()
    clock = SystemClock()
    music = None if args.no_audio else GuestPlayback(clock)
    link = GuestLink(session_id=session_id, device_id=args.device_id or f"cli-{uuid.uuid4().hex[:12]}",
                     device_name=name, app_version=__version__, host=host, port=port, pin=pin,
                     lookup=lookup, clock=clock,
                     on_event=lambda event: call_listener(on_event, event, on_failure=failure),
                     features=() if music is None else (PLAYBACK,),
                     on_frame=None if music is None else music.on_frame)
    failure = Failure(say, lambda: asyncio.ensure_future(link.leave("LoudSync hit a bug")))
    if music is not None:
        music.on_failure = failure
    printer = guest_event_printer(say, link)
    device = None

    def on_event(event: object) -> None:
        printer(event)
        if music is not None and isinstance(event, g.Welcomed) \
                and PLAYBACK in event.session.features and not music.attached:
            music.attach(link.send_text)   # the host can play music: keep time with it
            music.add_listener(player_printer(say))
            music.add_listener(open_speakers)

    def open_speakers(state) -> None:
        """The sound card opens with the first music, not for a party without any."""
        nonlocal device
        if device is None and state.queue:
            device = MiniaudioOutputDevice(clock)
            device.start(music.engine.render)
            if device.silent:
                say("audio", "No sound device found: this computer stays silent",
                    silent=True, message="No sound device found: this computer stays silent")
    runner = asyncio.create_task(link.run())
    on_signals(lambda: asyncio.ensure_future(link.leave("Left from the command line")))
    try:
        final = await runner
    except HostUnreachable as exc:
        print(f"loudsync join: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # noqa: BLE001 - a bug of ours: reported, not a traceback exit
        log.error("the connection to the host failed", exc_info=exc)
        failure(exc)
        return EXIT_INTERNAL
    finally:
        if device is not None:
            device.stop()
        if music is not None:
            await music.detach()
        if lookup is not None:
            await lookup.close()
    if failure.error is not None:
        return EXIT_INTERNAL
    if isinstance(final, g.ErrorReceived):
        print(f"loudsync join: {final.human}", file=sys.stderr)
        return EXIT_REFUSED
    if isinstance(final, g.ConnectionLost):
        print(f"loudsync join: connection to the host lost ({final.reason})", file=sys.stderr)
        return EXIT_LOST
    if final is None:
        say("left", "Left the party")
    return EXIT_OK
