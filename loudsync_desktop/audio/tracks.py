"""A local file as a queued Track: its tags and length, read without decoding its audio."""

from __future__ import annotations

import uuid
from pathlib import Path

from ..protocol.playback import ART_TYPES, MAX_ART_BYTES, Track, TrackArt
from .source import FileSource, SourceError

# What the file dialogs offer; anything else FFmpeg reads plays too.
SUPPORTED_SUFFIXES = (".mp3", ".m4a", ".aac", ".mp4", ".flac", ".ogg", ".oga", ".opus",
                      ".wav", ".aif", ".aiff", ".aifc")


def describe_file(path: str | Path) -> Track:
    """The Track for ``path`` (raises SourceError with a message for people).

    Each call makes a new id: the same file queued twice is two entries of the
    queue, removed, moved and played each on its own."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceError(f"{path.name}: there is no such file") from None
    except OSError as exc:
        raise SourceError(f"{path.name}: {exc.strerror or exc}") from None
    if path.is_dir():
        raise SourceError(f"{path.name} is a folder, not a sound file")
    with FileSource(path) as source:
        tags = source.tags
    return Track(uuid.uuid4().hex[:20], tags.title, tags.artist, tags.duration_ms, size,
                 path.suffix.lower().lstrip("."))   # the tags come bounded (FileSource)


def read_art(path: str | Path, track_id: str) -> TrackArt | None:
    """The cover stored in the file, if it has one small enough to pass on (else None)."""
    try:
        with FileSource(path, max_cover_bytes=MAX_ART_BYTES) as source:
            tags = source.tags
    except SourceError:
        return None
    if tags.cover is None or tags.cover_type not in ART_TYPES:
        return None
    return TrackArt(track_id, tags.cover_type, tags.cover)
