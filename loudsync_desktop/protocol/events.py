"""Everything the pure cores hand back, in one place: effects and events.

``Effect`` (``Send``, ``Close``) tells an adapter what to write; ``Event``
tells the model and the CLI what happened. One base per side of the session
(``HostEvent``, ``GuestEvent``, ``DiscoveryEvent``) gives listeners a type:
``HostListener``, ``GuestListener``, ``DiscoveryListener``. Dispatch on them
with ``isinstance`` or ``match``. Every one is frozen: a core's output is a
value. A core's call returns its effects before its events, so the adapter has
written before listeners look.

Playback has no events of its own: its listeners get the whole PlayState
(``protocol.playback``), which is a value too.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .messages import Member

if TYPE_CHECKING:
    from .discovery import DiscoveredSession

ConnId = Hashable

# WebSocket close codes the cores ask for.
CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_POLICY = 1008


@dataclass(frozen=True)
class Effect:
    """Something for the adapter to do on connection ``conn`` (None: the guest's only one)."""

    conn: ConnId


@dataclass(frozen=True)
class Send(Effect):
    text: str | bytes     # binary only for extension frames (playback's track files)


@dataclass(frozen=True)
class Close(Effect):
    code: int
    reason: str


@dataclass(frozen=True)
class Event:
    """Something that happened, for people (the model, the CLI's JSON events)."""


@dataclass(frozen=True)
class HostEvent(Event):
    """What the host core (HostSession) reports."""


@dataclass(frozen=True)
class GuestEvent(Event):
    """What the guest core (GuestSession) and its reconnecting link (GuestLink) report."""


@dataclass(frozen=True)
class DiscoveryEvent(Event):
    """What the table of parties nearby (DiscoveryTable) reports."""


Output = Effect | Event
HostListener = Callable[[HostEvent], None]
GuestListener = Callable[[GuestEvent], None]
DiscoveryListener = Callable[[DiscoveryEvent], None]


# -- host -----------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberJoined(HostEvent):
    member: Member


@dataclass(frozen=True)
class MemberLeft(HostEvent):
    member: Member
    reason: str

    @property
    def device_id(self) -> str:
        return self.member.id


@dataclass(frozen=True)
class MemberUpdated(HostEvent):
    member: Member


@dataclass(frozen=True)
class MemberResumed(HostEvent):
    """A member is back on a new connection (its resume token proved it): after a drop,
    or over an old socket the host still thought alive, which changes nothing the
    others see. Whatever was sent on the old connection may be lost: send it again."""

    member: Member


@dataclass(frozen=True)
class JoinRefused(HostEvent):
    address: str
    device_name: str | None
    code: str
    message: str


@dataclass(frozen=True)
class JoinRequested(HostEvent):
    """Approval mode: a guest asks to join; answer with HostSession.approve/decline."""

    conn: ConnId
    address: str
    device_id: str
    device_name: str


@dataclass(frozen=True)
class JoinRequestEnded(HostEvent):
    """A join request was answered, withdrawn or timed out: take its prompt away."""

    conn: ConnId


@dataclass(frozen=True)
class SyncReported(HostEvent):
    """A guest's report of its playback sync (extension playback/1), with its stream's
    health when it streams (playback/2: messages.stream_fields_of, else None)."""

    device_id: str
    error_us: int
    uncertainty_us: int
    stream: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class SessionEnded(HostEvent):
    reason: str


# -- guest ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionInfo:
    session_id: str
    session_name: str
    host_id: str
    host_name: str
    device_id: str
    heartbeat_interval_ms: int
    heartbeat_timeout_ms: int
    resume_token: str
    features: tuple[str, ...] = ()
    max_members: int = 0   # the party's limit, when the host says it (0: not told)


@dataclass(frozen=True)
class Welcomed(GuestEvent):
    session: SessionInfo


@dataclass(frozen=True)
class MembersReplaced(GuestEvent):
    members: tuple[Member, ...]


@dataclass(frozen=True)
class GuestMemberJoined(GuestEvent):
    member: Member


@dataclass(frozen=True)
class GuestMemberLeft(GuestEvent):
    device_id: str
    reason: str


@dataclass(frozen=True)
class GuestMemberUpdated(GuestEvent):
    member: Member


@dataclass(frozen=True)
class JoinPending(GuestEvent):
    message: str


@dataclass(frozen=True)
class HeartbeatAcked(GuestEvent):
    rtt_ms: int
    clock_offset_ms: float  # host clock minus ours, NTP-style estimate


@dataclass(frozen=True)
class ErrorReceived(GuestEvent):
    code: str
    message: str        # the host's words
    human: str          # what to show a person
    fatal: bool


@dataclass(frozen=True)
class SessionClosed(GuestEvent):
    reason: str


@dataclass(frozen=True)
class ConnectionLost(GuestEvent):
    reason: str


@dataclass(frozen=True)
class Reconnecting(GuestEvent):
    """The connection dropped; the guest is trying to get its place back."""

    attempt: int          # 1 for the first retry
    reason: str           # why the last connection ended
    next_try_in_ms: int


@dataclass(frozen=True)
class Reconnected(GuestEvent):
    attempts: int
    kept_place: bool = True   # False: the host had let the place go; back as a new member


# -- discovery ------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionFound(DiscoveryEvent):
    session: DiscoveredSession


@dataclass(frozen=True)
class SessionUpdated(DiscoveryEvent):
    session: DiscoveredSession


@dataclass(frozen=True)
class SessionLost(DiscoveryEvent):
    session_id: str
    reason: str
