"""Tracks: decoding, describing local files, and receiving a file chunk by chunk."""

import array
import hashlib
import logging

import mutagen.flac
import pytest

from loudsync_desktop.audio.library import (SUPPORTED_SUFFIXES, TrackLibrary, UnsupportedAudio,
                                            decode, describe_file)
from loudsync_desktop.protocol.playback import CHANNELS, SAMPLE_RATE, TRACK_CHUNK_BYTES
from testsupport.measure import write_test_tone

from .helpers import sine_file, sox, wait_for


@pytest.fixture(scope="module")
def tone(tmp_path_factory):
    """0.25 s of the measuring ramp as a WAV, and its bytes."""
    path = tmp_path_factory.mktemp("tone") / "ramp tone.wav"
    write_test_tone(path, seconds=0.25)
    return path, path.read_bytes()


def ramp_samples(frames: int) -> array.array:
    out = array.array("h", bytes(frames * 4))
    for i in range(frames):
        out[2 * i] = out[2 * i + 1] = (i % 65536) - 32768
    return out


def peak(samples: array.array) -> int:
    return max(abs(x) for x in samples)


# -- decode -------------------------------------------------------------------------------------
def test_decode_a_wav_gives_its_samples_exactly(tone):
    _, data = tone
    samples = decode(data)
    assert isinstance(samples, array.array) and samples.typecode == "h"
    assert samples == ramp_samples(12_000)


def test_decode_a_flac_made_with_sox_is_lossless(tone, tmp_path):
    path, data = tone
    flac = tmp_path / "ramp.flac"
    sox(path, flac)
    assert flac.read_bytes()[:4] == b"fLaC"
    assert decode(flac.read_bytes()) == decode(data)


def test_decode_resamples_and_upmixes_to_48k_stereo(tmp_path):
    flac = sine_file(tmp_path / "mono44k.flac", seconds=1.0, rate=44_100, channels=1)
    samples = decode(flac.read_bytes())
    frames = len(samples) // CHANNELS
    assert abs(frames - SAMPLE_RATE) <= SAMPLE_RATE // 100          # 1 s, give or take 1 %
    assert samples[0::2] == samples[1::2]                            # mono on both sides
    assert 12_000 < peak(samples) < 20_000                           # a sine at half scale


def test_decode_an_ogg_vorbis_made_with_sox(tmp_path):
    ogg = sine_file(tmp_path / "sine.ogg", seconds=0.5, rate=48_000, channels=2)
    assert ogg.read_bytes()[:4] == b"OggS"
    samples = decode(ogg.read_bytes())
    assert abs(len(samples) // CHANNELS - SAMPLE_RATE // 2) <= SAMPLE_RATE // 100
    assert 12_000 < peak(samples) < 20_000


@pytest.mark.parametrize("data", [b"", b"hello", b"\xff\xfb\x90\x00" * 100, bytes(5000)])
def test_decode_refuses_what_is_not_audio(data):
    with pytest.raises(UnsupportedAudio, match="cannot decode this audio"):
        decode(data)


# -- describe_file -------------------------------------------------------------------------------
def test_describe_a_tagged_flac(tone, tmp_path):
    path = tmp_path / "01 - whatever.flac"
    sox(tone[0], path)
    tags = mutagen.flac.FLAC(path)
    tags["title"] = "Zoë's Song 🎧"
    tags["artist"] = "The Band"
    tags.save()
    track, data = describe_file(path)
    assert data == path.read_bytes()
    assert (track.title, track.artist, track.format) == ("Zoë's Song 🎧", "The Band", "flac")
    assert track.duration_ms == 250 and track.size == len(data)
    assert track.track_id == hashlib.sha256(data).hexdigest()[:20]


def test_without_tags_the_title_is_the_file_name(tone, tmp_path):
    track, data = describe_file(tone[0])
    assert (track.title, track.artist, track.format) == ("ramp tone", "", "wav")
    assert track.duration_ms == 250 and data == tone[1]
    flac = tmp_path / "Untitled Take.FLAC"       # any case of a known suffix
    sox(tone[0], flac)                          # sox writes a comment, but no title
    track, _ = describe_file(flac)
    assert (track.title, track.artist, track.format) == ("Untitled Take", "", "flac")


def test_the_same_content_is_the_same_track(tone, tmp_path):
    copy = tmp_path / "other name.wav"
    copy.write_bytes(tone[1])
    assert describe_file(copy)[0].track_id == describe_file(tone[0])[0].track_id


def test_long_tags_are_cut(tone, tmp_path):
    path = tmp_path / "long.flac"
    sox(tone[0], path)
    tags = mutagen.flac.FLAC(path)
    tags["title"], tags["artist"] = "t" * 500, "a" * 500
    tags.save()
    track, _ = describe_file(path)
    assert len(track.title) == len(track.artist) == 200


def test_files_that_cannot_play_are_refused_with_a_reason(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not music")
    with pytest.raises(UnsupportedAudio) as info:
        describe_file(notes)
    assert str(info.value) == "notes.txt: LoudSync plays mp3, flac, ogg and wav files."
    with pytest.raises(UnsupportedAudio) as info:
        describe_file(tmp_path / "gone.mp3")
    assert str(info.value) == "gone.mp3: No such file or directory"
    corrupt = tmp_path / "corrupt.mp3"
    corrupt.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 40)
    with pytest.raises(UnsupportedAudio, match="^corrupt.mp3: cannot decode this audio"):
        describe_file(corrupt)
    folder = tmp_path / "album.flac"
    folder.mkdir()
    with pytest.raises(UnsupportedAudio, match="^album.flac: "):
        describe_file(folder)
    assert ".txt" not in SUPPORTED_SUFFIXES


# -- TrackLibrary.receive_chunk --------------------------------------------------------------------
def chunks(data: bytes, size: int = TRACK_CHUNK_BYTES // 8):
    return [(offset, data[offset:offset + size]) for offset in range(0, len(data), size)]


def test_a_file_received_in_order_is_decoded_once_complete(tone):
    _, data = tone
    library = TrackLibrary()
    parts = chunks(data)
    assert len(parts) >= 4
    for offset, chunk in parts[:-1]:
        assert library.receive_chunk("t1", offset, len(data), chunk) is False
        assert not library.has_file("t1") and library.file_bytes("t1") is None
    assert library.bytes_received("t1") == parts[-1][0]
    assert library.receive_chunk("t1", parts[-1][0], len(data), parts[-1][1]) is True
    assert library.has_file("t1") and library.file_bytes("t1") == data
    pcm = wait_for(lambda: library.pcm("t1"), what="the decoded track")
    assert pcm == decode(data)


def test_a_resend_after_a_resume_starts_over_or_is_ignored(tone):
    _, data = tone
    library = TrackLibrary()
    parts = chunks(data)
    # Half of it arrives; the connection drops; the host sends it all again from 0.
    for offset, chunk in parts[:2]:
        library.receive_chunk("t1", offset, len(data), chunk)
    assert library.bytes_received("t1") == sum(len(c) for _, c in parts[:2])
    completed = [library.receive_chunk("t1", offset, len(data), chunk) for offset, chunk in parts]
    assert completed == [False] * (len(parts) - 1) + [True]
    assert library.file_bytes("t1") == data
    pcm = wait_for(lambda: library.pcm("t1"), what="the decoded track")
    # Complete already: another resend (the next resume) changes nothing, decodes nothing.
    for offset, chunk in parts:
        assert library.receive_chunk("t1", offset, len(data), b"x" * len(chunk)) is False
    assert library.file_bytes("t1") == data and library.pcm("t1") is pcm


def test_a_gap_is_ignored_until_the_file_is_sent_again(tone):
    _, data = tone
    library = TrackLibrary()
    parts = chunks(data)
    library.receive_chunk("t1", 0, len(data), parts[0][1])
    assert library.receive_chunk("t1", parts[2][0], len(data), parts[2][1]) is False  # 1 lost
    assert library.bytes_received("t1") == len(parts[0][1])
    for offset, chunk in parts[3:]:
        assert library.receive_chunk("t1", offset, len(data), chunk) is False
    assert not library.has_file("t1") and library.pcm("t1") is None
    for offset, chunk in parts:
        library.receive_chunk("t1", offset, len(data), chunk)
    assert library.file_bytes("t1") == data
    wait_for(lambda: library.pcm("t1"), what="the decoded track")


def test_a_different_size_is_a_different_file():
    library = TrackLibrary()
    library.receive_chunk("t1", 0, 10, b"abcde")
    library.receive_chunk("t1", 0, 4, b"wxyz")
    assert library.file_bytes("t1") == b"wxyz"


def test_a_complete_file_that_does_not_decode_stays_silent(caplog):
    library = TrackLibrary()
    caplog.set_level(logging.WARNING, logger="loudsync_desktop.audio.library")
    assert library.receive_chunk("bad", 0, 5, b"hello") is True
    wait_for(lambda: "cannot decode" in caplog.text, what="the decoder to give up")
    assert library.pcm("bad") is None and library.has_file("bad")


def test_forget_except_keeps_only_the_queue(tone):
    library = TrackLibrary()
    library.add_complete("keep", tone[1], pcm=array.array("h", [1, 2]))
    library.add_complete("drop", tone[1], pcm=array.array("h", [3, 4]))
    library.receive_chunk("partial", 0, 10, b"abc")
    library.forget_except({"keep"})
    assert library.pcm("keep") == array.array("h", [1, 2])
    assert library.pcm("drop") is None and library.bytes_received("partial") == 0
    assert library.pcm(None) is None
