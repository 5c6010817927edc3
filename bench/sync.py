#!/usr/bin/env python3
"""How closely do the laptops play together? The stream, measured at the speakers.

On loopback, in one process: a host and guests, each with a clock of its own
(offsets of seconds, drifts of +-100 ppm) and a TestOutputDevice whose crystal
is off by +-200 ppm, play a generated 75 s track for 60 s. Every guest reaches
the host through a proxy that delays each chunk by a random 0..JITTER ms (order
kept) and stalls for a second mid-song. One guest joins 20 s after Play.

With ``--codec pcm`` or ``flac`` (the default is pcm) the track is a marked ramp and
every figure is read from what left each speaker (testsupport.speaker): which track
position it played at each true instant. With ``opus`` (lossy: the ramp does not
survive) the errors are the engines' own plans (testsupport.measure.SyncRecorder).

Printed:
- inter-device error against the host's speaker (median, p99, max), from 10 s
  after Play (a late joiner: from its first sound);
- time from pressing Play (or joining) to the first sound on each device;
- audio lost after first sound (silence while the music played: the stall);
- the late joiner's time from joining to playing within 1 ms of the host for good;
- the baseline measured in the same run: the network round trips the clock
  sync saw (what a scheme that trusts single timestamps would be off by).

    .venv/bin/python bench/sync.py [--seconds 60] [--jitter-ms 3] [--codec pcm] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from testsupport.measure import (Laptop, errors_ms, percentile, run_party,  # noqa: E402
                                 write_test_tone)
from testsupport.speaker import distance_ms, distances_ms  # noqa: E402

STALL_MS = 1000

def guests(seconds: float) -> list[Laptop]:
    return [
        Laptop("guest-a", offset_ms=2500, drift_ppm=100, card_ppm=200),
        Laptop("guest-b", offset_ms=-1300, drift_ppm=-100, card_ppm=-200),
        Laptop("late-joiner", offset_ms=800, drift_ppm=50, card_ppm=-100, joins_at_s=seconds / 3),
    ]
HOST = Laptop("host", card_ppm=50)


def convergence_s(errors_after_join: list[tuple[float, float]],
                  limit_ms: float = 1.0) -> float | None:
    """Seconds from joining until the error stays under ``limit_ms`` for good."""
    last_bad = None
    for t, e in errors_after_join:
        if e >= limit_ms:
            last_bad = t
    if not errors_after_join:
        return None
    return 0.0 if last_bad is None else last_bad


async def measure(seconds: float, jitter_ms: float, codec: str = "pcm") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        track = Path(tmp) / "ramp.wav"
        write_test_tone(track, seconds + 15, mark=1)
        started = time.monotonic()
        run = await run_party(track, guests(seconds), seconds, host=HOST, jitter_ms=jitter_ms,
                              stall_at_s=seconds / 2, stall_ms=STALL_MS, codec=codec)
    by_content = codec != "opus"
    t0 = run.play_pressed_us
    end = t0 + seconds * 1e6 - 0.5e6
    host, host_speaker = run.recorders["host"], run.speakers["host"]

    def error_series(name: str, from_us: float, to_us: float) -> list[float]:
        if by_content:
            return distances_ms(host_speaker, run.speakers[name], from_us, to_us)
        return errors_ms(host, run.recorders[name], from_us, to_us)

    def error_at(name: str, t: float) -> float | None:
        if by_content:
            return distance_ms(host_speaker, run.speakers[name], t)
        e = errors_ms(host, run.recorders[name], t, t + 1)
        return e[0] if e else None

    result: dict = {"seconds": seconds, "jitter_ms": jitter_ms, "stall_ms": STALL_MS,
                    "codec": codec, "measured_at": "speaker" if by_content else "engine",
                    "elapsed_s": round(time.monotonic() - started, 1), "devices": {}}
    for laptop in [HOST, *guests(seconds)]:
        rec, speaker = run.recorders[laptop.name], run.speakers[laptop.name]
        since = max(t0, run.joined_us.get(laptop.name, t0))
        first = speaker.first_sound_us(since)
        entry = {"offset_ms": laptop.offset_ms, "drift_ppm": laptop.drift_ppm,
                 "card_ppm": laptop.card_ppm,
                 "first_sound_ms": None if first is None else round((first - since) / 1000, 1),
                 "lost_ms": None if first is None else
                 round(speaker.silent_frames(first, end) / 48, 1),
                 "corrections": rec.corrections()}
        if laptop is not HOST and first is not None:
            if laptop.joins_at_s > 0:
                series = []
                t = first
                while t < end:
                    e = error_at(laptop.name, t)
                    if e is not None:
                        series.append(((t - since) / 1e6, e))
                    t += 20_000
                entry["convergence_s"] = convergence_s(series)
                begin = first
            else:
                begin = t0 + 10e6
            errs = error_series(laptop.name, begin, end)
            entry.update(samples=len(errs), median_ms=percentile(errs, 0.5),
                         p99_ms=percentile(errs, 0.99), max_ms=max(errs) if errs else None)
        result["devices"][laptop.name] = entry
    rtts = [s for samples in run.rtt_samples_us for s in samples]
    result["baseline_rtt_ms"] = {"median": statistics.median(rtts) / 1000,
                                 "p99": percentile(rtts, 0.99) / 1000} if rtts else None
    return result


def print_table(r: dict) -> None:
    print(f"synchronised playback ({r['codec']} stream, measured at the {r['measured_at']}), "
          f"{r['seconds']:.0f} s, loopback through a proxy adding "
          f"0..{r['jitter_ms']:g} ms of jitter per chunk and a {r['stall_ms']} ms stall mid-song")
    if r["baseline_rtt_ms"]:
        b = r["baseline_rtt_ms"]
        print(f"  baseline: clock-sync round trips in the same run, median {b['median']:.3f} ms, "
              f"p99 {b['p99']:.3f} ms")
    print(f"  {'device':<12} {'offset':>8} {'drift':>7} {'card':>6} {'first sound':>12} "
          f"{'lost':>8} {'median':>8} {'p99':>8} {'max':>8} {'converged':>10}")
    for name, d in r["devices"].items():
        def ms(v):
            return "-" if v is None else f"{v:.3f}"
        first = "-" if d["first_sound_ms"] is None else f"{d['first_sound_ms']:.0f} ms"
        conv = f"{d['convergence_s']:.2f} s" if d.get("convergence_s") is not None else "-"
        print(f"  {name:<12} {d['offset_ms']:>6.0f}ms {d['drift_ppm']:>4.0f}ppm "
              f"{d['card_ppm']:>4.0f}ppm "
              f"{first:>12} {ms(d.get('lost_ms')):>8} {ms(d.get('median_ms')):>8} "
              f"{ms(d.get('p99_ms')):>8} "
              f"{ms(d.get('max_ms')):>8} {conv:>10}")
    print("  (inter-device error in ms against the host's speaker; first sound: after Play, "
          "or after joining; lost: ms of silence after it; goal: p99 under 1 ms)")
    print(f"  total {r['elapsed_s']} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--jitter-ms", type=float, default=3.0)
    parser.add_argument("--codec", choices=("pcm", "flac", "opus"), default="pcm")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.seconds, args.jitter_ms, args.codec))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
