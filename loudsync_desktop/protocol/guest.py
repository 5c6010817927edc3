"""The guest's session state machine.

Sans-I/O like the host core: the adapter reports the connection opening, host
frames, the connection closing and the passing of time; the core answers with
``Send``/``Close`` effects (``conn`` is None: there is one connection) and
guest events.

``status`` is a GuestState; its moves are the guest table of ``states.py``,
made only by ``_move``, which raises on a move the table does not allow.
"""

from __future__ import annotations

from typing import Any

from . import messages as m
from .errors import RemoteProtocolError
from .events import (  # the guest's events live in events.py; also reachable as guest.X
    CLOSE_NORMAL, Close, ConnectionLost, ErrorReceived, GuestEvent, GuestMemberJoined,
    GuestMemberLeft, GuestMemberUpdated, HeartbeatAcked, JoinPending, MembersReplaced, Output,
    Reconnected, Reconnecting, Send, SessionClosed, SessionInfo, Welcomed,
)
from .host import DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_HEARTBEAT_TIMEOUT_MS
from .states import GUEST_TRANSITIONS, GuestState, GuestTrigger, next_state

__all__ = [
    "CONNECTED", "CONNECTING", "DISCONNECTED", "FATAL_CODES", "HUMAN_ERRORS", "IDLE", "LIVE",
    "GuestSession", "ReconnectPolicy", "human_error",
    # re-exported events (defined in events.py)
    "ConnectionLost", "ErrorReceived", "GuestEvent", "GuestMemberJoined", "GuestMemberLeft",
    "GuestMemberUpdated", "HeartbeatAcked", "JoinPending", "MembersReplaced", "Reconnected",
    "Reconnecting", "SessionClosed", "SessionInfo", "Welcomed",
]

IDLE = GuestState.IDLE
CONNECTING = GuestState.CONNECTING
CONNECTED = GuestState.CONNECTED
DISCONNECTED = GuestState.DISCONNECTED
LIVE = (CONNECTING, CONNECTED)   # a connection the core still pumps

# What a person is told for each refusal; the host's own words fill the gaps.
FULL_HINT = "Ask the host to raise the limit."
HUMAN_ERRORS = {
    m.SESSION_NOT_FOUND: "No party with this code is running there",
    m.ALREADY_JOINED: "This device is already in the party",
    m.JOIN_TIMEOUT: "The host stopped waiting for this device to join",
    m.PIN_REQUIRED: "This party needs a PIN",
    m.WRONG_PIN: "Wrong PIN",
    m.TOO_MANY_ATTEMPTS: "Too many wrong PINs: wait a minute and try again",
    m.JOIN_DECLINED: "The host declined your request to join",
    m.REMOVED_BY_HOST: "The host removed you from the party",
}
# Codes after which the host closes the connection: the join is over.
FATAL_CODES = frozenset(HUMAN_ERRORS) | {m.SESSION_FULL, m.VERSION_MISMATCH}


def human_error(code: str, host_message: str) -> str:
    if code == m.SESSION_FULL:   # the host says "Session is full (8/8)": keep its figures
        figures = host_message.removeprefix("Session is full").strip()
        figures = figures if figures.startswith("(") else ""
        return f"This party is full{' ' + figures if figures else ''}. {FULL_HINT}"
    return HUMAN_ERRORS.get(code, host_message or code)


class GuestSession:
    def __init__(self, *, session_id: str, device_id: str, device_name: str,
                 app_version: str, resume_token: str | None = None,
                 pin: str | None = None, features: tuple[str, ...] = ()) -> None:
        self.session_id = session_id
        self.device_id = device_id
        self.device_name = device_name
        self.app_version = app_version
        self.resume_token = resume_token
        self.pin = pin
        self.features = features
        self.status: GuestState = IDLE
        self.session: SessionInfo | None = None
        self.members: list[m.Member] = []
        self.end_reason: str | None = None
        self.last_error: ErrorReceived | None = None
        self._interval_ms = DEFAULT_HEARTBEAT_INTERVAL_MS
        self._timeout_ms = DEFAULT_HEARTBEAT_TIMEOUT_MS
        self._last_heard = 0
        self._last_sent = 0
        # While the host streams music to us (its clock answers twice a second, chunks come
        # every 20 ms), a silence this long means the link has stalled: better to connect
        # anew at once than to wait for TCP's backed-off retransmissions.
        self.stream_watch_ms: int | None = None
        self.stalled = False
        self._recheck_at: int | None = None

    # -- inputs ---------------------------------------------------------------
    def connection_opened(self, now: int) -> list[Output]:
        self._move(GuestTrigger.OPEN)   # once per core: raises if already opened
        self._last_heard = self._last_sent = now
        return [Send(None, m.join(session_id=self.session_id, device_id=self.device_id,
                                  device_name=self.device_name, app_version=self.app_version,
                                  resume_token=self.resume_token, pin=self.pin, now=now,
                                  features=self.features))]

    def receive_text(self, text: str, now: int) -> list[Output]:
        if self.status not in LIVE:
            return []
        self._last_heard = now
        try:
            message = m.decode(text)
            return self._dispatch(message, now)
        except RemoteProtocolError:
            return []  # a malformed host frame is ignored, like an unknown type

    def frame_arrived(self, now: int) -> None:
        """A binary frame (music) came: the host is there."""
        if self.status in LIVE:
            self._last_heard = now

    def _silence_limit_ms(self) -> int:
        watch = self.stream_watch_ms if self.status == CONNECTED else None
        return self._timeout_ms if watch is None else min(self._timeout_ms, watch)

    def tick(self, now: int) -> list[Output]:
        if self.status not in LIVE:
            return []
        limit = self._silence_limit_ms()
        if now - self._last_heard >= limit:
            if limit < self._timeout_ms and now - (self._last_heard + limit) > LATE_TICK_MS \
                    and self._recheck_at is None:
                # This laptop itself was stuck (the check came late): what the host sent may
                # be waiting unread. Look again shortly, once it has been read.
                self._recheck_at = now + RECHECK_MS
                return []
            self.stalled = limit < self._timeout_ms
            reason = STALLED if self.stalled else "No answer from the host"
            return self._end(ConnectionLost(reason), now, close=True)
        self._recheck_at = None
        if self.status == CONNECTED and now - self._last_sent >= self._interval_ms:
            self._last_sent = now
            return [Send(None, m.heartbeat(now))]
        return []

    def next_deadline(self) -> int | None:
        if self.status not in LIVE:
            return None
        lost_at = self._last_heard + self._silence_limit_ms()
        if self._recheck_at is not None:
            lost_at = max(lost_at, self._recheck_at)
        if self.status == CONNECTING:
            return lost_at
        return min(lost_at, self._last_sent + self._interval_ms)

    def leave(self, now: int, reason: str | None = None) -> list[Output]:
        """Leave on purpose: LEAVE, then the host closes with 1000."""
        if self.status not in LIVE:
            return []
        self._move(GuestTrigger.END)
        self.end_reason = "Left the party"
        self.resume_token = None  # a guest that left does not come back with its place
        return [Send(None, m.leave(reason, now))]

    def connection_closed(self, now: int, reason: str = "Connection closed") -> list[Output]:
        if self.status not in LIVE:
            return []
        return self._end(ConnectionLost(reason), now, close=False)

    # -- host messages -------------------------------------------------------
    def _dispatch(self, msg: m.Message, now: int) -> list[Output]:
        p = msg.payload
        if msg.type == m.WELCOME:
            info = SessionInfo(
                session_id=m.require_str(p, "sessionId"),
                session_name=m.require_str(p, "sessionName"),
                host_id=m.require_str(p, "hostId"),
                host_name=m.require_str(p, "hostName"),
                device_id=m.require_str(p, "deviceId"),
                heartbeat_interval_ms=_positive(p, "heartbeatIntervalMs"),
                heartbeat_timeout_ms=_positive(p, "heartbeatTimeoutMs"),
                resume_token=m.require_str(p, "resumeToken"),
                features=m.features_of(p),
                max_members=m.max_members_of(p),
            )
            self.session = info
            self.resume_token = info.resume_token
            self._interval_ms = info.heartbeat_interval_ms
            self._timeout_ms = info.heartbeat_timeout_ms
            self._move(GuestTrigger.WELCOME)
            return [Welcomed(info)]
        if msg.type == m.MEMBER_LIST:
            raw = p.get("members")
            if not isinstance(raw, list):
                raise m.invalid("'members' must be a list")
            self.members = [m.Member.from_wire(x) for x in raw]
            return [MembersReplaced(tuple(self.members))]
        if msg.type == m.MEMBER_JOINED:
            member = m.Member.from_wire(p.get("member"))
            self._put_member(member)
            return [GuestMemberJoined(member)]
        if msg.type == m.MEMBER_UPDATED:
            member = m.Member.from_wire(p.get("member"))
            self._put_member(member)
            return [GuestMemberUpdated(member)]
        if msg.type == m.MEMBER_LEFT:
            device_id = m.require_str(p, "deviceId")
            reason = m.lenient_str(p, "reason")
            self.members = [x for x in self.members if x.id != device_id]
            return [GuestMemberLeft(device_id, reason)]
        if msg.type == m.HEARTBEAT_ACK:
            sent_at = m.require_int(p, "sentAt")
            server_time = m.require_int(p, "serverTime")
            return [HeartbeatAcked(now - sent_at, server_time - (sent_at + now) / 2)]
        if msg.type == m.JOIN_PENDING:
            text = p.get("message")
            return [JoinPending(text if isinstance(text, str) and text.strip()
                                else "Waiting for the host to let you in")]
        if msg.type == m.ERROR:
            code = m.require_str(p, "code")
            text = m.lenient_str(p, "message")
            # INVALID_MESSAGE before WELCOME also ends the join: the host closes.
            fatal = code in FATAL_CODES or (code == m.INVALID_MESSAGE and self.status == CONNECTING)
            event = ErrorReceived(code, text, human_error(code, text), fatal)
            self.last_error = event
            if fatal:
                if code == m.REMOVED_BY_HOST:
                    self.resume_token = None
                return self._end(event, now, close=False)
            return [event]
        if msg.type == m.SESSION_CLOSED:
            reason = m.lenient_str(p, "reason")
            self.resume_token = None
            return self._end(SessionClosed(reason or "Session ended by host"), now, close=True)
        return []  # unknown types: a newer host talking to us

    def _put_member(self, member: m.Member) -> None:
        for i, existing in enumerate(self.members):
            if existing.id == member.id:
                self.members[i] = member
                return
        self.members.append(member)

    def _move(self, trigger: GuestTrigger) -> None:
        self.status = next_state(GUEST_TRANSITIONS, self.status, trigger)

    def _end(self, event: ErrorReceived | SessionClosed | ConnectionLost, now: int,
             close: bool) -> list[Output]:
        self._move(GuestTrigger.END)
        match event:
            case (ErrorReceived(human=text) | SessionClosed(reason=text)
                  | ConnectionLost(reason=text)):
                self.end_reason = text
        out: list[Output] = [Close(None, CLOSE_NORMAL, "Bye")] if close else []
        return [*out, event]


def _positive(payload: Any, key: str) -> int:
    value = m.require_int(payload, key)
    if value <= 0:
        raise RemoteProtocolError(m.INVALID_MESSAGE, f"'{key}' must be positive")
    return value




# -- reconnecting ---------------------------------------------------------------------
STALLED = "The music stopped coming from the host"
LATE_TICK_MS = 250      # a stream-watch check this late means this laptop was stuck, ...
RECHECK_MS = 300        # ... so it looks again this much later before calling it a stall


class ReconnectPolicy:
    """When to try again after a drop: at once, then backing off to a cap; give up at last.

    Pure: ``next_delay_ms`` is asked after every failed try with the time since the drop.
    """

    def __init__(self, delays_ms: tuple[int, ...] = (0, 500, 1000, 2000),
                 give_up_after_ms: int = 120_000) -> None:
        self.delays_ms = delays_ms
        self.give_up_after_ms = give_up_after_ms

    def next_delay_ms(self, attempt: int, since_drop_ms: int) -> int | None:
        """Delay before try number ``attempt`` (0-based), or None to give up."""
        if since_drop_ms >= self.give_up_after_ms:
            return None
        return self.delays_ms[min(attempt, len(self.delays_ms) - 1)]
