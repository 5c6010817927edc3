"""Helpers for the pure-core tests: frames, output filters and an in-memory party.

Nothing here sleeps or touches a socket: ``now`` is a number the test chooses.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from typing import Any
from collections.abc import Callable, Hashable

from loudsync_desktop.protocol import messages as m
from loudsync_desktop.protocol.events import Close, Send
from loudsync_desktop.protocol.guest import CONNECTED, GuestSession
from loudsync_desktop.protocol.host import HostConfig, HostSession

SID = "ABC234"


def tokens(prefix: str = "tok") -> Callable[[], str]:
    """Deterministic resume tokens: tok-1, tok-2, ..."""
    counter = itertools.count(1)
    return lambda: f"{prefix}-{next(counter)}"


def make_host(now: int = 0, **config: Any) -> HostSession:
    config.setdefault("session_id", SID)
    return HostSession(HostConfig(**config), now, new_token=tokens())


def frame(type_: str, payload: Any = None, **extra: Any) -> str:
    return json.dumps({"type": type_, "payload": {} if payload is None else payload, **extra})


def join_frame(device_id: str, name: str | None = None, *, session_id: str = SID,
               **payload: Any) -> str:
    return frame(m.JOIN, {"sessionId": session_id, "deviceId": device_id,
                          "deviceName": f"Laptop {device_id}" if name is None else name,
                          "appVersion": "test", **payload})


def heartbeat_frame(sent_at: int) -> str:
    return frame(m.HEARTBEAT, {"sentAt": sent_at})


# -- looking at a core's output ------------------------------------------------
def is_effect(out: Any) -> bool:
    return isinstance(out, (Send, Close))


def effects(outs: list) -> list:
    return [o for o in outs if is_effect(o)]


def events(outs: list) -> list:
    return [o for o in outs if not is_effect(o)]


def assert_effects_first(outs: list) -> None:
    """Every call returns its effects (Send, Close) first, then its events."""
    kinds = [is_effect(o) for o in outs]
    assert kinds == sorted(kinds, reverse=True), f"an event comes before an effect: {outs}"


def sent(outs: list, conn: Hashable) -> list[dict]:
    """The frames sent to ``conn``, decoded, in order."""
    return [json.loads(o.text) for o in outs if isinstance(o, Send) and o.conn == conn]


def sent_types(outs: list, conn: Hashable) -> list[str]:
    return [f["type"] for f in sent(outs, conn)]


def recipients(outs: list, type_: str) -> set:
    return {o.conn for o in outs if isinstance(o, Send) and json.loads(o.text)["type"] == type_}


def closes(outs: list, conn: Hashable = ...) -> list[Close]:
    return [o for o in outs if isinstance(o, Close) and (conn is ... or o.conn == conn)]


def open_and_join(host: HostSession, conn: Hashable, device_id: str, now: int = 0,
                  name: str | None = None, **payload: Any) -> list:
    assert host.connection_opened(conn, f"10.0.0.{abs(hash(conn)) % 250 + 1}", now) == []
    outs = host.receive_text(conn, join_frame(device_id, name, **payload), now)
    assert_effects_first(outs)
    return outs


def token_of(outs: list, conn: Hashable) -> str:
    (welcome,) = [f for f in sent(outs, conn) if f["type"] == m.WELCOME]
    return welcome["payload"]["resumeToken"]


# -- a host and its guests wired together in memory ----------------------------
class Party:
    """A HostSession and GuestSessions that read each other's ``Send`` texts.

    It plays the part of both adapters: a ``Close`` from the host ends the
    guest's connection and is then reported back to the host, as the real
    transport does; a ``Close`` from a guest is reported to the host.
    """

    def __init__(self, host: HostSession, now: int = 0) -> None:
        self.host = host
        self.now = now
        self.guests: dict[Hashable, GuestSession] = {}   # live connections only
        self.host_events: list = []
        self.guest_events: dict[Hashable, list] = defaultdict(list)
        self.host_closes: list[Close] = []

    # actions
    def connect(self, conn: Hashable, device_id: str, name: str | None = None,
                resume_token: str | None = None, session_id: str | None = None) -> GuestSession:
        guest = GuestSession(session_id=session_id or self.host.config.session_id,
                             device_id=device_id,
                             device_name=name or f"Laptop {device_id}", app_version="test",
                             resume_token=resume_token)
        self.guests[conn] = guest
        self.from_host(self.host.connection_opened(conn, "10.0.0.1", self.now))
        self.from_guest(conn, guest.connection_opened(self.now))
        return guest

    def leave(self, conn: Hashable, reason: str | None = None) -> None:
        self.from_guest(conn, self.guests[conn].leave(self.now, reason))

    def drop(self, conn: Hashable) -> None:
        """The transport dies under both sides (reset, unplugged cable)."""
        guest = self.guests.pop(conn)
        self.guest_events[conn] += guest.connection_closed(self.now)
        self.from_host(self.host.connection_closed(conn, self.now))

    def end(self) -> None:
        self.from_host(self.host.close(self.now))

    def run_until(self, t: int) -> None:
        """Let time pass to ``t``, ticking each side at its deadlines like the adapters."""
        while True:
            deadlines = [d for d in [self.host.next_deadline(),
                                     *(g.next_deadline() for g in self.guests.values())]
                         if d is not None and d <= t]
            if not deadlines:
                break
            self.now = max(self.now, min(deadlines))
            for conn, guest in list(self.guests.items()):
                if self.guests.get(conn) is guest:
                    self.from_guest(conn, guest.tick(self.now))
            self.from_host(self.host.tick(self.now))
        self.now = t

    # checks
    def assert_views_agree(self) -> None:
        """Every connected guest sees exactly the host's member list."""
        for conn, guest in self.guests.items():
            if guest.status == CONNECTED:
                assert guest.members == self.host.members, f"guest on {conn!r} disagrees"

    # plumbing
    def from_host(self, outs: list) -> None:
        assert_effects_first(outs)
        for out in outs:
            if isinstance(out, Send):
                out.text.encode("utf-8")  # what the adapter sends must be valid UTF-8
                guest = self.guests.get(out.conn)
                if guest is not None:
                    self.from_guest(out.conn, guest.receive_text(out.text, self.now))
            elif isinstance(out, Close):
                self.host_closes.append(out)
                guest = self.guests.pop(out.conn, None)
                if guest is not None:
                    self.guest_events[out.conn] += guest.connection_closed(self.now, out.reason)
                # The transport reports the close the host asked for: that is no news.
                assert self.host.connection_closed(out.conn, self.now) == []
            else:
                self.host_events.append(out)

    def from_guest(self, conn: Hashable, outs: list) -> None:
        assert_effects_first(outs)
        for out in outs:
            if isinstance(out, Send):
                assert out.conn is None
                out.text.encode("utf-8")
                self.from_host(self.host.receive_text(conn, out.text, self.now))
            elif isinstance(out, Close):
                self.guests.pop(conn, None)
                self.from_host(self.host.connection_closed(conn, self.now))
            else:
                self.guest_events[conn].append(out)
