"""The playback core: HostPlayer, wire messages, ClockSync (the stream's own parts: test_stream.py).

Pure and fast: ``now`` is a number the test chooses, nothing sleeps.
"""

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loudsync_desktop.protocol import playback as pb
from loudsync_desktop.protocol.clocksync import ClockFit, ClockSync, sample_from_exchange
from loudsync_desktop.protocol.errors import RemoteProtocolError
from loudsync_desktop.protocol.messages import INVALID_MESSAGE
from loudsync_desktop.protocol.playback import HostPlayer, PlayState, Track
from loudsync_desktop.protocol.stream import StreamScheduler

from .playback_helpers import (A, B, C, host_clock_exchanges, player_with, state_at,
                               track)

LEAD = pb.START_LEAD_US
S = 1_000_000  # one second in µs


def refused(call, *args):
    """The call raises RemoteProtocolError(INVALID_MESSAGE); its message."""
    with pytest.raises(RemoteProtocolError) as info:
        call(*args)
    assert info.value.code == INVALID_MESSAGE
    return info.value.message


# -- HostPlayer: the queue ---------------------------------------------------------------
def test_a_new_player_has_nothing_to_play():
    player = HostPlayer()
    s = player.state
    assert (s.queue, s.index, s.playing, s.seq, s.current) == ((), -1, False, 0, None)
    assert player.play(5 * S) is s and player.pause(5 * S) is s and player.seek(1, 5 * S) is s
    assert player.next(5 * S).playing is False and player.previous(5 * S).current is None


def test_add_queues_and_makes_the_first_track_current_without_moving_the_timeline():
    player = HostPlayer()
    first = player.add(A)
    assert (first.queue, first.index, first.playing, first.seq) == ((A,), 0, False, 1)
    assert first.effective_at_us == 0   # adding changes nothing audible: no new switch instant
    second = player.add(B)
    assert (second.queue, second.index, second.seq) == ((A, B), 0, 2)
    # While playing, adding keeps the current track and its timeline untouched.
    playing = player.play(10 * S)
    third = player.add(C)
    assert third.index == 0 and third.start_at_us == playing.start_at_us
    assert third.effective_at_us == playing.effective_at_us and third.seq == playing.seq + 1


def test_play_starts_a_lead_ahead_so_every_device_can_be_ready():
    player = player_with(A)
    s = player.play(10 * S)
    assert s.playing and s.start_at_us == 10 * S + LEAD and s.position_ms == 0
    assert s.effective_at_us == 10 * S + LEAD and s.seq == 2
    assert player.play(11 * S) is s   # already playing: nothing changes
    quick = player_with(A, lead_us=1000)
    assert quick.play(10 * S).start_at_us == 10 * S + 1000


def test_pause_keeps_the_position_where_the_music_is_at_the_switch():
    player = player_with(A)
    player.play(0)                                   # position 0 at 0.4 s
    s = player.pause(10 * S)                         # switch at 10.4 s: 10 s in
    assert not s.playing and s.position_ms == 10_000
    assert s.effective_at_us == 10 * S + LEAD
    assert player.pause(11 * S) is s
    # Play again: position 10 s plays a lead after pressing.
    s = player.play(20 * S)
    assert s.start_at_us == 20 * S + LEAD - 10_000_000
    assert s.position_us(20 * S + LEAD) == 10_000_000
    # Pausing before the start (pressed within the lead) stays at the resume position.
    s = player.pause(20 * S + 1000)
    assert s.position_ms == 10_001


def test_pause_is_clamped_to_the_track():
    player = player_with(track("short", 1_000))
    player.play(0)
    assert player.pause(5 * S).position_ms == 1_000
    # A pause whose switch comes before the music started (a state from a restarted
    # host, say) stays at 0, never negative.
    player = player_with(A)
    player.state = state_at(player.state, playing=True, start_at_us=50 * S)
    assert player.pause(10 * S).position_ms == 0


def test_seek_while_playing_and_while_paused():
    player = player_with(A)
    player.play(0)
    s = player.seek(60_000, 5 * S)
    assert s.playing and s.start_at_us == 5 * S + LEAD - 60 * S
    assert s.position_us(5 * S + LEAD) == 60 * S and s.effective_at_us == 5 * S + LEAD
    s = player.seek(10 ** 9, 6 * S)                   # past the end: the end
    assert s.position_us(6 * S + LEAD) == A.duration_ms * 1000
    s = player.seek(-5, 7 * S)                        # before the start: the start
    assert s.position_us(7 * S + LEAD) == 0
    player.pause(8 * S)
    s = player.seek(42_000, 9 * S)
    assert not s.playing and s.position_ms == 42_000 and s.effective_at_us == 9 * S + LEAD
    assert HostPlayer().seek(1_000, 0).seq == 0       # nothing to seek in


def test_next_jumps_to_the_start_of_the_next_track_and_stops_after_the_last():
    player = player_with(A, B)
    player.play(0)
    s = player.next(5 * S)
    assert (s.index, s.playing, s.position_ms) == (1, True, 0)
    assert s.start_at_us == s.effective_at_us == 5 * S + LEAD
    s = player.next(6 * S)                            # no next track: stop, back to its start
    assert (s.index, s.playing, s.position_ms) == (1, False, 0)
    assert s.effective_at_us == 6 * S + LEAD
    # Paused, next moves on and stays paused.
    player = player_with(A, B)
    s = player.next(1 * S)
    assert (s.index, s.playing, s.position_ms) == (1, False, 0)


def test_previous_restarts_a_track_after_3_s_and_goes_back_a_track_within_them():
    player = player_with(A, B)
    player.jump(1, 0)
    player.play(0)                                    # B's position 0 at 0.4 s
    s = player.previous(LEAD + 2_900_000)             # 2.9 s in: back to A
    assert (s.index, s.position_ms, s.playing) == (0, 0, True)
    assert s.start_at_us == LEAD + 2_900_000 + LEAD
    player.jump(1, 10 * S)                            # B again, from 10.4 s
    s = player.previous(10 * S + LEAD + 3_100_000)    # 3.1 s in: restart B
    assert (s.index, s.playing) == (1, True)
    assert s.position_us(s.effective_at_us) == 0
    # On the first track, previous always restarts it.
    player = player_with(A, B)
    player.play(0)
    s = player.previous(LEAD + 1_000_000)
    assert s.index == 0 and s.position_us(s.effective_at_us) == 0
    # Paused: the paused position decides.
    player = player_with(A, B)
    player.jump(1, 0)
    player.seek(5_000, 0)
    assert player.previous(99 * S).index == 1          # 5 s in: restart
    player.seek(1_000, 0)
    assert player.previous(99 * S).index == 0          # 1 s in: previous track
    assert HostPlayer().previous(0).seq == 0


def test_jump_to_any_track_and_ignore_a_bad_index():
    player = player_with(A, B, C)
    player.play(0)
    s = player.jump(2, 3 * S)
    assert (s.index, s.playing, s.position_ms, s.start_at_us) == (2, True, 0, 3 * S + LEAD)
    for bad in (-1, 3, 99):
        assert player.jump(bad, 4 * S) is s


def test_remove_the_current_track_plays_the_one_that_takes_its_place():
    player = player_with(A, B, C)
    player.play(0)
    s = player.remove(A.track_id, 5 * S)
    assert s.queue == (B, C) and (s.index, s.playing) == (0, True)
    assert s.current == B and s.start_at_us == s.effective_at_us == 5 * S + LEAD
    # Removing the current track when it is the last: the queue has ended, so it stops.
    player.jump(1, 6 * S)
    s = player.remove(C.track_id, 7 * S)
    assert s.queue == (B,) and s.current == B and not s.playing
    # Removing the only track stops.
    s = player.remove(B.track_id, 8 * S)
    assert (s.queue, s.index, s.playing, s.current) == ((), -1, False, None)


def test_remove_another_track_keeps_the_current_one_in_place():
    player = player_with(A, B, C)
    player.jump(1, 0)
    playing = player.play(0)
    s = player.remove(A.track_id, 5 * S)              # before the current: index shifts
    assert s.queue == (B, C) and s.index == 0 and s.current == B
    assert s.start_at_us == playing.start_at_us and s.effective_at_us == playing.effective_at_us
    s = player.remove(C.track_id, 6 * S)              # after it
    assert s.queue == (B,) and s.current == B and s.start_at_us == playing.start_at_us
    assert player.remove("no-such-track", 7 * S) is s


def test_set_volume_is_clamped_and_keeps_the_timeline():
    player = player_with(A)
    playing = player.play(0)
    s = player.set_volume(0.25)
    assert s.volume == 0.25 and s.seq == playing.seq + 1
    assert s.start_at_us == playing.start_at_us and s.effective_at_us == playing.effective_at_us
    assert player.set_volume(7).volume == 1.0 and player.set_volume(-1).volume == 0.0


def test_every_change_takes_effect_a_lead_after_it_was_made():
    player = player_with(A, B, C)
    now = 1_000_000
    for command in [player.play, lambda at: player.seek(5_000, at), player.next,
                    player.previous, lambda at: player.jump(2, at), player.pause,
                    lambda at: player.remove(C.track_id, at)]:
        before = player.state.seq
        s = command(now)
        assert s.seq == before + 1 and s.effective_at_us == now + LEAD
        now += 7 * S


def test_advance_moves_gaplessly_to_the_next_track_at_the_instant_the_stream_found():
    # The stream found A's last frame at `end` (its decoded length, not the tag's duration).
    player = player_with(A, B, C)
    player.play(0)
    end = 123_456_789
    t = player.advance(end)
    assert (t.index, t.playing, t.position_ms, t.start_at_us) == (1, True, 0, end)
    assert t.effective_at_us == end                   # every device switches at the boundary
    # Past a track that could not be played: straight to the one given.
    t = player.advance(end + 5 * S, index=2)
    assert (t.index, t.start_at_us, t.effective_at_us) == (2, end + 5 * S, end + 5 * S)


def test_advance_past_the_end_of_the_queue_finishes():
    player = player_with(A)
    player.play(0)
    t = player.advance(7 * S)
    assert (t.playing, t.position_ms, t.index, t.effective_at_us) == (False, 0, 0, 7 * S)
    t = player_with(A, B).advance(7 * S, index=5)
    assert not t.playing and t.effective_at_us == 7 * S


def test_finish_stops_at_the_end_back_at_the_last_tracks_start():
    player = player_with(A, B)
    player.play(0)
    player.jump(1, S)
    before = player.state.seq
    t = player.finish(9 * S)
    assert (t.playing, t.position_ms, t.index) == (False, 0, 1)
    assert t.effective_at_us == 9 * S and t.seq == before + 1



# -- PlayState and Track on the wire -----------------------------------------------------------
def test_track_round_trips():
    for t in (A, B, Track("x" * 20, "Zoë 🎧", "", 0, 0, "")):
        assert Track.from_wire(json.loads(json.dumps(t.to_wire()))) == t
    assert Track.from_wire({**A.to_wire(), "format": 3}).format == ""   # optional: ignored
    assert Track.from_wire({k: v for k, v in A.to_wire().items() if k != "format"}).format == ""


@pytest.mark.parametrize("change", [
    {"trackId": None}, {"trackId": 5}, {"title": None}, {"artist": []},
    {"durationMs": "1"}, {"durationMs": 1.5}, {"durationMs": True},
    {"size": -1}, {"size": pb.MAX_TRACK_BYTES + 1}, {"size": "3"}, {"size": 2 ** 60},
    {"trackId": "x" * 1000},
])
def test_track_refuses_malformed_fields(change):
    refused(Track.from_wire, {**A.to_wire(), **change})


@pytest.mark.parametrize("obj", [None, [], "track", 3])
def test_a_track_must_be_an_object(obj):
    refused(Track.from_wire, obj)


def test_play_state_round_trips():
    player = player_with(A, B)
    states = [player.state, player.play(S), player.set_volume(0.5), player.next(2 * S),
              player.pause(3 * S), player.jump(0, 4 * S)]
    for s in states:
        wire = json.loads(pb.player_state(s))
        assert wire["type"] == pb.PLAYER_STATE
        back = PlayState.from_wire(wire["payload"])
        # A paused state does not carry its start instant: it has none.
        assert back == (s if s.playing else state_at(s, start_at_us=0))
        assert ("startAtUs" in wire["payload"]) == s.playing


def test_play_state_reads_leniently_what_is_optional():
    base = player_with(A).play(S).to_wire()
    assert PlayState.from_wire({**base, "volume": 5}).volume == 1.0
    assert PlayState.from_wire({**base, "volume": -1}).volume == 0.0
    assert PlayState.from_wire({k: v for k, v in base.items() if k != "volume"}).volume == 1.0
    assert PlayState.from_wire({k: v for k, v in base.items()
                                if k != "effectiveAtUs"}).effective_at_us == 0
    # Only a literal true plays.
    for not_true in (1, "true", None):
        assert not PlayState.from_wire({**base, "playing": not_true}).playing


@pytest.mark.parametrize("change", [
    {"queue": None}, {"queue": {}}, {"queue": [1]}, {"queue": [{"trackId": "a"}]},
    {"index": None}, {"index": "0"}, {"index": 0.5},
    {"positionMs": None}, {"seq": None}, {"seq": 2 ** 60},
    {"volume": "loud"}, {"volume": True}, {"volume": None},
    {"startAtUs": None}, {"startAtUs": "soon"},
    {"effectiveAtUs": "now"}, {"effectiveAtUs": None},
])
def test_play_state_refuses_malformed_payloads(change):
    base = player_with(A).play(S).to_wire()
    refused(PlayState.from_wire, {**base, **change})


def test_clock_messages():
    assert json.loads(pb.clock_ping(12)) == {"type": "CLOCK_PING", "payload": {"t0": 12}}
    pong = json.loads(pb.clock_pong(1, 2, 3))
    assert pong["type"] == pb.CLOCK_PONG and pb.parse_clock_pong(pong["payload"]) == (1, 2, 3)
    for bad in ({}, {"t0": 1, "t1": 2}, {"t0": "1", "t1": 2, "t2": 3},
                {"t0": 1.0, "t1": 2, "t2": 3}):
        refused(pb.parse_clock_pong, bad)


# -- StreamScheduler: which timeline frames a sound card plays next ------------------------------
# desired frame = the instant the period's first frame leaves the speaker, on the host's
# timeline, x 48 kHz (what PlaybackEngine.render asks for).
AT_1S = 48_000.0


def test_the_first_period_lands_exactly_where_it_belongs():
    sched = StreamScheduler()
    p = sched.plan(AT_1S, 960)
    assert (p.start, p.count, p.correction, p.resynced, p.error_frames) == (48_000, 960, 0, True, 0)
    # In step afterwards: no correction, just the next frames.
    p = sched.plan(AT_1S + 960, 960)
    assert (p.start, p.correction, p.resynced, p.error_frames) == (48_960, 0, False, 0)


@pytest.mark.parametrize("frames_off, expected", [
    (0.4, 0), (1, -1), (2, -2), (3, -2), (400, -2),      # ahead: repeat (negative)
    (-1, 1), (-2, 2), (-3, 2), (-400, 2),                # behind: drop (positive)
])
def test_corrections_go_against_the_error_within_the_budget(frames_off, expected):
    sched = StreamScheduler()
    sched.plan(AT_1S, 960)
    # The next period leaves earlier than the read position assumes: the device is ahead.
    p = sched.plan(AT_1S + 960 - frames_off, 960)
    assert p.error_frames == pytest.approx(frames_off)
    assert not p.resynced and p.correction == expected and p.start == 48_960
    assert sched.last_error_frames == pytest.approx(frames_off)
    # The read position moves on by what was played: count + correction timeline frames.
    following = sched.plan(AT_1S + 2 * 960 - frames_off, 960)
    assert following.start == 48_960 + 960 + expected


@pytest.mark.parametrize("count, budget", [(1, 1), (100, 1), (480, 1), (959, 1), (960, 2),
                                           (1024, 2), (4800, 10)])
def test_the_budget_is_one_frame_per_10_ms(count, budget):
    sched = StreamScheduler()
    sched.plan(AT_1S, count)
    assert sched.plan(AT_1S + count - 100, count).correction == -budget
    sched = StreamScheduler()
    sched.plan(AT_1S, count)
    assert sched.plan(AT_1S + count + 100, count).correction == budget


def test_an_error_over_10_ms_jumps_at_once():
    for off, resync in ((480, False), (481, True), (-480, False), (-481, True)):
        sched = StreamScheduler()
        sched.plan(AT_1S, 960)
        p = sched.plan(AT_1S + 960 - off, 960)
        assert p.resynced == resync, off
        if resync:
            assert p.correction == 0 and p.start == 48_960 - off
            assert p.error_frames == pytest.approx(off)
            assert sched.last_error_frames == 0   # in place again


def test_restart_forgets_the_read_position():
    sched = StreamScheduler()
    sched.plan(AT_1S, 960)
    sched.plan(AT_1S + 960 - 3, 960)     # 3 frames ahead: would be slewed ...
    sched.restart()
    p = sched.plan(AT_1S + 5_000.2, 960)  # ... but after a restart it lands exactly
    assert p.resynced and p.start == 53_000 and p.correction == 0


def test_the_scheduler_follows_a_sound_card_whose_crystal_is_off():
    # A card 200 ppm fast plays 48 009.6 frames a second: one repeat every ~2.6 periods
    # keeps it within a frame of the timeline, without ever jumping.
    for ppm in (200, -200, 1000):
        sched = StreamScheduler()
        rate = 48_000 * (1 + ppm / 1e6)
        worst, corrections = 0.0, 0
        for k in range(3000):                          # a minute
            p = sched.plan(AT_1S + k * 960 / rate * 48_000, 960)
            if k:
                assert not p.resynced
                worst = max(worst, abs(p.error_frames))
                corrections += p.correction
        # Within half a frame plus what the card gains in one period.
        assert worst <= 0.5 + abs(ppm) * 960 / 1e6 + 1e-9
        # What was dropped or repeated is exactly the card's excess.
        assert corrections == pytest.approx(-3000 * 960 * ppm / 1e6 / (1 + ppm / 1e6), abs=2)


def test_the_timeline_does_not_lose_a_frame_over_hours():
    # Host time in µs since an epoch: frames near 8e13 still line up to the frame.
    sched = StreamScheduler()
    base = 1_760_000_000_000_000 * 48_000 / 1e6
    sched.plan(base, 960)
    for k in range(1, 2000):
        p = sched.plan(base + k * 960, 960)
        assert p.correction == 0 and not p.resynced


# -- ClockSync ---------------------------------------------------------------------------------
def test_a_symmetric_exchange_gives_the_exact_offset():
    sync = ClockSync()
    assert not sync.synced and sync.best_rtt_us is None
    offset, delay = 3_250_000.0, 700.0
    t0 = 1_700_000_000_000_000.0
    arrived = t0 + delay + offset                      # host clock; it answers 50 µs later
    sample = sync.add_exchange(t0, arrived, arrived + 50, t0 + 2 * delay + 50)
    assert sample.offset_us == offset and sample.rtt_us == 2 * delay
    assert sync.synced and sync.offset_us(t0) == offset and sync.drift_ppm == 0
    assert sync.host_us(t0 + 5) == t0 + 5 + offset and sync.local_us(t0 + offset) == t0
    assert sample_from_exchange(0, 10, 20, 5).rtt_us == 0   # a negative rtt is clipped


@pytest.mark.parametrize("drift_ppm", [100, -100, 0, 37])
@pytest.mark.parametrize("seed", [1, 2])
def test_offset_and_drift_are_recovered_through_a_jittery_network(drift_ppm, seed):
    rnd = random.Random(seed)
    offset = rnd.choice([-1, 1]) * rnd.uniform(1, 9) * S
    sync = ClockSync()
    host_of, errors = None, []
    for _, host_true, exch in host_clock_exchanges(rnd, offset, drift_ppm, seconds=30):
        sync.add_exchange(*exch)
        host_of = host_true
    # The estimate after 30 s: a line through the fastest exchange of each second.
    assert sync.samples_used >= 25
    # The guest runs `drift_ppm` fast, so the host's clock gains -drift_ppm on it.
    assert sync.drift_ppm == pytest.approx(-drift_ppm / (1 + drift_ppm / 1e6), abs=5)
    for local in (exch[3], exch[3] + 2 * S):          # now, and extrapolated 2 s ahead
        errors.append(sync.host_us(local) - host_of(local))
    assert max(abs(e) for e in errors) < 60, errors


def test_exchanges_with_long_round_trips_are_ignored():
    rnd = random.Random(7)
    sync = ClockSync()
    exchanges = list(host_clock_exchanges(rnd, 2 * S, 80, seconds=10))
    for _, _, exch in exchanges:
        sync.add_exchange(*exch)
    host_of = exchanges[-1][1]
    t = exchanges[-1][2][3]
    used, before = sync.samples_used, sync.host_us(t)
    # A few seconds of congestion: every exchange slow and lopsided (40 ms up, 1 ms down).
    for k in range(30):
        t0 = t + (k + 1) * 100_000
        sync.add_exchange(t0, host_of(t0 + 40_000), host_of(t0 + 40_000), t0 + 41_000)
    assert sync.samples_used == used           # those seconds do not count
    assert sync.host_us(t) == before           # nor move the estimate
    later = t + 3 * S
    assert abs(sync.host_us(later) - host_of(later)) < 60
    # And inside a second with a good exchange, a slow one changes nothing.
    sync = ClockSync()
    for _, _, exch in exchanges:
        sync.add_exchange(*exch)
    reference = sync.host_us(t)
    t0 = exchanges[-1][2][0] + 1
    sync.add_exchange(t0, host_of(t0 + 30_000), host_of(t0 + 30_000), t0 + 30_500)
    assert sync.host_us(t) == reference


@pytest.mark.parametrize("lucky_one_way_us", [150, 20])
def test_one_exchange_far_faster_than_the_rest_does_not_discard_them(lucky_one_way_us):
    # Wi-Fi: one-way delays of 1.2 ms and more; now and then every queue is empty at once.
    rnd = random.Random(5)
    sync = ClockSync()
    exchanges = list(host_clock_exchanges(rnd, -4 * S, 100, seconds=20, base_us=1_200))
    for _, _, exch in exchanges:
        sync.add_exchange(*exch)
    host_of, used = exchanges[-1][1], sync.samples_used
    t0 = exchanges[-1][2][3] + 50_000
    sync.add_exchange(t0, host_of(t0 + lucky_one_way_us), host_of(t0 + lucky_one_way_us),
                      t0 + 2 * lucky_one_way_us)
    # The seconds that were good are still good: the estimate keeps its line (and the
    # device its sound: it stays silent while fewer than two seconds count).
    assert sync.samples_used >= used - 1 >= 15
    assert sync.drift_ppm == pytest.approx(-100 / 1.0001, abs=5)
    for later in (t0, t0 + 5 * S):
        assert abs(sync.host_us(later) - host_of(later)) < 150


def test_without_enough_seconds_there_is_no_drift_yet():
    sync = ClockSync(min_buckets_for_drift=4)
    for second in range(3):
        t0 = second * S + 1.0
        at_host = t0 + 100 + 5_000 + second * 100
        sync.add_exchange(t0, at_host, at_host, t0 + 200)
    assert sync.samples_used == 3 and sync.drift_ppm == 0
    assert sync.offset_us(0) == 5_200         # the freshest good sample
    t0 = 3 * S + 1.0
    sync.add_exchange(t0, t0 + 5_400, t0 + 5_400, t0 + 200)
    assert sync.samples_used == 4 and sync.drift_ppm == pytest.approx(100, rel=1e-6)


def test_old_exchanges_leave_the_window_and_the_drift_is_bounded():
    sync = ClockSync(window_us=10 * S)
    for second in range(30):
        t0 = second * S + 1.0
        sync.add_exchange(t0, t0 + 100, t0 + 100, t0 + 200)
    assert len(sync.samples) == 11 and sync.samples[0].local_us >= 19 * S
    crazy = ClockSync()
    for second in range(6):
        t0 = second * S + 1.0
        crazy.add_exchange(t0, t0 + second * 10_000, t0 + second * 10_000, t0)   # 1 % off
    assert crazy.drift_ppm == 1000.0


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e4, 1e4), st.floats(-1e7, 1e7), st.floats(1e15, 2e15),
       st.floats(0, 1e8))
def test_local_us_is_the_inverse_of_host_us(drift_ppm, offset, ref, delta):
    sync = ClockSync()
    sync.fit = ClockFit(ref_us=ref, intercept_us=offset, slope=drift_ppm / 1e6, synced=True)
    local = ref + delta
    # Within half a µs: floats near 1e15 hold about a tenth of one.
    assert sync.local_us(sync.host_us(local)) == pytest.approx(local, abs=0.5)
    assert sync.host_us(sync.local_us(local)) == pytest.approx(local, abs=0.5)
