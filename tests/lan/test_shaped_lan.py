"""The party on a slow Wi-Fi: the host's uplink shaped (tests/lan/netlab.py ``Lan.shape``).

A smoke test of what bench/stream.py measures: the CLI host on the ``host`` laptop, whose
uplink carries 20 Mbit/s at most (``tc tbf``; this kernel has no netem), a CLI guest on each
guest laptop, both playing into a TestOutputDevice (the ``LOUDSYNC_TEST_OUTPUT`` test hook):
after Play every guest's speaker sounds and keeps sounding, and the music really went
through the shaper (its counters say so). How fast is bench/stream.py's.
"""

from __future__ import annotations

import json
import time

import pytest

from loudsync_desktop.audio.devices import TEST_OUTPUT_ENV
from tests.lan.netlab import LAN_DEADLINE_S, Lan
from testsupport.measure import write_test_tone

pytestmark = [pytest.mark.lan, pytest.mark.timeout(150)]

PERIODS_PER_S = 50


def report(path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:   # being written
            pass
    return out


def wait_for(condition, what: str, timeout: float = LAN_DEADLINE_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)


def test_guests_behind_a_shaped_host_uplink_play(lan: Lan, tmp_path):
    track = tmp_path / "Slow Wi-Fi.wav"
    write_test_tone(track, 30)
    lan.shape("host", 20)
    assert lan.shaping("host")["rateBps"] == 20_000_000 // 8
    outputs = {name: tmp_path / f"{name}.jsonl" for name in ("host", "guest1", "guest2")}
    host = lan.loudsync("host", "host", "--music", str(track), "--no-discovery", "--json",
                        "--bind", lan.address["host"], "--port", "0",
                        env={TEST_OUTPUT_ENV: str(outputs["host"])}, stdin=True)
    port = host.wait_json(lambda x: x.get("event") == "hosting", LAN_DEADLINE_S, "hosting")["port"]
    guests = {}
    for laptop in ("guest1", "guest2"):
        guests[laptop] = lan.loudsync(
            laptop, "join", f"{lan.address['host']}:{port}", "--json", "--no-discovery",
            "--name", laptop, "--device-id", laptop, env={TEST_OUTPUT_ENV: str(outputs[laptop])})
    for laptop, guest in guests.items():
        guest.wait_json(lambda x: x.get("event") == "welcome", LAN_DEADLINE_S, f"{laptop} welcomed")
    host.write("play")
    for name, path in outputs.items():
        wait_for(lambda path=path: any("firstSoundNs" in x for x in report(path)),
                 f"{name}'s first sound")
    # And they keep sounding: 2 s more of sound on each guest.
    for name in ("guest1", "guest2"):
        now = max([x["periods"] for x in report(outputs[name]) if "periods" in x], default=0)
        wait_for(lambda name=name, now=now: max(
            [x["periods"] for x in report(outputs[name]) if "periods" in x],
            default=0) >= now + 2 * PERIODS_PER_S, f"{name} to keep sounding")
    shaper = lan.shaping("host")
    assert shaper is not None and shaper["packets"] > 0, shaper   # the music went through it
    lan.unshape("host")
    assert lan.shaping("host") is None

