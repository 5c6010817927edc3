"""Wire messages of PROTOCOL.md section 2: encoding, decoding and validation.

Everything here is pure: text in, typed values out, RemoteProtocolError for
anything the contract forbids.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from .errors import RemoteProtocolError

PROTOCOL_VERSION = 1
SUPPORTED_PROTOCOL_VERSIONS = frozenset({1})
MAX_FRAME_BYTES = 64 * 1024

# Guest -> host.
JOIN = "JOIN"
HEARTBEAT = "HEARTBEAT"
LEAVE = "LEAVE"
GUEST_TYPES = frozenset({JOIN, HEARTBEAT, LEAVE})

# Host -> guest.
WELCOME = "WELCOME"
MEMBER_LIST = "MEMBER_LIST"
MEMBER_JOINED = "MEMBER_JOINED"
MEMBER_LEFT = "MEMBER_LEFT"
MEMBER_UPDATED = "MEMBER_UPDATED"
HEARTBEAT_ACK = "HEARTBEAT_ACK"
JOIN_PENDING = "JOIN_PENDING"
ERROR = "ERROR"
SESSION_CLOSED = "SESSION_CLOSED"
HOST_TYPES = frozenset(
    {WELCOME, MEMBER_LIST, MEMBER_JOINED, MEMBER_LEFT, MEMBER_UPDATED,
     HEARTBEAT_ACK, JOIN_PENDING, ERROR, SESSION_CLOSED}
)

# ERROR codes.
SESSION_NOT_FOUND = "SESSION_NOT_FOUND"
ALREADY_JOINED = "ALREADY_JOINED"
SESSION_FULL = "SESSION_FULL"
VERSION_MISMATCH = "VERSION_MISMATCH"
JOIN_TIMEOUT = "JOIN_TIMEOUT"
PIN_REQUIRED = "PIN_REQUIRED"
WRONG_PIN = "WRONG_PIN"
TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
JOIN_DECLINED = "JOIN_DECLINED"
REMOVED_BY_HOST = "REMOVED_BY_HOST"
INVALID_MESSAGE = "INVALID_MESSAGE"

# Limits on what a guest may call itself (documented in docs/PROTOCOL-EXTENSIONS.md).
MAX_NAME_CHARS = 64
MAX_DEVICE_ID_CHARS = 128
MAX_SHORT_TEXT_CHARS = 256
MAX_WIRE_INT = 2**53  # JSON numbers other clients can hold exactly

ROLE_HOST = "host"
ROLE_CLIENT = "client"
CONNECTED = "connected"
RECONNECTING = "reconnecting"


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str
    connection_status: str
    joined_at: int

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "connectionStatus": self.connection_status,
            "joinedAt": self.joined_at,
        }

    @classmethod
    def from_wire(cls, obj: Any) -> Member:
        if not isinstance(obj, dict):
            raise invalid("member must be an object")
        role = require_str(obj, "role")
        status = require_str(obj, "connectionStatus")
        if role not in (ROLE_HOST, ROLE_CLIENT):
            raise invalid(f"unknown member role {role!r}")
        if status not in (CONNECTED, RECONNECTING):
            raise invalid(f"unknown connectionStatus {status!r}")
        return cls(
            id=require_str(obj, "id"),
            name=require_str(obj, "name"),
            role=role,
            connection_status=status,
            joined_at=require_int(obj, "joinedAt"),
        )


@dataclass(frozen=True)
class Message:
    type: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    timestamp: int | None = None


# Guest -> host, validated.
@dataclass(frozen=True)
class Join:
    session_id: str
    device_id: str
    device_name: str
    app_version: str
    protocol_version: int = PROTOCOL_VERSION
    resume_token: str | None = None
    pin: str | None = None
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heartbeat:
    sent_at: int


@dataclass(frozen=True)
class Leave:
    reason: str | None = None


@dataclass(frozen=True)
class ClockPing:
    """Extension (playback/1): the guest's clock in µs, answered with CLOCK_PONG."""

    t0_us: int


@dataclass(frozen=True)
class SyncReport:
    """Extension (playback/1): how far this guest's speaker is from the timeline, and
    (playback/2) how its stream fares: the valid ones of ``stream_fields_of``, or None."""

    error_us: int
    uncertainty_us: int
    stream: Mapping[str, Any] | None = None


GuestMessage = Join | Heartbeat | Leave | ClockPing | SyncReport

CLOCK_PING = "CLOCK_PING"
SYNC_REPORT = "SYNC_REPORT"
MAX_FEATURES = 16


def features_of(payload: Mapping[str, Any]) -> tuple[str, ...]:
    """An optional list of short feature names (an extension field: malformed means none)."""
    raw = payload.get("features")
    if not isinstance(raw, list):
        return ()
    return tuple(f for f in raw[:MAX_FEATURES] if isinstance(f, str) and 0 < len(f) <= 32)


# SYNC_REPORT's optional stream fields (playback/2; protocol/stream_health.py makes them).
STATE_FIELD, BUFFERED_MS_FIELD, LOST_MS_FIELD = "streamState", "bufferedMs", "lostMs"
STREAM_IDLE, STREAM_BUFFERING, STREAM_PLAYING, STREAM_BEHIND = \
    "idle", "buffering", "playing", "behind"
STREAM_STATES = frozenset({STREAM_IDLE, STREAM_BUFFERING, STREAM_PLAYING, STREAM_BEHIND})
MAX_BUFFERED_MS = 60_000
MAX_LOST_MS = 2**31


def stream_fields_of(payload: Mapping[str, Any]) -> dict[str, Any] | None:
    """SYNC_REPORT's stream fields that are valid, each on its own (an extension: a wrong
    one is left out, never an error); None when the guest sent none (playback/1)."""
    fields: dict[str, Any] = {}
    state = payload.get(STATE_FIELD)
    if isinstance(state, str) and state in STREAM_STATES:
        fields[STATE_FIELD] = state
    for key, high in ((BUFFERED_MS_FIELD, MAX_BUFFERED_MS), (LOST_MS_FIELD, MAX_LOST_MS)):
        value = payload.get(key)
        if _is_wire_int(value) and 0 <= value <= high:
            fields[key] = value
    return fields or None


def max_members_of(payload: Mapping[str, Any]) -> int:
    """WELCOME's optional ``maxMembers`` (an extension field: malformed means unknown, 0)."""
    raw = payload.get("maxMembers")
    if isinstance(raw, bool) or not isinstance(raw, int) or not 2 <= raw <= 10_000:
        return 0
    return raw


def encode(type_: str, payload: Mapping[str, Any], timestamp: int | None = None) -> str:
    frame: dict[str, Any] = {"type": type_, "payload": dict(payload)}
    if timestamp is not None:
        frame["timestamp"] = timestamp
    # ASCII output: a lone surrogate a peer smuggled in can never make a frame unsendable.
    return json.dumps(frame, separators=(",", ":"))


def decode(text: str) -> Message:
    """Parse one text frame into a Message, checking only the envelope."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        # ValueError covers JSONDecodeError and over-long integer literals.
        raise invalid("not valid JSON") from None
    if not isinstance(obj, dict):
        raise invalid("a message must be a JSON object")
    type_ = obj.get("type")
    if not isinstance(type_, str):
        raise invalid("'type' must be a string")
    payload = obj.get("payload")
    if not isinstance(payload, dict):
        raise invalid("'payload' must be an object")
    timestamp = obj.get("timestamp")
    if timestamp is not None and not _is_wire_int(timestamp):
        raise invalid("'timestamp' must be an integer of milliseconds")
    return Message(type_, payload, timestamp)


def parse_guest_message(text: str) -> GuestMessage:
    """Decode and validate a frame a guest sent to the host."""
    message = decode(text)
    payload = message.payload
    if message.type == JOIN:
        version = payload.get("protocolVersion")
        version = PROTOCOL_VERSION if version is None else version
        if not _is_wire_int(version):
            raise invalid("'protocolVersion' must be an integer")
        return Join(
            session_id=require_str(payload, "sessionId", MAX_SHORT_TEXT_CHARS),
            device_id=_device_id(payload),
            device_name=clean_name(require_str(payload, "deviceName"), "deviceName"),
            app_version=require_str(payload, "appVersion", MAX_SHORT_TEXT_CHARS),
            protocol_version=version,
            resume_token=optional_str(payload, "resumeToken"),
            pin=optional_str(payload, "pin"),
            features=features_of(payload),
        )
    if message.type == CLOCK_PING:
        return ClockPing(t0_us=require_int(payload, "t0"))
    if message.type == SYNC_REPORT:
        return SyncReport(error_us=require_int(payload, "errorUs"),
                          uncertainty_us=require_int(payload, "uncertaintyUs"),
                          stream=stream_fields_of(payload))
    if message.type == HEARTBEAT:
        return Heartbeat(sent_at=require_int(payload, "sentAt"))
    if message.type == LEAVE:
        # Lenient: a guest that says goodbye at length has still left.
        reason = payload.get("reason")
        return Leave(reason=reason[:MAX_SHORT_TEXT_CHARS] if isinstance(reason, str) else None)
    if message.type in HOST_TYPES:
        raise invalid(f"{message.type} is sent by the host, not by a guest")
    raise invalid(f"unknown message type {_shorten(message.type)!r}")


_JOINERS = "\u200c\u200d"


def clean_name(raw: str, what: str = "name") -> str:
    """Trim a display name; refuse empty, over-long or control-character names."""
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise invalid(f"'{what}' must not be empty")
    if len(name) > MAX_NAME_CHARS:
        raise invalid(f"'{what}' is longer than {MAX_NAME_CHARS} characters")
    # Joiners stay (they build emoji like families); other format characters,
    # such as bidi overrides, could disguise a name.
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") and ch not in _JOINERS
           for ch in name):
        raise invalid(f"'{what}' contains control characters")
    return name


def _device_id(payload: Mapping[str, Any]) -> str:
    device_id = require_str(payload, "deviceId", MAX_DEVICE_ID_CHARS)
    if not device_id or not device_id.isprintable() or device_id != device_id.strip():
        raise invalid("'deviceId' must be printable text without surrounding spaces")
    return device_id


# Host -> guest builders. Each returns the wire text.
def welcome(*, session_id: str, session_name: str, host_id: str, host_name: str,
            device_id: str, heartbeat_interval_ms: int, heartbeat_timeout_ms: int,
            resume_token: str, now: int, features: tuple[str, ...] = (),
            max_members: int = 0) -> str:
    return encode(WELCOME, {
        **({"features": list(features)} if features else {}),
        **({"maxMembers": max_members} if max_members else {}),
        "sessionId": session_id,
        "sessionName": session_name,
        "hostId": host_id,
        "hostName": host_name,
        "deviceId": device_id,
        "heartbeatIntervalMs": heartbeat_interval_ms,
        "heartbeatTimeoutMs": heartbeat_timeout_ms,
        "resumeToken": resume_token,
        "protocolVersion": PROTOCOL_VERSION,
    }, now)


def member_list(members: list[Member], now: int) -> str:
    return encode(MEMBER_LIST, {"members": [m.to_wire() for m in members]}, now)


def member_joined(member: Member, now: int) -> str:
    return encode(MEMBER_JOINED, {"member": member.to_wire()}, now)


def member_left(device_id: str, reason: str, now: int) -> str:
    return encode(MEMBER_LEFT, {"deviceId": device_id, "reason": reason}, now)


def member_updated(member: Member, now: int) -> str:
    return encode(MEMBER_UPDATED, {"member": member.to_wire()}, now)


def heartbeat_ack(sent_at: int, now: int) -> str:
    return encode(HEARTBEAT_ACK, {"sentAt": sent_at, "serverTime": now}, now)


def join_pending(message: str, now: int) -> str:
    return encode(JOIN_PENDING, {"message": message}, now)


def error(code: str, message: str, now: int) -> str:
    return encode(ERROR, {"code": code, "message": message}, now)


def session_closed(reason: str, now: int) -> str:
    return encode(SESSION_CLOSED, {"reason": reason}, now)


# Guest -> host builders.
def join(*, session_id: str, device_id: str, device_name: str, app_version: str,
         resume_token: str | None = None, pin: str | None = None, now: int,
         features: tuple[str, ...] = ()) -> str:
    payload: dict[str, Any] = {
        "sessionId": session_id,
        "deviceId": device_id,
        "deviceName": device_name,
        "appVersion": app_version,
        "protocolVersion": PROTOCOL_VERSION,
    }
    if resume_token is not None:
        payload["resumeToken"] = resume_token
    if pin is not None:
        payload["pin"] = pin
    if features:
        payload["features"] = list(features)
    return encode(JOIN, payload, now)


def heartbeat(now: int) -> str:
    return encode(HEARTBEAT, {"sentAt": now}, now)


def leave(reason: str | None, now: int) -> str:
    return encode(LEAVE, {} if reason is None else {"reason": reason}, now)


# Field helpers, shared with the guest core's parsing of host messages.
def invalid(detail: str) -> RemoteProtocolError:
    return RemoteProtocolError(INVALID_MESSAGE, f"Invalid message: {detail}")


def _is_wire_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_WIRE_INT


def require_str(obj: Mapping[str, Any], key: str, max_chars: int = MAX_SHORT_TEXT_CHARS) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise invalid(f"'{key}' must be a string")
    if len(value) > max_chars:
        raise invalid(f"'{key}' is longer than {max_chars} characters")
    return value


def optional_str(obj: Mapping[str, Any], key: str) -> str | None:
    if obj.get(key) is None:
        return None
    return require_str(obj, key)


def lenient_str(obj: Mapping[str, Any], key: str) -> str:
    """A text field a peer may leave out or get wrong: "" then."""
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def require_int(obj: Mapping[str, Any], key: str) -> int:
    value = obj.get(key)
    if not _is_wire_int(value):
        raise invalid(f"'{key}' must be an integer")
    return value


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."

# Public name for other core modules (discovery parses numbers the same way).
is_wire_int = _is_wire_int
