"""Staying connected on the simulated LAN: network faults under a real party.

The command-line host runs on ``host`` (10.77.0.1), guests join by code from ``guest1`` and
``guest2``, each a real ``python -m loudsync_desktop`` process in its namespace. The faults
are the ones a party meets: a laptop's Wi-Fi goes away for a few seconds (its link goes
down), a laptop wanders out of range for longer than the grace period (every packet
dropped), a bad link (10 % of the frames lost on the wire each way for a minute:
``Lan.lossy``), and the host's app crashing (SIGKILL) and being started again with
``host --resume``. The reproducible figures and what each fault costs: docs/RELIABILITY.md.
Through the cuts and the bad link the host plays music (``--music --play``, its own speakers
off): the party's stream (playback/2) runs on the same connections the faults hit.

Every recovery time is measured from the moment the network (or the host) came back, and
is printed in the summary at the end of the run (``LAN measurements``) and in the message
of any assertion about it. A line's time is when this process read it from the program's
stdout (one monotonic clock for every namespace).
"""

from __future__ import annotations

import json
import signal
import sys
import time

import pytest

from tests.lan.netlab import LAN_DEADLINE_S, Lan, NsProcess
from testsupport.measure import write_test_tone

pytestmark = pytest.mark.lan

HOST_IP = "10.77.0.1"
# With these the host drops a silent guest 3 s after its last message (heartbeats every 1 s).
QUICK_TIMEOUT = ("--heartbeat-timeout", "3")
MUSIC_S = 120             # longer than any test here: the stream never runs out


@pytest.fixture(scope="module")
def music(tmp_path_factory) -> tuple[str, ...]:
    """Host options that stream a track through the whole test (the host itself silent)."""
    path = tmp_path_factory.mktemp("music") / "ramp.wav"
    write_test_tone(path, MUSIC_S)
    return ("--music", str(path), "--play", "--no-audio")


# -- running the party ------------------------------------------------------------------------
def start_host(lan: Lan, *args: str) -> tuple[NsProcess, dict]:
    host = lan.loudsync("host", "host", "--json", "--name", "Friday", "--host-name", "Ana", *args)
    return host, host.wait_json(lambda o: o.get("event") == "hosting", LAN_DEADLINE_S, "hosting")


def join(lan: Lan, laptop: str, code: str, device_id: str, name: str, host: NsProcess) -> NsProcess:
    """``join CODE --json`` on a laptop, welcomed and seen by the host."""
    guest = lan.loudsync(laptop, "join", code, "--json", "--name", name, "--device-id", device_id)
    guest.wait_json(lambda o: o.get("event") == "welcome", LAN_DEADLINE_S, f"{name} to be welcomed")
    host.wait_json(lambda o: o.get("event") == "member_joined" and o["member"]["id"] == device_id,
                   5, f"the host to list {name}")
    return guest


def events(proc: NsProcess, start: int = 0) -> list[dict]:
    """The JSON lines a program printed, from line ``start`` on."""
    found = []
    for _, line in list(proc.lines)[start:]:
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                pass
    return found


def roster(proc: NsProcess) -> list[tuple]:
    """The member list as this program last knew it: (id, name, joinedAt, status), in order.

    Rebuilt from its lines: ``hosting`` / ``member_list`` set it, ``member_joined``,
    ``member_left`` and ``member_updated`` change it, as the app's own list would.
    """
    members: list[dict] = []
    for e in events(proc):
        kind = e.get("event")
        if kind in ("hosting", "member_list"):
            members = list(e["members"])
        elif kind == "member_joined":
            members = [x for x in members if x["id"] != e["member"]["id"]] + [e["member"]]
        elif kind == "member_left":
            members = [x for x in members if x["id"] != e["deviceId"]]
        elif kind == "member_updated":
            members = [e["member"] if x["id"] == e["member"]["id"] else x for x in members]
    return [(x["id"], x["name"], x["joinedAt"], x["connectionStatus"]) for x in members]


def wait_agreed(procs: list[NsProcess], ids: list[str],
                timeout: float = LAN_DEADLINE_S) -> list[tuple]:
    """Until every program lists exactly ``ids`` (host first), all connected; that list."""
    deadline = time.monotonic() + timeout
    while True:
        lists = [roster(p) for p in procs]
        if all(lst == lists[0] for lst in lists) and [x[0] for x in lists[0]] == ids and \
                all(x[3] == "connected" for x in lists[0]):
            return lists[0]
        assert time.monotonic() < deadline, f"member lists never agreed on {ids}: " + \
            "; ".join(f"{p.ns}: {lst}" for p, lst in zip(procs, lists, strict=True))
        time.sleep(0.05)


def statuses(proc: NsProcess, device_id: str, start: int = 0) -> list[str]:
    """connectionStatus of each member_updated about ``device_id``."""
    return [e["member"]["connectionStatus"] for e in events(proc, start)
            if e.get("event") == "member_updated" and e["member"]["id"] == device_id]


def named(proc: NsProcess, kind: str, start: int = 0) -> list[dict]:
    return [e for e in events(proc, start) if e.get("event") == kind]


def at(proc: NsProcess, predicate, timeout: float, what: str, start: int = 0) -> tuple[dict, float]:
    """The first line after ``start`` that matches, and when it arrived."""
    line = proc.wait_json(predicate, timeout, what, start=start)
    return line, proc.matched_at


def updated(device_id: str, status: str):
    return lambda o: (o.get("event") == "member_updated" and o["member"]["id"] == device_id
                      and o["member"]["connectionStatus"] == status)


def is_event(kind: str, **fields):
    return lambda o: o.get("event") == kind and all(o.get(k) == v for k, v in fields.items())


def seconds(value: float) -> float:
    return round(value, 2)


def party_of_three(lan: Lan, *host_args: str) -> tuple[NsProcess, dict, NsProcess, NsProcess, list]:
    host, hosting = start_host(lan, *host_args)
    one = join(lan, "guest1", hosting["code"], "laptop-one", "One", host)
    two = join(lan, "guest2", hosting["code"], "laptop-two", "Two", host)
    listed = wait_agreed([host, one, two], [hosting["hostId"], "laptop-one", "laptop-two"])
    return host, hosting, one, two, listed


# -- a short cut: the place is kept ------------------------------------------------------------
def test_a_guest_whose_wi_fi_drops_for_5_s_is_back_in_its_place_by_itself(lan, record_property,
                                                                         music):
    host, hosting, one, two, before = party_of_three(lan, *QUICK_TIMEOUT, "--grace", "15", *music)
    marks = {p: len(p.lines) for p in (host, one, two)}

    cut = time.monotonic()
    lan.link_down("guest1")           # One's Wi-Fi is gone; nobody is told
    _, host_saw = at(host, updated("laptop-one", "reconnecting"), LAN_DEADLINE_S,
                     "the host to see One drop", marks[host])
    _, two_saw = at(two, updated("laptop-one", "reconnecting"), LAN_DEADLINE_S,
                    "Two to see One reconnecting", marks[two])
    _, one_saw = at(one, is_event("reconnecting"), LAN_DEADLINE_S, "One to notice", marks[one])
    time.sleep(max(0.0, cut + 5 - time.monotonic()))
    restored = time.monotonic()       # from the moment it is switched back on
    lan.link_up("guest1")

    _, one_back = at(one, is_event("reconnected"), LAN_DEADLINE_S, "One to reconnect", marks[one])
    _, host_back = at(host, updated("laptop-one", "connected"), LAN_DEADLINE_S,
                      "the host to see One back", marks[host])
    _, two_back = at(two, updated("laptop-one", "connected"), LAN_DEADLINE_S, "Two to see One back",
                     marks[two])
    after = wait_agreed([host, one, two], [x[0] for x in before])
    figures = {
        "cut_s": seconds(restored - cut),
        "drop_seen_by_host_s": seconds(host_saw - cut),
        "drop_seen_by_other_guest_s": seconds(two_saw - cut),
        "drop_seen_by_guest_s": seconds(one_saw - cut),
        "back_after_link_up_guest_s": seconds(one_back - restored),
        "back_after_link_up_host_s": seconds(host_back - restored),
        "back_after_link_up_other_guest_s": seconds(two_back - restored),
        "tries": len(named(one, "reconnecting", marks[one])),
    }
    record_property("recovery_after_5s_cut", figures)
    print(f"\n5 s cut: {figures}")

    assert after == before, figures        # same place, name and joinedAt, connected again
    for watcher in (host, two):
        assert statuses(watcher, "laptop-one", marks[watcher]) == ["reconnecting", "connected"]
        assert not named(watcher, "member_left") and not named(watcher, "member_joined",
                                                                   marks[watcher])
    tries = named(one, "reconnecting", marks[one])
    assert [t["attempt"] for t in tries] == list(range(1, len(tries) + 1)), tries
    assert tries[0]["nextTryInMs"] == 0    # the first try at once
    [back] = named(one, "reconnected", marks[one])
    assert back["attempts"] == len(tries) and back["keptPlace"] is True
    assert not named(one, "member_left") and not named(one, "connection_lost")
    assert one.proc.poll() is None
    # How soon the drop was seen and the guest was back are speed figures: recorded above
    # (the "LAN measurements" summary, docs/RELIABILITY.md), not asserted.


# -- away longer than the grace: back as a new member ----------------------------------------------
def test_a_guest_away_longer_than_the_grace_is_removed_and_rejoins_as_new(lan, record_property,
                                                                          music):
    host, hosting, one, two, before = party_of_three(lan, *QUICK_TIMEOUT, "--grace", "4", *music)
    marks = {p: len(p.lines) for p in (host, one, two)}
    old = next(x for x in before if x[0] == "laptop-one")

    cut = time.monotonic()
    lan.cut("guest1")                 # out of range: every packet dropped, the link stays up
    _, host_saw = at(host, updated("laptop-one", "reconnecting"), LAN_DEADLINE_S,
                     "the host to see One drop", marks[host])
    left, host_removed = at(host, is_event("member_left", deviceId="laptop-one"), LAN_DEADLINE_S,
                            "the grace to run out", marks[host])
    assert left["reason"] == "Heartbeat timeout"
    two_left, two_removed = at(two, is_event("member_left", deviceId="laptop-one"), LAN_DEADLINE_S,
                               "Two to be told", marks[two])
    assert two_left["reason"] == "Heartbeat timeout"
    assert [x[0] for x in roster(host)] == [hosting["hostId"], "laptop-two"]
    # Away for 8 s in all (and never back before the host has let go of it).
    time.sleep(max(0.0, cut + 8 - time.monotonic(), host_removed + 0.5 - time.monotonic()))
    restored = time.monotonic()
    lan.uncut("guest1")

    back_event, one_back = at(one, is_event("reconnected"), LAN_DEADLINE_S,
                              "One to get back in", marks[one])
    assert back_event["keptPlace"] is False   # and it says so: back as a new member
    joined, host_back = at(host, is_event("member_joined"), LAN_DEADLINE_S,
                           "the host to list One again", marks[host])
    _, two_back = at(two, lambda o: o.get("event") == "member_joined" and
                     o["member"]["id"] == "laptop-one", LAN_DEADLINE_S, "Two to list One again",
                     marks[two])
    after = wait_agreed([host, one, two], [hosting["hostId"], "laptop-two", "laptop-one"])
    figures = {
        "cut_s": seconds(restored - cut),
        "drop_seen_by_host_s": seconds(host_saw - cut),
        "removed_after_cut_s": seconds(host_removed - cut),
        "removal_seen_by_other_guest_s": seconds(two_removed - cut),
        "back_after_restore_guest_s": seconds(one_back - restored),
        "back_after_restore_host_s": seconds(host_back - restored),
        "back_after_restore_other_guest_s": seconds(two_back - restored),
        "tries": len(named(one, "reconnecting", marks[one])),
    }
    record_property("rejoin_after_8s_cut_grace_4s", figures)
    print(f"\n8 s cut, grace 4 s: {figures}")

    new = after[-1]
    assert new[0] == "laptop-one" and new[1] == "One" and new[3] == "connected", after
    assert new[2] > old[2], (old, new)               # a new joinedAt: a new member, at the end
    assert after[:2] == before[:1] + [before[2]]      # the others kept theirs
    assert joined["member"]["id"] == "laptop-one"
    assert statuses(two, "laptop-one", marks[two]) == ["reconnecting"]  # then left, then joined
    # The removal came when the grace ended, not before (4 s grace after the drop was seen);
    # how late after that is a speed figure.
    assert figures["removed_after_cut_s"] >= 4, figures
    assert not named(one, "connection_lost") and one.proc.poll() is None


# -- a bad link: 10 % loss each way for a minute ---------------------------------------------------
LOSS_PERCENT = 10
LOSS_SECONDS = 60
ECHO_PORT = 41999
UDP_ECHO = f"""
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", {ECHO_PORT}))
print('{{"event": "ready"}}', flush=True)
while True:
    data, peer = s.recvfrom(64)
    s.sendto(data, peer)
"""
UDP_PROBE = f"""
import json, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setblocking(False)
host, seconds = sys.argv[1], float(sys.argv[2])
sent, answered = 0, set()
end = time.monotonic() + seconds
while time.monotonic() < end + 0.5:
    if time.monotonic() < end:
        try:
            s.sendto(str(sent).encode(), (host, {ECHO_PORT}))
        except OSError:  # a full buffer: lost too
            pass
        sent += 1
    time.sleep(0.02)
    while True:
        try:
            answered.add(s.recv(64))
        except BlockingIOError:
            break
print(json.dumps({{"event": "echoes", "sent": sent, "answered": len(answered)}}), flush=True)
"""


@pytest.mark.timeout(200)
def test_ten_percent_packet_loss_for_a_minute_drops_nobody(lan, record_property, music):
    # The default timeouts (heartbeat every 5 s, timeout 15 s, grace 30 s): TCP resends
    # what the link loses long before anybody's 15 s run out, also with the stream on it.
    host, hosting, one, two, before = party_of_three(lan, *music)
    marks = {p: len(p.lines) for p in (host, one, two)}
    tcp_before = lan.tcp_counters("guest1", "TcpOutSegs", "TcpRetransSegs", "TcpExtTCPTimeouts")

    lan.lossy("guest1", LOSS_PERCENT)  # both directions, on One's link only (on the wire)
    began = time.monotonic()
    # Other traffic on the same link (a call, a stream): UDP echoes every 20 ms, which also
    # measure the loss rate on their own (``ping`` is not installed everywhere).
    echo = lan.spawn("host", sys.executable, "-c", UDP_ECHO)
    echo.wait_json(is_event("ready"), LAN_DEADLINE_S, "the UDP echo")
    probe = lan.spawn("guest1", sys.executable, "-c", UDP_PROBE, HOST_IP, str(LOSS_SECONDS - 3))
    time.sleep(20)
    # Someone joins mid-way: One must hear of it through the lossy link.
    late_started = time.monotonic()
    late = join(lan, "guest2", hosting["code"], "laptop-late", "Late", host)
    _, one_heard = at(one, lambda o: o.get("event") == "member_joined" and
                      o["member"]["id"] == "laptop-late", LAN_DEADLINE_S, "One to hear of Late",
                      marks[one])
    time.sleep(max(0.0, began + LOSS_SECONDS - time.monotonic()))
    counts = lan.loss_counts("guest1")
    tcp_after = lan.tcp_counters("guest1", *tcp_before)
    lossy_for = time.monotonic() - began
    # Everyone agrees while the link is still bad ...
    ids = [x[0] for x in before] + ["laptop-late"]
    after = wait_agreed([host, one, two, late], ids)
    echoes = probe.wait_json(is_event("echoes"), LAN_DEADLINE_S, "the UDP echo figures")
    lan.lossless("guest1")

    rates = {way: round(c["dropped"] / max(1, c["frames"]), 3) for way, c in counts.items()}
    figures = {
        "lossy_for_s": seconds(lossy_for),
        "frames": {way: c["frames"] for way, c in counts.items()},
        "dropped": {way: c["dropped"] for way, c in counts.items()},
        "loss_rate": rates,
        "udp_echo_round_trip_loss": round(1 - echoes["answered"] / max(1, echoes["sent"]), 3),
        "udp_echoes_sent": echoes["sent"],
        "guest_tcp": {k: tcp_after[k] - tcp_before[k] for k in tcp_before},
        "late_join_heard_by_lossy_guest_s": seconds(one_heard - late_started),
        "reconnects": len(named(one, "reconnecting", marks[one])),
    }
    record_property("ten_percent_loss_one_minute", figures)
    print(f"\n{LOSS_PERCENT} % loss for {LOSS_SECONDS} s: {figures}")

    assert lossy_for >= LOSS_SECONDS, figures
    for way in ("in", "out"):               # the loss really was there, both ways
        assert counts[way]["dropped"] > 0, figures
        assert 0.07 <= rates[way] <= 0.13, figures
    assert figures["guest_tcp"]["TcpRetransSegs"] > 0, figures   # ... and TCP hid it
    # The stream ran through it: besides the echoes' answers, 50 chunks a second came to One
    # (without music: heartbeats alone, a few frames a second).
    assert counts["in"]["frames"] - echoes["sent"] > 25 * LOSS_SECONDS, figures
    # Nobody dropped: no MEMBER_LEFT, nobody even "reconnecting", no reconnect by One.
    for proc in (host, one, two, late):
        assert not named(proc, "member_left"), (proc.ns, named(proc, "member_left"))
        assert not [e for e in named(proc, "member_updated")
                    if e["member"]["id"] in ids], (proc.ns, named(proc, "member_updated"))
    for guest in (one, two, late):
        assert not named(guest, "reconnecting") and not named(guest, "connection_lost"), figures
    assert after[:3] == before, (before, after)


# -- the host crashes and is started again ---------------------------------------------------------
def test_a_killed_host_resumed_on_its_laptop_has_every_guest_back(lan, record_property):
    host, hosting, one, two, before = party_of_three(lan)
    saved = lan.data_dir("host") / "host-session.json"
    deadline = time.monotonic() + LAN_DEADLINE_S
    while not (saved.exists() and "laptop-two" in saved.read_text()):
        assert time.monotonic() < deadline, "the party with both guests was never saved"
        time.sleep(0.05)
    marks = {p: len(p.lines) for p in (one, two)}

    killed = time.monotonic()
    host.signal(signal.SIGKILL)     # the app crashes: no SESSION_CLOSED, no goodbyes
    assert host.wait(LAN_DEADLINE_S) == -signal.SIGKILL
    seen = {}
    for name, guest in (("one", one), ("two", two)):
        _, seen[name] = at(guest, is_event("reconnecting"), LAN_DEADLINE_S,
                           f"{name} to notice", marks[guest])
    time.sleep(max(0.0, killed + 2 - time.monotonic()))   # someone starts LoudSync again

    restarted = time.monotonic()
    again = lan.loudsync("host", "host", "--json", "--resume")
    resumed, announced = at(again, is_event("hosting"), LAN_DEADLINE_S, "the resumed host")
    assert (resumed["sessionId"], resumed["code"], resumed["port"], resumed["resumed"]) == \
        (hosting["sessionId"], hosting["code"], hosting["port"], True)
    # The saved members (a guest may be back already by the time this line is printed).
    assert [(x["id"], x["name"], x["joinedAt"]) for x in resumed["members"]] == \
        [x[:3] for x in before]
    back, host_back = {}, {}
    for name, guest, device_id in (("one", one, "laptop-one"), ("two", two, "laptop-two")):
        _, back[name] = at(guest, is_event("reconnected"), LAN_DEADLINE_S,
                           f"{name} to be back", marks[guest])
        _, host_back[name] = at(again, updated(device_id, "connected"), LAN_DEADLINE_S,
                                f"the host to see {name} back")
    after = wait_agreed([again, one, two], [x[0] for x in before])
    figures = {
        "drop_seen_by_guests_s": {k: seconds(v - killed) for k, v in seen.items()},
        "restarted_after_kill_s": seconds(restarted - killed),
        "hosting_line_after_restart_s": seconds(announced - restarted),
        "guest_back_after_restart_s": {k: seconds(v - restarted) for k, v in back.items()},
        "host_saw_back_after_restart_s": {k: seconds(v - restarted) for k, v in host_back.items()},
        "tries": {name: len(named(g, "reconnecting", marks[g])) for name, g in
                  (("one", one), ("two", two))},
    }
    record_property("recovery_after_host_sigkill_and_resume", figures)
    print(f"\nhost killed and resumed: {figures}")

    assert after == before, figures    # same places, names and joinedAt
    assert not named(again, "member_joined") and not named(again, "member_left"), figures
    for guest in (one, two):
        assert not named(guest, "member_left") and not named(guest, "connection_lost"), figures
        assert guest.proc.poll() is None
