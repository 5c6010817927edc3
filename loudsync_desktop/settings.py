"""Typed, persistent settings over QSettings (a default for every option)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from .protocol.host import DEFAULT_MAX_MEMBERS

T = TypeVar("T")

MIN_PARTY_SIZE = 2
MAX_PARTY_SIZE = 32


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T
    type: type


DISPLAY_NAME = Option("profile/display_name", "", str)
DEVICE_ID = Option("profile/device_id", "", str)
LAST_PARTY_NAME = Option("host/last_party_name", "My Party", str)
LAST_MAX_MEMBERS = Option("host/last_max_members", DEFAULT_MAX_MEMBERS, int)
WINDOW_GEOMETRY = Option("window/geometry", QByteArray(), QByteArray)
OUTPUT_DELAY_MS = Option("audio/output_delay_ms", 0, int)
LOCAL_VOLUME_PERCENT = Option("audio/local_volume_percent", 100, int)   # this laptop only
LOCAL_MUTED = Option("audio/local_muted", 0, int)                        # 1: muted
MUSIC_FOLDER = Option("player/music_folder", "", str)    # where Add music opened files last


class Settings:
    """The app's settings. Tests pass a QSettings on a temporary file."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings()

    def get(self, option: Option[T]) -> T:
        value = self.store.value(option.key, option.default)
        try:
            return option.type(value) if value is not None else option.default
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
        return min(MAX_PARTY_SIZE, max(MIN_PARTY_SIZE, self.get(LAST_MAX_MEMBERS)))
