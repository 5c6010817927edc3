"""What a person needs to report a problem: a log file, ``--debug``, and a diagnostics text.

The log file lives in the app's data folder (``LOUDSYNC_DATA_DIR`` overrides it) and rotates:
at most LOG_MAX_BYTES per file, LOG_BACKUPS old files kept. The app and the CLI both write it.
Without ``--debug`` it gets INFO messages and stderr only warnings, as before; with ``--debug``
both get every DEBUG message too (LoudSync's, websockets' frames, zeroconf's records).
No Qt import at module level: the CLI uses it.
"""

from __future__ import annotations

import logging
import platform
import sys
from collections import deque
from logging.handlers import RotatingFileHandler
from pathlib import Path

from . import APP_NAME, __version__
from .persistence import data_dir

LOG_FILE = "loudsync.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
LAST_LOG_LINES = 60
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SECRET_OPTIONS = {"pin"}

log = logging.getLogger(__name__)


def log_path() -> Path:
    return data_dir() / LOG_FILE


# Our own classes, so a second setup_logging (tests, the CLI opening the app) replaces them.
class _ConsoleHandler(logging.StreamHandler):
    pass


class _LogFileHandler(RotatingFileHandler):
    failed = False

    def handleError(self, record: logging.LogRecord) -> None:
        """A full disk, or another LoudSync rotating the same file: say so once, no traceback."""
        if not self.failed:
            self.failed = True
            sys.stderr.write(f"LoudSync: cannot write the log file {self.baseFilename}: "
                             f"{sys.exc_info()[1]}\n")


def setup_logging(debug: bool = False, stderr_format: str = "%(message)s",
                  max_bytes: int = LOG_MAX_BYTES) -> Path | None:
    """Log to stderr and to the rotating log file; returns the file, or None if unwritable."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, (_ConsoleHandler, _LogFileHandler))]:
        root.removeHandler(handler)
        handler.close()

    console = _ConsoleHandler(sys.stderr)
    console.setLevel(logging.DEBUG if debug else logging.WARNING)
    console.setFormatter(logging.Formatter(FILE_FORMAT if debug else stderr_format))
    root.addHandler(console)

    path: Path | None = log_path()
    problem = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file = _LogFileHandler(path, maxBytes=max_bytes, backupCount=LOG_BACKUPS,
                               encoding="utf-8")
    except OSError as exc:
        path, problem = None, str(exc)
    else:
        file.setLevel(logging.DEBUG)
        file.setFormatter(logging.Formatter(FILE_FORMAT))
        root.addHandler(file)

    # Other libraries too: websockets and zeroconf say what went over the wire (DEBUG: each frame).
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    if problem:
        log.warning("no log file (%s)", problem)
    else:
        log.info("LoudSync %s, %s, Python %s%s", __version__, platform.platform(),
                 platform.python_version(), ", debug" if debug else "")
    return path


def log_command_line(args) -> None:
    """What the CLI was asked to do, for the log (the PIN stays out of it)."""
    options = {k: v for k, v in sorted(vars(args).items()) if k not in SECRET_OPTIONS}
    log.debug("command line: %s", options)


def log_uncaught(kind, exc, tb) -> None:
    """sys.excepthook: an exception nobody caught (a Qt slot, say) goes to the log file too."""
    log.critical("uncaught exception", exc_info=(kind, exc, tb))


def last_log_lines(count: int = LAST_LOG_LINES) -> list[str]:
    path = log_path()
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\n") for line in deque(f, maxlen=count)]
    except OSError:
        return []


def platform_text() -> str:
    text = platform.platform()
    if sys.platform.startswith("linux"):
        try:
            text += f" ({platform.freedesktop_os_release()['PRETTY_NAME']})"
        except (OSError, KeyError):
            pass
    return text


def python_text() -> str:
    frozen = ", bundled" if getattr(sys, "frozen", False) else ""
    return f"{platform.python_implementation()} {platform.python_version()}{frozen}"


_system_audio: str | None = None


def audio_text(player_note: str = "") -> str:
    """The sound system miniaudio plays through, and the player's note if this laptop is silent
    (no sound device: miniaudio's NULL backend keeps time without sound)."""
    global _system_audio
    if _system_audio is None:
        try:
            import miniaudio

            from .audio.devices import quiet_alsa
            quiet_alsa()
            devices = miniaudio.Devices()
            _system_audio = f"{devices.backend} (miniaudio {miniaudio.__version__})"
        except Exception as exc:   # no audio library or no sound system: say so, do not fail
            _system_audio = f"unavailable ({exc})"
    return f"{_system_audio}; {player_note}" if player_note else _system_audio


def party_lines(model) -> list[str]:
    """The party as far as this laptop is in one: role, name, code and the addresses to join."""
    if model is None:
        return ["Party: not in one"]
    from .model.session_model import ROLE_HOST, ROLE_NONE   # imports Qt: only with a model
    if model.role == ROLE_NONE:
        return ["Party: not in one"]
    if model.role == ROLE_HOST:
        party = (f"hosting '{model.sessionName}', code {model.code or '-'}, "
                 f"{model.memberCount} of {model.max_members} connected")
    else:
        party = (f"guest in '{model.sessionName}' hosted by {model.host_name}, "
                 f"code {model.code or '-'}, {model.status}")
    lines = [f"Party: {party}"]
    if model.addresses:
        lines.append(f"Party addresses: {', '.join(model.addresses)}")
    return lines


def this_laptop_addresses() -> str:
    from .net.addresses import local_ipv4_addresses
    try:
        return ", ".join(local_ipv4_addresses())
    except OSError as exc:
        return f"unknown ({exc})"


def summary(model=None, player_note: str = "") -> dict[str, str]:
    """The facts the About dialog shows, by label."""
    from .qt_runtime import describe
    party = party_lines(model)
    return {
        "Version": f"{APP_NAME} {__version__}",
        "Platform": platform_text(),
        "Python": python_text(),
        "Qt": describe(),
        "Audio": audio_text(player_note),
        "Addresses": (", ".join(model.addresses) if model is not None and model.addresses
                      else this_laptop_addresses()),
        "Log file": str(log_path()),
        "Party": party[0].removeprefix("Party: "),
    }


def diagnostics_text(model=None, player_note: str = "", log_lines: int = LAST_LOG_LINES) -> str:
    """Everything a bug report needs, as plain text for the clipboard."""
    facts = summary(model, player_note)
    lines = [f"{facts['Version']} diagnostics",
             *(f"{label}: {facts[label]}" for label in ("Platform", "Python", "Qt", "Audio")),
             f"This laptop's addresses: {this_laptop_addresses()}",
             *party_lines(model),
             f"Log file: {facts['Log file']}",
             f"Last {log_lines} log lines:"]
    lines += [f"  {line}" for line in last_log_lines(log_lines)] or ["  (none)"]
    return "\n".join(lines) + "\n"
