"""Real sound files for the streaming tests, written with PyAV's own encoders (FFmpeg).

Every format people have: ``FORMATS`` maps a name to (suffix, container, codec,
sample format of the encoder). The signal is a band-limited test tone whose
left and right channels differ, so a swapped or dropped channel shows.
"""

from __future__ import annotations

import base64
import functools
import math
import operator
from array import array
from pathlib import Path

import av

FORMATS: dict[str, tuple[str, str, str, str]] = {
    "mp3": (".mp3", "mp3", "libmp3lame", "s16p"),
    "aac": (".m4a", "ipod", "aac", "fltp"),
    "alac": (".m4a", "ipod", "alac", "s16p"),
    "flac": (".flac", "flac", "flac", "s16"),
    "vorbis": (".ogg", "ogg", "vorbis", "fltp"),
    "opus": (".opus", "opus", "libopus", "s16"),
    "wav": (".wav", "wav", "pcm_s16le", "s16"),
    "aiff": (".aiff", "aiff", "pcm_s16be", "s16"),
}
LOSSLESS = {"alac", "flac", "wav", "aiff"}
# Also read, but not one of the formats every test runs through: AAC without a container (ADTS,
# .aac) and a music video (AAC beside MPEG-4 video in .mp4).
MORE_FORMATS: dict[str, tuple[str, str, str, str]] = {
    "adts": (".aac", "adts", "aac", "fltp"),
    "video": (".mp4", "mp4", "aac", "fltp"),
}


def tone(frames: int, rate: int, channels: int = 2, start: int = 0) -> array:
    """Interleaved s16: 440 Hz + 1230 Hz on the left, 660 Hz on the right.

    Every partial is a multiple of 10 Hz, so the signal repeats every 100 ms: one period is
    computed and repeated (minutes of it cost no time)."""
    period = rate // 10 if rate % 10 == 0 else start + frames
    one = _period(period, rate, channels)
    offset = start % period
    repeats = -(-(offset + frames) // period)
    return (one * repeats)[offset * channels:(offset + frames) * channels]


@functools.cache
def _period(frames: int, rate: int, channels: int) -> array:
    out = array("h", bytes(frames * channels * 2))
    for i in range(frames):
        t = i / rate
        left = 0.3 * math.sin(2 * math.pi * 440 * t) + 0.2 * math.sin(2 * math.pi * 1230 * t)
        out[i * channels] = int(12000 * left / 0.5)
        if channels > 1:
            out[i * channels + 1] = int(9000 * math.sin(2 * math.pi * 660 * t))
    return out


def write(path: Path, kind: str, seconds: float = 2.0, rate: int = 44_100, channels: int = 2,
          tags: dict[str, str] | None = None) -> Path:
    """A ``kind`` file of ``seconds`` of ``tone`` at ``rate``; returns its path."""
    suffix, container_format, codec, sample_format = (FORMATS | MORE_FORMATS)[kind]
    if kind == "opus":
        rate = 48_000                   # Opus works at 48 kHz only
    path = path.with_suffix(suffix)
    total = int(seconds * rate)
    pcm = tone(total, rate, channels)
    layout = "stereo" if channels == 2 else "mono"
    with av.open(str(path), "w", format=container_format) as out:
        pictures = None
        if kind == "video":             # pictures first: a music video's stream 0 is its video
            pictures = out.add_stream("mpeg4", rate=25)
            pictures.width, pictures.height, pictures.pix_fmt = 64, 48, "yuv420p"
        stream = out.add_stream(codec, rate=rate, layout=layout)
        if kind == "vorbis":
            stream.codec_context.options = {"strict": "experimental"}
        for key, value in (tags or {}).items():
            out.metadata[key] = value
        step = stream.codec_context.frame_size or 1024
        done = shown = 0
        resampler = av.AudioResampler(format=sample_format, layout=layout, rate=rate)
        while done < total:
            n = min(step, total - done)
            frame = av.AudioFrame(format="s16", layout=layout, samples=n)
            frame.sample_rate = rate
            frame.planes[0].update(pcm[done * channels:(done + n) * channels].tobytes())
            frame.pts = done
            for converted in resampler.resample(frame):
                for packet in stream.encode(converted):
                    out.mux(packet)
            done += n
            while pictures is not None and shown * rate < done * 25:
                picture = av.VideoFrame(64, 48, "yuv420p")
                picture.pts = shown
                shown += 1
                for packet in pictures.encode(picture):
                    out.mux(packet)
        for converted in resampler.resample(None):
            for packet in stream.encode(converted):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
        for packet in pictures.encode(None) if pictures is not None else ():
            out.mux(packet)
    return path


def correlation(a: array, b: array) -> float:
    """Pearson correlation of two equally long sample sequences."""
    n = min(len(a), len(b))
    if n == 0:
        return 0.0
    ma = sum(a[:n]) / n
    mb = sum(b[:n]) / n
    num = sum((x - ma) * (y - mb) for x, y in zip(a[:n], b[:n], strict=True))
    da = math.sqrt(sum((x - ma) ** 2 for x in a[:n]))
    db = math.sqrt(sum((y - mb) ** 2 for y in b[:n]))
    return num / (da * db) if da and db else 0.0


def tone_power(samples: array, rate: int, freq: float) -> float:
    """Goertzel: the relative power of ``freq`` in ``samples`` (one channel)."""
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / max(1, len(samples)) ** 2


def channel(pcm: bytes | array, index: int, channels: int = 2) -> array:
    samples = pcm if isinstance(pcm, array) else array("h", pcm)
    return samples[index::channels]


def add_cover(path: Path, kind: str, image: bytes, mime: str = "image/jpeg",
              tags: dict[str, str] | None = None) -> Path:
    """Embed ``image`` as the front cover the way taggers do (FFmpeg's muxers write none):
    ID3 APIC in mp3, WAV and AIFF (with the text ``tags`` too: FFmpeg's WAV/AIFF writers store
    only some), covr in m4a, a PICTURE block in FLAC, METADATA_BLOCK_PICTURE in Ogg comments."""
    import mutagen
    import mutagen.flac
    import mutagen.id3
    import mutagen.mp4
    if kind in ("aac", "alac"):
        m4a = mutagen.mp4.MP4(path)
        fmt = (mutagen.mp4.MP4Cover.FORMAT_PNG if mime == "image/png"
               else mutagen.mp4.MP4Cover.FORMAT_JPEG)
        m4a["covr"] = [mutagen.mp4.MP4Cover(image, imageformat=fmt)]
        m4a.save()
        return path
    picture = mutagen.flac.Picture()
    picture.type, picture.mime, picture.data = 3, mime, image
    if kind == "flac":
        flac = mutagen.flac.FLAC(path)
        flac.add_picture(picture)
        flac.save()
    elif kind in ("vorbis", "opus"):
        ogg = mutagen.File(path)
        ogg["metadata_block_picture"] = [base64.b64encode(picture.write()).decode("ascii")]
        ogg.save()
    else:                               # mp3, wav, aiff: an ID3v2 tag
        audio = mutagen.File(path)
        if audio.tags is None:
            audio.add_tags()
        frames = {"title": mutagen.id3.TIT2, "artist": mutagen.id3.TPE1,
                  "album": mutagen.id3.TALB}
        for key, value in (tags or {}).items():
            audio.tags.add(frames[key](encoding=3, text=value))
        audio.tags.add(mutagen.id3.APIC(encoding=3, mime=mime, type=3, desc="front", data=image))
        audio.save()
    return path


def best_alignment(decoded: array, reference: array, at: int, frames: int = 960,
                   span: int = 1200) -> tuple[int, float]:
    """The shift of ``reference`` (within ±span frames) that ``decoded[at:at+frames]`` matches
    best, and the normalised correlation there (one channel each)."""
    window = decoded[at:at + frames]
    norm = math.sqrt(sum(x * x for x in window)) or 1.0
    best = (0, -2.0)
    for lag in range(-span, span + 1):
        if at + lag < 0:
            continue
        ref = reference[at + lag:at + lag + frames]
        score = sum(map(operator.mul, window, ref)) / (
            norm * (math.sqrt(sum(x * x for x in ref)) or 1.0))
        if score > best[1]:
            best = (lag, score)
    return best


def write_video_only(path: Path, seconds: float = 1.0) -> Path:
    """An mp4 with moving pictures and no sound at all (a screen recording, say)."""
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("mpeg4", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(int(seconds * 25)):
            frame = av.VideoFrame(64, 48, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([i * 9 % 256]) * plane.buffer_size)
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path
