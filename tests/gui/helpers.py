"""Helpers for the GUI tests: clicks and typing on real widgets, alerts, CLI processes."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QPushButton, QWidget

from loudsync_desktop.model.member_list import MemberListModel
from loudsync_desktop.model.nearby_sessions import NearbySessionsModel
from testsupport import DEADLINE_S

ROOT = Path(__file__).resolve().parents[2]
CODE_SHAPE = re.compile(r"^[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{3}$")
# Every wait for something to happen: generous, as it only costs time when a test fails
# (a loaded machine is slow, not wrong).
DEADLINE_MS = int(DEADLINE_S * 1000)


# -- asyncio from sync tests ---------------------------------------------------------------
def run_until_done(qtbot, coro, timeout_ms: int = DEADLINE_MS):
    """Run a coroutine on the qasync loop while qtbot spins Qt; return its result."""
    task = asyncio.ensure_future(coro)
    try:
        qtbot.waitUntil(task.done, timeout=timeout_ms)
    except BaseException:
        task.cancel()
        raise
    return task.result()


# -- input ------------------------------------------------------------------------------
def click(qtbot, widget: QWidget) -> None:
    """A left click in the middle of a visible, enabled widget."""
    assert widget.isVisible(), f"{widget.objectName()} is not visible"
    assert widget.isEnabled(), f"{widget.objectName()} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot, edit: QWidget, text: str) -> None:
    """Replace what a field holds by typing, as a person would (Ctrl+A, then the keys)."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)


def press_enter(qtbot, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def row_center(view, row: int) -> QPoint:
    return view.visualRect(view.model().index(row, 0)).center()


def click_row(qtbot, view, row: int) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_center(view, row))


# -- what a window shows ---------------------------------------------------------------------
def page_name(window) -> str:
    page = window.current_page()
    return {window.home: "home", window.host_page: "host", window.join_page: "join",
            window.room: "room"}[page]


def wait_page(qtbot, window, name: str, timeout: int = DEADLINE_MS) -> None:
    qtbot.waitUntil(lambda: page_name(window) == name, timeout=timeout)


def count_text(window) -> str:
    return window.room.ui.countLabel.text()


def connected_count(window) -> int | None:
    """N from the room's "N of M connected" ("N connected" where the host did not say M)."""
    found = re.fullmatch(r"(\d+)(?: of \d+)? connected", count_text(window))
    return int(found.group(1)) if found else None


def member_ids(window) -> list[str]:
    return [m.id for m in window.model.members.members()]


def member_texts(window) -> list[str]:
    model = window.room.ui.memberList.model()
    return [model.index(i, 0).data() for i in range(model.rowCount())]


def member_names(window) -> list[str]:
    model = window.room.ui.memberList.model()
    return [model.index(i, 0).data(MemberListModel.NameRole) for i in range(model.rowCount())]


def nearby_rows(window) -> list[dict]:
    view = window.join_page.ui.sessionList
    model = view.model()
    rows = []
    for i in range(model.rowCount()):
        index = model.index(i, 0)
        rows.append({
            "name": index.data(),
            "host": index.data(NearbySessionsModel.HostNameRole),
            "members": index.data(NearbySessionsModel.MembersTextRole),
            "full": bool(index.data(NearbySessionsModel.FullRole)),
            "enabled": bool(model.flags(index) & Qt.ItemFlag.ItemIsEnabled),
            "code": model.session_at(i).announcement.session_id,
        })
    return rows


def wait_connected(qtbot, windows, count: int, timeout: int = DEADLINE_MS) -> None:
    """Every window shows the room with "<count> of M connected" (or "<count> connected")."""
    qtbot.waitUntil(lambda: all(page_name(w) == "room" and connected_count(w) == count
                                and len(member_ids(w)) == count for w in windows),
                    timeout=timeout)


# -- alerts ---------------------------------------------------------------------------------
def wait_alert(qtbot, window, timeout: int = DEADLINE_MS) -> QMessageBox:
    qtbot.waitUntil(lambda: window.alerts.active is not None and window.alerts.active.isVisible(),
                    timeout=timeout)
    return window.alerts.active


def no_alert(window) -> bool:
    return window.alerts.active is None


def alert_button(box: QMessageBox, which) -> QAbstractButton:
    if which == "confirm":
        button = box.findChild(QPushButton, "confirmButton")
    else:
        button = box.button(which)
    assert button is not None, f"no {which} button on {box.text()!r}"
    return button


def answer_alert(qtbot, window, which=QMessageBox.StandardButton.Ok) -> None:
    """Click a button of the window's alert and wait until it is gone."""
    box = window.alerts.active
    click(qtbot, alert_button(box, which))
    qtbot.waitUntil(lambda: window.alerts.active is not box, timeout=DEADLINE_MS)


# -- ports ----------------------------------------------------------------------------------
def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


# -- the CLI ---------------------------------------------------------------------------------
class CliProcess:
    """``python -m loudsync_desktop ARGS``; with ``--json`` its events are parsed as they come."""

    def __init__(self, qtbot, *args: str) -> None:
        self.qtbot = qtbot
        self.args = args
        self.events: list[dict] = []
        self.lines: list[str] = []
        self.stderr: list[str] = []
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "loudsync_desktop", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, text=True, cwd=ROOT, env=env)
        self._threads = [threading.Thread(target=self._read, args=(self.proc.stdout, True),
                                          daemon=True),
                         threading.Thread(target=self._read, args=(self.proc.stderr, False),
                                          daemon=True)]
        for thread in self._threads:
            thread.start()

    def _read(self, stream, is_stdout: bool) -> None:
        for line in stream:
            line = line.rstrip("\n")
            if not is_stdout:
                self.stderr.append(line)
                continue
            self.lines.append(line)
            try:
                self.events.append(json.loads(line))
            except ValueError:
                pass

    def named(self, name: str) -> list[dict]:
        return [e for e in list(self.events) if e.get("event") == name]

    def wait_event(self, name: str, n: int = 1, timeout: int = DEADLINE_MS) -> dict:
        """The n-th event called ``name`` (waits for it)."""
        try:
            self.qtbot.waitUntil(lambda: len(self.named(name)) >= n or self.proc.poll() is not None,
                                 timeout=timeout)
        except Exception as timed_out:
            raise AssertionError(
                f"no {name!r} from {self.args}: {self.lines} {self.stderr}") from timed_out
        found = self.named(name)
        assert len(found) >= n, \
            f"{self.args} exited ({self.proc.returncode}) before {name!r}: " \
            f"{self.lines} {self.stderr}"
        return found[n - 1]

    def wait_exit(self, timeout: int = DEADLINE_MS) -> int:
        self.qtbot.waitUntil(lambda: self.proc.poll() is not None, timeout=timeout)
        for thread in self._threads:
            thread.join(2)
        return self.proc.returncode

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL; Qt keeps running meanwhile (a GUI peer may be talking to it)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.qtbot.waitUntil(lambda: self.proc.poll() is not None, timeout=DEADLINE_MS)
            except Exception:  # noqa: BLE001
                self.proc.kill()
                self.proc.wait(5)
        for thread in self._threads:
            thread.join(2)


# -- steps of the flow, done with clicks and keys ----------------------------------------------
def host_party(qtbot, window, party: str | None = None, max_devices: int | None = None,
               wait: bool = True) -> None:
    """Home -> Host Party -> (party name, max devices) -> Create Party -> the room."""
    click(qtbot, window.home.ui.hostButton)
    wait_page(qtbot, window, "host")
    ui = window.host_page.ui
    if party is not None:
        type_into(qtbot, ui.partyNameEdit, party)
    if max_devices is not None:
        type_into(qtbot, ui.maxDevicesSpin, str(max_devices))
        assert ui.maxDevicesSpin.value() == max_devices
    click(qtbot, ui.createButton)
    if wait:
        wait_page(qtbot, window, "room", timeout=DEADLINE_MS)


def open_join_page(qtbot, window) -> None:
    """Home -> Join Party (this starts scanning: isolated_net tests only).

    Waits until the scan has started: leaving the page before that leaks the scanner
    (see test_leaving_the_join_page_at_once_stops_scanning).
    """
    click(qtbot, window.home.ui.joinButton)
    wait_page(qtbot, window, "join")
    qtbot.waitUntil(lambda: window.nearby.scanning, timeout=DEADLINE_MS)


def join_by_address(qtbot, window, address: str | int) -> None:
    """On the Join page: type the host's address and press Enter."""
    if isinstance(address, int):
        address = f"127.0.0.1:{address}"
    if page_name(window) == "home":
        open_join_page(qtbot, window)
    type_into(qtbot, window.join_page.ui.addressEdit, address)
    press_enter(qtbot, window.join_page.ui.addressEdit)
