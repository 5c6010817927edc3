"""Who may come in: PIN, approval by hand, removal by the host, crowds of waiting sockets.

PROTOCOL.md error codes PIN_REQUIRED, WRONG_PIN, TOO_MANY_ATTEMPTS, JOIN_DECLINED,
REMOVED_BY_HOST and the JOIN_PENDING message; plus snapshot/restore of a party.
"""

import json

import pytest

from loudsync_desktop.protocol import messages as m
from loudsync_desktop.protocol.errors import LocalProtocolError
from loudsync_desktop.protocol.events import (
    CLOSE_NORMAL, CLOSE_POLICY, Close, JoinRefused, JoinRequested, JoinRequestEnded, MemberJoined,
    MemberLeft,
)
from loudsync_desktop.protocol.guest import ReconnectPolicy
from loudsync_desktop.protocol.host import (
    APPROVAL_TIMEOUT_MS, DEFAULT_GRACE_MS, MAX_JOIN_REQUESTS, MAX_PENDING,
    MAX_PENDING_PER_ADDRESS, PIN_ATTEMPTS,
    PIN_LOCKOUT_MS, PIN_WINDOW_MS, HostConfig, HostSession,
)

from .helpers import (
    SID, Party, assert_effects_first, closes, events, frame, heartbeat_frame, join_frame,
    make_host, open_and_join, sent, sent_types, token_of, tokens,
)


def ids(host):
    return [x.id for x in host.members]


def error_of(outs, conn):
    (err,) = [f for f in sent(outs, conn) if f["type"] == m.ERROR]
    return err["payload"]["code"], err["payload"]["message"]


def try_join(host, conn, device_id, now=0, address="10.0.0.9", **payload):
    host.connection_opened(conn, address, now)
    outs = host.receive_text(conn, join_frame(device_id, **payload), now)
    assert_effects_first(outs)
    return outs


# -- configuration ------------------------------------------------------------
@pytest.mark.parametrize("bad", [
    {"access": "secret"}, {"access": "pin"}, {"access": "pin", "pin": "123"},
    {"access": "pin", "pin": "12345"}, {"access": "pin", "pin": "12a4"},
    {"access": "pin", "pin": "١٢٣٤"},  # digits, but not ASCII ones
])
def test_access_configuration_is_checked(bad):
    with pytest.raises(LocalProtocolError):
        HostConfig(SID, **bad)


def test_access_is_announced():
    for access, pin in [("open", None), ("pin", "0042"), ("approval", None)]:
        assert make_host(access=access, pin=pin).announcement()["access"] == access


# -- PIN --------------------------------------------------------------------------
def test_pin_required():
    host = make_host(access="pin", pin="1234")
    outs = try_join(host, "c", "d1")
    assert error_of(outs, "c") == (m.PIN_REQUIRED, "This party needs a PIN")
    assert closes(outs) == [Close("c", CLOSE_NORMAL, m.PIN_REQUIRED)]
    assert events(outs) == [JoinRefused("10.0.0.9", "Laptop d1", m.PIN_REQUIRED,
                                        "This party needs a PIN")]
    assert ids(host) == ["host"]


@pytest.mark.parametrize("pin", ["0000", "", "12345", "1234 ", "１２３４", "\ud800"])
def test_wrong_pin(pin):
    host = make_host(access="pin", pin="1234")
    outs = try_join(host, "c", "d1", pin=pin)
    assert error_of(outs, "c") == (m.WRONG_PIN, "Wrong PIN")
    assert closes(outs) == [Close("c", CLOSE_NORMAL, m.WRONG_PIN)]
    assert ids(host) == ["host"]


def test_right_pin_lets_in():
    host = make_host(access="pin", pin="1234")
    assert sent_types(try_join(host, "c", "d1", pin="1234"), "c") == ["WELCOME", "MEMBER_LIST"]


def test_the_pin_is_checked_before_anything_about_members_is_revealed():
    host = make_host(access="pin", pin="1234", max_members=2)
    try_join(host, "a", "d1", pin="1234")
    assert error_of(try_join(host, "b", "d1", pin="9999"), "b")[0] == m.WRONG_PIN
    assert error_of(try_join(host, "c", "d2"), "c")[0] == m.PIN_REQUIRED
    assert error_of(try_join(host, "d", "d2", pin="1234"), "d")[0] == m.SESSION_FULL


def test_five_wrong_pins_in_a_minute_lock_the_address_for_a_minute():
    host = make_host(access="pin", pin="1234")
    for i in range(PIN_ATTEMPTS - 1):
        assert error_of(try_join(host, i, f"d{i}", now=i * 1000, pin="0000"), i)[0] == m.WRONG_PIN
    outs = try_join(host, "5th", "d5", now=10_000, pin="0000")
    assert error_of(outs, "5th") == (m.TOO_MANY_ATTEMPTS,
                                     "Too many wrong PINs from this address: wait a minute")
    assert closes(outs) == [Close("5th", CLOSE_NORMAL, m.TOO_MANY_ATTEMPTS)]
    # Even the right PIN is refused from there for a minute; other addresses are not.
    assert error_of(try_join(host, "r", "d6", now=69_999, pin="1234"), "r")[0] == \
        m.TOO_MANY_ATTEMPTS
    assert sent_types(try_join(host, "o", "d7", now=20_000, address="10.0.0.10", pin="1234"),
                      "o") == ["WELCOME", "MEMBER_LIST"]
    assert sent_types(try_join(host, "l", "d8", now=10_000 + PIN_LOCKOUT_MS, pin="1234"),
                      "l") == ["WELCOME", "MEMBER_LIST"]
    assert (PIN_ATTEMPTS, PIN_WINDOW_MS, PIN_LOCKOUT_MS) == (5, 60_000, 60_000)


def test_wrong_pins_spread_over_more_than_a_minute_do_not_lock():
    host = make_host(access="pin", pin="1234")
    for i in range(10):
        outs = try_join(host, i, f"d{i}", now=i * 20_000, pin="0000")
        assert error_of(outs, i)[0] == m.WRONG_PIN


def test_a_resume_token_needs_no_pin():
    host = make_host(access="pin", pin="1234", grace_ms=10_000)
    token = token_of(try_join(host, "a", "d1", pin="1234"), "a")
    host.connection_closed("a", 1)
    assert sent_types(try_join(host, "b", "d1", now=2, resumeToken=token), "b") == \
        ["WELCOME", "MEMBER_LIST"]


# -- approval by hand -------------------------------------------------------------
def request(host, conn, device_id, now=0, address="10.0.0.9", **payload):
    outs = try_join(host, conn, device_id, now, address, **payload)
    assert sent(outs, conn) == [{"type": "JOIN_PENDING", "timestamp": now, "payload": {
        "message": "Waiting for the host to let you in"}}]
    assert events(outs) == [JoinRequested(conn, address, device_id, f"Laptop {device_id}")]
    return outs


def test_approval_waits_then_admits():
    host = make_host(access="approval")
    request(host, "a", "d1")
    request(host, "b", "d2")
    assert ids(host) == ["host"]  # requests are not members and do not count
    assert [r.conn for r in host.join_requests] == ["a", "b"]
    outs = host.approve("b", 10)
    assert_effects_first(outs)
    assert sent_types(outs, "b") == ["WELCOME", "MEMBER_LIST"]
    assert [type(e) for e in events(outs)] == [MemberJoined, JoinRequestEnded]
    assert ids(host) == ["host", "d2"]
    assert [r.conn for r in host.join_requests] == ["a"]
    assert host.approve("b", 11) == []  # answered already


def test_decline():
    host = make_host(access="approval")
    request(host, "c", "d1")
    outs = host.decline("c", 5)
    assert error_of(outs, "c") == (m.JOIN_DECLINED, "The host declined your request to join")
    assert closes(outs) == [Close("c", CLOSE_NORMAL, m.JOIN_DECLINED)]
    assert [type(e) for e in events(outs)] == [JoinRefused, JoinRequestEnded]
    assert host.join_requests == [] and ids(host) == ["host"]
    assert host.decline("c", 6) == [] and host.decline("nobody", 6) == []


def test_approval_rechecks_room_and_duplicates():
    host = make_host(access="approval", max_members=2)
    request(host, "a", "d1")
    request(host, "b", "d2")
    request(host, "c", "d1")
    host.approve("a", 1)
    outs = host.approve("b", 2)
    assert error_of(outs, "b") == (m.SESSION_FULL, "Session is full (2/2)")
    assert events(outs)[-1] == JoinRequestEnded("b")
    assert error_of(host.approve("c", 3), "c")[0] == m.ALREADY_JOINED


def test_a_waiting_guest_hears_join_pending_every_interval_and_is_declined_after_two_minutes():
    host = make_host(access="approval")
    request(host, "c", "d1", now=1_000)
    assert host.next_deadline() == 6_000
    assert host.tick(5_999) == []
    assert sent_types(host.tick(6_000), "c") == ["JOIN_PENDING"]
    assert host.next_deadline() == 11_000
    t = 11_000
    while t < 1_000 + APPROVAL_TIMEOUT_MS:
        assert sent_types(host.tick(t), "c") == ["JOIN_PENDING"]
        t += 5_000
    outs = host.tick(1_000 + APPROVAL_TIMEOUT_MS)
    assert error_of(outs, "c") == (m.JOIN_DECLINED, "The host did not answer your request in time")
    assert [type(e) for e in events(outs)] == [JoinRefused, JoinRequestEnded]
    assert host.next_deadline() is None


def test_a_waiting_guest_may_withdraw():
    host = make_host(access="approval")
    request(host, "c", "d1")
    assert host.receive_text("c", frame("LEAVE"), 1) == [Close("c", CLOSE_NORMAL,
                                                               "Request withdrawn"),
                                                         JoinRequestEnded("c")]
    request(host, "d", "d2")
    assert host.connection_closed("d", 2) == [JoinRequestEnded("d")]
    assert host.join_requests == []


@pytest.mark.parametrize("kind", ["heartbeat", "garbage", "join", "binary"])
def test_anything_else_while_waiting_is_invalid_and_ends_the_request(kind):
    host = make_host(access="approval")
    request(host, "c", "d1")
    if kind == "binary":
        outs = host.receive_binary("c", b"x", 1)
    else:
        text = {"heartbeat": heartbeat_frame(1), "garbage": "nope", "join": join_frame("d1")}[kind]
        outs = host.receive_text("c", text, 1)
    assert_effects_first(outs)
    assert error_of(outs, "c")[0] == m.INVALID_MESSAGE
    assert closes(outs) == [Close("c", CLOSE_POLICY, "Invalid message")]
    # The host's prompt for this request must go away with it.
    assert events(outs) == [JoinRequestEnded("c")]
    assert host.join_requests == [] and host.approve("c", 2) == []


def test_approval_in_memory_with_a_guest_core():
    party = Party(make_host(access="approval"))
    guest = party.connect("c", "d1")
    assert guest.status == "connecting"
    party.run_until(30_000)  # JOIN_PENDING keeps the waiting guest from giving up
    assert guest.status == "connecting"
    party.from_host(party.host.approve("c", party.now))
    assert guest.status == "connected"
    party.assert_views_agree()


# -- removal by the host -------------------------------------------------------------
def test_remove_tells_the_guest_and_the_others():
    host, toks = make_host(grace_ms=30_000), {}
    for d in ["d1", "d2"]:
        toks[d] = token_of(open_and_join(host, d, d), d)
    outs = host.remove("d1", 5)
    assert_effects_first(outs)
    assert error_of(outs, "d1") == (m.REMOVED_BY_HOST, "The host removed you from the party")
    assert closes(outs) == [Close("d1", CLOSE_NORMAL, "Removed by host")]
    assert sent(outs, "d2") == [{"type": "MEMBER_LEFT", "timestamp": 5, "payload": {
        "deviceId": "d1", "reason": "Removed by host"}}]
    assert [(type(e), e.reason) for e in events(outs)] == [(MemberLeft, "Removed by host")]
    assert ids(host) == ["host", "d2"]
    assert host.connection_closed("d1", 6) == []
    # Removed means gone for this party: neither the token nor a plain join brings it back.
    for extra in ({"resumeToken": toks["d1"]}, {}):
        outs = open_and_join(host, f"again{len(extra)}", "d1", now=7, **extra)
        assert [(type(e), e.code) for e in events(outs)] == [(JoinRefused, "REMOVED_BY_HOST")]
    assert ids(host) == ["host", "d2"]


def test_remove_a_reconnecting_guest():
    host = make_host(grace_ms=30_000)
    open_and_join(host, "a", "d1")
    open_and_join(host, "b", "d2")
    host.connection_closed("a", 1)
    outs = host.remove("d1", 2)
    assert not closes(outs)
    assert sent_types(outs, "b") == ["MEMBER_LEFT"]
    assert host.next_deadline() == 15_000  # no grace timer left


def test_remove_unknown_or_after_close():
    host = make_host()
    open_and_join(host, "a", "d1")
    assert host.remove("nobody", 1) == []
    host.close(2)
    assert host.remove("d1", 3) == []
    assert host.approve("a", 3) == [] and host.decline("a", 3) == []


def test_removed_guest_core_forgets_its_token():
    party = Party(make_host())
    guest = party.connect("a", "d1")
    party.from_host(party.host.remove("d1", 1))
    assert guest.status == "disconnected"
    assert guest.end_reason == "The host removed you from the party"
    assert guest.resume_token is None


# -- crowds of sockets that never join --------------------------------------------------
def test_too_many_waiting_connections_from_one_address_close_the_oldest():
    host = make_host()
    for i in range(MAX_PENDING_PER_ADDRESS):
        assert host.connection_opened(i, "10.6.6.6", i) == []
    outs = host.connection_opened("new", "10.6.6.6", 100)
    assert outs == [Close(0, CLOSE_POLICY, "Too many connections waiting to join")]
    assert host.connection_opened("elsewhere", "10.0.0.1", 101) == []
    # A real guest still gets in.
    assert sent_types(host.receive_text("elsewhere", join_frame("d1"), 102), "elsewhere") == \
        ["WELCOME", "MEMBER_LIST"]


def test_too_many_waiting_connections_overall_close_the_oldest():
    host = make_host()
    for i in range(MAX_PENDING):
        assert host.connection_opened(i, f"10.0.{i}.1", i) == []
    assert host.connection_opened("new", "10.9.9.9", 100) == \
        [Close(0, CLOSE_POLICY, "Too many connections waiting to join")]
    assert host.receive_text(0, join_frame("d1"), 101) == []


def test_joined_guests_and_join_requests_do_not_count_as_waiting():
    host = make_host(access="approval")
    host.connection_opened("req", "10.6.6.6", 0)
    host.receive_text("req", join_frame("r"), 0)
    for i in range(MAX_PENDING_PER_ADDRESS):
        assert host.connection_opened(i, "10.6.6.6", 0) == []
    host = make_host()
    for i in range(3):
        host.connection_opened(i, "10.6.6.6", 0)
        host.receive_text(i, join_frame(f"d{i}"), 0)
    for i in range(3, 3 + MAX_PENDING_PER_ADDRESS):
        assert host.connection_opened(i, "10.6.6.6", 0) == []


# -- snapshot and restore ------------------------------------------------------------------
def test_snapshot_and_restore_keep_every_guest_in_its_place():
    host = make_host(now=5, session_name="Friday", access="pin", pin="1234", grace_ms=20_000)
    toks = {}
    for d in ["d1", "d2"]:
        host.connection_opened(d, "a", 10)
        toks[d] = token_of(host.receive_text(d, join_frame(d, pin="1234"), 10), d)
    snap = json.loads(json.dumps(host.snapshot()))  # it survives a trip through a file
    restored = HostSession.restore(snap, now=1_000, new_token=tokens("new"))
    assert restored.config == host.config
    assert restored.host_member == host.host_member
    assert [(x.id, x.name, x.joined_at, x.connection_status) for x in restored.members] == \
        [("host", "Party Host", 5, "connected"), ("d1", "Laptop d1", 10, "reconnecting"),
         ("d2", "Laptop d2", 10, "reconnecting")]
    assert restored.next_deadline() == 21_000
    # A guest comes back with its token; the other runs out of grace.
    outs = try_join(restored, "back", "d1", now=2_000, resumeToken=toks["d1"])
    assert sent_types(outs, "back") == ["WELCOME", "MEMBER_LIST"]
    restored.receive_text("back", heartbeat_frame(0), 20_000)
    outs = restored.tick(21_000)
    assert sent(outs, "back")[0]["payload"] == {"deviceId": "d2", "reason": "Connection closed"}
    assert ids(restored) == ["host", "d1"]


def test_restore_gives_a_grace_period_even_when_none_was_configured():
    host = make_host(grace_ms=0)
    open_and_join(host, "a", "d1")
    restored = HostSession.restore(host.snapshot(), now=0)
    assert restored.next_deadline() == DEFAULT_GRACE_MS


@pytest.mark.parametrize("damage", [
    lambda s: s.pop("config"),
    lambda s: s["config"].pop("sessionId"),
    lambda s: s["config"].update(maxMembers="many"),
    lambda s: s.pop("guests"),
    lambda s: s["guests"][0].update(resumeToken=None),
    lambda s: s["guests"][0]["member"].update(role="dj"),
    lambda s: s["guests"][0].pop("member"),
    lambda s: s.update(hostJoinedAt=None),
])
def test_restore_refuses_what_it_did_not_write(damage):
    host = make_host()
    open_and_join(host, "a", "d1")
    snap = host.snapshot()
    damage(snap)
    with pytest.raises(LocalProtocolError):
        HostSession.restore(snap, now=0)


# -- the guest's reconnect policy -----------------------------------------------------------
def test_reconnect_policy_backs_off_then_gives_up():
    policy = ReconnectPolicy()
    assert [policy.next_delay_ms(i, 0) for i in range(6)] == [0, 500, 1000, 2000, 2000, 2000]
    assert policy.next_delay_ms(50, 119_999) == 2000
    assert policy.next_delay_ms(0, 120_000) is None
    custom = ReconnectPolicy(delays_ms=(7,), give_up_after_ms=10)
    assert custom.next_delay_ms(3, 9) == 7 and custom.next_delay_ms(0, 10) is None


# -- more: what the sections above leave open -------------------------------------------------
# (added with tests/net/test_resilience.py: the same rules seen from other sides)
from hypothesis import given, settings, strategies as st  # noqa: E402

from loudsync_desktop.protocol.events import MemberUpdated  # noqa: E402
from loudsync_desktop.protocol.host import (  # noqa: E402
    RATE_LIMIT_FRAMES, RATE_WINDOW_MS, interval_for_timeout,
)


def test_an_approved_guest_is_announced_to_the_members_but_not_to_those_still_waiting():
    host = make_host(access="approval")
    request(host, "a", "d1")
    host.approve("a", 1)
    request(host, "b", "d2", now=2)
    request(host, "w", "d3", now=3)
    outs = host.approve("b", 4)
    assert sent_types(outs, "b") == ["WELCOME", "MEMBER_LIST"]
    assert sent(outs, "a") == [{"type": "MEMBER_JOINED", "timestamp": 4, "payload": {
        "member": m.Member("d2", "Laptop d2", "client", "connected", 4).to_wire()}}]
    assert sent(outs, "w") == []  # a request is not a member: it hears nothing of the party
    assert ids(host) == ["host", "d1", "d2"]


def test_approval_mode_lets_a_dropped_member_resume_without_asking_again():
    host = make_host(access="approval", grace_ms=10_000)
    request(host, "a", "d1")
    token = token_of(host.approve("a", 1), "a")
    host.connection_closed("a", 2)
    outs = try_join(host, "back", "d1", now=3, resumeToken=token)
    assert sent_types(outs, "back") == ["WELCOME", "MEMBER_LIST"]
    assert host.join_requests == []


def test_approval_mode_refuses_a_full_party_at_once_without_a_request():
    host = make_host(access="approval", max_members=2)
    request(host, "a", "d1")
    host.approve("a", 1)
    outs = try_join(host, "b", "d2", now=2)
    assert error_of(outs, "b")[0] == m.SESSION_FULL
    assert host.join_requests == []
    assert not [e for e in events(outs) if isinstance(e, JoinRequested)]


def test_a_removed_guest_cannot_even_ask_again_in_approval_mode():
    host = make_host(access="approval", grace_ms=10_000)
    request(host, "a", "d1")
    token = token_of(host.approve("a", 1), "a")
    host.remove("d1", 2)
    host.connection_opened("again", "10.0.0.9", 3)
    outs = host.receive_text("again", join_frame("d1", resumeToken=token), 3)
    assert [(type(e), e.code) for e in events(outs)] == [(JoinRefused, "REMOVED_BY_HOST")]
    assert not host.join_requests and ids(host) == ["host"]


def test_approval_requests_are_capped():
    host = make_host(access="approval", max_members=64)
    for i in range(MAX_JOIN_REQUESTS):
        request(host, f"c{i}", f"d{i}")
    host.connection_opened("late", "10.0.0.9", 5)
    outs = host.receive_text("late", join_frame("late"), 5)
    assert [(type(e), e.code) for e in events(outs)] == [(JoinRefused, "JOIN_DECLINED")]
    assert len(host.join_requests) == MAX_JOIN_REQUESTS


def test_remove_gives_no_grace_and_no_reconnecting_state():
    host = make_host(grace_ms=30_000)
    open_and_join(host, "a", "d1")
    open_and_join(host, "b", "d2")
    outs = host.remove("d1", 5)
    assert not [e for e in events(outs) if isinstance(e, MemberUpdated)]
    assert "MEMBER_UPDATED" not in sent_types(outs, "b")
    assert host.next_deadline() == 15_000  # only d2's heartbeat timer: no grace timer for d1
    assert ids(host) == ["host", "d2"]


def test_a_locked_out_address_can_still_resume_with_a_token_and_the_lockout_is_not_extended():
    host = make_host(access="pin", pin="1234", grace_ms=300_000)
    token = token_of(try_join(host, "m", "member", pin="1234"), "m")
    host.connection_closed("m", 1)
    for i in range(PIN_ATTEMPTS):
        outs = try_join(host, f"w{i}", f"g{i}", now=1_000, pin="9999")
    assert error_of(outs, f"w{PIN_ATTEMPTS - 1}")[0] == m.TOO_MANY_ATTEMPTS
    # The member on that address proves who it is with its token: it resumes.
    assert sent_types(try_join(host, "back", "member", now=2_000, resumeToken=token), "back") == \
        ["WELCOME", "MEMBER_LIST"]
    # Knocking while locked out is refused but does not push the end of the lockout.
    assert error_of(try_join(host, "k", "k", now=40_000, pin="1234"), "k")[0] == \
        m.TOO_MANY_ATTEMPTS
    assert sent_types(try_join(host, "in", "in", now=1_000 + PIN_LOCKOUT_MS, pin="1234"), "in") == \
        ["WELCOME", "MEMBER_LIST"]
    # After the lockout the count starts again: one wrong PIN is just a wrong PIN.
    assert error_of(try_join(host, "w", "w", now=1_001 + PIN_LOCKOUT_MS, pin="0000"), "w")[0] == \
        m.WRONG_PIN


def test_a_missing_pin_is_not_a_wrong_guess():
    host = make_host(access="pin", pin="1234")
    for i in range(3 * PIN_ATTEMPTS):
        assert error_of(try_join(host, f"n{i}", "d", now=i), f"n{i}")[0] == m.PIN_REQUIRED
    for i in range(PIN_ATTEMPTS - 1):
        assert error_of(try_join(host, f"w{i}", "d", now=100 + i, pin="0000"), f"w{i}")[0] == \
            m.WRONG_PIN
    assert sent_types(try_join(host, "ok", "d", now=200, pin="1234"), "ok") == \
        ["WELCOME", "MEMBER_LIST"]


def test_the_17th_waiting_connection_closes_the_oldest_waiting_one_never_a_member_or_request():
    host = make_host(access="approval")
    here = "10.6.6.6"
    request(host, "req", "r", now=0, address=here)           # oldest: a join request
    host.connection_opened("member", here, 1)                # then a member
    host.receive_text("member", join_frame("d1"), 1)
    host.approve("member", 1)
    for i in range(MAX_PENDING_PER_ADDRESS):                 # then 16 sockets that say nothing
        assert host.connection_opened(i, here, 10 + i) == []
    assert host.connection_opened("17th", here, 100) == \
        [Close(0, CLOSE_POLICY, "Too many connections waiting to join")]
    assert host.connection_opened("18th", here, 101) == \
        [Close(1, CLOSE_POLICY, "Too many connections waiting to join")]
    assert ids(host) == ["host", "d1"] and [r.conn for r in host.join_requests] == ["req"]
    # An evicted connection is forgotten: its late frames and its close are no news.
    assert host.receive_text(0, join_frame("late"), 102) == []
    assert host.connection_closed(0, 103) == []
    # The newest waiting connection can still join.
    assert sent_types(host.receive_text("18th", join_frame("d2"), 104), "18th") == ["JOIN_PENDING"]


def test_when_both_limits_are_reached_one_connection_is_closed():
    host = make_host()
    for i in range(MAX_PENDING - MAX_PENDING_PER_ADDRESS):   # 48 older ones from elsewhere
        host.connection_opened(f"o{i}", f"10.1.{i % 4}.1", i)
    for i in range(MAX_PENDING_PER_ADDRESS):                 # 16 from one address
        host.connection_opened(f"h{i}", "10.6.6.6", 100 + i)
    # The 65th, from the crowded address: its own oldest goes, and that makes room overall.
    assert host.connection_opened("new", "10.6.6.6", 200) == \
        [Close("h0", CLOSE_POLICY, "Too many connections waiting to join")]
    # The 65th from a quiet address: the oldest of all goes.
    assert host.connection_opened("quiet", "10.2.2.2", 201) == \
        [Close("o0", CLOSE_POLICY, "Too many connections waiting to join")]


def test_a_restored_party_saves_and_restores_again_the_same():
    host = make_host(now=7, grace_ms=20_000, access="approval")
    for d in ["d1", "d2", "d3"]:
        request(host, d, d, now=8)
        host.approve(d, 9)
    host.connection_closed("d2", 10)
    snap = json.loads(json.dumps(host.snapshot()))
    once = HostSession.restore(snap, now=100)
    twice = HostSession.restore(json.loads(json.dumps(once.snapshot())), now=200)
    assert once.snapshot() == twice.snapshot()
    assert once.members == twice.members
    assert [(x.id, x.joined_at) for x in twice.members] == \
        [("host", 7), ("d1", 9), ("d2", 9), ("d3", 9)]
    assert {g["resumeToken"] for g in twice.snapshot()["guests"]} == \
        {g["resumeToken"] for g in snap["guests"]}


@pytest.mark.parametrize("damage", [
    lambda s: s["config"].update(maxMembers=float("inf")),   # json.loads reads "Infinity"
    lambda s: s["config"].update(graceMs=float("nan")),
    lambda s: s.update(hostJoinedAt=float("-inf")),
    lambda s: s["config"].update(access="vip"),
    lambda s: s["config"].update(access="pin", pin=None),
    lambda s: s.update(guests=5),
    lambda s: s.update(guests={"d1": "x"}),
    lambda s: s["guests"].append("d9"),
], ids=["inf", "nan", "-inf", "access", "pin", "guests int", "guests dict", "guest str"])
def test_restore_refuses_more_damage(damage):
    host = make_host()
    open_and_join(host, "a", "d1")
    snap = host.snapshot()
    damage(snap)
    with pytest.raises(LocalProtocolError):
        HostSession.restore(snap, now=0)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=12)


def _mutations():
    """A good snapshot with one value somewhere replaced by any JSON value."""
    host = make_host(access="pin", pin="1234")
    open_and_join(host, "a", "d1", pin="1234")
    good = host.snapshot()
    paths = [("version",), ("hostJoinedAt",), ("guests",), ("config",)] + \
        [("config", k) for k in good["config"]] + [("guests", 0), ("guests", 0, "resumeToken"),
                                                   ("guests", 0, "member")] + \
        [("guests", 0, "member", k) for k in good["guests"][0]["member"]]
    return good, st.sampled_from(paths)


_GOOD, _PATHS = _mutations()


@settings(max_examples=300, deadline=None)
@given(path=_PATHS, value=_json)
def test_restore_of_any_damaged_snapshot_is_a_party_or_a_local_error(path, value):
    snap = json.loads(json.dumps(_GOOD))
    target = snap
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    try:
        session = HostSession.restore(snap, now=0)
    except LocalProtocolError:
        return
    assert session.member_count >= 1  # whatever it accepted is a working party
    json.dumps(session.snapshot())
    session.announcement()


@pytest.mark.parametrize("timeout_ms", [15_000, 3_000, 300, 150, 60, 9])
def test_a_guest_heartbeating_at_the_announced_interval_is_never_cut_off(timeout_ms):
    """The abuse limit must leave room for the heartbeats the host itself asks for."""
    host = make_host(heartbeat_timeout_ms=timeout_ms, grace_ms=0)
    open_and_join(host, "a", "d1")
    interval = interval_for_timeout(timeout_ms)
    assert host.config.heartbeat_interval_ms == interval
    # Three rate windows of heartbeats exactly on time, and half as many other frames
    # again (say clock pings) - or up to the plain limit if that is more.
    beats = RATE_WINDOW_MS // interval
    others_per_window = max(RATE_LIMIT_FRAMES - beats - 1, beats // 2)
    spacing = RATE_WINDOW_MS / max(others_per_window, 1)
    t, next_other = interval, 0.0
    while t <= 3 * RATE_WINDOW_MS:
        outs = host.receive_text("a", heartbeat_frame(t), t)
        assert sent_types(outs, "a") == ["HEARTBEAT_ACK"], (t, outs)
        while others_per_window and next_other <= t:
            outs = host.receive_text("a", heartbeat_frame(0), t)
            assert not closes(outs), (t, outs)
            next_other += spacing
        t += interval
    assert ids(host) == ["host", "d1"]
