"""Discovery across the simulated LAN: three laptops in network namespaces on one bridge.

The command-line host runs on ``host`` (10.77.0.1), guests on ``guest1`` (.2) and ``guest2``
(.3); each a real ``python -m loudsync_desktop`` process in its namespace. Filters
(nftables) take away one discovery protocol at a time, the way guest Wi-Fi networks and
firewalls do. Discovery never runs in the machine's own namespace here.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.lan.netlab import LAN_DEADLINE_S, Lan, NsProcess

pytestmark = pytest.mark.lan

HOST_IP = "10.77.0.1"
FIELDS = {"sessionId", "sessionName", "hostName", "address", "addresses", "port", "memberCount",
          "maxMembers", "access", "via"}


def start_host(lan: Lan, *args: str) -> tuple[NsProcess, dict]:
    host = lan.loudsync("host", "host", "--json", *args)
    return host, host.wait_json(lambda o: o.get("event") == "hosting", LAN_DEADLINE_S, "hosting")


def scan_until_found(lan: Lan, laptop: str, session_id: str) -> dict:
    """``scan --json`` on a laptop until it prints the party; then End it with SIGTERM."""
    scan = lan.loudsync(laptop, "scan", "--json", "--timeout", str(LAN_DEADLINE_S))
    line = scan.wait_json(lambda o: o.get("event") == "session" and o["sessionId"] == session_id,
                          LAN_DEADLINE_S, f"scan on {laptop} to list {session_id}")
    scan.signal(signal.SIGTERM)
    assert scan.wait(LAN_DEADLINE_S) == 0, scan.stderr
    return line


def join(lan: Lan, laptop: str, code: str, name: str) -> NsProcess:
    guest = lan.loudsync(laptop, "join", code, "--json", "--name", name)
    guest.wait_json(lambda o: o.get("event") == "welcome", LAN_DEADLINE_S, f"{name} to be welcomed")
    return guest


def dig(lan: Lan, laptop: str, name: str, rtype: str, server: str = HOST_IP) -> str:
    """``dig +short`` as an mDNS legacy unicast query to port 5353 of ``server``."""
    result = lan.exec(laptop, "dig", "-p", "5353", f"@{server}", name, rtype, "+short",
                      "+time=2", "+tries=2", check=False)
    return result.stdout.strip()


def txt_of(dig_output: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in re.findall(r'"([^"]*)"', dig_output) if "=" in item)


def wait_txt(lan: Lan, laptop: str, instance: str, key: str, value: str,
             timeout: float = LAN_DEADLINE_S) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while True:
        txt = txt_of(dig(lan, laptop, instance, "TXT"))
        if txt.get(key) == value:
            return txt
        assert time.monotonic() < deadline, f"TXT {key}={value} never served; last: {txt}"
        time.sleep(0.05)


def started(watch: NsProcess) -> dict:
    return watch.wait_json(lambda o: o["event"] == "started", LAN_DEADLINE_S,
                           "the watcher to start")


def seen(watch: NsProcess, event: str, session_id: str, timeout: float = LAN_DEADLINE_S,
         **fields) -> dict:
    return watch.wait_json(
        lambda o: o["event"] == event and o.get("sessionId") == session_id and
        all(o.get(k) == v for k, v in fields.items()),
        timeout, f"{event} {session_id} {fields}")


# -- one protocol at a time ---------------------------------------------------------------
@pytest.mark.parametrize("only", ["mdns", "udp"])
def test_a_guest_finds_and_joins_a_host_by_one_protocol_alone(lan, only):
    if only == "mdns":
        lan.block_udp_discovery("guest1")       # UDP 41234 dropped both ways on the guest
        blocked = "lsnoudp"
    else:
        lan.block_mdns("guest1")                # multicast and port 5353 dropped both ways
        blocked = "lsnomdns"
    host, hosting = start_host(lan, "--name", "Friday", "--host-name", "Ana")

    line = scan_until_found(lan, "guest1", hosting["sessionId"])
    assert FIELDS <= set(line)
    assert (line["via"], line["address"], line["addresses"], line["port"]) == \
        (only, HOST_IP, [HOST_IP], hosting["port"])
    assert (line["sessionName"], line["hostName"], line["memberCount"]) == ("Friday", "Ana", 1)

    guest = join(lan, "guest1", hosting["code"], "Guest One")
    host.wait_json(lambda o: o.get("event") == "member_joined" and
                   o["member"]["name"] == "Guest One", LAN_DEADLINE_S, "the host to see the guest")
    # The filter was in the way all along (so the other protocol really did the work).
    assert lan.nft_drop_counts("guest1")[blocked] > 0
    guest.signal(signal.SIGTERM)
    assert guest.wait(LAN_DEADLINE_S) == 0, guest.stderr
    host.wait_json(lambda o: o.get("event") == "member_left", LAN_DEADLINE_S,
                   "the host to see the leave")


# -- an mDNS client that is not python-zeroconf -------------------------------------------
def test_an_independent_mdns_client_sees_the_service_port_and_txt(lan):
    host, hosting = start_host(lan, "--name", "Friday Night", "--host-name", "Ana",
                               "--max-members", "6")
    instance = dig(lan, "guest2", "_loudsync._tcp.local", "PTR")
    assert instance == r"Friday\032Night._loudsync._tcp.local."
    priority, weight, port, target = dig(lan, "guest2", instance, "SRV").split()
    assert int(port) == hosting["port"]
    assert target == f"loudsync-{hosting['sessionId'].lower()}.local."
    assert dig(lan, "guest2", target, "A") == HOST_IP
    assert txt_of(dig(lan, "guest2", instance, "TXT")) == {
        "v": "1", "sessionId": hosting["sessionId"], "sessionName": "Friday Night",
        "hostId": hosting["hostId"], "hostName": "Ana", "memberCount": "1", "maxMembers": "6",
        "access": "open"}

    # A query to the mDNS group, as a browser sends it. (dig cannot take this one: the
    # answer comes from 10.77.0.1, not from 224.0.0.251 where dig sent its question, so
    # dig drops it and times out. tests/lan/mdnsquery.py is a plain-socket client.)
    result = lan.exec("guest2", sys.executable, "-m", "tests.lan.mdnsquery",
                      "_loudsync._tcp.local", "PTR", "--iface", "10.77.0.3", "--timeout", "3")
    answers = json.loads(result.stdout)
    assert answers and answers[0]["source"] == HOST_IP
    records = answers[0]["records"]
    assert {"type": "PTR", "value": "Friday Night._loudsync._tcp.local."}.items() <= \
        next(r for r in records if r["type"] == "PTR").items()
    srv = next(r for r in records if r["type"] == "SRV")
    assert srv["value"]["port"] == hosting["port"]
    txt = next(r for r in records if r["type"] == "TXT")
    assert f"sessionId={hosting['sessionId']}" in txt["value"] and "memberCount=1" in txt["value"]


# -- memberCount --------------------------------------------------------------------------
def test_member_count_in_the_txt_follows_joins_and_leaves(lan):
    host, hosting = start_host(lan, "--name", "Friday")
    watch = lan.watcher("guest2")
    started(watch)
    sid = hosting["sessionId"]
    instance = "Friday._loudsync._tcp.local"
    wait_txt(lan, "guest2", instance, "memberCount", "1")

    one = join(lan, "guest1", hosting["code"], "One")
    two = join(lan, "guest2", hosting["code"], "Two")
    wait_txt(lan, "guest2", instance, "memberCount", "3")
    seen(watch, "updated", sid, memberCount=3)

    one.signal(signal.SIGTERM)
    assert one.wait(LAN_DEADLINE_S) == 0
    wait_txt(lan, "guest1", instance, "memberCount", "2")
    seen(watch, "updated", sid, memberCount=2)
    two.signal(signal.SIGTERM)
    assert two.wait(LAN_DEADLINE_S) == 0
    wait_txt(lan, "guest1", instance, "memberCount", "1")
    seen(watch, "updated", sid, memberCount=1)


# -- ending ----------------------------------------------------------------------------------
def test_end_session_removes_the_party_from_every_guest_at_once(lan, record_property):
    host, hosting = start_host(lan, "--name", "Friday")
    sid = hosting["sessionId"]
    join(lan, "guest1", hosting["code"], "Asleep")
    awake = join(lan, "guest2", hosting["code"], "Awake")
    # guest1's laptop drops off the LAN unnoticed: the host's closing handshake with it
    # can only time out, and that must not keep the ended party listed meanwhile.
    lan.cut("guest1")
    watchers = {"both": lan.watcher("guest2"), "mdns": lan.watcher("guest2", udp=False),
                "udp": lan.watcher("guest2", mdns=False)}
    for via, watch in watchers.items():
        started(watch)
        seen(watch, "found" if via != "both" else "updated", sid, via=via)

    ended = time.monotonic()
    host.signal(signal.SIGTERM)          # End Session
    delays = {}
    for via, watch in watchers.items():
        lost = seen(watch, "lost", sid)
        assert lost["reason"] == "Host ended the party"   # BYE / goodbye, not a timeout
        delays[via] = round(lost["t"] - ended, 3)
    record_property("removal_after_end_session_s", delays)
    print(f"removal after End Session: {delays}")   # how soon: a speed figure
    awake.wait_json(lambda o: o.get("event") == "session_closed", LAN_DEADLINE_S,
                    "the guest to be told")
    assert host.wait(LAN_DEADLINE_S) == 0


def test_a_killed_host_is_dropped_once_it_stops_answering(lan, record_property):
    host, hosting = start_host(lan, "--name", "Friday")
    sid = hosting["sessionId"]
    watchers = {"both": lan.watcher("guest1"), "mdns": lan.watcher("guest2", udp=False),
                "udp": lan.watcher("guest2", mdns=False)}
    for via, watch in watchers.items():
        started(watch)
        seen(watch, "found" if via != "both" else "updated", sid, via=via)

    killed = time.monotonic()
    host.signal(signal.SIGKILL)          # no goodbye, no BYE; mDNS records stay cached
    delays = {}
    for via, watch in watchers.items():
        lost = seen(watch, "lost", sid)
        assert lost["reason"] == "Host stopped answering"
        delays[via] = round(lost["t"] - killed, 3)
    record_property("removal_after_sigkill_s", delays)
    print(f"removal after SIGKILL: {delays}")


# -- a second address nobody can reach ---------------------------------------------------------
def test_every_guest_joins_a_host_that_also_advertises_an_unreachable_address(lan):
    lan.add_unreachable_address("host", "10.99.0.1/24")
    # guest2 sends to 10.99.0.1 on its link, where nobody answers (connects hang, like a
    # VPN address seen from the LAN), and knows the host only by mDNS, so it has no
    # proven address to prefer. guest1 has no route there at all.
    subprocess.run(["ip", "-n", lan.ns["guest2"], "route", "add", "10.99.0.0/24", "dev", "eth0"],
                   check=True)
    lan.block_udp_discovery("guest2")
    host, hosting = start_host(lan, "--name", "Friday")
    assert {u.split("//")[1].split(":")[0] for u in hosting["urls"]} == {HOST_IP, "10.99.0.1"}
    for laptop in ("guest1", "guest2"):   # the second address really is out of reach
        probe = lan.exec(laptop, sys.executable, "-c",
                         "import socket; "
                         f"socket.create_connection(('10.99.0.1', {hosting['port']}), 1)",
                         check=False)
        assert probe.returncode != 0 and \
            ("timed out" in probe.stderr or "unreachable" in probe.stderr), probe.stderr

    for laptop in ("guest1", "guest2"):
        line = scan_until_found(lan, laptop, hosting["sessionId"])
        if laptop == "guest2":   # by mDNS alone both addresses are known; ours comes first
            assert sorted(line["addresses"]) == [HOST_IP, "10.99.0.1"]
        assert line["address"] == HOST_IP

    one = join(lan, "guest1", hosting["code"], "One")
    two = join(lan, "guest2", hosting["code"], "Two")
    for name in ("One", "Two"):
        host.wait_json(lambda o, name=name: o.get("event") == "member_joined" and
                       o["member"]["name"] == name, LAN_DEADLINE_S, f"{name} on the host")
    for guest in (one, two):
        guest.signal(signal.SIGTERM)
        assert guest.wait(LAN_DEADLINE_S) == 0
