"""What the command line's faces share: exit codes, output, signals, argument types."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from typing import Any
from collections.abc import Callable

from ..protocol import messages as m
from ..protocol.codes import is_pin
from ..protocol.host import MAX_MEMBERS, MIN_MEMBERS
from ..protocol.stream import MAX_LEAD_MS, MIN_LEAD_MS as MIN_BUFFER_MS

EXIT_OK = 0
EXIT_REFUSED = 1       # the host said no, or nobody answered
EXIT_USAGE = 2         # argparse's own code for bad arguments
EXIT_LOST = 3          # the connection to the host was lost
EXIT_INTERNAL = 4      # LoudSync itself failed (a bug): an `error` event, the traceback on stderr

class Printer:
    """Writes events as JSON lines or as friendly text, flushed at once."""

    def __init__(self, as_json: bool, out=None) -> None:
        self.as_json = as_json
        self.out = out   # None: sys.stdout as it is when printing

    def __call__(self, event: str, text: str, **fields: Any) -> None:
        line = json.dumps({"event": event, **fields}, ensure_ascii=False) if self.as_json else text
        print(line, file=self.out or sys.stdout, flush=True)


class Failure:
    """Our own bug, seen once: an ``error`` event (code INTERNAL), then ``stop`` to exit."""

    def __init__(self, say: Printer, stop: Callable[[], None]) -> None:
        self.say = say
        self.stop = stop
        self.error: BaseException | None = None

    def __call__(self, exc: BaseException) -> None:
        if self.error is not None:
            return
        self.error = exc
        text = f"{type(exc).__name__}: {exc}"
        self.say("error", f"LoudSync hit a bug: {text}", code="INTERNAL", message=text)
        self.stop()


def member_text(member: m.Member) -> str:
    return f"{member.name} ({member.id})"


# -- host ----------------------------------------------------------------------------
def on_signals(callback: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, callback)
        except (NotImplementedError, RuntimeError):  # Windows: no loop signal handlers
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(callback))


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0.01 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be between 0.01 and 3600 seconds")
    return value


def grace_seconds(text: str) -> float:
    if text.strip() in ("0", "0.0"):
        return 0.0
    return positive_seconds(text)


def buffer_ms(text: str) -> int:
    if not text.strip().isdigit() or not MIN_BUFFER_MS <= int(text) <= MAX_LEAD_MS:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a buffer length: {MIN_BUFFER_MS} to {MAX_LEAD_MS} milliseconds")
    return int(text)


def port_number(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port (0-65535; 0 means any free port)")
    return int(text)


def pin_code(text: str) -> str:
    if not is_pin(text):
        raise argparse.ArgumentTypeError("a PIN is 4 digits, like 1234")
    return text


def max_members_count(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not MIN_MEMBERS <= int(text) <= MAX_MEMBERS:
        raise argparse.ArgumentTypeError(f"must be a whole number from {MIN_MEMBERS} to "
                                         f"{MAX_MEMBERS} (the host counts as one)")
    return int(text)
