"""PROTOCOL.md section 2: the envelope, guest messages, members and the builders."""

import json

import pytest

from loudsync_desktop.protocol import messages as m
from loudsync_desktop.protocol.errors import LoudSyncError, RemoteProtocolError

from .helpers import SID, frame, join_frame


def invalid(text):
    """Parse as a guest frame; return the INVALID_MESSAGE text it is refused with."""
    with pytest.raises(RemoteProtocolError) as info:
        m.parse_guest_message(text)
    exc = info.value
    assert exc.code == m.INVALID_MESSAGE
    assert exc.message.startswith("Invalid message: ")
    assert str(exc) == exc.message
    assert isinstance(exc, LoudSyncError)
    return exc.message


# -- envelope -----------------------------------------------------------------
def test_encode_is_compact_json_with_optional_timestamp():
    assert m.encode("X", {"a": 1}) == '{"type":"X","payload":{"a":1}}'
    assert json.loads(m.encode("X", {}, 5)) == {"type": "X", "payload": {}, "timestamp": 5}


@pytest.mark.parametrize("text", ["Zoë 🎧", "ラップトップ", "a\ud800b", "\udfff", "\x00\u2028"])
def test_encode_round_trips_any_text_and_is_always_sendable(text):
    wire = m.encode("X", {"name": text})
    wire.encode("utf-8")  # a WebSocket text frame must be valid UTF-8
    assert json.loads(wire)["payload"]["name"] == text


def test_decode_reads_the_envelope():
    msg = m.decode('{"type":"HEARTBEAT","payload":{"sentAt":1},"timestamp":1764100000123}')
    assert msg == m.Message("HEARTBEAT", {"sentAt": 1}, 1764100000123)
    assert m.decode('{"type":"X","payload":{}}').timestamp is None
    assert m.decode('{"type":"X","payload":{},"timestamp":null}').timestamp is None


def test_decode_ignores_unknown_extra_fields():
    assert m.decode('{"type":"X","payload":{},"v":2,"extra":[1]}') == m.Message("X", {}, None)


@pytest.mark.parametrize("text, detail", [
    ("", "not valid JSON"),
    ("hello", "not valid JSON"),
    ("{", "not valid JSON"),
    ('{"type":"JOIN",}', "not valid JSON"),
    ("\x00", "not valid JSON"),
    ("[]", "must be a JSON object"),
    ("[1, 2]", "must be a JSON object"),
    ('"JOIN"', "must be a JSON object"),
    ("42", "must be a JSON object"),
    ("null", "must be a JSON object"),
    ("true", "must be a JSON object"),
    ('{"payload":{}}', "'type' must be a string"),
    ('{"type":null,"payload":{}}', "'type' must be a string"),
    ('{"type":1,"payload":{}}', "'type' must be a string"),
    ('{"type":["JOIN"],"payload":{}}', "'type' must be a string"),
    ('{"type":"HEARTBEAT"}', "'payload' must be an object"),
    ('{"type":"HEARTBEAT","payload":null}', "'payload' must be an object"),
    ('{"type":"HEARTBEAT","payload":[]}', "'payload' must be an object"),
    ('{"type":"HEARTBEAT","payload":"x"}', "'payload' must be an object"),
    ('{"type":"LEAVE","payload":{},"timestamp":"1"}', "'timestamp' must be an integer"),
    ('{"type":"LEAVE","payload":{},"timestamp":1.5}', "'timestamp' must be an integer"),
    ('{"type":"LEAVE","payload":{},"timestamp":true}', "'timestamp' must be an integer"),
    ('{"type":"LEAVE","payload":{},"timestamp":false}', "'timestamp' must be an integer"),
    ('{"type":"LEAVE","payload":{},"timestamp":{}}', "'timestamp' must be an integer"),
    ('{"type":"LEAVE","payload":{},"timestamp":NaN}', "'timestamp' must be an integer"),
    ('{"type":"LEAVE","payload":{},"timestamp":1e400}', "'timestamp' must be an integer"),
    ('{"type":"LEAVE","payload":{},"timestamp":9007199254740993}',
     "'timestamp' must be an integer"),
    ('{"type":"LEAVE","payload":{},"timestamp":-9007199254740993}',
     "'timestamp' must be an integer"),
])
def test_bad_envelopes_are_invalid_messages(text, detail):
    assert detail in invalid(text)
    with pytest.raises(RemoteProtocolError):
        m.decode(text)


def test_wire_integers_up_to_2_pow_53_are_accepted():
    assert m.decode(frame("X", timestamp=2**53)).timestamp == 2**53
    assert m.decode(frame("X", timestamp=-(2**53))).timestamp == -(2**53)
    assert m.parse_guest_message(frame("HEARTBEAT", {"sentAt": 0})) == m.Heartbeat(0)


def test_huge_integer_literals_are_refused_not_parsed_forever():
    digits = "9" * 5000  # beyond int parsing limits: must be refused, not raise ValueError
    assert "not valid JSON" in invalid('{"type":"LEAVE","payload":{},"timestamp":' + digits + "}")
    assert "must be an integer" in invalid(frame("HEARTBEAT", {"sentAt": 10**300}))


@pytest.mark.parametrize("depth", [100_000, 20_000])
def test_deep_nesting_is_refused(depth):
    assert "not valid JSON" in invalid("[" * depth + "]" * depth)
    nested = '{"type":"LEAVE","payload":{"x":' + "[" * depth + "]" * depth + "}}"
    assert "not valid JSON" in invalid(nested)
    assert "not valid JSON" in invalid('{"a":' * depth + "1" + "}" * depth)


def test_moderate_nesting_in_an_ignored_field_is_harmless():
    nested = "[" * 200 + "]" * 200
    assert m.parse_guest_message('{"type":"LEAVE","payload":{"x":' + nested + "}}") == m.Leave()


# -- message types ------------------------------------------------------------
def test_unknown_type_is_invalid_and_named():
    assert invalid(frame("DANCE")) == "Invalid message: unknown message type 'DANCE'"
    assert "unknown message type" in invalid(frame(""))
    assert "unknown message type" in invalid(frame("join"))  # types are case-sensitive


def test_unknown_type_is_shortened_in_the_error():
    text = invalid(frame("X" * 10_000))
    assert "'" + "X" * 40 + "...'" in text
    assert len(text) < 200


@pytest.mark.parametrize("type_", sorted(m.HOST_TYPES))
def test_host_only_types_from_a_guest_are_invalid(type_):
    assert invalid(frame(type_, {"anything": 1})) == \
        f"Invalid message: {type_} is sent by the host, not by a guest"


def test_guest_and_host_types_are_disjoint():
    assert not m.GUEST_TYPES & m.HOST_TYPES
    assert m.GUEST_TYPES == {"JOIN", "HEARTBEAT", "LEAVE"}


# -- JOIN -------------------------------------------------------------------
def test_join_is_parsed_with_defaults():
    join = m.parse_guest_message(join_frame("dev-1", "Alice"))
    assert join == m.Join(session_id=SID, device_id="dev-1", device_name="Alice",
                          app_version="test", protocol_version=1, resume_token=None, pin=None)


def test_join_optional_fields():
    join = m.parse_guest_message(join_frame("d", protocolVersion=1, resumeToken="t", pin="1234"))
    assert (join.protocol_version, join.resume_token, join.pin) == (1, "t", "1234")
    join = m.parse_guest_message(join_frame("d", resumeToken=None, pin=None))
    assert (join.resume_token, join.pin) == (None, None)


def test_join_keeps_a_protocol_version_it_cannot_speak_for_the_host_to_refuse():
    assert m.parse_guest_message(join_frame("d", protocolVersion=2)).protocol_version == 2


def test_join_protocol_version_null_means_the_default():
    assert m.parse_guest_message(join_frame("d", protocolVersion=None)).protocol_version == 1


@pytest.mark.parametrize("version", ["1", 1.0, True, [1], 2**60])
def test_join_protocol_version_must_be_an_integer(version):
    assert "'protocolVersion' must be an integer" in \
        invalid(join_frame("d", protocolVersion=version))


@pytest.mark.parametrize("key", ["sessionId", "deviceId", "deviceName", "appVersion"])
@pytest.mark.parametrize("value", ["<missing>", None, 1, True, ["x"], {"x": 1}])
def test_join_required_fields(key, value):
    payload = json.loads(join_frame("dev"))["payload"]
    if value == "<missing>":
        del payload[key]
    else:
        payload[key] = value
    assert f"'{key}' must be a string" in invalid(frame("JOIN", payload))


@pytest.mark.parametrize("key", ["resumeToken", "pin"])
def test_join_optional_strings_must_be_strings(key):
    assert f"'{key}' must be a string" in invalid(join_frame("d", **{key: 1234}))


@pytest.mark.parametrize("key", ["sessionId", "appVersion", "resumeToken", "pin"])
def test_join_short_texts_have_a_limit(key):
    payload = json.loads(join_frame("dev"))["payload"]
    payload[key] = "x" * 256
    m.parse_guest_message(frame("JOIN", payload))
    payload[key] = "x" * 257
    assert f"'{key}' is longer than 256 characters" in invalid(frame("JOIN", payload))


@pytest.mark.parametrize("raw, clean", [
    ("  Alice  ", "Alice"), ("\tBob\n", "Bob"), ("\u00a0Zoë\u3000", "Zoë"),
    ("Cafe\u0301", "Café"),  # NFC: one character, not two
    ("Ana Lúcia's 💻", "Ana Lúcia's 💻"), ("x" * 64, "x" * 64),
    (" " * 100 + "Al" + " " * 100, "Al"),
])
def test_names_are_trimmed(raw, clean):
    assert m.parse_guest_message(join_frame("d", raw)).device_name == clean


@pytest.mark.parametrize("raw", ["", " ", "   \t\n ", "\u3000"])
def test_empty_names_are_refused(raw):
    assert invalid(join_frame("d", raw)) == "Invalid message: 'deviceName' must not be empty"


def test_overlong_names_are_refused():
    assert invalid(join_frame("d", "x" * 65)) == \
        "Invalid message: 'deviceName' is longer than 64 characters"
    assert "longer than" in invalid(join_frame("d", "x" * 1000))


@pytest.mark.parametrize("raw", ["Al\x00ice", "Al\x07", "a\nb", "a\tb", "a\x7fb", "a\x85b",
                                 "a\u200bb", "a\u202eb", "a\ufeffb", "a\u2028b", "a\u2029b",
                                 "a\ud800b"])
def test_names_with_control_characters_are_refused(raw):
    assert invalid(join_frame("d", raw)) == \
        "Invalid message: 'deviceName' contains control characters"


def test_clean_name_names_the_field():
    with pytest.raises(RemoteProtocolError, match="'hostName' must not be empty"):
        m.clean_name("  ", "hostName")
    assert m.clean_name(" x ") == "x"


@pytest.mark.parametrize("device_id", ["d", "laptop-7f3a", "ラップトップ", "my laptop", "x" * 128,
                                       "550e8400-e29b-41d4-a716-446655440000"])
def test_device_ids_accepted(device_id):
    assert m.parse_guest_message(join_frame(device_id, "N")).device_id == device_id


@pytest.mark.parametrize("device_id", ["", " d", "d ", "\td", "d\n", "d\x00", "d\u200b", "d\ud800",
                                       "a\u2028b"])
def test_device_ids_must_be_printable_without_surrounding_spaces(device_id):
    assert invalid(join_frame(device_id)) == \
        "Invalid message: 'deviceId' must be printable text without surrounding spaces"


def test_device_ids_have_a_limit():
    assert invalid(join_frame("x" * 129, "N")) == \
        "Invalid message: 'deviceId' is longer than 128 characters"


# -- HEARTBEAT and LEAVE ------------------------------------------------------
def test_heartbeat():
    assert m.parse_guest_message(frame("HEARTBEAT", {"sentAt": 1764100000123})) == \
        m.Heartbeat(1764100000123)
    assert m.parse_guest_message(frame("HEARTBEAT", {"sentAt": -5})) == m.Heartbeat(-5)


@pytest.mark.parametrize("payload", [{}, {"sentAt": None}, {"sentAt": "1"}, {"sentAt": 1.0},
                                     {"sentAt": True}, {"sentAt": False}, {"sentAt": 2**53 + 1},
                                     {"sent_at": 1}])
def test_heartbeat_needs_an_integer_sent_at(payload):
    assert invalid(frame("HEARTBEAT", payload)) == "Invalid message: 'sentAt' must be an integer"


def test_leave():
    assert m.parse_guest_message(frame("LEAVE")) == m.Leave(None)
    assert m.parse_guest_message(frame("LEAVE", {"reason": None})) == m.Leave(None)
    assert m.parse_guest_message(frame("LEAVE", {"reason": "Going home"})) == m.Leave("Going home")
    # A goodbye is never refused: a mistyped reason is dropped, a long one cut.
    assert m.parse_guest_message(frame("LEAVE", {"reason": 5})) == m.Leave(None)
    long = m.parse_guest_message(frame("LEAVE", {"reason": "x" * 1000}))
    assert long == m.Leave("x" * m.MAX_SHORT_TEXT_CHARS)


def test_names_keep_emoji_joiners_but_refuse_bidi_overrides():
    family = "Ana \U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert m.clean_name(family) == family
    with pytest.raises(RemoteProtocolError):
        m.clean_name("evil\u202eman")


# -- Member -------------------------------------------------------------------
def test_member_wire_round_trip():
    member = m.Member("d1", "Alice", "client", "reconnecting", 1764100000123)
    wire = member.to_wire()
    assert wire == {"id": "d1", "name": "Alice", "role": "client",
                    "connectionStatus": "reconnecting", "joinedAt": 1764100000123}
    assert m.Member.from_wire(wire) == member
    assert m.Member.from_wire({**wire, "extra": 1}) == member


@pytest.mark.parametrize("change, detail", [
    ({"role": "admin"}, "unknown member role 'admin'"),
    ({"role": 1}, "'role' must be a string"),
    ({"connectionStatus": "gone"}, "unknown connectionStatus 'gone'"),
    ({"connectionStatus": None}, "'connectionStatus' must be a string"),
    ({"id": 5}, "'id' must be a string"),
    ({"name": None}, "'name' must be a string"),
    ({"joinedAt": True}, "'joinedAt' must be an integer"),
    ({"joinedAt": "0"}, "'joinedAt' must be an integer"),
])
def test_member_from_wire_refuses_bad_fields(change, detail):
    wire = {**m.Member("d1", "A", "host", "connected", 0).to_wire(), **change}
    with pytest.raises(RemoteProtocolError, match=detail):
        m.Member.from_wire(wire)


@pytest.mark.parametrize("obj", [None, [], "member", 1])
def test_member_from_wire_needs_an_object(obj):
    with pytest.raises(RemoteProtocolError, match="member must be an object"):
        m.Member.from_wire(obj)


# -- builders -----------------------------------------------------------------
def test_welcome_builder():
    text = m.welcome(session_id=SID, session_name="Friday", host_id="h", host_name="Hosty",
                     device_id="d1", heartbeat_interval_ms=5000, heartbeat_timeout_ms=15000,
                     resume_token="tok", now=123)
    assert json.loads(text) == {"type": "WELCOME", "timestamp": 123, "payload": {
        "sessionId": SID, "sessionName": "Friday", "hostId": "h", "hostName": "Hosty",
        "deviceId": "d1", "heartbeatIntervalMs": 5000, "heartbeatTimeoutMs": 15000,
        "resumeToken": "tok", "protocolVersion": 1}}


def test_host_message_builders():
    member = m.Member("d1", "A", "client", "connected", 7)
    cases = [
        (m.member_list([member], 1), "MEMBER_LIST", {"members": [member.to_wire()]}),
        (m.member_joined(member, 1), "MEMBER_JOINED", {"member": member.to_wire()}),
        (m.member_updated(member, 1), "MEMBER_UPDATED", {"member": member.to_wire()}),
        (m.member_left("d1", "Bye", 1), "MEMBER_LEFT", {"deviceId": "d1", "reason": "Bye"}),
        (m.heartbeat_ack(40, 1), "HEARTBEAT_ACK", {"sentAt": 40, "serverTime": 1}),
        (m.join_pending("Wait", 1), "JOIN_PENDING", {"message": "Wait"}),
        (m.error("SESSION_FULL", "Full", 1), "ERROR", {"code": "SESSION_FULL", "message": "Full"}),
        (m.session_closed("Bye", 1), "SESSION_CLOSED", {"reason": "Bye"}),
    ]
    for text, type_, payload in cases:
        assert json.loads(text) == {"type": type_, "payload": payload, "timestamp": 1}
        assert type_ in m.HOST_TYPES


def test_guest_message_builders_parse_back():
    text = m.join(session_id=SID, device_id="d", device_name="N", app_version="1.0", now=9)
    assert json.loads(text)["payload"] == {"sessionId": SID, "deviceId": "d", "deviceName": "N",
                                           "appVersion": "1.0", "protocolVersion": 1}
    assert m.parse_guest_message(text) == m.Join(SID, "d", "N", "1.0")
    text = m.join(session_id=SID, device_id="d", device_name="N", app_version="1.0",
                  resume_token="t", pin="0000", now=9)
    assert m.parse_guest_message(text) == m.Join(SID, "d", "N", "1.0", 1, "t", "0000")
    assert m.parse_guest_message(m.heartbeat(77)) == m.Heartbeat(77)
    assert json.loads(m.heartbeat(77))["timestamp"] == 77
    assert m.parse_guest_message(m.leave(None, 1)) == m.Leave(None)
    assert json.loads(m.leave(None, 1))["payload"] == {}
    assert m.parse_guest_message(m.leave("Bye", 1)) == m.Leave("Bye")
