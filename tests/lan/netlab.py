"""The simulated LAN of three laptops (docs: shared/ENVIRONMENT.md), for tests and benchmarks.

Network namespaces ``<prefix>host``, ``<prefix>guest1`` and ``<prefix>guest2`` (10.77.0.1-3/24,
eth0, a 224.0.0.0/4 route) joined by a bridge in ``<prefix>br`` (more laptops on request:
``Lan(laptops=...)``). A laptop's uplink can be shaped (``Lan.shape``, tc tbf). The prefix is
``ls<pid>x<counter>``, unique to this process, so a crashed run cannot poison the next, and
``remove_stale()`` deletes what dead processes left behind. Nothing here touches the
machine's own network: every address is on 10.77.0.0/24 (or an unreachable 10.99.0.0/24
that a test adds on purpose) inside namespaces this module created.

Programs run on a laptop through ``ip netns exec NAME ...`` as :class:`NsProcess`: their
stdout is read by a thread and every line is kept with the monotonic time it arrived.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from collections.abc import Callable

REPO = Path(__file__).resolve().parents[2]
SUBNET = "10.77.0"
LAPTOPS = ("host", "guest1", "guest2")
# How long a LAN test waits for a line it expects: generous, since it ends as soon as the line
# comes, and a shared machine (CI, a second copy of the suite) can be many times slower.
LAN_DEADLINE_S = 60.0
_STALE = re.compile(r"^ls(\d+)x\d+")
_counter = itertools.count(1)


class LanUnavailable(Exception):
    """This machine cannot build the LAN (not root, no ``ip netns``); the reason is the text."""


def _ip(*args: str, check: bool = True, timeout: float = 10) -> subprocess.CompletedProcess:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)} failed: {result.stderr.strip()}")
    return result


def namespaces() -> list[str]:
    out = _ip("netns", "list", check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _delete_namespace(name: str) -> None:
    """Kill what still runs in it (only processes started there by us), then delete it."""
    pids = _ip("netns", "pids", name, check=False).stdout.split()
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
    _ip("netns", "del", name, check=False)


def _stale(name: str) -> bool:
    match = _STALE.match(name)
    return bool(match) and int(match.group(1)) != os.getpid() and \
        not _pid_alive(int(match.group(1)))


def remove_stale() -> list[str]:
    """Delete ``ls<pid>x<n>*`` namespaces (and data folders) whose creating process is gone."""
    removed = []
    for name in namespaces():
        if _stale(name):
            _delete_namespace(name)
            removed.append(name)
    for folder in Path(tempfile.gettempdir()).glob("ls*x*-*"):
        if folder.is_dir() and _stale(folder.name):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    return removed


def check_available() -> None:
    """Raise LanUnavailable with a clear reason when the LAN cannot be built here."""
    if os.geteuid() != 0:
        raise LanUnavailable("the simulated LAN needs root (ip netns add)")
    if shutil.which("ip") is None:
        raise LanUnavailable("the simulated LAN needs iproute2's `ip` (apt install iproute2)")
    name = f"ls{os.getpid()}x0probe"
    result = _ip("netns", "add", name, check=False)
    if result.returncode != 0:
        raise LanUnavailable(f"`ip netns add` does not work here: {result.stderr.strip()}")
    _ip("netns", "del", name, check=False)


class NsProcess:
    """A program running in a namespace; its stdout lines are collected as they come."""

    def __init__(self, ns: str | None, args: list[str], *, env: dict[str, str] | None = None,
                 stdin: bool = False) -> None:
        """``ns`` None: on this machine as it is (a loopback benchmark reading lines alike)."""
        self.ns = ns or "this machine"
        self.args = args
        self.started = time.monotonic()
        self.lines: list[tuple[float, str]] = []
        self.matched_at: float | None = None
        self._new = threading.Condition()
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        # ip netns exec execs the program: our Popen pid is the program's pid.
        command = args if ns is None else ["ip", "netns", "exec", ns, *args]
        self.proc = subprocess.Popen(command, cwd=REPO, env=full_env,
                                     stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self._stderr: list[str] = []
        self._threads = [threading.Thread(target=self._read_out, daemon=True),
                         threading.Thread(target=self._read_err, daemon=True)]
        for thread in self._threads:
            thread.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def write(self, line: str) -> None:
        """One line to the program's standard input (started with ``stdin=True``)."""
        assert self.proc.stdin is not None, "started without stdin=True"
        self.proc.stdin.write(line.rstrip("\n") + "\n")
        self.proc.stdin.flush()

    def _read_out(self) -> None:
        for line in self.proc.stdout:
            with self._new:
                self.lines.append((time.monotonic(), line.rstrip("\n")))
                self._new.notify_all()
        with self._new:
            self._new.notify_all()

    def _read_err(self) -> None:
        for line in self.proc.stderr:
            self._stderr.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    def json_lines(self) -> list[dict]:
        found = []
        for _, line in list(self.lines):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                found.append(obj)
        return found

    def wait_json(self, predicate: Callable[[dict], bool], timeout: float,
                  what: str = "a line", start: int = 0) -> dict:
        """The first JSON line (from line index ``start``) that satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        index = start
        with self._new:
            while True:
                while index < len(self.lines):
                    line = self.lines[index][1]
                    index += 1
                    try:
                        obj = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(obj, dict) and predicate(obj):
                        self.matched_at = self.lines[index - 1][0]   # when that line arrived
                        return obj
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"timed out after {timeout} s waiting for {what} from {self.args[-6:]} in "
                        f"{self.ns} (exit {self.proc.poll()}); stdout: "
                        f"{[line for _, line in self.lines][-10:]}; stderr: {self.stderr[-2000:]}")
                if self.proc.poll() is not None and index >= len(self.lines) and \
                        not self._threads[0].is_alive():
                    raise AssertionError(
                        f"{self.args[-6:]} in {self.ns} exited ({self.proc.returncode}) before "
                        f"{what}; stdout: {[line for _, line in self.lines][-10:]}; "
                        f"stderr: {self.stderr[-2000:]}")
                self._new.wait(min(left, 0.05))

    def signal(self, sig: int) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def wait(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        for thread in self._threads:
            thread.join(2)
        return code

    def kill(self) -> None:
        """SIGKILL if still running, and reap it."""
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is None:
                continue
            try:
                stream.close()
            except Exception:  # noqa: BLE001 - the reader thread may be closing it too
                pass


class Lan:
    """Laptops on one bridged subnet; ``with Lan() as lan:`` always tears down.

    Three by default (``LAPTOPS``); ``laptops`` names others (up to 200, short names: a
    namespace name is the prefix plus the laptop's), addressed 10.77.0.1, .2, ... in order.
    """

    def __init__(self, prefix: str | None = None,
                 laptops: tuple[str, ...] = LAPTOPS) -> None:
        if not 0 < len(laptops) <= 200 or len(set(laptops)) != len(laptops):
            raise ValueError("a LAN has 1 to 200 laptops with distinct names")
        self.prefix = prefix or f"ls{os.getpid()}x{next(_counter)}"
        self.bridge = f"{self.prefix}br"
        self.laptops = laptops
        self.ns = {laptop: f"{self.prefix}{laptop}" for laptop in laptops}
        self.address = {laptop: f"{SUBNET}.{i}" for i, laptop in enumerate(laptops, 1)}
        self.processes: list[NsProcess] = []
        self._created: list[str] = []
        self._data = Path(tempfile.mkdtemp(prefix=f"{self.prefix}-"))  # each laptop's saved state

    def __enter__(self) -> Lan:
        try:
            self.build()
        except BaseException:
            self.teardown()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.teardown()

    def build(self) -> None:
        self._add_ns(self.bridge)
        br = self.bridge
        _ip("-n", br, "link", "add", "br0", "type", "bridge")
        _ip("-n", br, "link", "set", "br0", "up")
        for laptop in self.laptops:
            ns = self._add_ns(self.ns[laptop])
            veth = f"v-{laptop}"
            _ip("-n", br, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
            _ip("-n", br, "link", "set", veth, "master", "br0")
            _ip("-n", br, "link", "set", veth, "up")
            _ip("-n", ns, "addr", "add", f"{self.address[laptop]}/24", "brd", f"{SUBNET}.255",
                "dev", "eth0")
            _ip("-n", ns, "link", "set", "eth0", "multicast", "on")
            _ip("-n", ns, "link", "set", "eth0", "up")
            _ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0")
        self.wait_links_up()

    def wait_links_up(self, timeout: float = 5.0, laptops: tuple[str, ...] | None = None) -> None:
        """Until every eth0 can send (no 'tentative' IPv6/carrier wait on the veths)."""
        deadline = time.monotonic() + timeout
        for laptop in self.laptops if laptops is None else laptops:
            while True:
                out = _ip("-n", self.ns[laptop], "-o", "link", "show", "eth0").stdout
                if "LOWER_UP" in out:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"eth0 of {laptop} did not come up: {out}")
                time.sleep(0.01)

    def _add_ns(self, name: str) -> str:
        if name in namespaces():  # our own pid and counter: only a leftover of this process
            _delete_namespace(name)
        _ip("netns", "add", name)
        self._created.append(name)
        _ip("-n", name, "link", "set", "lo", "up")
        return name

    def teardown(self) -> None:
        for process in self.processes:
            process.kill()
        self.processes.clear()
        for name in reversed(self._created):
            _delete_namespace(name)
        self._created.clear()
        shutil.rmtree(self._data, ignore_errors=True)

    # -- running things on a laptop -----------------------------------------------------
    def exec(self, laptop: str, *args: str, check: bool = True,
             timeout: float = 15) -> subprocess.CompletedProcess:
        result = subprocess.run(["ip", "netns", "exec", self.ns[laptop], *args], cwd=REPO,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"{args} on {laptop} failed ({result.returncode}): "
                               f"{result.stderr.strip()}")
        return result

    def data_dir(self, laptop: str) -> Path:
        """That laptop's LOUDSYNC_DATA_DIR (a temp folder; it survives a killed program)."""
        return self._data / laptop

    def spawn(self, laptop: str, *args: str, env: dict[str, str] | None = None,
              stdin: bool = False) -> NsProcess:
        env = {"LOUDSYNC_DATA_DIR": str(self.data_dir(laptop)), **(env or {})}
        process = NsProcess(self.ns[laptop], list(args), env=env, stdin=stdin)
        self.processes.append(process)
        return process

    def loudsync(self, laptop: str, *args: str, env: dict[str, str] | None = None,
                 stdin: bool = False) -> NsProcess:
        """``python -m loudsync_desktop ARGS`` on a laptop."""
        return self.spawn(laptop, sys.executable, "-m", "loudsync_desktop", *args, env=env,
                          stdin=stdin)

    def watcher(self, laptop: str, *, mdns: bool = True, udp: bool = True) -> NsProcess:
        """A DiscoveryService on a laptop printing JSON lines (tests/lan/watch.py)."""
        flags = ["--mdns" if mdns else "--no-mdns", "--udp" if udp else "--no-udp"]
        return self.spawn(laptop, sys.executable, "-m", "tests.lan.watch", *flags)

    # -- faults ---------------------------------------------------------------------------
    def nft(self, laptop: str, ruleset: str) -> None:
        subprocess.run(["ip", "netns", "exec", self.ns[laptop], "nft", "-f", "-"], input=ruleset,
                       text=True, check=True, capture_output=True, timeout=10)

    def block_udp_discovery(self, laptop: str) -> None:
        """Drop UDP port 41234 (beacons, DISCOVER and its answers) both ways."""
        self.nft(laptop, _drop_table("lsnoudp", ["udp dport 41234", "udp sport 41234"]))

    def block_mdns(self, laptop: str) -> None:
        """Drop multicast and every mDNS packet (UDP 5353) both ways."""
        self.nft(laptop, _drop_table(
            "lsnomdns", ["ip daddr 224.0.0.0/4", "udp dport 5353", "udp sport 5353"]))

    def cut(self, laptop: str) -> None:
        """The laptop drops off the LAN without a word (Wi-Fi gone, lid closed)."""
        self.nft(laptop, _drop_table("lscut", ["iifname eth0", "oifname eth0"]))

    def uncut(self, laptop: str) -> None:
        """Back on the LAN after :meth:`cut`."""
        self.drop_table(laptop, "lscut")

    def drop_table(self, laptop: str, table: str) -> None:
        """Remove one of our nft tables (a filter this module added) from a laptop."""
        self.nft(laptop, f"delete table inet {table}\n")

    def link_down(self, laptop: str) -> None:
        """The laptop's network interface goes down (Wi-Fi switched off): its routes go too,
        so its own connection attempts fail at once; the others hear nothing."""
        _ip("-n", self.ns[laptop], "link", "set", "eth0", "down")

    def link_up(self, laptop: str) -> None:
        """Undo :meth:`link_down`: the link, its carrier and the multicast route are back."""
        ns = self.ns[laptop]
        _ip("-n", ns, "link", "set", "eth0", "up")
        self.wait_links_up(laptops=(laptop,))
        _ip("-n", ns, "route", "replace", "224.0.0.0/4", "dev", "eth0")  # down deleted it

    def lossy(self, laptop: str, percent: int) -> None:
        """Lose ``percent`` % of the frames on the laptop's link at random, each way.

        The filter sits on the laptop's port of the bridge (nftables ``bridge`` family in
        the bridge's namespace), i.e. on the wire: a frame is lost after it left the sender,
        as on bad Wi-Fi. (Dropped in the laptop's own output hook instead, a packet never
        leaves: ``sendto`` fails with EPERM and TCP keeps the segment queued, which is a
        local error, not a loss.) Every frame is counted first, so :meth:`loss_counts`
        shows the loss really applied.
        """
        if not 0 < percent < 100:
            raise ValueError("percent must be between 1 and 99")
        port = f"v-{laptop}"
        rules = "".join(f"  {iface} {port} counter\n"
                        f"  {iface} {port} numgen random mod 100 lt {percent} counter drop\n"
                        for iface in ("iifname", "oifname"))
        ruleset = (f"table bridge lsloss{laptop} {{\n"
                   f" chain forward {{ type filter hook forward priority 0; policy accept;\n"
                   f"{rules} }}\n}}\n")
        subprocess.run(["ip", "netns", "exec", self.bridge, "nft", "-f", "-"], input=ruleset,
                       text=True, check=True, capture_output=True, timeout=10)

    def lossless(self, laptop: str) -> None:
        """Undo :meth:`lossy`."""
        subprocess.run(["ip", "netns", "exec", self.bridge, "nft", "delete", "table", "bridge",
                        f"lsloss{laptop}"], text=True, check=True, capture_output=True, timeout=10)

    def loss_counts(self, laptop: str) -> dict[str, dict[str, int]]:
        """Frames of :meth:`lossy` so far, from the laptop's point of view:
        ``{"out": {"frames": N, "dropped": D}, "in": {...}}``."""
        out = subprocess.run(["ip", "netns", "exec", self.bridge, "nft", "-j", "list", "table",
                              "bridge", f"lsloss{laptop}"], text=True, check=True,
                             capture_output=True, timeout=10).stdout
        counts: dict[str, dict[str, int]] = {}
        for item in json.loads(out).get("nftables", []):
            rule = item.get("rule")
            if not rule:
                continue
            frames = sum(e["counter"]["packets"] for e in rule["expr"] if "counter" in e)
            kind = "dropped" if any("drop" in e for e in rule["expr"]) else "frames"
            # iifname: frames coming in from the laptop's veth, i.e. the laptop sent them.
            way = "out" if '"iifname"' in json.dumps(rule["expr"]) else "in"
            counts.setdefault(way, {})[kind] = frames
        return counts

    def tcp_counters(self, laptop: str, *names: str) -> dict[str, int]:
        """The laptop's own kernel counters, e.g. TcpRetransSegs (``nstat -asz``: absolute
        values, no history file written)."""
        out = self.exec(laptop, "nstat", "-asz", "--json").stdout
        kernel = json.loads(out).get("kernel", {})
        return {name: int(kernel.get(name, 0)) for name in names}

    def nft_drop_counts(self, laptop: str) -> dict[str, int]:
        """Packets dropped so far by our nft tables on this laptop (proof a block was used)."""
        out = self.exec(laptop, "nft", "-j", "list", "ruleset").stdout
        counts: dict[str, int] = {}
        for item in json.loads(out).get("nftables", []):
            rule = item.get("rule")
            if not rule:
                continue
            packets = sum(e["counter"]["packets"] for e in rule["expr"] if "counter" in e)
            counts[rule["table"]] = counts.get(rule["table"], 0) + packets
        return counts

    def shape(self, laptop: str, mbit: float, *, burst_kbit: int = 32,
              latency_ms: int = 400) -> None:
        """The laptop's uplink (what its eth0 sends) can carry only ``mbit`` Mbit/s, like a
        crowded party Wi-Fi: a token bucket (``tc tbf``; this kernel has no netem) that
        queues up to ``latency_ms`` of excess and drops the rest, so TCP backs off."""
        if mbit <= 0:
            raise ValueError("mbit must be positive")
        self.exec(laptop, "tc", "qdisc", "replace", "dev", "eth0", "root", "tbf",
                  "rate", f"{mbit:g}mbit", "burst", f"{burst_kbit}kbit",
                  "latency", f"{latency_ms}ms")

    def unshape(self, laptop: str) -> None:
        """Undo :meth:`shape`: the uplink is as fast as the veth again."""
        self.exec(laptop, "tc", "qdisc", "del", "dev", "eth0", "root")

    def shaping(self, laptop: str) -> dict[str, Any] | None:
        """The uplink's shaper and what it did so far (``tc -s qdisc``): ``{"rateBps": ...,
        "bytes": sent, "packets": ..., "drops": ..., "overlimits": ...}``, None if unshaped."""
        out = self.exec(laptop, "tc", "-s", "-j", "qdisc", "show", "dev", "eth0").stdout
        for qdisc in json.loads(out or "[]"):
            if qdisc.get("kind") == "tbf" and qdisc.get("root", True):
                return {"rateBps": qdisc.get("options", {}).get("rate"),
                        **{key: qdisc.get(key, 0) for key in
                           ("bytes", "packets", "drops", "overlimits")}}
        return None

    def link_bytes(self, laptop: str) -> dict[str, int]:
        """Bytes the laptop's eth0 has sent and received so far: ``{"tx": ..., "rx": ...}``."""
        out = self.exec(laptop, "ip", "-j", "-s", "link", "show", "eth0").stdout
        stats = json.loads(out)[0]["stats64"]
        return {"tx": int(stats["tx"]["bytes"]), "rx": int(stats["rx"]["bytes"])}

    def add_unreachable_address(self, laptop: str, cidr: str = "10.99.0.1/24") -> None:
        """A second interface with an address no other laptop can reach (like a VPN's).

        A veth pair with both ends on this laptop (``dummy`` links need a kernel module
        that containers often lack). ``arp_ignore=1`` makes the laptop answer ARP only for
        addresses of the interface asked on, so the address stays unreachable even for a
        laptop that sends to it over the LAN.
        """
        ns = self.ns[laptop]
        _ip("-n", ns, "link", "add", "vpn0", "type", "veth", "peer", "name", "vpn0peer")
        _ip("-n", ns, "addr", "add", cidr, "dev", "vpn0")
        _ip("-n", ns, "link", "set", "vpn0peer", "up")
        _ip("-n", ns, "link", "set", "vpn0", "up")
        for scope in ("all", "eth0"):
            self.exec(laptop, "sysctl", "-q", "-w", f"net.ipv4.conf.{scope}.arp_ignore=1")


def _drop_table(name: str, matches: list[str]) -> str:
    """An nft table that counts and drops packets matching any of ``matches``, in and out."""
    rules = "".join(f"  {match} counter drop\n" for match in matches)
    return (f"table inet {name} {{\n"
            f" chain input {{ type filter hook input priority 0; policy accept;\n{rules} }}\n"
            f" chain output {{ type filter hook output priority 0; policy accept;\n{rules} }}\n"
            f"}}\n")
