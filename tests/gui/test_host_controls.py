"""What a host decides: a PIN, letting guests in one by one, removing a guest; and what a
guest or a host does when the party breaks: give up reconnecting, resume after a crash.

Hosts run without discovery on 127.0.0.1 and any free port. GUI guests join by address on
the Join page, which scans for parties nearby: those tests are ``isolated_net``. CLI
processes are ``python -m loudsync_desktop ... --json``.
"""

from __future__ import annotations

import re
import signal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (QApplication, QDialogButtonBox, QLineEdit, QMenu, QMessageBox,
                               QPushButton)

from loudsync_desktop.model.session_model import CANNOT_JOIN
from loudsync_desktop.persistence import SESSION_FILE, SessionStore
from loudsync_desktop.protocol.guest import ReconnectPolicy
from tests.gui.helpers import (answer_alert, click, click_row, connected_count, join_by_address,
                               member_ids, member_names, no_alert, page_name, press_enter,
                               row_center, type_into, wait_alert, wait_connected, wait_page)
from tests.gui.helpers import DEADLINE_MS

OK = QMessageBox.StandardButton.Ok
ACCESS_OPEN, ACCESS_PIN, ACCESS_APPROVAL = 0, 1, 2


def cli_host_args(*extra: str) -> tuple[str, ...]:
    return ("host", "--json", "--port", "0", "--bind", "127.0.0.1", "--no-discovery",
            "--name", "Terminal party", "--host-name", "Term", *extra)


# -- the Host page -------------------------------------------------------------------------------
def open_host_page(qtbot, window, access: int) -> None:
    """Home -> Host Party -> choose who may join with the keys (a closed combo box)."""
    click(qtbot, window.home.ui.hostButton)
    wait_page(qtbot, window, "host")
    choose_access(qtbot, window, access)
    assert window.host_page.ui.pinEdit.isVisible() == (access == ACCESS_PIN)


def choose_access(qtbot, window, access: int) -> None:
    combo = window.host_page.ui.accessCombo
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentIndex() == access:
            break
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < access else Qt.Key.Key_Up)
    assert combo.currentIndex() == access


def create(qtbot, window) -> None:
    click(qtbot, window.host_page.ui.createButton)
    wait_page(qtbot, window, "room", timeout=DEADLINE_MS)


# -- the guest's PIN dialog ------------------------------------------------------------------------
def wait_pin_dialog(qtbot, window, not_this=None):
    qtbot.waitUntil(lambda: window.pin_dialog is not None and window.pin_dialog is not not_this
                    and window.pin_dialog.isVisible(), timeout=DEADLINE_MS)
    return window.pin_dialog


def answer_pin(qtbot, dialog, pin: str) -> None:
    type_into(qtbot, dialog.findChild(QLineEdit), pin)
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))


# -- the host's "Let in?" boxes --------------------------------------------------------------------
def wait_request(qtbot, host, name: str) -> QMessageBox:
    def shown():
        return [b for b in host._requests.values() if b.isVisible() and name in b.text()]
    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=DEADLINE_MS)
    return shown()[0]


def request_button(box: QMessageBox, text: str) -> QPushButton:
    found = [b for b in box.buttons() if b.text() == text]
    assert found, f"no {text!r} on {box.text()!r}"
    return found[0]


# -- the member list's context menu ----------------------------------------------------------------
def open_member_menu(qtbot, window, row: int) -> QMenu:
    """A right-click on a member row (the context-menu event the platform sends for it)."""
    view = window.room.ui.memberList
    before = set(window.room.findChildren(QMenu))
    at = row_center(view, row)
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, at, view.viewport().mapToGlobal(at)))
    qtbot.waitUntil(lambda: any(m.isVisible() for m in
                                set(window.room.findChildren(QMenu)) - before), timeout=DEADLINE_MS)
    return next(m for m in set(window.room.findChildren(QMenu)) - before if m.isVisible())


def choose(menu: QMenu, text: str) -> None:
    actions = [a for a in menu.actions() if a.text() == text]
    assert actions, f"no {text!r} in {[a.text() for a in menu.actions()]}"
    actions[0].trigger()
    menu.close()


# -- PIN -------------------------------------------------------------------------------------------
def test_host_page_checks_the_pin(qtbot, make_window):
    window = make_window("Hosty")
    open_host_page(qtbot, window, ACCESS_PIN)
    ui = window.host_page.ui
    assert re.fullmatch(r"\d{4}", ui.pinEdit.text()), ui.pinEdit.text()   # a suggestion
    type_into(qtbot, ui.pinEdit, "12")
    assert ui.pinEdit.text() == "12"
    click(qtbot, ui.createButton)
    assert ui.errorLabel.isVisible() and ui.errorLabel.text() == "A PIN is 4 digits, like 1234."
    assert page_name(window) == "host" and window.model.server is None and no_alert(window)

    # Open and approval parties need no PIN: the field goes away.
    for access in (ACCESS_OPEN, ACCESS_APPROVAL, ACCESS_PIN):
        choose_access(qtbot, window, access)
        assert ui.pinEdit.isVisible() == ui.pinLabel.isVisible() == (access == ACCESS_PIN)

    type_into(qtbot, ui.pinEdit, "0042")
    press_enter(qtbot, ui.pinEdit)                    # Enter in the PIN field creates too
    wait_page(qtbot, window, "room", timeout=DEADLINE_MS)
    assert window.model.access == "pin" and window.model.pin == "0042"
    pin = window.room.ui.pinValueLabel
    assert pin.isVisible() and pin.text() == "0042"


@pytest.mark.isolated_net
def test_pin_party_asks_guests_for_the_pin(qtbot, make_window, cli):
    host = make_window("Hosty")
    open_host_page(qtbot, host, ACCESS_PIN)
    type_into(qtbot, host.host_page.ui.pinEdit, "4821")
    create(qtbot, host)
    assert host.room.ui.pinValueLabel.text() == "4821"
    address = f"127.0.0.1:{host.model.port}"

    guest = make_window("Gina")
    join_by_address(qtbot, guest, address)
    dialog = wait_pin_dialog(qtbot, guest)
    assert dialog.labelText() == "This party needs a PIN. Ask the host for the 4-digit PIN:"
    assert page_name(guest) == "join" and guest.model.status == "idle" and no_alert(guest)
    assert connected_count(host) == 1

    answer_pin(qtbot, dialog, "1111")                  # wrong: asked again, no way in
    again = wait_pin_dialog(qtbot, guest, not_this=dialog)
    assert again.labelText().startswith("Wrong PIN.")
    assert page_name(guest) == "join" and no_alert(guest)
    assert connected_count(host) == 1

    answer_pin(qtbot, again, "4821")
    wait_connected(qtbot, [host, guest], 2)
    assert guest.pin_dialog is None and no_alert(guest) and no_alert(host)
    assert member_names(host) == ["Hosty", "Gina"]

    # The terminal's guest gives it on the command line.
    cal = cli("join", address, "--json", "--name", "Cal", "--pin", "4821")
    cal.wait_event("welcome")
    wait_connected(qtbot, [host, guest], 3)
    assert member_names(guest) == ["Hosty", "Gina", "Cal"]


# -- approval --------------------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_approval_party_lets_in_declines_and_forgets_withdrawn_requests(qtbot, make_window):
    host = make_window("Hosty")
    open_host_page(qtbot, host, ACCESS_APPROVAL)
    create(qtbot, host)
    assert host.room.ui.pinLabel.isVisible()
    assert host.room.ui.pinLabel.text() == "You let each guest in"
    port = host.model.port

    # Gina asks; the host declines.
    gina = make_window("Gina")
    join_by_address(qtbot, gina, port)
    box = wait_request(qtbot, host, "Gina")
    assert box.text() == "Gina wants to join the party."
    assert no_alert(host)                  # a question of its own, not an alert
    jp = gina.join_page.ui
    qtbot.waitUntil(lambda: jp.busyLabel.text() == "Waiting for the host to let you in",
                    timeout=DEADLINE_MS)
    assert jp.busyRow.isVisible() and page_name(gina) == "join"
    click(qtbot, request_button(box, "Decline"))
    alert = wait_alert(qtbot, gina)
    assert alert.windowTitle() == CANNOT_JOIN
    assert alert.informativeText() == "The host declined your request to join"
    answer_alert(qtbot, gina, OK)
    assert page_name(gina) == "join" and gina.model.status == "idle"
    qtbot.waitUntil(lambda: not gina.model.busy, timeout=DEADLINE_MS)     # ready to try again
    assert not host._requests and connected_count(host) == 1 and no_alert(host)

    # She asks again; this time the host lets her in.
    press_enter(qtbot, jp.addressEdit)
    box = wait_request(qtbot, host, "Gina")
    click(qtbot, request_button(box, "Let in"))
    wait_connected(qtbot, [host, gina], 2)
    assert not host._requests and not box.isVisible()
    assert member_names(gina) == ["Hosty", "Gina"] and no_alert(gina)

    # Gus asks, then thinks better of it: the host's question goes away by itself.
    gus = make_window("Gus")
    join_by_address(qtbot, gus, port)
    box = wait_request(qtbot, host, "Gus")
    qtbot.waitUntil(lambda: gus.join_page.ui.cancelButton.isVisible(), timeout=DEADLINE_MS)
    click(qtbot, gus.join_page.ui.cancelButton)
    qtbot.waitUntil(lambda: not host._requests and not box.isVisible(), timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: gus.model.status == "idle" and not gus.model.busy, timeout=DEADLINE_MS)
    assert page_name(gus) == "join" and no_alert(gus) and no_alert(host)
    wait_connected(qtbot, [host, gina], 2)

    # Gus asks again, and the host ends the party before answering: the question goes too.
    press_enter(qtbot, gus.join_page.ui.addressEdit)
    box = wait_request(qtbot, host, "Gus")
    click(qtbot, host.room.ui.leaveButton)
    answer_alert(qtbot, host, "confirm")
    wait_page(qtbot, host, "home")
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=DEADLINE_MS)
    assert not host._requests and no_alert(host)
    assert wait_alert(qtbot, gus).windowTitle() == CANNOT_JOIN
    answer_alert(qtbot, gus, OK)
    assert gus.model.status == "idle"


# -- removing a guest -----------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_host_removes_guests_with_the_menu_and_the_delete_key(qtbot, make_window, cli):
    host = make_window("Hosty")
    open_host_page(qtbot, host, ACCESS_OPEN)
    create(qtbot, host)
    address = f"127.0.0.1:{host.model.port}"
    ann = cli("join", address, "--json", "--name", "Ann")
    ann.wait_event("welcome")
    gina = make_window("Gina")
    join_by_address(qtbot, gina, address)
    wait_connected(qtbot, [host, gina], 3)
    ben = cli("join", address, "--json", "--name", "Ben")
    ben.wait_event("welcome")
    wait_connected(qtbot, [host, gina], 4)
    assert member_names(host) == ["Hosty", "Ann", "Gina", "Ben"]

    # Neither the host's own row nor a guest's view offers the menu.
    menus = len(host.room.findChildren(QMenu))
    at = row_center(host.room.ui.memberList, 0)
    QApplication.sendEvent(host.room.ui.memberList.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, at, host.room.ui.memberList.viewport().mapToGlobal(at)))
    assert len(host.room.findChildren(QMenu)) == menus

    # The host opens Ann's menu; Ann leaves before the host picks the action: nobody else
    # may be removed in her place.
    menu = open_member_menu(qtbot, host, 1)
    assert [a.text() for a in menu.actions()] == ["Remove Ann from the party"]
    ann.signal(signal.SIGTERM)
    assert ann.wait_exit() == 0
    wait_connected(qtbot, [host, gina], 3)
    choose(menu, "Remove Ann from the party")
    qtbot.wait(300)
    assert member_names(host) == ["Hosty", "Gina", "Ben"] and no_alert(gina)

    # Remove Gina from the party.
    choose(open_member_menu(qtbot, host, 1), "Remove Gina from the party")
    box = wait_alert(qtbot, gina)
    assert box.informativeText() == "The host removed you from the party"
    answer_alert(qtbot, gina, OK)
    wait_page(qtbot, gina, "home")
    assert gina.model.status == "idle" and not member_ids(gina)
    wait_connected(qtbot, [host], 2)
    assert member_names(host) == ["Hosty", "Ben"] and no_alert(host)

    # Delete on a selected guest removes that guest too.
    if not host.isActiveWindow():
        with qtbot.waitActive(host):
            host.activateWindow()
    view = host.room.ui.memberList
    click_row(qtbot, view, 1)
    assert view.hasFocus() and view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert ben.wait_event("error")["code"] == "REMOVED_BY_HOST"
    assert ben.wait_exit() != 0
    wait_connected(qtbot, [host], 1)
    assert no_alert(host)


# -- when the party breaks -------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_give_up_reconnecting_goes_home_quietly(qtbot, make_window, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(tmp_path / "data"))   # the killed host's file
    host = cli(*cli_host_args())
    hosting = host.wait_event("hosting")
    guest = make_window("Gina", reconnect_policy=ReconnectPolicy((0, 300, 500),
                                                                  give_up_after_ms=120_000))
    join_by_address(qtbot, guest, hosting["port"])
    wait_connected(qtbot, [guest], 2)
    ui = guest.room.ui
    assert not ui.statusRow.isVisible()

    host.proc.kill()                                   # the host's laptop dies
    host.wait_exit()
    qtbot.waitUntil(lambda: ui.statusRow.isVisible(), timeout=DEADLINE_MS)
    assert ui.statusLabel.text().startswith("Reconnecting…"), ui.statusLabel.text()
    assert ui.giveUpButton.isVisible() and page_name(guest) == "room" and no_alert(guest)

    click(qtbot, ui.giveUpButton)
    wait_page(qtbot, guest, "home")
    assert guest.model.status == "idle" and not guest.model.reconnecting
    qtbot.wait(700)                                    # and nothing comes after
    assert no_alert(guest) and page_name(guest) == "home"


def killed_cli_party(qtbot, cli, data_dir, guest: bool):
    """A CLI host (saving its party in ``data_dir``) killed with SIGKILL, and optionally a
    CLI guest that was in it and is now retrying."""
    host = cli(*cli_host_args())
    hosting = host.wait_event("hosting")
    store = SessionStore(data_dir / SESSION_FILE)
    ann = None
    if guest:
        ann = cli("join", f"127.0.0.1:{hosting['port']}", "--json", "--name", "Ann",
                  "--no-discovery")
        welcome = ann.wait_event("welcome")
        qtbot.waitUntil(lambda: any(g["member"]["id"] == welcome["deviceId"]
                                    for g in (store.load() or {}).get("guests", [])),
                        timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: store.load() is not None, timeout=DEADLINE_MS)
    host.proc.kill()
    host.wait_exit()
    if ann is not None:
        ann.wait_event("reconnecting")
    assert store.load()["config"]["sessionId"] == hosting["sessionId"]
    return hosting, store, ann


def test_resume_offer_brings_the_party_back(qtbot, make_window, cli, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(data))
    hosting, store, ann = killed_cli_party(qtbot, cli, data, guest=True)

    window = make_window("Hosty", store=SessionStore(store.path))
    box = wait_alert(qtbot, window)
    assert box.windowTitle() == "Resume your party?"
    assert "'Terminal party'" in box.informativeText()
    assert page_name(window) == "home"
    answer_alert(qtbot, window, "confirm")
    wait_page(qtbot, window, "room", timeout=DEADLINE_MS)
    assert window.model.role == "host" and window.model.status == "hosting"
    assert window.room.ui.codeLabel.text() == hosting["code"]
    assert window.room.ui.partyNameLabel.text() == "Terminal party"

    ann.wait_event("reconnected", timeout=DEADLINE_MS)   # Ann was retrying: her place is back
    wait_connected(qtbot, [window], 2)
    assert member_names(window) == ["Term", "Ann"]
    assert no_alert(window) and ann.proc.poll() is None


def test_resume_offer_cancelled_forgets_the_party(qtbot, make_window, cli, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(data))
    _hosting, store, _ = killed_cli_party(qtbot, cli, data, guest=False)

    # Quitting with the question unanswered keeps the party for the next start.
    first = make_window("Hosty", store=SessionStore(store.path))
    assert wait_alert(qtbot, first).windowTitle() == "Resume your party?"
    first.close()
    qtbot.waitUntil(lambda: first.closed_for_test, timeout=DEADLINE_MS)
    assert store.load() is not None

    window = make_window("Hosty", store=SessionStore(store.path))
    box = wait_alert(qtbot, window)
    assert box.windowTitle() == "Resume your party?"
    answer_alert(qtbot, window, QMessageBox.StandardButton.Cancel)
    assert not store.path.exists() and store.load() is None
    assert page_name(window) == "home" and window.model.server is None and no_alert(window)

    # Nothing offered the next time either.
    again = make_window("Hosty", store=SessionStore(store.path))
    qtbot.wait(300)
    assert no_alert(again) and page_name(again) == "home"
