"""``loudsync host``: a party from a terminal, with commands on standard input."""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import uuid
from collections.abc import Callable

from ..audio.source import SourceError
from ..control.events import DiscoveryOff, SpeakersSilent, TrackSkipped
from ..control.host import HostController, HostOptions, party_config
from ..control.speakers import default_output
from ..net.playback_host import HostPlayback
from ..net.server import HostServer
from ..persistence import SessionStore
from ..protocol import events as ev
from ..protocol import messages as m
from ..protocol.codes import format_code
from ..protocol.errors import LoudSyncError, RemoteProtocolError
from ..protocol.playback import PlayState
from ..protocol.stream_health import MemberStreams
from ..guard import FailureSink, call_listener
from .common import (EXIT_INTERNAL, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Failure, Printer,
                     member_text, on_signals)

def host_event_printer(say: Printer, server: HostServer,
                       playing: Callable[[], bool] = lambda: True) -> Callable[[object], None]:
    """``playing``: whether the party plays now (a stream's silence while paused is no news)."""
    streams = MemberStreams()

    def on_event(event: object) -> None:
        count = server.core.member_count
        if isinstance(event, ev.SyncReported):
            if streams.report(event.device_id, event.stream, server.clock.now_ms(), playing()):
                member = next((x for x in server.members if x.id == event.device_id), None)
                status = streams.status(event.device_id)
                name = member.name if member is not None else event.device_id
                say("member_stream", f"{name} ({event.device_id}): {status or 'back to normal'}",
                    deviceId=event.device_id, name=name, status=status)
        elif isinstance(event, TrackSkipped):
            say("track_skipped", f"Skipped {event.title}: {event.message}", title=event.title,
                message=event.message)
        elif isinstance(event, DiscoveryOff):   # no multicast here: still joinable by address
            print(f"loudsync host: discovery is off ({event.reason}); guests can join by address",
                  file=sys.stderr)
        elif isinstance(event, SpeakersSilent):
            print(f"loudsync host: {event.message}", file=sys.stderr)
        elif isinstance(event, ev.MemberJoined):
            say("member_joined", f"Client joined: {member_text(event.member)} - {count} Connected",
                member=event.member.to_wire())
        elif isinstance(event, ev.MemberLeft):
            streams.forget(event.member.id)
            say("member_left",
                f"Client left: {event.member.id} ({event.reason}) - {count} Connected",
                deviceId=event.member.id, reason=event.reason, name=event.member.name)
        elif isinstance(event, ev.MemberUpdated):
            say("member_updated", f"Client {event.member.connection_status}: "
                f"{member_text(event.member)}", member=event.member.to_wire())
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


def player_printer(say: Printer) -> Callable[[PlayState], None]:
    """``player`` lines, only for parties with music (a silent party prints none)."""
    printed = False

    def on_state(state: PlayState) -> None:
        nonlocal printed
        if not state.queue and not printed:
            return
        printed = True
        track = state.current
        text = ("Playing" if state.playing else "Paused") + (f": {track.title}" if track else "")
        say("player", text, playing=state.playing, index=state.index,
            title=track.title if track else None,
            queue=[t.title for t in state.queue], volume=state.volume)
    return on_state


def _read_commands(host: HostController, stop: asyncio.Event, say: Printer,
                   playback: HostPlayback, on_failure: FailureSink) -> None:
    """Host commands on standard input, one per line: approve N, decline N, remove ID,
    end, and with music: play, pause, next, previous, seek SECONDS, volume PERCENT, add PATH."""
    loop = asyncio.get_running_loop()

    async def add(path: str) -> None:
        try:
            await playback.add_file(path)
        except SourceError as exc:
            say("command_error", f"Not added: {exc}", message=str(exc))

    def handle(line: str) -> None:
        words = line.split()
        if not words:
            return
        verb, arg = words[0].lower(), " ".join(words[1:])
        if verb in MUSIC_VERBS:
            if verb == "add" and arg:
                host.spawn(add(arg), name="add-track")
            elif verb == "seek" and _is_number(arg):
                playback.seek(int(float(arg) * 1000))
            elif verb == "volume" and _is_number(arg):
                playback.set_volume(float(arg) / 100)
            elif verb in ("play", "pause", "next", "previous"):
                getattr(playback, verb)()
            else:
                say("command_error", f"Usage: {verb} {MUSIC_VERBS[verb]}".rstrip(),
                    message=f"Usage: {verb} {MUSIC_VERBS[verb]}".rstrip())
        elif verb == "end":
            stop.set()
        elif verb in ("approve", "decline") and arg.isdigit():
            getattr(host, verb)(int(arg))
        elif verb == "remove" and arg:
            if all(x.id != arg for x in host.members[1:]):
                say("command_error", f"No guest with id {arg}", message=f"No guest with id {arg}")
            host.remove(arg)
        else:
            say("command_error", f"Unknown command: {line.strip()}",
                message=f"Unknown command: {line.strip()}")

    def guarded_handle(line: str) -> None:
        call_listener(handle, line, on_failure=on_failure)

    def reader() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(guarded_handle, line)

    if sys.stdin is not None and not sys.stdin.closed:
        threading.Thread(target=reader, name="host-commands", daemon=True).start()


MUSIC_VERBS = {"play": "", "pause": "", "next": "", "previous": "", "seek": "SECONDS",
               "volume": "PERCENT", "add": "PATH"}


def _is_number(text: str) -> bool:
    try:
        return float(text) >= 0
    except ValueError:
        return False


async def start_music(playback: HostPlayback, args: argparse.Namespace, say: Printer) -> None:
    """The files given, queued (the speakers open with the first of them)."""
    playback.add_listener(player_printer(say))
    for path in args.music or []:
        try:
            await playback.add_file(path)
        except SourceError as exc:
            print(f"loudsync host: not added: {exc}", file=sys.stderr)
    if args.play:
        playback.play()


def _controller(args: argparse.Namespace, store: SessionStore,
                **callbacks) -> HostController | int:
    """The party to host (new, or the saved one with --resume), or an exit code."""
    options = HostOptions(port=args.port, bind=args.bind, discovery=not args.no_discovery,
                          audio_output=None if args.no_audio else default_output,
                          codec=args.codec, buffer_ms=args.buffer_ms)
    if args.resume:
        saved = store.load()
        if saved is None:
            print(f"loudsync host: no saved party to resume in {store.path}", file=sys.stderr)
            return EXIT_REFUSED
        try:
            return HostController.resume(saved, options, store, **callbacks)
        except LoudSyncError as exc:
            print(f"loudsync host: cannot resume the saved party: {exc}", file=sys.stderr)
            return EXIT_REFUSED
    try:
        config = party_config(
            party_name=m.clean_name(args.name, "party name"),
            host_name=m.clean_name(args.host_name, "host name"),
            host_id=f"host-{uuid.uuid4().hex[:12]}", max_members=args.max_members,
            heartbeat_timeout_ms=round(args.heartbeat_timeout * 1000),
            grace_ms=round(args.grace * 1000),
            access="pin" if args.pin else "approval" if args.approve else "open", pin=args.pin)
    except RemoteProtocolError as exc:
        print(f"loudsync host: {exc.message.removeprefix('Invalid message: ')}", file=sys.stderr)
        return EXIT_USAGE
    return HostController.new(config, options, store, **callbacks)


async def run_host(args: argparse.Namespace) -> int:
    say = Printer(args.json)
    stop = asyncio.Event()
    failure = Failure(say, stop.set)
    printers: list[Callable[[object], None]] = []   # the printer needs the server made here

    def on_event(event: object) -> None:
        for printer in printers:
            printer(event)
    host = _controller(args, SessionStore(), on_event=on_event, on_failure=failure)
    if isinstance(host, int):
        return host
    printers.append(host_event_printer(
        say, host.server, lambda: host.playback is not None and host.playback.state.playing))
    try:
        await host.start()
    except (LoudSyncError, OSError) as exc:
        print(f"loudsync host: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    config, server = host.config, host.server
    on_signals(stop.set)
    urls = server.urls()
    say("hosting",
        f"{'Resumed' if args.resume else 'Hosting'} '{config.session_name}': code "
        f"{format_code(config.session_id)}, port {server.port}"
        + (f", PIN {config.pin}" if config.pin else "")
        + (", you approve each guest" if config.access == "approval" else "") + "\n"
        + "\n".join(f"  guests can join at {u}" for u in urls)
        + "\n  commands: remove DEVICE_ID"
        + (", approve N, decline N" if config.access == "approval" else "") + ", end",
        sessionId=config.session_id, code=format_code(config.session_id),
        port=server.port, urls=urls, sessionName=config.session_name,
        hostId=config.host_id, maxMembers=config.max_members, access=config.access,
        resumed=bool(args.resume), members=[x.to_wire() for x in server.members])
    assert host.playback is not None
    await start_music(host.playback, args, say)   # after "hosting": it comes first
    _read_commands(host, stop, say, host.playback, failure)
    await stop.wait()
    await host.stop()
    say("session_closed", "Session closed")
    return EXIT_OK if failure.error is None else EXIT_INTERNAL
