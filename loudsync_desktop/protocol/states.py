"""Every state a session core can be in, and every move between them, as tables.

The host keeps two machines per guest: the *connection* (one WebSocket, from
its opening to its end) and the *member* (a place in the party, which outlives
a dropped connection during the grace period). The guest keeps one: its
connection to the host. Each table maps ``(state, trigger)`` to the next state;
a pair that is not in a table is a bug in our own core and raises
LocalProtocolError. A peer's bad input never reaches a table as an illegal
pair: the cores turn it into an ``ERROR`` frame (or ignore it) first.

Host connection::

    AWAITING_JOIN --JOIN admitted------------------------> JOINED
    AWAITING_JOIN --JOIN held (approval mode)------------> AWAITING_APPROVAL
    AWAITING_APPROVAL --host approves, room left---------> JOINED
    any but CLOSED --refused, invalid, LEAVE, silent,
                     closed, replaced, removed, ended----> CLOSED

Host member::

    CONNECTED --connection dropped------------> RECONNECTING
    RECONNECTING --resumed (token)------------> CONNECTED
    CONNECTED --resumed over a half-open one--> CONNECTED
    CONNECTED/RECONNECTING --LEAVE, removed,
                  grace over, no grace--------> LEFT

Guest connection::

    IDLE --opened-------------> CONNECTING
    CONNECTING --WELCOME------> CONNECTED
    CONNECTED --WELCOME-------> CONNECTED    (a host repeating itself changes nothing)
    CONNECTING/CONNECTED --refused, closed, silent, SESSION_CLOSED, LEAVE--> DISCONNECTED
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from . import messages as m
from .errors import LocalProtocolError


class ConnState(StrEnum):
    """A WebSocket connection on the host."""

    AWAITING_JOIN = "awaiting-join"
    AWAITING_APPROVAL = "awaiting-approval"
    JOINED = "joined"
    CLOSED = "closed"


class ConnTrigger(StrEnum):
    ADMIT = "admit"        # a JOIN (or the host's approval) let it in
    HOLD = "hold"          # approval mode: the JOIN waits for the host's answer
    END = "end"            # refused, invalid, left, silent, closed, replaced, removed, ended


class MemberState(StrEnum):
    """A guest's place in the party on the host (the wire's connectionStatus, and LEFT)."""

    CONNECTED = m.CONNECTED
    RECONNECTING = m.RECONNECTING
    LEFT = "left"


class MemberTrigger(StrEnum):
    DROP = "drop"          # its connection ended without LEAVE; the grace period runs
    RESUME = "resume"      # a new connection proved the resume token
    REMOVE = "remove"      # LEAVE, removed by the host, abuse, or the grace period is over


class GuestState(StrEnum):
    """The guest's connection to its host."""

    IDLE = "idle"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


class GuestTrigger(StrEnum):
    OPEN = "open"
    WELCOME = "welcome"
    END = "end"


CONN_TRANSITIONS: Mapping[tuple[ConnState, ConnTrigger], ConnState] = {
    (ConnState.AWAITING_JOIN, ConnTrigger.ADMIT): ConnState.JOINED,
    (ConnState.AWAITING_JOIN, ConnTrigger.HOLD): ConnState.AWAITING_APPROVAL,
    (ConnState.AWAITING_JOIN, ConnTrigger.END): ConnState.CLOSED,
    (ConnState.AWAITING_APPROVAL, ConnTrigger.ADMIT): ConnState.JOINED,
    (ConnState.AWAITING_APPROVAL, ConnTrigger.END): ConnState.CLOSED,
    (ConnState.JOINED, ConnTrigger.END): ConnState.CLOSED,
}

MEMBER_TRANSITIONS: Mapping[tuple[MemberState, MemberTrigger], MemberState] = {
    (MemberState.CONNECTED, MemberTrigger.DROP): MemberState.RECONNECTING,
    (MemberState.CONNECTED, MemberTrigger.RESUME): MemberState.CONNECTED,
    (MemberState.CONNECTED, MemberTrigger.REMOVE): MemberState.LEFT,
    (MemberState.RECONNECTING, MemberTrigger.RESUME): MemberState.CONNECTED,
    (MemberState.RECONNECTING, MemberTrigger.REMOVE): MemberState.LEFT,
}

GUEST_TRANSITIONS: Mapping[tuple[GuestState, GuestTrigger], GuestState] = {
    (GuestState.IDLE, GuestTrigger.OPEN): GuestState.CONNECTING,
    (GuestState.CONNECTING, GuestTrigger.WELCOME): GuestState.CONNECTED,
    (GuestState.CONNECTED, GuestTrigger.WELCOME): GuestState.CONNECTED,
    (GuestState.CONNECTING, GuestTrigger.END): GuestState.DISCONNECTED,
    (GuestState.CONNECTED, GuestTrigger.END): GuestState.DISCONNECTED,
}

S = TypeVar("S", ConnState, MemberState, GuestState)
T = TypeVar("T", ConnTrigger, MemberTrigger, GuestTrigger)


def next_state(table: Mapping[tuple[S, T], S], state: S, trigger: T) -> S:
    """The state after ``trigger``; LocalProtocolError if the table has no such move."""
    try:
        return table[(state, trigger)]
    except KeyError:
        raise LocalProtocolError(
            f"{type(state).__name__}: cannot {trigger.value} while {state.value}") from None
