"""A hostile crowd against one host: a fuzzer (run as its own process, so the load it makes
is not the host's) and probe guests that time every heartbeat answer meanwhile.

(Test support: used by tests/net/test_hostile_crowds.py and bench/hostile.py; not part of
the app.)
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import sys
import time
from pathlib import Path

from testsupport.rawws import (SESSION_ID, RawGuest, join_payload, text_frame, ws_frame, ws_open,
                               ws_read)

ROOT = Path(__file__).resolve().parents[1]

FUZZ_SECONDS = 18.0        # how long the fuzz process keeps attacking, at least ...
FUZZ_MIN_FRAMES = 3_000    # ... and until it has sent this many frames
FUZZ_MIN_CONNECTIONS = 300  # ... over this many connections (a slow machine takes longer)
FUZZ_GIVE_UP_S = 240.0     # a deadline for that, so a stuck fuzzer fails instead of hanging
FUZZ_WORKERS = 24          # connections it keeps busy at once
FUZZ_MAX_FRAMES = 30_000   # and a bound on what it sends in all
PROBE_INTERVAL_S = 0.05    # a heartbeat reaches the host every 50 ms
FUZZ_SEED = 20251126

_WEIRD_TEXT = ["", " ", "\u202e\u0646\u0635", "\U0001f389" * 20, "a\u0301" * 30, "\x00", "\x1b[2J",
               "\ud800", "\udfff", "Ω" * 64, "Ω" * 65, "x" * 300, "\ufeffBOM", "\u2028", "null"]
_HOST_TYPES = ["WELCOME", "MEMBER_LIST", "MEMBER_JOINED", "MEMBER_LEFT", "MEMBER_UPDATED",
               "HEARTBEAT_ACK", "JOIN_PENDING", "ERROR", "SESSION_CLOSED"]


def _junk_value(rng: random.Random, depth: int = 0):
    """A random JSON value, biased to the shapes and edges the host parses."""
    pick = rng.randrange(12 if depth < 3 else 8)
    if pick == 0:
        return rng.choice([0, -1, 1, 2**53, 2**53 + 1, -(2**63), 10**400, 1.5, -0.0, 1e308])
    if pick == 1:
        return rng.choice([True, False, None])
    if pick in (2, 3, 4):
        return rng.choice(_WEIRD_TEXT)
    if pick == 5:
        return "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(1, 80)))
    if pick in (6, 7):
        return rng.randrange(-10**6, 10**13)
    if pick in (8, 9):
        keys = ["sessionId", "deviceId", "deviceName", "appVersion", "protocolVersion",
                "resumeToken", "pin", "sentAt", "reason", "member", "members", "code", "type",
                "payload", "timestamp", rng.choice(_WEIRD_TEXT)]
        return {rng.choice(keys): _junk_value(rng, depth + 1) for _ in range(rng.randrange(6))}
    return [_junk_value(rng, depth + 1) for _ in range(rng.randrange(5))]


def hostile_text(rng: random.Random, protected: list[str]) -> str:
    """One text frame's worth of trouble (valid UTF-8; sometimes valid JSON)."""
    kind = rng.randrange(14)
    if kind == 0:
        return rng.choice(["", "{", "}", "[]", "null", "42", '"JOIN"', "{'type': 'JOIN'}",
                           '{"type": "HEARTBEAT", "payload": {"sentAt": NaN}}',
                           '{"type": "HEARTBEAT", "payload": {"sentAt": Infinity}}',
                           '{"type":"HEARTBEAT","type":"LEAVE","payload":{}}', "\ufeff{}"])
    if kind == 1:
        depth = rng.choice([100, 1000, 20_000])
        return "[" * depth + "]" * depth
    if kind == 2:
        return '{"type": "HEARTBEAT", "payload": {"sentAt": ' + "9" * rng.choice([20, 5000]) + "}}"
    if kind == 3:
        return json.dumps({"type": rng.choice(_HOST_TYPES), "payload": _junk_value(rng)})
    if kind == 4:  # pretend to be the host, about a real member
        return json.dumps({"type": rng.choice(["MEMBER_LEFT", "MEMBER_UPDATED", "SESSION_CLOSED"]),
                           "payload": {"deviceId": rng.choice(protected), "reason": "pwned",
                                       "member": {"id": rng.choice(protected), "name": "x",
                                                  "role": "host",
                                                  "connectionStatus": "reconnecting",
                                                  "joinedAt": 0}}})
    if kind == 5:
        return json.dumps({"type": rng.choice(["JOIN", "HEARTBEAT", "LEAVE", "DANCE", "join"]),
                           "payload": _junk_value(rng)})
    if kind == 6:
        return json.dumps({"type": "JOIN", "payload": {
            "sessionId": rng.choice([SESSION_ID, "ZZZ999", "", "abc234"]),
            "deviceId": rng.choice(protected),
            "deviceName": rng.choice(_WEIRD_TEXT), "appVersion": "x",
            "resumeToken": rng.choice([None, "", "guess",
                                       base64.b64encode(os.urandom(18)).decode()]),
            "protocolVersion": rng.choice([1, 2, 0, -1, "1", True, 2**60])}})
    if kind == 7:
        return json.dumps({"type": "HEARTBEAT", "payload": {"sentAt": _junk_value(rng)},
                           "timestamp": _junk_value(rng)})
    if kind == 8:
        return json.dumps({"type": "DANCE" * rng.randrange(1, 3000), "payload": {}})
    if kind == 9:  # exactly at the size limit
        pad = 64 * 1024 - len('{"type":"HEARTBEAT","payload":{"sentAt":1},"pad":""}')
        return '{"type":"HEARTBEAT","payload":{"sentAt":1},"pad":"' + "p" * pad + '"}'
    if kind == 10:
        return "".join(chr(rng.randrange(1, 0xD7FF)) for _ in range(rng.randrange(1, 400)))
    return json.dumps(_junk_value(rng))


def framing_trouble(rng: random.Random) -> tuple[str, bytes]:
    """Bytes that break the WebSocket layer itself; the host must only drop that socket."""
    kind = rng.randrange(12)
    if kind == 0:
        return "oversized", ws_frame(0x1, b"x" * (64 * 1024 + rng.randrange(1, 10_000)))
    if kind == 1:
        return "huge length", ws_frame(0x2, b"", length=2**62)[:14]
    if kind == 2:
        return "bad utf-8", ws_frame(0x1, rng.choice([b"\xff\xfe", b'{"type":"\xc3"}',
                                                      b"\xed\xa0\x80"]))
    if kind == 3:
        return "reserved bits", ws_frame(0x1, b"{}", rsv=rng.randrange(1, 8))
    if kind == 4:
        return "unknown opcode", ws_frame(rng.choice([0x3, 0x7, 0xB, 0xF]), b"?")
    if kind == 5:
        return "unmasked", ws_frame(0x1, b'{"type":"HEARTBEAT","payload":{"sentAt":1}}', mask=False)
    if kind == 6:
        return "stray continuation", ws_frame(0x0, b"more")
    if kind == 7:
        return "long ping", ws_frame(0x9, b"p" * 200, length=126)
    if kind == 8:
        return "fragmented control", ws_frame(0x9, b"p", fin=False)
    if kind == 9:
        return "odd close", ws_frame(0x8, rng.choice([b"\x03", b"\x03\xe7", b"\x03\xed",
                                                      b"\x0f\xa0\xff"]))
    if kind == 10:
        return "half a frame", ws_frame(0x1, b"x" * 1000)[:rng.randrange(1, 900)]
    parts = [ws_frame(0x1, b'{"type":', fin=False), ws_frame(0x0, b'"HEART', fin=False)]
    return "fragments", b"".join(parts) + ws_frame(0x0, b'BEAT","payload":{"sentAt":1}}')


class Fuzzer:
    """Connections with bad intent against one host, bounded in time and in frames."""

    def __init__(self, port: int, seconds: float, seed: int, protected: list[str]) -> None:
        self.port, self.protected = port, protected
        self.rng = random.Random(seed)
        self.started = time.monotonic()
        self.seconds = seconds
        self.stats: dict[str, int] = {"frames": 0, "connections": 0, "bytes": 0}

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    def over(self) -> bool:
        """Done after ``seconds`` once the minimum attack was sent (or at a hard bound)."""
        ran = time.monotonic() - self.started
        enough = self.stats["frames"] >= FUZZ_MIN_FRAMES and \
            self.stats["connections"] >= FUZZ_MIN_CONNECTIONS
        return (ran > self.seconds and enough) or ran > FUZZ_GIVE_UP_S or \
            self.stats["frames"] >= FUZZ_MAX_FRAMES

    async def run(self) -> dict:
        await asyncio.gather(*(self._worker(i) for i in range(FUZZ_WORKERS)))
        return self.stats

    async def _worker(self, i: int) -> None:
        rng = random.Random(self.rng.random())
        scenarios = [self._joined] * 8 + [self._before_join] * 3 + [self._framing] * 3 + \
            [self._takeover] * 2 + [self._http] + [self._idle] + [self._slow_reader]
        while not self.over():
            scenario = rng.choice(scenarios)
            self.count("scenario " + scenario.__name__.strip("_"))
            try:
                await asyncio.wait_for(scenario(rng), 10)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ConnectionError):
                self.count("ended by the host or timed out")

    async def _open(self, rng: random.Random, drain: bool = True):
        reader, writer = await ws_open(self.port)
        self.count("connections")
        if drain:  # read (and drop) whatever the host says, so we are no slow reader
            asyncio.get_running_loop().create_task(self._drain(reader))
        return reader, writer

    async def _drain(self, reader: asyncio.StreamReader) -> None:
        try:
            while await reader.read(65536):
                pass
        except OSError:
            pass

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        self.count("frames")
        self.count("bytes", len(data))
        await asyncio.wait_for(writer.drain(), 5)

    async def _end(self, writer: asyncio.StreamWriter, rng: random.Random) -> None:
        if rng.random() < 0.5:
            writer.transport.abort()  # vanish
        else:
            writer.close()

    async def _joined(self, rng: random.Random) -> None:
        reader, writer = await self._open(rng)
        name = rng.choice(["Fuzz", "\U0001f3a7 DJ", "\u202eevil", "x" * 64, "Ünïcödé"])
        await self._send(writer, text_frame(join_payload(f"fz-{rng.randrange(10**9)}",
                                                         deviceName=name)))
        for _ in range(rng.randrange(3, 40)):
            roll = rng.random()
            if roll < 0.35:
                frame = text_frame({"type": "HEARTBEAT",
                                    "payload": {"sentAt": rng.randrange(10**12)}})
            elif roll < 0.85:
                text = hostile_text(rng, self.protected)
                frame = ws_frame(0x1, text.encode("utf-8", "surrogatepass"))
            elif roll < 0.95:
                frame = ws_frame(0x2, os.urandom(rng.randrange(0, 300)))
            else:
                frame = text_frame({"type": "LEAVE",
                                    "payload": {"reason": rng.choice(_WEIRD_TEXT)}})
            await self._send(writer, frame)
            await asyncio.sleep(rng.uniform(0, 0.03))
        if rng.random() < 0.3:
            await self._send(writer, framing_trouble(rng)[1])
        await self._end(writer, rng)

    async def _before_join(self, rng: random.Random) -> None:
        reader, writer = await self._open(rng)
        for _ in range(rng.randrange(1, 4)):
            roll = rng.random()
            data = ws_frame(0x2, os.urandom(40)) if roll < 0.2 else \
                ws_frame(0x1, hostile_text(rng, self.protected).encode("utf-8", "surrogatepass"))
            await self._send(writer, data)
        await asyncio.sleep(rng.uniform(0, 0.2))
        await self._end(writer, rng)

    async def _framing(self, rng: random.Random) -> None:
        reader, writer = await self._open(rng)
        if rng.random() < 0.5:
            await self._send(writer, text_frame(join_payload(f"fz-{rng.randrange(10**9)}")))
        kind, data = framing_trouble(rng)
        self.count("framing " + kind)
        await self._send(writer, data)
        await asyncio.sleep(rng.uniform(0, 0.3))
        await self._end(writer, rng)

    async def _takeover(self, rng: random.Random) -> None:
        """JOIN as a real member (guessing its token): must get ALREADY_JOINED."""
        reader, writer = await self._open(rng, drain=False)
        token = rng.choice([{}, {"resumeToken": base64.urlsafe_b64encode(os.urandom(18)).decode()},
                            {"resumeToken": ""}])
        await self._send(writer, text_frame(join_payload(rng.choice(self.protected), **token)))
        opcode, payload = await asyncio.wait_for(ws_read(reader), 5)
        if opcode == 0x8:  # closed before the JOIN was read: evicted as the oldest waiting
            self.count(f"takeover closed {int.from_bytes(payload[:2], 'big')}")
        else:
            answer = json.loads(payload)
            self.count("takeover answered " + answer.get("payload", {}).get("code", answer["type"]))
        writer.transport.abort()

    async def _http(self, rng: random.Random) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.count("connections")
        junk = rng.choice([b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + os.urandom(60),
                           b"GET /session HTTP/1.1\r\nHost: x\r\n\r\n",
                           b"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           b"Sec-WebSocket-Key: nope\r\nSec-WebSocket-Version: 99\r\n\r\n",
                           b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\nxx",
                           b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n",
                           os.urandom(rng.randrange(1, 2000))])
        await self._send(writer, junk)
        try:
            await asyncio.wait_for(reader.read(65536), rng.uniform(0.05, 1))
        except TimeoutError:
            pass
        writer.transport.abort()

    async def _idle(self, rng: random.Random) -> None:
        reader, writer = await self._open(rng)
        await asyncio.sleep(rng.uniform(0.2, 2))
        writer.transport.abort()

    async def _slow_reader(self, rng: random.Random) -> None:
        """Joins, then talks fast and never reads: the rate limit must cut it off."""
        reader, writer = await self._open(rng, drain=False)
        await self._send(writer, text_frame(join_payload(f"fz-slow-{rng.randrange(10**9)}")))
        for k in range(250):
            await self._send(writer, text_frame({"type": "HEARTBEAT", "payload": {"sentAt": k}}))
            if k % 25 == 0:
                await asyncio.sleep(0.01)
        writer.transport.abort()


def fuzz_main(argv: list[str]) -> None:
    """``python -m testsupport.hostile PORT SECONDS SEED PROTECTED_ID...`` (from the
    repository's root): attack; print the statistics as one JSON line."""
    port, seconds, seed, *protected = argv

    async def main() -> dict:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda *_: None)  # drained sockets the host reset
        stats = await Fuzzer(int(port), float(seconds), int(seed), protected).run()
        for task in asyncio.all_tasks() - {asyncio.current_task()}:
            task.cancel()
        return stats

    print(json.dumps(asyncio.run(main())), flush=True)


class Probe:
    """A real guest that heartbeats on a fixed schedule and times every HEARTBEAT_ACK."""

    def __init__(self, raw: RawGuest, device_id: str) -> None:
        self.raw, self.device_id = raw, device_id
        self.sent: dict[int, float] = {}
        self.latencies: list[float] = []
        self.late_sends: list[float] = []   # how late our own loop let us send
        self.other_frames: list[dict] = []
        self.closed: str | None = None

    async def read(self) -> None:
        try:
            while True:
                frame = json.loads(await self.raw.ws.recv())
                now = time.monotonic()
                if frame["type"] == "HEARTBEAT_ACK":
                    self.latencies.append(now - self.sent.pop(frame["payload"]["sentAt"]))
                else:
                    self.other_frames.append(frame)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.closed = repr(exc)

    async def beat(self, stop: asyncio.Event, offset: float, interval: float) -> None:
        loop = asyncio.get_running_loop()
        k = 0
        due = loop.time() + offset
        while not stop.is_set():
            await asyncio.sleep(max(0.0, due - loop.time()))
            self.late_sends.append(loop.time() - due)
            k += 1
            # Timed from when it was due, not from when this loop (which the host shares)
            # got round to sending it: a stall of the host cannot hide in a late send.
            self.sent[k] = time.monotonic() - (loop.time() - due)
            await self.raw.send("HEARTBEAT", {"sentAt": k})
            # The next one a full interval after this one (never bunched after a stall:
            # the host cuts off more than 200 frames in 10 s, i.e. one per 50 ms).
            due = max(due + interval, loop.time() + interval * 0.9)


async def join_probes(port: int, count: int = 2) -> list[Probe]:
    """``count`` probe guests (``probe-0``...), joined and listed."""
    probes = []
    for i in range(count):
        raw = await RawGuest.connect(port)
        welcome = await raw.join(SESSION_ID, f"probe-{i}")
        assert welcome["type"] == "WELCOME", welcome
        await raw.expect("MEMBER_LIST")
        probes.append(Probe(raw, f"probe-{i}"))
    return probes


async def heartbeats_under_attack(port: int, protected: list[str], probes: list[Probe], *,
                                  seconds: float = FUZZ_SECONDS, seed: int = FUZZ_SEED,
                                  attack: bool = True) -> dict:
    """The probes heartbeat (together one every PROBE_INTERVAL_S, each never near the host's
    abuse limit) while a fuzz process attacks the host on ``port``, sparing nobody but never
    leaving as ``protected`` members; with ``attack=False``, for ``seconds`` of quiet (a
    baseline). Returns the fuzzer's statistics ({} without an attack)."""
    stop = asyncio.Event()
    every = len(probes) * PROBE_INTERVAL_S
    beats = [asyncio.create_task(p.beat(stop, i * PROBE_INTERVAL_S, every))
             for i, p in enumerate(probes)]
    try:
        if not attack:
            await asyncio.sleep(seconds)
            return {}
        fuzz = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "testsupport.hostile", str(port), str(seconds), str(seed),
            *protected, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(fuzz.communicate(), FUZZ_GIVE_UP_S + 30)
        finally:
            if fuzz.returncode is None:
                fuzz.kill()
                await fuzz.wait()
        if fuzz.returncode != 0:
            raise AssertionError(f"the fuzz process failed ({fuzz.returncode}): "
                                 f"{err.decode()[-2000:]}")
        return json.loads(out)
    finally:
        stop.set()
        await asyncio.gather(*beats)


if __name__ == "__main__":
    fuzz_main(sys.argv[1:])
