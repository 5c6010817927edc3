"""``loudsync host``: a party from a terminal, with commands on standard input."""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import uuid
from typing import Callable

from ..audio.devices import MiniaudioOutputDevice
from ..audio.engine import PlaybackEngine
from ..audio.library import TrackLibrary, UnsupportedAudio
from ..net.discovery import Advertiser
from ..net.playback_host import HostPlayback
from ..net.server import HostServer
from ..persistence import SessionStore
from ..protocol import events as ev
from ..protocol import messages as m
from ..protocol.codes import format_code, generate_session_id
from ..protocol.errors import LoudSyncError, RemoteProtocolError
from ..protocol.host import HostConfig
from ..protocol.playback import PlayState
from ..guard import FailureSink, TaskOwner, call_listener
from .common import (EXIT_INTERNAL, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Failure, Printer,
                     member_text, on_signals)

def host_event_printer(say: Printer, server: HostServer) -> Callable[[object], None]:
    def on_event(event: object) -> None:
        count = server.core.member_count
        if isinstance(event, ev.MemberJoined):
            say("member_joined", f"Client joined: {member_text(event.member)} - {count} Connected",
                member=event.member.to_wire())
        elif isinstance(event, ev.MemberLeft):
            say("member_left", f"Client left: {event.member.id} ({event.reason}) - {count} Connected",
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


def _read_commands(server: HostServer, stop: asyncio.Event, say: Printer,
                   playback: HostPlayback | None, tasks: TaskOwner) -> None:
    """Host commands on standard input, one per line: approve N, decline N, remove ID,
    end, and with music: play, pause, next, previous, seek SECONDS, volume PERCENT, add PATH."""
    loop = asyncio.get_running_loop()

    async def add(path: str) -> None:
        try:
            await playback.add_file(path)
        except UnsupportedAudio as exc:
            say("command_error", f"Not added: {exc}", message=str(exc))

    def handle(line: str) -> None:
        words = line.split()
        if not words:
            return
        verb, arg = words[0].lower(), " ".join(words[1:])
        if playback is not None and verb in MUSIC_VERBS:
            if verb == "add" and arg:
                tasks.spawn(add(arg), name="add-track")
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
            getattr(server, verb)(int(arg))
        elif verb == "remove" and arg:
            if all(x.id != arg for x in server.members[1:]):
                say("command_error", f"No guest with id {arg}", message=f"No guest with id {arg}")
            server.remove(arg)
        else:
            say("command_error", f"Unknown command: {line.strip()}",
                message=f"Unknown command: {line.strip()}")

    def guarded_handle(line: str) -> None:
        call_listener(handle, line, on_failure=tasks.on_failure)

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


async def start_music(server: HostServer, args: argparse.Namespace, say: Printer,
                      on_failure: FailureSink):
    """The host's player: its own speakers (unless --no-audio) and the files given."""
    engine = PlaybackEngine(TrackLibrary())
    playback = HostPlayback(server, engine.library, engine)
    playback.on_failure = on_failure
    speakers: list[MiniaudioOutputDevice] = []

    def open_speakers(state: PlayState) -> None:
        """The sound card opens with the first music, not for a party without any."""
        if state.queue and not speakers and not args.no_audio:
            speakers.append(MiniaudioOutputDevice(server.clock))
            speakers[0].start(engine.render)
            if speakers[0].silent:
                print("loudsync host: no sound device found: this computer stays silent",
                      file=sys.stderr)
    playback.add_listener(open_speakers)
    playback.add_listener(player_printer(say))
    for path in args.music or []:
        try:
            await playback.add_file(path)
        except UnsupportedAudio as exc:
            print(f"loudsync host: not added: {exc}", file=sys.stderr)
    if args.play:
        playback.play()
    return playback, speakers


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
    stop = asyncio.Event()
    failure = Failure(say, stop.set)
    printer = host_event_printer(say, server)
    server.add_listener(lambda event: call_listener(printer, event, on_failure=failure))
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
    on_signals(stop.set)
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
    playback, speakers = await start_music(server, args, say, failure)   # after "hosting"
    tasks = TaskOwner(on_failure=failure)
    _read_commands(server, stop, say, playback, tasks)
    await stop.wait()
    await tasks.cancel_all()
    # The goodbyes go out while the guests are told: closing waits up to ~2 s for a guest
    # that vanished, and scanners must not list an ended party that long.
    for device in speakers:
        device.stop()
    await playback.stop()
    closing = asyncio.ensure_future(server.stop())
    if advertiser is not None:
        await advertiser.stop()
    await closing
    say("session_closed", "Session closed")
    return EXIT_OK if failure.error is None else EXIT_INTERNAL


# -- join ----------------------------------------------------------------------------
