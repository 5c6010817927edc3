"""A tiny mDNS client written from RFC 6762/1035 with the standard library, independent of zeroconf.

It sends a one-shot ("legacy unicast") query from an ephemeral port, to the mDNS group or to
one host's port 5353, and reads the unicast answers on the same socket. Sent to the group,
the query reaches every mDNS responder on the link, and every one of several on one
machine: unlike a unicast query to port 5353, which the kernel hands to just one of the
sockets sharing that port.

    python -m tests.lan.mdnsquery NAME TYPE [--to ADDR] [--iface ADDR]   (prints JSON)
"""

from __future__ import annotations

import argparse
import json
import os
import select
import socket
import struct
import time

MDNS_GROUP = "224.0.0.251"
MDNS_PORT = 5353
TYPES = {"A": 1, "PTR": 12, "TXT": 16, "SRV": 33, "ANY": 255}
TYPE_NAMES = {v: k for k, v in TYPES.items()}


def build_query(name: str, qtype: str, query_id: int) -> bytes:
    header = struct.pack("!HHHHHH", query_id, 0, 1, 0, 0, 0)
    labels = b"".join(bytes([len(part)]) + part
                      for part in (p.encode() for p in name.rstrip(".").split(".")))
    return header + labels + b"\x00" + struct.pack("!HH", TYPES[qtype], 1)


def _name(data: bytes, offset: int) -> tuple[str, int]:
    """A possibly compressed domain name at ``offset`` -> (name, offset after it)."""
    labels: list[str] = []
    end = None
    for _ in range(128):  # no pointer loops
        length = data[offset]
        if length == 0:
            offset += 1
            break
        if length & 0xC0 == 0xC0:
            if end is None:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | data[offset + 1]
            continue
        labels.append(data[offset + 1:offset + 1 + length].decode("utf-8", "replace"))
        offset += 1 + length
    return ".".join(labels) + ".", end if end is not None else offset


def parse_response(data: bytes) -> dict:
    query_id, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", data[:12])
    offset = 12
    for _ in range(qd):
        _, offset = _name(data, offset)
        offset += 4
    records = []
    for section, count in (("answer", an), ("authority", ns), ("additional", ar)):
        for _ in range(count):
            name, offset = _name(data, offset)
            rtype, rclass, ttl, length = struct.unpack("!HHIH", data[offset:offset + 10])
            offset += 10
            rdata = data[offset:offset + length]
            value: object
            if rtype == TYPES["A"]:
                value = socket.inet_ntoa(rdata)
            elif rtype == TYPES["PTR"]:
                value = _name(data, offset)[0]
            elif rtype == TYPES["SRV"]:
                priority, weight, port = struct.unpack("!HHH", rdata[:6])
                value = {"priority": priority, "weight": weight, "port": port,
                         "target": _name(data, offset + 6)[0]}
            elif rtype == TYPES["TXT"]:
                items, i = [], 0
                while i < len(rdata):
                    items.append(rdata[i + 1:i + 1 + rdata[i]].decode("utf-8", "replace"))
                    i += 1 + rdata[i]
                value = items
            else:
                value = rdata.hex()
            records.append({"section": section, "name": name,
                            "type": TYPE_NAMES.get(rtype, str(rtype)),
                            "class": rclass & 0x7FFF, "ttl": ttl, "value": value})
            offset += length
    return {"id": query_id, "flags": flags, "records": records}


def query(name: str, qtype: str, *, to: str = MDNS_GROUP, iface: str | None = None,
          timeout: float = 1.0) -> list[dict]:
    """Every answer that arrives within ``timeout`` (stops at the first one with an answer).

    Each answer: ``{"source": ip, "id": ..., "records": [...]}``.
    """
    query_id = int.from_bytes(os.urandom(2), "big")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((iface or "0.0.0.0", 0))
        if iface:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(iface))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
        sock.sendto(build_query(name, qtype, query_id), (to, MDNS_PORT))
        answers = []
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([sock], [], [], left)
            if not ready:
                break
            data, (source, _) = sock.recvfrom(9000)
            try:
                parsed = parse_response(data)
            except (struct.error, IndexError, ValueError):
                continue
            if parsed["id"] != query_id:
                continue
            answers.append({"source": source, **parsed})
            if any(r["section"] == "answer" for r in parsed["records"]):
                break
        return answers
    finally:
        sock.close()


def txt_dict(answers: list[dict], name: str) -> dict[str, str]:
    """The TXT of ``name`` from ``query`` answers, as key -> value (last answer wins)."""
    found: dict[str, str] = {}
    for answer in answers:
        for record in answer["records"]:
            if record["type"] == "TXT" and record["name"].lower() == name.lower():
                found = dict(item.split("=", 1) if "=" in item else (item, "")
                             for item in record["value"])
    return found


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("type", choices=sorted(TYPES))
    parser.add_argument("--to", default=MDNS_GROUP)
    parser.add_argument("--iface")
    parser.add_argument("--timeout", type=float, default=1.0)
    args = parser.parse_args()
    print(json.dumps(query(args.name, args.type, to=args.to, iface=args.iface,
                           timeout=args.timeout)))
