"""The state tables of states.py: every legal move, every illegal one refused, and the
cores walking through them as the wire drives them."""

import itertools
import json

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis import given

from loudsync_desktop.protocol import messages as m
from loudsync_desktop.protocol.errors import LocalProtocolError
from loudsync_desktop.protocol.events import Send
from loudsync_desktop.protocol.guest import GuestSession
from loudsync_desktop.protocol.states import (
    CONN_TRANSITIONS, GUEST_TRANSITIONS, MEMBER_TRANSITIONS, ConnState, ConnTrigger,
    GuestState, GuestTrigger, MemberState, MemberTrigger, next_state,
)

from .helpers import SID, frame, join_frame, make_host

TABLES = [
    (CONN_TRANSITIONS, ConnState, ConnTrigger, {
        (ConnState.AWAITING_JOIN, ConnTrigger.ADMIT): ConnState.JOINED,
        (ConnState.AWAITING_JOIN, ConnTrigger.HOLD): ConnState.AWAITING_APPROVAL,
        (ConnState.AWAITING_JOIN, ConnTrigger.END): ConnState.CLOSED,
        (ConnState.AWAITING_APPROVAL, ConnTrigger.ADMIT): ConnState.JOINED,
        (ConnState.AWAITING_APPROVAL, ConnTrigger.END): ConnState.CLOSED,
        (ConnState.JOINED, ConnTrigger.END): ConnState.CLOSED,
    }),
    (MEMBER_TRANSITIONS, MemberState, MemberTrigger, {
        (MemberState.CONNECTED, MemberTrigger.DROP): MemberState.RECONNECTING,
        (MemberState.CONNECTED, MemberTrigger.RESUME): MemberState.CONNECTED,
        (MemberState.CONNECTED, MemberTrigger.REMOVE): MemberState.LEFT,
        (MemberState.RECONNECTING, MemberTrigger.RESUME): MemberState.CONNECTED,
        (MemberState.RECONNECTING, MemberTrigger.REMOVE): MemberState.LEFT,
    }),
    (GUEST_TRANSITIONS, GuestState, GuestTrigger, {
        (GuestState.IDLE, GuestTrigger.OPEN): GuestState.CONNECTING,
        (GuestState.CONNECTING, GuestTrigger.WELCOME): GuestState.CONNECTED,
        (GuestState.CONNECTED, GuestTrigger.WELCOME): GuestState.CONNECTED,
        (GuestState.CONNECTING, GuestTrigger.END): GuestState.DISCONNECTED,
        (GuestState.CONNECTED, GuestTrigger.END): GuestState.DISCONNECTED,
    }),
]


@pytest.mark.parametrize("table, states, triggers, expected", TABLES,
                         ids=["connection", "member", "guest"])
def test_every_pair_is_either_the_documented_move_or_refused(table, states, triggers, expected):
    assert dict(table) == expected
    for state, trigger in itertools.product(states, triggers):
        if (state, trigger) in expected:
            assert next_state(table, state, trigger) is expected[(state, trigger)]
        else:
            with pytest.raises(LocalProtocolError, match=f"cannot {trigger.value} while"):
                next_state(table, state, trigger)


def test_end_states_are_final():
    for table, final in [(CONN_TRANSITIONS, ConnState.CLOSED),
                         (MEMBER_TRANSITIONS, MemberState.LEFT),
                         (GUEST_TRANSITIONS, GuestState.DISCONNECTED)]:
        assert not [pair for pair in table if pair[0] is final]


def test_member_states_are_the_wire_statuses():
    assert MemberState.CONNECTED == m.CONNECTED and MemberState.RECONNECTING == m.RECONNECTING


def conn_state(host, conn):
    return host._conns[conn].state


def test_host_connection_walks_through_approval():
    host = make_host(access="approval")
    host.connection_opened(1, "10.0.0.2", 0)
    assert conn_state(host, 1) is ConnState.AWAITING_JOIN
    host.receive_text(1, join_frame("a"), 1)
    assert conn_state(host, 1) is ConnState.AWAITING_APPROVAL
    host.approve(1, 2)
    assert conn_state(host, 1) is ConnState.JOINED
    host.connection_closed(1, 3)
    assert 1 not in host._conns
    assert host.members[1].connection_status == MemberState.RECONNECTING


def test_an_answer_to_a_request_that_ended_is_moot_not_an_error():
    host = make_host(access="approval")
    host.connection_opened(1, "10.0.0.2", 0)
    host.receive_text(1, join_frame("a"), 1)
    host.connection_closed(1, 2)          # withdrawn by closing
    assert host.approve(1, 3) == [] and host.decline(1, 3) == []


def test_an_illegal_move_inside_the_host_core_raises():
    host = make_host()
    host.connection_opened(1, "10.0.0.2", 0)
    host.receive_text(1, join_frame("a"), 1)
    with pytest.raises(LocalProtocolError, match="cannot hold while joined"):
        host._move_conn(host._conns[1], ConnTrigger.HOLD)


def test_guest_opens_once_and_ends_once():
    core = GuestSession(session_id=SID, device_id="a", device_name="A", app_version="t")
    assert core.status is GuestState.IDLE
    core.connection_opened(0)
    assert core.status is GuestState.CONNECTING
    with pytest.raises(LocalProtocolError):
        core.connection_opened(1)
    core.receive_text(frame(m.ERROR, {"code": m.SESSION_NOT_FOUND, "message": "no"}), 2)
    assert core.status is GuestState.DISCONNECTED
    with pytest.raises(LocalProtocolError, match="cannot end while disconnected"):
        core._move(GuestTrigger.END)


# -- any sequence of inputs keeps every state in step with the data it stands for --------
DEVICES = ["a", "b", "c"]
host_ops = st.lists(st.one_of(
    st.tuples(st.just("open"), st.integers(0, 5)),
    st.tuples(st.just("join"), st.integers(0, 5), st.sampled_from(DEVICES), st.booleans()),
    st.tuples(st.just("heartbeat"), st.integers(0, 5)),
    st.tuples(st.just("leave"), st.integers(0, 5)),
    st.tuples(st.just("junk"), st.integers(0, 5)),
    st.tuples(st.just("closed"), st.integers(0, 5)),
    st.tuples(st.just("approve"), st.integers(0, 5)),
    st.tuples(st.just("decline"), st.integers(0, 5)),
    st.tuples(st.just("remove"), st.sampled_from(DEVICES)),
    st.tuples(st.just("wait"), st.integers(0, 40_000)),
), max_size=40)


def assert_states_match_data(host) -> None:
    for conn, c in host._conns.items():
        assert c.state is not ConnState.CLOSED and c.id == conn
        assert (c.state is ConnState.JOINED) == (c.device_id is not None)
        assert (c.state is ConnState.AWAITING_APPROVAL) == (c.request is not None)
    for device_id, guest in host._guests.items():
        if guest.conn is None:
            assert guest.member.connection_status == MemberState.RECONNECTING
        else:
            assert guest.member.connection_status == MemberState.CONNECTED
            assert host._conns[guest.conn].device_id == device_id


@settings(max_examples=300, deadline=None)
@given(access=st.sampled_from(["open", "approval"]), grace_ms=st.sampled_from([0, 20_000]),
       ops=host_ops)
def test_no_input_sequence_makes_an_illegal_move(access, grace_ms, ops):
    host = make_host(access=access, grace_ms=grace_ms, max_members=3)
    now, tokens = 0, {}
    for op, arg, *rest in ops:
        if op == "open":
            if arg not in host._conns:
                host.connection_opened(arg, f"10.0.0.{arg}", now)
        elif op == "join":
            device, resume = rest
            token = tokens.get(device) if resume else None
            outs = host.receive_text(arg, join_frame(device, resumeToken=token) if token
                                     else join_frame(device), now)
            for out in outs:   # remember the newest token each device was given
                if isinstance(out, Send) and '"WELCOME"' in out.text:
                    tokens[device] = json.loads(out.text)["payload"]["resumeToken"]
        elif op == "heartbeat":
            host.receive_text(arg, frame(m.HEARTBEAT, {"sentAt": now}), now)
        elif op == "leave":
            host.receive_text(arg, frame(m.LEAVE), now)
        elif op == "junk":
            host.receive_text(arg, "junk", now)
        elif op == "closed":
            host.connection_closed(arg, now)
        elif op in ("approve", "decline"):
            getattr(host, op)(arg, now)
        elif op == "remove":
            host.remove(arg, now)
        else:
            now += arg
            host.tick(now)
        assert_states_match_data(host)
