"""Chunk codecs: each chunk encodes to one unit and decodes back to exactly one chunk; FLAC and PCM
bit-exact, Opus close to the original once its look-ahead is accounted for; bad bytes are a
CodecError and leave the decoder working."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loudsync_desktop.audio.codec import (CODECS, FLAC_HEADER_BYTES, CodecError, make_decoder,
                                          make_encoder)

from .media import correlation, tone

CHUNK = 960
CHUNK_BYTES = CHUNK * 4
SECOND = tone(48_000, 48_000).tobytes()


def chunks_of(pcm: bytes, size: int = CHUNK_BYTES) -> list[bytes]:
    return [pcm[i:i + size] for i in range(0, len(pcm) - size + 1, size)]


def round_trip(codec: str, pcm: bytes = SECOND) -> tuple[bytes, list[bytes], object]:
    encoder = make_encoder(codec, CHUNK)
    decoder = make_decoder(codec, CHUNK, encoder.header)
    units = [encoder.encode(c) for c in chunks_of(pcm)]
    return b"".join(decoder.decode(u) for u in units), units, encoder


@pytest.mark.parametrize("codec", ["flac", "pcm"])
def test_lossless_codecs_are_bit_exact(codec):
    decoded, units, encoder = round_trip(codec)
    assert decoded == SECOND
    assert encoder.delay_frames == 0
    if codec == "flac":
        assert sum(map(len, units)) < len(SECOND) * 0.7     # it does compress


def test_opus_is_close_to_the_original_after_its_look_ahead():
    decoded, units, encoder = round_trip("opus")
    assert len(decoded) == len(SECOND)
    delay = encoder.delay_frames
    assert 0 < delay < CHUNK
    original, out = array("h", SECOND), array("h", decoded)
    for ch in (0, 1):
        # decoded frame i + delay is original frame i; skip the first chunk (encoder warm-up)
        a = original[ch + 2 * CHUNK:len(original) - 2 * delay:2]
        b = out[ch + 2 * (CHUNK + delay)::2][:len(a)]
        assert correlation(a, b) > 0.98
        # and the look-ahead is real: without it the match is clearly worse
        b_unaligned = out[ch + 2 * CHUNK::2][:len(a)]
        assert correlation(a, b_unaligned) < correlation(a, b) - 0.05
    # 128 kbit/s is a twelfth of PCM's 1536; VBR may spend more on a synthetic tone
    assert sum(map(len, units)) < len(SECOND) / 6


def test_flac_header_is_the_stream_marker_and_streaminfo():
    header = make_encoder("flac", CHUNK).header
    assert len(header) == FLAC_HEADER_BYTES and header[:4] == b"fLaC" and header[4] == 0x80
    assert make_encoder("opus", CHUNK).header is None and make_encoder("pcm", CHUNK).header is None


def test_flac_chunks_decode_on_their_own_in_any_order():
    _, units, encoder = round_trip("flac")
    decoder = make_decoder("flac", CHUNK, encoder.header)
    assert decoder.decode(units[7]) == chunks_of(SECOND)[7]
    assert decoder.decode(units[2]) == chunks_of(SECOND)[2]


def test_opus_decoder_carries_on_after_a_lost_chunk():
    _, units, encoder = round_trip("opus")
    decoder = make_decoder("opus", CHUNK)
    for unit in units[:10] + units[11:]:
        assert len(decoder.decode(unit)) == CHUNK_BYTES


def test_encoder_reset_starts_a_fresh_stream():
    encoder = make_encoder("opus", CHUNK)
    first = [encoder.encode(c) for c in chunks_of(SECOND)[:3]]
    encoder.reset()
    again = [encoder.encode(c) for c in chunks_of(SECOND)[:3]]
    assert first == again


@pytest.mark.parametrize("codec", CODECS)
def test_encoders_refuse_pcm_that_is_not_one_chunk(codec):
    encoder = make_encoder(codec, CHUNK)
    with pytest.raises(ValueError):
        encoder.encode(bytes(CHUNK_BYTES - 4))


def test_unknown_codecs_and_bad_settings():
    with pytest.raises(ValueError):
        make_encoder("mp3")
    with pytest.raises(ValueError):
        make_encoder("opus", 1000)          # not an Opus frame length
    with pytest.raises(CodecError):
        make_decoder("vorbis")
    with pytest.raises(CodecError):
        make_decoder("flac", CHUNK, None)
    with pytest.raises(CodecError):
        make_decoder("opus", 1000)


def test_flac_header_for_another_format_or_garbage_is_refused():
    header = bytearray(make_encoder("flac", CHUNK).header)
    with pytest.raises(CodecError):
        make_decoder("flac", CHUNK, bytes(header[:-1]))
    with pytest.raises(CodecError):
        make_decoder("flac", CHUNK, b"OggS" + bytes(header[4:]))
    # 44.1 kHz in STREAMINFO (20-bit rate at byte 10 of it)
    info = 8
    rate_bits = int.from_bytes(header[info + 10:info + 13], "big") & 0xF
    header[info + 10:info + 13] = ((44_100 << 4) | rate_bits).to_bytes(3, "big")
    with pytest.raises(CodecError, match="44100 Hz"):
        make_decoder("flac", CHUNK, bytes(header))


def test_a_chunk_of_the_wrong_length_is_refused():
    opus_10ms = make_encoder("opus", 480).encode(SECOND[:480 * 4])
    with pytest.raises(CodecError, match="480 frames"):
        make_decoder("opus", CHUNK).decode(opus_10ms)
    flac_small = make_encoder("flac", 480)
    with pytest.raises(CodecError, match="480 frames"):
        make_decoder("flac", CHUNK, flac_small.header).decode(flac_small.encode(SECOND[:480 * 4]))
    with pytest.raises(CodecError):
        make_decoder("pcm", CHUNK).decode(bytes(CHUNK_BYTES + 4))
    for codec in CODECS:
        with pytest.raises(CodecError):
            make_decoder(codec, CHUNK, make_encoder(codec, CHUNK).header).decode(b"")


@pytest.mark.parametrize("codec", CODECS)
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.binary(min_size=1, max_size=4000))
def test_garbage_is_a_codec_error_and_the_decoder_still_works(codec, garbage):
    encoder = make_encoder(codec, CHUNK)
    decoder = make_decoder(codec, CHUNK, encoder.header)
    try:
        out = decoder.decode(garbage)
    except CodecError:
        pass
    else:
        assert len(out) == CHUNK_BYTES          # garbage that happens to decode is still a chunk
    good = encoder.encode(chunks_of(SECOND)[5])
    assert len(decoder.decode(good)) == CHUNK_BYTES
