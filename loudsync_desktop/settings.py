"""Typed, persistent settings over QSettings (a default for every option).

QSettings hands values back as whatever its backend stored: an INI file gives
strings ("false", "12"), the native stores give typed values. Each option has a
converter that reads both and refuses anything else, so a hand-edited or
corrupt value falls back to the default instead of becoming a wrong value
(``bool("false")`` is True).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Generic, TypeVar
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings

from .protocol.host import DEFAULT_MAX_MEMBERS, MAX_MEMBERS, MIN_MEMBERS
from .protocol.stream import CODECS, DEFAULT_CODEC, DEFAULT_LEAD_US, MAX_LEAD_MS, MIN_LEAD_MS

T = TypeVar("T")

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def to_str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not text: {value!r}")
    return value


def to_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValueError(f"not a yes/no value: {value!r}")


def to_int(value: object) -> int:
    if isinstance(value, bool):   # an int subclass, but True is no count
        raise TypeError(f"not a whole number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isascii() and digits.isdigit():
            return int(text)
    raise ValueError(f"not a whole number: {value!r}")


def to_codec(value: object) -> str:
    codec = to_str(value)
    if codec not in CODECS:
        raise ValueError(f"not a stream codec: {value!r}")
    return codec


def to_buffer_ms(value: object) -> int:
    ms = to_int(value)
    if not MIN_LEAD_MS <= ms <= MAX_LEAD_MS:
        raise ValueError(f"not a buffer length: {value!r}")
    return ms


def to_bytes(value: object) -> QByteArray:
    if isinstance(value, QByteArray):
        return value
    if isinstance(value, (bytes, bytearray)):
        return QByteArray(bytes(value))
    raise TypeError(f"not bytes: {value!r}")


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T
    convert: Callable[[object], T]   # raises ValueError or TypeError for what it cannot read


DISPLAY_NAME = Option("profile/display_name", "", to_str)
DEVICE_ID = Option("profile/device_id", "", to_str)
LAST_PARTY_NAME = Option("host/last_party_name", "My Party", to_str)
LAST_MAX_MEMBERS = Option("host/last_max_members", DEFAULT_MAX_MEMBERS, to_int)
HOST_CODEC = Option("host/codec", DEFAULT_CODEC, to_codec)              # how the music travels
HOST_BUFFER_MS = Option("host/buffer_ms", DEFAULT_LEAD_US // 1000, to_buffer_ms)
WINDOW_GEOMETRY = Option("window/geometry", QByteArray(), to_bytes)
OUTPUT_DELAY_MS = Option("audio/output_delay_ms", 0, to_int)
LOCAL_VOLUME_PERCENT = Option("audio/local_volume_percent", 100, to_int)   # this laptop only
LOCAL_MUTED = Option("audio/local_muted", 0, to_int)                        # 1: muted
MUSIC_FOLDER = Option("player/music_folder", "", to_str)    # where Add music opened files last


class Settings:
    """The app's settings. Tests pass a QSettings on a temporary file."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings()

    def get(self, option: Option[T]) -> T:
        value = self.store.value(option.key, option.default)
        if value is None:
            return option.default
        try:
            return option.convert(value)
        except (TypeError, ValueError):  # a hand-edited or corrupt file: fall back
            return option.default

    def set(self, option: Option[T], value: T) -> None:
        self.store.setValue(option.key, value)

    @property
    def device_id(self) -> str:
        """Stable for this installation: made once, then kept."""
        device_id = self.get(DEVICE_ID)
        if not device_id:
            device_id = f"desktop-{uuid.uuid4().hex}"
            self.set(DEVICE_ID, device_id)
            self.store.sync()
        return device_id

    @property
    def max_members(self) -> int:
        return min(MAX_MEMBERS, max(MIN_MEMBERS, self.get(LAST_MAX_MEMBERS)))
