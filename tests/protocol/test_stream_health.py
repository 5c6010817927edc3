"""Stream health: what a streaming guest reports (StreamHealth), how SYNC_REPORT carries it,
and the words the host shows per member (MemberStreamView, MemberStreams).

Pure and fast: every ``now`` is a number the test chooses, nothing sleeps.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loudsync_desktop.protocol import messages as m
from loudsync_desktop.protocol import playback as pb
from loudsync_desktop.protocol.events import SyncReported
from loudsync_desktop.protocol.stream_health import (BEHIND_WORDS, BUFFERING_WORDS,
                                                     LATE_WINDOW_US, LOSS_SHOWN_MS,
                                                     MemberStreams, MemberStreamView,
                                                     StreamHealth, lost_words)

from .helpers import events, make_host, open_and_join, sent_types

CHUNK = 20_000
LEAD = 1_000_000
T0 = 7_000_000_000          # µs on the host timeline, nearly two hours in


def streaming(ahead_chunks: int = 50) -> tuple[StreamHealth, int]:
    """A guest that got a start and ``ahead_chunks`` chunks from T0 on, all on time, at T0."""
    health = StreamHealth(CHUNK, LEAD)
    health.started()
    for k in range(ahead_chunks):
        health.chunk(T0 + k * CHUNK, now_us=T0, on_time=True)
    return health, T0 + ahead_chunks * CHUNK


# -- the guest ------------------------------------------------------------------------------
def test_no_stream_is_idle():
    health = StreamHealth()
    assert health.fields(T0) == {"streamState": "idle", "bufferedMs": 0, "lostMs": 0}
    health.chunk(T0, T0, on_time=False)     # before any STREAM_START: no stream to lose from
    assert health.fields(T0)["lostMs"] == 0


def test_a_started_stream_buffers_until_its_first_sound_then_plays():
    health, _ = streaming()
    assert health.fields(T0) == {"streamState": "buffering", "bufferedMs": 1000, "lostMs": 0}
    health.played()
    assert health.fields(T0 + 100_000) == {"streamState": "playing", "bufferedMs": 900,
                                           "lostMs": 0}


def test_a_gap_between_stamps_is_lost_audio():
    health, next_stamp = streaming(10)
    health.chunk(next_stamp + 3 * CHUNK, T0, on_time=True)    # three chunks never came
    assert health.fields(T0)["lostMs"] == 60


def test_stamps_a_microsecond_off_the_grid_lose_nothing():
    health = StreamHealth(CHUNK, LEAD)
    health.started()
    for stamp in (T0, T0 + CHUNK + 1, T0 + 2 * CHUNK - 1, T0 + 3 * CHUNK):
        health.chunk(stamp, T0, on_time=True)
    assert health.fields(T0)["lostMs"] == 0


def test_late_chunks_are_lost_and_make_the_guest_behind_for_a_while():
    health, next_stamp = streaming()                  # 1 s held at T0
    health.played()
    now = T0 + 1_500_000                              # the link stalled for 1.5 s; now it
    for k in range(25):                               # delivers what is already too late
        health.chunk(next_stamp + k * CHUNK, now, on_time=False)
    for k in range(25, 75):                           # then a second ahead, on time
        health.chunk(next_stamp + k * CHUNK, now, on_time=True)
    assert health.fields(now) == {"streamState": "behind", "bufferedMs": 1000, "lostMs": 500}
    later = now + LATE_WINDOW_US
    for k in range(75, 75 + LATE_WINDOW_US // CHUNK):     # chunks keep coming on time
        health.chunk(next_stamp + k * CHUNK, later, on_time=True)
    assert health.fields(later) == {"streamState": "playing", "bufferedMs": 1000, "lostMs": 500}


def test_little_audio_held_ahead_is_behind():
    health, _ = streaming(50)                        # 1 s ahead of T0
    health.played()
    assert health.fields(T0 + 740_000)["streamState"] == "playing"    # 260 ms left
    assert health.fields(T0 + 760_000)["streamState"] == "behind"     # 240 ms < a quarter
    assert health.fields(T0 + 5_000_000) == {"streamState": "behind", "bufferedMs": 0,
                                             "lostMs": 0}


def test_the_lead_of_the_stream_start_sets_what_is_little():
    default, long_lead = StreamHealth(CHUNK, LEAD), StreamHealth(CHUNK, LEAD)
    default.started()
    long_lead.started(lead_us=3_000_000)                # a party with --buffer-ms 3000
    for health in (default, long_lead):
        for k in range(50):
            health.chunk(T0 + k * CHUNK, T0, on_time=True)
        health.played()
    assert long_lead.fields(T0)["streamState"] == "playing"           # 1000 ms > 750 ms
    assert long_lead.fields(T0 + 300_000)["streamState"] == "behind"  # 700 ms < 750 ms
    assert default.fields(T0 + 300_000)["streamState"] == "playing"   # 700 ms > 250 ms


def test_a_clear_starts_a_new_run_without_loss():
    health, next_stamp = streaming(25)
    health.played()
    seek_to = next_stamp + 60_000_000                 # a minute later in the timeline
    health.cleared(T0 + 400_000)
    assert health.fields(T0)["streamState"] == "buffering"
    assert health.fields(T0)["bufferedMs"] == 400     # only what ends by fromUs is kept
    health.chunk(seek_to, T0, on_time=True)
    health.chunk(seek_to + CHUNK, T0, on_time=True)
    assert health.fields(T0)["lostMs"] == 0
    health.chunk(seek_to + 3 * CHUNK, T0, on_time=True)    # but a gap inside the new run is
    assert health.fields(T0)["lostMs"] == 20


def test_a_clear_forgets_the_lateness_of_the_old_run():
    health, next_stamp = streaming()
    health.played()
    health.chunk(next_stamp, T0 + 100_000, on_time=False)
    health.cleared(T0 + 120_000)
    health.chunk(T0 + 120_000, T0 + 100_000, on_time=True)
    for k in range(1, 60):
        health.chunk(T0 + 120_000 + k * CHUNK, T0 + 100_000, on_time=True)
    health.played()
    fields = health.fields(T0 + 110_000)
    assert fields["streamState"] == "playing" and fields["lostMs"] == 20   # lost stays lost


def test_a_new_start_counts_loss_from_zero_and_an_end_is_idle():
    health, next_stamp = streaming()
    health.chunk(next_stamp + 10 * CHUNK, T0, on_time=True)
    assert health.fields(T0)["lostMs"] == 200
    health.ended()
    assert health.fields(T0)["streamState"] == "idle"
    health.played()                                   # nothing plays after the end
    assert health.fields(T0)["streamState"] == "idle"
    health.started()
    assert health.fields(T0) == {"streamState": "buffering", "bufferedMs": 0, "lostMs": 0}


def test_the_numbers_stay_in_their_wire_ranges():
    health = StreamHealth(CHUNK, LEAD)
    health.started()
    health.chunk(T0, T0, on_time=True)
    health.chunk(T0 + 10**13, T0, on_time=True)       # months of audio missing, far ahead
    fields = health.fields(T0)
    assert fields["lostMs"] == m.MAX_LOST_MS and fields["bufferedMs"] == m.MAX_BUFFERED_MS
    assert m.stream_fields_of(fields) == fields


FATES = st.sampled_from(["on_time", "late", "missing"])


@settings(max_examples=300, deadline=None)
@given(runs=st.lists(st.tuples(st.integers(-10**9, 10**9), st.lists(FATES, max_size=40)),
                     min_size=1, max_size=5))
def test_loss_is_every_late_chunk_and_every_chunk_missing_inside_a_run(runs):
    """Runs of chunk slots, each on time, late, or never arriving; a clear between runs.
    A slot missing after a run's last arrival cannot be seen yet (it may still come)."""
    health = StreamHealth(CHUNK, LEAD)
    health.started()
    expected = 0
    for i, (start, fates) in enumerate(runs):
        if i:
            health.cleared(T0 + start * CHUNK)
        arrived = [k for k, fate in enumerate(fates) if fate != "missing"]
        for k in arrived:
            health.chunk(T0 + (start + k) * CHUNK, T0, on_time=fates[k] == "on_time")
        if arrived:
            inside = fates[arrived[0]:arrived[-1] + 1]
            expected += sum(fate != "on_time" for fate in inside) * CHUNK
        fields = health.fields(T0)
        assert m.stream_fields_of(fields) == fields
    assert health.fields(T0)["lostMs"] == expected // 1000


# -- on the wire ------------------------------------------------------------------------------
def parsed(payload: dict) -> m.SyncReport:
    report = m.parse_guest_message(json.dumps({"type": m.SYNC_REPORT, "payload": payload}))
    assert isinstance(report, m.SyncReport)
    return report


def test_sync_report_carries_the_stream_fields_and_parses_back():
    health, _ = streaming()
    text = pb.sync_report(-120, 300, health.fields(T0))
    report = parsed(json.loads(text)["payload"])
    assert report == m.SyncReport(-120, 300, {"streamState": "buffering", "bufferedMs": 1000,
                                              "lostMs": 0})


def test_a_playback_1_report_has_no_stream():
    assert json.loads(pb.sync_report(5, 6)) == {
        "type": "SYNC_REPORT", "payload": {"errorUs": 5, "uncertaintyUs": 6}}
    assert parsed({"errorUs": 5, "uncertaintyUs": 6}).stream is None
    assert parsed({"errorUs": 5, "uncertaintyUs": 6, "colour": "blue"}).stream is None


GOOD = {"streamState": "playing", "bufferedMs": 800, "lostMs": 40}


@pytest.mark.parametrize("key, bad", [
    ("streamState", "dancing"), ("streamState", 3), ("streamState", None), ("streamState", ""),
    ("bufferedMs", -1), ("bufferedMs", 60_001), ("bufferedMs", 1.5), ("bufferedMs", True),
    ("bufferedMs", "800"), ("lostMs", -20), ("lostMs", 2**31 + 1), ("lostMs", [40]),
    ("lostMs", False), ("lostMs", 2**70),
])
def test_a_wrong_stream_field_is_left_out_alone(key, bad):
    report = parsed({"errorUs": 1, "uncertaintyUs": 2, **GOOD, key: bad})
    assert report.stream == {k: v for k, v in GOOD.items() if k != key}


def test_the_stream_fields_at_their_limits_are_valid():
    edge = {"streamState": "behind", "bufferedMs": 60_000, "lostMs": 2**31}
    assert parsed({"errorUs": 0, "uncertaintyUs": 0, **edge}).stream == edge
    zero = {"streamState": "idle", "bufferedMs": 0, "lostMs": 0}
    assert parsed({"errorUs": 0, "uncertaintyUs": 0, **zero}).stream == zero


def test_the_host_reports_the_stream_and_never_errs_on_bad_fields():
    host = make_host()
    open_and_join(host, 1, "guest-1")
    good = host.receive_text(1, pb.sync_report(10, 20, GOOD), 1_000)
    assert events(good) == [SyncReported("guest-1", 10, 20, GOOD)]
    bad = json.dumps({"type": "SYNC_REPORT", "payload": {
        "errorUs": 10, "uncertaintyUs": 20, "streamState": {"x": 1}, "bufferedMs": "lots",
        "lostMs": -5}})
    outs = host.receive_text(1, bad, 2_000)
    assert events(outs) == [SyncReported("guest-1", 10, 20, None)]
    assert sent_types(outs, 1) == []       # no ERROR: a bad extension field is just unread
    assert [x.id for x in host.members] == [host.config.host_id, "guest-1"]


# -- the host's words ---------------------------------------------------------------------------
def report(state: str = "playing", lost: int = 0, buffered: int = 900) -> dict:
    return {"streamState": state, "bufferedMs": buffered, "lostMs": lost}


@pytest.mark.parametrize("lost_ms, words", [
    (20, "lost under 0.1 s of audio"), (60, "lost 0.1 s of audio"),
    (300, "lost 0.3 s of audio"), (440, "lost 0.4 s of audio"), (1_000, "lost 1 s of audio"),
    (2_000, "lost 2 s of audio"), (2_460, "lost 2.5 s of audio"),
    (9_940, "lost 9.9 s of audio"), (9_960, "lost 10 s of audio"),
    (45_200, "lost 45 s of audio"), (119_000, "lost 119 s of audio"),
    (180_000, "lost 3 min of audio"), (2**31, "lost 35791 min of audio"),
])
def test_loss_in_words(lost_ms, words):
    assert lost_words(lost_ms) == words


def test_a_report_without_stream_fields_is_no_news():
    view = MemberStreamView()
    assert view.report(None, 0) is None          # a playback/1 member: never any words
    assert view.report(report("buffering"), 1_000) == BUFFERING_WORDS
    assert view.report(None, 2_000) == BUFFERING_WORDS    # every field was wrong: as it was
    view.report(report("playing", lost=300), 3_000)
    assert view.report(None, 3_001 + LOSS_SHOWN_MS) is None   # but time still passes


def test_buffering_and_behind_in_words():
    view = MemberStreamView()
    assert view.report(report("idle"), 0) is None
    assert view.report(report("buffering"), 2_000) == "buffering"
    assert view.report(report("playing"), 4_000) is None
    assert view.report(report("behind"), 6_000) == "behind, catching up"
    assert view.report({"bufferedMs": 10}, 8_000) == BEHIND_WORDS   # a state left out: as was


def test_a_loss_is_shown_for_a_while_after_the_last_trouble():
    view = MemberStreamView()
    view.report(report(lost=0), 0)
    assert view.report(report(lost=400), 2_000) == "lost 0.4 s of audio"
    assert view.report(report(lost=400), 4_000) == "lost 0.4 s of audio"
    assert view.words(2_000 + LOSS_SHOWN_MS) == "lost 0.4 s of audio"
    assert view.report(report(lost=400), 2_001 + LOSS_SHOWN_MS) is None


def test_losses_close_together_add_up_and_a_later_one_starts_again_from_zero():
    view = MemberStreamView()
    view.report(report(lost=0), 0)
    view.report(report(lost=1_200), 2_000)
    assert view.report(report(lost=2_000), 4_000) == "lost 2 s of audio"
    assert view.report(report(lost=2_000), 30_000) is None
    assert view.report(report(lost=2_300), 32_000) == "lost 0.3 s of audio"


def test_while_behind_the_episode_goes_on_and_its_loss_shows_after():
    view = MemberStreamView()
    view.report(report(lost=0), 0)
    assert view.report(report("behind", lost=500), 2_000) == BEHIND_WORDS
    for t in range(4_000, 40_000, 2_000):       # half a minute behind, no more loss
        assert view.report(report("behind", lost=500), t) == BEHIND_WORDS
    assert view.report(report("playing", lost=500), 40_000) == "lost 0.5 s of audio"
    assert view.report(report("playing", lost=500), 40_000 + LOSS_SHOWN_MS + 1) is None


def test_a_new_stream_counting_from_zero_is_more_loss_not_less():
    view = MemberStreamView()
    view.report(report(lost=3_000), 0)                       # loss in its first report counts
    assert view.words(0) == "lost 3 s of audio"
    view.report(report("buffering", lost=0), 2_000)          # reconnected: a new stream
    assert view.report(report("playing", lost=400), 4_000) == "lost 3.4 s of audio"


def test_member_streams_say_when_words_change_and_not_while_paused():
    streams = MemberStreams()
    assert streams.report("a", report(), 0) is False          # None before, None now
    assert streams.report("a", report("buffering"), 1_000) is True
    assert streams.status("a") == BUFFERING_WORDS
    assert streams.report("a", report("buffering"), 2_000) is False
    assert streams.report("b", report("behind"), 2_000) is True
    assert streams.report("a", report("buffering"), 3_000, playing=False) is True
    assert streams.status("a") is None and streams.status("b") == BEHIND_WORDS
    streams.forget("b")
    assert streams.status("b") is None
    assert streams.report("b", report("playing"), 4_000) is False   # a fresh view
    streams.clear()
    assert streams.status("a") is None


ANY_FIELDS = st.one_of(st.none(), st.fixed_dictionaries({}, optional={
    "streamState": st.sampled_from(sorted(m.STREAM_STATES)),
    "bufferedMs": st.integers(0, m.MAX_BUFFERED_MS),
    "lostMs": st.integers(0, m.MAX_LOST_MS)}))


@settings(max_examples=300, deadline=None)
@given(reports=st.lists(st.tuples(st.integers(0, 30_000), ANY_FIELDS), max_size=30))
def test_the_words_are_always_one_of_the_three_kinds(reports):
    view = MemberStreamView()
    now = 0
    for step, fields in reports:
        now += step
        words = view.report(fields, now)
        assert words in (None, BUFFERING_WORDS, BEHIND_WORDS) or (
            words.startswith("lost ") and words.endswith(" of audio"))
        if fields is not None and fields.get("streamState") == "buffering":
            assert words == BUFFERING_WORDS
        if fields is not None and fields.get("streamState") == "behind":
            assert words == BEHIND_WORDS
