"""One laptop's part in a synchronised-playback party on the simulated LAN, as JSON lines.

Run on a laptop of the test LAN (tests/lan/netlab.py), never in the machine's own namespace::

    ip netns exec NS python tests/lan/playback_probe.py host  --track T.wav --commands FIFO
    ip netns exec NS python tests/lan/playback_probe.py relay --target 10.77.0.1:PORT --jitter-ms 5
    ip netns exec NS python tests/lan/playback_probe.py guest --connect 127.0.0.1:P --session-id S

Roles:

``host``
    A HostServer on 0.0.0.0, port 0, not advertised (the CLI's ``--no-discovery``), a
    HostPlayback streaming in ``--codec`` (the app's default unless told) a ``--buffer-ms``
    lead ahead, with its own PlaybackEngine and TestOutputDevice, and the track queued
    (``--track``, or a generated ramp, testsupport.measure.write_test_tone). It presses Play when
    told (a line ``play`` in the ``--commands`` FIFO; also ``pause``, ``seek MS``,
    ``quit``), or by itself once ``--play-when-guests N`` playback guests have joined.
    ``--heartbeat-timeout S`` shortens how long a silent guest keeps its connection (the
    CLI's option). Prints ``hosting`` (port, sessionId, its clock), ``track``, ``member``
    (with ``playback``: whether it listed playback/2), ``pressed`` (raw ns of the press and
    of the instant the change takes effect, and the new state's ``startAtUs``: the host time
    at which track position 0 plays) and ``played`` lines.
``guest``
    A GuestLink listing ``playback/2``, a GuestPlayback and a TestOutputDevice, with a clock
    of its own (``--offset-ms``, ``--drift-ppm``) and a sound card whose crystal is off
    (``--card-ppm``). Prints ``welcome``, ``ready`` (it has the host's STREAM_START, can
    decode that codec, and its clock is synced enough to sound), ``sync`` (its estimate of
    the host's clock, and the clock exchanges since the last ``sync``) and ``played``
    lines.
``relay``
    A TCP relay for the guest's connection, run on the guest's laptop between the guest
    and the host's address: every chunk, in each direction, is held back by a random
    0..``--jitter-ms`` ms, order kept (jitter, which this kernel cannot add: no netem).

``played`` lines carry ``rows``, one per period:
``[ns, filled, start, count, correction, resynced, first, last]``: ``ns`` is
``time.monotonic_ns()`` at which its first frame left the (test) speaker, the same kernel
clock in every namespace of this machine, so the rows of different processes compare
exactly; ``start`` is its first frame on the stream's timeline (host time in µs x 48 kHz
/ 1e6), ``count`` its frames, ``correction`` the frame dropped (+1) or repeated (-1) at
``count // 2``, ``filled`` how many of its frames were audio (the rest silence: no chunk
for them). ``first`` and ``last`` are the left samples of its first and last frame as
emitted (what the speaker got, not what the engine meant): with a lossless codec and the
ramp, they say which track position it played. A device that is not yet ready (its
clock not synced) plays silence without planning: ``filled`` 0, ``start`` null.

Every role ends by itself after ``--lifetime`` seconds (a watchdog exits the process a few
seconds later if it hangs), on SIGTERM or SIGINT, or on ``quit``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):   # run as a script: the repository on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from loudsync_desktop.audio.devices import TestOutputDevice  # noqa: E402
from loudsync_desktop.clock import SystemClock  # noqa: E402
from loudsync_desktop.protocol.stream import CODECS, DEFAULT_CODEC, DEFAULT_LEAD_US  # noqa: E402
from loudsync_desktop.protocol.messages import LOST_MS_FIELD  # noqa: E402
from loudsync_desktop.protocol.stream import FEATURE, STREAM_WATCH_MS  # noqa: E402

REPORT_EVERY_S = 0.25


def say(event: str, **fields) -> None:
    print(json.dumps({"event": event, "ns": time.monotonic_ns(), **fields}), flush=True)


def address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


def clock_line(clock: SystemClock, drift_ppm: float) -> dict:
    """Where this clock stands against the raw monotonic clock: reading = us + (n - ns) * rate."""
    n = time.monotonic_ns()
    return {"ns": n, "us": clock.reading_at(n) * 1000, "rate": 1 + drift_ppm / 1e6}


class Recorder:
    """Every period the device played, stamped with raw monotonic ns, and what it emitted.

    Start the device with ``recorder.render``: the engine's render, its output's first and
    last sample kept for the row that the device's emission then completes."""

    def __init__(self, engine, device: TestOutputDevice) -> None:
        self._engine_render = engine.render
        self._period_seen = None
        self._samples: tuple[int, int] | None = None
        self._rows: list[list] = []
        self._lock = threading.Lock()
        engine.on_period = self._period
        device.on_emit = self._emitted

    def render(self, frames: int, leave_local_us: float) -> bytes:   # the device's thread
        self._period_seen = None
        out = self._engine_render(frames, leave_local_us)
        samples = memoryview(out).cast("h")
        self._samples = (samples[0], samples[-2]) if len(samples) >= 2 else None
        return out

    def _period(self, period, host_us: float) -> None:   # inside render
        self._period_seen = period

    def _emitted(self, emitted) -> None:   # the device's thread, right after render
        p, self._period_seen = self._period_seen, None
        first, last = self._samples or (None, None)
        self._samples = None
        if p is not None:
            row = [emitted.true_ns, p.filled, p.start, p.count, p.correction, int(p.resynced),
                   first, last]
        else:   # not ready: the engine played silence without planning
            row = [emitted.true_ns, 0, None, emitted.frames, 0, 0, first, last]
        with self._lock:
            self._rows.append(row)

    def take(self) -> list[list]:
        with self._lock:
            rows, self._rows = self._rows, []
        return rows


def watchdog(seconds: float) -> None:
    """Exit the process, whatever it is doing, ``seconds`` from now."""
    timer = threading.Timer(seconds, lambda: os._exit(3))
    timer.daemon = True
    timer.start()


async def until_stopped(stop: asyncio.Event, lifetime: float) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), lifetime)
    except TimeoutError:
        say("lifetime-over")


# -- host ---------------------------------------------------------------------------------------
async def run_host(args: argparse.Namespace) -> None:
    from loudsync_desktop.audio.engine import PlaybackEngine
    from testsupport.measure import write_test_tone
    from loudsync_desktop.net.playback_host import HostPlayback
    from loudsync_desktop.net.server import HostServer
    from loudsync_desktop.protocol import events as ev
    from loudsync_desktop.protocol.host import HostConfig

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    clock = SystemClock(args.offset_ms, args.drift_ppm)
    # No discovery: nothing advertised, the guests are given the address.
    config = HostConfig(session_id=args.session_id, max_members=args.max_members)
    if args.heartbeat_timeout:
        config = dataclasses.replace(config,
                                     heartbeat_timeout_ms=int(args.heartbeat_timeout * 1000))
    server = HostServer(config, port=0, bind=args.bind, clock=clock)
    lead_us = args.buffer_ms * 1000
    engine = PlaybackEngine(lead_us=lead_us)
    playback = HostPlayback(server, engine, codec=args.codec, lead_us=lead_us)
    device = TestOutputDevice(clock, args.card_ppm)
    recorder = Recorder(engine, device)
    reporter = None
    streaming: set[str] = set()        # joined guests that listed playback/2
    joined_streaming = asyncio.Event()

    def to_ns(host_us: float) -> int:
        """The raw monotonic instant at which this host's clock shows ``host_us``."""
        n = time.monotonic_ns()
        return n + round((host_us / 1000 - clock.reading_at(n)) / (1 + args.drift_ppm / 1e6) * 1e6)

    def on_event(event: object) -> None:
        member = getattr(event, "member", None)
        if isinstance(event, (ev.MemberJoined, ev.MemberLeft, ev.MemberResumed)):
            listed = server.core.has_feature(member.id, FEATURE)
            if isinstance(event, ev.MemberLeft):
                streaming.discard(member.id)
            elif listed:
                streaming.add(member.id)
            say("member", what=type(event).__name__, id=member.id, playback=listed)
            joined_streaming.set()

    def press(what: str, argument: str = "") -> None:
        pressed = time.monotonic_ns()
        if what == "play":
            playback.play()
        elif what == "pause":
            playback.pause()
        elif what == "seek":
            playback.seek(int(argument))
        elif what == "quit":
            stop.set()
            return
        else:
            say("unknown-command", what=what)
            return
        state = playback.state
        say("pressed", what=what, argument=argument, pressedNs=pressed, seq=state.seq,
            playing=state.playing, positionMs=state.position_ms,
            effectiveAtUs=state.effective_at_us, startAtUs=state.start_at_us,
            effectiveNs=to_ns(state.effective_at_us))

    def read_commands(path: str) -> None:   # a thread
        # O_RDWR: the FIFO never reports end of file when a writer closes it.
        with os.fdopen(os.open(path, os.O_RDWR), "r") as commands:
            for line in commands:
                words = line.split()
                if words:
                    loop.call_soon_threadsafe(press, words[0], " ".join(words[1:]))

    async def report() -> None:
        while True:
            await asyncio.sleep(REPORT_EVERY_S)
            rows = recorder.take()
            if rows:
                say("played", rows=rows)

    async def play_when_guests_joined(count: int) -> None:
        """Play once ``count`` guests that stream (playback/2) are in the party."""
        while len(streaming) < count:
            joined_streaming.clear()
            await joined_streaming.wait()
        press("play")

    try:
        await server.start()
        server.add_listener(on_event)
        say("hosting", port=server.port, sessionId=args.session_id,
            clock=clock_line(clock, args.drift_ppm))
        device.start(recorder.render)
        reporter = loop.create_task(report())
        track_path = args.track
        if track_path is None:
            track_path = str(Path(tempfile.mkdtemp(prefix="probe-")) / "tone.wav")
            await asyncio.to_thread(write_test_tone, track_path, args.tone_seconds)
        track = await playback.add_file(track_path)
        say("track", trackId=track.track_id, durationMs=track.duration_ms, size=track.size,
            codec=args.codec, leadMs=args.buffer_ms)
        if args.commands:
            threading.Thread(target=read_commands, args=(args.commands,), daemon=True).start()
        auto = None
        if args.play_when_guests:
            auto = loop.create_task(play_when_guests_joined(args.play_when_guests))
        await until_stopped(stop, args.lifetime)
        if auto is not None:
            auto.cancel()
    finally:
        device.stop()
        if reporter is not None:
            reporter.cancel()
        rows = recorder.take()
        if rows:
            say("played", rows=rows)
        await playback.stop()
        await server.stop()
        say("bye")


# -- guest --------------------------------------------------------------------------------------
async def run_guest(args: argparse.Namespace) -> None:
    from loudsync_desktop.net.client import HostUnreachable
    from loudsync_desktop.net.guest_link import GuestLink
    from loudsync_desktop.net.playback_guest import GuestPlayback
    from loudsync_desktop.protocol import guest as g

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    clock = SystemClock(args.offset_ms, args.drift_ppm)
    gp = GuestPlayback(clock)
    device = TestOutputDevice(clock, args.card_ppm)
    recorder = Recorder(gp.engine, device)
    welcomed = asyncio.Event()
    host, port = address(args.connect)

    def on_event(event: object) -> None:
        if isinstance(event, g.Welcomed):
            welcomed.set()
        say("link", what=type(event).__name__)

    link = GuestLink(session_id=args.session_id, device_id=args.name, device_name=args.name,
                     app_version="playback-probe", host=host, port=port, clock=clock,
                     features=(FEATURE,), on_frame=gp.on_frame, on_event=on_event,
                     policy=g.ReconnectPolicy(delays_ms=(0, 200, 500)))

    async def run_link() -> object:
        for attempt in range(5):   # a lost SYN or a slow start: try the first join again
            try:
                return await link.run()
            except HostUnreachable as exc:
                say("unreachable", attempt=attempt, reason=str(exc))
                await asyncio.sleep(0.3)
        stop.set()
        return None

    async def report() -> None:
        told_ready = False
        told_unplayable = None
        last_sync = 0.0
        last_sample = float("-inf")
        while True:
            await asyncio.sleep(REPORT_EVERY_S)
            rows = recorder.take()
            if rows:
                say("played", rows=rows)
            # Ready: it knows the stream (and can decode it) and its clock, so it can sound.
            if not told_ready and gp.stream is not None and gp.unplayable is None and \
                    gp.engine.ready():
                told_ready = True
                say("ready", codec=gp.stream.codec, leadMs=gp.stream.lead_ms,
                    tracks=[t.track_id for t in gp.state.queue])
            elif gp.unplayable is not None and gp.unplayable != told_unplayable:
                told_unplayable = gp.unplayable
                say("unplayable", reason=gp.unplayable)
            if loop.time() - last_sync >= 1.0 and gp.sync.synced:
                last_sync = loop.time()
                n = time.monotonic_ns()
                # The exchanges since the last line: [guest clock us, offset us, round trip us].
                fresh = [[round(x.local_us), round(x.offset_us, 1), round(x.rtt_us)]
                         for x in gp.sync.samples if x.local_us > last_sample]
                if fresh:
                    last_sample = fresh[-1][0]
                say("sync", at=n, hostUs=gp.sync.host_us(clock.reading_at(n) * 1000),
                    samplesUsed=gp.sync.samples_used, bestRttUs=gp.sync.best_rtt_us,
                    driftPpm=gp.sync.drift_ppm, errorMs=gp.engine.sync_error_ms,
                    lateChunks=gp.engine.buffer.late, badChunks=gp.bad_chunks,
                    lostMs=gp.health.fields(0)[LOST_MS_FIELD],
                    exchanges=fresh)

    link_task = loop.create_task(run_link())
    reporter = None
    try:
        waiter = loop.create_task(welcomed.wait())
        await asyncio.wait({waiter, link_task}, timeout=args.lifetime,
                           return_when=asyncio.FIRST_COMPLETED)
        if not welcomed.is_set():
            waiter.cancel()
            say("not-welcomed", result=repr(link_task.result()) if link_task.done() else None)
            return
        say("welcome", clock=clock_line(clock, args.drift_ppm))
        gp.attach(link.send_text)
        link.watch_stream(STREAM_WATCH_MS)   # as the app's GuestController does
        device.start(recorder.render)
        reporter = loop.create_task(report())
        link_task.add_done_callback(lambda _: stop.set())
        await until_stopped(stop, args.lifetime)
    finally:
        device.stop()
        if reporter is not None:
            reporter.cancel()
        rows = recorder.take()
        if rows:
            say("played", rows=rows)
        await gp.detach()
        try:
            await asyncio.wait_for(link.leave(), 2)
        except (TimeoutError, OSError):
            pass
        link_task.cancel()
        await asyncio.gather(link_task, return_exceptions=True)
        say("bye")


# -- relay --------------------------------------------------------------------------------------
class JitterRelay:
    """Forwards each connection to ``target``, holding every chunk back by a random
    0..``jitter_ms`` ms, drawn independently for each chunk and each direction. Chunks keep
    their order (a TCP stream does): a chunk leaves at max(its arrival + its delay, the
    previous chunk's departure).

    Threads with blocking sockets, not asyncio: asyncio sleeps through epoll_wait, whose
    timeout has a resolution of 1 ms (rounded up), which would turn 0..J ms into whole
    milliseconds and add ~0.5 ms to every chunk. time.sleep is good to ~0.1 ms.
    """

    def __init__(self, target: tuple[str, int], jitter_ms: float, seed: int) -> None:
        self.target = target
        self.jitter_ms = jitter_ms
        self.seed = seed
        self.holds_ms: dict[str, list[float]] = {"up": [], "down": []}   # up: towards the host
        self.sockets: list = []
        self._count = 0
        self._lock = threading.Lock()

    def serve(self, listener) -> None:   # a thread
        import socket

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError as exc:
                say("relay-connect-failed", reason=str(exc))
                client.close()
                continue
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sockets += [client, upstream]
            self._count += 1
            say("relay-connection", number=self._count)
            for src, dst, way in ((client, upstream, "up"), (upstream, client, "down")):
                rng = random.Random(self.seed * 1000 + self._count * 2 + (way == "up"))
                self._direction(src, dst, way, rng)

    def _direction(self, src, dst, way: str, rng: random.Random) -> None:
        import collections
        import socket

        queue: collections.deque = collections.deque()
        ready = threading.Condition()

        def receive() -> None:
            release = 0.0
            try:
                while data := src.recv(65536):
                    now = time.monotonic()
                    release = max(release, now + rng.uniform(0, self.jitter_ms) / 1000)
                    with ready:
                        queue.append((now, release, data))
                        ready.notify()
            except OSError:
                pass
            with ready:
                queue.append(None)
                ready.notify()

        def send() -> None:
            try:
                while True:
                    with ready:
                        while not queue:
                            ready.wait()
                        item = queue.popleft()
                    if item is None:
                        dst.shutdown(socket.SHUT_WR)
                        return
                    arrived, release, data = item
                    wait = release - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                    dst.sendall(data)
                    with self._lock:
                        self.holds_ms[way].append((time.monotonic() - arrived) * 1000)
            except OSError:
                pass

        for target in (receive, send):
            threading.Thread(target=target, daemon=True, name=f"relay-{way}").start()

    def stats(self) -> dict:
        out = {}
        with self._lock:
            for way, holds in self.holds_ms.items():
                ordered = sorted(holds)
                if ordered:
                    out[way] = {"chunks": len(ordered),
                                "meanMs": sum(ordered) / len(ordered),
                                "p50Ms": ordered[len(ordered) // 2],
                                "p99Ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
                                "maxMs": ordered[-1]}
        return out


def run_relay(args: argparse.Namespace) -> None:
    import socket

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    relay = JitterRelay(address(args.target), args.jitter_ms, args.seed)
    listener = socket.create_server((args.listen, args.port))
    threading.Thread(target=relay.serve, args=(listener,), daemon=True).start()
    say("relay", port=listener.getsockname()[1], jitterMs=args.jitter_ms)
    deadline = time.monotonic() + args.lifetime
    try:
        while not stop.wait(min(2.0, max(0.0, deadline - time.monotonic()))):
            say("relay-stats", **relay.stats())
            if time.monotonic() >= deadline:
                say("lifetime-over")
                break
    finally:
        listener.close()
        for sock in relay.sockets:
            try:
                sock.close()
            except OSError:
                pass
        say("relay-stats", **relay.stats())
        say("bye")


# -- main ---------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    roles = parser.add_subparsers(dest="role", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lifetime", type=float, default=60.0, help="seconds, then exit")

    def laptop(p: argparse.ArgumentParser) -> None:
        p.add_argument("--offset-ms", type=float, default=0.0, help="this laptop's clock offset")
        p.add_argument("--drift-ppm", type=float, default=0.0, help="its clock's rate error")
        p.add_argument("--card-ppm", type=float, default=0.0, help="its sound card's rate error")

    host = roles.add_parser("host", help="host a party and play a track")
    common(host)
    laptop(host)
    host.add_argument("--session-id", default="LANPL1")
    host.add_argument("--max-members", type=int, default=8)
    host.add_argument("--bind", default="0.0.0.0")
    host.add_argument("--track", help="the file to queue (default: a generated ramp)")
    host.add_argument("--tone-seconds", type=float, default=30.0)
    host.add_argument("--commands", help="a FIFO to read play / pause / seek MS / quit from")
    host.add_argument("--play-when-guests", type=int, default=0,
                      help="press Play once this many playback guests have joined")
    host.add_argument("--codec", choices=CODECS, default=DEFAULT_CODEC)
    host.add_argument("--buffer-ms", type=int, default=DEFAULT_LEAD_US // 1000,
                      help="how far ahead of its time each chunk is sent")
    host.add_argument("--heartbeat-timeout", type=float, default=0.0,
                      help="seconds before a silent guest is dropped (default: the app's)")

    guest = roles.add_parser("guest", help="join a party and play along")
    common(guest)
    laptop(guest)
    guest.add_argument("--connect", required=True, help="ADDR:PORT of the host (or a relay)")
    guest.add_argument("--session-id", default="LANPL1")
    guest.add_argument("--name", default="guest")

    relay = roles.add_parser("relay", help="a jittery TCP relay towards the host")
    common(relay)
    relay.add_argument("--target", required=True, help="ADDR:PORT of the host")
    relay.add_argument("--listen", default="127.0.0.1")
    relay.add_argument("--port", type=int, default=0)
    relay.add_argument("--jitter-ms", type=float, default=5.0)
    relay.add_argument("--seed", type=int, default=0)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    watchdog(args.lifetime + 8)
    if args.role == "relay":
        run_relay(args)
    else:
        asyncio.run({"host": run_host, "guest": run_guest}[args.role](args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
