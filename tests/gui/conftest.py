"""Fixtures for the GUI tests: the app, one qasync loop, windows, CLI processes, leak checks.

Every GUI test is a plain ``def`` test that drives real widgets with ``qtbot`` and polls
with ``qtbot.waitUntil`` (ENVIRONMENT.md: ``waitUntil`` inside ``async def`` tests can hang
the teardown). The asyncio loop is a qasync loop made with ``already_running=True``, so
whenever qtbot spins Qt's event loop, asyncio callbacks run too.

pytest-asyncio runs the ``async def`` tests of the other packages in loops of its own and
leaves no loop behind, and asyncio refuses to start a loop while another one is marked as
running. So each GUI test sets the qasync loop as the current and running loop, and takes
that mark away again when it ends.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_API", "pyside6")          # qasync: bind to PySide6, not another binding
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio  # noqa: E402
import concurrent.futures  # noqa: E402
import itertools  # noqa: E402
import socket  # noqa: E402
from pathlib import Path  # noqa: E402

import PySide6  # noqa: E402,F401  (imported before qasync, see ENVIRONMENT.md)
import psutil  # noqa: E402
import pytest  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from loudsync_desktop.app import build_window, create_app  # noqa: E402
from loudsync_desktop.audio.devices import TestOutputDevice
from loudsync_desktop.model.session_model import SessionOptions  # noqa: E402
from loudsync_desktop.settings import DISPLAY_NAME, Settings  # noqa: E402
from tests.gui.helpers import DEADLINE_MS, CliProcess, run_until_done  # noqa: E402


@pytest.fixture(scope="session")
def qapp(qapp_args):
    """pytest-qt's qapp, made by the app's own create_app (resources, Fusion style, qss)."""
    app = create_app(list(qapp_args))
    app.setQuitOnLastWindowClosed(False)
    return app


@pytest.fixture(scope="session")
def qloop(qapp):
    """One qasync loop for the whole session; never stopped (stop() would quit the app)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    # A plain thread pool for asyncio.to_thread (GET /session): shut down at the end, so no
    # QThread is destroyed while running when the interpreter exits.
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="gui-test")
    loop.set_default_executor(executor)
    asyncio.events._set_running_loop(None)   # the constructor marked it running: see gui_loop
    yield loop
    executor.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(autouse=True)
def gui_loop(qloop):
    """Make the qasync loop the current and running loop for this test (and only it)."""
    asyncio.set_event_loop(qloop)
    asyncio.events._set_running_loop(qloop)
    try:
        yield qloop
    finally:
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


def _our_sockets() -> set[tuple]:
    """This process's listening TCP sockets and bound UDP sockets (mDNS, beacons)."""
    found = set()
    for c in psutil.Process().net_connections(kind="inet"):
        if c.status == psutil.CONN_LISTEN or c.type == socket.SOCK_DGRAM:
            found.add((c.type, c.laddr))
    return found


@pytest.fixture(autouse=True)
def no_leaks(gui_loop, qtbot):
    """After each test (and after its windows have closed): no task, no socket of ours left.

    Tasks still running after a short grace are cancelled, awaited, and reported.
    """
    sockets_before = _our_sockets()
    yield
    loop = gui_loop
    try:
        qtbot.waitUntil(lambda: not _live_tasks(loop), timeout=DEADLINE_MS)
    except Exception:  # noqa: BLE001 - reported below, after the cleanup
        pass
    left = _live_tasks(loop)
    for task in left:
        task.cancel()
    if left:
        qtbot.waitUntil(lambda: all(t.done() for t in left), timeout=DEADLINE_MS)
    try:
        qtbot.waitUntil(lambda: not (_our_sockets() - sockets_before), timeout=DEADLINE_MS)
    except Exception:  # noqa: BLE001
        pass
    sockets_left = _our_sockets() - sockets_before
    assert not left, f"asyncio tasks left running after the test: {left}"
    assert not sockets_left, f"sockets left open after the test: {sockets_left}"


def _live_tasks(loop) -> set[asyncio.Task]:
    return {t for t in asyncio.all_tasks(loop) if not t.done()}


@pytest.fixture
def settings_file(tmp_path):
    """Factory: a fresh settings file path (pass the same path twice to share settings)."""
    counter = itertools.count(1)
    return lambda: tmp_path / f"settings-{next(counter)}.ini"


def open_settings(path: Path) -> Settings:
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(qtbot, gui_loop, settings_file):
    """Factory: ``make_window("Alex", discovery=True, port=..., ...)`` -> a shown MainWindow.

    ``store`` (a SessionStore) is where the window keeps and finds a party it was hosting.

    Each window gets its own temporary settings file unless ``settings_path`` is given,
    and hosts on 127.0.0.1, any free port, unless ``options`` says otherwise. At the end
    every window still open goes out the app's own way (``quit_now()``), and the test
    waits until its coroutines are done.
    """
    made = []

    def make(name: str | None = None, *, settings_path: Path | None = None,
             options: SessionOptions | None = None, discovery: bool = False,
             show: bool = True, store=None, **option_fields):
        path = settings_path or settings_file()
        settings = open_settings(path)
        if name is not None:
            settings.set(DISPLAY_NAME, name)
        if options is None:
            option_fields.setdefault("find_timeout_s", 2.0)
            option_fields.setdefault("port", 0)
            option_fields.setdefault("bind", "127.0.0.1")
            # A clocked fake sound card: the engine runs, nothing reaches ALSA.
            option_fields.setdefault("audio_output", TestOutputDevice)
            options = SessionOptions(discovery=discovery, **option_fields)
        window = build_window(settings, options, store=store)
        window.closed_for_test = False
        window.closed.connect(lambda w=window: setattr(w, "closed_for_test", True))
        window.settings_path = path
        made.append(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        return window

    yield make
    for window in made:
        if not window.closed_for_test:
            window.quit_now()
    for window in made:
        qtbot.waitUntil(lambda window=window: window.closed_for_test, timeout=DEADLINE_MS)
        run_until_done(qtbot, window.wait_idle(), DEADLINE_MS)
        window.settings.store.sync()
        window.deleteLater()


@pytest.fixture
def cli(qtbot):
    """Factory: ``cli("join", "127.0.0.1:PORT", "--json", "--name", "X")`` -> CliProcess.

    Processes still running at the end get SIGTERM, then SIGKILL.
    """
    procs: list[CliProcess] = []

    def start(*args: str) -> CliProcess:
        proc = CliProcess(qtbot, *args)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        proc.stop()
