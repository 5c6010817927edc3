"""Test music for the benchmarks, made with PyAV's own encoders and cached between runs.

``party_flac()``: a 4-minute FLAC of tones with noise in their low bits, so FLAC cannot
squeeze it below ~28 MB (a typical CD-quality rip of a busy song). ``tagged_copies()``:
many distinct tracks (their bytes differ, so each is its own track) from one file, by
giving each copy its own title tag; hours of music queued without hours of encoding.
"""

from __future__ import annotations

import math
import random
import shutil
import tempfile
from pathlib import Path

RATE = 48_000
CACHE = Path(tempfile.gettempdir()) / "loudsync-bench"


def _tone_second(rate: int) -> bytes:
    """One second of a stereo chord whose notes are whole Hz, so it repeats seamlessly."""
    notes = (110, 220, 277, 330, 440, 659)
    out = bytearray()
    for i in range(rate):
        t = i / rate
        tone = sum(math.sin(2 * math.pi * f * t + k) / (k + 1) for k, f in enumerate(notes))
        left = int(tone * 0.22 * 32767)
        right = int(tone * 0.18 * 32767)
        out += left.to_bytes(2, "little", signed=True) + right.to_bytes(2, "little", signed=True)
    return bytes(out)


def _noisy(block: bytes, rng: random.Random, noise_bits: int) -> bytes:
    """``block`` (s16 LE) with its lowest ``noise_bits`` bits of every sample random:
    a tone plus white noise of that many bits, done as two big-integer masks (C speed)."""
    keep = ((0xFFFF << noise_bits) & 0xFFFF).to_bytes(2, "little") * (len(block) // 2)
    mask = int.from_bytes(keep, "little")
    mixed = (int.from_bytes(block, "little") & mask) | \
        (int.from_bytes(rng.randbytes(len(block)), "little") & ~mask)
    return (mixed & ((1 << (8 * len(block))) - 1)).to_bytes(len(block), "little")


def write_track(path: Path, seconds: int, noise_bits: int, rate: int = RATE, *,
                codec: str = "flac", container_format: str = "flac",
                bit_rate: int | None = None) -> Path:
    """A stereo file of ``seconds`` of chord plus noise: ``noise_bits`` bits of it in
    even seconds, one more in odd ones (FLAC, 8 -> ~28 MB per 4 minutes; 0: no noise)."""
    import av

    tone = _tone_second(rate)
    rng = random.Random(28)
    tmp = path.with_name(path.name + ".part")
    with av.open(str(tmp), "w", format=container_format) as container:
        stream = container.add_stream(codec, rate=rate, layout="stereo")
        if bit_rate:
            stream.bit_rate = bit_rate
        for second in range(seconds):
            frame = av.AudioFrame(format="s16", layout="stereo", samples=rate)
            bits = noise_bits + second % 2 if noise_bits else 0
            frame.planes[0].update(_noisy(tone, rng, bits) if bits else tone)
            frame.rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    tmp.replace(path)
    return path


def party_flac(seconds: int = 240, noise_bits: int = 8) -> Path:
    """The benchmarks' party track (cached in the temp folder): 4 min, ~28 MB of FLAC."""
    path = CACHE / f"party-{seconds}s-{noise_bits}bit.flac"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        write_track(path, seconds, noise_bits)
    return path


def song_mp3(seconds: int = 240) -> Path:
    """A 4-minute 128 kbit/s MP3 of the chord (~3.8 MB; 46 MB of PCM once decoded), cached."""
    path = CACHE / f"chord-{seconds}s.mp3"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        write_track(path, seconds, noise_bits=0, codec="libmp3lame", container_format="mp3",
                    bit_rate=128_000)
    return path


def tagged_copies(source: Path, count: int, folder: Path) -> list[Path]:
    """``count`` copies of ``source`` in ``folder``, each titled "Track N": distinct bytes,
    so every copy is a track of its own, with the same audio."""
    from mutagen import File as MutagenFile   # easy=True: "title" means the same in every format

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, count + 1):
        path = folder / f"track-{n:03d}{source.suffix}"
        if not path.exists():
            shutil.copyfile(source, path)
            audio = MutagenFile(path, easy=True)
            if audio.tags is None:
                audio.add_tags()
            audio.tags["title"] = f"Track {n}"
            audio.save()
        paths.append(path)
    return paths
