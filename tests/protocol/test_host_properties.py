"""Property: no input, however malformed, crashes the host or changes what others see.

Two legitimate guests (wired-in GuestSessions, heartbeating on time) share a host
with a few attacker connections, some joined and some not. The attackers throw
arbitrary frames: random text, random JSON, message-shaped objects with wrong
types, near-valid JOINs aimed at the legitimate device ids, binary frames,
floods, abrupt closes. Throughout:

- nothing raises, and every call returns its effects before its events;
- the legitimate guests stay connected, unharmed (no ERROR, no Close, token kept)
  and exactly where they were in ``host.members``;
- each legitimate guest's own member list equals ``host.members``;
- whatever the legitimate guests hear about members concerns attackers only.
"""

from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol import messages as m
from loudsync_desktop.protocol.guest import (
    ErrorReceived, GuestMemberJoined, GuestMemberLeft, GuestMemberUpdated,
)
from loudsync_desktop.protocol.host import HostConfig, HostSession

from .helpers import SID, Party, join_frame

LEGIT = {"L1": "alice", "L2": "bob"}
LEGIT_IDS = set(LEGIT.values())
ATTACKERS = 4
JOINED_AT_START = 2  # attackers 0 and 1 join first; 2 and 3 stay pending

# -- frames ---------------------------------------------------------------------
# Text from anywhere in Unicode, including what is easy to forget: lone surrogates
# (JSON can carry them as \ud800 escapes), control and format characters, odd spaces.
wild_chars = st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp", "Zs", "Mn", "So", "Lu"])


def texts(max_size: int) -> st.SearchStrategy[str]:
    return st.text(max_size=max_size) | st.text(wild_chars, max_size=max_size)


scalars = (st.none() | st.booleans() | st.integers() | st.integers(2**53 - 2, 2**53 + 2)
           | st.floats(allow_nan=True, allow_infinity=True) | texts(12))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts(6), inner, max_size=4),
    max_leaves=12)
device_ids = st.sampled_from(sorted(LEGIT_IDS) + ["host", "evil-0", "evil-1", "evil-7",
                                                  " alice", "alice ", "ALICE"]) | texts(12)
known_types = st.sampled_from(sorted(m.GUEST_TYPES | m.HOST_TYPES) + ["join", "", "PLAY"])
known_keys = st.sampled_from(["sessionId", "deviceId", "deviceName", "appVersion",
                              "protocolVersion", "resumeToken", "pin", "sentAt", "reason",
                              "members", "member", "code", "message"])
field_values = json_values | device_ids | st.sampled_from([SID, "ABC-234", "abc234"])

message_shaped = st.fixed_dictionaries({}, optional={
    "type": known_types | json_values,
    "payload": st.dictionaries(known_keys | texts(6), field_values, max_size=6) | json_values,
    "timestamp": json_values,
}).map(json.dumps)

# Names that pass the obvious checks but hold odd code points (surrogates, marks, symbols).
odd_names = st.text(st.characters(categories=["Cs", "Lu", "Ll", "So", "Zs", "Mn", "Co"]),
                    min_size=1, max_size=10)
names = texts(70) | odd_names | st.sampled_from(["Alice", "  Bob  ", "\u202eecilA", "x\ud800",
                                                 "\udfff", "a\ud83db", "\ufeff", "Cafe\u0301",
                                                 "\u3000", "x" * 65])


def join_text(sid, dev, name, extra):
    return json.dumps({"type": "JOIN", "payload": {
        "sessionId": sid, "deviceId": dev, "deviceName": name, "appVersion": "x", **extra}})


join_extras = st.fixed_dictionaries({}, optional={
    "resumeToken": texts(12) | json_values,
    "protocolVersion": st.integers(-1, 3) | json_values,
    "pin": texts(6) | json_values,
})
sids = st.sampled_from([SID, SID, SID, "XYZ789", "abc234"]) | texts(8)
# JOINs that will mostly succeed: a new device with a strange but plausible name.
new_device_joins = st.builds(
    join_text, st.just(SID),
    st.sampled_from(["evil-7", "ALICE", "ラップトップ"]) | st.from_regex(r"[a-z0-9-]{1,12}",
                                                                    fullmatch=True),
    odd_names | names, st.fixed_dictionaries({}, optional={"protocolVersion": st.just(1)}))
# JOINs for a device that is already there, with a token they cannot know.
takeover_joins = st.builds(
    join_text, st.just(SID), st.sampled_from(sorted(LEGIT_IDS) + ["host", "evil-0", "evil-1"]),
    names, st.fixed_dictionaries({"resumeToken": texts(12)}, optional={
        "protocolVersion": st.integers(0, 2)}))
near_valid_joins = st.builds(join_text, sids, device_ids, names, join_extras)

valid_ish = st.one_of(
    st.integers().map(lambda n: json.dumps({"type": "HEARTBEAT", "payload": {"sentAt": n}})),
    texts(80).map(lambda r: json.dumps({"type": "LEAVE", "payload": {"reason": r}})),
    st.just('{"type":"LEAVE","payload":{}}'),
)

frames = st.one_of(
    texts(60),
    json_values.map(json.dumps),
    message_shaped,
    near_valid_joins,
    new_device_joins,
    new_device_joins,
    takeover_joins,
    valid_ish,
    st.sampled_from(["[" * 5000, '{"type":"JOIN","payload":{"sentAt":' + "9" * 5000 + "}}",
                     "\x00", '{"type":"HEARTBEAT","payload":{"sentAt":true}}']),
)

attacker = st.integers(0, ATTACKERS - 1)
revive = st.booleans()  # if the attacker's connection is gone, come back first
actions = st.lists(st.one_of(
    st.tuples(st.just("text"), attacker, revive, frames),
    st.tuples(st.just("text"), attacker, revive, frames),
    st.tuples(st.just("binary"), attacker, revive, st.binary(max_size=40)),
    st.tuples(st.just("flood"), attacker, revive, st.sampled_from([5, 11, 12, 201]), frames),
    st.tuples(st.just("newcomer"), st.integers(JOINED_AT_START, ATTACKERS - 1),
              new_device_joins | takeover_joins | near_valid_joins | frames),
    st.tuples(st.just("close"), attacker, st.booleans()),
    st.tuples(st.just("wait"), st.integers(0, 20_000)),
), min_size=5, max_size=30)


# -- the harness ------------------------------------------------------------------
class Arena:
    def __init__(self, grace_ms: int) -> None:
        secrets = itertools.count(1)
        host = HostSession(HostConfig(SID, grace_ms=grace_ms, max_members=16), 0,
                           new_token=lambda: f"secret-{next(secrets)}")
        self.party = Party(host)
        self.legit = {conn: self.party.connect(conn, dev, dev.title())
                      for conn, dev in LEGIT.items()}
        self.tokens = {conn: guest.resume_token for conn, guest in self.legit.items()}
        self.generation = itertools.count()
        self.gone: set = set()
        self.conns = [self._open(i) for i in range(ATTACKERS)]
        for i in range(JOINED_AT_START):
            self.text(i, join_frame(f"evil-{i}"))
        assert [x.id for x in host.members] == ["host", "alice", "bob", "evil-0", "evil-1"]
        self.expected = [x for x in host.members if self._is_legit(x.id)]
        self.events_seen = {conn: len(self.party.guest_events[conn]) for conn in LEGIT}
        self.check()

    @staticmethod
    def _is_legit(device_id: str) -> bool:
        return device_id == "host" or device_id in LEGIT_IDS

    def _open(self, i: int):
        conn = f"A{i}.{next(self.generation)}"
        self.party.from_host(self.party.host.connection_opened(conn, f"10.6.6.{i}",
                                                               self.party.now))
        return conn

    def _alive(self, i: int) -> bool:
        conn = self.conns[i]
        return conn not in self.gone and all(c.conn != conn for c in self.party.host_closes)

    def _revive(self, i: int) -> None:
        """Come back on a new connection; the first attackers join again (as a new member)."""
        if self._alive(i):
            return
        self.conns[i] = self._open(i)
        if i < JOINED_AT_START:
            self.text(i, join_frame(f"evil-{next(self.generation)}"))

    def text(self, i: int, text: str) -> None:
        self.party.from_host(self.party.host.receive_text(self.conns[i], text, self.party.now))

    def run(self, action: tuple) -> None:
        kind, *args = action
        host, party = self.party.host, self.party
        if kind in ("text", "binary", "flood") and args[1]:
            self._revive(args[0])
        if kind == "text":
            self.text(args[0], args[2])
        elif kind == "binary":
            party.from_host(host.receive_binary(self.conns[args[0]], args[2], party.now))
        elif kind == "flood":
            for _ in range(args[2]):
                self.text(args[0], args[3])
        elif kind == "newcomer":  # a new connection that opens with this frame
            self.conns[args[0]] = self._open(args[0])
            self.text(args[0], args[1])
        elif kind == "close":
            self.gone.add(self.conns[args[0]])
            party.from_host(host.connection_closed(self.conns[args[0]], party.now,
                                                   abusive=args[1]))
        elif kind == "wait":
            party.run_until(party.now + args[0])

    def check(self) -> None:
        host, party = self.party.host, self.party
        members = host.members
        assert [x for x in members if self._is_legit(x.id)] == self.expected
        assert members[0] == self.expected[0]
        assert len({x.id for x in members}) == len(members)
        assert host.member_count == len(members) <= host.config.max_members
        for conn, guest in self.legit.items():
            assert party.guests.get(conn) is guest, f"{conn} lost its connection"
            assert guest.status == g.CONNECTED
            assert guest.last_error is None
            assert guest.resume_token == self.tokens[conn]
            assert guest.members == members
            new = party.guest_events[conn][self.events_seen[conn]:]
            self.events_seen[conn] = len(party.guest_events[conn])
            for event in new:
                assert not isinstance(event, ErrorReceived)
                if isinstance(event, (GuestMemberJoined, GuestMemberUpdated)):
                    assert not self._is_legit(event.member.id), event
                if isinstance(event, GuestMemberLeft):
                    assert not self._is_legit(event.device_id), event
        assert not [c for c in party.host_closes if c.conn in LEGIT]
        deadline = host.next_deadline()
        assert deadline is None or isinstance(deadline, int)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grace_ms=st.sampled_from([0, 5_000]), script=actions)
def test_garbage_from_other_connections_never_changes_what_legit_guests_see(grace_ms, script):
    arena = Arena(grace_ms)
    for action in script:
        arena.run(action)
        arena.check()
    # In the end the host can still shut down cleanly, telling the legitimate guests.
    arena.party.end()
    for guest in arena.legit.values():
        assert guest.status == g.DISCONNECTED and guest.end_reason == "Host closed session"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(frames, st.binary(max_size=40)), max_size=30))
def test_a_joined_guest_that_talks_garbage_harms_only_itself(junk):
    """The same garbage from a *joined* legitimate-looking connection: it may get itself
    removed (LEAVE, abuse), but the other guests' places and views are untouched."""
    arena = Arena(grace_ms=5_000)
    victim = arena.conns[0]
    for item in junk:
        if isinstance(item, bytes):
            arena.party.from_host(arena.party.host.receive_binary(victim, item, arena.party.now))
        else:
            arena.text(0, item)
        arena.check()
