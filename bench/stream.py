#!/usr/bin/env python3
"""Streaming playback on a slow party Wi-Fi, measured at the speakers (issue 12).

On the test LAN (tests/lan/netlab.py; root), the host's uplink shaped to 20 Mbit/s with
``tc tbf`` (a crowded party Wi-Fi; this kernel has no netem), the command line as people run
it: ``host --music PARTY.flac --no-discovery --json --bind 10.77.0.1 --port 0 --max-members 64
[--codec C]``
on the host laptop, ``join 10.77.0.1:PORT --json --no-discovery`` on each of 8 guest laptops.
The track is a generated 4-minute FLAC of ~28 MB (bench/benchaudio.py, cached in the temp
folder). Every process plays into a TestOutputDevice through the ``LOUDSYNC_TEST_OUTPUT``
test hook (control/speakers.py), which notes the raw ``time.monotonic_ns()`` (one kernel clock
in every namespace) at which the first non-silent period left the speaker: first sound is
measured at the output, not taken from a log line.

Figures (each printed with its goal):

- **Play to first sound**: ``play`` is written to the host's stdin ``--settle`` seconds (3)
  after the last guest was welcomed (a party: people join, then the host presses Play; 0:
  at once, so a guest's clock sync counts too); per guest and the slowest (goal < 1 s).
- **Late joiner**: a ninth guest started after the others play; from its process start and
  from its WELCOME to its first sound (goal < 1.5 s).
- **Bandwidth per guest**: bytes the host's eth0 sent during 20 s of steady play / guests / s
  (and the bytes per guest from Play to the last guest's first sound).
- **CPU per guest** while playing: each guest process's user+system time over the same 20 s,
  % of one core (goal < 5 %).
- **Host CPU** over those 20 s with 8 guests, then with 33 (``--crowd 32``: 24 more guest
  processes spread over the 8 guest laptops, which share the host's shaped uplink anyway, beside
  the 8 and the late joiner); with the whole
  machine's CPU over that window and the silent periods the guests played in it, which say
  whether 33 processes on 2 cores were too many to measure.

    .venv/bin/python bench/stream.py                    # opus, the default codec
    .venv/bin/python bench/stream.py --codec all        # opus, flac, pcm one after another
    .venv/bin/python bench/stream.py --json             # one JSON object
    .venv/bin/python bench/stream.py --repo /path/to/other/checkout --crowd 0

``--repo`` runs another checkout's CLI (it needs the LOUDSYNC_TEST_OUTPUT hook, i.e. this
benchmark's commit or later); without ``--codec`` in its CLI the codec is 'whole-file'. A run
takes about a minute with the stream; the whole-file code takes minutes (``--crowd 0``).
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

from bench.benchaudio import party_flac  # noqa: E402
from tests.lan.netlab import Lan, NsProcess, check_available, remove_stale  # noqa: E402

GOAL_PLAY_S = 1.0
GOAL_LATE_S = 1.5
GOAL_GUEST_CPU_PCT = 5.0
TEST_OUTPUT_ENV = "LOUDSYNC_TEST_OUTPUT"   # audio/devices.py; read by control/speakers.py
CODECS = ("opus", "flac", "pcm")
NS = 1_000_000_000


# -- what the speakers said ------------------------------------------------------------------
class Speaker:
    """One process's test output report (JSON lines, see TestOutputDevice)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def lines(self) -> list[dict]:
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:   # a line being written right now
                pass
        return out

    def first_sound_ns(self) -> int | None:
        return next((x["firstSoundNs"] for x in self.lines() if "firstSoundNs" in x), None)

    def counts(self) -> tuple[int, int]:
        """(sound periods, silent periods) as of its last report."""
        last = [x for x in self.lines() if "periods" in x]
        return (last[-1]["periods"], last[-1]["silentPeriods"]) if last else (0, 0)


class Party:
    """The processes of one run on one LAN."""

    def __init__(self, lan: Lan, repo: Path, folder: Path, codec_args: list[str]) -> None:
        self.lan = lan
        self.repo = repo
        self.folder = folder
        self.codec_args = codec_args
        self.host: NsProcess | None = None
        self.port = 0
        self.guests: dict[str, NsProcess] = {}
        self.speakers: dict[str, Speaker] = {}

    def _spawn(self, laptop: str, name: str, args: list[str], stdin: bool = False) -> NsProcess:
        speaker = self.speakers[name] = Speaker(self.folder / f"{name}.jsonl")
        data = self.folder / f"data-{name}"
        # -P: the other checkout's package, not the one in the working directory.
        return self.lan.spawn(laptop, sys.executable, "-P", "-m", "loudsync_desktop", *args,
                              env={"PYTHONPATH": str(self.repo), TEST_OUTPUT_ENV: str(speaker.path),
                                   "LOUDSYNC_DATA_DIR": str(data)}, stdin=stdin)

    def start_host(self, music: Path, timeout: float) -> None:
        self.host = self._spawn("host", "host", [
            "host", "--music", str(music), "--no-discovery", "--json",
            "--bind", self.lan.address["host"], "--port", "0", "--max-members", "64",
            *self.codec_args], stdin=True)
        hosting = self.host.wait_json(lambda x: x.get("event") == "hosting", timeout, "hosting")
        self.port = hosting["port"]
        self.host.wait_json(lambda x: x.get("event") == "player", timeout, "the queue")

    def start_guest(self, laptop: str, name: str) -> NsProcess:
        process = self._spawn(laptop, name, [
            "join", f"{self.lan.address['host']}:{self.port}", "--json", "--no-discovery",
            "--name", name, "--device-id", name])
        self.guests[name] = process
        return process

    def play(self) -> int:
        assert self.host is not None
        pressed = time.monotonic_ns()
        self.host.write("play")
        return pressed

    def wait_sound(self, names: list[str], timeout: float) -> dict[str, int | None]:
        """Each one's first-sound ns, waiting until all have one or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        found: dict[str, int | None] = {name: None for name in names}
        while True:
            for name in names:
                if found[name] is None:
                    found[name] = self.speakers[name].first_sound_ns()
            if all(v is not None for v in found.values()) or time.monotonic() > deadline:
                return found
            for name in names:
                process = self.guests.get(name) or self.host
                if process is not None and process.proc.poll() is not None:
                    raise RuntimeError(f"{name} exited ({process.proc.returncode}): "
                                       f"{process.stderr[-1500:]}")
            time.sleep(0.02)


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def machine_busy_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine, seconds of time) so far."""
    t = psutil.cpu_times()
    idle = t.idle + getattr(t, "iowait", 0.0)
    return sum(t) - idle, time.monotonic()


def steady_window(party: Party, names: list[str], seconds: float) -> dict:
    """CPU of the host and of each of ``names``, host bytes sent, over ``seconds`` of play."""
    assert party.host is not None
    pids = {name: party.guests[name].pid for name in names}
    before_cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
    before_host = cpu_seconds(party.host.pid)
    before_tx = party.lan.link_bytes("host")["tx"]
    before_counts = {name: party.speakers[name].counts() for name in names}
    busy0, t0 = machine_busy_seconds()
    rss_max: dict[str, int] = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for name, pid in [("host", party.host.pid), *pids.items()]:
            rss_max[name] = max(rss_max.get(name, 0), psutil.Process(pid).memory_info().rss)
        time.sleep(0.5)
    busy1, t1 = machine_busy_seconds()
    elapsed = t1 - t0
    tx = party.lan.link_bytes("host")["tx"] - before_tx
    after_counts = {name: party.speakers[name].counts() for name in names}
    return {
        "seconds": elapsed,
        "guest_cpu_pct": {name: 100 * (cpu_seconds(pid) - before_cpu[name]) / elapsed
                          for name, pid in pids.items()},
        "host_cpu_pct": 100 * (cpu_seconds(party.host.pid) - before_host) / elapsed,
        "machine_cpu_pct": 100 * (busy1 - busy0) / elapsed,   # of one core; 200 = both busy
        "host_sent_kbit_s": tx * 8 / elapsed / 1000,
        "per_guest_kbit_s": tx * 8 / elapsed / 1000 / len(names),
        # Periods the speakers played silent in the window (underruns: a stream that did not
        # keep up); the reports come once a second, so this is +-1 s at either end.
        "silent_periods": {name: after_counts[name][1] - before_counts[name][1]
                           for name in names},
        "sound_periods": {name: after_counts[name][0] - before_counts[name][0]
                          for name in names},
        "rss_max_mb": {name: rss / 2**20 for name, rss in rss_max.items()},
    }


def cli_codec_args(repo: Path, codec: str, buffer_ms: int | None) -> tuple[list[str], str]:
    """The host's codec flags, if that checkout's CLI has them, and what the run is called."""
    helptext = subprocess.run([sys.executable, "-P", "-m", "loudsync_desktop", "host", "--help"],
                              capture_output=True, text=True, env={**os.environ,
                                                                   "PYTHONPATH": str(repo)},
                              timeout=60).stdout
    if "--codec" not in helptext:
        return [], "whole-file"
    extra = ["--codec", codec]
    if buffer_ms is not None and "--buffer-ms" in helptext:
        extra += ["--buffer-ms", str(buffer_ms)]
    return extra, codec


def run(codec: str, args: argparse.Namespace, music: Path) -> dict:
    codec_args, label = cli_codec_args(args.repo, codec, args.buffer_ms)
    guests = [f"g{i}" for i in range(1, args.guests + 1)]
    result: dict = {"codec": label, "guests": args.guests, "uplink_mbit": args.mbit,
                    "track": {"path": str(music), "bytes": music.stat().st_size,
                              "seconds": args.seconds},
                    "repo": str(args.repo), "settle_s": args.settle}
    with tempfile.TemporaryDirectory(prefix="loudsync-stream-") as tmp, \
            Lan(laptops=("host", *guests, "late")) as lan:
        lan.shape("host", args.mbit)
        party = Party(lan, args.repo, Path(tmp), codec_args)
        party.start_host(music, args.timeout)
        for name in guests:
            party.start_guest(name, name)
        for name in guests:
            party.guests[name].wait_json(lambda x: x.get("event") == "welcome", args.timeout,
                                         "welcome")
        # People join, then someone presses Play: not in the same instant. A guest plays only
        # once its clock is synced (a few exchanges); --settle 0 measures that in as well.
        time.sleep(args.settle)
        tx0 = lan.link_bytes("host")["tx"]
        pressed = party.play()
        first = party.wait_sound(["host", *guests], args.sound_timeout)
        tx_to_sound = lan.link_bytes("host")["tx"] - tx0
        per_guest = {name: None if ns is None else (ns - pressed) / NS
                     for name, ns in first.items()}
        heard = [v for name, v in per_guest.items() if name != "host" and v is not None]
        result["play_to_first_sound_s"] = {
            "per_guest": {n: per_guest[n] for n in guests}, "host": per_guest["host"],
            "max": max(heard) if len(heard) == len(guests) else None,
            "silent_guests": len(guests) - len(heard), "goal": GOAL_PLAY_S,
            "bytes_per_guest_until_then": tx_to_sound / len(guests)}
        if len(heard) < len(guests):   # nothing steady to measure: say so and stop
            result["note"] = f"{len(guests) - len(heard)} guests made no sound within " \
                             f"{args.sound_timeout:g} s of Play"
            return result
        time.sleep(2)   # past the start: the steady state
        result["steady_8"] = steady_window(party, guests, args.window)

        started = time.monotonic_ns()
        late = party.start_guest("late", "late")
        late.wait_json(lambda x: x.get("event") == "welcome", args.timeout, "welcome")
        welcomed = round(late.matched_at * NS) if late.matched_at else None
        late_first = party.wait_sound(["late"], args.sound_timeout)["late"]
        result["late_joiner"] = {
            "start_to_first_sound_s": None if late_first is None else (late_first - started) / NS,
            "welcome_to_first_sound_s": None if late_first is None or welcomed is None
            else (late_first - welcomed) / NS,
            "start_to_welcome_s": None if welcomed is None else (welcomed - started) / NS,
            "goal": GOAL_LATE_S}

        if args.crowd > args.guests:
            crowd = [f"c{i}" for i in range(args.guests + 1, args.crowd + 1)]
            for i, name in enumerate(crowd):
                party.start_guest(guests[i % len(guests)], name)
            for name in crowd:
                party.guests[name].wait_json(lambda x: x.get("event") == "welcome",
                                             args.timeout, "welcome")
            crowd_first = party.wait_sound(crowd, args.sound_timeout)
            everyone = [*guests, "late", *crowd]
            time.sleep(2)
            window = steady_window(party, everyone, args.window)
            window["silent_crowd_guests"] = sum(v is None for v in crowd_first.values())
            result[f"steady_{len(everyone)}"] = window
        result["shaper"] = lan.shaping("host")
    return result


# -- output ------------------------------------------------------------------------------------
def verdict(value: float | None, goal: float) -> str:
    return "no sound" if value is None else ("ok" if value < goal else "MISSED")


def fmt_s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def print_result(r: dict) -> None:
    mb = r["track"]["bytes"] / 1e6
    length = r["track"]["seconds"]
    print(f"\n== codec {r['codec']}: host uplink {r['uplink_mbit']:g} Mbit/s (tc tbf), "
          f"{r['guests']} guests, a {length // 60}:{length % 60:02d} FLAC of {mb:.1f} MB, "
          f"code of {r['repo']}; Play {r['settle_s']:g} s after the last WELCOME")
    p = r["play_to_first_sound_s"]
    print("Play -> first sound (goal < 1 s): " +
          ", ".join(f"{n} {fmt_s(v)}" for n, v in p["per_guest"].items()))
    print(f"  slowest guest {fmt_s(p['max'])} [{verdict(p['max'], p['goal'])}]; host's own "
          f"speaker {fmt_s(p['host'])}; host sent {p['bytes_per_guest_until_then'] / 1e3:.0f} kB "
          "per guest until then")
    if "note" in r:
        print(f"  {r['note']}")
        return
    s8 = r["steady_8"]
    cpu = s8["guest_cpu_pct"]
    worst = max(cpu.values())
    print(f"Bandwidth per guest, steady play: {s8['per_guest_kbit_s']:.0f} kbit/s (host sent "
          f"{s8['host_sent_kbit_s'] / 1000:.2f} Mbit/s to {len(cpu)} guests)")
    print(f"CPU per guest while playing (goal < 5 % of a core): mean "
          f"{sum(cpu.values()) / len(cpu):.1f} %, max {worst:.1f} % "
          f"[{'ok' if worst < GOAL_GUEST_CPU_PCT else 'MISSED'}]")
    print(f"Host CPU, {len(cpu)} guests: {s8['host_cpu_pct']:.1f} % of a core (machine "
          f"{s8['machine_cpu_pct']:.0f} % of 200); RSS host {s8['rss_max_mb']['host']:.0f} MB, "
          f"guests up to {max(v for k, v in s8['rss_max_mb'].items() if k != 'host'):.0f} MB")
    late = r["late_joiner"]
    print(f"Late joiner (goal < 1.5 s): start -> first sound "
          f"{fmt_s(late['start_to_first_sound_s'])}, WELCOME -> first sound "
          f"{fmt_s(late['welcome_to_first_sound_s'])} "
          f"[{verdict(late['welcome_to_first_sound_s'], late['goal'])}] (process start -> "
          f"WELCOME {fmt_s(late['start_to_welcome_s'])})")
    crowd = [k for k in r if k.startswith("steady_") and k != "steady_8"]
    for key in crowd:
        w = r[key]
        n = len(w["guest_cpu_pct"])
        silent = sum(w["silent_periods"].values())
        played = sum(w["sound_periods"].values())
        print(f"Host CPU, {n} guests: {w['host_cpu_pct']:.1f} % of a core; guests mean "
              f"{sum(w['guest_cpu_pct'].values()) / n:.1f} %; machine {w['machine_cpu_pct']:.0f} "
              f"% of 200; silent periods in the window {silent} of {silent + played}"
              + (f"; {w['silent_crowd_guests']} crowd guests never sounded"
                 if w["silent_crowd_guests"] else ""))
    if r.get("shaper"):
        sh = r["shaper"]
        print(f"Shaper on the host's eth0: {sh['rateBps'] * 8 / 1e6:.0f} Mbit/s, "
              f"{sh['bytes'] / 1e6:.1f} MB sent, {sh['drops']} drops, {sh['overlimits']} "
              "overlimits")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--codec", default="opus", choices=[*CODECS, "all"])
    parser.add_argument("--buffer-ms", type=int, help="the host's --buffer-ms (its default if not)")
    parser.add_argument("--guests", type=int, default=8)
    parser.add_argument("--crowd", type=int, default=32,
                        help="guests for the second host-CPU figure, the late joiner not "
                             "counted (0: skip it)")
    parser.add_argument("--mbit", type=float, default=20.0, help="the host's uplink")
    parser.add_argument("--window", type=float, default=20.0, help="seconds of steady play")
    parser.add_argument("--settle", type=float, default=3.0,
                        help="seconds from the last guest's WELCOME to Play")
    parser.add_argument("--timeout", type=float, default=60.0, help="for a process to start")
    parser.add_argument("--sound-timeout", type=float, default=150.0,
                        help="for first sound after Play or joining")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose CLI runs")
    parser.add_argument("--seconds", type=int, default=240, help="the track's length")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.repo = args.repo.resolve()
    check_available()
    remove_stale()
    music = party_flac(args.seconds)
    codecs = CODECS if args.codec == "all" else (args.codec,)
    if not cli_codec_args(args.repo, "opus", None)[0]:
        codecs = codecs[:1]   # the whole-file code has one way to send music
    results = [run(codec, args, music) for codec in codecs]
    if args.json:
        print(json.dumps(results if len(results) > 1 else results[0], indent=2))
    else:
        for result in results:
            print_result(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
