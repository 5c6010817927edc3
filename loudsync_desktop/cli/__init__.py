"""The headless face of LoudSync: host, join and scan from a terminal.

Prints one line per event: friendly text by default, one JSON object per line
with ``--json`` (the form end-to-end tests and scripts read).
"""

from __future__ import annotations

import argparse
import asyncio

from .. import __version__
from ..diagnostics import log_command_line, setup_logging
from ..net.addresses import DEFAULT_PORT
from ..protocol.host import DEFAULT_GRACE_MS, DEFAULT_HEARTBEAT_TIMEOUT_MS, DEFAULT_MAX_MEMBERS
from ..protocol.stream import CODECS, DEFAULT_CODEC, DEFAULT_LEAD_US, MAX_LEAD_MS
from .common import (EXIT_OK, MIN_BUFFER_MS, buffer_ms, grace_seconds, max_members_count,
                     pin_code, port_number, positive_seconds)
from .host import run_host
from .join import run_join
from .scan import run_scan


DEBUG_HELP = "log everything, to stderr and to the log file in the app's data folder"


def add_debug(command: argparse.ArgumentParser) -> None:
    """``--debug`` after the command too; SUPPRESS keeps a ``--debug`` given before it."""
    command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help=DEBUG_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loudsync", description="LoudSync: one laptop hosts a party, the others join.")
    parser.add_argument("--version", action="version", version=f"LoudSync {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", metavar="{host,join,scan}")

    host = sub.add_parser("host", help="host a party from this terminal")
    host.add_argument("--name", default="My Party", help="party name (default: My Party)")
    host.add_argument("--host-name", default="Party Host", help="your name (default: Party Host)")
    host.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                      help=f"WebSocket port (default {DEFAULT_PORT}, another free one if "
                           "taken; 0: any)")
    host.add_argument("--bind", default="0.0.0.0", metavar="ADDRESS",
                      help="listen on this IPv4 address only (default: all)")
    host.add_argument("--max-members", type=max_members_count, default=DEFAULT_MAX_MEMBERS,
                      help=f"party size counting the host (default {DEFAULT_MAX_MEMBERS})")
    host.add_argument("--heartbeat-timeout", type=positive_seconds,
                      default=DEFAULT_HEARTBEAT_TIMEOUT_MS / 1000, metavar="SECONDS",
                      help="drop a silent guest after this long (default 15)")
    host.add_argument("--grace", type=grace_seconds, default=DEFAULT_GRACE_MS / 1000,
                      metavar="SECONDS", help="keep a dropped guest's place this long (default 30)")
    host.add_argument("--no-discovery", action="store_true", help="do not advertise on the network")
    access = host.add_mutually_exclusive_group()
    access.add_argument("--pin", type=pin_code, help="guests must give this 4-digit PIN")
    access.add_argument("--approve", action="store_true",
                        help="you approve each guest (type 'approve N' or 'decline N')")
    host.add_argument("--music", nargs="+", metavar="FILE",
                      help="queue these files (mp3, m4a/AAC, ALAC, flac, ogg, opus, wav, aiff); "
                           "commands on stdin: play, "
                           "pause, next, previous, seek SECONDS, volume PERCENT, add PATH")
    host.add_argument("--play", action="store_true", help="start playing the queue at once")
    host.add_argument("--codec", choices=CODECS, default=DEFAULT_CODEC,
                      help="how the music travels to guests: opus (compact, for Wi-Fi; the "
                           "default), flac (lossless), pcm (uncompressed, for a wired network)")
    host.add_argument("--buffer-ms", type=buffer_ms, default=DEFAULT_LEAD_US // 1000,
                      metavar="MS", help="how far ahead the music is sent, so a Wi-Fi hiccup "
                      f"shorter than this is not heard ({MIN_BUFFER_MS}-{MAX_LEAD_MS}, "
                      "default 1000)")
    host.add_argument("--no-audio", action="store_true",
                      help="this computer stays silent (guests still play)")
    host.add_argument("--resume", action="store_true",
                      help="resume the party this computer hosted when it crashed or was killed")
    host.add_argument("--json", action="store_true", help="one JSON object per line")
    add_debug(host)

    join = sub.add_parser("join", help="join a party")
    join.add_argument("target", metavar="TARGET",
                      help="the party code (ABC-234) or the host's address (host:port, ws://...)")
    join.add_argument("--name", default="Guest", help="your name (default: Guest)")
    join.add_argument("--device-id", help="this device's id (default: a new random one)")
    join.add_argument("--pin", type=pin_code, help="the party's PIN, if it has one")
    join.add_argument("--no-audio", action="store_true",
                      help="do not play the party's music on this computer")
    join.add_argument("--no-discovery", action="store_true",
                      help="do not look the host up again on the network when reconnecting")
    join.add_argument("--json", action="store_true", help="one JSON object per line")
    add_debug(join)

    scan = sub.add_parser("scan", help="list the parties nearby")
    scan.add_argument("--timeout", type=positive_seconds, default=5.0, metavar="S",
                      help="how long to look (default 5)")
    scan.add_argument("--json", action="store_true", help="one JSON object per party")
    add_debug(scan)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from ..app import main as app_main
        return app_main(argv)
    setup_logging(args.debug)
    log_command_line(args)
    runner = {"host": run_host, "join": run_join, "scan": run_scan}[args.command]
    try:
        return asyncio.run(runner(args))
    except KeyboardInterrupt:
        return EXIT_OK
