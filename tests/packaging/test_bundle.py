"""The packaged app, proven: build the Linux bundle once, then use it as a person would.

The module builds the bundle with packaging/build.py (PyInstaller, into a temporary folder; the
source tree is left alone: ``--skip-ui``), unpacks the tarball it made, and runs *that* program:

* the command line: a frozen host, a frozen guest and a guest from the source tree, member lists,
  SIGTERM on the host ends the party for both guests;
* discovery (``isolated_net``: only inside scripts/run-tests.sh's private network namespace):
  a frozen ``scan`` finds a frozen host through mDNS alone (zeroconf, frozen) and UDP alone, and
  a frozen guest joins by party code;
* the window: with QT_QPA_PLATFORM=offscreen it runs, stays up and quits cleanly on SIGTERM; on a
  private Xvfb its main window appears, which is watched from outside (tests/packaging/xwatch.py);
* what is inside: every module the app imports, all of zeroconf's private modules, the Qt plugins
  it uses and none it does not, no library with a missing dependency, under 215 MB, the licence
  texts;
* FFmpeg frozen in: a frozen host reads and streams every format to a frozen guest;
* the tarball's install.sh installs and removes it.

A frozen app that cannot import something fails here: every process's stderr is checked for
tracebacks and import errors, and exit codes are checked. The build is skipped (with the reason)
only if PyInstaller cannot be installed.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import pkgutil
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from loudsync_desktop.protocol.discovery import UDP_PORT
from tests.support import EventProcess, wait_until

from tests.packaging import xwatch

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "packaging" / "build.py"
# 126 MB without FFmpeg (docs/PACKAGING.md); PyAV adds 79 MB: its extension modules (4.6 MB once
# stripped) and av.libs (74.3 MB, already stripped: FFmpeg's libraries and the codec libraries
# libavcodec links, none of which can go without building FFmpeg anew). ~10 MB of room above that.
SIZE_LIMIT = 215_000_000
ERROR_WORDS = ("Traceback", "ModuleNotFoundError", "ImportError", "No module named",
               "cannot start", "Could not load the Qt platform plugin", "Could not find the Qt",
               "Aborted", "Segmentation fault", "undefined symbol")

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux bundle"),
    pytest.mark.timeout(420),   # the first test also waits for the build (20-60 s here)
]


@dataclass
class Built:
    info: dict        # build.py's --json line
    dir: Path         # the unpacked tarball's top folder
    exe: Path         # dir / "loudsync"


def _buildinfo():
    """packaging/buildinfo.py, the one place that names the build's facts."""
    sys.path.insert(0, str(REPO / "packaging"))
    try:
        import buildinfo
        return buildinfo
    finally:
        sys.path.pop(0)


def _version() -> str:
    return _buildinfo().version()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("bundle")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(BUILD), "--dist", str(root / "dist"), "--build", str(root / "build"),
         "--skip-ui", "--json"], cwd=REPO, capture_output=True, text=True, timeout=600)
    if proc.returncode == 3:
        pytest.skip(f"PyInstaller cannot be installed: {proc.stderr.strip()[-500:]}")
    assert proc.returncode == 0, (f"packaging/build.py failed ({proc.returncode}):\n"
                                  f"{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"\nbuilt in {time.monotonic() - started:.0f} s: {info}")
    # From here on: the program as a user gets it, unpacked from the tarball.
    unpacked = root / "unpacked"
    with tarfile.open(info["archive"]) as tar:
        tar.extractall(unpacked, filter="tar")
    (top,) = unpacked.iterdir()
    return Built(info, top, top / "loudsync")


def clean_stderr(text: str, who: str) -> None:
    bad = [w for w in ERROR_WORDS if w in text]
    assert not bad, f"{who} wrote {bad} on stderr:\n{text[-4000:]}"


def app_env(tmp: Path, **extra: str) -> dict:
    """A private data and config folder (the party file, QSettings) for every run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON"))}
    env.update({"LOUDSYNC_DATA_DIR": str(tmp / "data"), "XDG_CONFIG_HOME": str(tmp / "config"),
                "XDG_CACHE_HOME": str(tmp / "cache"), "QT_QPA_PLATFORM": "offscreen"})
    env.update(extra)
    return env


@pytest.fixture
async def run(tmp_path):
    """Factory: ``p = await run([exe, "host", ...], name=...)``, an EventProcess whose stderr
    must be free of errors; killed at the end if running."""
    started: list[EventProcess] = []

    async def start(cmd: list, name: str, stdin: int = subprocess.DEVNULL,
                    **env: str) -> EventProcess:
        started.append(await EventProcess.start(
            cmd, name, stdin=stdin, cwd=REPO, env=app_env(tmp_path, **env),
            check_stderr=clean_stderr))
        return started[-1]

    yield start
    for p in started:
        await p.reap()


def ids(members: list[dict]) -> list[str]:
    return [m["id"] for m in members]


# -- the command line ------------------------------------------------------------------------
def test_the_frozen_program_says_its_version(built, tmp_path):
    out = subprocess.run([built.exe, "--version"], capture_output=True, text=True, timeout=30,
                         env=app_env(tmp_path))
    assert (out.returncode, out.stdout.strip()) == (0, f"LoudSync {_version()}"), out.stderr
    clean_stderr(out.stderr, "loudsync --version")
    usage = subprocess.run([built.exe, "join"], capture_output=True, text=True, timeout=30,
                           env=app_env(tmp_path))
    assert usage.returncode == 2 and "TARGET" in usage.stderr     # argparse, no traceback
    clean_stderr(usage.stderr, "loudsync join")


async def test_frozen_host_with_a_frozen_guest_and_a_guest_from_source(built, run):
    host = await run([built.exe, "host", "--json", "--port", "0", "--no-discovery",
                      "--bind", "127.0.0.1", "--host-name", "Dee"], name="frozen host")
    hosting = await host.event("hosting", timeout=30)
    port, host_id = hosting["port"], hosting["hostId"]

    frozen = await run([built.exe, "join", f"127.0.0.1:{port}", "--json", "--no-discovery",
                        "--name", "Frozen", "--device-id", "frozen"], name="frozen guest")
    assert (await frozen.event("welcome", timeout=30))["hostName"] == "Dee"
    assert ids((await frozen.event("member_list"))["members"]) == [host_id, "frozen"]
    assert (await host.event("member_joined"))["member"]["name"] == "Frozen"

    source = await run([sys.executable, "-m", "loudsync_desktop", "join", f"127.0.0.1:{port}",
                        "--json", "--no-discovery", "--name", "Source", "--device-id", "source"],
                       name="source guest")
    members = (await source.event("member_list", timeout=30))["members"]
    assert len(members) == 3 and ids(members) == [host_id, "frozen", "source"]
    assert [m["name"] for m in members] == ["Dee", "Frozen", "Source"]
    assert (await host.event("member_joined"))["member"]["name"] == "Source"
    assert (await frozen.event("member_joined"))["member"]["id"] == "source"

    host.signal(signal.SIGTERM)
    assert await host.finish() == 0
    assert host.events[-1] == {"event": "session_closed"}
    for guest in (frozen, source):
        await guest.event("session_closed")
        assert await guest.finish() == 0, guest.stderr


async def test_a_frozen_host_reads_and_streams_every_format(built, run, tmp_path):
    """FFmpeg frozen in (PyAV and av.libs): the host reads each format's tags, decodes each to its
    end and streams it in Opus to a frozen guest, which decodes it; a file it could not read
    would be logged as skipped on stderr."""
    from tests.audio.media import FORMATS, write
    titles = [f"{kind} from the bundle" for kind in FORMATS]
    songs = [write(tmp_path / f"song-{kind}", kind, seconds=0.5,
                   tags={"title": title, "artist": "Frozen"})
             for kind, title in zip(FORMATS, titles, strict=True)]
    host = await run([built.exe, "host", "--json", "--port", "0", "--no-discovery",
                      "--bind", "127.0.0.1", "--no-audio", "--music", *songs],
                     name="frozen host with music", stdin=subprocess.PIPE)
    port = (await host.event("hosting", timeout=30))["port"]
    await host.event("player", timeout=60, queue=titles, playing=False)
    # With sound (miniaudio's NULL backend where there is no card): a guest without any takes
    # no stream.
    guest = await run([built.exe, "join", f"127.0.0.1:{port}", "--json", "--no-discovery",
                       "--name", "Listener", "--device-id", "listener"],
                      name="frozen guest listening")
    await host.event("member_joined", timeout=30)
    host.write("play")
    # Each track ends when its audio is decoded to the end; the last one is reached only so.
    await host.event("player", timeout=60, index=len(titles) - 1, playing=True)
    await guest.event("player", timeout=60, index=len(titles) - 1)
    host.signal(signal.SIGTERM)
    assert await host.finish() == 0
    assert "skipping" not in host.stderr, host.stderr[-3000:]
    await guest.event("session_closed")
    assert await guest.finish() == 0


@pytest.mark.isolated_net
async def test_frozen_discovery_scan_finds_a_frozen_host_and_a_guest_joins_by_code(built, run):
    # zeroconf is Cython-compiled with private modules PyInstaller cannot see: this is where a
    # missing hidden import would show up.
    host = await run([built.exe, "host", "--json", "--port", "0", "--bind", "127.0.0.1",
                      "--name", "Frozen party"], name="frozen host (advertising)")
    hosting = await host.event("hosting", timeout=30)
    # Both discovery sources must work frozen. A scan lists a party once, after waiting a moment
    # for the second source; on a busy machine mDNS (the slower) can miss that moment however
    # often one scans. So each source is proven on its own, the other's port dropped in this
    # private namespace (merging both into one listing is tested in tests/net/test_discovery.py).
    for dropped, via in ((UDP_PORT, "mdns"), (MDNS_PORT, "udp")):
        with inbound_udp_dropped(dropped):
            scan = await run([built.exe, "scan", "--json", "--timeout", "120"],
                             name=f"frozen scan ({via} only)")
            found = await scan.event("session", timeout=90, sessionId=hosting["sessionId"])
            scan.signal(signal.SIGTERM)
            assert await scan.finish() == 0
        assert (found["port"], found["sessionName"], found["via"]) == \
            (hosting["port"], "Frozen party", via)

    guest = await run([built.exe, "join", hosting["code"], "--json", "--name", "Coder",
                       "--device-id", "coder"], name="frozen guest by code")
    assert ids((await guest.event("member_list", timeout=30))["members"]) == [hosting["hostId"],
                                                                              "coder"]
    host.signal(signal.SIGTERM)
    assert await host.finish() == 0
    await guest.event("session_closed")
    assert await guest.finish() == 0


# -- the window ------------------------------------------------------------------------------
async def test_frozen_gui_runs_offscreen_and_quits_cleanly_on_sigterm(built, run):
    gui = await run([built.exe], name="frozen GUI (offscreen)", QT_QPA_PLATFORM="offscreen")
    # Up once it handles SIGTERM (set just before its window shows), however long that takes.
    try:
        await wait_until(lambda: gui.proc.returncode is not None or catches_sigterm(gui.proc.pid),
                         timeout=90, what="the frozen GUI to start")
    except AssertionError:
        gui.proc.kill()
        raise
    if gui.proc.returncode is not None:
        await gui.finish()
        pytest.fail(f"the GUI exited ({gui.proc.returncode}) on its own: {gui.stderr[-3000:]}")
    gui.signal(signal.SIGTERM)        # ends like closing the window: shutdown, then exit 0
    assert await gui.finish() == 0, gui.stderr


MDNS_PORT = 5353


@contextlib.contextmanager
def inbound_udp_dropped(port: int):
    """While inside, UDP to or from ``port`` is dropped on its way in, in this (private) network
    namespace: senders see nothing wrong, receivers nothing at all."""
    if shutil.which("nft") is None:
        pytest.skip("taking one discovery source away needs nft (apt install nftables)")
    table = f"lsdrop{port}"
    rules = (f"table inet {table} {{\n chain in {{\n  type filter hook input priority 0;\n"
             f"  udp dport {port} drop\n  udp sport {port} drop\n }}\n}}\n")
    subprocess.run(["nft", "-f", "-"], input=rules, text=True, check=True, capture_output=True,
                   timeout=30)
    try:
        yield
    finally:
        subprocess.run(["nft", "delete", "table", "inet", table], check=True,
                       capture_output=True, timeout=30)


def catches_sigterm(pid: int) -> bool:
    """True once the process has a handler of its own for SIGTERM (/proc's SigCgt mask)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(int(x.split()[1], 16) for x in status.splitlines() if x.startswith("SigCgt:"))
    return bool(caught & (1 << (signal.SIGTERM - 1)))


def test_frozen_gui_shows_its_main_window_on_x11(built, tmp_path):
    why = xwatch.available()
    if why:
        pytest.skip(why)
    with xwatch.Xvfb() as x, xwatch.WindowWatcher(x.display) as watcher:
        env = app_env(tmp_path, DISPLAY=x.display, QT_QPA_PLATFORM="xcb")
        env.pop("WAYLAND_DISPLAY", None)
        proc = subprocess.Popen([built.exe], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        try:
            started = time.monotonic()
            window = watcher.wait_for("LoudSync", 60, alive=lambda: proc.poll() is None)
            if window is None:
                proc.kill()
                _, err = proc.communicate(10)
                pytest.fail(f"no LoudSync window (exit {proc.returncode}); windows seen: "
                            f"{watcher.seen}; stderr: {err.decode()[-3000:]}")
            print(f"\nwindow after {window.at - started:.3f} s: {window}")
            assert window.wm_class == ("loudsync", "LoudSync")
            time.sleep(1.0)   # let it run a moment with its window up
            assert proc.poll() is None, "the GUI exited right after showing its window"
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(10)
    clean_stderr(err.decode(errors="replace"), "frozen GUI (xcb)")
    assert proc.returncode == 0


# -- what is inside ----------------------------------------------------------------------------
def _frozen_modules(built: Built) -> set[str]:
    """Every module the frozen program can import: PYZ, base_library.zip, extensions."""
    from PyInstaller.archive.readers import CArchiveReader
    package = CArchiveReader(str(built.exe))
    modules = set(package.open_embedded_archive("PYZ.pyz").toc)
    modules |= {name for name, entry in package.toc.items() if entry[-1] == "m"}  # bootstrap
    internal = built.dir / "_internal"
    with zipfile.ZipFile(internal / "base_library.zip") as z:
        for name in z.namelist():
            if name.endswith(".pyc"):
                parts = name[:-4].split("/")
                modules.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    for so in internal.rglob("*.so"):
        rel = so.relative_to(internal).parts
        if not (so.name.count(".") >= 2 and (".cpython-" in so.name or ".abi3." in so.name)):
            continue
        stem = so.name.split(".")[0]
        if rel[:2] == (f"python{sys.version_info.major}.{sys.version_info.minor}", "lib-dynload"):
            modules.add(stem)
        else:   # a compiled package __init__ is the package itself
            modules.add(".".join([*rel[:-1], *([] if stem == "__init__" else [stem])]))
    return modules | set(sys.builtin_module_names)


def _app_modules() -> list[str]:
    import loudsync_desktop
    return ["loudsync_desktop"] + [m.name for m in pkgutil.walk_packages(
        loudsync_desktop.__path__, "loudsync_desktop.")]


def _absolute_imports(module: str) -> set[str]:
    """The absolute modules ``module``'s source imports (anywhere, also inside functions)."""
    import importlib.util
    spec = importlib.util.find_spec(module)
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


# Imported only on another platform (behind sys.platform checks).
OTHER_PLATFORMS = {"winreg", "msvcrt", "_winapi", "winsound", "_overlapped", "AppKit",
                   "Foundation", "objc"}


def test_every_module_the_app_imports_is_frozen_in(built):
    frozen = _frozen_modules(built)
    app = _app_modules()
    assert not [m for m in app if m not in frozen], "app modules missing from the bundle"
    wanted = set()
    for module in app:
        wanted |= {m for m in _absolute_imports(module) if m.split(".")[0] not in OTHER_PLATFORMS}
    missing = sorted(m for m in wanted if m not in frozen)
    assert not missing, f"imported by the app but not in the bundle: {missing}"
    # ... and nothing of the tests: their support code lives outside the package.
    assert not [m for m in frozen if m.split(".")[0] in ("tests", "testsupport", "bench")]


def test_all_of_zeroconf_is_frozen_in_also_its_private_modules(built):
    import zeroconf
    frozen = _frozen_modules(built)
    names = ["zeroconf"] + [m.name for m in pkgutil.walk_packages(zeroconf.__path__, "zeroconf.")]
    assert "zeroconf._utils.ipaddress" in names
    assert not [m for m in names if m not in frozen]


def test_only_the_qt_plugins_the_app_uses_are_shipped(built):
    qt = built.dir / "_internal" / "PySide6" / "Qt"
    plugins = {p.relative_to(qt / "plugins").as_posix() for p in (qt / "plugins").rglob("*.so")}
    for needed in ("platforms/libqxcb.so", "platforms/libqoffscreen.so", "platforms/libqwayland.so",
                   "iconengines/libqsvgicon.so", "imageformats/libqsvg.so",
                   "platformthemes/libqxdgdesktopportal.so",
                   "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
                   "wayland-shell-integration/libxdg-shell.so"):
        assert needed in plugins
    for unused in ("platformthemes/libqgtk3.so", "platforms/libqeglfs.so", "platforms/libqvnc.so",
                   "platforms/libqlinuxfb.so", "imageformats/libqjpeg.so",
                   "imageformats/libqtiff.so",
                   "generic/libqevdevmouseplugin.so", "tls/libqopensslbackend.so",
                   "egldeviceintegrations/libqeglfs-kms-egldevice-integration.so"):
        assert unused not in plugins
    everything = [p.name for p in built.dir.rglob("*")]
    assert not [n for n in everything if n.endswith(".qm")], "Qt translations are not dropped"
    for lib in ("libQt6Network", "libQt6Qml", "libQt6Quick", "libQt6Pdf", "libQt6VirtualKeyboard",
                "libQt6EglFSDeviceIntegration", "libgtk-3", "libcairo", "libreadline",
                # glibc's own (uses glibc-private symbols): must come from the user's system
                "libmvec", "libc", "libm"):
        assert not [n for n in everything if n.startswith(lib + ".so")], f"{lib} is shipped"


# Not in the bundle on purpose: the graphics stack comes from the user's system.
SYSTEM_LIBS = ("libGL.", "libEGL.", "libwayland-", "libdrm.", "libgbm.", "libvulkan.")


def test_no_shipped_library_misses_a_dependency(built):
    internal = built.dir / "_internal"
    env = {"LD_LIBRARY_PATH": str(internal), "PATH": os.environ.get("PATH", "")}
    problems = {}
    for path in [built.exe, *internal.rglob("*.so*")]:
        if path.is_symlink() or not path.is_file() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
        missing = [line.split()[0] for line in out.splitlines() if "not found" in line
                   and not line.strip().startswith(SYSTEM_LIBS)]
        if missing:
            problems[str(path.relative_to(built.dir))] = missing
    assert not problems


def test_no_shipped_library_is_a_piece_of_glibc(built):
    """A library using glibc-private symbols (libmvec, libm, ...) only works with the glibc it
    came from: it must come from the user's system. Also tells the oldest glibc the bundle needs."""
    private, newest = [], (2, 0)
    for path in [built.exe, *(built.dir / "_internal").rglob("*.so*")]:
        if path.is_symlink() or not path.is_file() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        symbols = subprocess.run(["objdump", "-T", str(path)], capture_output=True,
                                 text=True).stdout
        if "GLIBC_PRIVATE" in symbols:
            private.append(path.name)
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", symbols):
            newest = max(newest, (int(major), int(minor)))
    print(f"\nthe bundle needs glibc {newest[0]}.{newest[1]} or newer")
    assert not private


def test_the_bundle_is_small_and_the_tarball_has_the_desktop_files(built):
    assert built.info["bundle_bytes"] < SIZE_LIMIT, built.info
    version = _version()
    assert Path(built.info["archive"]).name == \
        f"loudsync-{version}-linux-{os.uname().machine}.tar.gz"
    share = built.dir / "share"
    assert (share / "applications" / "loudsync.desktop").is_file()
    assert (share / "metainfo" / "app.loudsync.LoudSync.metainfo.xml").is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "loudsync.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "loudsync.svg").is_file()
    assert os.access(built.dir / "install.sh", os.X_OK) and os.access(built.exe, os.X_OK)
    # Stripped: no debug sections left in the biggest binary of ours.
    sections = subprocess.run(["objdump", "-h", str(built.dir / "_internal" /
                                                    sysconfig.get_config_var("INSTSONAME"))],
                              capture_output=True, text=True).stdout
    assert ".debug_info" not in sections


def test_the_bundle_carries_the_licences_of_what_it_ships(built):
    licences = built.dir / "_internal" / "licenses"
    for name, says in (("GPL-2.0.txt", "Version 2"), ("GPL-3.0.txt", "Version 3"),
                       ("LGPL-2.1.txt", "Version 2.1"), ("LGPL-3.0.txt", "Version 3"),
                       ("Apache-2.0.txt", "Apache License")):
        assert says in (licences / name).read_text(encoding="utf-8")[:400], name
    for package in ("av", "websockets", "zeroconf", "qasync", "miniaudio"):
        assert [p for p in (licences / package).iterdir() if p.is_file()], package
    notice = (licences / "THIRD-PARTY.md").read_text(encoding="utf-8")
    assert "GNU GPL version 3" in notice
    # Every library of FFmpeg's wheel in the bundle is accounted for in the notice.
    shipped = {re.sub(r"-[0-9a-f]{8}\.so.*$", "", p.name)
               for p in (built.dir / "_internal" / "av.libs").iterdir()}
    assert {"libavcodec", "libx264", "libx265", "libopus"} <= shipped
    assert not [lib for lib in shipped if lib not in notice]


def test_install_sh_installs_and_removes_the_app(built, tmp_path):
    prefix = tmp_path / "prefix"
    done = subprocess.run(["sh", str(built.dir / "install.sh"), "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    exe = prefix / "bin" / "loudsync"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30,
                         env=app_env(tmp_path))
    assert out.stdout.strip() == f"LoudSync {_version()}", out.stderr
    desktop = (prefix / "share" / "applications" / "loudsync.desktop").read_text()
    assert f"Exec={exe}\n" in desktop
    assert (prefix / "share" / "icons" / "hicolor" / "256x256" / "apps" / "loudsync.png").is_file()
    gone = subprocess.run(["sh", str(built.dir / "install.sh"), "--prefix", str(prefix),
                           "--uninstall"], capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0, gone.stderr
    assert not exe.exists() and not (prefix / "lib" / "loudsync").exists()
    assert not (prefix / "share" / "applications" / "loudsync.desktop").exists()
