#!/usr/bin/env python3
"""Resident memory with three hours of music queued: the CLI host, a CLI guest, the GUI host.

The CLI (issue 12's goal: < 100 MB each): on loopback, ``host --music TRACK... --play
--no-discovery --json --bind 127.0.0.1 --port 0`` with 45 four-minute MP3s queued (one
generated 128 kbit/s MP3, bench/benchaudio.py, copied 45 times with a title tag each, so they
are 45 distinct tracks: 3 h, 173 MB of files), and one ``join`` playing along. Both play into
a TestOutputDevice (the ``LOUDSYNC_TEST_OUTPUT`` test hook), so the window starts once the
guest's speaker really sounds. Then RSS (psutil) of each process is sampled every 0.5 s for
``--window`` seconds: the first, the largest and the last sample are printed.

The GUI (goal < 200 MB), with ``--gui``: the real app (``loudsync_desktop.app.main``) under
``QT_QPA_PLATFORM=offscreen`` inside scripts/in-private-net.sh (it advertises), driven from
inside by bench/memory_gui.py in the way tests/gui/app_driver.py drives it: host a party, add
the same 45 tracks through the player model, press Play, report its own RSS.

    .venv/bin/python bench/memory.py [--tracks 45] [--window 20] [--gui] [--json]
    .venv/bin/python bench/memory.py --repo /path/to/other/checkout      # its CLI instead
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402

from bench.benchaudio import CACHE, song_mp3, tagged_copies  # noqa: E402
from tests.lan.netlab import NsProcess  # noqa: E402  (its line reader; no namespace here)

GOAL_CLI_MB = 100
GOAL_GUI_MB = 200
TEST_OUTPUT_ENV = "LOUDSYNC_TEST_OUTPUT"
MB = 2 ** 20


def local(args: list[str], env: dict[str, str], stdin: bool = False) -> NsProcess:
    """A program on this machine's loopback, its lines read as on the test LAN."""
    return NsProcess(None, args, env=env, stdin=stdin)


def first_sound(report: Path, deadline: float) -> int | None:
    while time.monotonic() < deadline:
        if report.exists():
            for line in report.read_text().splitlines():
                if "firstSoundNs" in line:
                    return json.loads(line)["firstSoundNs"]
        time.sleep(0.05)
    return None


def sample(pids: dict[str, int], seconds: float) -> dict[str, dict[str, float]]:
    """RSS of each process every 0.5 s: first, max and last sample, in MiB."""
    got: dict[str, list[int]] = {name: [] for name in pids}
    end = time.monotonic() + seconds
    while True:
        for name, pid in pids.items():
            got[name].append(psutil.Process(pid).memory_info().rss)
        if time.monotonic() >= end:
            break
        time.sleep(0.5)
    return {name: {"first_mb": v[0] / MB, "max_mb": max(v) / MB, "last_mb": v[-1] / MB}
            for name, v in got.items()}


def cli_run(args: argparse.Namespace, tracks: list[Path], folder: Path) -> dict:
    cli = [sys.executable, "-P", "-m", "loudsync_desktop"]
    base = {"PYTHONPATH": str(args.repo)}
    reports = {name: folder / f"{name}.jsonl" for name in ("host", "guest")}
    host = local([*cli, "host", "--music", *map(str, tracks), "--play", "--no-discovery",
                  "--json", "--bind", "127.0.0.1", "--port", "0"],
                 {**base, TEST_OUTPUT_ENV: str(reports["host"]),
                  "LOUDSYNC_DATA_DIR": str(folder / "host")}, stdin=True)
    guest = None
    try:
        port = host.wait_json(lambda x: x.get("event") == "hosting", 60, "hosting")["port"]
        queued = host.wait_json(lambda x: x.get("event") == "player"
                                and len(x.get("queue", [])) == len(tracks), 300, "the queue")
        assert queued["queue"], "nothing queued"
        host_idle = psutil.Process(host.pid).memory_info().rss / MB
        guest = local([*cli, "join", f"127.0.0.1:{port}", "--json", "--no-discovery",
                       "--name", "Mem"], {**base, TEST_OUTPUT_ENV: str(reports["guest"]),
                                          "LOUDSYNC_DATA_DIR": str(folder / "guest")})
        guest.wait_json(lambda x: x.get("event") == "welcome", 60, "welcome")
        joined = time.monotonic()
        sound = first_sound(reports["guest"], time.monotonic() + args.sound_timeout)
        heard_after = time.monotonic() - joined
        rss = sample({"host": host.pid, "guest": guest.pid}, args.window)
        return {"tracks": len(tracks), "hours": len(tracks) * 4 / 60,
                "files_mb": sum(p.stat().st_size for p in tracks) / 1e6,
                "host_rss_queued_before_guest_mb": host_idle,
                "guest_sounded": sound is not None, "guest_join_to_sound_s": heard_after,
                "rss": rss, "goal_mb": GOAL_CLI_MB, "repo": str(args.repo)}
    finally:
        for process in (guest, host):
            if process is not None:
                process.kill()


def gui_run(args: argparse.Namespace, tracks: list[Path], folder: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(args.repo), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONUNBUFFERED": "1", TEST_OUTPUT_ENV: str(folder / "gui.jsonl"),
           "LOUDSYNC_DATA_DIR": str(folder / "gui"), "HOME": str(folder / "home")}
    command = [str(REPO / "scripts" / "in-private-net.sh"), sys.executable, "-P",
               str(REPO / "bench" / "memory_gui.py"), str(args.window), *map(str, tracks)]
    done = subprocess.run(command, cwd=args.repo, env=env, capture_output=True, text=True,
                          timeout=args.window + 300)
    rss = [json.loads(line.removeprefix("driver: rss "))
           for line in done.stdout.splitlines() if line.startswith("driver: rss ")]
    result = {"exit": done.returncode, "samples": len(rss), "goal_mb": GOAL_GUI_MB}
    if rss:
        values = [x["rss"] / MB for x in rss if x.get("playing")]
        result.update(queued=rss[-1]["queued"], first_mb=values[0] if values else None,
                      max_mb=max(values) if values else None,
                      last_mb=values[-1] if values else None,
                      before_music_mb=rss[0]["rss"] / MB)
    if done.returncode != 0 or not rss:
        result["stderr"] = done.stderr[-2000:]
        result["stdout"] = done.stdout[-1000:]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tracks", type=int, default=45, help="4-minute tracks (45: 3 h)")
    parser.add_argument("--window", type=float, default=20.0, help="seconds of play sampled")
    parser.add_argument("--sound-timeout", type=float, default=120.0)
    parser.add_argument("--gui", action="store_true", help="the GUI host too")
    parser.add_argument("--no-cli", action="store_true", help="only the GUI")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout that runs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.repo = args.repo.resolve()
    tracks = tagged_copies(song_mp3(), args.tracks, CACHE / "mp3-240s-copies")
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="loudsync-memory-") as tmp:
        if not args.no_cli:
            results["cli"] = cli_run(args, tracks, Path(tmp) / "cli")
        if args.gui or args.no_cli:
            results["gui"] = gui_run(args, tracks, Path(tmp) / "gui")
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    if "cli" in results:
        r = results["cli"]
        print(f"CLI, {r['tracks']} tracks queued ({r['hours']:.1f} h, {r['files_mb']:.0f} MB of "
              f"MP3), {args.window:g} s of play (code of {r['repo']}); goal < {GOAL_CLI_MB} MB")
        print(f"  host with the queue, before any guest: {r['host_rss_queued_before_guest_mb']:.0f}"
              " MB")
        if not r["guest_sounded"]:
            print(f"  the guest made no sound within {args.sound_timeout:g} s")
        else:
            print(f"  the guest sounded {r['guest_join_to_sound_s']:.1f} s after its WELCOME")
        for name, v in r["rss"].items():
            print(f"  {name}: RSS first {v['first_mb']:.0f} MB, max {v['max_mb']:.0f} MB, last "
                  f"{v['last_mb']:.0f} MB [{'ok' if v['max_mb'] < GOAL_CLI_MB else 'MISSED'}]")
    if "gui" in results:
        g = results["gui"]
        if g.get("max_mb") is None:
            print(f"GUI: no figures (exit {g['exit']}): {g.get('stderr', '')[-800:]}")
        else:
            ok = "ok" if g["max_mb"] < GOAL_GUI_MB else "MISSED"
            print(f"GUI host, {g['queued']} tracks queued, playing: RSS first {g['first_mb']:.0f} "
                  f"MB, max {g['max_mb']:.0f} MB, last {g['last_mb']:.0f} MB (before music "
                  f"{g['before_music_mb']:.0f} MB) [{ok}]; goal < {GOAL_GUI_MB} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
