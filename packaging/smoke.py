#!/usr/bin/env python3
"""A quick smoke test of a built LoudSync program, on any platform (stdlib only).

    python packaging/smoke.py dist/loudsync/loudsync                      Linux
    python packaging/smoke.py dist/LoudSync.app/Contents/MacOS/loudsync   macOS
    python packaging/smoke.py dist/loudsync/loudsync-cli.exe              Windows (the console twin)

1. ``--version`` prints this version;
2. a host (``--no-discovery``, 127.0.0.1 only, any free port) and a guest of the same program:
   the guest sees 2 members, the host's ``end`` command closes the party for both, exit 0;
3. the window: started with QT_QPA_PLATFORM=offscreen it is still running after a few seconds
   with nothing alarming on stderr.

The release workflow runs it on the three platforms; on Linux tests/packaging does all this and
more. Exits 1 at the first failure, with what went wrong.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import buildinfo  # noqa: E402

ERROR_WORDS = ("Traceback", "ModuleNotFoundError", "ImportError", "No module named",
               "Could not load the Qt platform plugin", "Could not find the Qt")


class Failed(Exception):
    pass


class Lines:
    """A process's stdout lines, read in a thread, awaited with a timeout."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.queue.put(line)
        self.queue.put(None)

    def event(self, name: str, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            try:
                line = self.queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise Failed(f"no {name} within {timeout} s; saw {seen}") from None
            if line is None:
                raise Failed(f"exited ({self.proc.wait()}) before {name}; saw {seen}; "
                             f"stderr: {self.proc.stderr.read()[-2000:]}")
            if line.startswith("{"):
                event = json.loads(line)
                seen.append(event)
                if event.get("event") == name:
                    return event


def start(exe: str, *args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([exe, *args], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


def check_stderr(text: str, who: str) -> None:
    bad = [w for w in ERROR_WORDS if w in text]
    if bad:
        raise Failed(f"{who} wrote {bad} on stderr:\n{text[-3000:]}")


def smoke(exe: str, gui_seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LOUDSYNC_DATA_DIR": str(Path(tmp) / "data"),
               "XDG_CONFIG_HOME": str(Path(tmp) / "config"), "QT_QPA_PLATFORM": "offscreen"}

        out = subprocess.run([exe, "--version"], capture_output=True, text=True, env=env,
                             timeout=60)
        if out.stdout.strip() != f"LoudSync {buildinfo.version()}":
            raise Failed(f"--version said {out.stdout!r} (exit {out.returncode}): {out.stderr}")
        print(f"smoke: {out.stdout.strip()}")

        host = start(exe, "host", "--json", "--port", "0", "--no-discovery", "--bind",
                     "127.0.0.1", env=env)
        guest = None
        try:
            host_lines = Lines(host)
            port = host_lines.event("hosting")["port"]
            guest = start(exe, "join", f"127.0.0.1:{port}", "--json", "--no-discovery",
                          "--name", "Smoke", env=env)
            guest_lines = Lines(guest)
            members = guest_lines.event("member_list")["members"]
            if len(members) != 2:
                raise Failed(f"the guest sees {members}")
            host_lines.event("member_joined")
            host.stdin.write("end\n")          # the host's own command: works on Windows too
            host.stdin.flush()
            host_lines.event("session_closed")
            guest_lines.event("session_closed")
            for proc, who in ((host, "host"), (guest, "guest")):
                code = proc.wait(30)
                check_stderr(proc.stderr.read(), who)
                if code != 0:
                    raise Failed(f"the {who} exited with {code}")
            print(f"smoke: host on port {port} and a guest: 2 members, ended cleanly")
        finally:
            for proc in (host, guest):
                if proc is not None and proc.poll() is None:
                    proc.kill()

        gui = start(exe, env=env)
        try:
            time.sleep(gui_seconds)
            if gui.poll() is not None:
                raise Failed(f"the window exited ({gui.returncode}) within {gui_seconds} s: "
                             f"{gui.stderr.read()[-3000:]}")
        finally:
            if gui.poll() is None:
                gui.terminate()
            try:
                gui.wait(20)
            except subprocess.TimeoutExpired:
                gui.kill()
                gui.wait()
        check_stderr(gui.stderr.read(), "the window")
        print(f"smoke: the window ran offscreen for {gui_seconds:g} s")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    try:
        smoke(argv[0], float(argv[1]) if len(argv) > 1 else 4.0)
    except (Failed, subprocess.TimeoutExpired, OSError) as exc:
        print(f"smoke: FAILED: {exc}", file=sys.stderr)
        return 1
    print("smoke: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
