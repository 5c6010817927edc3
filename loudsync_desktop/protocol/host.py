"""The host's session state machine: every rule of PROTOCOL.md sections 2 and 3.

Sans-I/O: the adapter reports what happened on the wire (a connection opened,
a text or binary frame arrived, a connection closed, time passed) with ``now``
in milliseconds; each call returns the effects to carry out (``Send``,
``Close``) followed by events for the UI. ``next_deadline()`` says when
``tick()`` must be called next.

Connection lifecycle:  pending --JOIN ok--> joined --LEAVE/close/timeout--> gone
Member lifecycle:      connected <--drop / resume--> reconnecting --grace over--> left
"""

from __future__ import annotations

import secrets
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Callable

from . import messages as m
from .errors import LocalProtocolError, RemoteProtocolError
from .codes import is_pin
from .playback import FEATURE as FEATURE_PLAYBACK, clock_pong
from .events import (
    CLOSE_GOING_AWAY, CLOSE_NORMAL, CLOSE_POLICY, Close, ConnId, JoinRefused,
    JoinRequested, JoinRequestEnded, MemberJoined, MemberLeft, MemberResumed, MemberUpdated,
    Send, SessionEnded, SyncReported,
)

DEFAULT_MAX_MEMBERS = 8
# Party size, counting the host: the one rule for the CLI, the app and its settings. The
# upper bound is what the server is built and measured for (listen backlog, fan-out bench).
MIN_MEMBERS = 2
MAX_MEMBERS = 512
DEFAULT_HEARTBEAT_TIMEOUT_MS = 15_000
DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000
DEFAULT_GRACE_MS = 30_000
JOIN_TIMEOUT_MS = 10_000
INVALID_LIMIT = 10            # more than this many invalid frames ...
INVALID_WINDOW_MS = 60_000    # ... within this window close the connection
RATE_LIMIT_FRAMES = 200       # more than this many frames ...
RATE_WINDOW_MS = 10_000       # ... within this window close the connection

APPROVAL_TIMEOUT_MS = 120_000   # a join request the host never answers is declined
PIN_ATTEMPTS = 5                # wrong PINs from one address within ...
PIN_WINDOW_MS = 60_000          # ... this window lock the address out ...
PIN_LOCKOUT_MS = 60_000         # ... for this long
MAX_PENDING = 64                # connections that have not joined, in all ...
MAX_PENDING_PER_ADDRESS = 16    # ... and from one address; the oldest is closed to make room
MAX_JOIN_REQUESTS = 16          # approval mode: people waiting for the host's answer
ACCESS_MODES = ("open", "pin", "approval")

REASON_CLOSED = "Connection closed"
REASON_TIMEOUT = "Heartbeat timeout"
REASON_LEFT = "Left the party"
REASON_ABUSE = "Disconnected for invalid messages"
REASON_HOST_ENDED = "Host closed session"
REASON_REMOVED = "Removed by host"
PENDING_TEXT = "Waiting for the host to let you in"
HOST_FEATURES = (FEATURE_PLAYBACK,)


def _same_token(given: str, expected: str) -> bool:
    """Constant-time comparison that also takes non-ASCII text from a guest."""
    return secrets.compare_digest(given.encode("utf-8", "surrogatepass"),
                                  expected.encode("utf-8", "surrogatepass"))


def interval_for_timeout(timeout_ms: int) -> int:
    """Heartbeat interval: 5 s, or a third of a shorter timeout."""
    return min(DEFAULT_HEARTBEAT_INTERVAL_MS, max(1, timeout_ms // 3))


@dataclass(frozen=True)
class HostConfig:
    session_id: str
    session_name: str = "My Party"
    host_id: str = "host"
    host_name: str = "Party Host"
    max_members: int = DEFAULT_MAX_MEMBERS
    heartbeat_timeout_ms: int = DEFAULT_HEARTBEAT_TIMEOUT_MS
    grace_ms: int = DEFAULT_GRACE_MS
    join_timeout_ms: int = JOIN_TIMEOUT_MS
    access: str = "open"
    pin: str | None = None

    def __post_init__(self) -> None:
        if self.access not in ACCESS_MODES:
            raise LocalProtocolError(f"access must be one of {', '.join(ACCESS_MODES)}")
        if self.access == "pin" and not is_pin(self.pin):
            raise LocalProtocolError("a PIN is 4 digits")
        if self.max_members < MIN_MEMBERS:
            raise LocalProtocolError(f"a party needs room for at least {MIN_MEMBERS} members")
        if self.max_members > MAX_MEMBERS:
            raise LocalProtocolError(f"a party has room for at most {MAX_MEMBERS} members")
        if self.heartbeat_timeout_ms < 3:
            raise LocalProtocolError("heartbeat timeout is too short")
        if self.grace_ms < 0:
            raise LocalProtocolError("grace period cannot be negative")

    @property
    def heartbeat_interval_ms(self) -> int:
        return interval_for_timeout(self.heartbeat_timeout_ms)


@dataclass
class _Connection:
    id: ConnId
    address: str
    opened_at: int
    last_seen: int
    device_id: str | None = None
    request: m.Join | None = None      # a JOIN waiting for the host's approval
    requested_at: int = 0
    pending_notice_at: int = 0
    invalid_at: deque[int] = field(default_factory=deque)
    frames_at: deque[int] = field(default_factory=deque)


@dataclass
class _Guest:
    member: m.Member
    resume_token: str
    conn: ConnId | None
    drop_reason: str = ""
    grace_ends_at: int = 0
    features: tuple[str, ...] = ()


class HostSession:
    def __init__(self, config: HostConfig, now: int,
                 new_token: Callable[[], str] = lambda: secrets.token_urlsafe(18)) -> None:
        self.config = config
        self._new_token = new_token
        self.host_member = m.Member(config.host_id, config.host_name, m.ROLE_HOST,
                                    m.CONNECTED, now)
        self._conns: dict[ConnId, _Connection] = {}
        self._guests: dict[str, _Guest] = {}  # insertion order = join order
        self._pin_failures: dict[str, deque[int]] = {}
        self._locked_until: dict[str, int] = {}
        self._removed: set[str] = set()
        self.closed = False

    # -- queries --------------------------------------------------------------
    @property
    def members(self) -> list[m.Member]:
        """Host first, then guests in join order (reconnecting ones keep their place)."""
        return [self.host_member, *(g.member for g in self._guests.values())]

    @property
    def member_count(self) -> int:
        return 1 + len(self._guests)

    def announcement(self) -> dict:
        """The ``LOUDSYNC_ANNOUNCE`` / ``GET /session`` object, without the port."""
        c = self.config
        return {
            "type": "LOUDSYNC_ANNOUNCE", "v": 1, "sessionId": c.session_id,
            "sessionName": c.session_name, "hostId": c.host_id, "hostName": c.host_name,
            "memberCount": self.member_count, "maxMembers": c.max_members, "access": c.access,
        }

    def has_feature(self, device_id: str, feature: str) -> bool:
        guest = self._guests.get(device_id)
        return guest is not None and feature in guest.features

    def conn_of(self, device_id: str) -> ConnId | None:
        """The live connection of a member (None while it is reconnecting)."""
        guest = self._guests.get(device_id)
        return guest.conn if guest else None

    def device_of(self, conn: ConnId) -> str | None:
        """The member a live connection belongs to (None before JOIN)."""
        c = self._conns.get(conn)
        return c.device_id if c else None

    @property
    def join_requests(self) -> list[JoinRequested]:
        """Joins waiting for the host's answer (approval mode), oldest first."""
        return [JoinRequested(c.id, c.address, c.request.device_id, c.request.device_name)
                for c in self._conns.values() if c.request is not None]

    def next_deadline(self) -> int | None:
        """The earliest ``now`` at which ``tick`` has something to do."""
        deadlines = []
        for conn in self._conns.values():
            if conn.request is not None:
                deadlines.append(min(conn.requested_at + APPROVAL_TIMEOUT_MS,
                                     conn.pending_notice_at + self.config.heartbeat_interval_ms))
            elif conn.device_id is None:
                deadlines.append(conn.opened_at + self.config.join_timeout_ms)
            else:
                deadlines.append(conn.last_seen + self.config.heartbeat_timeout_ms)
        deadlines.extend(g.grace_ends_at for g in self._guests.values() if g.conn is None)
        return min(deadlines, default=None)

    # -- inputs ---------------------------------------------------------------
    def connection_opened(self, conn: ConnId, address: str, now: int) -> list:
        if conn in self._conns:
            raise LocalProtocolError(f"connection {conn!r} is already open")
        if self.closed:
            return [Close(conn, CLOSE_GOING_AWAY, "Session has ended")]
        out: list = []
        # A flood of sockets that never join must not lock out a real guest: make
        # room by closing the oldest connection still waiting to send its JOIN.
        waiting = [c for c in self._conns.values() if c.device_id is None and c.request is None]
        from_here = [c for c in waiting if c.address == address]
        for crowd, limit in ((from_here, MAX_PENDING_PER_ADDRESS), (waiting, MAX_PENDING)):
            if len(crowd) >= limit:
                oldest = min(crowd, key=lambda c: c.opened_at)
                del self._conns[oldest.id]
                out.append(Close(oldest.id, CLOSE_POLICY, "Too many connections waiting to join"))
                if oldest in waiting:
                    waiting.remove(oldest)
        self._conns[conn] = _Connection(conn, address, now, now)
        return out

    def receive_text(self, conn: ConnId, text: str, now: int, now_us: int | None = None) -> list:
        """``now_us``: a finer reading of the same clock, for CLOCK_PONG (default now*1000)."""
        c = self._conns.get(conn)
        if c is None or self.closed:
            return []  # already closed by us; late frames are moot
        c.last_seen = now
        if self._over_rate(c, now):
            return self._disconnect_abusive(c, "Too many messages", now)
        try:
            message = m.parse_guest_message(text)
        except RemoteProtocolError as exc:
            return self._invalid(c, exc.message, now)
        if c.request is not None:  # waiting for the host to approve
            if isinstance(message, m.Leave):
                del self._conns[conn]
                return [Close(conn, CLOSE_NORMAL, "Request withdrawn"), JoinRequestEnded(conn)]
            return self._invalid(c, "Invalid message: wait for the host to let you in", now)
        if c.device_id is None:
            if not isinstance(message, m.Join):
                return self._invalid(c, "Invalid message: JOIN must come first", now)
            return self._join(c, message, now)
        if isinstance(message, m.Join):
            return self._invalid(c, "Invalid message: already joined on this connection", now)
        if isinstance(message, m.Heartbeat):
            return [Send(conn, m.heartbeat_ack(message.sent_at, now))]
        if isinstance(message, m.ClockPing):
            t = now * 1000 if now_us is None else now_us
            return [Send(conn, clock_pong(message.t0_us, t, t))]
        if isinstance(message, m.SyncReport):
            return [SyncReported(c.device_id, message.error_us, message.uncertainty_us)]
        return self._leave(c, message.reason, now)

    def receive_binary(self, conn: ConnId, data: bytes, now: int) -> list:
        c = self._conns.get(conn)
        if c is None or self.closed:
            return []
        c.last_seen = now
        if self._over_rate(c, now):
            return self._disconnect_abusive(c, "Too many messages", now)
        return self._invalid(c, "Invalid message: binary frames are not accepted", now)

    def connection_closed(self, conn: ConnId, now: int, abusive: bool = False) -> list:
        """The transport closed (reset, peer close, or our close completing).

        ``abusive``: the adapter itself failed the connection for the guest's
        fault (an oversized frame), so there is no grace period.
        """
        c = self._conns.pop(conn, None)
        if c is not None and c.request is not None:
            return [JoinRequestEnded(conn)]
        if c is None or c.device_id is None:
            return []
        return self._drop(c.device_id, REASON_ABUSE if abusive else REASON_CLOSED,
                          now, grace=not abusive)

    def tick(self, now: int) -> list:
        out: list = []
        if self.closed:
            return out
        for c in list(self._conns.values()):
            if c.request is not None:
                if now >= c.requested_at + APPROVAL_TIMEOUT_MS:
                    out += self._refuse(c, c.request, m.JOIN_DECLINED,
                                        "The host did not answer your request in time", now)
                    out.append(JoinRequestEnded(c.id))
                elif now >= c.pending_notice_at + self.config.heartbeat_interval_ms:
                    # Repeated so the waiting guest hears from us within its timeout.
                    c.pending_notice_at = now
                    out.append(Send(c.id, m.join_pending(PENDING_TEXT, now)))
            elif c.device_id is None and now >= c.opened_at + self.config.join_timeout_ms:
                out += self._refuse(c, None, m.JOIN_TIMEOUT,
                                    f"No JOIN within {self.config.join_timeout_ms / 1000:g} s",
                                    now)
            elif c.device_id is not None and now >= c.last_seen + self.config.heartbeat_timeout_ms:
                del self._conns[c.id]
                out.append(Close(c.id, CLOSE_GOING_AWAY, REASON_TIMEOUT))
                out += self._drop(c.device_id, REASON_TIMEOUT, now, grace=True)
        for device_id, g in list(self._guests.items()):
            if g.conn is None and now >= g.grace_ends_at:
                out += self._remove(device_id, g.drop_reason, now)
        # Several timers may fire at once: still all effects first, then the events.
        return _effects_first(out)

    def close(self, now: int, reason: str = REASON_HOST_ENDED) -> list:
        """End Session: SESSION_CLOSED to every guest, then close everything with 1000."""
        if self.closed:
            return []
        self.closed = True
        out: list = []
        text = m.session_closed(reason, now)
        for c in self._conns.values():
            if c.device_id is not None or c.request is not None:   # waiting ones too
                out.append(Send(c.id, text))
            out.append(Close(c.id, CLOSE_NORMAL, "Session closed"))
        self._conns.clear()
        self._guests.clear()
        out.append(SessionEnded(reason))
        return out

    # -- rules ----------------------------------------------------------------
    def _join(self, c: _Connection, join: m.Join, now: int) -> list:
        cfg = self.config
        if join.protocol_version not in m.SUPPORTED_PROTOCOL_VERSIONS:
            return self._refuse(c, join, m.VERSION_MISMATCH,
                                f"This host speaks protocol version {m.PROTOCOL_VERSION}, "
                                f"not {join.protocol_version}. Update LoudSync on both devices.",
                                now)
        if join.session_id != cfg.session_id:
            return self._refuse(c, join, m.SESSION_NOT_FOUND, "Session not found", now)
        existing = self._guests.get(join.device_id)
        if existing is not None and join.resume_token is not None \
                and _same_token(join.resume_token, existing.resume_token):
            existing.features = join.features
            return self._resume(c, existing, now)  # the token proves it: no PIN again
        if now < self._locked_until.get(c.address, 0):
            return self._refuse(c, join, m.TOO_MANY_ATTEMPTS,
                                "Too many wrong PINs from this address: wait a minute", now)
        if cfg.access == "pin":
            if join.pin is None:
                return self._refuse(c, join, m.PIN_REQUIRED, "This party needs a PIN", now)
            if not _same_token(join.pin, cfg.pin or ""):
                return self._wrong_pin(c, join, now)
        if join.device_id in self._removed:
            return self._refuse(c, join, m.REMOVED_BY_HOST,
                                "The host removed you from this party", now)
        if existing is not None or join.device_id == cfg.host_id:
            return self._refuse(c, join, m.ALREADY_JOINED,
                                "Already joined: this device is already in the party", now)
        if self.member_count >= cfg.max_members:
            return self._refuse(c, join, m.SESSION_FULL,
                                f"Session is full ({cfg.max_members}/{cfg.max_members})", now)
        if cfg.access == "approval":
            if len(self.join_requests) >= MAX_JOIN_REQUESTS:
                return self._refuse(c, join, m.JOIN_DECLINED,
                                    "Too many people are waiting to join: try again soon", now)
            c.request, c.requested_at, c.pending_notice_at = join, now, now
            return [Send(c.id, m.join_pending(PENDING_TEXT, now)),
                    JoinRequested(c.id, c.address, join.device_id, join.device_name)]
        return self._admit(c, join, now)

    def _admit(self, c: _Connection, join: m.Join, now: int) -> list:
        member = m.Member(join.device_id, join.device_name, m.ROLE_CLIENT, m.CONNECTED, now)
        guest = _Guest(member, self._new_token(), c.id, features=join.features)
        self._guests[member.id] = guest
        c.device_id = member.id
        out = self._welcome(c, guest, now)
        out += self._broadcast(m.member_joined(member, now), except_device=member.id)
        out.append(MemberJoined(member))
        return out

    def _wrong_pin(self, c: _Connection, join: m.Join, now: int) -> list:
        failures = self._pin_failures.setdefault(c.address, deque())
        failures.append(now)
        while failures and failures[0] <= now - PIN_WINDOW_MS:
            failures.popleft()
        if len(failures) >= PIN_ATTEMPTS:
            del self._pin_failures[c.address]
            self._locked_until[c.address] = now + PIN_LOCKOUT_MS
            return self._refuse(c, join, m.TOO_MANY_ATTEMPTS,
                                "Too many wrong PINs from this address: wait a minute", now)
        return self._refuse(c, join, m.WRONG_PIN, "Wrong PIN", now)

    # -- the host's own decisions -----------------------------------------------------
    def approve(self, conn: ConnId, now: int) -> list:
        """Let a waiting guest in (approval mode); rechecks room and duplicates."""
        c = self._conns.get(conn)
        if c is None or c.request is None or self.closed:
            return []
        join, c.request = c.request, None
        if join.device_id in self._guests:
            out = self._refuse(c, join, m.ALREADY_JOINED,
                               "Already joined: this device is already in the party", now)
        elif self.member_count >= self.config.max_members:
            limit = self.config.max_members
            out = self._refuse(c, join, m.SESSION_FULL, f"Session is full ({limit}/{limit})", now)
        else:
            out = self._admit(c, join, now)
        return _effects_first(out + [JoinRequestEnded(conn)])

    def decline(self, conn: ConnId, now: int) -> list:
        c = self._conns.get(conn)
        if c is None or c.request is None or self.closed:
            return []
        join, c.request = c.request, None
        return self._refuse(c, join, m.JOIN_DECLINED, "The host declined your request to join",
                            now) + [JoinRequestEnded(conn)]

    def remove(self, device_id: str, now: int) -> list:
        """Remove a guest: REMOVED_BY_HOST to it, MEMBER_LEFT to the others, no grace."""
        guest = self._guests.get(device_id)
        if guest is None or self.closed:
            return []
        self._removed.add(device_id)   # not back in this party under the same id
        out: list = []
        if guest.conn is not None and self._conns.pop(guest.conn, None) is not None:
            out += [Send(guest.conn, m.error(m.REMOVED_BY_HOST,
                                             "The host removed you from the party", now)),
                    Close(guest.conn, CLOSE_NORMAL, REASON_REMOVED)]
        return out + self._remove(device_id, REASON_REMOVED, now)

    # -- persistence ----------------------------------------------------------------------
    def snapshot(self) -> dict:
        """Everything needed to resume the party after a crash (tokens included: a secret)."""
        c = self.config
        return {
            "version": 1,
            "config": {"sessionId": c.session_id, "sessionName": c.session_name,
                       "hostId": c.host_id, "hostName": c.host_name,
                       "maxMembers": c.max_members, "heartbeatTimeoutMs": c.heartbeat_timeout_ms,
                       "graceMs": c.grace_ms, "access": c.access, "pin": c.pin},
            "hostJoinedAt": self.host_member.joined_at,
            "guests": [{"member": g.member.to_wire(), "resumeToken": g.resume_token}
                       for g in self._guests.values()],
        }

    @classmethod
    def restore(cls, snapshot: dict, now: int, **kwargs) -> "HostSession":
        """The party of ``snapshot``, every guest reconnecting with a fresh grace period.

        Raises LocalProtocolError when the snapshot is not one we wrote.
        """
        try:
            raw = snapshot["config"]
            config = HostConfig(
                session_id=raw["sessionId"], session_name=raw["sessionName"],
                host_id=raw["hostId"], host_name=raw["hostName"],
                max_members=int(raw["maxMembers"]),
                heartbeat_timeout_ms=int(raw["heartbeatTimeoutMs"]),
                grace_ms=int(raw["graceMs"]), access=raw.get("access", "open"),
                pin=raw.get("pin"))
            session = cls(config, int(snapshot["hostJoinedAt"]), **kwargs)
            grace = config.grace_ms or DEFAULT_GRACE_MS
            for entry in snapshot["guests"]:
                member = replace(m.Member.from_wire(entry["member"]), connection_status=m.RECONNECTING)
                token = entry["resumeToken"]
                if not isinstance(token, str):
                    raise TypeError("resumeToken")
                session._guests[member.id] = _Guest(member, token, None, REASON_CLOSED, now + grace)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError,
                RemoteProtocolError) as exc:   # e.g. int(Infinity), a PIN that is not text
            raise LocalProtocolError(f"not a saved LoudSync party ({exc})") from exc
        return session

    def _resume(self, c: _Connection, guest: _Guest, now: int) -> list:
        out: list = []
        if guest.conn is not None:  # half-open old socket: the newcomer wins
            old = self._conns.pop(guest.conn, None)
            if old is not None:
                out.append(Close(old.id, CLOSE_NORMAL, "Replaced by a new connection"))
        guest.conn = c.id
        guest.resume_token = self._new_token()
        c.device_id = guest.member.id
        was_reconnecting = guest.member.connection_status != m.CONNECTED
        # Connected again before WELCOME: its MEMBER_LIST must show it connected.
        guest.member = replace(guest.member, connection_status=m.CONNECTED)
        out += self._welcome(c, guest, now)
        if was_reconnecting:
            out += self._broadcast(m.member_updated(guest.member, now),
                                   except_device=guest.member.id)
        # Always, also over a half-open socket: what went to the old one may be lost.
        out.append(MemberResumed(guest.member))
        if was_reconnecting:
            out.append(MemberUpdated(guest.member))
        return out

    def _welcome(self, c: _Connection, guest: _Guest, now: int) -> list:
        cfg = self.config
        return [
            Send(c.id, m.welcome(
                session_id=cfg.session_id, session_name=cfg.session_name,
                host_id=cfg.host_id, host_name=cfg.host_name, device_id=guest.member.id,
                heartbeat_interval_ms=cfg.heartbeat_interval_ms,
                heartbeat_timeout_ms=cfg.heartbeat_timeout_ms,
                resume_token=guest.resume_token, now=now, features=HOST_FEATURES)),
            Send(c.id, m.member_list(self.members, now)),
        ]

    def _leave(self, c: _Connection, reason: str | None, now: int) -> list:
        del self._conns[c.id]
        out: list = [Close(c.id, CLOSE_NORMAL, "Left")]
        text = (reason or "").strip()[:m.MAX_NAME_CHARS]
        return out + self._remove(c.device_id, text if text.isprintable() and text else REASON_LEFT,
                                  now)

    def _drop(self, device_id: str, reason: str, now: int, grace: bool) -> list:
        """A joined connection ended without LEAVE."""
        guest = self._guests.get(device_id)
        if guest is None:
            return []
        guest.conn = None
        if not grace or self.config.grace_ms == 0:
            return self._remove(device_id, reason, now)
        guest.drop_reason = reason
        guest.grace_ends_at = now + self.config.grace_ms
        if guest.member.connection_status == m.RECONNECTING:
            return []
        guest.member = replace(guest.member, connection_status=m.RECONNECTING)
        return [*self._broadcast(m.member_updated(guest.member, now)),
                MemberUpdated(guest.member)]

    def _remove(self, device_id: str, reason: str, now: int) -> list:
        guest = self._guests.pop(device_id)
        return [*self._broadcast(m.member_left(device_id, reason, now)),
                MemberLeft(guest.member, reason)]

    def _refuse(self, c: _Connection, join: m.Join | None, code: str, message: str,
                now: int) -> list:
        del self._conns[c.id]
        return [Send(c.id, m.error(code, message, now)),
                Close(c.id, CLOSE_NORMAL, code),
                JoinRefused(c.address, join.device_name if join else None, code, message)]

    def _invalid(self, c: _Connection, message: str, now: int) -> list:
        if c.device_id is None:
            del self._conns[c.id]
            return [Send(c.id, m.error(m.INVALID_MESSAGE, message, now)),
                    Close(c.id, CLOSE_POLICY, "Invalid message"),
                    # a join request ends with its connection: take the host's prompt away
                    *([JoinRequestEnded(c.id)] if c.request is not None else [])]
        window = c.invalid_at
        window.append(now)
        while window and window[0] <= now - INVALID_WINDOW_MS:
            window.popleft()
        if len(window) > INVALID_LIMIT:
            return self._disconnect_abusive(c, "Too many invalid messages", now)
        return [Send(c.id, m.error(m.INVALID_MESSAGE, message, now))]

    def _over_rate(self, c: _Connection, now: int) -> bool:
        window = c.frames_at
        window.append(now)
        while window and window[0] <= now - RATE_WINDOW_MS:
            window.popleft()
        # Never less than twice the heartbeats we ask for: a short heartbeat timeout
        # announces an interval that alone would exceed the plain limit.
        return len(window) > max(RATE_LIMIT_FRAMES,
                                 2 * RATE_WINDOW_MS // self.config.heartbeat_interval_ms)

    def _disconnect_abusive(self, c: _Connection, why: str, now: int) -> list:
        del self._conns[c.id]
        out: list = [Close(c.id, CLOSE_POLICY, why)]
        if c.device_id is not None:
            out += self._remove(c.device_id, REASON_ABUSE, now)
        return out

    def _broadcast(self, text: str, except_device: str | None = None) -> list:
        return [Send(g.conn, text) for g in self._guests.values()
                if g.conn is not None and g.member.id != except_device]


def _effects_first(outputs: list) -> list:
    """Effects, then events: the adapter writes before listeners look."""
    return [o for o in outputs if isinstance(o, (Send, Close))] + \
        [o for o in outputs if not isinstance(o, (Send, Close))]
