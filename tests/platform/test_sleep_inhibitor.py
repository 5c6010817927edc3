"""Keeping the computer awake while hosting, against a stand-in desktop on a private D-Bus."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or
                                not shutil.which("dbus-daemon"),
                                reason="needs Linux and dbus-daemon (apt dbus)")

CHECK = """
import sys
from PySide6.QtCore import QCoreApplication
from PySide6.QtDBus import QDBusConnection
app = QCoreApplication(sys.argv)
from loudsync_desktop.sleep_inhibitor import BUS_NAME, SleepInhibitor
inhibitor = SleepInhibitor()
print("acquired", inhibitor.acquire("Hosting a LoudSync party"), inhibitor.how, flush=True)
inhibitor.release()
print("released", inhibitor.active, QDBusConnection(BUS_NAME).isConnected(), flush=True)
"""


@pytest.fixture
def session_bus(tmp_path):
    """A private session bus; yields the environment that points at it."""
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = daemon.stdout.readline().strip()
        assert address, "dbus-daemon printed no address"
        yield {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}
    finally:
        daemon.kill()
        daemon.wait()


def test_hosting_asks_the_desktop_to_stay_awake_and_lets_go(session_bus):
    desktop = subprocess.Popen([sys.executable, "-m", "tests.platform.fake_screensaver"],
                               cwd=REPO, env=session_bus, stdout=subprocess.PIPE, text=True)
    try:
        assert desktop.stdout.readline().strip() == "ready"
        run = subprocess.run([sys.executable, "-c", CHECK], cwd=REPO, env=session_bus,
                             capture_output=True, text=True, timeout=30)
        assert "acquired True org.freedesktop.ScreenSaver" in run.stdout, run.stdout + run.stderr
        assert "released False False" in run.stdout, run.stdout + run.stderr
        line = desktop.stdout.readline()   # printed before it answered the call above
        assert line.startswith("inhibit LoudSync Hosting a LoudSync party -> "), line
    finally:
        desktop.kill()
        desktop.wait()


def test_without_a_session_bus_hosting_goes_on_quietly():
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus"
    run = subprocess.run([sys.executable, "-c", CHECK], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=30)
    assert "acquired False" in run.stdout and "released False False" in run.stdout, \
        run.stdout + run.stderr
    assert "Traceback" not in run.stderr
