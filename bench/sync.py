#!/usr/bin/env python3
"""How closely do the laptops play together? Synchronised playback, measured.

On loopback, in one process: a host and guests, each with a clock of its own
(offsets of seconds, drifts of +-100 ppm) and a TestOutputDevice whose crystal
is off by +-200 ppm, play a generated 75 s track for 60 s. Every guest reaches
the host through a proxy that delays each chunk by a random 0..JITTER ms (order
kept) and stalls for a second mid-song. One guest joins 20 s after Play.

Printed:
- inter-device error against the host's speaker (median, p99, max), from 10 s
  after Play (after a late joiner's join: from its convergence);
- time from pressing Play to the first sound on each device (the 400 ms start
  lead is the design figure);
- the late joiner's time from joining to playing within 1 ms of the host;
- the baseline measured in the same run: the network round trips the clock
  sync saw (what a scheme that trusts single timestamps would be off by).

    .venv/bin/python bench/sync.py [--seconds 60] [--jitter-ms 3] [--json]
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

from testsupport.measure import (Laptop, errors_ms, first_sound_us, percentile,  # noqa: E402
                                 run_party, write_test_tone)

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


async def measure(seconds: float, jitter_ms: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        track = Path(tmp) / "ramp.wav"
        write_test_tone(track, seconds + 15)
        started = time.monotonic()
        run = await run_party(track, guests(seconds), seconds, host=HOST, jitter_ms=jitter_ms,
                              stall_at_s=seconds / 2, stall_ms=1000)
    t0 = run.play_pressed_us
    host = run.recorders["host"]
    result: dict = {"seconds": seconds, "jitter_ms": jitter_ms, "stall_ms": 1000,
                    "elapsed_s": round(time.monotonic() - started, 1), "devices": {}}
    for laptop in [HOST, *guests(seconds)]:
        rec = run.recorders[laptop.name]
        joined = run.joined_us.get(laptop.name, t0)
        first = first_sound_us(rec, max(t0, joined))
        entry = {"offset_ms": laptop.offset_ms, "drift_ppm": laptop.drift_ppm,
                 "card_ppm": laptop.card_ppm,
                 "first_sound_ms": None if first is None
                 else round((first - max(t0, joined)) / 1000, 1),
                 "corrections": rec.corrections(), "resyncs": rec.resyncs()}
        if laptop is not HOST:
            if laptop.joins_at_s > 0:
                series = []
                t = joined
                while t < t0 + seconds * 1e6 - 0.5e6:
                    e = errors_ms(host, rec, t, t + 1)
                    if e:
                        series.append(((t - joined) / 1e6, e[0]))
                    t += 20_000
                conv = convergence_s(series)
                entry["convergence_s"] = conv
                begin = joined + (conv or 0) * 1e6 + 20_000
            else:
                begin = t0 + 10e6
            errs = errors_ms(host, rec, begin, t0 + seconds * 1e6 - 0.5e6)
            entry.update(samples=len(errs), median_ms=percentile(errs, 0.5),
                         p99_ms=percentile(errs, 0.99), max_ms=max(errs) if errs else None)
        result["devices"][laptop.name] = entry
    rtts = [s for samples in run.rtt_samples_us for s in samples]
    result["baseline_rtt_ms"] = {"median": statistics.median(rtts) / 1000,
                                 "p99": percentile(rtts, 0.99) / 1000} if rtts else None
    return result


def print_table(r: dict) -> None:
    print(f"synchronised playback, {r['seconds']:.0f} s, loopback through a proxy adding "
          f"0..{r['jitter_ms']:g} ms of jitter per chunk and a {r['stall_ms']} ms stall mid-song")
    if r["baseline_rtt_ms"]:
        b = r["baseline_rtt_ms"]
        print(f"  baseline: clock-sync round trips in the same run, median {b['median']:.3f} ms, "
              f"p99 {b['p99']:.3f} ms")
    print(f"  {'device':<12} {'offset':>8} {'drift':>7} {'card':>6} {'first sound':>12} "
          f"{'median':>8} {'p99':>8} {'max':>8} {'converged':>10}")
    for name, d in r["devices"].items():
        def ms(v):
            return "-" if v is None else f"{v:.3f}"
        first = "-" if d["first_sound_ms"] is None else f"{d['first_sound_ms']:.0f} ms"
        conv = f"{d['convergence_s']:.2f} s" if d.get("convergence_s") is not None else "-"
        print(f"  {name:<12} {d['offset_ms']:>6.0f}ms {d['drift_ppm']:>4.0f}ppm "
              f"{d['card_ppm']:>4.0f}ppm "
              f"{first:>12} {ms(d.get('median_ms')):>8} {ms(d.get('p99_ms')):>8} "
              f"{ms(d.get('max_ms')):>8} {conv:>10}")
    print("  (inter-device error in ms against the host's speaker; first sound: after Play, "
          "or after joining; goal: p99 under 1 ms)")
    print(f"  total {r['elapsed_s']} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--jitter-ms", type=float, default=3.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.seconds, args.jitter_ms))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
