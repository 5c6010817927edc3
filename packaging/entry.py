"""Entry point of the frozen LoudSync (PyInstaller runs this as __main__).

``loudsync`` with no subcommand opens the window; ``loudsync host|join|scan ...`` is the command
line, exactly as ``python -m loudsync_desktop``.

Windows has two executables built from this same script (see loudsync.spec): ``loudsync.exe``
(no console: double-clicked, it must not open a black console window) and ``loudsync-cli.exe``
(a console program, for the command line). A program built without a console has no standard
streams (``sys.stdout is None``), so in it a subcommand would run invisibly, with no way to read
its output or stop it with Ctrl-C: it says where the command line is instead.
"""

import os
import sys

CLI_COMMANDS = {"host", "join", "scan"}


def _without_console() -> bool:
    return sys.stdout is None or sys.stderr is None


def _tell_user(text: str) -> None:
    if sys.platform == "win32":
        import ctypes
        ctypes.windll.user32.MessageBoxW(None, text, "LoudSync", 0x40)  # MB_ICONINFORMATION


def main() -> int:
    # Old macOS versions pass a process serial number when Finder starts an app.
    sys.argv[1:] = [a for a in sys.argv[1:] if not a.startswith("-psn_")]
    if _without_console():
        devnull = open(os.devnull, "w", encoding="utf-8")
        sys.stdout = sys.stdout or devnull
        sys.stderr = sys.stderr or devnull
        if CLI_COMMANDS.intersection(sys.argv[1:2]):
            _tell_user("loudsync.exe is the LoudSync window. For the command line, run "
                       "loudsync-cli.exe from the same folder, e.g.\n\n"
                       f"    loudsync-cli.exe {' '.join(sys.argv[1:])}")
            return 2
    from loudsync_desktop.cli import main as cli_main
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
