"""Discovery without I/O: announcement parsing (JSON, TXT, datagrams) and the DiscoveryTable."""

from __future__ import annotations

import ipaddress
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loudsync_desktop.protocol.discovery import (
    ANNOUNCE, BYE, DISCOVER, LOST_AFTER_MS, MAX_DATAGRAM_BYTES, PROBE_AFTER_MS, VIA_MDNS, VIA_UDP,
    Announcement, DiscoveredSession, DiscoveryTable, SessionFound, SessionLost, SessionUpdated,
    announcement_from_json, announcement_from_txt, bye_session_id, order_addresses,
    parse_datagram)

LAN = ipaddress.IPv4Network("192.168.1.0/24")


def make(session_id: str = "ABC234", **changes) -> Announcement:
    fields = dict(session_id=session_id, session_name="Friday", host_id="host-1",
                  host_name="Ana", port=8080, member_count=1, max_members=8, access="open")
    fields.update(changes)
    return Announcement(**fields)


def announce_obj(**changes) -> dict:
    obj = make().to_json_obj()
    obj.update(changes)
    return obj


def txt(**changes) -> dict[bytes, bytes | None]:
    """The TXT record as zeroconf hands it over: bytes keys, bytes (or None) values."""
    record: dict[str, str | bytes | None] = dict(make().txt_record())
    record.update(changes)
    return {k.encode(): v.encode() if isinstance(v, str) else v for k, v in record.items()}


# -- announcements from JSON ------------------------------------------------------------
def test_announcement_json_round_trip():
    a = make(access="pin", member_count=3)
    obj = a.to_json_obj()
    assert obj == {"type": ANNOUNCE, "v": 1, "sessionId": "ABC234", "sessionName": "Friday",
                   "hostId": "host-1", "hostName": "Ana", "port": 8080, "memberCount": 3,
                   "maxMembers": 8, "access": "pin"}
    assert announcement_from_json(obj) == a
    assert announcement_from_json(parse_datagram(json.dumps(obj).encode())) == a


@pytest.mark.parametrize("access", ["open", "pin", "approval"])
def test_every_access_mode_is_kept(access):
    assert announcement_from_json(announce_obj(access=access)).access == access


@pytest.mark.parametrize("access", [None, "", "secret", 3, "OPEN"])
def test_unknown_or_missing_access_reads_as_open(access):
    obj = announce_obj(access=access)
    if access is None:
        del obj["access"]
    assert announcement_from_json(obj).access == "open"


@pytest.mark.parametrize("field", ["sessionId", "sessionName", "hostId", "hostName", "port",
                                   "memberCount", "maxMembers"])
def test_json_missing_a_required_field_is_ignored(field):
    obj = announce_obj()
    del obj[field]
    assert announcement_from_json(obj) is None


@pytest.mark.parametrize("changes", [
    {"type": DISCOVER}, {"type": BYE}, {"type": None},
    {"sessionId": "ABC23"}, {"sessionId": "ABC2345"}, {"sessionId": 123456}, {"sessionId": ""},
    {"sessionName": ""}, {"sessionName": 5}, {"sessionName": "a\nb"}, {"sessionName": "x" * 257},
    {"hostName": None}, {"hostName": "\x00"}, {"hostId": ["h"]},
    {"port": 0}, {"port": 65536}, {"port": -1}, {"port": "8080"}, {"port": 8080.5},
    {"port": True}, {"port": None},
    {"memberCount": -1}, {"memberCount": 1.5}, {"memberCount": True}, {"memberCount": "1e3"},
    {"memberCount": "²"}, {"memberCount": "-1"}, {"memberCount": 100_001},
    {"maxMembers": None}, {"maxMembers": 2**60}, {"maxMembers": "1234567"},
])
def test_json_of_wrong_shape_is_ignored(changes):
    assert announcement_from_json(announce_obj(**changes)) is None


def test_names_at_the_limit_are_kept():
    long_name = "é" * 256
    assert announcement_from_json(announce_obj(sessionName=long_name)).session_name == long_name


# -- announcements from mDNS TXT --------------------------------------------------------
def test_txt_round_trip():
    a = make(member_count=4, max_members=12, access="approval")
    record = {k.encode(): v.encode() for k, v in a.txt_record().items()}
    assert announcement_from_txt(record, 8080) == a
    assert a.txt_record() == {"v": "1", "sessionId": "ABC234", "sessionName": "Friday",
                              "hostId": "host-1", "hostName": "Ana", "memberCount": "4",
                              "maxMembers": "12", "access": "approval"}


def test_txt_port_comes_from_the_srv_record():
    assert announcement_from_txt(txt(), 9999).port == 9999


def test_txt_with_str_keys_and_unknown_extra_keys_is_read():
    record = {k.decode(): v for k, v in txt().items()}
    record["colour"] = b"blue"
    assert announcement_from_txt(record, 8080) == make()


def test_txt_utf8_names_are_decoded():
    record = txt(sessionName="Fête 🎉".encode(), hostName="Zoë".encode())
    a = announcement_from_txt(record, 8080)
    assert (a.session_name, a.host_name) == ("Fête 🎉", "Zoë")


@pytest.mark.parametrize("record", [
    {},
    {b"": None},
    txt(v="2"), txt(v=None), txt(v=""), txt(v=b"\xff"),
    txt(sessionId=None), txt(sessionId="AB"), txt(sessionId=b"\xff\xfe\xfd\xfc\xfb\xfa"),
    txt(sessionName=b"\xc3"), txt(sessionName=None), txt(sessionName=""),
    txt(hostName="bad\x07name"), txt(hostId=None),
    txt(memberCount="many"), txt(memberCount=None), txt(memberCount="-3"), txt(memberCount=b"\xb2"),
    txt(memberCount="²".encode()), txt(memberCount="1234567"),
    txt(maxMembers=" 8"), txt(maxMembers="8.0"),
])
def test_malformed_txt_is_ignored(record):
    if record == {}:
        assert announcement_from_txt({}, 8080) is None
        return
    assert announcement_from_txt(record, 8080) is None


@pytest.mark.parametrize("port", [0, -1, 65536, None])
def test_txt_with_a_bad_port_is_ignored(port):
    assert announcement_from_txt(txt(), port) is None


def test_txt_without_the_v_key_is_ignored():
    record = txt()
    del record[b"v"]
    assert announcement_from_txt(record, 8080) is None


# -- datagrams -------------------------------------------------------------------------
def test_our_three_datagram_types_are_parsed():
    discover = {"type": DISCOVER, "v": 1}
    bye = {"type": BYE, "v": 1, "sessionId": "ABC234"}
    assert parse_datagram(json.dumps(discover).encode()) == discover
    assert parse_datagram(json.dumps(bye).encode()) == bye
    assert parse_datagram(json.dumps(announce_obj()).encode()) == announce_obj()


@pytest.mark.parametrize("data", [
    b"", b"\x00", b"junk", b"\xff\xfe\xfd", b"null", b"42", b'"LOUDSYNC_DISCOVER"', b"[]",
    b'[{"type": "LOUDSYNC_DISCOVER", "v": 1}]', b"{}", b'{"type": "LOUDSYNC_DISCOVER"}',
    b'{"type": "LOUDSYNC_DISCOVER", "v": 2}', b'{"type": "LOUDSYNC_DISCOVER", "v": "1"}',
    b'{"type": "HELLO", "v": 1}', b'{"type": null, "v": 1}', b'{"type": ["LOUDSYNC_BYE"], "v": 1}',
    b'{"type": "LOUDSYNC_DISCOVER", "v": 1', b"\xef\xbb\xbf{\"type\": \"x\"}",
    b"[" * 4000, b'{"a":' * 1000 + b"1" + b"}" * 1000,
])
def test_junk_datagrams_are_noise(data):
    assert parse_datagram(data) is None


def test_a_lone_surrogate_in_a_name_is_rejected():
    data = json.dumps(announce_obj(sessionName="\udc80")).encode()  # json escapes it: \\udc80
    obj = parse_datagram(data)
    assert obj is not None and announcement_from_json(obj) is None


def test_oversized_datagrams_are_dropped_even_if_valid():
    padding = MAX_DATAGRAM_BYTES
    big = json.dumps({**announce_obj(), "pad": "x" * padding}).encode()
    assert len(big) > MAX_DATAGRAM_BYTES
    assert parse_datagram(big) is None
    assert parse_datagram(b" " * (1 << 20)) is None


def test_a_datagram_at_the_size_limit_is_read():
    obj = {"type": DISCOVER, "v": 1, "pad": ""}
    obj["pad"] = "x" * (MAX_DATAGRAM_BYTES - len(json.dumps(obj).encode()))
    data = json.dumps(obj).encode()
    assert len(data) == MAX_DATAGRAM_BYTES
    assert parse_datagram(data) == obj


def test_bye_session_id():
    assert bye_session_id({"type": BYE, "v": 1, "sessionId": "ABC234"}) == "ABC234"
    assert bye_session_id({"type": BYE, "v": 1}) is None
    assert bye_session_id({"type": BYE, "v": 1, "sessionId": 123456}) is None
    assert bye_session_id({"type": BYE, "v": 1, "sessionId": "ABC2345"}) is None
    assert bye_session_id({"type": BYE, "v": 1, "sessionId": ""}) is None
    assert bye_session_id(announce_obj()) is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_parse_datagram_never_raises(data):
    result = parse_datagram(data)
    assert result is None or result["type"] in (ANNOUNCE, DISCOVER, BYE)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({}, optional={
    "sessionId": _json_values | st.text(min_size=6, max_size=6),
    "sessionName": _json_values, "hostId": _json_values, "hostName": _json_values,
    "port": _json_values, "memberCount": _json_values | st.text(max_size=4),
    "maxMembers": _json_values | st.text(max_size=4), "access": _json_values}))
def test_announcement_from_json_never_raises(fields):
    a = announcement_from_json({"type": ANNOUNCE, "v": 1, **fields})
    assert a is None or (len(a.session_id) == 6 and 0 < a.port < 65536
                         and a.access in ("open", "pin", "approval"))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([b"v", b"sessionId", b"sessionName", b"hostId", b"hostName",
                                        b"memberCount", b"maxMembers", b"access", b"\xff", b""]),
                       st.none() | st.binary(max_size=10) | st.text(max_size=6).map(str.encode)),
       st.integers(-5, 70000))
def test_announcement_from_txt_never_raises(record, port):
    base = txt()
    base.update(record)
    a = announcement_from_txt(base, port)
    assert a is None or isinstance(a, Announcement)


# -- address ordering -------------------------------------------------------------------
def test_addresses_that_answered_come_first_then_our_subnet():
    ordered = order_addresses(["10.8.0.5"], ["172.17.0.1", "10.8.0.5", "192.168.1.20", "bogus"],
                              [LAN])
    assert ordered == ("10.8.0.5", "192.168.1.20", "172.17.0.1", "bogus")


def test_address_order_is_stable_and_without_duplicates():
    assert order_addresses(["b", "a", "b"], [], []) == ("b", "a")
    assert order_addresses(["10.0.0.2"], ["10.0.0.2", "10.0.0.1"], []) == ("10.0.0.2", "10.0.0.1")
    nets = [ipaddress.IPv4Network("10.0.0.0/8"), LAN]
    assert order_addresses([], ["8.8.8.8", "192.168.1.9", "9.9.9.9", "10.1.1.1"], nets) == \
        ("192.168.1.9", "10.1.1.1", "8.8.8.8", "9.9.9.9")


# -- the table: found, updated, lost, merged ---------------------------------------------
def test_first_sighting_is_found_then_silent_refreshes_are_not_events():
    table = DiscoveryTable()
    [found] = table.udp_seen(make(), "192.168.1.20", 0)
    assert isinstance(found, SessionFound)
    s = found.session
    assert (s.session_id, s.address, s.addresses, s.via, s.via_label, s.last_heard) == \
        ("ABC234", "192.168.1.20", ("192.168.1.20",), frozenset({VIA_UDP}), "udp", 0)
    assert table.udp_seen(make(), "192.168.1.20", 1000) == []
    assert table.get("ABC234").last_heard == 1000
    assert table.sessions == [table.get("ABC234")]


def test_a_changed_announcement_is_an_update():
    table = DiscoveryTable()
    table.udp_seen(make(), "192.168.1.20", 0)
    [updated] = table.udp_seen(make(member_count=2), "192.168.1.20", 500)
    assert isinstance(updated, SessionUpdated)
    assert updated.session.announcement.member_count == 2
    [updated] = table.udp_seen(make(member_count=2, session_name="Saturday"), "192.168.1.20", 600)
    assert updated.session.announcement.session_name == "Saturday"


def test_udp_and_mdns_merge_into_one_party_seen_via_both():
    table = DiscoveryTable([LAN])
    [found] = table.mdns_seen(make(), ["172.17.0.1", "192.168.1.20"], 0)
    assert found.session.via_label == "mdns"
    assert found.session.addresses == ("192.168.1.20", "172.17.0.1")
    [updated] = table.udp_seen(make(), "192.168.1.20", 100)
    assert isinstance(updated, SessionUpdated)
    assert updated.session.via == frozenset({VIA_MDNS, VIA_UDP})
    assert updated.session.via_label == "both"
    assert len(table.sessions) == 1
    # UDP first, mDNS later: the same single party.
    other = DiscoveryTable([LAN])
    other.udp_seen(make(), "192.168.1.20", 0)
    [updated] = other.mdns_seen(make(), ["192.168.1.20", "10.8.0.5"], 50)
    assert updated.session.via_label == "both"
    assert updated.session.addresses == ("192.168.1.20", "10.8.0.5")


def test_udp_source_is_preferred_over_mdns_order():
    table = DiscoveryTable([LAN])
    table.mdns_seen(make(), ["192.168.1.20", "10.8.0.5"], 0)
    [updated] = table.udp_seen(make(), "10.8.0.5", 10)
    assert updated.session.addresses == ("10.8.0.5", "192.168.1.20")
    assert updated.session.address == "10.8.0.5"


def test_mdns_addresses_are_replaced_by_the_newest_record():
    table = DiscoveryTable()
    table.mdns_seen(make(), ["10.0.0.1", "10.0.0.2"], 0)
    [updated] = table.mdns_seen(make(), ["10.0.0.3"], 10)
    assert updated.session.addresses == ("10.0.0.3",)


def test_an_mdns_record_without_addresses_is_not_a_party():
    table = DiscoveryTable()
    assert table.mdns_seen(make(), [], 0) == []
    assert table.sessions == []


def test_two_parties_with_the_same_name_are_kept_apart():
    table = DiscoveryTable()
    table.udp_seen(make("ABC234"), "192.168.1.20", 0)
    [found] = table.udp_seen(make("XYZ789"), "192.168.1.20", 0)
    assert isinstance(found, SessionFound)
    assert sorted(s.session_id for s in table.sessions) == ["ABC234", "XYZ789"]


def test_bye_or_goodbye_drops_a_party_at_once_and_it_can_come_back():
    table = DiscoveryTable()
    table.udp_seen(make(), "192.168.1.20", 0)
    assert table.gone("ABC234", "Host ended the party") == [
        SessionLost("ABC234", "Host ended the party")]
    assert table.get("ABC234") is None and table.sessions == []
    assert table.gone("ABC234", "again") == []
    assert table.gone("NOPE99", "never seen") == []
    [found] = table.udp_seen(make(), "192.168.1.20", 10)
    assert isinstance(found, SessionFound)


def test_full_party_and_json_fields():
    s = DiscoveredSession(make(member_count=8, max_members=8), ("10.0.0.2", "10.0.0.3"),
                          frozenset({VIA_UDP, VIA_MDNS}), 0)
    assert s.is_full
    assert not DiscoveredSession(make(), ("10.0.0.2",), frozenset({VIA_UDP}), 0).is_full
    assert s.to_json_obj() == {
        "sessionId": "ABC234", "sessionName": "Friday", "hostId": "host-1", "hostName": "Ana",
        "address": "10.0.0.2", "addresses": ["10.0.0.2", "10.0.0.3"], "port": 8080,
        "memberCount": 8, "maxMembers": 8, "access": "open", "via": "both"}


# -- liveness: probes and expiry -----------------------------------------------------------
def test_probe_is_due_after_silence_and_only_once_at_a_time():
    table = DiscoveryTable()
    table.mdns_seen(make(), ["192.168.1.20"], 1000)
    assert table.due_probes(1000 + PROBE_AFTER_MS - 1) == []
    [due] = table.due_probes(1000 + PROBE_AFTER_MS)
    assert due.session_id == "ABC234"
    assert table.due_probes(1000 + PROBE_AFTER_MS + 100) == []   # already being probed
    assert table.probe_failed("ABC234") == []
    assert [s.session_id for s in table.due_probes(1000 + PROBE_AFTER_MS + 200)] == ["ABC234"]


def test_a_successful_probe_keeps_the_party_and_proves_its_address():
    table = DiscoveryTable([LAN])
    table.mdns_seen(make(), ["192.168.1.20", "10.8.0.5"], 0)
    table.due_probes(PROBE_AFTER_MS)
    [updated] = table.probe_ok(make(member_count=3), "10.8.0.5", 2000)
    assert updated.session.announcement.member_count == 3
    assert updated.session.addresses == ("10.8.0.5", "192.168.1.20")
    assert updated.session.via_label == "mdns"
    assert table.expire(2000 + LOST_AFTER_MS - 1) == []
    assert table.due_probes(2000 + PROBE_AFTER_MS - 1) == []
    assert len(table.due_probes(2000 + PROBE_AFTER_MS)) == 1


def test_probe_answers_for_unknown_parties_are_ignored():
    table = DiscoveryTable()
    assert table.probe_ok(make(), "192.168.1.20", 0) == []
    assert table.probe_failed("ABC234") == []
    assert table.sessions == []


def test_a_silent_party_is_lost_after_the_limit_well_within_5_s():
    assert PROBE_AFTER_MS < LOST_AFTER_MS <= 5000 - 1000  # room for one beacon interval
    table = DiscoveryTable()
    table.udp_seen(make(), "192.168.1.20", 0)
    table.udp_seen(make(), "192.168.1.20", 1000)     # a beacon refreshes it
    assert table.expire(1000 + LOST_AFTER_MS - 1) == []
    assert table.expire(1000 + LOST_AFTER_MS) == [SessionLost("ABC234", "Host stopped answering")]
    assert table.sessions == []
    assert table.expire(10_000) == []


def test_expiry_is_per_party():
    table = DiscoveryTable()
    table.udp_seen(make("ABC234"), "192.168.1.20", 0)
    table.udp_seen(make("XYZ789"), "192.168.1.21", 2000)
    assert table.expire(LOST_AFTER_MS) == [SessionLost("ABC234", "Host stopped answering")]
    assert [s.session_id for s in table.sessions] == ["XYZ789"]
    assert [s.session_id for s in table.due_probes(2000 + PROBE_AFTER_MS)] == ["XYZ789"]
