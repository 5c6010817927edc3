"""What the stream plays when the queue changes under it, step by step on a clock of our own.

The host decodes about a lead ahead: a track's file ends a second before its last frame is
heard, and the stream is already in the next track. Whatever the host does in that second
(removes, moves or adds a track, lets the queue run out and adds one) the stream must play
what the queue now says, from the right instant, with no hole and no silence for the rest.

A real HostPlayback (run_tasks off: the test pumps it every 10 ms of a fake clock), real
files and codecs; only the network is left out, so every chunk can be watched. What the
host's own speakers get, after every STREAM_CLEAR, is what every guest gets (the stamps
differ by the codec's look-ahead only)."""

from __future__ import annotations

import array

import pytest

from loudsync_desktop.net.playback_host import HostPlayback
from loudsync_desktop.protocol.stream import CHUNK_FRAMES, FRAME_BYTES
from testsupport.measure import write_test_tone
from testsupport.speaker import read_frame

pytestmark = pytest.mark.timeout(60)
CHUNK_US = 20_000


class Clock:
    def __init__(self) -> None:
        self.us = 5_000_000_000

    def now_precise_ms(self) -> float:
        return self.us / 1000

    def now_ms(self) -> int:
        return self.us // 1000


class Server:
    """Just what HostPlayback asks of a HostServer, with no guest connected."""

    def __init__(self) -> None:
        self.clock = Clock()

    def add_listener(self, callback) -> None:
        pass

    def send_to(self, device_id, frame) -> bool:
        return True

    def backlog_bytes(self, device_id) -> int:
        return 0


class Speakers:
    """The host's engine, as far as the stream goes: chunks by stamp, minus what is cleared."""

    def __init__(self) -> None:
        self.chunks: dict[int, bytes] = {}
        self.state = None

    def push(self, stamp_us: int, pcm: bytes) -> None:
        self.chunks[stamp_us] = pcm

    def clear(self, from_us: int | None = None) -> None:
        for stamp in [s for s in self.chunks if from_us is None or s + CHUNK_US > from_us]:
            del self.chunks[stamp]

    def heard(self, from_us: int, to_us: int) -> list[tuple[int, int] | None]:
        """(file mark, position) of every frame from ``from_us`` to ``to_us``; None: silence."""
        out: list[tuple[int, int] | None] = []
        stamp = from_us
        while stamp < to_us:
            pcm = self.chunks.get(stamp)
            if pcm is None:
                out += [None] * CHUNK_FRAMES
            else:
                samples = array.array("h", pcm)
                out += [read_frame(samples[2 * i], samples[2 * i + 1])
                        for i in range(len(pcm) // FRAME_BYTES)]
            stamp += CHUNK_US
        return out


@pytest.fixture
def tones(tmp_path):
    paths = {}
    for mark, seconds in ((1, 3.0), (2, 2.5), (3, 2.0), (4, 1.5)):
        paths[mark] = tmp_path / f"t{mark}.wav"
        write_test_tone(paths[mark], seconds, mark=mark)
    return paths


class Party:
    def __init__(self) -> None:
        self.server = Server()
        self.speakers = Speakers()
        self.playback = HostPlayback(self.server, self.speakers, codec="pcm",  # type: ignore[arg-type]
                                     run_tasks=False)

    @property
    def now(self) -> int:
        return self.server.clock.us

    async def add(self, path):
        return await self.playback.add_file(path)

    def run(self, seconds: float) -> None:
        end = self.now + int(seconds * 1e6)
        while self.now < end:
            self.server.clock.us += 10_000
            self.playback.pump(self.now)

    def run_until(self, predicate, limit_s: float = 20) -> None:
        end = self.now + int(limit_s * 1e6)
        while not predicate():
            assert self.now < end, "it never happened"
            self.run(0.01)

    def runs(self, start_us: int, end_us: int) -> list[tuple[int | None, int]]:
        """The heard frames from ``start_us`` as runs: (file mark or None, frames)."""
        runs: list[list] = []
        for frame in self.speakers.heard(start_us, end_us):
            mark = frame[0] if frame is not None else None
            if runs and runs[-1][0] == mark:
                runs[-1][1] += 1
            else:
                runs.append([mark, 1])
        return [(m, n) for m, n in runs]


def deciding(party: Party) -> None:
    """Run until the stream has decoded into the next track but not yet told anyone."""
    party.run_until(lambda: bool(party.playback.party._ahead))


async def test_a_track_removed_while_it_was_decoded_ahead_is_never_heard(tones):
    party = Party()
    one, two, three = [await party.add(tones[k]) for k in (1, 2, 3)]
    party.playback.play()
    start = party.playback.state.start_at_us
    deciding(party)
    party.playback.remove(two.track_id)
    party.run(7)
    runs = party.runs(start, start + 6_000_000)
    # All of 1, then all of 3, back to back; then silence: nothing lost, nothing of 2.
    assert [m for m, _ in runs] == [1, 3, None], runs
    assert runs[0][1] == 3 * 48_000 and runs[1][1] == 2 * 48_000, runs
    assert [t.track_id for t in party.playback.state.queue] == [one.track_id, three.track_id]


async def test_a_track_moved_up_while_the_next_was_decoded_ahead_plays_next(tones):
    party = Party()
    await party.add(tones[1])
    await party.add(tones[2])
    await party.add(tones[3])
    party.playback.play()
    start = party.playback.state.start_at_us
    deciding(party)
    party.playback.move(2, 1)                       # "play next": 3 before 2
    party.run(9)
    runs = party.runs(start, start + 8_000_000)
    assert [m for m, _ in runs] == [1, 3, 2, None], runs
    assert [n for _, n in runs[:3]] == [3 * 48_000, 2 * 48_000, 120_000], runs
    assert not party.playback.state.playing         # and the queue ended after them


async def test_music_added_before_the_queue_runs_out_follows_gaplessly(tones):
    party = Party()
    await party.add(tones[1])
    party.playback.play()
    start = party.playback.state.start_at_us
    party.run_until(lambda: party.playback.party._end is not None)   # decoded to the end
    await party.add(tones[4])
    party.run(4)
    runs = party.runs(start, start + 5_000_000)
    assert runs[:2] == [(1, 3 * 48_000), (4, 72_000)], runs


async def test_after_the_queue_ran_out_play_plays_what_was_added_then(tones):
    party = Party()
    await party.add(tones[4])
    party.playback.play()
    party.run(3)
    assert not party.playback.state.playing
    added = await party.add(tones[3])
    assert party.playback.state.current == added
    party.playback.play()
    start = party.playback.state.start_at_us
    party.run(3)
    assert party.runs(start, start + 2_000_000) == [(3, 2 * 48_000)]


async def test_a_stalled_host_skips_to_where_the_music_is_instead_of_making_late_chunks(tones):
    party = Party()
    await party.add(tones[1])
    party.playback.play()
    start = party.playback.state.start_at_us
    party.run(0.5)
    made = party.playback.stream.next_index
    party.server.clock.us += 2_000_000              # the loop was stuck for 2 s
    party.playback.pump(party.now)
    # It started again from where the track is by now, not from where it was stuck:
    assert party.playback.stream.next_index < made
    party.run(4)
    heard = [f for f in party.speakers.heard(start, start + 3_000_000) if f is not None]
    positions = [p for _, p in heard]
    assert positions == sorted(positions)           # never backwards, never twice
