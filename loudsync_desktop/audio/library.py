"""Tracks: their files, their tags, and their decoded PCM.

The host adds local files; a guest receives the same bytes over the session
and decodes them itself. Decoding (miniaudio, ~300x real time) runs in a
worker thread; until a track's PCM is ready it plays as silence while the
scheduler keeps its place on the timeline, so a late joiner comes in in step.
"""

from __future__ import annotations

import array
import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import miniaudio

from ..protocol.errors import LoudSyncError
from ..protocol.playback import CHANNELS, MAX_TRACK_BYTES, SAMPLE_RATE, Track

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".mp3", ".flac", ".ogg", ".oga", ".wav")


class UnsupportedAudio(LoudSyncError):
    """A file LoudSync cannot play; the message says why."""


def _tags(path: Path) -> tuple[str, str]:
    try:
        import mutagen
        tags = mutagen.File(path, easy=True)
    except Exception:  # tags are a nicety: a file without readable tags still plays
        tags = None
    title = (tags.get("title") or [""])[0] if tags else ""
    artist = (tags.get("artist") or [""])[0] if tags else ""
    return title or path.stem, artist


def decode(data: bytes) -> array.array:
    """Any supported format -> interleaved signed 16-bit stereo at 48 kHz."""
    try:
        sound = miniaudio.decode(data, output_format=miniaudio.SampleFormat.SIGNED16,
                                 nchannels=CHANNELS, sample_rate=SAMPLE_RATE)
    except miniaudio.DecodeError as exc:
        raise UnsupportedAudio(f"cannot decode this audio ({exc})") from exc
    return sound.samples


def describe_file(path: str | Path) -> tuple[Track, bytes]:
    """Read a local file: its Track (id from its content) and its bytes."""
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnsupportedAudio(f"{path.name}: LoudSync plays mp3, flac, ogg and wav files.")
    try:
        size = path.stat().st_size
        if size > MAX_TRACK_BYTES:
            raise UnsupportedAudio(f"{path.name} is larger than {MAX_TRACK_BYTES >> 20} MB.")
        data = path.read_bytes()
    except OSError as exc:
        raise UnsupportedAudio(f"{path.name}: {exc.strerror or exc}") from exc
    try:
        samples = decode(data)   # proves it plays, and gives the exact duration
    except UnsupportedAudio as exc:
        raise UnsupportedAudio(f"{path.name}: {exc}") from None
    duration_ms = len(samples) // CHANNELS * 1000 // SAMPLE_RATE
    title, artist = _tags(path)
    track_id = hashlib.sha256(data).hexdigest()[:20]
    return Track(track_id, title[:200], artist[:200], duration_ms, len(data),
                 path.suffix.lower().lstrip(".")), data


@dataclass
class _Entry:
    data: bytearray
    received: int = 0
    pcm: array.array | None = None


class TrackLibrary:
    """Track id -> file bytes (complete or arriving) -> PCM, thread-safe for the audio thread."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def add_complete(self, track_id: str, data: bytes, pcm: array.array | None = None) -> None:
        entry = _Entry(bytearray(data), len(data), pcm)
        with self._lock:
            self._entries[track_id] = entry
        if pcm is None:
            self._decode_later(track_id, entry)

    def receive_chunk(self, track_id: str, offset: int, total: int, chunk: bytes) -> bool:
        """Store a piece of a track's file; True when the file just became complete."""
        with self._lock:
            entry = self._entries.get(track_id)
            if entry is None or len(entry.data) != total:
                entry = _Entry(bytearray(total))
                self._entries[track_id] = entry
            if entry.received >= total:
                return False  # already complete: a resend after a resume
            if offset == 0:
                entry.received = 0   # a fresh send of the whole file starts over
            elif offset != entry.received:
                return False  # a gap: ignore until the file is sent again from its start
            entry.data[offset:offset + len(chunk)] = chunk
            entry.received += len(chunk)
            complete = entry.received == total
        if complete:
            self._decode_later(track_id, entry)
        return complete

    def has_file(self, track_id: str) -> bool:
        entry = self._entries.get(track_id)
        return entry is not None and entry.received == len(entry.data)

    def file_bytes(self, track_id: str) -> bytes | None:
        entry = self._entries.get(track_id)
        complete = entry is not None and entry.received == len(entry.data)
        return bytes(entry.data) if complete else None

    def pcm(self, track_id: str | None) -> array.array | None:
        entry = self._entries.get(track_id) if track_id else None
        return entry.pcm if entry else None

    def bytes_received(self, track_id: str) -> int:
        entry = self._entries.get(track_id)
        return entry.received if entry else 0

    def forget_except(self, keep: set[str]) -> None:
        with self._lock:
            for track_id in [t for t in self._entries if t not in keep]:
                del self._entries[track_id]

    def _decode_later(self, track_id: str, entry: _Entry) -> None:
        def work() -> None:
            try:
                entry.pcm = decode(bytes(entry.data))
            except UnsupportedAudio as exc:   # it plays as silence; say why in the log
                log.warning("track %s: %s", track_id, exc)
        threading.Thread(target=work, name=f"decode-{track_id[:8]}", daemon=True).start()
