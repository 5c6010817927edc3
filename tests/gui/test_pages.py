"""What each page does with keys, the Nearby list's states, settings, and a clean exit."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QGuiApplication

from tests.gui.conftest import _our_sockets, open_settings
from tests.gui.helpers import (answer_alert, click, click_row, connected_count, host_party,
                               join_by_address, nearby_rows, no_alert, open_join_page, page_name,
                               port_is_free, press_enter, row_center, type_into,
                               wait_connected, wait_page)


# -- the code field -----------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_code_field_formats_while_typing_and_pasting(qtbot, make_window):
    window = make_window("Guest")
    open_join_page(qtbot, window)
    edit = window.join_page.ui.codeEdit
    assert edit.hasFocus() or not window.isActiveWindow()   # empty list: the code field first
    edit.setFocus()
    qtbot.keyClicks(edit, "abc2")
    assert edit.text() == "ABC-2"
    assert edit.cursorPosition() == len("ABC-2")
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text() == "ABC"                   # the digit goes, and no dangling dash
    qtbot.keyClicks(edit, "-234zz")               # a typed dash, and too many characters
    assert edit.text() == "ABC-234"

    type_into(qtbot, edit, "")
    QGuiApplication.clipboard().setText("abc 234")
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert edit.text() == "ABC-234"
    assert edit.cursorPosition() == len("ABC-234")


# -- Esc ---------------------------------------------------------------------------------------------
def _escape(qtbot, window, widget) -> None:
    """Esc as a person presses it: in the active window, on the focused field."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Escape)


def test_escape_goes_back_from_host_page(qtbot, make_window):
    window = make_window("Alex")
    click(qtbot, window.home.ui.hostButton)
    wait_page(qtbot, window, "host")
    _escape(qtbot, window, window.host_page.ui.partyNameEdit)
    wait_page(qtbot, window, "home", timeout=2000)
    assert window.model.server is None and no_alert(window)


@pytest.mark.isolated_net
def test_escape_goes_back_from_join_page_and_stops_scanning(qtbot, make_window):
    window = make_window("Alex")
    open_join_page(qtbot, window)
    qtbot.waitUntil(lambda: window.nearby.scanning, timeout=3000)
    _escape(qtbot, window, window.join_page.ui.codeEdit)
    wait_page(qtbot, window, "home", timeout=2000)
    qtbot.waitUntil(lambda: not window.nearby.scanning and window.nearby.discovery is None,
                    timeout=3000)


# -- the Nearby list ---------------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_nearby_shows_the_empty_state_when_nothing_is_found(qtbot, make_window):
    window = make_window("Alone")
    open_join_page(qtbot, window)
    ui = window.join_page.ui
    qtbot.waitUntil(lambda: window.nearby.scanning, timeout=3000)
    assert ui.scanBar.isVisible()
    qtbot.wait(1500)                               # UDP answers come within ~0.1 s, mDNS too
    assert nearby_rows(window) == []
    assert ui.nearbyStack.currentWidget() is ui.emptyPage
    assert ui.emptyLabel.isVisible()
    assert "No parties found yet." in ui.emptyLabel.text()
    assert not ui.sessionList.isVisible()


@pytest.mark.isolated_net
def test_nearby_shows_a_full_party_greyed_out(qtbot, make_window):
    full = make_window("Fullhost", discovery=True)
    host_party(qtbot, full, "Packed", max_devices=2)
    first = make_window("First")
    join_by_address(qtbot, first, full.model.port)
    wait_connected(qtbot, [full, first], 2)

    guest = make_window("Late")
    open_join_page(qtbot, guest)
    qtbot.waitUntil(lambda: [(r["name"], r["members"]) for r in nearby_rows(guest)]
                    == [("Packed", "2/2")], timeout=10_000)
    row = nearby_rows(guest)[0]
    assert row["full"] and not row["enabled"]
    view = guest.join_page.ui.sessionList
    host_events = []
    full.model.server.add_listener(host_events.append)

    # It cannot be made current or activated: click, Enter and double-click do nothing.
    click_row(qtbot, view, 0)
    assert not view.currentIndex().isValid()
    view.setFocus()
    press_enter(qtbot, view)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_center(view, 0))
    qtbot.wait(300)
    assert page_name(guest) == "join" and guest.model.status == "idle" and no_alert(guest)
    assert host_events == [] and connected_count(full) == 2

    # A party with room appears next to it, enabled.
    roomy = make_window("Openhost", discovery=True)
    host_party(qtbot, roomy, "Roomy", max_devices=4)
    qtbot.waitUntil(lambda: len(nearby_rows(guest)) == 2, timeout=10_000)
    rows = {r["name"]: r for r in nearby_rows(guest)}
    assert (rows["Roomy"]["members"], rows["Roomy"]["full"], rows["Roomy"]["enabled"]) == \
        ("1/4", False, True)
    assert not rows["Packed"]["enabled"]


@pytest.mark.isolated_net
def test_leaving_the_join_page_at_once_stops_scanning(qtbot, make_window, gui_loop):
    """Join Party then Back at once: the scan must stop (the app's own way out, no loop spin)."""
    window = make_window("Quick")
    click(qtbot, window.home.ui.joinButton)
    click(qtbot, window.join_page.ui.backButton)        # before the scan has started
    assert page_name(window) == "home"
    qtbot.wait(1000)
    assert not window.nearby.scanning, "Home, but the model says it is scanning"
    leaked = [t for t in asyncio.all_tasks(gui_loop)
              if not t.done() and "DiscoveryService" in repr(t.get_coro())]
    assert not leaked, f"still scanning after Back: {leaked}"


# -- leaving no trace -----------------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_closing_a_hosting_window_leaves_no_task_and_no_socket(qtbot, make_window, gui_loop):
    before = _our_sockets()
    window = make_window("Hosty", discovery=True)
    host_party(qtbot, window, "Short")
    port = window.model.port
    assert _our_sockets() - before                 # listening + mDNS/UDP sockets while hosting
    window.close()
    qtbot.waitUntil(lambda: window.alerts.active is not None, timeout=3000)
    click(qtbot, window.alerts.active.findChild(type(window.room.ui.leaveButton), "confirmButton"))
    qtbot.waitUntil(lambda: window.closed_for_test, timeout=10_000)
    qtbot.waitUntil(lambda: not window._tasks, timeout=5000)
    qtbot.waitUntil(lambda: not [t for t in asyncio.all_tasks(gui_loop) if not t.done()],
                    timeout=5000)
    qtbot.waitUntil(lambda: not (_our_sockets() - before), timeout=5000)
    assert port_is_free(port)


# -- settings -------------------------------------------------------------------------------------------
def test_settings_persist_across_windows_on_the_same_file(qtbot, make_window, settings_file):
    path = settings_file()
    first = make_window(settings_path=path)
    type_into(qtbot, first.home.ui.nameEdit, "Alex")
    host_party(qtbot, first, "Garden party", max_devices=5)
    first.resize(QSize(620, 760))
    first.move(QPoint(40, 30))
    click(qtbot, first.room.ui.leaveButton)
    qtbot.waitUntil(lambda: first.alerts.active is not None, timeout=3000)
    answer_alert(qtbot, first, "confirm")
    wait_page(qtbot, first, "home")
    device_id = first.model.device_id
    size = first.size()
    first.close()
    qtbot.waitUntil(lambda: first.closed_for_test, timeout=5000)

    second = make_window(settings_path=path)
    assert second.model.device_id == device_id
    assert second.home.ui.nameEdit.text() == "Alex"
    assert second.size() == size == QSize(620, 760)
    click(qtbot, second.home.ui.hostButton)
    ui = second.host_page.ui
    assert ui.partyNameEdit.text() == "Garden party"
    assert ui.maxDevicesSpin.value() == 5
    assert ui.hostNameEdit.text() == "Alex"


def test_device_id_is_stable_and_per_installation(tmp_path):
    path = tmp_path / "one.ini"
    first = open_settings(path).device_id
    assert first.startswith("desktop-")
    assert open_settings(path).device_id == first          # read back from the file
    assert open_settings(path).device_id == first
    assert open_settings(tmp_path / "other.ini").device_id != first


def test_a_name_typed_on_home_is_kept_for_next_time(qtbot, make_window, settings_file):
    path = settings_file()
    window = make_window(settings_path=path)
    type_into(qtbot, window.home.ui.nameEdit, "Robin")
    click(qtbot, window.home.ui.hostButton)           # the name is taken (and saved) here
    assert window.host_page.ui.hostNameEdit.text() == "Robin"
    window.settings.store.sync()
    again = make_window(settings_path=path)
    assert again.home.ui.nameEdit.text() == "Robin"


def test_enter_in_the_party_name_creates_the_session(qtbot, make_window):
    window = make_window("Kim")
    click(qtbot, window.home.ui.hostButton)
    type_into(qtbot, window.host_page.ui.partyNameEdit, "Keyboard party")
    press_enter(qtbot, window.host_page.ui.partyNameEdit)
    wait_page(qtbot, window, "room", timeout=5000)
    assert window.room.ui.partyNameLabel.text() == "Keyboard party"
    assert connected_count(window) == 1
