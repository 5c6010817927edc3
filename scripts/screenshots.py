#!/usr/bin/env python3
r"""Save a PNG of every screen of the desktop app into screenshots/ (for review by eye).

Run it as a real X11 app under Xvfb, inside a private network namespace (the parties it
hosts advertise themselves, and the Join page scans):

    xvfb-run -a -s "-screen 0 1280x800x24" scripts/in-private-net.sh \
        .venv/bin/python scripts/screenshots.py

(xvfb and xauth come with `scripts/setup.sh test`.) QT_QPA_PLATFORM defaults to xcb here;
if the xcb plugin does not load, QT_DEBUG_PLUGINS=1 names the missing library. With
QT_QPA_PLATFORM=offscreen it also runs, grabbing widgets instead of the screen.

Screens: Home, Host Party, Host Party with an inline error, Join Party (empty, two parties
nearby of which one is full, connecting), the Player Room as host (3 members) and as guest,
the End Party confirmation, the "The host ended the party" alert, and Home in a dark palette.
With ``--dark`` every screen is taken in a dark palette instead (names end in ``-dark``).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

import PySide6  # noqa: E402,F401  (before qasync)
import qasync  # noqa: E402
from PySide6.QtCore import QRect, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from loudsync_desktop.app import build_window, create_app  # noqa: E402
from loudsync_desktop.audio.devices import TestOutputDevice  # noqa: E402
from loudsync_desktop.model.session_model import SessionOptions  # noqa: E402
from loudsync_desktop.settings import DISPLAY_NAME, Settings  # noqa: E402
from loudsync_desktop.views.theme import dark_palette  # noqa: E402
from testsupport.measure import write_test_tone  # noqa: E402

OUT = ROOT / "screenshots"
SETTINGS_DIR = Path(tempfile.mkdtemp(prefix="loudsync-shots-"))
WINDOW_SIZE = (980, 700)
DARK = "--dark" in sys.argv[1:]
SUFFIX = "-dark" if DARK else ""
windows = []


def make_window(name: str, *, discovery: bool = False, port: int = 0):
    settings = Settings(QSettings(str(SETTINGS_DIR / f"{name}-{len(windows)}.ini"),
                                  QSettings.Format.IniFormat))
    settings.set(DISPLAY_NAME, name)
    window = build_window(settings, SessionOptions(port=port, bind="127.0.0.1",
                                                   discovery=discovery, find_timeout_s=2.0,
                                                   audio_output=TestOutputDevice))
    window.resize(*WINDOW_SIZE)
    window.move(40, 40)
    window.show()
    windows.append(window)
    return window


async def until(predicate, timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def shoot(name: str, window) -> Path:
    """Raise the window (and its alert), let it paint, and save what the screen shows."""
    window.raise_()
    window.activateWindow()
    box = window.alerts.active or next(iter(getattr(window, "_requests", {}).values()), None)
    if box is not None:
        box.raise_()
        box.activateWindow()
    await asyncio.sleep(0.4)   # let Qt paint (no processEvents() here: it would re-enter asyncio)
    path = OUT / f"{name}{SUFFIX}.png"
    if QGuiApplication.platformName() == "xcb":
        area = window.frameGeometry()
        if box is not None:
            area = area.united(box.frameGeometry())
        area = area.adjusted(-8, -8, 8, 8).intersected(QRect(QGuiApplication.primaryScreen()
                                                             .geometry()))
        pixmap = QGuiApplication.primaryScreen().grabWindow(0, area.x(), area.y(),
                                                            area.width(), area.height())
    else:  # offscreen: no screen to grab; an alert is a window of its own
        pixmap = (box if box is not None else window).grab()
    assert not pixmap.isNull(), name
    pixmap.save(str(path))
    print(f"saved {path.relative_to(ROOT)} ({pixmap.width()}x{pixmap.height()})")
    return path


async def host(window, party: str, max_devices: int) -> None:
    window.home.ui.hostButton.click()
    window.host_page.ui.partyNameEdit.setText(party)
    window.host_page.ui.maxDevicesSpin.setValue(max_devices)
    window.host_page.ui.createButton.click()
    await until(lambda: window.current_page() is window.room, what=f"{party} to start")


async def join(window, port: int) -> None:
    if window.current_page() is not window.join_page:
        window.home.ui.joinButton.click()
    window.join_page.ui.addressEdit.setText(f"127.0.0.1:{port}")
    window.join_page.ui.addressJoinButton.click()
    await until(lambda: window.current_page() is window.room, what="the guest to join")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    if DARK:
        set_dark_palette()

    # Home and Host Party
    alex = make_window("Alex")
    await shoot("01-home", alex)
    alex.home.ui.hostButton.click()
    alex.host_page.ui.partyNameEdit.setText("Rooftop Party")
    await shoot("02-host-party", alex)

    # Host Party with an inline error: the chosen port is taken
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        blocked = make_window("Blake", port=taken.getsockname()[1])
        blocked.home.ui.hostButton.click()
        blocked.host_page.ui.partyNameEdit.setText("Blocked Party")
        blocked.host_page.ui.createButton.click()
        await until(blocked.host_page.ui.errorLabel.isVisible, what="the inline error")
        await shoot("03-host-party-error", blocked)
    blocked.quit_now()
    alex.host_page.ui.backButton.click()

    # Join Party, nothing nearby yet
    gina = make_window("Gina")
    gina.home.ui.joinButton.click()
    await until(lambda: gina.nearby.scanning, what="the scan")
    await asyncio.sleep(1.5)
    await shoot("04-join-empty", gina)

    # Two parties nearby, one of them full
    hosty = make_window("Hosty", discovery=True)
    await host(hosty, "Rooftop Party", 8)
    fran = make_window("Fran", discovery=True)
    await host(fran, "Packed Kitchen", 2)
    await join(alex, fran.model.port)
    await until(lambda: gina.nearby.rowCount() == 2
                and all(gina.nearby.session_at(i).announcement.member_count
                        == (2 if gina.nearby.session_at(i).announcement.max_members == 2 else 1)
                        for i in range(2)), what="two parties nearby")
    await shoot("05-join-two-nearby", gina)
    view = gina.join_page.ui.sessionList
    full_row = next(i for i in range(2) if gina.nearby.session_at(i).is_full)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=view.visualRect(gina.nearby.index(full_row)).center())
    await until(gina.join_page.ui.listError.isVisible, what="the full party explained")
    await shoot("05b-join-full-explained", gina)

    # Player Room: host with 3 members and music playing, and a guest's view
    await join(gina, hosty.model.port)
    gus = make_window("Gus")
    await join(gus, hosty.model.port)
    await until(lambda: hosty.model.memberCount == 3, what="3 members")
    await until(hosty.notice.isVisible, what="the host's notice")
    await shoot("07a-room-host-notice", hosty)
    music = SETTINGS_DIR / "music"
    music.mkdir(exist_ok=True)
    for title, seconds in (("Sunset Drive", 200), ("City Lights", 30), ("Night Swim", 20)):
        write_test_tone(music / f"{title}.wav", seconds)
        await hosty.model.player.add_files([str(music / f"{title}.wav")])
    hosty.model.player.toggle()
    await until(lambda: "In sync" in gina.model.player.sync_text, what="the guest in sync")
    await asyncio.sleep(2.5)   # a sync report reaches the host's member list
    await shoot("07-room-host", hosty)
    await shoot("08-room-guest", gina)

    # Join Party while connecting: a port that accepts but never answers
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        kim = make_window("Kim")
        kim.home.ui.joinButton.click()
        await until(lambda: kim.nearby.scanning, what="the scan")
        kim.join_page.ui.addressEdit.setText(f"127.0.0.1:{silent.getsockname()[1]}")
        kim.join_page.ui.addressJoinButton.click()
        await until(kim.join_page.ui.busyRow.isVisible, what="connecting")
        await asyncio.sleep(0.3)
        await shoot("06-join-connecting", kim)
        kim.resize(440, 600)                 # the narrowest window: the alert's title fits
        await until(lambda: kim.alerts.active is not None, what="the join to fail")
        await shoot("06b-join-failed-narrow", kim)
        kim.alerts.active.done(0)

    # End Session: the confirmation, then what a guest sees
    hosty.room.ui.leaveButton.click()
    await until(lambda: hosty.alerts.active is not None, what="the confirmation")
    await shoot("09-end-session-confirm", hosty)
    hosty.alerts.active.findChild(type(hosty.room.ui.leaveButton), "confirmButton").click()
    await until(lambda: gina.alerts.active is not None, what="the guest's alert")
    await shoot("10-session-ended-alert", gina)
    gina.alerts.active.button(QMessageBox.StandardButton.Ok).click()

    # Host Party with the PIN option, and an approval request on a host's screen
    pat = make_window("Pat")
    pat.home.ui.hostButton.click()
    pat.host_page.ui.partyNameEdit.setText("Members Only")
    pat.host_page.ui.accessCombo.setCurrentIndex(1)
    await shoot("12-host-party-pin", pat)
    pat.host_page.ui.accessCombo.showPopup()
    await shoot("12b-who-may-join-open", pat)
    pat.host_page.ui.accessCombo.hidePopup()
    pat.host_page.ui.accessCombo.setCurrentIndex(2)
    pat.host_page.ui.createButton.click()
    await until(lambda: pat.model.status == "hosting", what="the approval party")
    quinn = make_window("Quinn")
    quinn.home.ui.joinButton.click()
    quinn.join_page.ui.addressEdit.setText(f"127.0.0.1:{pat.model.port}")
    quinn.join_page.ui.addressJoinButton.click()
    await until(lambda: bool(pat._requests), what="the join request")
    await shoot("13-join-request", pat)
    await shoot("14-waiting-for-approval", quinn)
    next(iter(pat._requests.values())).buttons()[0].click()
    await until(lambda: quinn.model.status == "connected", what="the approved guest")

    if not DARK:   # Home in a dark palette (with --dark every screen is)
        set_dark_palette()
        dark = make_window("Dana")
        await shoot("11-home-dark", dark)

    for window in windows:
        window.quit_now()
    await until(lambda: all(not w.isVisible() for w in windows), what="all windows to close")
    for window in windows:
        await window.wait_idle()


def set_dark_palette() -> None:
    """A dark palette as a dark desktop theme gives Fusion (and the style sheet's palette())."""
    app = QGuiApplication.instance()
    app.setPalette(dark_palette())
    app.setStyleSheet(app.styleSheet())   # re-resolve palette() in the style sheet


def run() -> int:
    app = create_app([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main())
    print(f"platform: {QGuiApplication.platformName()}; screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
