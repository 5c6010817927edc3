"""What the controllers tell their face, besides the session core's own events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..protocol.events import Event

if TYPE_CHECKING:
    from ..net.playback_guest import GuestPlayback


@dataclass(frozen=True)
class ControlEvent(Event):
    """Base of the controllers' own events."""


@dataclass(frozen=True)
class SpeakersSilent(ControlEvent):
    """This computer plays nothing: no device was found (``error`` None), or opening it failed."""

    error: str | None = None

    @property
    def message(self) -> str:
        """What a person is told, in the app and on the command line alike."""
        cause = "No sound device found" if self.error is None else f"No audio output ({self.error})"
        return f"{cause}: this computer stays silent"


@dataclass(frozen=True)
class DiscoveryOff(ControlEvent):
    """The host could not advertise (no multicast here); guests can still join by address."""

    reason: str


@dataclass(frozen=True)
class Looking(ControlEvent):
    """Looking among the parties nearby for this session id (joining by code)."""

    session_id: str


@dataclass(frozen=True)
class Joining(ControlEvent):
    """The host answered; connecting to it now."""

    session_id: str
    session_name: str


@dataclass(frozen=True)
class PlaybackStarted(ControlEvent):
    """The host plays music: this guest keeps time with it through ``playback``."""

    playback: GuestPlayback


@dataclass(frozen=True)
class PinNeeded(ControlEvent):
    """The party wants a PIN (said in the list, or the host refused a missing or wrong one):
    ask the person, then ``GuestController.retry_with_pin``."""

    message: str


@dataclass(frozen=True)
class Ended(ControlEvent):
    """The membership is over.

    ``final``: the guest core's last event (SessionClosed, ErrorReceived, ConnectionLost) or
    None when this side left; ``welcomed``: whether it had got in; ``failure``: a bug of ours
    that ended it (already logged and reported).
    """

    final: object | None
    welcomed: bool
    failure: BaseException | None = None


@dataclass(frozen=True)
class TrackSkipped(ControlEvent):
    """The host could not play (all of) a queued track; the party went on with the next.

    ``message`` is for people, as FileSource's SourceError says it (names the file)."""

    title: str
    message: str
