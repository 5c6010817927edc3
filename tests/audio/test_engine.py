"""PlaybackEngine and its helpers: what one device's sound card plays, period by period."""

import array

import pytest

from loudsync_desktop.audio.engine import (PlaybackEngine, apply_correction, frames_of, scale,
                                           silence)
from loudsync_desktop.audio.library import TrackLibrary
from loudsync_desktop.protocol.playback import PlayState, Period

from .helpers import FRAME_US, lefts, paused, playing, ramp, track

T = track()
PCM = ramp(20_000)          # 0.42 s: left sample = source frame, right = 7


def engine_with(pcm=PCM, **kwargs) -> tuple[PlaybackEngine, list]:
    library = TrackLibrary()
    library.add_complete(T.track_id, b"", pcm)
    engine = PlaybackEngine(library, **kwargs)
    periods = []
    engine.on_period = lambda period, host_us, offset: periods.append((period, host_us, offset))
    return engine, periods


# -- frames_of, apply_correction, scale -----------------------------------------------------------
def test_frames_of_pads_with_silence_before_the_start_and_after_the_end():
    pcm = ramp(10)
    assert lefts(frames_of(pcm, 2, 3)) == [2, 3, 4]
    out = frames_of(pcm, -3, 6)
    assert lefts(out) == [0, 0, 0, 0, 1, 2] and list(out[1::2]) == [0, 0, 0, 7, 7, 7]
    out = frames_of(pcm, 8, 5)
    assert lefts(out) == [8, 9, 0, 0, 0] and list(out[1::2]) == [7, 7, 0, 0, 0]
    assert lefts(frames_of(pcm, -5, 20)) == [0] * 5 + list(range(10)) + [0] * 5
    for start, count in ((-10, 4), (10, 4), (50, 4)):
        assert frames_of(pcm, start, count).tobytes() == silence(count)
    assert frames_of(None, 0, 4).tobytes() == silence(4)
    assert len(frames_of(pcm, 3, 0)) == 0


def test_a_correction_drops_or_repeats_exactly_one_frame_mid_way():
    pcm = ramp(100)
    assert lefts(apply_correction(pcm, Period("t", 10, 8, 0))) == list(range(10, 18))
    # Drop (+1): frame 14 is never played; the period still has 8 frames.
    assert lefts(apply_correction(pcm, Period("t", 10, 8, 1))) == [10, 11, 12, 13, 15, 16, 17, 18]
    # Repeat (-1): frame 13 is played twice.
    assert lefts(apply_correction(pcm, Period("t", 10, 8, -1))) == [10, 11, 12, 13, 13, 14, 15, 16]
    assert lefts(apply_correction(pcm, Period("t", 10, 8, 2))) == [10, 11, 12, 13, 16, 17, 18, 19]
    # A one-frame part (a period split right before its end) can still be corrected.
    assert lefts(apply_correction(pcm, Period("t", 10, 1, 1))) == [11]
    assert lefts(apply_correction(pcm, Period("t", 10, 1, -1))) == [9]
    # Near the ends the padding still applies.
    assert lefts(apply_correction(pcm, Period("t", 96, 6, 1))) == [96, 97, 98, 0, 0, 0]


def test_scale_applies_the_volume_squared():
    samples = array.array("h", [1000, -1000, 32767, -32768])
    assert scale(samples, 1.0) is samples
    assert list(scale(samples, 0.5)) == [250, -250, 8191, -8192]
    assert list(scale(samples, 0.0)) == [0, 0, 0, 0]
    assert list(scale(samples, -3)) == [0, 0, 0, 0]


# -- render ----------------------------------------------------------------------------------------
def test_render_plays_the_frames_that_belong_at_the_instant_they_leave():
    engine, periods = engine_with()
    engine.state = playing(T, start_at_us=0)
    out = engine.render(960, 100_000)                  # 0.1 s in: frame 4800
    assert len(out) == 960 * 4 and lefts(out) == list(range(4800, 5760))
    (period, host_us, offset), = periods
    assert (period.start, period.resynced, host_us, offset) == (4800, True, 100_000, 0)
    # The next period continues where this one ended, without a correction.
    assert lefts(engine.render(960, 120_000)) == list(range(5760, 6720))
    assert periods[-1][0].correction == 0 and engine.sync_error_ms == 0


def test_render_corrects_a_device_that_runs_ahead_by_repeating_frames():
    engine, periods = engine_with()
    engine.state = playing(T, start_at_us=0)
    engine.render(960, 100_000)
    # This period leaves 1 ms earlier than the last one's length says: 48 frames ahead.
    out = lefts(engine.render(960, 120_000 - 1_000))
    assert engine.sync_error_ms == pytest.approx(1.0)
    assert periods[-1][0].correction == -2
    assert out[:480] == list(range(5760, 6240)) and out[480:] == list(range(6238, 6718))


def test_render_splits_a_period_exactly_at_the_effective_instant():
    engine, periods = engine_with()
    engine.state = playing(T, start_at_us=0, seq=1)
    # A seek to 150 ms, effective 2.5 ms (exactly 120 frames) into the next period.
    engine.state = playing(T, start_at_us=-47_500, seq=2, effective_at_us=102_500)
    out = lefts(engine.render(960, 100_000))
    assert out[:120] == list(range(4800, 4920))
    assert out[120:] == list(range(7200, 8040))        # (102.5 ms + 47.5 ms) * 48 kHz
    assert [(p.start, p.count, p.resynced, offset) for p, _, offset in periods] == \
        [(4800, 120, True, 0), (7200, 840, True, 120)]
    assert periods[1][1] == 102_500


@pytest.mark.parametrize("after_us, split", [(0, 0), (1, 1), (FRAME_US, 1), (FRAME_US + 0.01, 2),
                                            (2_510, 121), (19_970, 959),
                                            (19_990, None), (20_000, None)])
def test_the_new_state_starts_at_the_first_frame_at_or_after_its_instant(after_us, split):
    engine, periods = engine_with()
    engine.state = playing(T, start_at_us=0, seq=1)
    engine.state = paused(T, 0, seq=2, effective_at_us=100_000 + after_us)
    out = engine.render(960, 100_000)
    samples = lefts(out)
    if split is None:   # the switch is in the next period
        assert samples == list(range(4800, 5760))
        return
    assert samples[:split] == list(range(4800, 4800 + split))
    assert out[split * 4:] == silence(960 - split)     # paused: silence from the switch
    assert [offset for _, _, offset in periods] == ([0] if split == 0 else [0, split])


def test_several_switches_in_one_period():
    engine, periods = engine_with()
    engine.state = playing(T, start_at_us=0, seq=1)
    engine.state = playing(T, start_at_us=-100_000, seq=2, effective_at_us=102_500)   # seek +100 ms
    engine.state = paused(T, 200, seq=3, effective_at_us=110_000)                     # pause
    out = engine.render(960, 100_000)
    assert [offset for _, _, offset in periods] == [0, 120, 480]
    samples = lefts(out)
    assert samples[:120] == list(range(4800, 4920))
    assert samples[120:480] == list(range(9720, 10080))
    assert out[480 * 4:] == silence(480)


def test_a_later_state_supersedes_one_that_would_only_have_started_after_it():
    engine, _ = engine_with()
    first = playing(T, start_at_us=0, seq=1)
    engine.state = first
    engine.state = paused(T, 0, seq=2, effective_at_us=200_000)
    seek = playing(T, start_at_us=-50_000, seq=3, effective_at_us=150_000)
    engine.state = seek
    assert engine.state is seek and engine._states == [first, seek]
    # Up to 300 ms in: never paused, the seek applies from 150 ms.
    samples = lefts(engine.render(960, 140_000) + engine.render(960, 160_000) +
                    engine.render(960, 180_000))
    assert samples[:480] == list(range(6720, 7200))
    assert samples[480:] == list(range(9600, 9600 + 2400))


def test_silence_until_ready_then_straight_to_the_right_place():
    engine, periods = engine_with()
    engine.state = playing(T, start_at_us=0)
    engine.ready = lambda: False
    assert engine.render(960, 100_000) == silence(960) and periods == []
    engine.ready = lambda: True
    assert lefts(engine.render(960, 200_000)) == list(range(9600, 10560))
    assert periods[0][0].resynced


def test_the_clock_mapping_output_delay_and_volume_apply():
    # The device's clock is 5 s behind the host's; its speaker adds 10 ms.
    engine, periods = engine_with(to_host_us=lambda local: local + 5_000_000, output_delay_ms=10)
    engine.state = playing(T, start_at_us=5_000_000, volume=0.5)
    out = array.array("h", engine.render(960, 100_000))
    assert periods[0][1] == 5_110_000                   # asks for what belongs 10 ms later
    assert list(out[0::2][:3]) == [int(x * 0.25) for x in (5280, 5281, 5282)]
    assert list(out[1::2][:3]) == [1, 1, 1]             # 7 * 0.25


def test_a_track_still_decoding_plays_silence_but_keeps_its_place():
    engine = PlaybackEngine(TrackLibrary())
    engine.state = playing(T, start_at_us=0)
    assert engine.render(960, 100_000) == silence(960)
    engine.library.add_complete(T.track_id, b"", PCM)
    assert lefts(engine.render(960, 120_000)) == list(range(5760, 6720))


def test_nothing_to_play_is_silence():
    engine, periods = engine_with()
    assert engine.render(480, 0) == silence(480)
    engine.state = PlayState((T,), 0, False, position_ms=10, seq=1)
    assert engine.render(480, 1_000_000) == silence(480)
    assert all(p.track_id is None for p, _, _ in periods)
