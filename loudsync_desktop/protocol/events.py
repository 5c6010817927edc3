"""What the session cores hand back: effects for the adapter, events for people.

Effects (``Send``, ``Close``) tell the adapter what to write; events tell the
model and the CLI what happened. Both are frozen: a core's output is a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable

from .messages import Member

ConnId = Hashable

# WebSocket close codes the cores ask for.
CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009


# Effects.
@dataclass(frozen=True)
class Send:
    conn: ConnId
    text: str


@dataclass(frozen=True)
class Close:
    conn: ConnId
    code: int
    reason: str


# Host events.
@dataclass(frozen=True)
class MemberJoined:
    member: Member


@dataclass(frozen=True)
class MemberLeft:
    member: Member
    reason: str

    @property
    def device_id(self) -> str:
        return self.member.id


@dataclass(frozen=True)
class MemberUpdated:
    member: Member


@dataclass(frozen=True)
class MemberResumed:
    """A member is back on a new connection (its resume token proved it): after a drop,
    or over an old socket the host still thought alive, which changes nothing the
    others see. Whatever was sent on the old connection may be lost: send it again."""

    member: Member


@dataclass(frozen=True)
class JoinRefused:
    address: str
    device_name: str | None
    code: str
    message: str


@dataclass(frozen=True)
class JoinRequested:
    """Approval mode: a guest asks to join; answer with HostSession.approve/decline."""

    conn: ConnId
    address: str
    device_id: str
    device_name: str


@dataclass(frozen=True)
class JoinRequestEnded:
    """A join request was answered, withdrawn or timed out: take its prompt away."""

    conn: ConnId


@dataclass(frozen=True)
class SyncReported:
    """A guest's report of its playback sync (extension playback/1)."""

    device_id: str
    error_us: int
    uncertainty_us: int


@dataclass(frozen=True)
class SessionEnded:
    reason: str


HostEffect = Send | Close
HostEvent = (MemberJoined | MemberLeft | MemberUpdated | MemberResumed | JoinRefused
             | JoinRequested | JoinRequestEnded | SyncReported | SessionEnded)
