"""Time from launch to the first window: the packaged app, the app from source, and a baseline.

Run:  .venv/bin/python bench/startup.py                 (a table; build the bundle first with
                                                        .venv/bin/python packaging/build.py)
      .venv/bin/python bench/startup.py --runs 15 --json

Each run starts a program on a private Xvfb (its own display, picked by Xvfb) with a fresh data
and settings folder, and stops the clock when the X server maps the program's top-level window
called "LoudSync" (or "Baseline"). The watcher listens to the root window's MapNotify events
(tests/packaging/xwatch.py), so the figure is not rounded up by polling. Then the program gets
SIGTERM and the next run starts. Programs are measured in turns (bundle, source, baseline,
bundle, ...) after one unmeasured warm-up round, so page-cache warmth and machine load affect
all three alike; the figures are medians with min and max.

  bundle    dist/loudsync/loudsync (the PyInstaller one-folder build; --bundle PATH for another)
  source    .venv/bin/python -m loudsync_desktop (what scripts/run-app.sh starts)
  baseline  .venv/bin/python -c "...": a bare QApplication showing an empty QWidget, i.e. the
            floor of any PySide6 program here (Python + Qt start-up + one window)

The app is run in a private network namespace (scripts/in-private-net.sh, re-executed
automatically) like every test that starts it: its home page does not scan, but nothing it does
can leave the machine there.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.packaging import xwatch  # noqa: E402

BASELINE = ("import sys\n"
            "from PySide6.QtWidgets import QApplication, QWidget\n"
            "app = QApplication(sys.argv)\n"
            "w = QWidget(); w.setWindowTitle('Baseline'); w.resize(560, 720); w.show()\n"
            "app.exec()\n")


def measure(cmd: list[str], title: str, display: str, watcher: xwatch.WindowWatcher) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
        env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
                    "LOUDSYNC_DATA_DIR": f"{tmp}/data", "XDG_CONFIG_HOME": f"{tmp}/config"})
        env.pop("WAYLAND_DISPLAY", None)
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            window = watcher.wait_for(title, 60, alive=lambda: proc.poll() is None)
            if window is None:
                proc.kill()
                raise SystemExit(f"{cmd[0]}: no window (exit {proc.wait()}): "
                                 f"{proc.stderr.read().decode()[-2000:]}")
            seconds = window.at - started
            proc.send_signal(signal.SIGTERM)
            proc.wait(20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        return seconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="measured runs of each (default 9)")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "loudsync" / "loudsync")
    parser.add_argument("--json", action="store_true", help="one JSON object with every figure")
    args = parser.parse_args(argv)
    if os.environ.get("LOUDSYNC_IN_PRIVATE_NET") != "1":
        os.execv("/usr/bin/env", ["env", "bash", str(ROOT / "scripts" / "in-private-net.sh"),
                                  sys.executable, *sys.argv])
    why = xwatch.available()
    if why:
        raise SystemExit(f"startup: {why}")
    if not args.bundle.exists():
        raise SystemExit(f"startup: no bundle at {args.bundle}: run .venv/bin/python "
                         "packaging/build.py first")
    python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
    programs = {
        "bundle": ([str(args.bundle)], "LoudSync"),
        "source": ([python, "-m", "loudsync_desktop"], "LoudSync"),
        "baseline": ([python, "-c", BASELINE], "Baseline"),
    }
    times: dict[str, list[float]] = {name: [] for name in programs}
    with xwatch.Xvfb() as x, xwatch.WindowWatcher(x.display) as watcher:
        for round_ in range(args.runs + 1):
            for name, (cmd, title) in programs.items():
                seconds = measure(cmd, title, x.display, watcher)
                if round_:   # round 0 warms the page cache up
                    times[name].append(seconds)
    result = {name: {"median_ms": round(statistics.median(t) * 1000, 1),
                     "min_ms": round(min(t) * 1000, 1), "max_ms": round(max(t) * 1000, 1),
                     "runs": len(t)} for name, t in times.items()}
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"Launch to first window (Xvfb, xcb), {args.runs} runs each, after a warm-up round:")
    print(f"{'':10} {'median':>9} {'min':>9} {'max':>9}  {'vs baseline':>11}")
    base = result["baseline"]["median_ms"]
    for name, r in result.items():
        print(f"{name:10} {r['median_ms']:>6.0f} ms {r['min_ms']:>6.0f} ms {r['max_ms']:>6.0f} ms"
              f"  {r['median_ms'] - base:>+8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
