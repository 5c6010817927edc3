"""Synchronised playback of the stream (playback/2) across the simulated LAN, with jitter,
packet loss, a slow uplink and a cut link.

Three laptops (tests/lan/netlab.py): the host on ``host`` (10.77.0.1), guest ``g1`` on
``guest1`` and guest ``g2`` on ``guest2``, each a process of its own
(tests/lan/playback_probe.py) with a clock of its own (offsets of seconds, drifts of
+-100 ppm) and a test sound card whose crystal is off (+-200 ppm). A late joiner comes in
8 s after Play; with three laptops it is a second device on ``guest2``, behind the same
faulty link (its own process, clock and sound card). The host's uplink is shaped to
``UPLINK_MBIT`` (``tc tbf``: a crowded party Wi-Fi) in every test here.

The main test streams PCM (``LOUDSYNC_LAN_CODEC``): lossless, so every frame a speaker let
out names the track position it is (the ramp of write_test_tone), and what each device
played is checked against what the host's timeline says, not only when; and the heaviest
stream (1.5 Mbit/s a guest). The cut test streams the app's default codec.

Faults, on both guests' laptops (the main test):

- **loss**: ``LOSS_PCT`` % of the frames on the laptop's link are lost at random, each way
  (``Lan.lossy``: nftables ``numgen random`` on the laptop's port of the bridge, i.e. on
  the wire, after the frame left the sender); TCP recovers them, late: a lost segment
  costs a retransmission timeout (>= 200 ms) or a tail-loss probe;
- **jitter**: the kernel has no netem, so each guest reaches the host through a TCP relay
  on its own laptop (``playback_probe.py relay``) that holds every chunk back by a random
  0..``JITTER_MS`` ms in each direction, independently, order kept. It sits between the
  guest and the host's address, so the relay-to-host hop crosses the lossy link and the
  guest sees both faults. The relay uses threads, not asyncio: asyncio sleeps through
  epoll_wait, whose 1 ms resolution would round every hold up to whole milliseconds. Why a
  relay and not an NFQUEUE delayer: NFQUEUE needs a compiled binding (NetfilterQueue,
  libnetfilter-queue-dev, build-essential) and a Python callback per packet on 2 shared
  cores, and per-packet delays under TCP mostly become reordering and spurious
  retransmissions. What the clock sync and the player see is when bytes arrive, which the
  relay delays directly, differently in each direction: the asymmetry that biases
  NTP-style estimates.

Every device reports each period it played with the raw ``time.monotonic_ns()`` at which
its first frame left the speaker and its first frame on the stream's timeline: one kernel
clock for every namespace of this machine, so the distance on the timeline between two
speakers at the same real instant is exact. The figures
are printed (``-rP`` or ``-s``) and in the "LAN measurements" summary; docs/BENCHMARKS.md has
them for this and other fault levels (``LOUDSYNC_LAN_JITTER_MS``, ``LOUDSYNC_LAN_LOSS_PCT``;
``LOUDSYNC_LAN_DUMP=FILE`` keeps every line the programs printed).
"""

from __future__ import annotations

import bisect
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from loudsync_desktop.protocol.playback import SAMPLE_RATE
from tests.lan.netlab import LAN_DEADLINE_S, REPO, Lan, NsProcess
from testsupport.measure import percentile, write_test_tone

pytestmark = [pytest.mark.lan, pytest.mark.timeout(150)]

PROBE = (sys.executable, str(REPO / "tests" / "lan" / "playback_probe.py"))
# Overridable to measure other conditions (docs/BENCHMARKS.md); the test's own are the defaults.
JITTER_MS = float(os.environ.get("LOUDSYNC_LAN_JITTER_MS", "2"))
LOSS_PCT = int(os.environ.get("LOUDSYNC_LAN_LOSS_PCT", "3"))

# name: (laptop, clock offset ms, drift ppm, card ppm)
HOST = ("host", 0.0, -30.0, 50.0)
G1 = ("guest1", 2_500.0, 100.0, 200.0)
G2 = ("guest2", -1_300.0, -100.0, -200.0)
LATE = ("guest2", 4_200.0, 60.0, -150.0)
LATE_AT_S = 8.0
TRACK_S = 25
# After Play (at 0): seek back to 3 s, pause, play again, end.
SEEK_AT_S, PAUSE_AT_S, RESUME_AT_S, END_AT_S = 20.0, 23.0, 25.0, 28.5
SETTLE_S = 5.0            # measured from 5 s after Play
LIMIT_MS = 1.0
LIFETIME_S = "90"
UPLINK_MBIT = 20.0        # the host's uplink: a crowded party Wi-Fi
MAIN_CODEC = os.environ.get("LOUDSYNC_LAN_CODEC", "pcm")   # lossless: the content is checked
MS = 1_000_000            # ns
S = 1_000_000_000         # ns


# -- what the devices played -------------------------------------------------------------------
RAMP = 65_536             # the ramp's samples repeat every 65536 frames (write_test_tone)
EDGE_FRAMES = 3           # content checks keep this far from a switch (rounding of instants)


class Played:
    """One device's rows (playback_probe.py), one per period:
    ``[ns, filled, start, count, correction, resynced, first, last]``; ``start`` on the
    stream's timeline (host µs x 48 kHz), None while the device was not ready."""

    def __init__(self, process: NsProcess) -> None:
        rows = [row for line in process.json_lines() if line["event"] == "played"
                for row in line["rows"]]
        rows.sort(key=lambda r: r[0])
        self.rows = rows
        self.ns = [r[0] for r in rows]

    def _row(self, t: int) -> list | None:
        i = bisect.bisect_right(self.ns, t) - 1
        return self.rows[i] if i >= 0 else None

    def position(self, t: int) -> float | None:
        """The timeline frame leaving the speaker at raw instant ``t``; None unless that
        period was audio throughout (silence, a gap, not ready, no record)."""
        row = self._row(t)
        if row is None:
            return None
        at, filled, start, count, correction, *_ = row
        frames = (t - at) * SAMPLE_RATE / 1e9
        if start is None or filled < count or frames > count + 1:
            return None
        return start + frames + (correction if frames >= count // 2 else 0)

    def instant_of(self, frame: int, near: int) -> int | None:
        """The raw instant at which timeline frame ``frame`` left the speaker (audio or not),
        looked for within 100 ms of ``near``."""
        i = max(0, bisect.bisect_left(self.ns, near - 100 * MS))
        while i < len(self.rows) and self.rows[i][0] <= near + 100 * MS:
            at, _, start, count, correction, *_ = self.rows[i]
            if start is not None and start <= frame < start + count + correction:
                offset = frame - start
                if offset >= count // 2:
                    offset -= correction
                return at + round(offset * 1e9 / SAMPLE_RATE)
            i += 1
        return None

    def first_sound(self, after: int) -> int | None:
        """The instant of its first frame of audio after ``after`` (a period that starts
        the stream is silence first, then audio)."""
        for at, filled, _, count, *_ in self.rows:
            if at >= after and filled:
                return at + round((count - filled) * 1e9 / SAMPLE_RATE)
        return None

    def gaps(self, after: int, before: int, allowed: list[tuple[int, int]] = ()) -> list[int]:
        """Instants of periods not wholly audio in [after, before), outside ``allowed``."""
        return [r[0] for r in self.rows if after <= r[0] < before and r[1] < r[3]
                and not any(a <= r[0] < b for a, b in allowed)]

    def resyncs(self, start: int, end: int) -> int:
        return sum(1 for r in self.rows if start <= r[0] < end and r[5])


def errors_ms(a: Played, b: Played, spans: list[tuple[int, int]],
              step: int = 10 * MS) -> list[float]:
    """|distance on the timeline| in ms every ``step`` within ``spans``, where both play audio."""
    out = []
    for start, end in spans:
        for t in range(start, end, step):
            pa, pb = a.position(t), b.position(t)
            if pa is not None and pb is not None:
                out.append(abs(pa - pb) * 1000 / SAMPLE_RATE)
    return out


class Timeline:
    """What the host said plays where: from each ``pressed`` line's effective frame on,
    either the track with position 0 at ``startAtUs`` (playing) or silence (paused)."""

    def __init__(self, steps: list[dict]) -> None:
        self.segments = sorted((round(s["effectiveAtUs"] * SAMPLE_RATE / 1e6),
                                round(s["startAtUs"] * SAMPLE_RATE / 1e6) if s["playing"]
                                else None) for s in steps)

    def expected(self, frame: int) -> tuple[bool, int | None] | None:
        """(playing, track position) at a timeline frame; None before the first step or too
        near a switch to tell."""
        i = bisect.bisect_right([s[0] for s in self.segments], frame) - 1
        if i < 0:
            return None
        near = [s[0] for s in self.segments[i:i + 2]]
        if any(abs(frame - edge) < EDGE_FRAMES for edge in near):
            return None
        zero = self.segments[i][1]
        return (False, None) if zero is None else (True, frame - zero)


def content_problems(played: Played, timeline: Timeline, after: int, before: int,
                     limit: int = 5) -> list[str]:
    """Where the emitted sound was not what the timeline says (lossless codecs: the ramp's
    samples name the track position mod 65536): first and last frame of every period."""
    problems = []
    for at, filled, start, count, correction, _, first, last in played.rows:
        if start is None or not after <= at < before:
            continue
        for frame, sample in ((start, first), (start + count - 1 + correction, last)):
            expected = timeline.expected(frame)
            if expected is None:
                continue
            playing, track_position = expected
            if not playing:
                ok = sample == 0
            else:
                ramp = (track_position % RAMP) - 32768
                off = (sample - ramp + RAMP // 2) % RAMP - RAMP // 2
                ok = abs(off) <= 2 or (sample == 0 and filled < count)   # a gap: told apart
            if not ok:
                problems.append(f"{(at - after) / S:.3f} s: timeline frame {frame} played sample "
                                f"{sample}, expected "
                                f"{'silence' if not playing else (track_position % RAMP) - 32768}")
    return problems[:limit] + ([f"... {len(problems) - limit} more"] if len(problems) > limit
                               else [])


def summary(errors: list[float]) -> str:
    if not errors:
        return "no samples"
    return (f"median {percentile(errors, 0.5):.3f} ms, p99 {percentile(errors, 0.99):.3f} ms, "
            f"max {max(errors):.3f} ms over {len(errors)} samples")


def p99(errors: list[float]) -> float:
    return percentile(errors, 0.99) if errors else float("inf")


# -- running the party -------------------------------------------------------------------------
def laptop_args(spec: tuple[str, float, float, float]) -> list[str]:
    _, offset, drift, card = spec
    return ["--offset-ms", str(offset), "--drift-ppm", str(drift), "--card-ppm", str(card)]


def sleep_until(ns: int) -> None:
    left = (ns - time.monotonic_ns()) / 1e9
    if left > 0:
        time.sleep(left)


def event(name: str, **fields):
    return lambda o: o.get("event") == name and all(o.get(k) == v for k, v in fields.items())


class Commands:
    """The host probe's command FIFO."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "host-commands"
        os.mkfifo(self.path)

    def __call__(self, text: str) -> None:
        # Non-blocking: fails at once (ENXIO) if the host is gone instead of hanging.
        fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
        try:
            os.write(fd, (text + "\n").encode())
        finally:
            os.close(fd)


def shape_uplink(lan: Lan, laptop: str, mbit: float = UPLINK_MBIT) -> None:
    """What ``laptop`` sends goes through a token bucket of ``mbit`` Mbit/s (``tc tbf``: a
    crowded party Wi-Fi; this kernel has no netem)."""
    lan.shape(laptop, mbit)


def shaper_stats(lan: Lan, laptop: str) -> dict | None:
    """The uplink's tbf and what went through it; None if unshaped."""
    return lan.shaping(laptop)


def stop_all(processes: list[NsProcess]) -> None:
    for process in reversed(processes):   # guests and relays first, the host last
        process.signal(signal.SIGTERM)
        try:
            process.wait(10)
        except Exception:  # noqa: BLE001 - killed below whatever went wrong
            pass
        process.kill()


def wait_ready(process: NsProcess, name: str) -> None:
    """A guest that knows the stream and the host's clock: it can sound."""
    process.wait_json(event("ready"), LAN_DEADLINE_S, f"{name} to be ready for the stream")
    # As at a party, the music was queued a while before Play: the clocks are synced.
    process.wait_json(lambda o: o.get("event") == "sync" and o["samplesUsed"] >= 2,
                      LAN_DEADLINE_S, f"{name}'s clock to sync")


def starved_at(process: NsProcess, after: int) -> list[int]:
    """When a guest lost audio (its ``sync`` lines' counts rose): chunks that came after
    their time and were dropped, or that never came (the host drops a guest's chunks that
    went late while its link held them up), counted from ``after`` on: its stream was held
    up for longer than its buffer. (A late joiner drops some before it first sounds: those
    chunks waited for its clock.)"""
    out, before = [], None
    for line in (x for x in process.json_lines() if x["event"] == "sync"):
        count = line.get("lateChunks", 0) + line.get("lostMs", 0)
        if before is not None and count > before and line["at"] > after:
            out.append(line["at"])
        before = count
    return out


def clock_report(hosting: dict, name: str, process: NsProcess, since: int) -> str | None:
    """How well a guest knew the host's clock (its estimate against the truth)."""
    clock = hosting["clock"]
    syncs = [s for s in process.json_lines() if s["event"] == "sync"]
    est = [abs(s["hostUs"] - (clock["us"] + (s["at"] - clock["ns"]) / 1000 * clock["rate"]))
           / 1000 for s in syncs if s["at"] >= since]
    rtts = [s["bestRttUs"] / 1000 for s in syncs]
    if not est:
        return None
    return (f"{name} clock estimate error: median {percentile(est, 0.5):.3f} ms, max "
            f"{max(est):.3f} ms; best round trip in window {min(rtts):.2f}-{max(rtts):.2f} ms; "
            f"late chunks dropped {syncs[-1].get('lateChunks')}")


def test_playback_stays_within_1_ms_across_the_lan_with_jitter_loss_and_a_slow_uplink(
        lan: Lan, tmp_path, record_property):
    track = tmp_path / "ramp.wav"
    write_test_tone(track, TRACK_S)
    commands = Commands(tmp_path)
    lossy = ("guest1", "guest2") if LOSS_PCT else ()   # 0: only to measure without loss
    for laptop in lossy:
        lan.lossy(laptop, LOSS_PCT)
    shape_uplink(lan, "host")
    processes: list[NsProcess] = []

    def probe(laptop: str, *args: str) -> NsProcess:
        process = lan.spawn(laptop, *PROBE, *args, "--lifetime", LIFETIME_S)
        processes.append(process)
        return process

    try:
        # PCM: lossless, so every frame at every speaker names the track position it is,
        # and the heaviest stream (1.5 Mbit/s a guest) on the shaped uplink.
        host = probe("host", "host", "--track", str(track), "--commands", str(commands.path),
                     "--codec", MAIN_CODEC, *laptop_args(HOST))
        hosting = host.wait_json(event("hosting"), LAN_DEADLINE_S, "the host to listen")
        host.wait_json(event("track"), LAN_DEADLINE_S, "the host to queue the track")
        session = hosting["sessionId"]
        target = f"{lan.address['host']}:{hosting['port']}"
        relays = {laptop: probe(laptop, "relay", "--target", target, "--jitter-ms", str(JITTER_MS),
                                "--seed", str(i))
                  for i, laptop in enumerate(("guest1", "guest2"), 1)}
        relay_port = {laptop: relay.wait_json(event("relay"), LAN_DEADLINE_S, "the relay")["port"]
                      for laptop, relay in relays.items()}

        def guest(name: str, spec: tuple) -> NsProcess:
            return probe(spec[0], "guest", "--connect", f"127.0.0.1:{relay_port[spec[0]]}",
                         "--session-id", session, "--name", name, *laptop_args(spec))

        guests = {"g1": guest("g1", G1), "g2": guest("g2", G2)}
        for name, process in guests.items():
            wait_ready(process, name)

        # -- the party: Play, a late joiner, seek, pause, play again --------------------------
        commands("play")
        play = host.wait_json(event("pressed", what="play"), LAN_DEADLINE_S, "Play")
        t0 = play["pressedNs"]
        sleep_until(t0 + int(LATE_AT_S * S))
        guests["late"] = late = guest("late", LATE)
        steps = {"play": play}
        for what, at_s, command in (("seek", SEEK_AT_S, "seek 3000"),
                                    ("pause", PAUSE_AT_S, "pause"),
                                    ("play again", RESUME_AT_S, "play")):
            sleep_until(t0 + int(at_s * S))
            seen = len(host.lines)
            commands(command)
            steps[what] = host.wait_json(event("pressed", what=command.split()[0]), LAN_DEADLINE_S,
                                         what, start=seen)
        late_welcome = late.wait_json(event("welcome"), LAN_DEADLINE_S,
                                      "the late joiner to be welcomed")
        sleep_until(t0 + int(END_AT_S * S))
        losses = {laptop: lan.loss_counts(laptop) for laptop in lossy}
        shaped = shaper_stats(lan, "host")
    finally:
        stop_all(processes)

    if os.environ.get("LOUDSYNC_LAN_DUMP"):   # every line, for a closer look
        import json
        dump = {"t0": t0, "host": host.json_lines(),
                **{name: p.json_lines() for name, p in guests.items()},
                **{f"relay-{k}": r.json_lines() for k, r in relays.items()}}
        Path(os.environ["LOUDSYNC_LAN_DUMP"]).write_text(json.dumps(dump))

    # -- the figures ----------------------------------------------------------------------------
    played = {"host": Played(host), **{name: Played(p) for name, p in guests.items()}}
    end = min(p.ns[-1] for p in played.values()) - 50 * MS
    effective = {what: step["effectiveNs"] for what, step in steps.items()}
    margin = 5 * MS    # around a switch, two devices < 1 ms apart are on different sides of it
    firsts = {name: p.first_sound(t0) for name, p in played.items()}
    period = 20 * MS   # a period that holds a switch is partly before it, partly after
    paused = (effective["pause"] - period - margin, effective["play again"] + margin)
    report, failures = [], []
    dropped = {laptop: "/".join(f"{c[way].get('dropped', 0)} of {c[way].get('frames', 0)}"
                                for way in ("out", "in"))
               for laptop, c in losses.items()}
    report.append(f"faults: loss {LOSS_PCT} % each way on the guests' links (frames lost "
                  f"out/in: {dropped}); jitter 0..{JITTER_MS:g} ms per chunk each way; host "
                  f"uplink {UPLINK_MBIT:g} Mbit/s ({shaped}); codec {MAIN_CODEC}")
    report.append(f"host: first sound {(firsts['host'] - t0) / MS:.0f} ms after Play")

    def spans_from(first: int) -> list[tuple[int, int]]:
        """Where the timeline plays, from ``first`` on (the pause left out)."""
        return [(max(a, first), b) for a, b in ((first, paused[0]), (paused[1], end)) if b > first]

    # In step from their first sound (the clocks were synced before Play), through the seek.
    for name in ("g1", "g2", "late"):
        first = firsts[name]
        if first is None:
            failures.append(f"{name} never made a sound")
            continue
        errors = errors_ms(played["host"], played[name], spans_from(first))
        settled = errors_ms(played["host"], played[name], spans_from(max(
            first, t0 + int(SETTLE_S * S))))
        since = late_welcome["ns"] if name == "late" else t0
        early = errors_ms(played["host"], played[name], [(first, first + 2 * S)])
        report.append(f"{name}: from its first sound ({(first - since) / MS:.0f} ms after "
                      f"{'its welcome' if name == 'late' else 'Play'}): {summary(errors)}; its "
                      f"first 2 s: {summary(early)}; from "
                      f"{SETTLE_S:g} s after Play: {summary(settled)}; hard resyncs after its "
                      f"first sound: {played[name].resyncs(first, end)}")
        record_property(f"{name} error ms", f"median {percentile(errors, 0.5):.3f}, p99 "
                        f"{p99(errors):.3f}, max {max(errors, default=float('nan')):.3f}")
        enough = 600 if name == "late" else 1500
        if len(errors) < enough or p99(errors) >= LIMIT_MS:
            failures.append(report[-1])
    welcomed = late_welcome["ns"]

    # Play, seek, pause, play again: every device plays the switch's frame at the same
    # instant, and the host at the instant it announced.
    timeline = Timeline(list(steps.values()))
    for what, step in steps.items():
        names = ["host", "g1", "g2"] + (["late"] if firsts["late"] and
                                         step["pressedNs"] > firsts["late"] else [])
        if what == "play":
            # The first Play: when each device first sounded (the first frame of the track).
            instants = {n: firsts[n] for n in names}
        else:
            frame = round(step["effectiveAtUs"] * SAMPLE_RATE / 1e6)
            instants = {n: played[n].instant_of(frame, step["effectiveNs"]) for n in names}
        if None in instants.values():
            failures.append(f"{what}: a device played no such instant: {instants}")
            continue
        apart = max(abs(x - instants["host"]) for x in instants.values()) / MS
        off = {n: round((x - step["effectiveNs"]) / MS, 3) for n, x in instants.items()}
        report.append(f"{what}: effective {(step['effectiveNs'] - step['pressedNs']) / MS:.0f} ms "
                      f"after the press; {len(names) - 1} guests switched within {apart:.3f} ms "
                      f"of the host; each from the effective instant (ms): {off}")
        # Each command takes effect about 400 ms after the press (on a chunk boundary).
        lead = (step["effectiveNs"] - step["pressedNs"]) / MS
        if apart >= LIMIT_MS or abs(off["host"]) >= LIMIT_MS or not 350 <= lead <= 600:
            failures.append(report[-1])

    # What each speaker let out: the track position the host's timeline says, silence while
    # paused; and once a device sounds it never falls silent again but for the pause.
    for name, p in played.items():
        wrong = content_problems(p, timeline, t0, end)
        if wrong:
            failures.append(f"{name} played the wrong sound: {wrong}")
        gaps = p.gaps(firsts[name] or end, end, allowed=[paused])
        # A TCP segment lost again and again (3 % loss) can hold the stream up for longer
        # than the buffer: then chunks come too late and the guest drops them, which its
        # lateChunks count shows. Only such a silence is allowed, and not for long.
        starved = starved_at(guests[name], (firsts[name] or end) + S) if name in guests else []
        unexplained = [g for g in gaps if not any(g - 1.5 * S <= t <= g + 2.5 * S
                                                   for t in starved)]
        if gaps:
            report.append(f"{name} fell silent for {len(gaps)} periods after its first sound, "
                          f"from {(gaps[0] - t0) / S:.2f} s after Play; late chunks dropped "
                          f"at {[round((t - t0) / S, 1) for t in starved]} s")
            if unexplained or len(gaps) * period > 2 * S:
                failures.append(report[-1])
        during = [r for r in p.rows if r[1] and effective["pause"] + margin <= r[0]
                  < effective["play again"] - period - margin]
        if during:
            failures.append(f"pause: {name} played {len(during)} periods while paused")

    for name, process in guests.items():
        line = clock_report(hosting, name, process,
                            max(t0 + int(SETTLE_S * S), welcomed if name == "late" else 0))
        if line:
            report.append(line)
    for laptop, relay in relays.items():
        stats = [line for line in relay.json_lines() if line["event"] == "relay-stats"]
        if stats:
            held = {way: f"median {x['p50Ms']:.2f} ms, p99 {x['p99Ms']:.2f} ms over {x['chunks']}"
                    for way, x in stats[-1].items() if isinstance(x, dict)}
            report.append(f"relay on {laptop}, chunks held (up = towards the host): {held}")
    message = "\n".join(report)
    print("\n" + message)
    late_first = firsts["late"]
    record_property("late joiner", f"first sound {(late_first - welcomed) / S:.2f} s after its "
                    f"welcome" if late_first else "never sounded")
    assert all(c["out"].get("dropped") and c["in"].get("dropped") for c in losses.values()), \
        f"the loss was not applied both ways: {losses}\n{message}"
    assert shaped and shaped["bytes"] > 1_000_000, f"the uplink was not shaped: {shaped}"
    assert not failures, "\n".join(failures + ["--"] + [message])


# -- a guest's Wi-Fi gone for 5 s, and a late joiner meanwhile, on the app's own codec ------------
CUT_AT_S, CUT_S, CUT_LATE_AT_S, CUT_END_S = 4.0, 5.0, 6.0, 14.0
BACK_WITHIN_S = 1.0       # the issue: back in step within a second of the link returning
# With the app's heartbeat timeout (15 s) the connection would live on and TCP resend on
# its backed-off timer only (measured 2.9-3.1 s from the link's return to sound); a
# streaming guest instead calls 1.5 s of silence a stall and tries anew every 0.1 s
# (GuestSession.stream_watch_ms), as it does with a short heartbeat timeout (3 s).


@pytest.mark.parametrize("heartbeat_timeout", ["default", "3"])
def test_a_guest_cut_off_for_5_s_stays_in_time_and_is_back_in_step_within_1_s(
        lan: Lan, tmp_path, record_property, heartbeat_timeout):
    """g1's link goes down for 5 s (longer than its 1 s buffer) while g2 plays on and a late
    joiner comes in, all on the app's default codec through the host's 20 Mbit/s uplink.
    g1 plays what it holds, then silence, never a chunk out of its time; back within 1 s
    of its link returning, in step from there; nobody else hears a thing of it. With the
    app's default heartbeat timeout, and with a short one."""
    host_args = () if heartbeat_timeout == "default" else ("--heartbeat-timeout",
                                                             heartbeat_timeout)
    track = tmp_path / "ramp.wav"
    write_test_tone(track, TRACK_S)
    shape_uplink(lan, "host")
    processes: list[NsProcess] = []

    def probe(laptop: str, *args: str) -> NsProcess:
        process = lan.spawn(laptop, *PROBE, *args, "--lifetime", LIFETIME_S)
        processes.append(process)
        return process

    try:
        host = probe("host", "host", "--track", str(track), "--play-when-guests", "2", *host_args,
                     *laptop_args(HOST))
        hosting = host.wait_json(event("hosting"), LAN_DEADLINE_S, "the host to listen")
        codec = host.wait_json(event("track"), LAN_DEADLINE_S, "the host to queue")["codec"]
        target = f"{lan.address['host']}:{hosting['port']}"

        def guest(name: str, spec: tuple) -> NsProcess:
            return probe(spec[0], "guest", "--connect", target, "--session-id",
                         hosting["sessionId"], "--name", name, *laptop_args(spec))

        guests = {"g1": guest("g1", G1), "g2": guest("g2", G2)}
        # Play comes by itself once both joined: the clocks converge while it starts.
        play = host.wait_json(event("pressed", what="play"), LAN_DEADLINE_S, "Play")
        t0 = play["pressedNs"]
        for name, process in guests.items():
            wait_ready(process, name)
        sleep_until(t0 + int(CUT_AT_S * S))
        cut = time.monotonic_ns()
        lan.link_down("guest1")
        sleep_until(t0 + int(CUT_LATE_AT_S * S))
        guests["late"] = late = guest("late", LATE)
        sleep_until(cut + int(CUT_S * S))
        lan.link_up("guest1")
        back = time.monotonic_ns()        # the link is up and carries again
        late_welcome = late.wait_json(event("welcome"), LAN_DEADLINE_S, "the late joiner")
        sleep_until(t0 + int(CUT_END_S * S))
        shaped = shaper_stats(lan, "host")
    finally:
        stop_all(processes)

    if os.environ.get("LOUDSYNC_LAN_DUMP"):
        import json
        Path(os.environ["LOUDSYNC_LAN_DUMP"]).write_text(json.dumps(
            {"t0": t0, "cut": cut, "back": back, "host": host.json_lines(),
             **{name: p.json_lines() for name, p in guests.items()}}))

    played = {"host": Played(host), **{name: Played(p) for name, p in guests.items()}}
    end = min(p.ns[-1] for p in played.values()) - 50 * MS
    firsts = {name: p.first_sound(t0) for name, p in played.items()}
    report, failures = [], []
    report.append(f"heartbeat timeout {heartbeat_timeout}; codec {codec}; host uplink "
                  f"{UPLINK_MBIT:g} Mbit/s ({shaped}); g1's link down {(back - cut) / S:.2f} s "
                  f"from {(cut - t0) / S:.2f} s after Play")

    def in_step(name: str, start: int, stop: int, what: str, enough: int) -> list[float]:
        errors = errors_ms(played["host"], played[name], [(start, stop)])
        report.append(f"{name} {what}: {summary(errors)}")
        if len(errors) < enough or p99(errors) >= LIMIT_MS:
            failures.append(report[-1])
        return errors

    # The others: in step from their first sound to the end, and never a gap.
    for name in ("g2", "late"):
        first = firsts[name]
        if first is None:
            failures.append(f"{name} never made a sound")
            continue
        since = late_welcome["ns"] if name == "late" else t0
        in_step(name, first, end, f"from its first sound ({(first - since) / MS:.0f} ms after "
                f"{'its welcome' if name == 'late' else 'Play'})", 500)
        gaps = played[name].gaps(first, end)
        if gaps:
            failures.append(f"{name} fell silent for {len(gaps)} periods, from "
                            f"{(gaps[0] - t0) / S:.2f} s after Play")

    # g1: in step before the cut, and every sound it made while cut off was in its time.
    g1 = played["g1"]
    if firsts["g1"] is None or firsts["g1"] >= cut:
        failures.append(f"g1 made no sound before the cut ({firsts['g1']})")
    else:
        in_step("g1", firsts["g1"], cut, "before the cut", 200)
        if g1.gaps(firsts["g1"], cut):
            failures.append("g1 fell silent before its link was cut")
    while_cut = errors_ms(played["host"], g1, [(cut, back)])
    dry = g1.gaps(cut, back)
    held = (dry[0] - cut) / S if dry else float("nan")
    report.append(f"g1 while cut off: played on {held:.2f} s from what it held, then "
                  f"silence; its sound then: {summary(while_cut)}")
    if not dry or (while_cut and max(while_cut) >= LIMIT_MS):
        failures.append(report[-1])     # it must run dry (5 s > its buffer), never out of time
    # ... and back in step within a second of its link returning, for good.
    again = g1.first_sound(back)
    back_line = (f"g1 back: first sound {(again - back) / MS if again else float('nan'):.0f} "
                 f"ms after its link returned")
    report.append(back_line)
    record_property(f"g1 back after a 5 s cut, heartbeat timeout {heartbeat_timeout}",
                    report[-1])
    slow_back = again is not None and again - back > int(BACK_WITHIN_S * S)
    if again is None or slow_back:
        failures.append(report[-1])
    if again is not None:
        in_step("g1", again, end, "from its first sound after the cut",
                100 if slow_back else 300)
        gaps = g1.gaps(again, end)
        if gaps:
            failures.append(f"g1 fell silent for {len(gaps)} periods after it was back, from "
                            f"{(gaps[0] - back) / S:.2f} s after its link returned")
    links = [line["what"] for line in guests["g1"].json_lines() if line["event"] == "link"]
    report.append(f"g1's link: {links}")
    for name, process in guests.items():
        line = clock_report(hosting, name, process, t0)
        if line:
            report.append(line)
    message = "\n".join(report)
    print("\n" + message)
    assert shaped and shaped["bytes"] > 100_000, f"the uplink was not shaped: {shaped}"
    assert not failures, "\n".join(failures + ["--"] + [message])
