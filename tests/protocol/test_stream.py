"""The playback/2 core: the binary chunk frame, the stream messages, the host's chunk timeline,
a guest's send queue and the guest's jitter buffer.

Pure and fast: ``now`` is a number the test chooses, nothing sleeps.
"""

from __future__ import annotations

import base64
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loudsync_desktop.protocol import stream as s
from loudsync_desktop.protocol.errors import RemoteProtocolError
from loudsync_desktop.protocol.messages import INVALID_MESSAGE
from loudsync_desktop.protocol.stream import (CHUNK_FRAMES, FRAME_BYTES, GuestQueue, HostStream,
                                              Insert, JitterBuffer, StreamClear, StreamStart,
                                              pack_chunk, parse_chunk)

CHUNK_US = 20_000
CHUNK_BYTES = CHUNK_FRAMES * FRAME_BYTES
T0 = 5_000_000_000                      # an hour and a half into the host's clock


def pcm(tag: int) -> bytes:
    """A chunk whose every frame says which chunk it is (and where in it)."""
    return b"".join(struct.pack("<hh", tag, i) for i in range(CHUNK_FRAMES))


# -- binary frame ---------------------------------------------------------------

def test_chunk_frame_is_sendspins_layout():
    frame = pack_chunk(T0, b"opus!", sent_at_us=T0 - 750_000)
    assert frame[0] == 4
    assert int.from_bytes(frame[1:9], "big", signed=True) == T0
    assert int.from_bytes(frame[9:13], "big") == 750_000
    assert frame[13:] == b"opus!"
    assert parse_chunk(frame) == s.AudioChunk(T0, 750_000, b"opus!")


def test_send_ahead_saturates_and_then_means_not_measured():
    late = pack_chunk(T0, b"x", sent_at_us=T0 + 5)
    assert late[9:13] == bytes(4) and parse_chunk(late).send_ahead_us is None
    far = pack_chunk(T0 + 2**33, b"x", sent_at_us=T0)
    assert far[9:13] == b"\xff" * 4 and parse_chunk(far).send_ahead_us is None
    negative = pack_chunk(-123, b"x", sent_at_us=-1_000_123)
    assert parse_chunk(negative).stamp_us == -123


def test_pack_refuses_empty_or_oversized_payloads():
    with pytest.raises(ValueError):
        pack_chunk(T0, b"", T0)
    with pytest.raises(ValueError):
        pack_chunk(T0, bytes(s.MAX_CHUNK_PAYLOAD + 1), T0)


@pytest.mark.parametrize("frame, why", [
    (b"", "too short"),
    (bytes([4]) + bytes(12), "too short"),                  # a header and no audio
    (bytes([5]) + bytes(12) + b"a", "type 5"),
    (b"LST1" + bytes(20), "type 76"),                       # playback/1's track frame
    (bytes([4]) + bytes(12) + bytes(s.MAX_CHUNK_PAYLOAD + 1), "size limit"),
    ("text", "binary"),
])
def test_bad_frames_are_invalid_messages(frame, why):
    with pytest.raises(RemoteProtocolError, match=why) as caught:
        parse_chunk(frame)
    assert caught.value.code == INVALID_MESSAGE


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_garbage_frames_parse_or_are_refused_cleanly(data):
    try:
        chunk = parse_chunk(data)
    except RemoteProtocolError as error:
        assert error.code == INVALID_MESSAGE
    else:
        assert data[0] == 4 and chunk.payload == data[13:] and chunk.payload


@settings(deadline=None)
@given(st.integers(-(2**63), 2**63 - 1), st.integers(-(2**63), 2**63 - 1),
       st.binary(min_size=1, max_size=64))
def test_any_stamp_round_trips(stamp, sent, payload):
    chunk = parse_chunk(pack_chunk(stamp, payload, sent))
    assert (chunk.stamp_us, chunk.payload) == (stamp, payload)


# -- messages ---------------------------------------------------------------------

def test_stream_start_round_trips_with_and_without_header():
    header = b"fLaC\x80\x00\x00\x22" + bytes(34)
    for start in (StreamStart("flac", header), StreamStart("opus"),
                  StreamStart("pcm", lead_ms=250)):
        wire = start.to_wire()
        assert StreamStart.from_wire(wire) == start
    assert StreamStart("flac", header).to_wire()["codecHeader"] == base64.b64encode(header).decode()
    assert "codecHeader" not in StreamStart("opus").to_wire()


@pytest.mark.parametrize("change, why", [
    ({"codec": "mp3"}, "codec"),
    ({"codec": None}, "codec"),
    ({"sampleRate": 44_100}, "sampleRate"),
    ({"sampleRate": 48_000.0}, "sampleRate"),
    ({"channels": True}, "channels"),
    ({"bitDepth": 24}, "bitDepth"),
    ({"chunkFrames": 0}, "chunkFrames"),
    ({"chunkFrames": True}, "chunkFrames"),
    ({"chunkFrames": s.MAX_CHUNK_FRAMES + 1}, "chunkFrames"),
    ({"leadMs": -1}, "leadMs"),
    ({"codecHeader": "not base64!"}, "Base64"),
    ({"codecHeader": 12}, "Base64"),
    ({"codecHeader": "A" * 2000}, "Base64"),
    ({"codec": "flac", "codecHeader": None}, "FLAC stream needs"),
])
def test_stream_start_refuses_what_is_not_the_partys_stream(change, why):
    wire = StreamStart("opus").to_wire()
    wire.update(change)
    if change.get("codecHeader", 0) is None:
        del wire["codecHeader"]
    with pytest.raises(RemoteProtocolError, match=why):
        StreamStart.from_wire(wire)


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(["codec", "sampleRate", "channels", "bitDepth",
                                        "chunkFrames", "leadMs", "codecHeader", "x"]),
                       st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                                 st.sampled_from(["opus", "flac", "pcm", "AAAA"]),
                                 st.sampled_from([48_000, 2, 16, 960, 1000]))))
def test_any_stream_start_payload_is_read_or_refused_cleanly(payload):
    try:
        start = StreamStart.from_wire(payload)
    except RemoteProtocolError as error:
        assert error.code == INVALID_MESSAGE
    else:
        assert start.codec in s.CODECS


def test_stream_clear_round_trips_and_checks_its_field():
    assert StreamClear.from_wire(StreamClear(T0).to_wire()) == StreamClear(T0)
    for bad in ({}, {"fromUs": "1"}, {"fromUs": 1.5}, {"fromUs": 2**60}, []):
        with pytest.raises(RemoteProtocolError):
            StreamClear.from_wire(bad)


# -- the host's timeline ----------------------------------------------------------

def make(stream: HostStream, now: int) -> list[s.SentChunk]:
    return [stream.add(b"unit%d" % stream.next_index, now) for _ in range(stream.due(now))]


def test_host_stays_a_lead_ahead_and_no_further():
    host = HostStream(lead_us=1_000_000)
    assert host.due(T0) == 0                # not running
    host.start(T0 + 400_000)                # Play: sounds in 400 ms
    first = make(host, T0)
    # everything up to now + lead at once: 600 ms of chunks
    assert [c.stamp_us for c in first] == [T0 + 400_000 + k * CHUNK_US for k in range(30)]
    assert host.due(T0) == 0
    assert host.due(T0 + 1) == 1            # chunk 30 plays at T0 + 1 s: due once now > T0
    make(host, T0 + 1)
    assert host.due(T0 + 20_000) == 0 and host.due(T0 + 20_001) == 1
    now = T0
    for _ in range(2_000):                  # 10 s in 5 ms steps
        now += 5_000
        for chunk in make(host, now):
            assert chunk.stamp_us < now + 1_000_000
        assert host.stamp(host.next_index) >= now + 1_000_000
    assert parse_chunk(first[3].frame) == s.AudioChunk(T0 + 460_000, 460_000, b"unit3")


def test_stamps_are_exact_after_hours_and_account_for_codec_delay():
    host = HostStream(delay_frames=312)
    host.start(T0)
    assert host.stamp(0) == T0 - 6_500
    assert host.stamp(180_000 * 3) == T0 + 3 * 3_600_000_000 - 6_500
    plain = HostStream(chunk_frames=441, rate=44_100)
    plain.start(0)
    assert plain.stamp(100) == 1_000_000


def test_a_burst_can_be_bounded():
    host = HostStream()
    host.start(T0)
    assert host.due(T0, max_chunks=8) == 8
    assert host.due(T0) == 50


def test_seek_starts_a_new_stream_and_forgets_the_old_chunks():
    host = HostStream()
    host.start(T0 + 400_000)
    make(host, T0)
    generation = host.generation
    host.start(T0 + 800_000)                # seek at T0 + 400 ms, effective 400 ms later
    assert host.generation == generation + 1 and host.next_index == 0
    assert host.catch_up(T0 + 400_000, margin_us=0) == []
    chunks = make(host, T0 + 400_000)
    assert chunks[0].stamp_us == T0 + 800_000 and len(chunks) == 30
    host.stop()
    assert not host.running and host.due(T0 + 500_000) == 0
    with pytest.raises(ValueError):
        host.stamp(0)


def test_late_joiner_gets_the_kept_chunks_still_ahead_of_it():
    host = HostStream()
    host.start(T0)
    now = T0
    while now < T0 + 5_000_000:
        make(host, now)
        now += 20_000
    kept = host.catch_up(now, margin_us=400_000)
    assert kept and kept[0].stamp_us >= now + 400_000
    assert kept[0].stamp_us - (now + 400_000) < CHUNK_US
    assert [c.index for c in kept] == list(range(kept[0].index, kept[-1].index + 1))
    assert kept[-1].index == host.next_index - 1
    # bounded by the lead whatever the stream's length
    assert len(host.catch_up(now, margin_us=-10_000_000)) <= 52


def test_guest_queue_drops_the_late_and_the_oldest_never_blocks():
    host = HostStream()
    host.start(T0)
    chunks = make(host, T0)                 # 50 chunks, T0 .. T0 + 980 ms
    queue = GuestQueue(capacity=10)
    for chunk in chunks:
        queue.push(chunk)
    assert len(queue) == 10 and queue.dropped == 40      # a stalled link keeps only the newest
    # the link comes back 930 ms later: chunks whose end has passed are never sent
    sent = queue.pop(T0 + 930_000)
    assert sent.stamp_us == T0 + 920_000 and queue.dropped == 46
    assert queue.pop(T0 + 2_000_000) is None and queue.dropped == 49 and len(queue) == 0
    queue.push(chunks[0])
    queue.clear()
    assert queue.pop(T0) is None


# -- the guest's jitter buffer ------------------------------------------------------

def buffer_with(tags: list[int], base: int = T0, now: int = T0 - 500_000) -> JitterBuffer:
    jb = JitterBuffer()
    for tag in tags:
        assert jb.insert(base + tag * CHUNK_US, pcm(tag), now) is Insert.ACCEPTED
    return jb


def test_reads_line_up_across_chunks_and_periods():
    jb = buffer_with([2, 0, 1, 3])          # arrival order does not matter
    expected = pcm(0) + pcm(1) + pcm(2) + pcm(3)
    got = b""
    first = jb.frame_at(T0)
    for size in (100, 860, 1, 959, 960, 960):   # odd period sizes, not aligned to chunks
        out = bytearray(size * FRAME_BYTES)
        assert jb.read_into(first, out, size) == size
        got += out
        first += size
    assert got == expected[:len(got)]
    assert jb.missing_frames == 0


def test_holes_and_the_end_are_silence_and_counted():
    jb = buffer_with([0, 2])
    out = jb.read(T0, 3 * CHUNK_FRAMES + 10)
    assert out[:CHUNK_BYTES] == pcm(0)
    assert out[CHUNK_BYTES:2 * CHUNK_BYTES] == bytes(CHUNK_BYTES)
    assert out[2 * CHUNK_BYTES:3 * CHUNK_BYTES] == pcm(2)
    assert out[3 * CHUNK_BYTES:] == bytes(10 * FRAME_BYTES)
    assert jb.missing_frames == CHUNK_FRAMES + 10


def test_a_read_in_the_middle_of_a_chunk_starts_at_the_right_frame():
    jb = buffer_with([0, 1])
    out = jb.read(T0 + 10_000, 960)         # 10 ms in: frame 480 of chunk 0
    assert out == pcm(0)[480 * FRAME_BYTES:] + pcm(1)[:480 * FRAME_BYTES]


def test_late_duplicate_overlapping_full_and_bad_chunks_are_dropped():
    jb = JitterBuffer(capacity=3)
    now = T0 + 50_000
    assert jb.insert(T0 + 20_000, pcm(1), now) is Insert.LATE       # ended at T0 + 40 ms
    assert jb.insert(T0 + 40_000, pcm(2), now) is Insert.ACCEPTED   # still playing: kept
    assert jb.insert(T0 + 40_000, pcm(2), now) is Insert.DUPLICATE
    assert jb.insert(T0 + 50_000, pcm(9), now) is Insert.DUPLICATE  # overlaps chunk 2
    assert jb.insert(T0 + 60_000, pcm(3), now) is Insert.ACCEPTED
    assert jb.insert(T0 + 80_000, pcm(4), now) is Insert.ACCEPTED
    assert jb.insert(T0 + 100_000, pcm(5), now) is Insert.FULL
    assert jb.insert(T0 + 120_000, b"short", now) is Insert.BAD_LENGTH
    assert (jb.late, jb.refused, len(jb)) == (1, 4, 3)
    # once chunk 2 has played there is room again
    assert jb.insert(T0 + 100_000, pcm(5), T0 + 61_000) is Insert.ACCEPTED


def test_clear_drops_what_is_at_or_after_the_instant():
    jb = buffer_with(list(range(10)))
    jb.clear(T0 + 4 * CHUNK_US)
    assert len(jb) == 4
    assert jb.read(T0 + 3 * CHUNK_US, 2 * CHUNK_FRAMES) == pcm(3) + bytes(CHUNK_BYTES)
    jb.clear()
    assert len(jb) == 0


def test_buffered_time_and_expiry():
    jb = buffer_with(list(range(50)))
    assert jb.buffered_us(T0) == 1_000_000
    assert jb.buffered_us(T0 + 10_000) == 990_000
    jb.expire(T0 + 500_000)
    assert len(jb) == 25
    assert jb.buffered_us(T0 + 2_000_000) == 0
    assert JitterBuffer(lead_us=1_000_000).capacity == 75


@settings(max_examples=200, deadline=None)
@given(order=st.permutations(list(range(12))), lost=st.sets(st.integers(0, 11), max_size=4),
       periods=st.lists(st.integers(1, 2000), min_size=1, max_size=20),
       phase=st.integers(0, 19_999))
def test_whatever_arrives_in_whatever_order_plays_in_place(order, lost, periods, phase):
    base = T0 + phase                       # a stream may start at any µs
    jb = JitterBuffer()
    for tag in order:
        if tag not in lost:
            assert jb.insert(base + tag * CHUNK_US, pcm(tag), T0 - 1) is Insert.ACCEPTED
    first = jb.frame_at(base)
    heard = bytearray()
    for size in periods:
        out = bytearray(size * FRAME_BYTES)
        jb.read_into(first + len(heard) // FRAME_BYTES, out, size)
        heard += out
    expected = b"".join(bytes(CHUNK_BYTES) if t in lost else pcm(t) for t in range(12))
    expected += bytes(max(0, len(heard) - len(expected)))
    assert bytes(heard) == expected[:len(heard)]


def test_a_switch_falls_on_a_chunk_boundary_and_its_clear_covers_the_look_ahead():
    # Nothing playing: any instant that is a whole frame and a whole µs (125 µs at 48 kHz).
    assert HostStream().boundary_after(T0 + 5) == T0 + 125
    assert HostStream().boundary_after(T0 + 250) == T0 + 250
    host = HostStream(delay_frames=312)                             # Opus: 6.5 ms look-ahead
    assert host.start(T0 + 1) == T0 + 125 - 6_500                   # snapped; STREAM_CLEAR.fromUs
    assert host.pcm_stamp(0) == T0 + 125
    # Switches fall on the PCM's chunk boundaries (where the host's own speakers cut) ...
    assert host.boundary_after(T0 + 1_000_001) == T0 + 1_000_125
    assert host.boundary_after(T0 + 1_000_125) == T0 + 1_000_125
    assert host.boundary_after(T0 - 1_000_000) == T0 + 125
    assert host.boundary_before(T0 + 1_020_124) == T0 + 1_000_125
    # ... and a new stream there clears exactly where the old one's decoded chunk before it
    # ends: its stamp, like every stamp, is the PCM's less the look-ahead.
    old_chunk_end = host.stamp(49) + 20_000
    assert host.start(T0 + 1_000_125) == old_chunk_end == T0 + 1_000_125 - 6_500
    plain = HostStream()
    plain.start(T0)
    assert plain.boundary_after(T0 + 400_001) == T0 + 420_000
    assert plain.start(T0 + 420_000) == T0 + 420_000
