"""The host's session state machine: every rule of PROTOCOL.md sections 2 and 3.

Sans-I/O: the adapter reports what happened on the wire (a connection opened,
a text or binary frame arrived, a connection closed, time passed) with ``now``
in milliseconds; each call returns the effects to carry out (``Send``,
``Close``) followed by events for the UI. ``next_deadline()`` says when
``tick()`` must be called next.

Each connection and each member has an explicit state; the moves between them
are the tables of ``states.py`` (approval included), and every move goes
through ``_move_conn`` / ``_move_member``, which raise on a move the tables
do not allow.
"""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import messages as m
from .errors import LocalProtocolError, RemoteProtocolError
from .codes import is_pin
from .events import (
    CLOSE_GOING_AWAY, CLOSE_NORMAL, CLOSE_POLICY, Close, ConnId, Effect, HostEvent, JoinRefused,
    JoinRequested, JoinRequestEnded, MemberJoined, MemberLeft, MemberResumed, MemberUpdated,
    Output, Send, SessionEnded, SyncReported,
)
from .stream import FEATURE as FEATURE_STREAM
from .playback import clock_pong
from .states import (
    CONN_TRANSITIONS, MEMBER_TRANSITIONS, ConnState, ConnTrigger, MemberState, MemberTrigger,
    next_state,
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
HOST_FEATURES = (FEATURE_STREAM,)


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
    state: ConnState = ConnState.AWAITING_JOIN
    device_id: str | None = None       # set once JOINED
    request: m.Join | None = None      # the JOIN held while AWAITING_APPROVAL
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
                for c in self._conns.values()
                if c.state is ConnState.AWAITING_APPROVAL and c.request is not None]

    def next_deadline(self) -> int | None:
        """The earliest ``now`` at which ``tick`` has something to do."""
        deadlines = []
        for conn in self._conns.values():
            if conn.state is ConnState.AWAITING_APPROVAL:
                deadlines.append(min(conn.requested_at + APPROVAL_TIMEOUT_MS,
                                     conn.pending_notice_at + self.config.heartbeat_interval_ms))
            elif conn.state is ConnState.AWAITING_JOIN:
                deadlines.append(conn.opened_at + self.config.join_timeout_ms)
            else:
                deadlines.append(conn.last_seen + self.config.heartbeat_timeout_ms)
        deadlines.extend(g.grace_ends_at for g in self._guests.values() if g.conn is None)
        return min(deadlines, default=None)

    # -- inputs ---------------------------------------------------------------
    # Each returns the effects to carry out, then the events for people (``_Out``).
    def connection_opened(self, conn: ConnId, address: str, now: int) -> list[Output]:
        if conn in self._conns:
            raise LocalProtocolError(f"connection {conn!r} is already open")
        out = _Out()
        if self.closed:
            out.close(conn, CLOSE_GOING_AWAY, "Session has ended")
            return out.done()
        # A flood of sockets that never join must not lock out a real guest: make
        # room by closing the oldest connection still waiting to send its JOIN.
        waiting = [c for c in self._conns.values() if c.state is ConnState.AWAITING_JOIN]
        from_here = [c for c in waiting if c.address == address]
        for crowd, limit in ((from_here, MAX_PENDING_PER_ADDRESS), (waiting, MAX_PENDING)):
            if len(crowd) >= limit:
                oldest = min(crowd, key=lambda c: c.opened_at)
                self._end_conn(oldest)
                out.close(oldest.id, CLOSE_POLICY, "Too many connections waiting to join")
                if oldest in waiting:
                    waiting.remove(oldest)
        self._conns[conn] = _Connection(conn, address, now, now)
        return out.done()

    def receive_text(self, conn: ConnId, text: str, now: int,
                     now_us: int | None = None) -> list[Output]:
        """``now_us``: a finer reading of the same clock, for CLOCK_PONG (default now*1000)."""
        out = _Out()
        c = self._conns.get(conn)
        if c is None or self.closed:
            return out.done()  # already closed by us; late frames are moot
        c.last_seen = now
        if self._over_rate(c, now):
            self._disconnect_abusive(out, c, "Too many messages", now)
            return out.done()
        try:
            message = m.parse_guest_message(text)
        except RemoteProtocolError as exc:
            self._invalid(out, c, exc.message, now)
            return out.done()
        if c.state is ConnState.AWAITING_APPROVAL:
            if isinstance(message, m.Leave):
                self._end_conn(c)
                out.close(conn, CLOSE_NORMAL, "Request withdrawn")
                out.emit(JoinRequestEnded(conn))
            else:
                self._invalid(out, c, "Invalid message: wait for the host to let you in", now)
        elif c.state is ConnState.AWAITING_JOIN:
            if isinstance(message, m.Join):
                self._join(out, c, message, now)
            else:
                self._invalid(out, c, "Invalid message: JOIN must come first", now)
        elif isinstance(message, m.Join):
            self._invalid(out, c, "Invalid message: already joined on this connection", now)
        elif isinstance(message, m.Heartbeat):
            out.send(conn, m.heartbeat_ack(message.sent_at, now))
        elif isinstance(message, m.ClockPing):
            t = now * 1000 if now_us is None else now_us
            out.send(conn, clock_pong(message.t0_us, t, t))
        elif isinstance(message, m.SyncReport):
            assert c.device_id is not None   # JOINED
            out.emit(SyncReported(c.device_id, message.error_us, message.uncertainty_us,
                                  message.stream))
        else:
            self._leave(out, c, message.reason, now)
        return out.done()

    def receive_binary(self, conn: ConnId, data: bytes, now: int) -> list[Output]:
        out = _Out()
        c = self._conns.get(conn)
        if c is None or self.closed:
            return out.done()
        c.last_seen = now
        if self._over_rate(c, now):
            self._disconnect_abusive(out, c, "Too many messages", now)
        else:
            self._invalid(out, c, "Invalid message: binary frames are not accepted", now)
        return out.done()

    def connection_closed(self, conn: ConnId, now: int, abusive: bool = False) -> list[Output]:
        """The transport closed (reset, peer close, or our close completing).

        ``abusive``: the adapter itself failed the connection for the guest's
        fault (an oversized frame), so there is no grace period.
        """
        out = _Out()
        c = self._conns.get(conn)
        if c is None:
            return out.done()   # we had closed it already
        was = c.state
        self._end_conn(c)
        if was is ConnState.AWAITING_APPROVAL:
            out.emit(JoinRequestEnded(conn))
        elif was is ConnState.JOINED and c.device_id is not None:
            self._drop(out, c.device_id, REASON_ABUSE if abusive else REASON_CLOSED,
                       now, grace=not abusive)
        return out.done()

    def tick(self, now: int) -> list[Output]:
        out = _Out()
        if self.closed:
            return out.done()
        for c in list(self._conns.values()):
            if c.state is ConnState.AWAITING_APPROVAL:
                if now >= c.requested_at + APPROVAL_TIMEOUT_MS:
                    self._refuse(out, c, c.request, m.JOIN_DECLINED,
                                 "The host did not answer your request in time", now)
                    out.emit(JoinRequestEnded(c.id))
                elif now >= c.pending_notice_at + self.config.heartbeat_interval_ms:
                    # Repeated so the waiting guest hears from us within its timeout.
                    c.pending_notice_at = now
                    out.send(c.id, m.join_pending(PENDING_TEXT, now))
            elif c.state is ConnState.AWAITING_JOIN \
                    and now >= c.opened_at + self.config.join_timeout_ms:
                self._refuse(out, c, None, m.JOIN_TIMEOUT,
                             f"No JOIN within {self.config.join_timeout_ms / 1000:g} s", now)
            elif c.state is ConnState.JOINED and c.device_id is not None \
                    and now >= c.last_seen + self.config.heartbeat_timeout_ms:
                self._end_conn(c)
                out.close(c.id, CLOSE_GOING_AWAY, REASON_TIMEOUT)
                self._drop(out, c.device_id, REASON_TIMEOUT, now, grace=True)
        for device_id, g in list(self._guests.items()):
            if g.conn is None and now >= g.grace_ends_at:
                self._remove(out, device_id, g.drop_reason, now)
        return out.done()

    def close(self, now: int, reason: str = REASON_HOST_ENDED) -> list[Output]:
        """End Session: SESSION_CLOSED to every guest, then close everything with 1000."""
        out = _Out()
        if self.closed:
            return out.done()
        self.closed = True
        text = m.session_closed(reason, now)
        for c in list(self._conns.values()):
            if c.state is not ConnState.AWAITING_JOIN:   # those waiting for approval too
                out.send(c.id, text)
            out.close(c.id, CLOSE_NORMAL, "Session closed")
            self._end_conn(c)
        self._guests.clear()
        out.emit(SessionEnded(reason))
        return out.done()

    # -- rules ----------------------------------------------------------------
    def _join(self, out: _Out, c: _Connection, join: m.Join, now: int) -> None:
        cfg = self.config
        if join.protocol_version not in m.SUPPORTED_PROTOCOL_VERSIONS:
            self._refuse(out, c, join, m.VERSION_MISMATCH,
                         f"This host speaks protocol version {m.PROTOCOL_VERSION}, "
                         f"not {join.protocol_version}. Update LoudSync on both devices.", now)
            return
        if join.session_id != cfg.session_id:
            self._refuse(out, c, join, m.SESSION_NOT_FOUND, "Session not found", now)
            return
        existing = self._guests.get(join.device_id)
        if existing is not None and join.resume_token is not None \
                and _same_token(join.resume_token, existing.resume_token):
            existing.features = join.features
            self._resume(out, c, existing, now)  # the token proves it: no PIN again
            return
        if now < self._locked_until.get(c.address, 0):
            self._refuse(out, c, join, m.TOO_MANY_ATTEMPTS,
                         "Too many wrong PINs from this address: wait a minute", now)
            return
        if cfg.access == "pin":
            if join.pin is None:
                self._refuse(out, c, join, m.PIN_REQUIRED, "This party needs a PIN", now)
                return
            if not _same_token(join.pin, cfg.pin or ""):
                self._wrong_pin(out, c, join, now)
                return
        if join.device_id in self._removed:
            self._refuse(out, c, join, m.REMOVED_BY_HOST,
                         "The host removed you from this party", now)
            return
        if existing is not None or join.device_id == cfg.host_id:
            self._refuse(out, c, join, m.ALREADY_JOINED,
                         "Already joined: this device is already in the party", now)
            return
        if self.member_count >= cfg.max_members:
            self._refuse(out, c, join, m.SESSION_FULL,
                         f"Session is full ({cfg.max_members}/{cfg.max_members})", now)
            return
        if cfg.access == "approval":
            if len(self.join_requests) >= MAX_JOIN_REQUESTS:
                self._refuse(out, c, join, m.JOIN_DECLINED,
                             "Too many people are waiting to join: try again soon", now)
                return
            self._move_conn(c, ConnTrigger.HOLD)
            c.request, c.requested_at, c.pending_notice_at = join, now, now
            out.send(c.id, m.join_pending(PENDING_TEXT, now))
            out.emit(JoinRequested(c.id, c.address, join.device_id, join.device_name))
            return
        self._admit(out, c, join, now)

    def _admit(self, out: _Out, c: _Connection, join: m.Join, now: int) -> None:
        member = m.Member(join.device_id, join.device_name, m.ROLE_CLIENT, m.CONNECTED, now)
        guest = _Guest(member, self._new_token(), c.id, features=join.features)
        self._guests[member.id] = guest
        self._move_conn(c, ConnTrigger.ADMIT)
        c.device_id = member.id
        self._welcome(out, c, guest, now)
        self._broadcast(out, m.member_joined(member, now), except_device=member.id)
        out.emit(MemberJoined(member))

    def _wrong_pin(self, out: _Out, c: _Connection, join: m.Join, now: int) -> None:
        failures = self._pin_failures.setdefault(c.address, deque())
        failures.append(now)
        while failures and failures[0] <= now - PIN_WINDOW_MS:
            failures.popleft()
        if len(failures) >= PIN_ATTEMPTS:
            del self._pin_failures[c.address]
            self._locked_until[c.address] = now + PIN_LOCKOUT_MS
            self._refuse(out, c, join, m.TOO_MANY_ATTEMPTS,
                         "Too many wrong PINs from this address: wait a minute", now)
        else:
            self._refuse(out, c, join, m.WRONG_PIN, "Wrong PIN", now)

    # -- the host's own decisions -----------------------------------------------------
    def approve(self, conn: ConnId, now: int) -> list[Output]:
        """Let a waiting guest in (approval mode); rechecks room and duplicates."""
        out = _Out()
        c = self._conns.get(conn)
        # An answer to a request that already ended (withdrawn, timed out) is moot.
        if c is None or c.state is not ConnState.AWAITING_APPROVAL or self.closed:
            return out.done()
        join, c.request = c.request, None
        assert join is not None
        if join.device_id in self._guests:
            self._refuse(out, c, join, m.ALREADY_JOINED,
                         "Already joined: this device is already in the party", now)
        elif self.member_count >= self.config.max_members:
            limit = self.config.max_members
            self._refuse(out, c, join, m.SESSION_FULL, f"Session is full ({limit}/{limit})", now)
        else:
            self._admit(out, c, join, now)
        out.emit(JoinRequestEnded(conn))
        return out.done()

    def decline(self, conn: ConnId, now: int) -> list[Output]:
        out = _Out()
        c = self._conns.get(conn)
        if c is None or c.state is not ConnState.AWAITING_APPROVAL or self.closed:
            return out.done()
        join, c.request = c.request, None
        self._refuse(out, c, join, m.JOIN_DECLINED, "The host declined your request to join", now)
        out.emit(JoinRequestEnded(conn))
        return out.done()

    def remove(self, device_id: str, now: int) -> list[Output]:
        """Remove a guest: REMOVED_BY_HOST to it, MEMBER_LEFT to the others, no grace."""
        out = _Out()
        guest = self._guests.get(device_id)
        if guest is None or self.closed:
            return out.done()
        self._removed.add(device_id)   # not back in this party under the same id
        live = self._conns.get(guest.conn) if guest.conn is not None else None
        if live is not None:
            self._end_conn(live)
            out.send(live.id, m.error(m.REMOVED_BY_HOST, "The host removed you from the party",
                                      now))
            out.close(live.id, CLOSE_NORMAL, REASON_REMOVED)
        self._remove(out, device_id, REASON_REMOVED, now)
        return out.done()

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
    def restore(cls, snapshot: dict, now: int, **kwargs) -> HostSession:
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
                member = replace(m.Member.from_wire(entry["member"]),
                                 connection_status=m.RECONNECTING)
                token = entry["resumeToken"]
                if not isinstance(token, str):
                    raise TypeError("resumeToken")
                session._guests[member.id] = _Guest(member, token, None, REASON_CLOSED, now + grace)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError,
                RemoteProtocolError) as exc:   # e.g. int(Infinity), a PIN that is not text
            raise LocalProtocolError(f"not a saved LoudSync party ({exc})") from exc
        return session

    def _resume(self, out: _Out, c: _Connection, guest: _Guest, now: int) -> None:
        if guest.conn is not None:  # half-open old socket: the newcomer wins
            old = self._conns.get(guest.conn)
            if old is not None:
                self._end_conn(old)
                out.close(old.id, CLOSE_NORMAL, "Replaced by a new connection")
        guest.conn = c.id
        guest.resume_token = self._new_token()
        self._move_conn(c, ConnTrigger.ADMIT)
        c.device_id = guest.member.id
        was_reconnecting = guest.member.connection_status != m.CONNECTED
        # Connected again before WELCOME: its MEMBER_LIST must show it connected.
        self._move_member(guest, MemberTrigger.RESUME)
        self._welcome(out, c, guest, now)
        if was_reconnecting:
            self._broadcast(out, m.member_updated(guest.member, now),
                            except_device=guest.member.id)
        # Always, also over a half-open socket: what went to the old one may be lost.
        out.emit(MemberResumed(guest.member))
        if was_reconnecting:
            out.emit(MemberUpdated(guest.member))

    def _welcome(self, out: _Out, c: _Connection, guest: _Guest, now: int) -> None:
        cfg = self.config
        out.send(c.id, m.welcome(
            session_id=cfg.session_id, session_name=cfg.session_name,
            host_id=cfg.host_id, host_name=cfg.host_name, device_id=guest.member.id,
            heartbeat_interval_ms=cfg.heartbeat_interval_ms,
            heartbeat_timeout_ms=cfg.heartbeat_timeout_ms,
            resume_token=guest.resume_token, now=now, features=HOST_FEATURES,
            max_members=cfg.max_members))
        out.send(c.id, m.member_list(self.members, now))

    def _leave(self, out: _Out, c: _Connection, reason: str | None, now: int) -> None:
        assert c.device_id is not None
        self._end_conn(c)
        out.close(c.id, CLOSE_NORMAL, "Left")
        text = (reason or "").strip()[:m.MAX_NAME_CHARS]
        self._remove(out, c.device_id, text if text.isprintable() and text else REASON_LEFT, now)

    def _drop(self, out: _Out, device_id: str, reason: str, now: int, grace: bool) -> None:
        """A joined connection ended without LEAVE."""
        guest = self._guests.get(device_id)
        if guest is None:
            return
        guest.conn = None
        if not grace or self.config.grace_ms == 0:
            self._remove(out, device_id, reason, now)
            return
        guest.drop_reason = reason
        guest.grace_ends_at = now + self.config.grace_ms
        if guest.member.connection_status == m.RECONNECTING:
            return   # already counting down (a restored party): one grace period
        self._move_member(guest, MemberTrigger.DROP)
        self._broadcast(out, m.member_updated(guest.member, now))
        out.emit(MemberUpdated(guest.member))

    def _remove(self, out: _Out, device_id: str, reason: str, now: int) -> None:
        guest = self._guests.pop(device_id)
        self._move_member(guest, MemberTrigger.REMOVE)
        self._broadcast(out, m.member_left(device_id, reason, now))
        out.emit(MemberLeft(guest.member, reason))

    def _refuse(self, out: _Out, c: _Connection, join: m.Join | None, code: str, message: str,
                now: int) -> None:
        self._end_conn(c)
        out.send(c.id, m.error(code, message, now))
        out.close(c.id, CLOSE_NORMAL, code)
        out.emit(JoinRefused(c.address, join.device_name if join else None, code, message))

    def _invalid(self, out: _Out, c: _Connection, message: str, now: int) -> None:
        if c.state is not ConnState.JOINED:
            was = c.state
            self._end_conn(c)
            out.send(c.id, m.error(m.INVALID_MESSAGE, message, now))
            out.close(c.id, CLOSE_POLICY, "Invalid message")
            if was is ConnState.AWAITING_APPROVAL:
                out.emit(JoinRequestEnded(c.id))   # take the host's prompt away
            return
        window = c.invalid_at
        window.append(now)
        while window and window[0] <= now - INVALID_WINDOW_MS:
            window.popleft()
        if len(window) > INVALID_LIMIT:
            self._disconnect_abusive(out, c, "Too many invalid messages", now)
        else:
            out.send(c.id, m.error(m.INVALID_MESSAGE, message, now))

    def _over_rate(self, c: _Connection, now: int) -> bool:
        window = c.frames_at
        window.append(now)
        while window and window[0] <= now - RATE_WINDOW_MS:
            window.popleft()
        # Never less than twice the heartbeats we ask for: a short heartbeat timeout
        # announces an interval that alone would exceed the plain limit.
        return len(window) > max(RATE_LIMIT_FRAMES,
                                 2 * RATE_WINDOW_MS // self.config.heartbeat_interval_ms)

    def _disconnect_abusive(self, out: _Out, c: _Connection, why: str, now: int) -> None:
        joined = c.state is ConnState.JOINED
        self._end_conn(c)
        out.close(c.id, CLOSE_POLICY, why)
        if joined and c.device_id is not None:
            self._remove(out, c.device_id, REASON_ABUSE, now)

    # -- the state tables' only writers ----------------------------------------------
    def _move_conn(self, c: _Connection, trigger: ConnTrigger) -> None:
        c.state = next_state(CONN_TRANSITIONS, c.state, trigger)

    def _end_conn(self, c: _Connection) -> None:
        """The connection is over for the core (the adapter closes the socket)."""
        self._move_conn(c, ConnTrigger.END)
        del self._conns[c.id]

    def _move_member(self, guest: _Guest, trigger: MemberTrigger) -> None:
        state = next_state(MEMBER_TRANSITIONS, MemberState(guest.member.connection_status),
                           trigger)
        if state is not MemberState.LEFT:
            guest.member = replace(guest.member, connection_status=state.value)

    def _broadcast(self, out: _Out, text: str, except_device: str | None = None) -> None:
        for g in self._guests.values():
            if g.conn is not None and g.member.id != except_device:
                out.send(g.conn, text)


class _Out:
    """One call's outputs as the rules make them: effects, and apart from them, events.

    ``done()`` hands back the effects first, so the adapter writes before listeners look.
    """

    __slots__ = ("effects", "events")

    def __init__(self) -> None:
        self.effects: list[Effect] = []
        self.events: list[HostEvent] = []

    def send(self, conn: ConnId, text: str) -> None:
        self.effects.append(Send(conn, text))

    def close(self, conn: ConnId, code: int, reason: str) -> None:
        self.effects.append(Close(conn, code, reason))

    def emit(self, event: HostEvent) -> None:
        self.events.append(event)

    def done(self) -> list[Output]:
        return [*self.effects, *self.events]
