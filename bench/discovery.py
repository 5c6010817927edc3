"""Discovery benchmark on the simulated three-laptop LAN: how fast a party is found and dropped.

Run (as root; it builds and tears down its own LAN of network namespaces, tests/lan/netlab.py):
      .venv/bin/python bench/discovery.py            (a table)
      .venv/bin/python bench/discovery.py --json     (one JSON object with every figure)
      .venv/bin/python bench/discovery.py --runs 9   (more samples; default 5)

Everything it advertises or scans runs inside those namespaces (10.77.0.0/24), never in the
machine's own network. About 75 s with the default 5 runs.

What is measured
================

The host is the real command line (``python -m loudsync_desktop host --json``) on laptop
``host``. Observers are DiscoveryServices in their own processes (tests/lan/watch.py), one per
mode, each printing the monotonic time of every found/updated/lost event: ``mdns`` (the
service with UDP off) on guest1, ``udp`` (mDNS off) and ``both`` on guest2. CLOCK_MONOTONIC is
one clock for every process on the machine, so times taken in different namespaces compare.

1. Host start -> found. t0 is taken just before the host process is started (so the figure
   includes the host's Python start-up and imports, as a user starting a party sees it). The
   observers are already running. ``both, first`` is its first sighting by either protocol,
   ``both, merged`` the moment it is listed with via "both". Each run ends the host (half of
   them with SIGTERM, half with SIGKILL), so every run is one fresh start: 2 x runs samples.
2. Scan start -> found. The host has been up for 2 s (registered and announced). t0 is taken
   just before an observer process is started; the figure includes the observer's start-up.
   "from discovery start" leaves out process start-up and imports: it counts from just
   before ``DiscoveryService.start()``. The last row is the user-facing ``scan --json``
   (both protocols) until its line is printed; it holds a one-protocol sighting up to
   0.4 s for the other one to merge.
3. Removal. End Session (SIGTERM of the host, which sends the UDP BYE and mDNS goodbyes)
   and SIGKILL (nothing is sent: beacons stop; cached mDNS records stay, so the service
   probes ``GET /session`` after 1.5 s of silence and drops the party 3 s after it was last
   heard from, checked every 0.25 s), from the signal to the observer's ``lost`` event.
   The SIGKILL comes 1-2.5 s (random, seeded) after the party was listed, so it falls at
   any phase of the beacons and probes; right after a sighting is the worst case, ~3.25 s.

Medians (with min and max) of the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lan.netlab import Lan, LanUnavailable, NsProcess, check_available, remove_stale  # noqa: E402

MODES = ("mdns", "udp", "both")
STEP_TIMEOUT_S = 15.0


def _wait(proc: NsProcess, what: str, predicate, start: int = 0, timeout: float = STEP_TIMEOUT_S):
    return proc.wait_json(predicate, timeout, what, start=start)


def _event(kind: str, sid: str, via: str | None = None):
    return lambda o: o.get("event") == kind and o.get("sessionId") == sid and \
        (via is None or o.get("via") == via)


def _watchers(lan: Lan) -> dict[str, NsProcess]:
    watchers = {"mdns": lan.watcher("guest1", udp=False), "udp": lan.watcher("guest2", mdns=False),
                "both": lan.watcher("guest2")}
    for name, watch in watchers.items():
        _wait(watch, f"{name} observer to start", lambda o: o.get("event") == "started")
    return watchers


def host_runs(lan: Lan, runs: int) -> dict[str, list[float]]:
    """Sections 1 and 3: a fresh host per run, ended by SIGTERM or SIGKILL."""
    samples: dict[str, list[float]] = {k: [] for k in (
        "start_mdns", "start_udp", "start_both_first", "start_both_merged", "hosting_printed",
        "end_mdns", "end_udp", "end_both", "kill_mdns", "kill_udp", "kill_both")}
    watchers = _watchers(lan)
    rng = random.Random(1)
    for run in range(2 * runs):
        marks = {name: len(w.lines) for name, w in watchers.items()}
        t0 = time.monotonic()
        host = lan.loudsync("host", "host", "--json", "--name", f"Bench {run}")
        hosting = _wait(host, "hosting", lambda o: o.get("event") == "hosting")
        sid = hosting["sessionId"]
        samples["hosting_printed"].append(host.matched_at - t0)
        for mode in ("mdns", "udp"):
            found = _wait(watchers[mode], f"{mode} found", _event("found", sid), marks[mode])
            samples[f"start_{mode}"].append(found["t"] - t0)
        first = _wait(watchers["both"], "both found", _event("found", sid), marks["both"])
        samples["start_both_first"].append(first["t"] - t0)
        merged = _wait(watchers["both"], "both merged",
                       lambda o, sid=sid: o.get("sessionId") == sid and o.get("via") == "both",
                       marks["both"])
        samples["start_both_merged"].append(merged["t"] - t0)

        kind = "end" if run % 2 == 0 else "kill"
        if kind == "kill":
            # A host dies at any moment, not just after it was heard: a random phase
            # against the beacons (1 s) and the mDNS-only observer's probes (~1.5 s).
            time.sleep(rng.uniform(1.0, 2.5))
        marks = {name: len(w.lines) for name, w in watchers.items()}
        t1 = time.monotonic()
        host.signal(signal.SIGTERM if kind == "end" else signal.SIGKILL)
        for mode, watch in watchers.items():
            lost = _wait(watch, f"{mode} lost", _event("lost", sid), marks[mode])
            samples[f"{kind}_{mode}"].append(lost["t"] - t1)
        host.wait(10)
        lan.processes.remove(host)
        host.kill()
    for watch in watchers.values():
        watch.signal(signal.SIGTERM)
        watch.wait(10)
    return samples


def scan_runs(lan: Lan, runs: int) -> dict[str, list[float]]:
    """Section 2: the host is up; a new observer (or `scan`) per sample."""
    samples: dict[str, list[float]] = {k: [] for k in (
        "scan_mdns", "scan_udp", "scan_both_first", "scan_both_merged",
        "scan_mdns_core", "scan_udp_core", "scan_both_first_core", "scan_cli")}
    host = lan.loudsync("host", "host", "--json", "--name", "Bench scan")
    sid = _wait(host, "hosting", lambda o: o.get("event") == "hosting")["sessionId"]
    time.sleep(2.0)   # let it finish its mDNS announcements: a party that has been up a while
    laptops = {"mdns": "guest1", "udp": "guest2", "both": "guest2"}
    for _ in range(runs):
        for mode in MODES:
            t0 = time.monotonic()
            watch = lan.watcher(laptops[mode], mdns=mode != "udp", udp=mode != "mdns")
            begun = _wait(watch, "start", lambda o: o.get("event") == "started")["begun"]
            found = _wait(watch, f"{mode} found", _event("found", sid))
            key = "scan_both_first" if mode == "both" else f"scan_{mode}"
            samples[key].append(found["t"] - t0)
            samples[f"{key}_core"].append(found["t"] - begun)
            if mode == "both":
                merged = _wait(watch, "merged",
                               lambda o: o.get("sessionId") == sid and o.get("via") == "both")
                samples["scan_both_merged"].append(merged["t"] - t0)
            watch.signal(signal.SIGTERM)
            watch.wait(10)
            lan.processes.remove(watch)
            watch.kill()
        t0 = time.monotonic()
        scan = lan.loudsync("guest1", "scan", "--json", "--timeout", "10")
        _wait(scan, "scan line", lambda o: o.get("event") == "session" and o["sessionId"] == sid)
        samples["scan_cli"].append(scan.matched_at - t0)
        scan.signal(signal.SIGTERM)
        scan.wait(10)
        lan.processes.remove(scan)
        scan.kill()
    host.signal(signal.SIGTERM)
    host.wait(10)
    return samples


def summary(values: list[float]) -> dict[str, Any]:
    return {"median_s": round(statistics.median(values), 3), "min_s": round(min(values), 3),
            "max_s": round(max(values), 3), "n": len(values),
            "samples_s": [round(v, 3) for v in values]}


ROWS = [
    ("Host start -> found", [
        ("mDNS only", "start_mdns"), ("UDP only", "start_udp"),
        ("both, first sighting", "start_both_first"),
        ("both, merged (via both)", "start_both_merged"),
        ("(host prints 'hosting')", "hosting_printed")]),
    ("Scan start -> found (host already up)", [
        ("mDNS only", "scan_mdns"), ("UDP only", "scan_udp"),
        ("both, first sighting", "scan_both_first"),
        ("both, merged (via both)", "scan_both_merged"),
        ("mDNS only, from discovery start", "scan_mdns_core"),
        ("UDP only, from discovery start", "scan_udp_core"),
        ("both, from discovery start", "scan_both_first_core"),
        ("`scan --json` prints it", "scan_cli")]),
    ("End Session (SIGTERM) -> removed", [
        ("mDNS only (goodbye)", "end_mdns"), ("UDP only (BYE)", "end_udp"), ("both", "end_both")]),
    ("SIGKILL -> removed", [
        ("mDNS only (probe fails)", "kill_mdns"), ("UDP only (silence)", "kill_udp"),
        ("both", "kill_both")]),
]


def print_table(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"LoudSync discovery benchmark, {result['date']}: {m['cpus']} CPUs, "
          f"Python {m['python']}, "
          f"{result['runs']} runs, simulated LAN (3 network namespaces on a bridge), "
          f"{result['seconds']:.0f} s")
    figures = result["figures"]
    for title, rows in ROWS:
        print(f"\n{title:<44} {'median':>8} {'min':>8} {'max':>8} {'n':>3}")
        for label, key in rows:
            f = figures[key]
            print(f"  {label:<42} {f['median_s']:>7.3f}s {f['min_s']:>7.3f}s {f['max_s']:>7.3f}s "
                  f"{f['n']:>3}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=5, help="samples per figure (default 5)")
    args = parser.parse_args(argv)
    try:
        check_available()
    except LanUnavailable as exc:
        print(f"bench/discovery.py: cannot build the simulated LAN: {exc}", file=sys.stderr)
        return 2
    remove_stale()
    started = time.monotonic()
    with Lan() as lan:
        samples = host_runs(lan, args.runs)
        samples.update(scan_runs(lan, args.runs))
    result = {
        "benchmark": "discovery", "date": time.strftime("%Y-%m-%d"), "runs": args.runs,
        "seconds": round(time.monotonic() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "figures": {key: summary(values) for key, values in samples.items()},
    }
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
