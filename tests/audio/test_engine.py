"""PlaybackEngine: what one device's sound card plays, period by period, from the stream.

Chunks go in with ``push(stamp, pcm)`` (on the event loop) and come out of ``render`` on the
audio thread at the timeline frame their stamp names, through a real JitterBuffer and
StreamScheduler. The PCM is a ramp: every output frame says which stream frame it is.
"""

import array

import pytest

from loudsync_desktop.audio.engine import MAX_INBOX, PlaybackEngine, scale, silence
from loudsync_desktop.protocol.playback import PlayState
from loudsync_desktop.protocol.stream import CHUNK_FRAMES, FRAME_BYTES, chunk_us

from .helpers import lefts, paused, playing, track

T = track()
CHUNK_US = int(chunk_us())              # 20 ms


def chunk_pcm(first_frame: int) -> bytes:
    """One chunk whose left samples count from ``first_frame`` (mod 32768), right = 7."""
    pcm = array.array("h", bytes(CHUNK_FRAMES * FRAME_BYTES))
    pcm[0::2] = array.array("h", [(first_frame + i) % 32768 for i in range(CHUNK_FRAMES)])
    pcm[1::2] = array.array("h", [7]) * CHUNK_FRAMES
    return pcm.tobytes()


def push_stream(engine: PlaybackEngine, from_us: int, chunks: int, first_frame: int = 0) -> None:
    """Chunks stamped from host time ``from_us`` on, carrying frames from ``first_frame``."""
    for k in range(chunks):
        engine.push(from_us + k * CHUNK_US, chunk_pcm(first_frame + k * CHUNK_FRAMES))


def engine_with(**kwargs) -> tuple[PlaybackEngine, list]:
    engine = PlaybackEngine(**kwargs)
    periods = []
    engine.on_period = lambda period, host_us: periods.append((period, host_us))
    return engine, periods


def test_scale_applies_the_volume_squared():
    samples = array.array("h", [1000, -1000, 32767, -32768])
    assert scale(samples, 1.0) is samples
    assert list(scale(samples, 0.5)) == [250, -250, 8191, -8192]
    assert list(scale(samples, 0.0)) == [0, 0, 0, 0]
    assert list(scale(samples, -3)) == [0, 0, 0, 0]


def test_render_plays_the_chunk_frames_that_belong_at_the_instant_they_leave():
    engine, periods = engine_with()
    push_stream(engine, 0, 20)                         # the stream from host time 0
    out = engine.render(960, 100_000)                  # 0.1 s in: stream frame 4800
    assert len(out) == 960 * FRAME_BYTES and lefts(out) == list(range(4800, 5760))
    (period, host_us), = periods
    assert (period.start, period.resynced, period.filled, host_us) == (4800, True, 960, 100_000)
    # The next period continues where this one ended, without a correction.
    assert lefts(engine.render(960, 120_000)) == list(range(5760, 6720))
    assert periods[-1][0].correction == 0 and engine.sync_error_ms == 0
    assert engine.played_frames == 1920


def test_a_period_across_two_chunks_is_seamless():
    engine, _ = engine_with()
    push_stream(engine, 0, 5)
    assert lefts(engine.render(700, 10_000)) == list(range(480, 1180))   # chunks 0 and 1


def test_render_corrects_a_device_that_runs_ahead_by_repeating_frames():
    engine, periods = engine_with()
    push_stream(engine, 0, 20)
    engine.render(960, 100_000)
    # This period leaves 1 ms earlier than the last one's length says: 48 frames ahead.
    out = lefts(engine.render(960, 120_000 - 1_000))
    assert engine.sync_error_ms == pytest.approx(1.0)
    assert periods[-1][0].correction == -2
    assert out[:480] == list(range(5760, 6240)) and out[480:] == list(range(6238, 6718))


def test_render_corrects_a_device_that_runs_behind_by_dropping_frames():
    engine, periods = engine_with()
    push_stream(engine, 0, 20)
    engine.render(960, 100_000)
    out = lefts(engine.render(960, 120_000 + 1_000))
    assert periods[-1][0].correction == 2
    assert out[:480] == list(range(5760, 6240)) and out[480:] == list(range(6242, 6722))


def test_where_the_stream_has_no_chunk_it_is_silence_and_it_keeps_its_place():
    engine, periods = engine_with()
    push_stream(engine, 0, 2)                          # frames 0..1919, then a hole
    push_stream(engine, 3 * CHUNK_US, 2, first_frame=3 * CHUNK_FRAMES)
    out = engine.render(960, 30_000)                   # frames 1440..2399
    assert lefts(out)[:480] == list(range(1440, 1920)) and out[480 * 4:] == silence(480)
    assert periods[-1][0].filled == 480
    out = engine.render(960, 50_000)                   # frames 2400..3359: hole, then chunk 3
    assert out[:480 * 4] == silence(480) and lefts(out)[480:] == list(range(2880, 3360))


def test_a_chunk_that_arrives_late_is_dropped_and_the_rest_plays():
    engine, _ = engine_with()
    engine.render(960, 100_000)                        # time has moved on to 0.1 s
    push_stream(engine, 0, 10)
    out = engine.render(960, 120_000)                  # taken in now: chunks 0..5 have ended
    assert lefts(out) == list(range(5760, 6720))
    assert engine.buffer.late == 6


def test_clear_drops_what_is_held_from_its_instant_and_the_new_chunks_play_there():
    """A seek: STREAM_CLEAR from the switch on, then chunks of the new position. The content
    jumps at the switch; the scheduler does not need to move (same timeline)."""
    engine, periods = engine_with()
    push_stream(engine, 0, 30)
    engine.render(960, 100_000)
    switch = 200_000                                   # a chunk boundary: stream frame 9600
    engine.clear(switch)
    push_stream(engine, switch, 10, first_frame=20_000)   # the new position
    heard = b"".join(engine.render(960, 120_000 + k * CHUNK_US) for k in range(8))
    samples = lefts(heard)                             # frames 5760 .. 13439
    assert samples[:9600 - 5760] == list(range(5760, 9600))
    assert samples[9600 - 5760:] == list(range(20_000, 20_000 + 13440 - 9600))
    assert not any(p.resynced for p, _ in periods[1:]) and engine.scheduler.last_error_frames == 0


def test_clear_of_everything_is_silence_until_new_chunks():
    engine, _ = engine_with()
    push_stream(engine, 0, 30)
    engine.render(960, 100_000)
    engine.clear()
    assert engine.render(960, 120_000) == silence(960)
    push_stream(engine, 140_000, 2, first_frame=100)
    assert lefts(engine.render(960, 140_000)) == list(range(100, 1060))


def test_silence_until_ready_then_straight_to_the_right_place():
    engine, periods = engine_with()
    push_stream(engine, 0, 20)
    engine.ready = lambda: False
    assert engine.render(960, 100_000) == silence(960) and periods == []
    engine.ready = lambda: True                        # what arrived waited in the inbox
    assert lefts(engine.render(960, 200_000)) == list(range(9600, 10560))
    assert periods[0][0].resynced


def test_the_clock_mapping_output_delay_and_volume_apply():
    # The device's clock is 5 s behind the host's; its speaker adds 10 ms.
    engine, periods = engine_with(to_host_us=lambda local: local + 5_000_000, output_delay_ms=10)
    engine.state = playing(T, start_at_us=5_000_000, volume=0.5)
    push_stream(engine, 5_000_000, 20)
    out = array.array("h", engine.render(960, 100_000))
    assert periods[0][1] == 5_110_000                  # asks for what belongs 10 ms later
    assert list(out[0::2][:3]) == [int(x * 0.25) for x in (5280, 5281, 5282)]
    assert list(out[1::2][:3]) == [1, 1, 1]            # 7 * 0.25


def test_a_volume_change_applies_from_its_effective_instant():
    engine, _ = engine_with()
    push_stream(engine, 0, 20)
    engine.state = playing(T, start_at_us=0, volume=1.0, seq=1)
    engine.state = playing(T, start_at_us=0, volume=0.5, seq=2, effective_at_us=140_000)
    assert lefts(engine.render(960, 100_000))[:2] == [4800, 4801]
    assert lefts(engine.render(960, 120_000))[:2] == [5760, 5761]
    assert lefts(engine.render(960, 140_000))[:2] == [6720 // 4, 6721 // 4]


def test_a_later_state_supersedes_one_that_would_only_have_started_after_it():
    engine, _ = engine_with()
    first = playing(T, start_at_us=0, seq=1)
    engine.state = first
    engine.state = paused(T, 0, seq=2, effective_at_us=200_000)
    seek = playing(T, start_at_us=-50_000, seq=3, effective_at_us=150_000)
    engine.state = seek
    assert engine.state is seek and engine._states == [first, seek]


def test_nothing_to_play_is_silence():
    engine, periods = engine_with()
    assert engine.render(480, 0) == silence(480)
    engine.state = PlayState((T,), 0, False, position_ms=10, seq=1)
    assert engine.render(480, 1_000_000) == silence(480)
    assert all(p.filled == 0 for p, _ in periods) and engine.played_frames == 0


def test_a_bad_chunk_is_refused_and_changes_nothing_else():
    engine, _ = engine_with()
    push_stream(engine, 0, 10)
    engine.push(100_000, b"\x01" * 10)                 # not one chunk of PCM
    assert lefts(engine.render(960, 100_000)) == list(range(4800, 5760))
    assert engine.buffer.refused == 1


def test_the_hand_over_is_bounded_when_nobody_plays():
    engine, _ = engine_with()
    push_stream(engine, 0, MAX_INBOX + 50)
    assert len(engine._inbox) == MAX_INBOX             # the oldest went first


def test_set_lead_bounds_the_buffer_to_the_lead_and_its_margin():
    engine, _ = engine_with()
    engine.set_lead(200_000)
    engine.render(960, 0)
    assert engine.buffer.capacity == (200_000 + 500_000) // CHUNK_US
    push_stream(engine, 0, 100)
    engine.render(960, 20_000)
    assert len(engine.buffer) == engine.buffer.capacity and engine.buffer.refused > 0
