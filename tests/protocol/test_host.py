"""HostSession: every rule of PROTOCOL.md sections 2 and 3 the host core implements."""

import json

import pytest

from loudsync_desktop.protocol import messages as m
from loudsync_desktop.protocol.errors import LocalProtocolError
from loudsync_desktop.protocol.events import (
    CLOSE_GOING_AWAY, CLOSE_NORMAL, CLOSE_POLICY, Close, JoinRefused, MemberJoined, MemberLeft,
    MemberResumed, MemberUpdated, Send, SessionEnded,
)
from loudsync_desktop.protocol.host import (
    DEFAULT_GRACE_MS, DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_HEARTBEAT_TIMEOUT_MS,
    DEFAULT_MAX_MEMBERS, INVALID_LIMIT, INVALID_WINDOW_MS, JOIN_TIMEOUT_MS, RATE_LIMIT_FRAMES,
    RATE_WINDOW_MS, HostConfig, HostSession, interval_for_timeout,
)

from .helpers import (
    SID, assert_effects_first, closes, effects, events, frame, heartbeat_frame, join_frame,
    make_host, open_and_join, recipients, sent, sent_types, token_of,
)


def ids(host):
    return [x.id for x in host.members]


def party_of(*device_ids, now=0, **config):
    """A host with guests joined on connections c-<id>; returns (host, tokens)."""
    host = make_host(now, **config)
    toks = {}
    for d in device_ids:
        outs = open_and_join(host, f"c-{d}", d, now)
        toks[d] = token_of(outs, f"c-{d}")
    return host, toks


def error_of(outs, conn):
    (err,) = [f for f in sent(outs, conn) if f["type"] == m.ERROR]
    return err["payload"]["code"], err["payload"]["message"]


# -- configuration ------------------------------------------------------------
def test_config_defaults():
    cfg = HostConfig(SID)
    assert (cfg.max_members, cfg.heartbeat_timeout_ms, cfg.heartbeat_interval_ms, cfg.grace_ms,
            cfg.join_timeout_ms) == (8, 15_000, 5_000, 30_000, 10_000)
    assert (DEFAULT_MAX_MEMBERS, DEFAULT_HEARTBEAT_TIMEOUT_MS, DEFAULT_HEARTBEAT_INTERVAL_MS,
            DEFAULT_GRACE_MS, JOIN_TIMEOUT_MS) == (8, 15_000, 5_000, 30_000, 10_000)


@pytest.mark.parametrize("bad", [{"max_members": 1}, {"max_members": 0},
                                 {"heartbeat_timeout_ms": 2}, {"grace_ms": -1}])
def test_config_refuses_impossible_values(bad):
    with pytest.raises(LocalProtocolError):
        HostConfig(SID, **bad)


@pytest.mark.parametrize("timeout, interval", [
    (15_000, 5_000), (60_000, 5_000), (15_003, 5_000), (14_999, 4_999), (9_000, 3_000),
    (6_000, 2_000), (100, 33), (5, 1), (3, 1),
])
def test_heartbeat_interval_is_min_of_5s_and_a_third_of_the_timeout(timeout, interval):
    assert interval_for_timeout(timeout) == interval == min(5000, timeout // 3)
    assert HostConfig(SID, heartbeat_timeout_ms=timeout).heartbeat_interval_ms == interval


def test_welcome_announces_the_configured_liveness():
    host = make_host(heartbeat_timeout_ms=6_000)
    welcome = sent(open_and_join(host, 1, "d1"), 1)[0]["payload"]
    assert (welcome["heartbeatIntervalMs"], welcome["heartbeatTimeoutMs"]) == (2_000, 6_000)


def test_welcome_tells_the_guest_the_party_size_limit():
    host = make_host(max_members=5)
    assert sent(open_and_join(host, 1, "d1"), 1)[0]["payload"]["maxMembers"] == 5


def test_announcement_counts_members_including_the_host():
    host = make_host(session_name="Friday", host_id="h-1", host_name="Hosty", max_members=5)
    assert host.announcement() == {
        "type": "LOUDSYNC_ANNOUNCE", "v": 1, "sessionId": SID, "sessionName": "Friday",
        "hostId": "h-1", "hostName": "Hosty", "memberCount": 1, "maxMembers": 5,
        "access": "open"}
    open_and_join(host, 1, "d1")
    open_and_join(host, 2, "d2")
    assert host.announcement()["memberCount"] == host.member_count == 3
    host.receive_text(1, frame("LEAVE"), 1)
    assert host.announcement()["memberCount"] == 2


def test_new_session_has_only_the_host():
    host = make_host(now=42, host_id="h", host_name="Hosty")
    assert host.members == [m.Member("h", "Hosty", "host", "connected", 42)]
    assert host.member_count == 1
    assert host.next_deadline() is None
    assert host.tick(10**9) == []
    assert not host.closed


# -- joining ------------------------------------------------------------------
def test_join_gets_welcome_then_member_list():
    host = make_host(now=0, session_name="Friday", host_id="h", host_name="Hosty")
    assert host.connection_opened("a", "10.0.0.5", 100) == []
    outs = host.receive_text("a", join_frame("d1", "  Alice  "), 150)
    assert_effects_first(outs)
    welcome, member_list = sent(outs, "a")
    contract = {"sessionId": SID, "sessionName": "Friday", "hostId": "h", "hostName": "Hosty",
                "deviceId": "d1", "heartbeatIntervalMs": 5000, "heartbeatTimeoutMs": 15000,
                "resumeToken": "tok-1", "protocolVersion": 1}
    assert (welcome["type"], welcome["timestamp"]) == ("WELCOME", 150)
    # Exactly the contract's fields; extension fields (ignored by older guests) may be added.
    assert {k: v for k, v in welcome["payload"].items() if k in contract} == contract
    alice = m.Member("d1", "Alice", "client", "connected", 150)
    assert member_list == {"type": "MEMBER_LIST", "timestamp": 150, "payload": {
        "members": [m.Member("h", "Hosty", "host", "connected", 0).to_wire(), alice.to_wire()]}}
    assert events(outs) == [MemberJoined(alice)]
    assert len(effects(outs)) == 2  # nobody else to tell
    assert host.members[1] == alice
    assert host.device_of("a") == "d1"


def test_second_join_is_announced_to_the_first_guest_only():
    host, _ = party_of("d1")
    outs = open_and_join(host, "c-d2", "d2", now=5, name="Bob")
    assert sent_types(outs, "c-d2") == ["WELCOME", "MEMBER_LIST"]
    assert sent(outs, "c-d1") == [{"type": "MEMBER_JOINED", "timestamp": 5, "payload": {
        "member": {"id": "d2", "name": "Bob", "role": "client", "connectionStatus": "connected",
                   "joinedAt": 5}}}]
    assert [x["id"] for x in sent(outs, "c-d2")[1]["payload"]["members"]] == ["host", "d1", "d2"]


def test_each_guest_gets_its_own_resume_token():
    host, toks = party_of("d1", "d2", "d3")
    assert len(set(toks.values())) == 3


def test_default_tokens_are_unguessable_strings():
    host = HostSession(HostConfig(SID, max_members=30), 0)
    tokens = set()
    for i in range(20):
        host.connection_opened(i, "x", 0)
        tokens.add(token_of(host.receive_text(i, join_frame(f"d{i}"), 0), i))
    assert len(tokens) == 20
    assert all(isinstance(t, str) and len(t) >= 20 and t.isascii() for t in tokens)


def test_pending_connection_has_no_device():
    host = make_host()
    host.connection_opened(1, "x", 0)
    assert host.device_of(1) is None
    assert host.device_of("never") is None


def test_opening_the_same_connection_twice_is_a_local_error():
    host = make_host()
    host.connection_opened(1, "x", 0)
    with pytest.raises(LocalProtocolError):
        host.connection_opened(1, "x", 0)


def test_frames_on_unknown_connections_are_ignored():
    host, _ = party_of("d1")
    before = list(host.members)
    assert host.receive_text("ghost", join_frame("d9"), 1) == []
    assert host.receive_binary("ghost", b"x", 1) == []
    assert host.connection_closed("ghost", 1) == []
    assert host.members == before


# -- refusals -------------------------------------------------------------------
def assert_refused(host, outs, conn, code, address, device_name, message=None):
    assert_effects_first(outs)
    got_code, got_message = error_of(outs, conn)
    assert got_code == code
    if message is not None:
        assert got_message == message
    assert closes(outs) == [Close(conn, CLOSE_NORMAL, code)]
    assert events(outs) == [JoinRefused(address, device_name, code, got_message)]
    assert host.device_of(conn) is None
    # The connection is gone: anything it sends now is moot.
    assert host.receive_text(conn, heartbeat_frame(1), 2) == []
    assert host.connection_closed(conn, 3) == []
    return got_message


def test_session_not_found():
    host, _ = party_of("d1")
    host.connection_opened("x", "10.0.0.9", 0)
    for wrong in ["XYZ789", "ABC-234", "abc234", ""]:
        host.connection_opened(wrong or "empty", "10.0.0.9", 0)
        outs = host.receive_text(wrong or "empty", join_frame("d2", "Bob", session_id=wrong), 1)
        assert_refused(host, outs, wrong or "empty", m.SESSION_NOT_FOUND, "10.0.0.9", "Bob",
                       "Session not found")
        assert recipients(outs, m.MEMBER_JOINED) == set()
    assert ids(host) == ["host", "d1"]


def test_version_mismatch():
    host = make_host()
    host.connection_opened("x", "10.0.0.9", 0)
    outs = host.receive_text("x", join_frame("d1", "Bob", protocolVersion=2), 1)
    message = assert_refused(host, outs, "x", m.VERSION_MISMATCH, "10.0.0.9", "Bob")
    assert "version 1" in message and "not 2" in message
    assert ids(host) == ["host"]


def test_version_mismatch_is_checked_before_the_session_id():
    host = make_host()
    host.connection_opened("x", "a", 0)
    outs = host.receive_text("x", join_frame("d1", session_id="ZZZ999", protocolVersion=0), 1)
    assert error_of(outs, "x")[0] == m.VERSION_MISMATCH


def test_session_full_counts_the_host():
    host = make_host()  # maxMembers 8: the host and 7 guests
    for i in range(7):
        open_and_join(host, i, f"d{i}")
    assert host.member_count == 8
    host.connection_opened("late", "10.0.0.8", 1)
    outs = host.receive_text("late", join_frame("d7", "Eighth"), 2)
    assert_refused(host, outs, "late", m.SESSION_FULL, "10.0.0.8", "Eighth",
                   "Session is full (8/8)")
    assert host.member_count == 8
    assert all(not sent(outs, i) for i in range(7))


def test_session_full_with_a_small_party():
    host = make_host(max_members=2)
    open_and_join(host, 1, "d1")
    outs = open_and_join(host, 2, "d2")
    assert error_of(outs, 2) == (m.SESSION_FULL, "Session is full (2/2)")


def test_a_leave_makes_room_again():
    host = make_host(max_members=2)
    open_and_join(host, 1, "d1")
    host.receive_text(1, frame("LEAVE"), 1)
    assert sent_types(open_and_join(host, 2, "d2", now=2), 2) == ["WELCOME", "MEMBER_LIST"]


def test_members_in_their_grace_period_keep_their_place_in_the_count():
    host = make_host(max_members=2, grace_ms=1_000)
    open_and_join(host, 1, "d1")
    host.connection_closed(1, 100)
    assert error_of(open_and_join(host, 2, "d2", now=200), 2)[0] == m.SESSION_FULL
    host.tick(1_100)  # grace over: d1 is gone
    assert sent_types(open_and_join(host, 3, "d2", now=1_200), 3) == ["WELCOME", "MEMBER_LIST"]


def test_already_joined_keeps_the_original_connection():
    host, _ = party_of("d1", "d2")
    before = list(host.members)
    host.connection_opened("dup", "10.0.0.7", 10)
    outs = host.receive_text("dup", join_frame("d1", "Impostor"), 11)
    assert_refused(host, outs, "dup", m.ALREADY_JOINED, "10.0.0.7", "Impostor")
    assert not closes(outs, "c-d1")
    assert not sent(outs, "c-d1") and not sent(outs, "c-d2")
    assert host.members == before
    assert host.device_of("c-d1") == "d1"
    # The original is untouched and still served.
    assert sent_types(host.receive_text("c-d1", heartbeat_frame(12), 12), "c-d1") == \
        ["HEARTBEAT_ACK"]


def test_already_joined_for_the_hosts_own_id():
    host = make_host(host_id="h-1")
    outs = open_and_join(host, 1, "h-1")
    assert error_of(outs, 1)[0] == m.ALREADY_JOINED
    assert ids(host) == ["h-1"]


def test_wrong_token_is_already_joined_while_live_and_during_grace():
    host, toks = party_of("d1", "d2", grace_ms=5_000)
    for token in ["wrong", "", toks["d2"], toks["d1"] + "x", "é", "\ud800", "tök-1"]:
        outs = open_and_join(host, f"live-{token}", "d1", now=1, resumeToken=token)
        assert error_of(outs, f"live-{token}")[0] == m.ALREADY_JOINED
        assert not closes(outs, "c-d1")
    host.connection_closed("c-d1", 10)
    for token in [None, "wrong", "é"]:
        conn = f"grace-{token}"
        kw = {} if token is None else {"resumeToken": token}
        outs = open_and_join(host, conn, "d1", now=20, **kw)
        assert error_of(outs, conn)[0] == m.ALREADY_JOINED
        assert recipients(outs, m.MEMBER_UPDATED) == set()
    assert host.members[1].connection_status == m.RECONNECTING


def test_join_timeout_after_10_seconds():
    host = make_host()
    host.connection_opened("slow", "10.0.0.3", 1_000)
    assert host.next_deadline() == 11_000
    assert host.tick(10_999) == []
    outs = host.tick(11_000)
    assert_refused(host, outs, "slow", m.JOIN_TIMEOUT, "10.0.0.3", None, "No JOIN within 10 s")
    assert host.next_deadline() is None


def test_a_join_in_time_stops_the_join_timer():
    host = make_host()
    host.connection_opened("c", "a", 0)
    host.receive_text("c", join_frame("d1"), 9_999)
    assert host.next_deadline() == 9_999 + 15_000
    assert host.tick(10_000) == []
    assert ids(host) == ["host", "d1"]


def test_join_timeout_is_configurable():
    host = make_host(join_timeout_ms=2_000)
    host.connection_opened("c", "a", 0)
    assert host.next_deadline() == 2_000
    assert error_of(host.tick(2_000), "c") == (m.JOIN_TIMEOUT, "No JOIN within 2 s")


@pytest.mark.parametrize("text", [
    heartbeat_frame(1), frame("LEAVE"), frame("WELCOME", {}), frame("DANCE"), "not json",
    "[]", '{"type":"JOIN"}', join_frame("d1", ""), join_frame(" d1"),
])
def test_anything_but_join_first_is_invalid_and_closes(text):
    host = make_host()
    host.connection_opened("c", "a", 0)
    outs = host.receive_text("c", text, 1)
    assert_effects_first(outs)
    code, message = error_of(outs, "c")
    assert code == m.INVALID_MESSAGE and message.startswith("Invalid message: ")
    assert closes(outs) == [Close("c", CLOSE_POLICY, "Invalid message")]
    assert events(outs) == []
    assert host.receive_text("c", join_frame("d1"), 2) == []  # too late
    assert ids(host) == ["host"]


def test_anything_before_join_message_names_the_rule():
    host = make_host()
    host.connection_opened("c", "a", 0)
    assert error_of(host.receive_text("c", heartbeat_frame(1), 1), "c")[1] == \
        "Invalid message: JOIN must come first"


def test_binary_before_join_closes():
    host = make_host()
    host.connection_opened("c", "a", 0)
    outs = host.receive_binary("c", b'{"type":"JOIN"}', 1)
    assert error_of(outs, "c") == (m.INVALID_MESSAGE,
                                   "Invalid message: binary frames are not accepted")
    assert closes(outs) == [Close("c", CLOSE_POLICY, "Invalid message")]


def test_a_pending_connection_that_closes_leaves_no_trace():
    host = make_host()
    host.connection_opened("c", "a", 0)
    assert host.connection_closed("c", 1) == []
    assert host.connection_closed("c", 1, abusive=True) == []
    assert host.next_deadline() is None


# -- after JOIN: invalid input, abuse and rate ---------------------------------
def test_invalid_frames_after_join_keep_the_connection():
    host, _ = party_of("d1", "d2")
    for text in ["nope", "[]", frame("WELCOME"), frame("DANCE"), heartbeat_frame(True),
                 join_frame("d1"), join_frame("d9")]:
        outs = host.receive_text("c-d1", text, 1)
        assert effects(outs) == outs and not closes(outs)
        assert sent_types(outs, "c-d1") == ["ERROR"]
        assert error_of(outs, "c-d1")[0] == m.INVALID_MESSAGE
        assert not sent(outs, "c-d2")
    assert error_of(host.receive_text("c-d1", join_frame("d1"), 1), "c-d1")[1] == \
        "Invalid message: already joined on this connection"
    assert ids(host) == ["host", "d1", "d2"]
    assert sent_types(host.receive_text("c-d1", heartbeat_frame(2), 2), "c-d1") == ["HEARTBEAT_ACK"]


def test_binary_frames_after_join_are_invalid_but_not_fatal():
    host, _ = party_of("d1")
    outs = host.receive_binary("c-d1", b"\x00\x01", 1)
    assert error_of(outs, "c-d1") == (m.INVALID_MESSAGE,
                                      "Invalid message: binary frames are not accepted")
    assert not closes(outs)


@pytest.mark.parametrize("grace", [0, 30_000])
def test_more_than_10_invalid_in_a_minute_closes_and_removes_at_once(grace):
    host, _ = party_of("d1", "d2", grace_ms=grace)
    for i in range(INVALID_LIMIT):
        outs = (host.receive_binary("c-d1", b"x", i * 1000) if i % 2
                else host.receive_text("c-d1", "junk", i * 1000))
        assert not closes(outs), f"closed after {i + 1} invalid frames"
    outs = host.receive_text("c-d1", "junk", 59_000)
    assert_effects_first(outs)
    assert closes(outs) == [Close("c-d1", CLOSE_POLICY, "Too many invalid messages")]
    assert sent(outs, "c-d2") == [{"type": "MEMBER_LEFT", "timestamp": 59_000, "payload": {
        "deviceId": "d1", "reason": "Disconnected for invalid messages"}}]
    assert events(outs) == [MemberLeft(m.Member("d1", "Laptop d1", "client", "connected", 0),
                                       "Disconnected for invalid messages")]
    assert events(outs)[0].device_id == "d1"
    assert ids(host) == ["host", "d2"]
    assert host.connection_closed("c-d1", 59_001) == []  # the transport confirms: no news
    assert host.next_deadline() == 15_000  # only d2's heartbeat deadline is left


def test_the_invalid_message_window_slides():
    host, _ = party_of("d1")
    for _ in range(INVALID_LIMIT):
        host.receive_text("c-d1", "junk", 0)
    # A minute later the old ones no longer count.
    for i in range(INVALID_LIMIT):
        outs = host.receive_text("c-d1", "junk", INVALID_WINDOW_MS + i)
        assert not closes(outs)
    assert closes(host.receive_text("c-d1", "junk", INVALID_WINDOW_MS + 100))


def test_valid_frames_do_not_reset_the_invalid_count():
    host, _ = party_of("d1")
    for i in range(INVALID_LIMIT):
        host.receive_text("c-d1", "junk", i)
        host.receive_text("c-d1", heartbeat_frame(i), i)
    assert closes(host.receive_text("c-d1", "junk", 100))


@pytest.mark.parametrize("binary", [False, True])
def test_rate_limit(binary):
    host, _ = party_of("d1", "d2")
    # The JOIN at 0 counts too: 199 more frames within 10 s are fine, the 201st is not.
    for i in range(RATE_LIMIT_FRAMES - 1):
        outs = host.receive_text("c-d1", heartbeat_frame(i), 1_000 + i)
        assert sent_types(outs, "c-d1") == ["HEARTBEAT_ACK"]
    outs = (host.receive_binary("c-d1", b"x", RATE_WINDOW_MS - 1) if binary
            else host.receive_text("c-d1", heartbeat_frame(0), RATE_WINDOW_MS - 1))
    assert closes(outs) == [Close("c-d1", CLOSE_POLICY, "Too many messages")]
    assert sent(outs, "c-d2")[0]["payload"] == {"deviceId": "d1",
                                                "reason": "Disconnected for invalid messages"}
    assert ids(host) == ["host", "d2"]


def test_rate_limit_window_slides():
    host, _ = party_of("d1")
    for burst in range(1, 4):  # each burst starts when the one before is 10 s old
        for i in range(RATE_LIMIT_FRAMES):
            assert not closes(host.receive_text("c-d1", heartbeat_frame(i), burst * RATE_WINDOW_MS))
    assert ids(host) == ["host", "d1"]
    assert closes(host.receive_text("c-d1", heartbeat_frame(0), 4 * RATE_WINDOW_MS - 1))


# -- heartbeats -----------------------------------------------------------------
def test_heartbeat_is_acked_with_sent_at_and_server_time():
    host, _ = party_of("d1", "d2")
    outs = host.receive_text("c-d1", heartbeat_frame(1764100000000), 4_321)
    assert outs == [Send("c-d1", outs[0].text)]
    assert json.loads(outs[0].text) == {"type": "HEARTBEAT_ACK", "timestamp": 4_321,
                                        "payload": {"sentAt": 1764100000000, "serverTime": 4_321}}


@pytest.mark.parametrize("grace", [0, 1_000])
def test_heartbeat_timeout_at_exactly_the_deadline(grace):
    host, _ = party_of("d1", "d2", grace_ms=grace)
    host.receive_text("c-d2", heartbeat_frame(0), 10_000)  # d2 stays alive
    assert host.next_deadline() == 15_000
    assert host.tick(14_999) == []
    outs = host.tick(15_000)
    assert_effects_first(outs)
    assert closes(outs) == [Close("c-d1", CLOSE_GOING_AWAY, "Heartbeat timeout")]
    if grace == 0:
        assert sent(outs, "c-d2") == [{"type": "MEMBER_LEFT", "timestamp": 15_000, "payload": {
            "deviceId": "d1", "reason": "Heartbeat timeout"}}]
        assert [type(e) for e in events(outs)] == [MemberLeft]
        assert events(outs)[0].reason == "Heartbeat timeout"
        assert ids(host) == ["host", "d2"]
    else:
        assert sent_types(outs, "c-d2") == ["MEMBER_UPDATED"]
        assert sent(outs, "c-d2")[0]["payload"]["member"]["connectionStatus"] == "reconnecting"
        assert host.next_deadline() == 16_000
        outs = host.tick(16_000)
        assert sent(outs, "c-d2")[0]["payload"] == {"deviceId": "d1",
                                                    "reason": "Heartbeat timeout"}
        assert [(type(e), e.reason) for e in events(outs)] == [(MemberLeft, "Heartbeat timeout")]
    assert host.connection_closed("c-d1", 16_001) == []


def test_any_frame_keeps_a_guest_alive():
    host, _ = party_of("d1")
    host.receive_text("c-d1", heartbeat_frame(0), 10_000)
    assert host.next_deadline() == 25_000
    host.receive_text("c-d1", "garbage still proves the guest is there", 20_000)
    assert host.next_deadline() == 35_000
    assert host.tick(34_999) == []
    assert closes(host.tick(35_000))


def test_shorter_heartbeat_timeout():
    host, _ = party_of("d1", heartbeat_timeout_ms=3_000, grace_ms=0)
    assert host.next_deadline() == 3_000
    assert closes(host.tick(3_000)) == [Close("c-d1", CLOSE_GOING_AWAY, "Heartbeat timeout")]


def test_next_deadline_is_the_earliest_of_all_timers():
    host, _ = party_of("d1", "d2", grace_ms=20_000)
    host.receive_text("c-d1", heartbeat_frame(0), 8_000)    # d1 due at 23_000
    host.connection_opened("p", "a", 4_000)                  # JOIN due at 14_000
    host.connection_closed("c-d2", 1_000)                    # grace over at 21_000
    assert host.next_deadline() == 14_000
    host.tick(14_000)
    assert host.next_deadline() == 21_000
    host.tick(21_000)
    assert host.next_deadline() == 23_000


def test_tick_returns_effects_before_events_when_several_timers_fire():
    host, _ = party_of("d1", "d2", "d3", grace_ms=0)
    host.connection_opened("p1", "a", 0)
    host.connection_opened("p2", "b", 0)
    outs = host.tick(20_000)
    assert_effects_first(outs)
    assert len(closes(outs)) == 5
    assert [type(e) for e in events(outs)] == [MemberLeft, MemberLeft, MemberLeft, JoinRefused,
                                               JoinRefused]


# -- leaving and dropping -------------------------------------------------------
@pytest.mark.parametrize("reason, told", [
    (None, "Left the party"), ("", "Left the party"), ("   ", "Left the party"),
    ("  Going home  ", "Going home"), ("x" * 100, "x" * 64), ("bell\x07", "Left the party"),
])
def test_leave_tells_the_others_and_closes_with_1000(reason, told):
    host, toks = party_of("d1", "d2", "d3", grace_ms=30_000)
    payload = {} if reason is None else {"reason": reason}
    outs = host.receive_text("c-d2", frame("LEAVE", payload), 7)
    assert_effects_first(outs)
    assert closes(outs) == [Close("c-d2", CLOSE_NORMAL, "Left")]
    left = {"type": "MEMBER_LEFT", "timestamp": 7, "payload": {"deviceId": "d2", "reason": told}}
    assert sent(outs, "c-d1") == [left] and sent(outs, "c-d3") == [left]
    assert not sent(outs, "c-d2")
    assert events(outs) == [MemberLeft(m.Member("d2", "Laptop d2", "client", "connected", 0), told)]
    assert ids(host) == ["host", "d1", "d3"]  # no grace period after LEAVE
    assert host.connection_closed("c-d2", 8) == []
    assert host.receive_text("c-d2", heartbeat_frame(9), 9) == []


def test_after_leave_the_token_no_longer_resumes():
    host, toks = party_of("d1", "d2")
    host.receive_text("c-d1", frame("LEAVE"), 5)
    outs = open_and_join(host, "back", "d1", now=50, resumeToken=toks["d1"])
    assert events(outs) == [MemberJoined(m.Member("d1", "Laptop d1", "client", "connected", 50))]
    assert ids(host) == ["host", "d2", "d1"]  # a new member, at the end


def test_drop_without_grace_is_a_leave():
    host, _ = party_of("d1", "d2", grace_ms=0)
    outs = host.connection_closed("c-d1", 100)
    assert sent(outs, "c-d2") == [{"type": "MEMBER_LEFT", "timestamp": 100, "payload": {
        "deviceId": "d1", "reason": "Connection closed"}}]
    assert [(type(e), e.reason) for e in events(outs)] == [(MemberLeft, "Connection closed")]
    assert not closes(outs)
    assert ids(host) == ["host", "d2"]


def test_drop_with_grace_shows_reconnecting_then_leaves():
    host, _ = party_of("d1", "d2", "d3", grace_ms=30_000)
    outs = host.connection_closed("c-d2", 1_000)
    assert_effects_first(outs)
    reconnecting = m.Member("d2", "Laptop d2", "client", "reconnecting", 0)
    update = {"type": "MEMBER_UPDATED", "timestamp": 1_000,
              "payload": {"member": reconnecting.to_wire()}}
    assert sent(outs, "c-d1") == [update] and sent(outs, "c-d3") == [update]
    assert events(outs) == [MemberUpdated(reconnecting)]
    assert host.members[2] == reconnecting  # keeps its place
    assert host.member_count == 4
    host.receive_text("c-d1", heartbeat_frame(0), 20_000)
    host.receive_text("c-d3", heartbeat_frame(0), 20_000)
    assert host.next_deadline() == 31_000
    assert host.tick(30_999) == []
    outs = host.tick(31_000)
    left = {"type": "MEMBER_LEFT", "timestamp": 31_000,
            "payload": {"deviceId": "d2", "reason": "Connection closed"}}
    assert sent(outs, "c-d1") == [left] and sent(outs, "c-d3") == [left]
    assert events(outs) == [MemberLeft(reconnecting, "Connection closed")]
    assert ids(host) == ["host", "d1", "d3"]


def test_an_oversized_frame_removes_at_once():
    host, _ = party_of("d1", "d2", grace_ms=30_000)
    outs = host.connection_closed("c-d1", 5, abusive=True)
    assert sent(outs, "c-d2")[0] == {"type": "MEMBER_LEFT", "timestamp": 5, "payload": {
        "deviceId": "d1", "reason": "Disconnected for invalid messages"}}
    assert ids(host) == ["host", "d2"]


# -- resume -----------------------------------------------------------------------
def test_resume_within_grace_keeps_place_joined_at_and_name():
    host, toks = party_of("d1", "d2", "d3", grace_ms=30_000)
    host.connection_closed("c-d2", 1_000)
    outs = open_and_join(host, "back", "d2", now=5_000, name="Renamed", resumeToken=toks["d2"])
    assert_effects_first(outs)
    welcome, member_list = sent(outs, "back")
    assert welcome["type"] == "WELCOME" and welcome["payload"]["deviceId"] == "d2"
    new_token = welcome["payload"]["resumeToken"]
    assert new_token != toks["d2"]
    connected = m.Member("d2", "Laptop d2", "client", "connected", 0)
    assert member_list["payload"]["members"] == [x.to_wire() for x in host.members]
    assert host.members[2] == connected
    update = {"type": "MEMBER_UPDATED", "timestamp": 5_000,
              "payload": {"member": connected.to_wire()}}
    assert sent(outs, "c-d1") == [update] and sent(outs, "c-d3") == [update]
    assert events(outs) == [MemberResumed(connected), MemberUpdated(connected)]
    assert recipients(outs, m.MEMBER_LEFT) == recipients(outs, m.MEMBER_JOINED) == set()
    assert host.device_of("back") == "d2"
    # Grace is over for good: the resumed guest is under the heartbeat rule again.
    for conn in ["c-d1", "back", "c-d3"]:
        host.receive_text(conn, heartbeat_frame(0), 30_000)
    assert host.tick(31_000) == []
    assert ids(host) == ["host", "d1", "d2", "d3"]
    # The token was rotated: the old one no longer works.
    host.connection_closed("back", 32_000)
    outs = open_and_join(host, "again", "d2", now=33_000, resumeToken=toks["d2"])
    assert error_of(outs, "again")[0] == m.ALREADY_JOINED
    outs = open_and_join(host, "again2", "d2", now=33_000, resumeToken=new_token)
    assert sent_types(outs, "again2") == ["WELCOME", "MEMBER_LIST"]


def test_resume_over_a_half_open_connection_closes_the_old_one():
    host, toks = party_of("d1", "d2")
    outs = open_and_join(host, "new", "d1", now=10, resumeToken=toks["d1"])
    assert closes(outs) == [Close("c-d1", CLOSE_NORMAL, "Replaced by a new connection")]
    assert sent_types(outs, "new") == ["WELCOME", "MEMBER_LIST"]
    assert not sent(outs, "c-d2")  # nothing changed that the others see
    # Only the takeover itself is reported (what went to the old socket may be lost).
    assert events(outs) == [MemberResumed(host.members[1])]
    assert host.device_of("new") == "d1" and host.device_of("c-d1") is None
    assert host.receive_text("c-d1", heartbeat_frame(1), 11) == []
    assert host.connection_closed("c-d1", 12) == []
    assert ids(host) == ["host", "d1", "d2"]
    assert host.members[1].connection_status == "connected"
    assert sent_types(host.receive_text("new", heartbeat_frame(1), 13), "new") == ["HEARTBEAT_ACK"]


def test_resume_works_in_a_full_party():
    host, toks = party_of("d1", max_members=2, grace_ms=10_000)
    host.connection_closed("c-d1", 1)
    outs = open_and_join(host, "back", "d1", now=2, resumeToken=toks["d1"])
    assert sent_types(outs, "back") == ["WELCOME", "MEMBER_LIST"]


def test_resume_after_the_grace_period_is_a_new_join():
    host, toks = party_of("d1", "d2", grace_ms=1_000)
    host.connection_closed("c-d1", 0)
    host.tick(1_000)
    outs = open_and_join(host, "late", "d1", now=2_000, resumeToken=toks["d1"])
    assert events(outs) == [MemberJoined(m.Member("d1", "Laptop d1", "client", "connected", 2_000))]
    assert sent_types(outs, "c-d2") == ["MEMBER_JOINED"]
    assert ids(host) == ["host", "d2", "d1"]


def test_resume_after_abuse_is_a_new_join():
    host, toks = party_of("d1", "d2", grace_ms=30_000)
    for i in range(INVALID_LIMIT + 1):
        host.receive_text("c-d1", "junk", i)
    outs = open_and_join(host, "back", "d1", now=100, resumeToken=toks["d1"])
    assert [type(e) for e in events(outs)] == [MemberJoined]


# -- member order -----------------------------------------------------------------
def test_member_order_is_host_then_join_order():
    host, _ = party_of("d1", "d2", "d3", grace_ms=10_000)
    assert ids(host) == ["host", "d1", "d2", "d3"]
    host.receive_text("c-d2", frame("LEAVE"), 1)
    open_and_join(host, "c-d4", "d4", now=2)
    assert ids(host) == ["host", "d1", "d3", "d4"]
    host.connection_closed("c-d1", 3)  # reconnecting keeps its place
    assert ids(host) == ["host", "d1", "d3", "d4"]
    open_and_join(host, "c-d5", "d5", now=4)
    assert ids(host) == ["host", "d1", "d3", "d4", "d5"]
    assert [x.role for x in host.members] == ["host"] + ["client"] * 4


# -- ending -------------------------------------------------------------------------
def test_close_ends_the_session_for_everyone():
    host, _ = party_of("d1", "d2", "d3", grace_ms=30_000)
    host.connection_closed("c-d3", 1)            # d3 is in its grace period: no connection
    host.connection_opened("pending", "a", 2)    # not joined yet
    outs = host.close(10)
    assert_effects_first(outs)
    bye = {"type": "SESSION_CLOSED", "timestamp": 10, "payload": {"reason": "Host closed session"}}
    assert sent(outs, "c-d1") == [bye] and sent(outs, "c-d2") == [bye]
    assert not sent(outs, "pending")
    assert set(closes(outs)) == {Close(c, CLOSE_NORMAL, "Session closed")
                                 for c in ["c-d1", "c-d2", "pending"]}
    # Each guest hears SESSION_CLOSED before its connection closes.
    order = [(type(o).__name__, o.conn) for o in effects(outs)]
    assert order.index(("Send", "c-d1")) < order.index(("Close", "c-d1"))
    assert events(outs) == [SessionEnded("Host closed session")]
    assert host.closed
    assert ids(host) == ["host"]
    assert host.next_deadline() is None


def test_close_with_a_reason():
    host, _ = party_of("d1")
    outs = host.close(1, reason="Party's over")
    assert sent(outs, "c-d1")[0]["payload"] == {"reason": "Party's over"}
    assert events(outs) == [SessionEnded("Party's over")]


def test_everything_after_close_is_ignored():
    host, toks = party_of("d1")
    host.close(1)
    assert host.close(2) == []
    assert host.receive_text("c-d1", heartbeat_frame(1), 3) == []
    assert host.receive_binary("c-d1", b"x", 3) == []
    assert host.connection_closed("c-d1", 3) == []
    assert host.tick(10**9) == []
    assert host.connection_opened("new", "a", 4) == [Close("new", CLOSE_GOING_AWAY,
                                                           "Session has ended")]
    assert host.receive_text("new", join_frame("d2"), 5) == []
    assert ids(host) == ["host"]
