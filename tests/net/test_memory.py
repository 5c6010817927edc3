"""Memory does not grow with the length of the queue (issue 12: bounded memory on every laptop).

The command line as people run it, on loopback without discovery: a host playing a queue and a
guest playing along, both into a TestOutputDevice (the ``LOUDSYNC_TEST_OUTPUT`` test hook), so
the test knows when each really sounds. Their resident memory (RSS, psutil) is read with 2
tracks queued and again with 40: only the host should hold files, and only the part it plays,
so 38 more tracks may cost the bookkeeping of a queue, not their audio. Whole-file playback
held every file on the host and every decoded file on each guest (issue 12: 2.1 GB and
1.4 GB with three hours queued): 38 tracks of 1.8 MB each then cost each process 70-140 MB.
"""

from __future__ import annotations

import json
import wave

import psutil
import pytest

from loudsync_desktop.audio.devices import TEST_OUTPUT_ENV
from tests.net.helpers import CLI, REPO
from tests.support import DEADLINE_S, EventProcess, wait_until
from testsupport.measure import write_test_tone

pytestmark = pytest.mark.timeout(240)

FEW, MANY = 2, 40
TRACK_S = 10            # 1.8 MB of WAV, 1.8 MB of PCM once decoded
GROWTH_LIMIT_MB = 20
MB = 2 ** 20
PERIODS_PER_S = 50      # the test device's 20 ms periods


def distinct_tracks(folder, count: int) -> list[str]:
    """``count`` WAV files of the same ramp whose last frame differs: distinct bytes, so
    each is a track of its own (a track's id is its content's hash)."""
    base = folder / "base.wav"
    write_test_tone(base, TRACK_S)
    with wave.open(str(base), "rb") as w:
        params, frames = w.getparams(), bytearray(w.readframes(w.getnframes()))
    paths = []
    for n in range(count):
        frames[-4:] = (n + 1).to_bytes(2, "little") * 2
        path = folder / f"track-{n + 1:02d}.wav"
        with wave.open(str(path), "wb") as w:
            w.setparams(params)
            w.writeframes(frames)
        paths.append(str(path))
    return paths


class Speaker:
    """A process's test output report: when it first sounded, how many periods so far."""

    def __init__(self, path) -> None:
        self.path = path

    def lines(self) -> list[dict]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text().splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:   # being written
                pass
        return out

    def sounded(self) -> bool:
        return any("firstSoundNs" in line for line in self.lines())

    def periods(self) -> int:
        counts = [line["periods"] for line in self.lines() if "periods" in line]
        return counts[-1] if counts else 0


def queued(process: EventProcess) -> int:
    """The length of the queue in the process's latest ``player`` line."""
    states = process.named("player")
    return len(states[-1]["queue"]) if states else 0


def rss_mb(process: EventProcess) -> float:
    return psutil.Process(process.proc.pid).memory_info().rss / MB


async def start(args: list[str], name: str, report, data) -> EventProcess:
    import os
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "LOUDSYNC_DATA_DIR": str(data),
           TEST_OUTPUT_ENV: str(report)}
    return await EventProcess.start([*CLI, *args], name, cwd=REPO, env=env)


async def test_memory_does_not_grow_with_the_queue(tmp_path):
    tracks = distinct_tracks(tmp_path, MANY)
    host_out, guest_out = Speaker(tmp_path / "host.jsonl"), Speaker(tmp_path / "guest.jsonl")
    started: list[EventProcess] = []
    try:
        host = await start(["host", "--json", "--port", "0", "--bind", "127.0.0.1",
                            "--no-discovery", "--music", *tracks[:FEW], "--play"],
                           "host", host_out.path, tmp_path / "host-data")
        started.append(host)
        port = (await host.event("hosting"))["port"]
        guest = await start(["join", f"127.0.0.1:{port}", "--json", "--no-discovery",
                             "--name", "Mem", "--device-id", "mem"],
                            "guest", guest_out.path, tmp_path / "guest-data")
        started.append(guest)
        await guest.event("welcome")
        # Both sound, and have for 2 s: past their start-up.
        await wait_until(guest_out.sounded, timeout=DEADLINE_S, what="the guest's first sound")
        await wait_until(lambda: guest_out.periods() >= 2 * PERIODS_PER_S, timeout=DEADLINE_S,
                         what="2 s of the guest's sound")
        assert host_out.sounded()
        few = {"host": rss_mb(host), "guest": rss_mb(guest)}

        for path in tracks[FEW:]:
            host.write(f"add {path}")
        # The adds run side by side: the queue ends up in any order.
        for process in (host, guest):
            await wait_until(lambda process=process: queued(process) == MANY,
                             timeout=DEADLINE_S * 3, what=f"{process.name}: {MANY} queued")
        assert guest.named("player")[-1]["playing"]
        # 3 s more of the guest's sound with the long queue: whatever the host does with the
        # new tracks (read, send, decode) has had its time while the music went on.
        played = guest_out.periods()
        await wait_until(lambda: guest_out.periods() >= played + 3 * PERIODS_PER_S,
                         timeout=DEADLINE_S, what="3 s more of the guest's sound")
        many = {"host": rss_mb(host), "guest": rss_mb(guest)}
        print(f"\nRSS with {FEW} tracks: host {few['host']:.1f} MB, guest {few['guest']:.1f} MB; "
              f"with {MANY}: host {many['host']:.1f} MB, guest {many['guest']:.1f} MB")
        for name in ("host", "guest"):
            assert many[name] - few[name] < GROWTH_LIMIT_MB, (
                f"the {name}'s memory grew by {many[name] - few[name]:.0f} MB when "
                f"{MANY - FEW} tracks of {TRACK_S} s were queued ({few[name]:.0f} -> "
                f"{many[name]:.0f} MB)")
    finally:
        for process in started:
            await process.reap()
