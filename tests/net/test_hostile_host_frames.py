"""A host gone wrong (or hostile) cannot crash a guest or wedge its speakers.

Frames go straight into a real GuestPlayback and its real engine; each must be refused and
change nothing, and the guest must still play what a sane host sends next."""

from __future__ import annotations

import pytest

from loudsync_desktop.clock import SystemClock
from loudsync_desktop.net.playback_guest import GuestPlayback
from loudsync_desktop.protocol.playback import PlayState, Track, player_state
from loudsync_desktop.protocol.stream import (CHUNK_FRAMES, FRAME_BYTES, Insert, JitterBuffer,
                                              pack_chunk)

STATE = player_state(PlayState(queue=(Track("t", "Song", "", 1000, 1),), index=0))


@pytest.mark.parametrize("frame", [
    '{"type":"PLAYER_STATE","payload":' + "[" * 100_000 + "]" * 100_000 + "}",   # too deep
    '{"type":"PLAYER_STATE","payload":{"queue":[],"index":0,"positionMs":0,"seq":1,'
    '"volume":' + "9" * 400 + "}}",                                              # too big
    '{"type":"STREAM_START","payload":{"codec":"opus","sampleRate":' + "1" * 5000 + "}}",
    '{"type":"TRACK_ART","payload":[1,2,3]}',
])
def test_a_frame_no_sane_host_sends_changes_nothing(frame):
    guest = GuestPlayback(SystemClock())
    guest.on_frame(STATE, 0.0)
    guest.on_frame(frame, 0.0)              # must not raise
    assert guest.state.queue[0].title == "Song"
    assert guest.art is None


def test_chunks_stamped_far_ahead_cannot_shut_the_real_ones_out():
    buffer = JitterBuffer()
    now = 7_000_000_000
    pcm = bytes(CHUNK_FRAMES * FRAME_BYTES)
    for k in range(buffer.capacity):         # an hour ahead: no host sends that far
        assert buffer.insert(now + 3_600_000_000 + k * 20_000, pcm, now) is Insert.EARLY
    assert buffer.insert(now + 100_000, pcm, now) is Insert.ACCEPTED
    assert len(buffer) == 1


def test_a_chunk_frame_that_is_no_chunk_is_counted_and_dropped():
    guest = GuestPlayback(SystemClock())
    guest.on_frame(b"\x04" + b"\xff" * 12, 0.0)          # a header and no audio
    guest.on_frame(pack_chunk(1, b"x", 0), 0.0)             # audio before any STREAM_START
    assert guest.bad_chunks == 2
