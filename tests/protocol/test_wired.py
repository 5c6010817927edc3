"""A host core and guest cores wired together in memory: the seed's whole flow and more."""

from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol import messages as m
from loudsync_desktop.protocol.events import (
    CLOSE_NORMAL, Close, JoinRefused, MemberJoined, MemberLeft, MemberUpdated, SessionEnded,
)
from loudsync_desktop.protocol.guest import (
    ConnectionLost, ErrorReceived, GuestMemberJoined, GuestMemberLeft, GuestMemberUpdated,
    MembersReplaced, SessionClosed, Welcomed,
)

from .helpers import Party, make_host


def types(items):
    return [type(x) for x in items]


def test_seed_flow():
    # 1. Host creates the session: the host alone.
    party = Party(make_host(now=0, session_name="Friday", host_id="host-1", host_name="Party Host"))
    host = party.host
    assert [x.id for x in host.members] == ["host-1"]

    # 3. Guest 1 joins: WELCOME, MEMBER_LIST [host, guest 1], connected.
    party.now = 1_000
    g1 = party.connect("ws-1", "device-456", "Android")
    assert g1.status == g.CONNECTED
    assert types(party.guest_events["ws-1"]) == [Welcomed, MembersReplaced]
    assert g1.session.session_name == "Friday" and g1.session.host_name == "Party Host"
    assert [x.id for x in g1.members] == ["host-1", "device-456"]
    assert types(party.host_events) == [MemberJoined]
    party.assert_views_agree()

    # 4. Guest 2 joins: guest 1 hears MEMBER_JOINED; all see [host, guest 1, guest 2].
    party.now = 2_000
    g2 = party.connect("ws-2", "device-789", "iPhone")
    assert party.guest_events["ws-1"][-1] == GuestMemberJoined(host.members[2])
    assert [x.name for x in g1.members] == [x.name for x in g2.members] == \
        ["Party Host", "Android", "iPhone"]
    assert len(g1.members) == len(g2.members) == host.member_count == 3
    party.assert_views_agree()

    # Time passes with heartbeats: nothing changes.
    party.run_until(40_000)
    assert g1.status == g2.status == g.CONNECTED
    assert types(party.host_events) == [MemberJoined, MemberJoined]
    party.assert_views_agree()

    # 5. Guest 2 leaves: guest 1 hears MEMBER_LEFT; the host closes guest 2 with 1000.
    party.leave("ws-2")
    assert g2.status == g.DISCONNECTED and g2.end_reason == "Left the party"
    assert party.guest_events["ws-1"][-1] == GuestMemberLeft("device-789", "Left the party")
    assert Close("ws-2", CLOSE_NORMAL, "Left") in party.host_closes
    assert [x.id for x in host.members] == ["host-1", "device-456"]
    assert party.host_events[-1] == MemberLeft(
        m.Member("device-789", "iPhone", "client", "connected", 2_000), "Left the party")
    party.assert_views_agree()
    assert g1.members == host.members

    # 6. Host ends the session: SESSION_CLOSED, then every connection closed with 1000.
    party.now = 41_000
    party.end()
    assert party.guest_events["ws-1"][-1] == SessionClosed("Host closed session")
    assert g1.status == g.DISCONNECTED and g1.end_reason == "Host closed session"
    assert party.host_events[-1] == SessionEnded("Host closed session")
    assert Close("ws-1", CLOSE_NORMAL, "Session closed") in party.host_closes
    assert party.guests == {}
    assert host.next_deadline() is None


def test_a_dropped_guest_resumes_and_everyone_agrees():
    party = Party(make_host(grace_ms=30_000))
    a = party.connect("a1", "alice")
    b = party.connect("b1", "bob")
    c = party.connect("c1", "carol")
    party.run_until(7_000)
    party.drop("b1")
    assert types(party.guest_events["b1"])[-1] is ConnectionLost
    assert [x.connection_status for x in a.members] == ["connected", "connected",
                                                        "reconnecting", "connected"]
    assert a.members[2] == c.members[2] == m.Member("bob", "Laptop bob", "client",
                                                    "reconnecting", 0)
    party.assert_views_agree()
    party.run_until(20_000)  # within grace
    assert [x.id for x in party.host.members] == ["host", "alice", "bob", "carol"]

    b2 = party.connect("b2", "bob", resume_token=b.resume_token)
    assert b2.status == g.CONNECTED
    assert b2.resume_token != b.resume_token
    assert b2.members == party.host.members
    assert all(x.connection_status == "connected" for x in b2.members)
    assert party.guest_events["a1"][-1] == GuestMemberUpdated(party.host.members[2])
    assert party.host_events[-1] == MemberUpdated(party.host.members[2])
    party.assert_views_agree()
    party.run_until(120_000)
    assert [x.id for x in party.host.members] == ["host", "alice", "bob", "carol"]
    party.assert_views_agree()


def test_grace_runs_out_and_the_others_see_a_leave():
    party = Party(make_host(grace_ms=10_000))
    a = party.connect("a1", "alice")
    party.connect("b1", "bob")
    party.now = 1_000
    party.drop("b1")
    party.run_until(10_999)
    assert a.members[2].connection_status == "reconnecting"
    party.run_until(11_000)
    assert party.guest_events["a1"][-1] == GuestMemberLeft("bob", "Connection closed")
    assert [x.id for x in a.members] == ["host", "alice"]
    party.assert_views_agree()


def test_a_frozen_guest_is_timed_out_and_the_others_are_told():
    party = Party(make_host(grace_ms=0))
    a = party.connect("a1", "alice")
    frozen = party.connect("b1", "bob")
    del party.guests["b1"]  # it stops sending and reading; its socket stays half-open
    party.run_until(30_000)
    assert Close("b1", 1001, "Heartbeat timeout") in party.host_closes
    assert GuestMemberLeft("bob", "Heartbeat timeout") in party.guest_events["a1"]
    assert a.status == g.CONNECTED and frozen.status == g.CONNECTED  # it never heard
    party.assert_views_agree()


def test_the_guest_hears_its_refusals_in_words():
    party = Party(make_host(max_members=3))
    party.connect("a", "alice")
    party.connect("b", "bob")
    full = party.connect("c", "carol")
    said = "This party is full (3/3). Ask the host to raise the limit."
    assert full.status == g.DISCONNECTED and full.end_reason == said
    assert party.guest_events["c"][0] == ErrorReceived(m.SESSION_FULL, "Session is full (3/3)",
                                                       said, True)   # the host's words, then ours
    assert Close("c", CLOSE_NORMAL, m.SESSION_FULL) in party.host_closes

    dup = party.connect("a2", "alice")
    assert dup.end_reason == "This device is already in the party"
    assert party.guests["a"].status == g.CONNECTED

    stranger = party.connect("x", "xavier", session_id="XYZ789")
    assert stranger.end_reason == "No party with this code is running there"
    assert types(party.host_events) == [MemberJoined, MemberJoined, JoinRefused, JoinRefused,
                                        JoinRefused]
    assert [e.code for e in party.host_events[2:]] == [m.SESSION_FULL, m.ALREADY_JOINED,
                                                       m.SESSION_NOT_FOUND]
    assert [x.id for x in party.host.members] == ["host", "alice", "bob"]
    party.assert_views_agree()


def test_a_guest_that_hears_nothing_gives_up():
    party = Party(make_host())
    a = party.connect("a1", "alice")
    # The host process freezes: from now on the guest's frames reach nobody.
    del party.guests["a1"]
    t, outs = 0, []
    while a.status == g.CONNECTED:
        t = a.next_deadline()
        outs = a.tick(t)
    assert t == 15_000
    assert outs == [Close(None, CLOSE_NORMAL, "Bye"), ConnectionLost("No answer from the host")]
    assert a.resume_token is not None  # it may come back and resume
