"""The streaming file source: every format decodes to the party's PCM in fixed chunks, with tags,
cover art, seeking, and a clear error for files that are not sound or are damaged."""

from __future__ import annotations

import os
import random
from pathlib import Path

import mutagen.flac
import mutagen.id3
import av
import psutil
import pytest

from loudsync_desktop.audio.source import (CHUNK_FRAMES, FRAME_BYTES, MAX_COVER_BYTES,
                                           MAX_TAG_CHARS, Chunker, FileSource, SourceError)

from .helpers import sox
from .media import (FORMATS, LOSSLESS, add_cover, best_alignment, channel, tone, tone_power, write,
                    write_video_only)

RATE = 48_000
TAGS = {"title": "Night Bus", "artist": "The Testers", "album": "Loopback"}
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8 + b"\xff\xd9"   # bytes are enough: never decoded
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    return {kind: write(folder / f"song-{kind}", kind, seconds=2.0, tags=TAGS) for kind in FORMATS}


def read_all(path: Path, **kwargs) -> list:
    with FileSource(path, **kwargs) as source:
        return list(source.chunks())


def assert_stereo_tone(pcm: bytes) -> None:
    """Left carries 440 Hz, right 660 Hz (media.tone): right rate, channels not swapped or mixed."""
    window = pcm[RATE // 4 * FRAME_BYTES:RATE // 2 * FRAME_BYTES]  # 250 ms, past any codec warm-up
    left, right = channel(window, 0), channel(window, 1)
    assert tone_power(left, RATE, 440) > 50 * tone_power(left, RATE, 660)
    assert tone_power(right, RATE, 660) > 50 * tone_power(right, RATE, 440)


@pytest.mark.parametrize("kind", list(FORMATS))
def test_every_format_decodes_to_48k_stereo_chunks(files, kind):
    chunks = read_all(files[kind])
    assert all(len(c.pcm) == CHUNK_FRAMES * FRAME_BYTES for c in chunks)
    assert [c.position for c in chunks] == [i * CHUNK_FRAMES for i in range(len(chunks))]
    assert all(c.frames == CHUNK_FRAMES for c in chunks[:-1])
    total = sum(c.frames for c in chunks)
    # Lossless files come out frame-exact; lossy ones may keep some encoder priming.
    slack = 2 if kind in LOSSLESS else RATE // 20
    assert abs(total - 2 * RATE) <= slack, total
    assert_stereo_tone(b"".join(c.pcm for c in chunks))


@pytest.mark.parametrize("kind", list(FORMATS))
def test_every_format_reads_its_tags(files, kind):
    with FileSource(files[kind]) as source:
        tags = source.tags
    assert tags.title == "Night Bus"
    if kind != "aiff":              # FFmpeg's AIFF writer stores only the name
        assert (tags.artist, tags.album) == ("The Testers", "Loopback")
    assert abs(tags.duration_ms - 2000) <= 50


@pytest.mark.parametrize("kind", ["adts", "video"])
def test_raw_aac_and_the_sound_of_a_music_video_play_too(tmp_path, kind):
    """A .aac without a container, whose length FFmpeg guesses, and an .mp4 whose first stream
    is video (no video decoder runs: only the sound is read)."""
    path = write(tmp_path / f"song-{kind}", kind, seconds=2.0, tags=TAGS)
    with FileSource(path) as source:
        assert abs(source.tags.duration_ms - 2000) <= 100
        pcm = b"".join(c.pcm for c in source.chunks())
    assert abs(len(pcm) // FRAME_BYTES - 2 * RATE) <= RATE // 10
    assert_stereo_tone(pcm)
    if kind == "video":
        assert source.tags.title == "Night Bus"


def test_untagged_file_is_named_after_itself_and_mono_is_spread_to_both_channels(tmp_path):
    path = tmp_path / "Kitchen Radio.wav"
    sox("-n", "-r", 22_050, "-c", 1, path, "synth", 1.0, "sine", 440, "vol", 0.5)
    with FileSource(path) as source:
        assert (source.tags.title, source.tags.artist) == ("Kitchen Radio", "")
        pcm = b"".join(c.pcm for c in source.chunks())
    left, right = channel(pcm, 0), channel(pcm, 1)
    assert left == right and max(left) > 10_000
    assert len(left) == 50 * CHUNK_FRAMES


@pytest.mark.parametrize("kind", list(FORMATS))
def test_seek_starts_at_the_asked_position(files, kind):
    with FileSource(files[kind]) as source:
        whole = sum(c.frames for c in source.chunks())
        source.seek(RATE)
        chunks = list(source.chunks())
        assert chunks[0].position == RATE
        rest = sum(c.frames for c in chunks)
        slack = 2 if kind in LOSSLESS else RATE // 20
        assert abs(rest - (whole - RATE)) <= slack, (whole, rest)
        assert_stereo_tone(b"".join(c.pcm for c in chunks))
        source.seek(0)                          # and back to the start, on the same file
        assert sum(c.frames for c in source.chunks()) == whole


def test_seek_on_lossless_lands_on_the_same_audio(files):
    with FileSource(files["flac"]) as source:
        whole = b"".join(c.pcm for c in source.chunks())
        source.seek(RATE)
        after = b"".join(c.pcm for c in source.chunks())
    # The resampler restarts at the seek (so its first frames differ, and the seek point falls
    # between two output frames): the audio after it must line up with the whole read to the
    # frame, i.e. no other shift matches better.
    b = channel(after[64 * FRAME_BYTES:64 * FRAME_BYTES + 9600], 0)

    def distance(lag: int) -> int:
        at = (RATE + 64 + lag) * FRAME_BYTES
        return sum(abs(x - y) for x, y in zip(channel(whole[at:at + 9600], 0), b,
                                                 strict=True))

    assert min(range(-3, 4), key=distance) == 0


def test_seek_past_the_end_gives_nothing(files):
    with FileSource(files["flac"]) as source:
        source.seek(10 * RATE)
        assert list(source.chunks()) == []


def test_chunks_of_another_length(files):
    chunks = read_all(files["wav"], chunk_frames=480)
    assert {len(c.pcm) for c in chunks} == {480 * FRAME_BYTES}
    assert sum(c.frames for c in chunks) == 2 * RATE


@pytest.mark.parametrize("kind", list(FORMATS))
def test_every_format_decodes_to_what_was_encoded_frame_aligned(files, kind):
    """The content, not only its pitch: each channel correlates with the tone that was encoded
    (at 48 kHz) at the very frame it should, so positions and seeks mean the same in every
    format."""
    pcm = b"".join(c.pcm for c in read_all(files[kind]))
    reference = tone(2 * RATE, RATE)
    # FFmpeg's own Vorbis encoder (the only one in the wheel) is "experimental": it blurs the
    # right channel to ~0.95 however it is decoded.
    least = 0.9999 if kind in LOSSLESS else 0.9 if kind == "vorbis" else 0.98
    for at in (RATE // 4, RATE):
        # The left channel repeats only every 100 ms: its best match tells the alignment.
        lag, score = best_alignment(channel(pcm, 0), channel(reference, 0), at)
        assert (lag, score > least) == (0, True), (at, lag, score)
        lag, score = best_alignment(channel(pcm, 1), channel(reference, 1), at, span=0)
        assert score > least, (at, score)


@pytest.mark.parametrize("kind", list(FORMATS))
def test_every_format_reads_its_cover_and_tags_and_still_plays_from_the_start(files, tmp_path,
                                                                             kind):
    path = tmp_path / f"cover{files[kind].suffix}"
    path.write_bytes(files[kind].read_bytes())
    add_cover(path, kind, PNG, mime="image/png", tags=TAGS)
    with FileSource(path) as source:
        assert (source.tags.cover, source.tags.cover_type) == (PNG, "image/png")
        assert (source.tags.title, source.tags.artist, source.tags.album) == tuple(TAGS.values())
        # Reading the cover must not cost the audio its start.
        pcm = b"".join(c.pcm for c in source.chunks())
    assert best_alignment(channel(pcm, 0), channel(tone(RATE, RATE), 0), RATE // 4)[0] == 0
    with FileSource(path, max_cover_bytes=len(PNG) - 1) as source:
        assert source.tags.cover is None and source.tags.title == "Night Bus"


@pytest.mark.parametrize("kind", list(FORMATS))
def test_a_huge_cover_is_ignored_and_never_decoded(files, tmp_path, kind):
    """A cover over MAX_COVER_BYTES is left out of the tags, and FFmpeg never runs an image
    decoder on any cover (it would while opening the file, to learn the picture's size): this
    one is damaged JPEG, which the decoder would complain about."""
    path = tmp_path / f"huge-cover{files[kind].suffix}"
    path.write_bytes(files[kind].read_bytes())
    huge = b"\xff\xd8\xff\xe0" + random.Random(kind).randbytes(MAX_COVER_BYTES + 1000)
    add_cover(path, kind, huge, tags=TAGS)
    before = av.logging.get_level()
    av.logging.set_level(av.logging.DEBUG)
    try:
        with av.logging.Capture() as logs:
            with FileSource(path) as source:
                tags = source.tags
                frames = sum(c.frames for c in source.chunks())
    finally:
        av.logging.set_level(before)
    assert tags.cover is None and tags.title == "Night Bus"
    assert frames == pytest.approx(2 * RATE, abs=RATE // 20)
    # The only word from the image decoder: that it may not run.
    image_decoder = [line for line in logs if line[1] == "mjpeg" and "whitelist" not in line[2]]
    assert not image_decoder, image_decoder[:5]


@pytest.mark.parametrize("kind", ["mp3", "flac", "vorbis", "aac"])
def test_garbage_and_endless_tags_are_bounded_to_one_clean_line(files, tmp_path, kind):
    path = tmp_path / f"garbage{files[kind].suffix}"
    path.write_bytes(files[kind].read_bytes())
    import mutagen
    audio = mutagen.File(path, easy=True)
    if audio.tags is None:
        audio.add_tags()
    audio["title"] = "Night\tBus\r\n\x1b[31m" + "la" * 50_000
    audio["artist"] = "\u202e" + "\U0001f3b5" * 1000
    audio["album"] = "   "
    audio.save()
    with FileSource(path) as source:
        tags = source.tags
        assert sum(c.frames for c in source.chunks()) == pytest.approx(2 * RATE, abs=RATE // 20)
    assert tags.title.startswith("Night Bus [31mlala") and len(tags.title) == MAX_TAG_CHARS
    assert len(tags.artist) <= MAX_TAG_CHARS and tags.artist.endswith("\U0001f3b5")
    assert tags.album == ""
    assert not [ch for ch in tags.title + tags.artist if ord(ch) < 32]


@pytest.mark.parametrize("name, content, says", [
    ("noise.mp3", random.Random(7).randbytes(20_000), "not a sound file"),
    ("notes.wav", b"shopping list: milk, eggs\n" * 50, "not a sound file"),
    ("empty.flac", b"", "no sound"),
])
def test_files_that_are_not_sound_get_a_clear_error(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        read_all(path)
    assert name in caught.value.message and says in caught.value.message
    assert caught.value.after_frames == 0


def test_a_missing_file_gets_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="gone.ogg: the file is not there"):
        FileSource(tmp_path / "gone.ogg")


def test_a_video_without_sound_a_folder_and_a_vanished_path_get_clear_errors(tmp_path):
    video = write_video_only(tmp_path / "screen recording.mp4")
    with pytest.raises(SourceError, match="screen recording.mp4: the file has no sound in it"):
        FileSource(video)
    folder = tmp_path / "Albums.flac"
    folder.mkdir()
    with pytest.raises(SourceError, match="Albums.flac is a folder, not a sound file"):
        FileSource(folder)
    song = write(tmp_path / "song", "flac")
    FileSource(song).close()                # added to the queue, then deleted before it plays
    song.unlink()
    with pytest.raises(SourceError, match="song.flac: the file is not there any more"):
        FileSource(song)


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes only on POSIX")
def test_a_file_named_in_a_legacy_encoding_gets_a_title_that_can_be_sent(files, tmp_path):
    """Latin-1 names from old collections: Python keeps the odd byte as a lone surrogate,
    which no JSON message can carry."""
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/Caf\xe9 del Mar.flac"))
    path.write_bytes(files["flac"].read_bytes())
    mutagen.flac.FLAC(path).delete()    # no title tag: the name is the title
    with FileSource(path) as source:
        assert source.tags.title == "Caf\ufffd del Mar"
        source.tags.title.encode("utf-8")


def test_a_file_deleted_while_it_plays_plays_to_its_end(files, tmp_path):
    """The open file stays readable after its name is gone (POSIX): nothing to report."""
    path = tmp_path / "deleted.flac"
    path.write_bytes(files["flac"].read_bytes())
    with FileSource(path) as source:
        chunks = source.chunks()
        played = next(chunks).frames
        path.unlink()
        played += sum(c.frames for c in chunks)
    assert played == 2 * RATE


def _bytes_read() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="counts bytes read in /proc")
@pytest.mark.parametrize("kind", list(FORMATS))
def test_reading_the_tags_reads_a_little_of_the_file_whatever_its_length(tmp_path, kind):
    """What the host does for every file added (folders of hundreds): open, tags, close. It
    must not read the audio: two minutes of any format cost at most the file's head and, for
    Ogg (its length is on its last page), its tail."""
    path = write(tmp_path / f"long-{kind}", kind, seconds=120, tags=TAGS)
    before = _bytes_read()
    with FileSource(path) as source:
        assert source.tags.title == "Night Bus"
    read = _bytes_read() - before
    size = path.stat().st_size
    assert read < 200_000 and read < size / 4, (read, size)


def test_an_mp3_that_changes_rate_and_channels_part_way_plays_both_parts(tmp_path):
    """Two mp3s joined into one file (or damage that looks so): the resampler is set up on the
    first frame, so the second part needs a new one, not a ValueError."""
    first = write(tmp_path / "first", "mp3", seconds=1.0, rate=44_100, channels=2)
    second = write(tmp_path / "second", "mp3", seconds=1.0, rate=22_050, channels=1)
    joined = tmp_path / "joined.mp3"
    joined.write_bytes(first.read_bytes() + second.read_bytes())
    played = 0
    try:
        with FileSource(joined) as source:
            for chunk in source.chunks():
                played += chunk.frames
    except SourceError as error:    # its stated length may be the first part's guess
        assert error.after_frames == pytest.approx(played, abs=CHUNK_FRAMES)
    assert played == pytest.approx(2 * RATE, abs=RATE // 10)


# FFmpeg's mp4 muxer puts the index (moov) last, so half an m4a cannot open; its Vorbis in Ogg
# cannot either. The others play what is there, then say what happened.
CANNOT_OPEN_HALF = {"aac", "alac", "vorbis"}


@pytest.mark.parametrize("kind", list(FORMATS))
def test_a_truncated_file_plays_what_is_there_then_says_so(files, tmp_path, kind):
    data = files[kind].read_bytes()
    path = tmp_path / f"half{files[kind].suffix}"
    path.write_bytes(data[:len(data) // 2])
    played = 0
    with pytest.raises(SourceError, match="damaged") as caught:
        with FileSource(path) as source:
            for chunk in source.chunks():
                played += chunk.frames
    assert caught.value.message.startswith(path.name)
    if kind in CANNOT_OPEN_HALF:
        assert (played, caught.value.after_frames) == (0, 0)
        assert "not a sound file LoudSync can read, or it is damaged" in caught.value.message
    else:
        assert "incomplete or damaged" in caught.value.message
        assert RATE // 2 < played < 3 * RATE // 2
        assert caught.value.after_frames == pytest.approx(played, abs=CHUNK_FRAMES)


@pytest.mark.parametrize("kind", ["wav", "aiff", "opus", "flac"])
def test_a_file_cut_off_while_it_plays_says_so_where_it_stopped(files, tmp_path, kind):
    """As when a USB stick or a network share goes away: what was read plays, then a clear
    message with the position, never an exception of another kind."""
    data = write(tmp_path / f"long-{kind}", kind, seconds=20.0).read_bytes()
    path = tmp_path / f"cut{files[kind].suffix}"
    path.write_bytes(data)
    played = 0
    with pytest.raises(SourceError, match="incomplete or damaged") as caught:
        with FileSource(path) as source:
            for index, chunk in enumerate(source.chunks()):
                played += chunk.frames
                if index == 10:
                    os.truncate(path, len(data) // 4)
    assert 3 * RATE < played < 7 * RATE
    assert caught.value.after_frames == pytest.approx(played, abs=CHUNK_FRAMES)


def test_ogg_and_wav_that_are_whole_are_never_called_cut(files, tmp_path):
    """The checks for a cut (an Ogg's last page marked last, a WAV's data size) pass on whole
    files, also a WAV written to a pipe, which does not know its size."""
    for kind in ("opus", "vorbis", "wav"):
        assert sum(c.frames for c in read_all(files[kind])) >= 2 * RATE
    streamed = tmp_path / "streamed.wav"
    data = bytearray(files["wav"].read_bytes())
    at = data.index(b"data")
    data[at + 4:at + 8] = b"\xff\xff\xff\xff"
    streamed.write_bytes(bytes(data))
    assert sum(c.frames for c in read_all(streamed)) == 2 * RATE


@pytest.mark.parametrize("kind", list(FORMATS))
def test_damage_in_the_middle_never_escapes_as_anything_but_source_error(files, tmp_path, kind):
    data = bytearray(files[kind].read_bytes())
    noise = random.Random(kind).randbytes(3000)
    third = len(data) // 3
    data[third:third + len(noise)] = noise
    path = tmp_path / f"scratched{files[kind].suffix}"
    path.write_bytes(bytes(data))
    try:
        chunks = read_all(path)
    except SourceError as error:
        assert path.name in error.message
    else:
        assert all(len(c.pcm) == CHUNK_FRAMES * FRAME_BYTES for c in chunks)


@pytest.mark.parametrize("kind", list(FORMATS))
def test_many_kinds_of_damage_give_audio_or_a_source_error_and_nothing_else(files, tmp_path,
                                                                           kind):
    """Seeded damage of every kind (cut anywhere, bytes flipped anywhere or in the header, a run
    of zeros), with a cover in the file: each read, seek and read again ends in chunks or a
    SourceError naming the file. (A longer run of this found the mp3 that changes its rate.)"""
    clean = tmp_path / f"clean{files[kind].suffix}"
    clean.write_bytes(files[kind].read_bytes())
    add_cover(clean, kind, JPEG, tags=TAGS)
    data = clean.read_bytes()
    rng = random.Random(f"damage-{kind}")
    path = tmp_path / f"damaged{files[kind].suffix}"
    for _ in range(25):
        damaged = bytearray(data)
        how = rng.choice(("cut", "flip", "header", "zeros"))
        if how == "cut":
            damaged = damaged[:rng.randrange(len(damaged))]
        elif how in ("flip", "header"):
            reach = len(damaged) if how == "flip" else min(len(damaged), 200)
            for _ in range(rng.randrange(1, 50)):
                damaged[rng.randrange(reach)] = rng.randrange(256)
        else:
            at = rng.randrange(len(damaged))
            damaged[at:at + 2000] = bytes(len(damaged[at:at + 2000]))
        path.write_bytes(bytes(damaged))
        try:
            with FileSource(path) as source:
                assert len(source.tags.title) <= MAX_TAG_CHARS
                list(source.chunks())
                source.seek(RATE // 2)
                list(source.chunks())
        except SourceError as error:
            assert error.message.startswith(path.name), error.message


def test_memory_stays_flat_over_a_long_file(tmp_path):
    """Ten minutes of FLAC decode to 115 MB of PCM; the source never holds more than a few
    chunks."""
    path = tmp_path / "long.flac"
    sox("-n", "-r", 44_100, "-c", 2, path, "synth", 600, "sine", 440, "vol", 0.5)
    process = psutil.Process()
    with FileSource(path) as source:
        chunks = source.chunks()
        for _ in range(500):            # warm up allocators and FFmpeg's buffers
            next(chunks)
        before = process.memory_info().rss
        frames = 500 * CHUNK_FRAMES
        for chunk in chunks:
            frames += chunk.frames
    grown = process.memory_info().rss - before
    assert frames > 590 * RATE
    assert grown < 20 * 1024 * 1024, grown


def test_chunker_is_gapless_across_feeds_and_pads_only_the_end():
    chunker = Chunker(4, position=100)
    one = bytes(range(24))              # 6 frames
    two = bytes(range(100, 108))        # 2 frames
    out = list(chunker.feed(one))
    assert [(c.position, c.frames, c.pcm) for c in out] == [(100, 4, one[:16])]
    out = list(chunker.feed(two))       # the next track's frames complete the chunk
    assert [(c.position, c.pcm) for c in out] == [(104, one[16:] + two)]
    assert chunker.finish() is None
    list(chunker.feed(bytes(4)))
    last = chunker.finish()
    assert (last.position, last.frames, len(last.pcm)) == (108, 1, 16)
    with pytest.raises(ValueError):
        list(chunker.feed(b"abc"))



def test_only_a_stated_length_is_trusted_to_tell_truncation(files, tmp_path):
    """Without a Xing/Info frame count FFmpeg guesses an mp3's length from its bit rate; ending
    short of a guess proves no damage, so such a file is never called truncated."""
    data = files["mp3"].read_bytes()
    assert b"Xing" in data or b"Info" in data
    guessed = tmp_path / "no-frame-count.mp3"
    guessed.write_bytes(data.replace(b"Xing", b"Nope").replace(b"Info", b"Nope"))
    tagged = tmp_path / "tagged.mp3"                # the frame count behind an ID3 tag
    tagged.write_bytes(data)
    tags = mutagen.id3.ID3(tagged)
    tags.add(mutagen.id3.APIC(encoding=3, mime="image/jpeg", type=3, desc="front", data=JPEG * 4))
    tags.save(tagged)
    for path, exact in ((files["mp3"], True), (tagged, True), (guessed, False),
                        (files["flac"], True), (files["aac"], True)):
        with FileSource(path) as source:
            assert source._exact_length is exact, path.name
