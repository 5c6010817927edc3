"""GuestSession: status, member list upkeep, errors for people, liveness."""

import json

import pytest

from loudsync_desktop.protocol import events as ev
from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol import messages as m
from loudsync_desktop.protocol.errors import LocalProtocolError
from loudsync_desktop.protocol.events import CLOSE_NORMAL, Close, Send
from loudsync_desktop.protocol.guest import (
    ConnectionLost, ErrorReceived, GuestMemberJoined, GuestMemberLeft, GuestMemberUpdated,
    GuestSession, HeartbeatAcked, JoinPending, MembersReplaced, SessionClosed, SessionInfo,
    Welcomed, human_error,
)

from .helpers import SID, assert_effects_first, frame

HOST = m.Member("h", "Hosty", "host", "connected", 0)
ME = m.Member("me", "My Laptop", "client", "connected", 10)
BOB = m.Member("bob", "Bob", "client", "connected", 20)


def new_guest(**kw):
    kw = {"session_id": SID, "device_id": "me", "device_name": "My Laptop",
          "app_version": "1.2.3", **kw}
    return GuestSession(**kw)


def welcome_text(interval=5_000, timeout=15_000, token="tok-1", now=0, **over):
    payload = {"sessionId": SID, "sessionName": "Friday", "hostId": "h", "hostName": "Hosty",
               "deviceId": "me", "heartbeatIntervalMs": interval, "heartbeatTimeoutMs": timeout,
               "resumeToken": token, "protocolVersion": 1, **over}
    return frame(m.WELCOME, {k: v for k, v in payload.items() if v is not ...}, timestamp=now)


def connected_guest(now=0, members=(HOST, ME), **kw):
    guest = new_guest(**kw)
    guest.connection_opened(now)
    guest.receive_text(welcome_text(), now)
    guest.receive_text(m.member_list(list(members), now), now)
    assert guest.status == g.CONNECTED
    return guest


def error_text(code, message="host words"):
    return m.error(code, message, 0)


def receive(guest, text, now=0):
    outs = guest.receive_text(text, now)
    assert_effects_first(outs)
    return outs


# -- status -------------------------------------------------------------------
def test_a_new_guest_is_idle_and_inert():
    guest = new_guest()
    assert (guest.status, guest.session, guest.members, guest.end_reason, guest.last_error) == \
        (g.IDLE, None, [], None, None)
    assert guest.next_deadline() is None
    assert guest.tick(10**9) == []
    assert guest.receive_text(welcome_text(), 0) == []   # not connected yet: nothing to hear
    assert guest.leave(0) == []
    assert guest.connection_closed(0) == []
    assert guest.status == g.IDLE


def test_opening_sends_join_and_starts_connecting():
    guest = new_guest()
    (send,) = guest.connection_opened(1_000)
    assert guest.status == g.CONNECTING
    assert isinstance(send, Send) and send.conn is None
    assert json.loads(send.text) == {"type": "JOIN", "timestamp": 1_000, "payload": {
        "sessionId": SID, "deviceId": "me", "deviceName": "My Laptop", "appVersion": "1.2.3",
        "protocolVersion": 1}}
    assert m.parse_guest_message(send.text) == m.Join(SID, "me", "My Laptop", "1.2.3")


def test_join_carries_resume_token_and_pin():
    (send,) = new_guest(resume_token="tok-9", pin="4321").connection_opened(0)
    payload = json.loads(send.text)["payload"]
    assert (payload["resumeToken"], payload["pin"]) == ("tok-9", "4321")


@pytest.mark.parametrize("setup", ["connecting", "connected", "disconnected"])
def test_a_session_object_opens_once(setup):
    guest = new_guest()
    guest.connection_opened(0)
    if setup == "connected":
        guest.receive_text(welcome_text(), 0)
    elif setup == "disconnected":
        guest.connection_closed(1)
    with pytest.raises(LocalProtocolError):
        guest.connection_opened(2)


def test_welcome_connects():
    guest = new_guest()
    guest.connection_opened(0)
    outs = receive(guest, welcome_text(interval=2_000, timeout=6_000, token="tok-7"), 50)
    info = SessionInfo(SID, "Friday", "h", "Hosty", "me", 2_000, 6_000, "tok-7")
    assert outs == [Welcomed(info)]
    assert guest.status == g.CONNECTED
    assert guest.session == info
    assert guest.resume_token == "tok-7"


@pytest.mark.parametrize("told, known", [
    (8, 8), (512, 512), (..., 0), (1, 0), (True, 0), ("8", 0), (8.0, 0), (None, 0), (10**9, 0),
])
def test_the_party_size_limit_is_known_when_the_host_says_it(told, known):
    """maxMembers is an extension field of WELCOME: a malformed one means 'not told'."""
    guest = new_guest()
    guest.connection_opened(0)
    [welcomed] = receive(guest, welcome_text(maxMembers=told), 50)
    assert welcomed.session.max_members == known and guest.status == g.CONNECTED


def test_the_latest_token_wins():
    guest = new_guest(resume_token="old")
    guest.connection_opened(0)
    guest.receive_text(welcome_text(token="new"), 1)
    assert guest.resume_token == "new"


@pytest.mark.parametrize("over", [
    {"sessionId": ...}, {"hostName": 5}, {"deviceId": None}, {"resumeToken": ...},
    {"heartbeatIntervalMs": 0}, {"heartbeatIntervalMs": -5}, {"heartbeatTimeoutMs": "15000"},
    {"heartbeatTimeoutMs": True}, {"heartbeatIntervalMs": 1.5}, {"sessionName": ...},
    {"hostId": []},
])
def test_a_malformed_welcome_is_ignored(over):
    guest = new_guest(resume_token="mine")
    guest.connection_opened(0)
    assert guest.receive_text(welcome_text(**over), 1) == []
    assert guest.status == g.CONNECTING
    assert guest.session is None and guest.resume_token == "mine"


# -- member list upkeep -------------------------------------------------------
def test_member_list_replaces_the_list():
    guest = connected_guest()
    outs = receive(guest, m.member_list([HOST, BOB, ME], 1))
    assert outs == [MembersReplaced((HOST, BOB, ME))]
    assert guest.members == [HOST, BOB, ME]
    assert receive(guest, m.member_list([], 2)) == [MembersReplaced(())]
    assert guest.members == []


@pytest.mark.parametrize("payload", [
    {}, {"members": None}, {"members": {"0": HOST.to_wire()}},
    {"members": [HOST.to_wire(), {"id": "x"}]},
    {"members": [HOST.to_wire(), {**BOB.to_wire(), "role": "dj"}]},
    {"members": [HOST.to_wire(), "bob"]},
])
def test_a_malformed_member_list_changes_nothing(payload):
    guest = connected_guest()
    assert guest.receive_text(frame(m.MEMBER_LIST, payload), 1) == []
    assert guest.members == [HOST, ME]


def test_member_joined_appends():
    guest = connected_guest()
    assert receive(guest, m.member_joined(BOB, 1)) == [GuestMemberJoined(BOB)]
    assert guest.members == [HOST, ME, BOB]


def test_member_joined_for_a_known_id_replaces_in_place():
    guest = connected_guest(members=(HOST, BOB, ME))
    renamed = m.Member("bob", "Robert", "client", "connected", 20)
    receive(guest, m.member_joined(renamed, 1))
    assert guest.members == [HOST, renamed, ME]


def test_member_updated_replaces_in_place():
    guest = connected_guest(members=(HOST, BOB, ME))
    away = m.Member("bob", "Bob", "client", "reconnecting", 20)
    assert receive(guest, m.member_updated(away, 1)) == [GuestMemberUpdated(away)]
    assert guest.members == [HOST, away, ME]
    receive(guest, m.member_updated(BOB, 2))
    assert guest.members == [HOST, BOB, ME]


def test_member_updated_for_an_unknown_member_adds_it():
    guest = connected_guest()
    receive(guest, m.member_updated(BOB, 1))
    assert guest.members == [HOST, ME, BOB]


def test_member_left_removes():
    guest = connected_guest(members=(HOST, BOB, ME))
    assert receive(guest, m.member_left("bob", "Going home", 1)) == \
        [GuestMemberLeft("bob", "Going home")]
    assert guest.members == [HOST, ME]
    assert receive(guest, m.member_left("nobody", "x", 2)) == [GuestMemberLeft("nobody", "x")]
    assert guest.members == [HOST, ME]


def test_member_left_without_a_text_reason():
    guest = connected_guest(members=(HOST, BOB, ME))
    assert receive(guest, frame(m.MEMBER_LEFT, {"deviceId": "bob", "reason": 5})) == \
        [GuestMemberLeft("bob", "")]
    assert receive(guest, frame(m.MEMBER_LEFT, {"deviceId": "me"})) == [GuestMemberLeft("me", "")]
    assert guest.members == [HOST]


@pytest.mark.parametrize("text", [
    frame(m.MEMBER_JOINED, {}), frame(m.MEMBER_JOINED, {"member": "bob"}),
    frame(m.MEMBER_JOINED, {"member": {**BOB.to_wire(), "joinedAt": "soon"}}),
    frame(m.MEMBER_UPDATED, {"member": {**BOB.to_wire(), "connectionStatus": "asleep"}}),
    frame(m.MEMBER_LEFT, {}), frame(m.MEMBER_LEFT, {"deviceId": 7}),
])
def test_malformed_member_messages_are_ignored(text):
    guest = connected_guest(members=(HOST, BOB, ME))
    assert guest.receive_text(text, 1) == []
    assert guest.members == [HOST, BOB, ME]


# -- forward compatibility and malformed frames ----------------------------------
@pytest.mark.parametrize("text", [
    frame("PLAYBACK_STATE", {"track": "x"}), frame("JOIN", {}), frame("HEARTBEAT", {"sentAt": 1}),
    frame("welcome", {}),
    '{"type":"MEMBER_LIST","payload":{"members":[]},"v":2,"future":{"x":1}}',
])
def test_unknown_host_types_and_extra_fields_are_tolerated(text):
    guest = connected_guest()
    outs = guest.receive_text(text, 1)
    if json.loads(text)["type"] == m.MEMBER_LIST:
        assert outs == [MembersReplaced(())]
    else:
        assert outs == []
        assert guest.members == [HOST, ME]
    assert guest.status == g.CONNECTED


@pytest.mark.parametrize("text", [
    "", "garbage", "[]", "null", '{"type":"WELCOME"}', '{"payload":{}}', "[" * 50_000,
    '{"type":"WELCOME","payload":{},"timestamp":"now"}',
])
def test_malformed_host_frames_are_ignored(text):
    guest = connected_guest()
    assert guest.receive_text(text, 1) == []
    assert guest.status == g.CONNECTED and guest.members == [HOST, ME]


def test_anything_from_the_host_proves_it_is_alive():
    guest = connected_guest()
    guest.receive_text("garbage", 14_000)
    assert guest.next_deadline() == 5_000  # a heartbeat is due; the host is not lost at 15 s
    assert not [o for o in guest.tick(15_000) if isinstance(o, ConnectionLost)]


# -- heartbeats -------------------------------------------------------------------
def test_heartbeat_ack_gives_rtt_and_clock_offset():
    guest = connected_guest()
    outs = receive(guest, m.heartbeat_ack(1_000, 5_000), 1_100)
    assert outs == [HeartbeatAcked(rtt_ms=100, clock_offset_ms=3_950.0)]


@pytest.mark.parametrize("payload", [{}, {"sentAt": 1}, {"serverTime": 1},
                                     {"sentAt": "1", "serverTime": 1},
                                     {"sentAt": 1, "serverTime": False}])
def test_a_malformed_heartbeat_ack_is_ignored(payload):
    assert connected_guest().receive_text(frame(m.HEARTBEAT_ACK, payload), 1) == []


def test_heartbeats_follow_the_announced_interval():
    guest = new_guest()
    guest.connection_opened(0)
    guest.receive_text(welcome_text(interval=2_000, timeout=6_000), 10)
    assert guest.next_deadline() == 2_000
    assert guest.tick(1_999) == []
    (beat,) = guest.tick(2_000)
    assert beat == Send(None, m.heartbeat(2_000))
    assert m.parse_guest_message(beat.text) == m.Heartbeat(2_000)
    assert guest.next_deadline() == 4_000
    assert guest.tick(3_000) == []
    guest.receive_text(m.heartbeat_ack(2_000, 2_001), 2_050)
    assert len(guest.tick(4_000)) == 1


def test_host_silence_loses_the_connection():
    guest = connected_guest()
    sent = []
    t = 0
    while guest.status == g.CONNECTED:
        t = guest.next_deadline()
        outs = guest.tick(t)
        assert_effects_first(outs)
        sent += [json.loads(o.text)["type"] for o in outs if isinstance(o, Send)]
    assert t == 15_000
    assert sent == ["HEARTBEAT", "HEARTBEAT"]  # at 5 s and 10 s
    assert outs == [Close(None, CLOSE_NORMAL, "Bye"), ConnectionLost("No answer from the host")]
    assert guest.status == g.DISCONNECTED
    assert guest.end_reason == "No answer from the host"
    assert guest.resume_token == "tok-1"  # a drop: the place can still be resumed
    assert guest.next_deadline() is None and guest.tick(10**9) == []


def test_host_silence_uses_the_announced_timeout():
    guest = new_guest()
    guest.connection_opened(0)
    guest.receive_text(welcome_text(interval=1_000, timeout=3_000), 500)
    guest.tick(1_000), guest.tick(2_000), guest.tick(3_000)
    assert guest.status == g.CONNECTED
    assert isinstance(guest.tick(3_500)[-1], ConnectionLost)


def test_no_heartbeats_before_welcome_but_silence_still_counts():
    guest = new_guest()
    guest.connection_opened(1_000)
    assert guest.next_deadline() == 16_000
    assert guest.tick(15_999) == []
    assert guest.tick(16_000) == [Close(None, CLOSE_NORMAL, "Bye"),
                                  ConnectionLost("No answer from the host")]


# -- errors -------------------------------------------------------------------------
@pytest.mark.parametrize("code, human", [
    (m.SESSION_NOT_FOUND, "No party with this code is running there"),
    (m.ALREADY_JOINED, "This device is already in the party"),
    (m.JOIN_TIMEOUT, "The host stopped waiting for this device to join"),
    (m.PIN_REQUIRED, "This party needs a PIN"),
    (m.WRONG_PIN, "Wrong PIN"),
    (m.TOO_MANY_ATTEMPTS, "Too many wrong PINs: wait a minute and try again"),
    (m.JOIN_DECLINED, "The host declined your request to join"),
    (m.REMOVED_BY_HOST, "The host removed you from the party"),
    (m.VERSION_MISMATCH, "host words"),
    (m.SESSION_FULL, "This party is full. Ask the host to raise the limit."),
])
def test_fatal_errors_end_the_join_with_words_for_people(code, human):
    guest = new_guest(resume_token="tok")
    guest.connection_opened(0)
    outs = receive(guest, error_text(code), 5)
    assert outs == [ErrorReceived(code, "host words", human, True)]  # the host closes, not us
    assert guest.status == g.DISCONNECTED
    assert guest.end_reason == human
    assert guest.last_error == outs[0]
    assert guest.resume_token == (None if code == m.REMOVED_BY_HOST else "tok")
    assert guest.receive_text(welcome_text(), 6) == []  # over


def test_session_full_shows_the_hosts_count():
    guest = new_guest()
    guest.connection_opened(0)
    (event,) = guest.receive_text(error_text(m.SESSION_FULL, "Session is full (8/8)"), 1)
    assert event.human == "This party is full (8/8). Ask the host to raise the limit." \
        == guest.end_reason


def test_fatal_codes():
    assert g.FATAL_CODES == {m.SESSION_NOT_FOUND, m.ALREADY_JOINED, m.SESSION_FULL,
                             m.VERSION_MISMATCH, m.JOIN_TIMEOUT, m.PIN_REQUIRED, m.WRONG_PIN,
                             m.TOO_MANY_ATTEMPTS, m.JOIN_DECLINED, m.REMOVED_BY_HOST}


def test_removed_by_host_while_connected():
    guest = connected_guest()
    (event,) = guest.receive_text(error_text(m.REMOVED_BY_HOST), 1)
    assert event.fatal and guest.status == g.DISCONNECTED and guest.resume_token is None


def test_invalid_message_before_welcome_is_fatal():
    guest = new_guest()
    guest.connection_opened(0)
    (event,) = guest.receive_text(error_text(m.INVALID_MESSAGE, "Invalid message: x"), 1)
    assert event == ErrorReceived(m.INVALID_MESSAGE, "Invalid message: x", "Invalid message: x",
                                  True)
    assert guest.status == g.DISCONNECTED


def test_invalid_message_while_connected_is_not_fatal():
    guest = connected_guest()
    (event,) = guest.receive_text(error_text(m.INVALID_MESSAGE, "Invalid message: x"), 1)
    assert not event.fatal
    assert guest.status == g.CONNECTED and guest.last_error == event
    assert guest.end_reason is None


def test_unknown_error_codes_are_not_fatal():
    guest = connected_guest()
    assert guest.receive_text(error_text("SLOW_DOWN", "Please slow down"), 1) == \
        [ErrorReceived("SLOW_DOWN", "Please slow down", "Please slow down", False)]
    assert guest.receive_text(frame(m.ERROR, {"code": "SLOW_DOWN", "message": 5}), 2) == \
        [ErrorReceived("SLOW_DOWN", "", "SLOW_DOWN", False)]
    assert guest.status == g.CONNECTED


@pytest.mark.parametrize("payload", [{}, {"code": 5, "message": "x"}, {"code": None}])
def test_an_error_without_a_code_is_ignored(payload):
    guest = connected_guest()
    assert guest.receive_text(frame(m.ERROR, payload), 1) == []
    assert guest.status == g.CONNECTED and guest.last_error is None


def test_human_error():
    assert human_error(m.SESSION_NOT_FOUND, "Session not found") == \
        "No party with this code is running there"
    full = "This party is full{}. Ask the host to raise the limit."
    assert human_error(m.SESSION_FULL, "Session is full (3/3)") == full.format(" (3/3)")
    assert human_error(m.SESSION_FULL, "") == full.format("")
    assert human_error(m.SESSION_FULL, "no room") == full.format("")
    assert human_error("NEW_CODE", "Something new") == "Something new"
    assert human_error("NEW_CODE", "") == "NEW_CODE"


# -- join pending -------------------------------------------------------------------
def test_join_pending():
    guest = new_guest()
    guest.connection_opened(0)
    assert guest.receive_text(m.join_pending("Waiting for Hosty", 1), 1) == \
        [JoinPending("Waiting for Hosty")]
    assert guest.receive_text(frame(m.JOIN_PENDING, {}), 2) == \
        [JoinPending("Waiting for the host to let you in")]
    assert guest.status == g.CONNECTING


# -- ending ---------------------------------------------------------------------------
def test_session_closed():
    guest = connected_guest()
    outs = receive(guest, m.session_closed("Host closed session", 1), 1)
    assert outs == [Close(None, CLOSE_NORMAL, "Bye"), SessionClosed("Host closed session")]
    assert guest.status == g.DISCONNECTED
    assert guest.end_reason == "Host closed session"
    assert guest.resume_token is None


@pytest.mark.parametrize("payload", [{}, {"reason": ""}, {"reason": 5}])
def test_session_closed_without_a_reason(payload):
    guest = connected_guest()
    assert guest.receive_text(frame(m.SESSION_CLOSED, payload), 1)[-1] == \
        SessionClosed("Session ended by host")


def test_leave_sends_leave_and_drops_the_resume_token():
    guest = connected_guest()
    (send,) = guest.leave(100, "Going home")
    assert send.conn is None
    assert m.parse_guest_message(send.text) == m.Leave("Going home")
    assert guest.status == g.DISCONNECTED
    assert guest.end_reason == "Left the party"
    assert guest.resume_token is None
    assert guest.leave(101) == [] and guest.tick(10**9) == [] and guest.next_deadline() is None
    assert guest.receive_text(m.member_left("me", "x", 1), 102) == []
    assert guest.connection_closed(103) == []


def test_leave_while_connecting():
    guest = new_guest(resume_token="tok")
    guest.connection_opened(0)
    (send,) = guest.leave(1)
    assert m.parse_guest_message(send.text) == m.Leave(None)
    assert guest.resume_token is None and guest.status == g.DISCONNECTED


def test_connection_closed_is_a_drop_that_keeps_the_token():
    guest = connected_guest()
    assert guest.connection_closed(5) == [ConnectionLost("Connection closed")]
    assert guest.status == g.DISCONNECTED
    assert guest.end_reason == "Connection closed"
    assert guest.resume_token == "tok-1"
    assert guest.members == [HOST, ME]  # the last view is kept for the UI


def test_connection_closed_with_a_reason():
    guest = new_guest()
    guest.connection_opened(0)
    assert guest.connection_closed(5, "Replaced by a new connection") == \
        [ConnectionLost("Replaced by a new connection")]


# -- the stream watch: a stalled link under the music ---------------------------------------
def test_a_silence_as_long_as_the_stream_watch_is_a_stalled_link():
    guest = connected_guest()
    guest.stream_watch_ms = 1_500
    assert guest.next_deadline() == 1_500
    guest.frame_arrived(1_000)              # music keeps the host heard, like any frame
    assert guest.tick(2_499) == []
    outs = guest.tick(2_500)
    assert guest.status != g.CONNECTED and guest.stalled
    assert any(isinstance(o, ev.ConnectionLost) and o.reason == g.STALLED for o in outs)


def test_without_the_stream_watch_only_the_heartbeat_timeout_counts():
    guest = connected_guest()
    guest.tick(14_999)                      # (a heartbeat goes out: no answer yet)
    assert guest.status == g.CONNECTED
    outs = guest.tick(15_000)
    assert not guest.stalled
    assert any(isinstance(o, ev.ConnectionLost) and o.reason != g.STALLED for o in outs)


def test_a_stream_watch_check_that_comes_late_looks_again_before_calling_a_stall():
    guest = connected_guest()
    guest.stream_watch_ms = 1_500
    # This laptop was stuck for 3 s: the check comes 1.5 s late, with the host's frames
    # possibly still unread. It looks again shortly instead of dropping the link.
    assert guest.tick(3_000) == [] and guest.status == g.CONNECTED
    assert guest.next_deadline() == 3_300
    guest.frame_arrived(3_010)                 # they were there
    assert guest.tick(3_300) == [] and guest.status == g.CONNECTED
    # Still nothing after the second look: a stall.
    guest.tick(4_600)
    guest.tick(4_900)
    assert guest.status != g.CONNECTED and guest.stalled
