"""An audio file read as it plays: tags, cover art, and the party's PCM in fixed chunks.

``FileSource`` opens one file with PyAV (FFmpeg: mp3, AAC/m4a, ALAC, FLAC, Ogg
Vorbis, Opus, WAV, AIFF and more), resamples whatever it holds to the party's
stream format (48 kHz, stereo, interleaved signed 16-bit, as the engine plays)
and hands it out in chunks of a fixed number of frames, each with the position
of its first frame in the track. It decodes only as far as it is read, so it
holds one decoded packet plus less than a chunk, whatever the file's length.

Every failure a person can cause (a missing file, not audio, damaged data) is a
``SourceError`` whose message can be shown as it is; nothing else escapes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import av

from ..protocol.errors import LoudSyncError
from ..protocol.playback import SAMPLE_RATE
from ..protocol.stream import CHUNK_FRAMES, FRAME_BYTES
from .codec import frame_pcm

MAX_COVER_BYTES = 4 * 1024 * 1024       # larger cover images are ignored, never decoded
MAX_BAD_PACKETS = 32                    # damaged packets in a row before giving up on a file
TRUNCATION_SLACK_MS = 1_000             # ending this much before the stated length is truncation
MAX_TAG_CHARS = 200                     # a title, artist or album is cut here (tags can be huge)
# How much FFmpeg may read to find a file's streams. With its default (5 MB, 5 s) it reads 5 s of
# a WAV's PCM and opening one costs ~20 ms; with 32 kB ~1 ms, every format under 1.5 ms (without
# covers). Files with a header (m4a, flac, ogg, wav, aiff) say all in it, an ID3 tag does not
# count, and 32 kB is 2 s of a 128 kbit/s mp3 or raw AAC, whose first frames are enough
# (tests/audio: every format, also with covers of megabytes).
PROBE_BYTES = 32 * 1024

_COVER_TYPES = {"mjpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
                "webp": "image/webp", "bmp": "image/bmp"}


def _audio_decoders() -> str:
    names = []
    for name in sorted(av.codecs_available):
        try:
            if av.Codec(name, "r").type == "audio":
                names.append(name)
        except (av.FFmpegError, ValueError):     # an encoder-only name
            continue
    return ",".join(names)


# Only audio decoders may run on a file: FFmpeg would otherwise decode a cover image (of any
# size) while it opens the file, and a damaged or hostile file could reach any video decoder.
_OPEN_OPTIONS = {"codec_whitelist": _audio_decoders(), "probesize": str(PROBE_BYTES)}
_CONTROL = dict.fromkeys(range(32), " ") | {127: " "}


def _tag(value: str, fallback: str = "") -> str:
    """A tag as it can be shown and sent: one line, no control characters, at most
    MAX_TAG_CHARS, valid Unicode (a file name in a legacy encoding reaches us with its odd bytes
    as lone surrogates, which JSON cannot carry: they become U+FFFD)."""
    value = value[:4 * MAX_TAG_CHARS]
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:                            # the file name's own bytes back, then read as UTF-8
            raw = value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "surrogatepass")
        value = raw.decode("utf-8", "replace")
    text = " ".join(value.translate(_CONTROL).split())
    return text[:MAX_TAG_CHARS].rstrip() or fallback


_OGG_MAX_PAGE = 27 + 255 + 255 * 255    # header, segment table, payload


def _wav_data_missing(f: BinaryIO, size: int) -> bool:
    """A RIFF/WAVE file whose ``data`` chunk says it is longer than the file. Writers that
    stream (a pipe) leave the size 0 or 0xFFFFFFFF: unknown, never taken for a cut."""
    head = f.read(12)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return False
    at = 12
    for _ in range(64):                 # a WAV has a handful of chunks before its data
        chunk = f.read(8)
        if len(chunk) < 8:
            return False
        length = int.from_bytes(chunk[4:], "little")
        if chunk[:4] == b"data":
            return 0 < length < 0xFFFFFFFF and at + 8 + length > size
        at += 8 + length + (length & 1)
        f.seek(at)
    return False


class SourceError(LoudSyncError):
    """A file that cannot be played (to its end). ``message`` is for people.

    ``after_frames`` is the track position (party frames) up to which audio was
    handed out before the problem: 0 when the file could not be opened at all."""

    def __init__(self, message: str, after_frames: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.after_frames = after_frames


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str
    album: str
    duration_ms: int                    # as the file states it; 0 if it does not
    cover: bytes | None = None          # the encoded image (JPEG, PNG...), as stored
    cover_type: str = ""                # its MIME type


@dataclass(frozen=True)
class Chunk:
    position: int                       # track frame index of the chunk's first frame
    pcm: bytes                          # exactly chunk_frames frames, interleaved s16
    frames: int                         # frames of real audio: less only for the padded last chunk


def _clock(frames: int) -> str:
    seconds = frames // SAMPLE_RATE
    return f"{seconds // 60}:{seconds % 60:02d}"


class Chunker:
    """Cuts a run of PCM blocks into chunks of exactly ``chunk_frames`` frames.

    Pure and reusable across tracks: feeding the next track's blocks into the
    same chunker (without ``finish``) makes the advance gapless."""

    def __init__(self, chunk_frames: int = CHUNK_FRAMES, position: int = 0) -> None:
        if chunk_frames <= 0:
            raise ValueError("chunk_frames must be positive")
        self.chunk_frames = chunk_frames
        self._chunk_bytes = chunk_frames * FRAME_BYTES
        self._pending = bytearray()
        self._position = position       # frame index of the first pending frame

    def reset(self, position: int) -> None:
        self._pending.clear()
        self._position = position

    @property
    def pending_frames(self) -> int:
        return len(self._pending) // FRAME_BYTES

    def feed(self, pcm: bytes) -> Iterator[Chunk]:
        """The whole chunks that ``pcm`` completes; the rest waits for more."""
        if len(pcm) % FRAME_BYTES:
            raise ValueError("PCM must hold whole frames")
        self._pending += pcm
        size = self._chunk_bytes
        while len(self._pending) >= size:
            out = bytes(self._pending[:size])
            del self._pending[:size]
            yield Chunk(self._position, out, self.chunk_frames)
            self._position += self.chunk_frames

    def finish(self) -> Chunk | None:
        """The last, partial chunk padded with silence, or None if nothing is left."""
        if not self._pending:
            return None
        frames = self.pending_frames
        out = bytes(self._pending) + bytes(self._chunk_bytes - len(self._pending))
        chunk = Chunk(self._position, out, frames)
        self._position += self.chunk_frames
        self._pending.clear()
        return chunk


class FileSource:
    """One file, decoded on demand into the party's format.

    >>> with FileSource("song.m4a") as src:
    ...     src.tags.title
    ...     for chunk in src.chunks(): ...
    """

    def __init__(self, path: str | Path, *, chunk_frames: int = CHUNK_FRAMES,
                 rate: int = SAMPLE_RATE, max_cover_bytes: int = MAX_COVER_BYTES) -> None:
        self.path = Path(path)
        self.rate = rate
        self.chunk_frames = chunk_frames
        self._name = self.path.name
        try:
            if self.path.is_dir():
                raise SourceError(f"{self._name} is a folder, not a sound file")
            if self.path.stat().st_size == 0:
                raise SourceError(f"{self._name}: the file is empty, there is no sound in it")
            self._container = av.open(str(self.path), mode="r", metadata_errors="ignore",
                                      container_options=_OPEN_OPTIONS)
        except FileNotFoundError:
            raise SourceError(f"{self._name}: the file is not there any more") from None
        except PermissionError:
            raise SourceError(f"{self._name}: no permission to read the file") from None
        except (av.FFmpegError, OSError, ValueError, UnicodeError):
            raise SourceError(f"{self._name}: not a sound file LoudSync can read, "
                              "or it is damaged") from None
        try:
            if not self._container.streams.audio:
                raise SourceError(f"{self._name}: the file has no sound in it")
            self._stream = self._container.streams.audio[0]
            self.tags = self._read_tags(max_cover_bytes)
        except BaseException:
            self._container.close()
            raise
        self._start_at = 0              # where the next chunks() begins, in party frames
        self._exact_length = self._length_is_exact()
        self._fresh = True              # nothing read yet: no need to seek to the start

    # -- tags -----------------------------------------------------------------

    def _read_tags(self, max_cover_bytes: int) -> Tags:
        meta: dict[str, str] = {}
        # Ogg keeps its comments on the stream, most containers on the file.
        for source in (self._stream.metadata, self._container.metadata):
            for key, value in source.items():
                meta.setdefault(key.lower(), value)
        duration_ms = 0
        if self._container.duration:
            duration_ms = int(self._container.duration * 1000 // av.time_base)
        elif self._stream.duration and self._stream.time_base:
            duration_ms = int(self._stream.duration * self._stream.time_base * 1000)
        cover, cover_type = self._read_cover(max_cover_bytes)
        return Tags(title=_tag(meta.get("title", ""), _tag(self.path.stem)),
                    artist=_tag(meta.get("artist", "")),
                    album=_tag(meta.get("album", "")),
                    duration_ms=max(0, duration_ms), cover=cover, cover_type=cover_type)

    def _read_cover(self, max_cover_bytes: int) -> tuple[bytes | None, str]:
        for stream in self._container.streams.video:
            if not stream.disposition & av.stream.Disposition.attached_pic:
                continue
            kind = _COVER_TYPES.get(stream.codec_context.name, "")
            # FFmpeg hands an attached picture out as the stream's first packet;
            # reading it decodes nothing.
            try:
                for packet in self._container.demux(stream):
                    if packet.size and packet.size <= max_cover_bytes and kind:
                        return bytes(packet), kind
                    break
            except (av.FFmpegError, OSError, ValueError):
                pass
            finally:
                try:
                    self._container.seek(0)
                except (av.FFmpegError, OSError, ValueError):
                    pass
            break
        return None, ""

    def _length_is_exact(self) -> bool:
        """Whether the stated length can be trusted to tell a truncated file.

        FFmpeg guesses an mp3's or raw AAC's length from its bit rate unless the
        mp3 carries a Xing/Info/VBRI frame count; a guess is no proof of damage."""
        name = self._container.format.name
        if name in ("aac", "adts"):
            return False
        if name != "mp3":
            return True
        try:
            with open(self.path, "rb") as f:
                head = f.read(10)
                skip = 0
                if head[:3] == b"ID3" and len(head) == 10:     # synchsafe tag size
                    skip = 10 + ((head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9])
                f.seek(skip)
                first = f.read(4096)
        except OSError:
            return False
        return any(marker in first for marker in (b"Xing", b"Info", b"VBRI"))

    # -- audio ----------------------------------------------------------------

    def seek(self, position: int) -> None:
        """Let the next ``chunks()`` start at party frame ``position`` of the track."""
        self._start_at = max(0, int(position))

    def chunks(self) -> Iterator[Chunk]:
        """Chunks from the current position to the end; the last one padded.

        Raises SourceError for a file that stops being readable part-way
        (after yielding what could be read)."""
        chunker = Chunker(self.chunk_frames, self._start_at)
        for block in self._blocks(self._start_at):
            yield from chunker.feed(block)
        last = chunker.finish()
        if last is not None:
            yield last

    def blocks(self) -> Iterator[bytes]:
        """Resampled PCM from the current position on, in the decoder's block sizes: for
        a Chunker shared across tracks, so the next track follows gaplessly. Raises
        SourceError as ``chunks`` does."""
        return self._blocks(self._start_at)

    def _blocks(self, start: int) -> Iterator[bytes]:
        """Resampled PCM from party frame ``start`` on, in the decoder's block sizes."""
        stream = self._stream
        skip = start                    # frames still to drop before ``start``
        position: int | None = None     # party frame of the first decoded frame, once known
        # Timestamps count from the stream's start (an mp3's encoder delay, for one).
        base = stream.start_time or 0
        if start:
            seconds = start / self.rate
            try:
                self._container.seek(int(seconds / stream.time_base), stream=stream,
                                     backward=True, any_frame=False)
            except (av.FFmpegError, OSError, ValueError):
                self._container.seek(0, stream=stream)
        elif not self._fresh:
            try:
                self._container.seek(0, stream=stream)
            except (av.FFmpegError, OSError, ValueError):
                raise SourceError(f"{self._name}: the file cannot be read again from "
                                  "its start") from None
        self._fresh = False
        resampler = av.AudioResampler(format="s16", layout="stereo", rate=self.rate)
        feeds: tuple[str, str, int] | None = None  # the decoded format the resampler takes
        bad = 0
        handed_out = 0
        packets = self._container.demux(stream)
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except (av.FFmpegError, OSError, ValueError):
                bad += 1
                if bad > MAX_BAD_PACKETS:
                    raise self._damaged(start + handed_out) from None
                continue
            try:
                frames = packet.decode()
            except (av.FFmpegError, ValueError):
                bad += 1            # one damaged packet: skip it, as players do
                if bad > MAX_BAD_PACKETS:
                    raise self._damaged(start + handed_out) from None
                continue
            if frames:
                bad = 0
            for frame in frames:
                if position is None:
                    # The first frame says where the decoder landed: after a seek, or at
                    # the start of a file whose priming the decoder did not trim.
                    if frame.pts is not None and frame.time_base is not None:
                        position = round(float((frame.pts - base) * frame.time_base) * self.rate)
                    else:
                        position = start
                    skip = start - position
                    if skip < 0:        # landed past the target: keep the timeline, pad
                        handed_out += -skip
                        yield bytes(-skip * FRAME_BYTES)
                kind = (frame.format.name, frame.layout.name, frame.sample_rate)
                if kind != feeds:
                    # An mp3 may change its rate or channels part-way (two joined, or damage):
                    # the resampler is set up on its first frame, so a new one takes over.
                    if feeds is not None:
                        for out in resampler.resample(None):
                            pcm, skip = self._trim(out, skip)
                            if pcm:
                                handed_out += len(pcm) // FRAME_BYTES
                                yield pcm
                        resampler = av.AudioResampler(format="s16", layout="stereo",
                                                      rate=self.rate)
                    feeds = kind
                try:
                    converted = resampler.resample(frame)
                except (av.FFmpegError, ValueError):
                    bad += 1            # a frame the resampler refuses: skip it too
                    if bad > MAX_BAD_PACKETS:
                        raise self._damaged(start + handed_out) from None
                    continue
                for out in converted:
                    pcm, skip = self._trim(out, skip)
                    if pcm:
                        handed_out += len(pcm) // FRAME_BYTES
                        yield pcm
        for out in resampler.resample(None):
            pcm, skip = self._trim(out, skip)
            if pcm:
                handed_out += len(pcm) // FRAME_BYTES
                yield pcm
        if start == 0 and handed_out == 0:
            if self.tags.duration_ms:
                raise SourceError(f"{self._name}: no sound could be read from it: the file is "
                                  "damaged")
            raise SourceError(f"{self._name}: the file has no sound in it")
        stated = self.tags.duration_ms * self.rate // 1000
        slack = TRUNCATION_SLACK_MS * self.rate // 1000
        if (self._exact_length and stated and start < stated
                and start + handed_out < stated - slack):
            raise SourceError(f"{self._name}: the file ends at {_clock(start + handed_out)} of "
                              f"{_clock(stated)}: it is incomplete or damaged",
                              after_frames=start + handed_out)
        if handed_out and self._cut_short():
            raise SourceError(f"{self._name}: the file stops short at "
                              f"{_clock(start + handed_out)}: it is incomplete or damaged",
                              after_frames=start + handed_out)

    def _cut_short(self) -> bool:
        """Whether the file's own bytes say it was cut off where FFmpeg states no length to
        compare with: a WAV whose data chunk claims more than the file holds (FFmpeg takes the
        file's size), an Ogg stream whose last page is not marked as the last."""
        name = self._container.format.name
        try:
            with open(self.path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                if name == "wav":
                    return _wav_data_missing(f, size)
                if name in ("ogg", "opus"):
                    f.seek(max(0, size - _OGG_MAX_PAGE))
                    tail = f.read()
                    last = tail.rfind(b"OggS")
                    return last >= 0 and len(tail) > last + 5 and not tail[last + 5] & 0x04
        except OSError:
            pass
        return False

    @staticmethod
    def _trim(frame: av.AudioFrame, skip: int) -> tuple[bytes, int]:
        """The frame's PCM without its first ``skip`` frames, and what is left to skip."""
        pcm = frame_pcm(frame)
        if skip <= 0:
            return pcm, skip
        drop = min(skip, frame.samples)
        return pcm[drop * FRAME_BYTES:], skip - drop

    def _damaged(self, frames: int) -> SourceError:
        return SourceError(f"{self._name}: the file is damaged at {_clock(frames)}",
                           after_frames=frames)

    def close(self) -> None:
        self._container.close()

    def __enter__(self) -> FileSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
