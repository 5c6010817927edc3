"""Discovery over real sockets on loopback: mDNS (zeroconf) and UDP beacons, scan and join by code.

Every test advertises or scans, so every test is ``isolated_net``: it runs only where this
process sees nothing but loopback (scripts/run-tests.sh puts pytest in a private network
namespace). Hosts bind 127.0.0.1; the command line runs as a child of this process, in the
same private namespace.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import socket
import time

import pytest
from zeroconf import ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

from loudsync_desktop.net.discovery import Advertiser, DiscoveryService
from loudsync_desktop.net.udp import UdpScanner
from loudsync_desktop.protocol.codes import format_code
from loudsync_desktop.protocol.discovery import (ANNOUNCE, BYE, SERVICE_TYPE, UDP_PORT,
                                                  Announcement, SessionFound, SessionLost)
from tests.lan import mdnsquery
from tests.support import DEADLINE_S, wait_until

pytestmark = pytest.mark.isolated_net

SECTION_5_FIELDS = {"sessionId", "sessionName", "hostName", "address", "addresses", "port",
                    "memberCount", "maxMembers", "access", "via"}


class Scanner:
    """A DiscoveryService that keeps every event it emitted."""

    def __init__(self, **kw) -> None:
        self.service = DiscoveryService(**kw)
        self.events: list[object] = []
        self.service.add_listener(self.events.append)

    def get(self, session_id: str):
        return self.service.table.get(session_id)

    def lost(self, session_id: str) -> list[SessionLost]:
        return [e for e in self.events if isinstance(e, SessionLost) and e.session_id == session_id]

    def found_after(self, index: int, session_id: str) -> list[SessionFound]:
        return [e for e in self.events[index:]
                if isinstance(e, SessionFound) and e.session.session_id == session_id]


@pytest.fixture
async def advertise():
    """Factory: ``advertiser = await advertise(server)``; stopped at teardown."""
    advertisers: list[Advertiser] = []

    async def start(server, **kw) -> Advertiser:
        advertiser = Advertiser(server, **kw)
        advertisers.append(advertiser)
        await advertiser.start()
        return advertiser

    yield start
    for advertiser in advertisers:
        await advertiser.stop()


@pytest.fixture
async def scanner():
    """Factory: ``scan = await scanner(mdns=False)``: a started DiscoveryService; stopped at
    teardown."""
    scanners: list[Scanner] = []

    async def start(**kw) -> Scanner:
        scan = Scanner(**kw)
        scanners.append(scan)
        await scan.service.start()
        return scan

    yield start
    for scan in scanners:
        await scan.service.stop()


async def wait_via(scan: Scanner, session_id: str, via: str, timeout: float = DEADLINE_S):
    return await wait_until(
        lambda: (s := scan.get(session_id)) is not None and s.via_label == via and s,
        timeout=timeout, what=f"{session_id} listed via {via}")


# -- found via UDP, mDNS and both ---------------------------------------------------------
async def test_host_is_found_via_udp_and_mdns_and_listed_once_as_both(start_host, advertise,
                                                                      scanner):
    server = await start_host(session_id="FRD234", session_name="Friday", host_name="Ana",
                              max_members=6)
    await advertise(server)
    both, udp_only, mdns_only = await scanner(), await scanner(mdns=False), await scanner(udp=False)

    session = await wait_via(both, "FRD234", "both")
    assert session.to_json_obj() == {
        "sessionId": "FRD234", "sessionName": "Friday", "hostId": "host", "hostName": "Ana",
        "address": "127.0.0.1", "addresses": ["127.0.0.1"], "port": server.port,
        "memberCount": 1, "maxMembers": 6, "access": "open", "via": "both"}
    assert [s.session_id for s in both.service.sessions] == ["FRD234"]
    assert len([e for e in both.events if isinstance(e, SessionFound)]) == 1
    assert (await wait_via(udp_only, "FRD234", "udp")).announcement.port == server.port
    assert (await wait_via(mdns_only, "FRD234", "mdns")).announcement.port == server.port


async def test_hosts_on_one_machine_are_all_found_also_with_the_same_name(start_host, advertise,
                                                                         scanner):
    friday = await start_host(session_id="ABC234", session_name="Friday")
    friday2 = await start_host(session_id="XYZ567", session_name="Friday")
    saturday = await start_host(session_id="SAT789", session_name="Saturday")
    ad1, ad3 = await asyncio.gather(advertise(friday), advertise(saturday))
    ad2 = await advertise(friday2)
    # DNS-SD unique instance names: the second "Friday" is renamed, the parties are not.
    assert [ad1.instance_name, ad2.instance_name, ad3.instance_name] == [
        f"Friday.{SERVICE_TYPE}", f"Friday (2).{SERVICE_TYPE}", f"Saturday.{SERVICE_TYPE}"]

    scan, mdns_only = await scanner(), await scanner(udp=False)
    for server in (friday, friday2, saturday):
        sid = server.config.session_id
        session = await wait_via(scan, sid, "both")
        assert (session.announcement.port, session.announcement.session_name) == \
            (server.port, server.config.session_name)
        assert (await wait_via(mdns_only, sid, "mdns")).announcement.port == server.port
    assert len(scan.service.sessions) == 3


# -- memberCount follows the party ------------------------------------------------------------
async def served_txt(name: str) -> dict[str, str]:
    """The TXT record as the host's mDNS responder serves it now, read by a client that is not
    zeroconf (tests/lan/mdnsquery.py). Its query goes to the mDNS group: a unicast one to
    127.0.0.1:5353 would reach only one of the zeroconf sockets sharing that port here."""
    answers = await asyncio.to_thread(mdnsquery.query, name, "TXT", iface="127.0.0.1", timeout=1.0)
    return mdnsquery.txt_dict(answers, name)


async def test_member_count_in_txt_and_beacon_follows_joins_and_leaves(start_host, advertise,
                                                                       scanner, join_guest):
    server = await start_host(session_id="CNT234", grace_ms=0)
    advertiser = await advertise(server)
    # What the beacons say (the raw UDP adapter, no probes), what the host's mDNS
    # responder serves as TXT, and what a guest browsing by mDNS alone shows.
    beacons: list[Announcement] = []
    udp = UdpScanner(lambda a, source: beacons.append(a), lambda sid: None)
    await udp.start()
    mdns_only = await scanner(udp=False)
    txt = {}

    async def all_say(count: int, what: str) -> None:
        async def txt_says() -> bool:
            nonlocal txt
            txt = await served_txt(advertiser.instance_name)
            return txt.get("memberCount") == str(count)

        deadline = time.monotonic() + DEADLINE_S
        while not await txt_says():
            assert time.monotonic() < deadline, f"TXT memberCount {count} {what}: {txt}"
            await asyncio.sleep(0.05)
        await wait_until(lambda: beacons and beacons[-1].member_count == count,
                         what=f"beacon memberCount {count} {what}")
        await wait_until(lambda: (s := mdns_only.get("CNT234")) and
                         s.announcement.member_count == count,
                         what=f"mDNS-only guest shows {count} {what}")

    try:
        await all_say(1, "at first")
        assert txt["sessionId"] == "CNT234" and txt["v"] == "1"
        guests = [await join_guest(server, f"g{i}") for i in range(2)]
        await all_say(3, "after two joins")
        await guests[0].leave()
        await all_say(2, "after a leave")
        await guests[1].leave()
        await all_say(1, "after both left")
    finally:
        await udp.stop()


# -- ending ------------------------------------------------------------------------------------
async def test_stopping_the_advertiser_removes_the_party_at_once(start_host, advertise, scanner):
    server = await start_host(session_id="END234")
    advertiser = await advertise(server)
    both, udp_only, mdns_only = await scanner(), await scanner(mdns=False), await scanner(udp=False)
    await wait_via(both, "END234", "both")
    await wait_via(udp_only, "END234", "udp")
    await wait_via(mdns_only, "END234", "mdns")
    marks = {id(s): len(s.events) for s in (both, udp_only, mdns_only)}

    started = time.monotonic()
    stopped_at: dict[str, float] = {}
    for name, scan in (("both", both), ("udp", udp_only), ("mdns", mdns_only)):
        scan.service.add_listener(lambda e, name=name: isinstance(e, SessionLost) and
                                  stopped_at.setdefault(name, time.monotonic() - started))

    async def keep_asking() -> None:   # DISCOVER all along: nothing may answer once it ended
        while True:
            both.service.refresh()
            udp_only.service.refresh()
            await asyncio.sleep(0.01)

    asking = asyncio.create_task(keep_asking())
    try:
        await advertiser.stop()
        await wait_until(lambda: len(stopped_at) == 3, what="every scanner to drop it")
        await asyncio.sleep(0.05)   # answers in flight, if any, arrive now and fail the test
    finally:
        asking.cancel()
        await asyncio.gather(asking, return_exceptions=True)

    # BYE and the mDNS goodbye, not a timeout (the reason says which; how soon is a speed
    # figure, bench/discovery.py), and for good (the server still answers GET /session
    # here, so a probe would have kept it alive).
    print(f"\nlost after {stopped_at} s")
    for scan in (both, udp_only, mdns_only):
        assert [e.reason for e in scan.lost("END234")] == ["Host ended the party"]
        assert scan.found_after(marks[id(scan)], "END234") == []   # it never flickered back
        assert scan.get("END234") is None


# -- noise ------------------------------------------------------------------------------------
JUNK_DATAGRAMS = [
    b"", b"junk", b"\xff\xfe\x00\x01", b"null", b"[1, 2, 3]", b'"LOUDSYNC_ANNOUNCE"',
    b'{"type": "LOUDSYNC_ANNOUNCE"}', b'{"type": "LOUDSYNC_ANNOUNCE", "v": 2}',
    b'{"type": "LOUDSYNC_DISCOVER", "v": "1"}', b'{"type": "LOUDSYNC_HELLO", "v": 1}',
    b"[" * 3000, b"{" * 4000, b"x" * 60_000,
    json.dumps({"type": ANNOUNCE, "v": 1, "pad": "x" * 9000}).encode(),
    json.dumps({"type": ANNOUNCE, "v": 1, "sessionId": "BAD234", "sessionName": "Bad",
                "hostId": "h", "hostName": "h", "port": "8080", "memberCount": 1,
                "maxMembers": 8}).encode(),
    json.dumps({"type": ANNOUNCE, "v": 1, "sessionId": "BAD567", "sessionName": "Bad",
                "hostId": "h", "hostName": "h", "port": 8080, "memberCount": "²",
                "maxMembers": 8}).encode(),
    json.dumps({"type": ANNOUNCE, "v": 1, "sessionId": ["BAD789"], "sessionName": {},
                "hostId": None, "hostName": 3, "port": -1}).encode(),
    json.dumps({"type": BYE, "v": 1, "sessionId": 123456}).encode(),
    json.dumps({"type": BYE, "v": 1}).encode(),
    json.dumps({"type": BYE, "v": 1, "sessionId": "NTT999"}).encode(),
]


async def test_bad_datagrams_on_41234_are_ignored(start_host, advertise, scanner, caplog):
    caplog.set_level(logging.WARNING, logger="loudsync_desktop")
    server = await start_host(session_id="GUD234")
    await advertise(server)
    scan = await scanner()
    await wait_via(scan, "GUD234", "both")
    asker_port = scan.service._udp._asker.get_extra_info("sockname")[1]

    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    try:
        for data in JUNK_DATAGRAMS:
            # the shared port (host's beacon socket and the scanner's listener), its
            # loopback broadcast (every socket on it), and the scanner's own asker port
            for target in (("127.0.0.1", UDP_PORT), ("127.255.255.255", UDP_PORT),
                           ("127.0.0.1", asker_port)):
                try:
                    sender.sendto(data, target)
                except OSError:   # EMSGSIZE for the 60 kB one is fine too
                    pass
        # A well-formed marker after the junk: once it is listed, all the junk before it
        # (same socket, same path) has been handled.
        marker = {"type": ANNOUNCE, "v": 1, "sessionId": "MRK234", "sessionName": "Marker",
                  "hostId": "m", "hostName": "m", "port": 9, "memberCount": 1, "maxMembers": 2}
        sender.sendto(json.dumps(marker).encode(), ("127.255.255.255", UDP_PORT))
        sender.sendto(json.dumps(marker).encode(), ("127.0.0.1", asker_port))
        await wait_until(lambda: scan.get("MRK234"), what="the marker after the junk")
        sender.sendto(json.dumps({"type": BYE, "v": 1, "sessionId": "MRK234"}).encode(),
                      ("127.255.255.255", UDP_PORT))
        await wait_until(lambda: scan.get("MRK234") is None, what="the marker's BYE")
    finally:
        sender.close()

    assert [s.session_id for s in scan.service.sessions] == ["GUD234"]
    assert scan.get("GUD234").via_label == "both"
    assert not [e for e in scan.events if isinstance(e, SessionLost) and e.session_id == "GUD234"]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    # The host's socket still answers DISCOVER: a scanner started now finds it over UDP.
    late = await scanner(mdns=False)
    await wait_via(late, "GUD234", "udp")


async def test_malformed_mdns_records_are_ignored(start_host, advertise, scanner, caplog):
    caplog.set_level(logging.WARNING, logger="loudsync_desktop")
    server = await start_host(session_id="GUD567", session_name="Good")
    good_txt = {"v": "1", "sessionId": "JNK234", "sessionName": "Junk", "hostId": "j",
                "hostName": "j", "memberCount": "1", "maxMembers": "8", "access": "open"}
    bad = {
        "No TXT": {},
        "Empty values": {k: "" for k in good_txt},
        "Version 2": {**good_txt, "v": "2"},
        "No version": {k: v for k, v in good_txt.items() if k != "v"},
        "Short code": {**good_txt, "sessionId": "JNK"},
        "Binary junk": {b"v": b"1", b"sessionId": b"\xff\xfe\xfd\xfc\xfb\xfa",
                        b"sessionName": b"\xc3\x28", b"memberCount": b"\x00\x01"},
        "Bad counts": {**good_txt, "memberCount": "lots", "maxMembers": "-1"},
        "Garbled TXT": b"\x03v=1\xffsessionId=JNK234\x05",
        "Key only": {"v": None, "sessionId": None},
    }
    zc = AsyncZeroconf()
    infos = [ServiceInfo(SERVICE_TYPE, f"{label}.{SERVICE_TYPE}", port=8080, properties=props,
                         server=f"junk{i}.local.", parsed_addresses=["127.0.0.1"])
             for i, (label, props) in enumerate(bad.items())]
    infos.append(ServiceInfo(SERVICE_TYPE, f"No address.{SERVICE_TYPE}", port=8080,
                             properties=good_txt, server="junk-noaddr.local."))
    try:
        await asyncio.gather(advertise(server),
                             *(zc.async_register_service(info) for info in infos))
        scan = await scanner(udp=False)
        await wait_via(scan, "GUD567", "mdns")
        # Resolve every junk record to the end through the scanner's own browser, so the
        # assertions below come after each has been looked at (not before it arrived).
        await asyncio.gather(*(scan.service._browser.resolve(info.name) for info in infos))
        assert [s.session_id for s in scan.service.sessions] == ["GUD567"]
        assert scan.get("GUD567").announcement.session_name == "Good"
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    finally:
        await zc.async_close()


# -- the command line ---------------------------------------------------------------------
async def test_join_by_code_on_the_command_line_finds_and_joins(start_host, advertise, cli):
    server = await start_host(session_id="JNR234", session_name="Friday")
    await advertise(server)
    join = await cli("join", format_code("JNR234").lower(), "--json", "--name", "Cli")
    welcome = await join.first_event("welcome")
    assert (welcome["sessionId"], welcome["sessionName"]) == ("JNR234", "Friday")
    await wait_until(lambda: [x.name for x in server.members] == ["Party Host", "Cli"],
                     what="the host to list the command-line guest")
    join.signal(signal.SIGTERM)
    assert await join.finish() == 0, join.stderr
    assert join.named("left")
    await wait_until(lambda: len(server.members) == 1, what="the guest to be gone")


async def test_join_by_an_unknown_code_gives_up_after_5_s_and_points_to_the_address(
        start_host, advertise, cli):
    server = await start_host(session_id="THR234")   # another party is nearby
    await advertise(server)
    join = await cli("join", "ZZZ-999", "--json")
    code = await join.finish(timeout=60)
    elapsed, stderr = time.monotonic() - join.started, join.stderr
    assert code == 1
    assert "No party with code ZZZ-999 was found nearby within 5 s" in stderr
    assert "join by the address the host's screen shows" in stderr
    assert "loudsync join 192.168.1.20:8080" in stderr
    assert elapsed >= 5.0, elapsed   # it searched its full 5 s first
    assert join.named("welcome") == []


async def test_scan_json_prints_the_section_5_fields(start_host, advertise, cli):
    server = await start_host(session_id="SCN234", session_name="Friday", host_name="Ana",
                              max_members=5)
    await advertise(server)
    # A scan prints each party once, after a short merge window; on a busy machine one of the
    # two sources can miss it, so scan again until a listing says both (with a deadline).
    deadline = time.monotonic() + 60
    while True:
        scan = await cli("scan", "--json", "--timeout", "10")
        line = await scan.first_event("session")
        scan.signal(signal.SIGTERM)
        assert await scan.finish() == 0, scan.stderr
        assert line["via"] in ("udp", "mdns", "both"), line
        if line["via"] == "both" or time.monotonic() > deadline:
            break
    assert SECTION_5_FIELDS <= set(line)
    assert {k: line[k] for k in SECTION_5_FIELDS} == {
        "sessionId": "SCN234", "sessionName": "Friday", "hostName": "Ana",
        "address": "127.0.0.1", "addresses": ["127.0.0.1"], "port": server.port,
        "memberCount": 1, "maxMembers": 5, "access": "open", "via": "both"}
    assert len(scan.named("session")) == 1   # each party once
