"""The stream heard at the speakers, by content, over real sockets in real time.

Every device's TestOutputDevice is started through a SpeakerCapture: what it emitted,
with the true instant (the host's clock) each period left. The tracks are marked ramps
(testsupport.measure.write_test_tone(mark=k)) played as PCM or FLAC, so every frame that
left a speaker names its track and its position: a test reads off which position each
device played at any instant, and so whether a switch, an advance, a join or a stall
put every device at the right place at the same time, with nothing taken from the
engine's own account.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from loudsync_desktop.protocol.playback import SAMPLE_RATE
from loudsync_desktop.protocol.stream import FEATURE, pack_chunk
from tests.audio.media import correlation, write
from tests.support import RawGuest, wait_until
from testsupport.measure import Laptop, percentile, write_test_tone
from testsupport.speaker import SpeakerCapture, distances_ms, read_frame

from .playback_party import SID, Party, summary

pytestmark = pytest.mark.timeout(90)

HOST = Laptop("host", card_ppm=50)
GUEST_A = Laptop("guest-a", offset_ms=2500, drift_ppm=100, card_ppm=200)
GUEST_B = Laptop("guest-b", offset_ms=-1300, drift_ppm=-100, card_ppm=-200)
LIMIT_MS = 1.0
S = 1_000_000
FRAMES_PER_US = SAMPLE_RATE / 1e6


@pytest.fixture(scope="module")
def ramps(tmp_path_factory):
    """Marked ramps at the party's rate: a long one (1), a short one (2), one of 2.01 s (3),
    whose end falls inside a chunk."""
    folder = tmp_path_factory.mktemp("ramps")
    paths = {1: folder / "one.wav", 2: folder / "two.wav", 3: folder / "short.wav"}
    write_test_tone(paths[1], 20, mark=1)
    write_test_tone(paths[2], 8, mark=2)
    write_test_tone(paths[3], 2.01, mark=3)
    return paths


async def started(codec: str = "pcm", *guests: Laptop) -> Party:
    party = await Party(HOST, codec=codec).start()
    for laptop in guests:
        await party.join(laptop)
    await settle(party)
    return party


async def settle(party: Party) -> None:
    """Until every guest knows the host's clock well enough to sound."""
    await wait_until(lambda: all(g.playback.engine.ready() for g in party.guests.values()),
                     what="the guests' clocks to settle")


def expected_position(state, true_us: float) -> float:
    """The track position the host's state says plays at host instant ``true_us``."""
    return state.position_us(true_us) * FRAMES_PER_US


def off_ms(speaker: SpeakerCapture, mark: int, state, from_us: float, to_us: float,
           step_us: float = 10_000) -> tuple[list[float], list[str]]:
    """How far from where ``state`` puts ``mark`` the speaker was, every ``step_us``; and
    every instant where it played something else (silence, another track)."""
    errors, wrong = [], []
    t = from_us
    while t < to_us:
        heard = speaker.position_at(t)
        if heard is None or heard[0] != mark:
            wrong.append(f"{speaker.name} at {(t - from_us) / 1000:.0f} ms: {heard}")
        else:
            errors.append(abs(heard[1] - expected_position(state, t)) / FRAMES_PER_US / 1000)
        t += step_us
    return errors, wrong


def switch_us(speaker: SpeakerCapture, after_us: float, until_us: float, is_new) -> float | None:
    """The first true instant after ``after_us`` whose frame ``is_new(frame, true_us)``."""
    for period in speaker.periods(after_us - 20_000, until_us):
        samples = memoryview(period.pcm).cast("h")
        for j in range(len(samples) // 2):
            t = period.true_us + j * speaker.frame_us
            if t >= after_us and is_new(read_frame(samples[2 * j], samples[2 * j + 1]), t):
                return t
    return None


# -- commands ------------------------------------------------------------------------------------
async def test_play_seek_pause_next_and_previous_switch_every_device_at_once_to_the_right_place(
        ramps):
    party = await started("pcm", GUEST_A, GUEST_B)
    try:
        await party.playback.add_file(ramps[1])
        await party.playback.add_file(ramps[2])
        steps = []   # (what, mark heard after it, or None for silence, state)

        async def press(what, command, mark, then):
            command()
            steps.append((what, mark, party.playback.state))
            await asyncio.sleep(then)

        await press("play", party.playback.play, 1, 1.5)
        await press("seek", lambda: party.playback.seek(9_000), 1, 1.2)
        await press("pause", party.playback.pause, None, 0.9)
        await press("play again", party.playback.play, 1, 1.2)
        await press("next", party.playback.next, 2, 1.2)
        await press("previous", party.playback.previous, 1, 1.2)
        done = party.now_us()
    finally:
        await party.close()
    report, failures = [], []
    for i, (what, mark, state) in enumerate(steps):
        switch = state.effective_at_us
        until = steps[i + 1][2].effective_at_us if i + 1 < len(steps) else done
        if mark is None:
            def is_new(frame, t):
                return frame is None
        else:
            def is_new(frame, t, mark=mark, state=state):
                return frame is not None and frame[0] == mark and \
                    abs(frame[1] - expected_position(state, t)) <= 48
        instants = {n: switch_us(sp, switch - 100_000, until, is_new)
                    for n, sp in party.speakers.items()}
        if None in instants.values():
            failures.append(f"{what}: a device never switched: {instants}")
            continue
        late_ms = {n: round((t - switch) / 1000, 3) for n, t in instants.items()}
        report.append(f"{what}: switched at the state's instant +{late_ms} ms")
        # Every device at the state's instant (a frame of rounding, the guests' clock error).
        if max(abs(x) for x in late_ms.values()) >= LIMIT_MS:
            failures.append(report[-1])
        for name, speaker in party.speakers.items():
            if mark is None:
                heard = [speaker.position_at(t) for t in range(int(switch) + 5_000,
                                                                int(until) - 5_000, 10_000)]
                if any(heard):
                    failures.append(f"{what}: {name} not silent while paused")
                continue
            errors, wrong = off_ms(speaker, mark, state, switch + 5_000, until - 5_000)
            report.append(f"  {name}: {summary(errors)}")
            if wrong or not errors or percentile(errors, 0.99) >= LIMIT_MS:
                failures.append(f"{what}: {report[-1]} {wrong[:3]}")
    print("\n" + "\n".join(report))
    assert not failures, "\n".join(failures + ["--"] + report)
    # The pause held the place the music had reached; play resumed it from there.
    paused, resumed = steps[2][2], steps[3][2]
    assert resumed.position_us(resumed.effective_at_us) == paused.position_ms * 1000


async def test_the_next_track_follows_without_a_gap_or_a_repeat(ramps):
    party = await started("flac", GUEST_A)
    try:
        await party.playback.add_file(ramps[3])          # 2.01 s: ends inside a chunk
        await party.playback.add_file(ramps[2])
        party.playback.play()
        first = party.playback.state
        await wait_until(lambda: party.playback.state.index == 1, what="the advance")
        boundary = party.playback.state.start_at_us
        await wait_until(lambda: party.now_us() > boundary + 600_000, what="time to pass")
    finally:
        await party.close()
    end = int(2.01 * SAMPLE_RATE)
    assert boundary == first.start_at_us + end * 1_000_000 // SAMPLE_RATE
    for name, speaker in party.speakers.items():
        # Frame after frame across the boundary: the short one to its very last frame,
        # then the next from its first, at the boundary's instant.
        assert speaker.breaks(boundary - 500_000, boundary - 20_000) == []
        assert speaker.breaks(boundary + 20_000, boundary + 500_000) == []
        before = [speaker.position_at(boundary - k * 1000) for k in (3, 2)]
        after = [speaker.position_at(boundary + k * 1000) for k in (1, 2)]
        assert [m for m, _ in before] == [3, 3] and [m for m, _ in after] == [2, 2], name
        assert abs(before[0][1] - (end - 144)) <= 48 and abs(before[1][1] - (end - 96)) <= 48, \
            before
        assert abs(after[0][1] - 48) <= 48 and abs(after[1][1] - 96) <= 48, after
        # Nothing silent, nothing twice: the frames around the boundary run on.
        frames = speaker.marked_frames(boundary - 40_000, boundary + 40_000)
        assert None not in frames, name
        marks = [m for m, _ in frames]
        switch = marks.index(2)
        assert set(marks[:switch]) == {3} and set(marks[switch:]) == {2}, name
        assert abs(frames[switch - 1][1] - (end - 1)) <= 2 and frames[switch][1] <= 2, \
            (name, frames[switch - 1], frames[switch])


# -- a late joiner ---------------------------------------------------------------------------------
async def test_a_late_joiner_is_in_step_from_its_first_sound_within_1_5_s(ramps):
    party = await started("pcm", GUEST_A)
    try:
        await party.playback.add_file(ramps[1])
        party.playback.play()
        await asyncio.sleep(1.5)
        late = await party.join(Laptop("late", offset_ms=800, drift_ppm=50, card_ppm=-100))
        joined = late.joined_us
        await wait_until(lambda: party.speakers["late"].first_sound_us(joined) is not None,
                         what="the late joiner's first sound")
        first = party.speakers["late"].first_sound_us(joined)
        await wait_until(lambda: party.now_us() > first + 2.2 * S, what="2 s of its playing")
        state = party.playback.state
    finally:
        await party.close()
    speaker = party.speakers["late"]
    message = f"first sound {(first - joined) / 1000:.0f} ms after joining"
    print("\n" + message)
    assert first - joined <= 1.5 * S, message
    # From its very first frame of sound: at the right place, and on without a break.
    errors, wrong = off_ms(speaker, 1, state, first + 1_000, first + 2 * S, step_us=5_000)
    message += f"; {summary(errors)}"
    assert not wrong and max(errors) < LIMIT_MS, message
    assert speaker.breaks(first + 20_000, first + 2 * S) == [], message
    assert abs(speaker.position_at(first + 100)[1] - expected_position(state, first)) <= 48


# -- Wi-Fi reality ---------------------------------------------------------------------------------
async def stalled_party(ramps, stall_ms: float):
    """guest-a through a relay that stalls ``stall_ms`` 2 s into the music; guest-b direct.
    Returns the party (closed), the stall's start and end (host µs) and the state."""
    party = await Party(HOST, codec="pcm").start()
    try:
        relay = await party.relay()
        await party.join(GUEST_A, via=relay)
        await party.join(GUEST_B)
        await settle(party)
        await party.playback.add_file(ramps[1])
        party.playback.play()
        state = party.playback.state
        await wait_until(lambda: party.now_us() > state.effective_at_us + 2 * S,
                         what="2 s of music")
        stall_from = party.now_us()
        relay.stall_now(stall_ms)
        stall_to = stall_from + stall_ms * 1000
        await wait_until(lambda: party.now_us() > stall_to + 2.5 * S, what="the stall to pass")
    finally:
        await party.close()
    return party, stall_from, stall_to, state


async def test_a_stall_shorter_than_the_buffer_is_not_heard(ramps):
    party, stall_from, stall_to, state = await stalled_party(ramps, 500)
    start = state.effective_at_us + 20_000
    arrivals = [t for t, _ in party.guests["guest-a"].binary_frames]
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    assert max(gaps) >= 450_000   # it did stall
    for name in ("host", "guest-a", "guest-b"):
        speaker = party.speakers[name]
        assert speaker.breaks(start, stall_to + 2 * S) == [], name
        assert speaker.silent_frames(start, stall_to + 2 * S) == 0, name
        errors, wrong = off_ms(speaker, 1, state, start, stall_to + 2 * S)
        assert not wrong and percentile(errors, 0.99) < LIMIT_MS, (name, summary(errors))
    assert party.guests["guest-a"].playback.engine.buffer.late == 0


async def test_a_longer_stall_loses_only_that_guests_late_audio_and_it_is_back_within_1_s(ramps):
    party, stall_from, stall_to, state = await stalled_party(ramps, 3_000)
    start = state.effective_at_us + 20_000
    end = stall_to + 2.4 * S
    stalled, other = party.speakers["guest-a"], party.speakers["guest-b"]
    # The other guest (and the host) never noticed.
    for speaker in (party.speakers["host"], other):
        assert speaker.breaks(start, end) == [], speaker.name
        errors, wrong = off_ms(speaker, 1, state, start, end)
        assert not wrong and percentile(errors, 0.99) < LIMIT_MS, (speaker.name, summary(errors))
    # The stalled guest fell silent once its buffer ran out ...
    assert stalled.silent_frames(stall_from, stall_to) > 0
    back = stalled.first_sound_us(stall_to - 500_000)
    silence_from = switch_us(stalled, stall_from, stall_to, lambda frame, t: frame is None)
    back = stalled.first_sound_us(silence_from)
    message = (f"silent {(silence_from - stall_from) / 1000:.0f} ms into the stall, "
               f"sounding again {(back - stall_to) / 1000:.0f} ms after the link came back")
    print("\n" + message)
    assert back - stall_to <= 1 * S, message
    # ... and whatever it played, before, during and after, was in time: never late audio.
    t, errors = start, []
    while t < end:
        heard = stalled.position_at(t)
        if heard is not None:
            assert heard[0] == 1, (t, heard)
            errors.append(abs(heard[1] - expected_position(state, t)) / FRAMES_PER_US / 1000)
        t += 10_000
    assert max(errors) < 5 * LIMIT_MS and percentile(errors, 0.99) < LIMIT_MS, summary(errors)
    # In step and on without a break from a chunk after its return.
    assert stalled.breaks(back + 40_000, end) == [], message


# -- every codec -----------------------------------------------------------------------------------
@pytest.mark.parametrize("codec", ["opus", "flac", "pcm"])
async def test_every_codec_plays_in_sync(ramps, tmp_path, codec):
    if codec == "opus":             # lossy: a tone, compared with the host's by correlation
        song = write(tmp_path / "song", "wav", seconds=8.0, rate=48_000)
    else:
        song = ramps[1]
    party = await started(codec, GUEST_A)
    try:
        await party.playback.add_file(song)
        party.playback.play()
        state = party.playback.state
        await wait_until(lambda: party.now_us() > state.effective_at_us + 3.2 * S,
                         what="3 s of music")
    finally:
        await party.close()
    host, guest = party.speakers["host"], party.speakers["guest-a"]
    start, end = state.effective_at_us + 200_000, state.effective_at_us + 3 * S
    if codec != "opus":
        errors = distances_ms(host, guest, start, end)
        assert len(errors) > 200 and percentile(errors, 0.99) < LIMIT_MS, summary(errors)
        assert guest.breaks(start, end) == []
        return
    # Where the guest's speaker best matches the host's (a 100 ms-periodic tone: no alias
    # within the 5 ms searched), at several instants: within a millisecond, and well matched.
    for at in (start, start + 1 * S, start + 2 * S):
        reference = host.left_samples(at, 4800)
        heard = guest.left_samples(at - 5_000, 4800 + 480)
        assert len(reference) == 4800 and len(heard) == 5280
        scores = {shift: correlation(reference, heard[240 + shift:240 + shift + 4800])
                  for shift in range(-240, 241, 4)}
        best = max(scores, key=scores.get)
        assert scores[best] > 0.95 and abs(best) <= 48, (best, scores[best])


# -- files that cannot be played -------------------------------------------------------------------
async def test_a_damaged_or_vanished_file_is_skipped_with_a_clear_message_and_the_party_goes_on(
        ramps, tmp_path):
    truncated = write(tmp_path / "Broken Song", "flac", seconds=6.0, rate=48_000)
    with open(truncated, "r+b") as f:
        f.truncate(os.path.getsize(truncated) // 3)      # the first second or two is left
    vanished = tmp_path / "gone.wav"
    write_test_tone(vanished, 3, mark=5)
    party = await started("pcm", GUEST_A)
    skipped = []
    party.playback.skipped.add(skipped.append)
    try:
        await party.playback.add_file(ramps[3])          # 2 s
        await party.playback.add_file(truncated)
        await party.playback.add_file(vanished)
        await party.playback.add_file(ramps[2])
        vanished.unlink()
        party.playback.play()
        await wait_until(lambda: len(skipped) == 2 and party.playback.state.index == 3,
                         what="both bad files skipped and the last track playing")
        state = party.playback.state
        await wait_until(lambda: party.now_us() > state.start_at_us + 1.5 * S,
                         what="a second of the last track")
    finally:
        await party.close()
    assert [s.title for s in skipped] == ["Broken Song", "gone"]
    assert skipped[0].message.startswith("Broken Song.flac: the file ends at 0:0")
    assert skipped[0].message.endswith("of 0:06: it is incomplete or damaged")
    assert skipped[1].message == "gone.wav: the file is not there any more"
    for name, speaker in party.speakers.items():
        errors, wrong = off_ms(speaker, 2, state, state.start_at_us + 20_000,
                               state.start_at_us + 1.4 * S)
        assert not wrong and percentile(errors, 0.99) < LIMIT_MS, (name, summary(errors))


# -- guests that do not play along -----------------------------------------------------------------
async def test_a_playback_1_guest_joins_sees_the_members_and_gets_no_stream(ramps):
    party = await started("pcm", GUEST_A)
    old = await RawGuest.connect(party.server.port)
    try:
        welcome = await old.join(SID, "old-phone", "Old Phone", features=["playback/1"])
        assert welcome["type"] == "WELCOME" and FEATURE in welcome["payload"]["features"]
        members = await old.expect("MEMBER_LIST")
        assert [m["id"] for m in members["payload"]["members"]] == \
            ["host", "guest-a", "old-phone"]
        await party.playback.add_file(ramps[1])
        party.playback.play()
        frames = []

        async def collect():
            while True:
                frames.append(await old.ws.recv())
        reader = asyncio.create_task(collect())
        await wait_until(lambda: len(party.guests["guest-a"].binary_frames) > 60,
                         what="the playing guest to get a second of chunks")
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
        assert not [f for f in frames if isinstance(f, bytes)]
        assert not [f for f in frames if '"STREAM_' in f or '"PLAYER_STATE"' in f]
        assert old.ws.state.name == "OPEN"
    finally:
        await old.close()
        await party.close()


async def test_malformed_stream_frames_either_way_change_nothing(ramps):
    party = await started("pcm", GUEST_A)
    try:
        await party.playback.add_file(ramps[1])
        party.playback.play()
        state = party.playback.state
        await wait_until(lambda: party.now_us() > state.effective_at_us + 0.5 * S,
                         what="music")
        guest = party.guests["guest-a"].playback
        # From the host's side: frames no host should send reach the guest's playback.
        now = party.now_us()
        bad_binary = [b"", b"\x04", b"\x05" + bytes(20), pack_chunk(int(now), b"\x01" * 17, 0),
                      pack_chunk(int(now + 300_000), os.urandom(3840), 0)[:100]]
        bad_text = ['{"type":"STREAM_START","payload":{"codec":"mp3"}}',
                    '{"type":"STREAM_CLEAR","payload":{"fromUs":"soon"}}',
                    '{"type":"STREAM_CLEAR","payload":[]}', '{"type":"STREAM_',
                    '{"type":"STREAM_END"']
        before = guest.bad_chunks
        for frame in bad_binary + bad_text:
            guest.on_frame(frame, now)
        assert guest.bad_chunks - before == len(bad_binary)
        assert guest.stream is not None and guest.stream.codec == "pcm"
        # From a guest's side: binary and stream messages a guest has no business sending.
        raw = await RawGuest.connect(party.server.port)
        assert (await raw.join(SID, "rogue", features=[FEATURE]))["type"] == "WELCOME"
        for frame in [b"\x04" + bytes(30), os.urandom(200),
                      '{"type":"STREAM_CLEAR","payload":{"fromUs":0}}',
                      '{"type":"STREAM_START","payload":{}}']:
            try:
                await raw.send_raw(frame)
            except Exception:   # noqa: BLE001 - the host may close a rogue's connection
                break
        await asyncio.sleep(1.0)
        await raw.close()
        done = party.now_us()
    finally:
        await party.close()
    for name, speaker in party.speakers.items():
        assert speaker.breaks(state.effective_at_us + 20_000, done) == [], name
        errors, wrong = off_ms(speaker, 1, state, state.effective_at_us + 20_000, done)
        assert not wrong and percentile(errors, 0.99) < LIMIT_MS, (name, summary(errors))
    assert party.playback.state.seq == state.seq

