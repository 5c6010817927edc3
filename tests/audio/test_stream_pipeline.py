"""The playback/2 building blocks put together, the way the host and guests will use them:
file -> FileSource chunks -> codec -> HostStream frames -> parse -> decoder -> JitterBuffer ->
output periods. What a guest hears must be the file, at the instant the host stamped, for every
codec (FLAC and PCM to the bit), and a late joiner must be in step from its first sound."""

from __future__ import annotations

from array import array

import pytest

from loudsync_desktop.audio.codec import CODECS, make_decoder, make_encoder
from loudsync_desktop.audio.source import FileSource
from loudsync_desktop.protocol.stream import (CHUNK_FRAMES, FRAME_BYTES, HostStream, Insert,
                                              JitterBuffer, StreamStart, parse_chunk)

from .media import correlation, write

T0 = 7_000_000_000
PLAY_AT = T0 + 400_000
PERIOD = 256                            # an output period that does not divide a chunk


class Guest:
    """A guest that decodes what arrives and plays, as time passes, from ``listen_from_us``."""

    def __init__(self, start: StreamStart, listen_from_us: int) -> None:
        self.decoder = make_decoder(start.codec, start.chunk_frames, start.codec_header)
        self.buffer = JitterBuffer(start.chunk_frames, lead_us=start.lead_ms * 1000)
        self.first_frame = self.buffer.frame_at(listen_from_us)
        self.heard = bytearray()

    def receive(self, frame: bytes, now_us: int) -> None:
        chunk = parse_chunk(frame)
        pcm = self.decoder.decode(chunk.payload)
        assert self.buffer.insert(chunk.stamp_us, pcm, now_us) is Insert.ACCEPTED

    def play_until(self, now_us: int) -> None:
        """Output periods of PERIOD frames, up to the instant ``now_us``."""
        period = bytearray(PERIOD * FRAME_BYTES)
        while (at := self.first_frame + len(self.heard) // FRAME_BYTES) + PERIOD <= \
                self.buffer.frame_at(now_us):
            self.buffer.read_into(at, period, PERIOD)
            self.heard += period


def run_party(path, codec: str, join_at_us: int | None = None):
    """The host streams ``path`` from PLAY_AT; guest 1 listens from the start, guest 2 (if any)
    joins at ``join_at_us``. Returns the file's PCM and both guests."""
    with FileSource(path) as source:
        reference = b"".join(c.pcm for c in source.chunks())
    encoder = make_encoder(codec, CHUNK_FRAMES)
    host = HostStream(delay_frames=encoder.delay_frames)
    start = StreamStart(codec, encoder.header)
    guests = [Guest(start, PLAY_AT)]
    late: Guest | None = None
    host.start(PLAY_AT)
    end = PLAY_AT + len(reference) // FRAME_BYTES * 1_000_000 // 48_000 + 100_000
    with FileSource(path) as source:
        chunks = source.chunks()
        now = T0
        while now < end:
            if join_at_us is not None and late is None and now >= join_at_us:
                late = Guest(StreamStart.from_wire(start.to_wire()), now)
                guests.append(late)
                for kept in host.catch_up(now):
                    late.receive(kept.frame, now)
            for _ in range(host.due(now)):
                chunk = next(chunks, None)
                if chunk is None:
                    break
                sent = host.add(encoder.encode(chunk.pcm), now)
                for guest in guests:
                    guest.receive(sent.frame, now)
            now += 10_000
            for guest in guests:
                if now >= PLAY_AT:
                    guest.play_until(now)
    return reference, guests[0], late


@pytest.fixture(scope="module")
def song(tmp_path_factory):
    return write(tmp_path_factory.mktemp("party") / "song", "flac", seconds=3.0, rate=44_100)


@pytest.mark.parametrize("codec", CODECS)
def test_a_guest_hears_the_file_at_the_stamped_instant(song, codec):
    reference, guest, _ = run_party(song, codec)
    heard = bytes(guest.heard[:len(reference)])
    assert len(heard) == len(reference)
    assert guest.buffer.late == 0 and guest.buffer.refused == 0
    if codec != "opus":
        assert heard == reference
        return
    # Opus is lossy, and stamped for its look-ahead: at PLAY_AT the guest must be at the
    # file's first frame, so the match is best with no shift at all.
    ref, out = array("h", reference)[0::2], array("h", heard)[0::2]
    window = slice(4800, 4800 + 9600)

    def match(shift: int) -> float:
        return correlation(ref[window], out[window.start + shift:window.stop + shift])

    assert match(0) > 0.98
    assert match(0) > max(match(-312), match(312), match(-24), match(24))


@pytest.mark.parametrize("codec", CODECS)
def test_a_late_joiner_is_in_step_from_its_first_sound(song, codec):
    join = PLAY_AT + 1_200_000
    _, first, late = run_party(song, codec, join_at_us=join)
    silent = bytes(FRAME_BYTES)
    first_sound = next(i for i in range(0, len(late.heard), FRAME_BYTES)
                       if late.heard[i:i + FRAME_BYTES] != silent) // FRAME_BYTES
    # the host gave it every kept chunk from now + 400 ms on: it sounds a chunk after that at most
    assert 400 * 48 <= first_sound < 400 * 48 + CHUNK_FRAMES
    # from then on it plays what guest 1 plays at the same instants
    offset = late.first_frame - first.first_frame
    its = bytes(late.heard[first_sound * FRAME_BYTES:])
    theirs = bytes(first.heard[(offset + first_sound) * FRAME_BYTES:][:len(its)])
    assert len(its) > 48_000 * FRAME_BYTES
    its = its[:len(theirs)]
    if codec != "opus":
        assert its == theirs
    else:                               # a decoder that starts mid-stream settles within a chunk
        skip = 2 * CHUNK_FRAMES * FRAME_BYTES
        assert correlation(array("h", its[skip:])[0::2], array("h", theirs[skip:])[0::2]) > 0.99


@pytest.mark.parametrize("codec", CODECS)
def test_a_seek_flushes_what_is_buffered_and_plays_the_new_position_at_the_switch(song, codec):
    """Play, then at PLAY_AT + 1 s seek to 0.5 s in the file: the switch falls on the old
    stream's next chunk boundary 400 ms later; the guest plays the old position up to its
    STREAM_CLEAR instant and the file from 0.5 s from the switch on."""
    with FileSource(song) as source:
        reference = b"".join(c.pcm for c in source.chunks())
    encoder = make_encoder(codec, CHUNK_FRAMES)
    host = HostStream(delay_frames=encoder.delay_frames)
    guest = Guest(StreamStart(codec, encoder.header), PLAY_AT)
    host.start(PLAY_AT)
    seek_at, position = PLAY_AT + 1_000_000, 24_000
    switch = clear_from = None
    with FileSource(song) as source:
        chunks = source.chunks()
        now = T0
        while now < PLAY_AT + 2_500_000:
            if switch is None and now >= seek_at:
                switch = host.boundary_after(now + 400_000)
                clear_from = host.start(switch)
                encoder.reset()
                guest.buffer.clear(clear_from)      # STREAM_CLEAR
                guest.decoder.reset()
                source.seek(position)
                chunks = source.chunks()
            for _ in range(host.due(now)):
                sent = host.add(encoder.encode(next(chunks).pcm), now)
                guest.receive(sent.frame, now)
            now += 10_000
            guest.play_until(now)
    at = lambda us: (guest.buffer.frame_at(us) - guest.first_frame) * FRAME_BYTES  # noqa: E731
    assert switch - (seek_at + 400_000) < 20_000
    before = guest.heard[:at(clear_from)]
    after = bytes(guest.heard[at(switch):at(switch) + 48_000 * FRAME_BYTES])
    with FileSource(song) as source:        # what the file gives from there (the resampler
        source.seek(position)               # restarts, so not quite `reference`'s frames)
        wanted = b"".join(c.pcm for c in source.chunks())[:len(after)]
    if codec != "opus":
        assert clear_from == switch
        assert before == reference[:len(before)]
        assert after == wanted
    else:
        ref, out = array("h", wanted)[0::2], array("h", after)[0::2]
        assert correlation(ref[960:], out[960:]) > 0.98
        assert guest.buffer.late == 0
