"""The headless face of LoudSync: host, join (and later scan) from a terminal.

Prints one line per event: friendly text by default, one JSON object per line
with ``--json`` (the form end-to-end tests and scripts read).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import signal
import sys
import threading
import uuid
from typing import Any, Callable

from . import __version__
from .protocol import events as ev
from .protocol import guest as g
from .protocol import messages as m
from .protocol.codes import (check_code_shape, format_code, generate_session_id, looks_like_code,
                             normalize_code)
from .protocol.errors import LoudSyncError, RemoteProtocolError
from .protocol.host import (DEFAULT_GRACE_MS, DEFAULT_HEARTBEAT_TIMEOUT_MS,
                            DEFAULT_MAX_MEMBERS, HostConfig)
from .net.addresses import DEFAULT_PORT, parse_address
from .net.client import CONNECT_TIMEOUT_S, HostUnreachable, fetch_session_info
from .net.discovery import Advertiser, DiscoveryLookup, DiscoveryService, probe_any
from .net.guest_link import GuestLink
from .persistence import SessionStore
from .protocol.discovery import SessionFound, SessionUpdated
from .net.server import HostServer

EXIT_OK = 0
EXIT_REFUSED = 1       # the host said no, or nobody answered
EXIT_USAGE = 2         # argparse's own code for bad arguments
EXIT_LOST = 3          # the connection to the host was lost

FIND_TIMEOUT_S = 5.0   # how long `join CODE` looks for the party
SCAN_MERGE_S = 0.4     # how long a sighting waits for the other discovery source


class Printer:
    """Writes events as JSON lines or as friendly text, flushed at once."""

    def __init__(self, as_json: bool, out=sys.stdout) -> None:
        self.as_json = as_json
        self.out = out

    def __call__(self, event: str, text: str, **fields: Any) -> None:
        line = json.dumps({"event": event, **fields}, ensure_ascii=False) if self.as_json else text
        print(line, file=self.out, flush=True)


def _member_text(member: m.Member) -> str:
    return f"{member.name} ({member.id})"


# -- host ----------------------------------------------------------------------------
def host_event_printer(say: Printer, server: HostServer) -> Callable[[object], None]:
    def on_event(event: object) -> None:
        count = server.core.member_count
        if isinstance(event, ev.MemberJoined):
            say("member_joined", f"Client joined: {_member_text(event.member)} - {count} Connected",
                member=event.member.to_wire())
        elif isinstance(event, ev.MemberLeft):
            say("member_left", f"Client left: {event.member.id} ({event.reason}) - {count} Connected",
                deviceId=event.member.id, reason=event.reason, name=event.member.name)
        elif isinstance(event, ev.MemberUpdated):
            say("member_updated", f"Client {event.member.connection_status}: "
                f"{_member_text(event.member)}", member=event.member.to_wire())
        elif isinstance(event, ev.JoinRefused):
            who = event.device_name or event.address
            say("join_refused", f"Refused {who}: {event.message}", code=event.code,
                message=event.message, address=event.address)
        elif isinstance(event, ev.JoinRequested):
            say("join_request", f"{event.device_name} wants to join (from {event.address}): "
                f"type 'approve {event.conn}' or 'decline {event.conn}'",
                requestId=event.conn, deviceId=event.device_id, deviceName=event.device_name,
                address=event.address)
        elif isinstance(event, ev.JoinRequestEnded):
            say("join_request_ended", f"Request {event.conn} is closed", requestId=event.conn)
    return on_event


def _read_commands(server: HostServer, stop: asyncio.Event, say: Printer) -> None:
    """Host commands on standard input, one per line: approve N, decline N, remove ID, end."""
    loop = asyncio.get_running_loop()

    def handle(line: str) -> None:
        words = line.split()
        if not words:
            return
        verb, arg = words[0].lower(), " ".join(words[1:])
        if verb == "end":
            stop.set()
        elif verb in ("approve", "decline") and arg.isdigit():
            getattr(server, verb)(int(arg))
        elif verb == "remove" and arg:
            if all(x.id != arg for x in server.members[1:]):
                say("command_error", f"No guest with id {arg}", message=f"No guest with id {arg}")
            server.remove(arg)
        else:
            say("command_error", f"Unknown command: {line.strip()}",
                message=f"Unknown command: {line.strip()}")

    def reader() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(handle, line)

    if sys.stdin is not None and not sys.stdin.closed:
        threading.Thread(target=reader, name="host-commands", daemon=True).start()


async def run_host(args: argparse.Namespace) -> int:
    say = Printer(args.json)
    store = SessionStore()
    if args.resume:
        saved = store.load()
        if saved is None:
            print(f"loudsync host: no saved party to resume in {store.path}", file=sys.stderr)
            return EXIT_REFUSED
        try:
            server = HostServer.resume(saved, bind=args.bind, store=store)
        except LoudSyncError as exc:
            print(f"loudsync host: cannot resume the saved party: {exc}", file=sys.stderr)
            return EXIT_REFUSED
    else:
        try:
            config = HostConfig(
                session_id=generate_session_id(),
                session_name=m.clean_name(args.name, "party name"),
                host_id=f"host-{uuid.uuid4().hex[:12]}",
                host_name=m.clean_name(args.host_name, "host name"),
                max_members=args.max_members,
                heartbeat_timeout_ms=round(args.heartbeat_timeout * 1000),
                grace_ms=round(args.grace * 1000),
                access="pin" if args.pin else "approval" if args.approve else "open",
                pin=args.pin,
            )
        except RemoteProtocolError as exc:
            print(f"loudsync host: {exc.message.removeprefix('Invalid message: ')}", file=sys.stderr)
            return EXIT_USAGE
        server = HostServer(config, port=args.port, bind=args.bind, store=store)
    config = server.config
    server.add_listener(host_event_printer(say, server))
    try:
        await server.start()
    except LoudSyncError as exc:
        print(f"loudsync host: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    advertiser = None
    if not args.no_discovery:
        advertiser = Advertiser(server)
        try:
            await advertiser.start()
        except OSError as exc:  # no network stack for multicast: still joinable by address
            print(f"loudsync host: discovery is off ({exc}); guests can join by address",
                  file=sys.stderr)
            await advertiser.stop()
            advertiser = None
    stop = asyncio.Event()
    _on_signals(stop.set)
    _read_commands(server, stop, say)
    urls = server.urls()
    say("hosting",
        f"{'Resumed' if args.resume else 'Hosting'} '{config.session_name}': code "
        f"{format_code(config.session_id)}, port {server.port}"
        + (f", PIN {config.pin}" if config.pin else "")
        + (", you approve each guest" if config.access == "approval" else "") + "\n"
        + "\n".join(f"  guests can join at {u}" for u in urls)
        + "\n  commands: remove DEVICE_ID" + (", approve N, decline N" if config.access == "approval" else "")
        + ", end",
        sessionId=config.session_id, code=format_code(config.session_id),
        port=server.port, urls=urls, sessionName=config.session_name,
        hostId=config.host_id, maxMembers=config.max_members, access=config.access,
        resumed=bool(args.resume), members=[x.to_wire() for x in server.members])
    await stop.wait()
    # The goodbyes go out while the guests are told: closing waits up to ~2 s for a guest
    # that vanished, and scanners must not list an ended party that long.
    closing = asyncio.ensure_future(server.stop())
    if advertiser is not None:
        await advertiser.stop()
    await closing
    say("session_closed", "Session closed")
    return EXIT_OK


# -- join ----------------------------------------------------------------------------
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
            say("member_joined", f"Member joined: {_member_text(event.member)} - "
                f"{len(core.members)} Connected", member=event.member.to_wire())
        elif isinstance(event, g.GuestMemberLeft):
            say("member_left", f"Member left: {event.device_id} ({event.reason}) - "
                f"{len(core.members)} Connected", deviceId=event.device_id, reason=event.reason)
        elif isinstance(event, g.GuestMemberUpdated):
            say("member_updated", f"Member {event.member.connection_status}: "
                f"{_member_text(event.member)}", member=event.member.to_wire())
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
            say("reconnected", "Reconnected", attempts=event.attempts)
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
                waiting[session.session_id] = loop.call_later(SCAN_MERGE_S, show, session.session_id)

    stop = asyncio.Event()
    _on_signals(stop.set)
    discovery.add_listener(on_event)
    await discovery.start()
    try:
        await asyncio.wait_for(stop.wait(), args.timeout)
    except asyncio.TimeoutError:
        pass
    for session_id in list(waiting):
        waiting.pop(session_id).cancel()
        show(session_id)
    await discovery.stop()
    if not printed and not args.json:
        print("No parties found. Check that this computer is on the same Wi-Fi as the host "
              "(not a guest network) and that a firewall allows LoudSync.", file=sys.stderr)
    return EXIT_OK


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
    link = GuestLink(session_id=session_id, device_id=args.device_id or f"cli-{uuid.uuid4().hex[:12]}",
                     device_name=name, app_version=__version__, host=host, port=port, pin=pin,
                     lookup=lookup, on_event=lambda event: printer(event))
    printer = guest_event_printer(say, link)
    runner = asyncio.create_task(link.run())
    _on_signals(lambda: asyncio.ensure_future(link.leave("Left from the command line")))
    try:
        final = await runner
    except HostUnreachable as exc:
        print(f"loudsync join: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        if lookup is not None:
            await lookup.close()
    if isinstance(final, g.ErrorReceived):
        print(f"loudsync join: {final.human}", file=sys.stderr)
        return EXIT_REFUSED
    if isinstance(final, g.ConnectionLost):
        print(f"loudsync join: connection to the host lost ({final.reason})", file=sys.stderr)
        return EXIT_LOST
    if final is None:
        say("left", "Left the party")
    return EXIT_OK


# -- plumbing ----------------------------------------------------------------------
def _on_signals(callback: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, callback)
        except (NotImplementedError, RuntimeError):  # Windows: no loop signal handlers
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(callback))


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0.01 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be between 0.01 and 3600 seconds")
    return value


def _grace_seconds(text: str) -> float:
    if text.strip() in ("0", "0.0"):
        return 0.0
    return _positive_seconds(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port (0-65535; 0 means any free port)")
    return int(text)


def _pin(text: str) -> str:
    if not (len(text) == 4 and text.isdigit() and text.isascii()):
        raise argparse.ArgumentTypeError("a PIN is 4 digits, like 1234")
    return text


def _max_members(text: str) -> int:
    if not text.isdigit() or not 2 <= int(text) <= 512:
        raise argparse.ArgumentTypeError("must be a whole number from 2 to 512 (the host counts as one)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loudsync", description="LoudSync: one laptop hosts a party, the others join.")
    parser.add_argument("--version", action="version", version=f"LoudSync {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="{host,join,scan}")

    host = sub.add_parser("host", help="host a party from this terminal")
    host.add_argument("--name", default="My Party", help="party name (default: My Party)")
    host.add_argument("--host-name", default="Party Host", help="your name (default: Party Host)")
    host.add_argument("--port", type=_port, default=DEFAULT_PORT,
                      help=f"WebSocket port (default {DEFAULT_PORT}, another free one if taken; 0: any)")
    host.add_argument("--bind", default="0.0.0.0", metavar="ADDRESS",
                      help="listen on this IPv4 address only (default: all)")
    host.add_argument("--max-members", type=_max_members, default=DEFAULT_MAX_MEMBERS,
                      help=f"party size counting the host (default {DEFAULT_MAX_MEMBERS})")
    host.add_argument("--heartbeat-timeout", type=_positive_seconds,
                      default=DEFAULT_HEARTBEAT_TIMEOUT_MS / 1000, metavar="SECONDS",
                      help="drop a silent guest after this long (default 15)")
    host.add_argument("--grace", type=_grace_seconds, default=DEFAULT_GRACE_MS / 1000,
                      metavar="SECONDS", help="keep a dropped guest's place this long (default 30)")
    host.add_argument("--no-discovery", action="store_true", help="do not advertise on the network")
    access = host.add_mutually_exclusive_group()
    access.add_argument("--pin", type=_pin, help="guests must give this 4-digit PIN")
    access.add_argument("--approve", action="store_true",
                        help="you approve each guest (type 'approve N' or 'decline N')")
    host.add_argument("--resume", action="store_true",
                      help="resume the party this computer hosted when it crashed or was killed")
    host.add_argument("--json", action="store_true", help="one JSON object per line")

    join = sub.add_parser("join", help="join a party")
    join.add_argument("target", metavar="TARGET",
                      help="the party code (ABC-234) or the host's address (host:port, ws://...)")
    join.add_argument("--name", default="Guest", help="your name (default: Guest)")
    join.add_argument("--device-id", help="this device's id (default: a new random one)")
    join.add_argument("--pin", type=_pin, help="the party's PIN, if it has one")
    join.add_argument("--no-discovery", action="store_true",
                      help="do not look the host up again on the network when reconnecting")
    join.add_argument("--json", action="store_true", help="one JSON object per line")

    scan = sub.add_parser("scan", help="list the parties nearby")
    scan.add_argument("--timeout", type=_positive_seconds, default=5.0, metavar="S",
                      help="how long to look (default 5)")
    scan.add_argument("--json", action="store_true", help="one JSON object per party")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from .app import main as app_main
        return app_main()
    runner = {"host": run_host, "join": run_join, "scan": run_scan}[args.command]
    try:
        return asyncio.run(runner(args))
    except KeyboardInterrupt:
        return EXIT_OK
