"""``loudsync join``: a guest in a terminal, by code or by address."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
import uuid
from collections.abc import Callable

from ..control.events import PlaybackStarted, SpeakersSilent
from ..control.guest import (FIND_TIMEOUT_S, GuestController, GuestOptions, PartyNotFound,
                             target_from_text)
from ..protocol import guest as g
from ..protocol import messages as m
from ..protocol.codes import format_code
from ..protocol.errors import LoudSyncError, RemoteProtocolError
from .common import (EXIT_INTERNAL, EXIT_LOST, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Failure, Printer,
                     member_text, on_signals)
from .host import player_printer

log = logging.getLogger(__name__)


def guest_event_printer(say: Printer, core: GuestController) -> Callable[[object], None]:
    def on_event(event: object) -> None:
        if isinstance(event, SpeakersSilent):
            say("audio", event.message, silent=True, message=event.message)
        elif isinstance(event, g.Welcomed):
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


def not_found_text(exc: PartyNotFound) -> str:
    """The terminal's words: how long it looked, and the command to join by address."""
    return (f"No party with code {format_code(exc.session_id)} was found nearby within "
            f"{exc.timeout_s:g} s. Check that you are on the same Wi-Fi as the host (not a guest "
            "network), or join by the address the host's screen shows, e.g. "
            "loudsync join 192.168.1.20:8080.")


async def run_join(args: argparse.Namespace) -> int:
    say = Printer(args.json)
    try:
        name = m.clean_name(args.name, "name")
    except RemoteProtocolError as exc:
        print(f"loudsync join: {exc.message.removeprefix('Invalid message: ')}", file=sys.stderr)
        return EXIT_USAGE
    printers: list[Callable[[object], None]] = []   # the printer needs the controller

    def on_event(event: object) -> None:
        for printer in printers:
            printer(event)
        if isinstance(event, PlaybackStarted):   # the host plays music: print its changes
            event.playback.add_listener(player_printer(say))

    guest = GuestController(args.device_id or f"cli-{uuid.uuid4().hex[:12]}",
                            GuestOptions(discovery=not args.no_discovery,
                                         find_timeout_s=FIND_TIMEOUT_S,
                                         playback=not args.no_audio),
                            name=name, on_event=on_event)
    def leave_soon(reason: str) -> Callable[[], None]:
        return lambda: guest.spawn_leave(reason)
    failure = Failure(say, leave_soon("LoudSync hit a bug"))
    guest.on_failure = failure
    printers.append(guest_event_printer(say, guest))
    try:
        reached = await guest.reach(target_from_text(args.target))
    except PartyNotFound as exc:
        print(f"loudsync join: {not_found_text(exc)}", file=sys.stderr)
        return EXIT_REFUSED
    except (LoudSyncError, ValueError, OSError) as exc:
        print(f"loudsync join: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    pin = args.pin
    if reached.access == "pin" and pin is None:
        if not sys.stdin.isatty():
            print("loudsync join: this party needs a PIN: add --pin 1234", file=sys.stderr)
            return EXIT_REFUSED
        pin = await asyncio.to_thread(getpass.getpass, "This party needs a PIN: ")
    on_signals(leave_soon("Left from the command line"))
    await guest.connect(reached, pin)
    ended = await guest.wait_ended()
    await guest.stop()
    if ended.failure is not None:
        failure(ended.failure)
    if failure.error is not None:
        return EXIT_INTERNAL
    final = ended.final
    if isinstance(final, g.ErrorReceived):
        print(f"loudsync join: {final.human}", file=sys.stderr)
        return EXIT_REFUSED
    if isinstance(final, g.ConnectionLost):
        print(f"loudsync join: connection to the host lost ({final.reason})", file=sys.stderr)
        return EXIT_LOST
    if final is None:
        say("left", "Left the party")
    return EXIT_OK
