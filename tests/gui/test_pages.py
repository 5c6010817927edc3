"""What each page does with keys, the Nearby list's states, settings, and a clean exit."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from tests.gui.conftest import _our_sockets, open_settings
from tests.gui.helpers import (answer_alert, click, click_row, connected_count, host_party,
                               join_by_address, nearby_rows, no_alert, open_join_page, page_name,
                               port_is_free, press_enter, row_center, type_into,
                               wait_connected, wait_page)
from tests.gui.helpers import DEADLINE_MS


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


# -- Esc -------------------------------------------------------------------------------------------
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
    wait_page(qtbot, window, "home", timeout=DEADLINE_MS)
    assert window.model.server is None and no_alert(window)


@pytest.mark.isolated_net
def test_escape_goes_back_from_join_page_and_stops_scanning(qtbot, make_window):
    window = make_window("Alex")
    open_join_page(qtbot, window)
    qtbot.waitUntil(lambda: window.nearby.scanning, timeout=DEADLINE_MS)
    _escape(qtbot, window, window.join_page.ui.codeEdit)
    wait_page(qtbot, window, "home", timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: not window.nearby.scanning and window.nearby.discovery is None,
                    timeout=DEADLINE_MS)


# -- the Nearby list -------------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_nearby_shows_the_empty_state_when_nothing_is_found(qtbot, make_window):
    window = make_window("Alone")
    open_join_page(qtbot, window)
    ui = window.join_page.ui
    qtbot.waitUntil(lambda: window.nearby.scanning, timeout=DEADLINE_MS)
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
                    == [("Packed", "2/2")], timeout=DEADLINE_MS)
    row = nearby_rows(guest)[0]
    assert row["full"] and not row["enabled"]
    view = guest.join_page.ui.sessionList
    host_events = []
    full.model.server.add_listener(host_events.append)

    # It cannot be made current or activated: click, Enter and double-click join nothing,
    # and a double-click says why, under the list, with what to do about it.
    ui = guest.join_page.ui
    assert not ui.listError.isVisible()
    click_row(qtbot, view, 0)
    assert not view.currentIndex().isValid()
    assert not ui.listJoinButton.isEnabled()          # nothing chosen, nothing to join
    view.setFocus()
    press_enter(qtbot, view)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_center(view, 0))
    qtbot.waitUntil(ui.listError.isVisible, timeout=DEADLINE_MS)
    assert ui.listError.text() == "Packed is full (2/2). Ask the host to raise the limit."
    assert "Ask the host to raise the limit." in view.model().index(0, 0).data(
        Qt.ItemDataRole.ToolTipRole)
    qtbot.wait(300)
    assert page_name(guest) == "join" and guest.model.status == "idle" and no_alert(guest)
    assert host_events == [] and connected_count(full) == 2

    # A party with room appears next to it, enabled.
    roomy = make_window("Openhost", discovery=True)
    host_party(qtbot, roomy, "Roomy", max_devices=4)
    qtbot.waitUntil(lambda: len(nearby_rows(guest)) == 2, timeout=DEADLINE_MS)
    rows = {r["name"]: r for r in nearby_rows(guest)}
    assert (rows["Roomy"]["members"], rows["Roomy"]["full"], rows["Roomy"]["enabled"]) == \
        ("1/4", False, True)
    assert not rows["Packed"]["enabled"]

    # The open party is chosen by itself; the Join button under the list joins it.
    qtbot.waitUntil(lambda: view.currentIndex().isValid(), timeout=DEADLINE_MS)
    assert view.currentIndex().data() == "Roomy"
    assert ui.listHint.isVisible() and "Double-click" in ui.listHint.text()
    click(qtbot, ui.listJoinButton)
    wait_page(qtbot, guest, "room", timeout=DEADLINE_MS)
    assert guest.room.ui.partyNameLabel.text() == "Roomy"


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


# -- leaving no trace ------------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_closing_a_hosting_window_leaves_no_task_and_no_socket(qtbot, make_window, gui_loop):
    before = _our_sockets()
    window = make_window("Hosty", discovery=True)
    host_party(qtbot, window, "Short")
    port = window.model.port
    assert _our_sockets() - before                 # listening + mDNS/UDP sockets while hosting
    window.close()
    qtbot.waitUntil(lambda: window.alerts.active is not None, timeout=DEADLINE_MS)
    click(qtbot, window.alerts.active.findChild(type(window.room.ui.leaveButton), "confirmButton"))
    qtbot.waitUntil(lambda: window.closed_for_test, timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: not window._tasks, timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: not [t for t in asyncio.all_tasks(gui_loop) if not t.done()],
                    timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: not (_our_sockets() - before), timeout=DEADLINE_MS)
    assert port_is_free(port)


# -- settings --------------------------------------------------------------------------------------
def test_settings_persist_across_windows_on_the_same_file(qtbot, make_window, settings_file):
    path = settings_file()
    first = make_window(settings_path=path)
    type_into(qtbot, first.home.ui.nameEdit, "Alex")
    host_party(qtbot, first, "Garden party", max_devices=5)
    first.resize(QSize(620, 760))
    first.move(QPoint(40, 30))
    click(qtbot, first.room.ui.leaveButton)
    qtbot.waitUntil(lambda: first.alerts.active is not None, timeout=DEADLINE_MS)
    answer_alert(qtbot, first, "confirm")
    wait_page(qtbot, first, "home")
    device_id = first.model.device_id
    size = first.size()
    first.close()
    qtbot.waitUntil(lambda: first.closed_for_test, timeout=DEADLINE_MS)

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
    wait_page(qtbot, window, "room", timeout=DEADLINE_MS)
    assert window.room.ui.partyNameLabel.text() == "Keyboard party"
    assert connected_count(window) == 1


# -- hosting again ---------------------------------------------------------------------------------
def test_hosting_again_after_ending_the_party_is_not_stuck(qtbot, make_window):
    """Host, end, host again, three times, all by button: the form is ready every time."""
    window = make_window("Again")
    ui = window.host_page.ui
    for n in range(3):
        click(qtbot, window.home.ui.hostButton)
        wait_page(qtbot, window, "host")
        assert ui.createButton.isEnabled(), f"round {n + 1}: Create is greyed out"
        assert not ui.busyBar.isVisible(), f"round {n + 1}: the busy bar is still running"
        type_into(qtbot, ui.partyNameEdit, f"Round {n + 1}")
        click(qtbot, ui.createButton)
        wait_page(qtbot, window, "room", timeout=DEADLINE_MS)
        assert window.room.ui.partyNameLabel.text() == f"Round {n + 1}"
        click(qtbot, window.room.ui.leaveButton)
        qtbot.waitUntil(lambda: window.alerts.active is not None, timeout=DEADLINE_MS)
        answer_alert(qtbot, window, "confirm")
        wait_page(qtbot, window, "home")
        qtbot.waitUntil(lambda: window.model.server is None and not window.model.busy,
                        timeout=DEADLINE_MS)


@pytest.mark.isolated_net
def test_joining_again_after_leaving_is_not_stuck(qtbot, make_window):
    """The Join page's counterpart: join, leave, join again, three times, by button."""
    host = make_window("Hosty")
    host_party(qtbot, host, "Revolving door")
    guest = make_window("Guest")
    ui = guest.join_page.ui
    for n in range(3):
        open_join_page(qtbot, guest)
        assert not ui.busyRow.isVisible(), f"round {n + 1}: still shows Connecting…"
        for button in (ui.codeJoinButton, ui.addressJoinButton, ui.sessionList):
            assert button.isEnabled(), f"round {n + 1}: {button.objectName()} is greyed out"
        type_into(qtbot, ui.addressEdit, f"127.0.0.1:{host.model.port}")
        click(qtbot, ui.addressJoinButton)
        wait_connected(qtbot, [host, guest], 2)
        click(qtbot, guest.room.ui.leaveButton)
        wait_page(qtbot, guest, "home")
        wait_connected(qtbot, [host], 1)


# -- Enter -----------------------------------------------------------------------------------------
def _key(qtbot, window, widget, key) -> None:
    """A key as a person presses it: in the active window, on the focused widget."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
    widget.setFocus()
    qtbot.keyClick(widget, key)


@pytest.mark.isolated_net
@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_presses_the_focused_button_on_home(qtbot, make_window, key):
    window = make_window("Enter")
    home = window.home.ui
    assert window.home.focusWidget() is home.hostButton      # Home starts on Host Party
    _key(qtbot, window, home.hostButton, key)
    wait_page(qtbot, window, "host", timeout=DEADLINE_MS)
    _key(qtbot, window, window.host_page.ui.backButton, key)  # and Back, on the next page
    wait_page(qtbot, window, "home", timeout=DEADLINE_MS)
    _key(qtbot, window, home.joinButton, key)
    wait_page(qtbot, window, "join", timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: window.nearby.scanning, timeout=DEADLINE_MS)
    _key(qtbot, window, window.join_page.ui.backButton, key)
    wait_page(qtbot, window, "home", timeout=DEADLINE_MS)


def test_enter_in_the_name_field_on_home_hosts(qtbot, make_window):
    window = make_window("Enter")
    _key(qtbot, window, window.home.ui.nameEdit, Qt.Key.Key_Return)
    wait_page(qtbot, window, "host", timeout=DEADLINE_MS)
    assert window.host_page.ui.hostNameEdit.text() == "Enter"


# -- a short window --------------------------------------------------------------------------------
def _no_overlaps(column) -> list:
    children = column.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
    shown = [w for w in children if w.isVisible()]
    return [(a.objectName(), b.objectName()) for i, a in enumerate(shown) for b in shown[i + 1:]
            if a.geometry().intersects(b.geometry())]


@pytest.mark.parametrize("page", ["host", "join"])
def test_host_and_join_pages_scroll_instead_of_overlapping_in_the_smallest_window(
        qtbot, make_window, page):
    window = make_window("Short")
    window.resize(window.minimumSize())
    assert window.minimumSize() == QSize(440, 560)
    if page == "host":
        click(qtbot, window.home.ui.hostButton)
        view = window.host_page
        view.show_error("Port 19003 is already in use by another program. Choose another "
                        "port, or 0 for any free one.")
        view.ui.busyBar.show()
        last = view.ui.createButton
    else:   # every problem at once, without scanning (nothing here may advertise)
        view = window.join_page
        window.ui.pages.setCurrentWidget(view)
        view._show_code_error("A party code has 6 letters and digits; 'AB' has 2.")
        view._show_address_error("Enter the host's address, like 192.168.1.20:8080.")
        view._show_full("Packed is full (2/2). Ask the host to raise the limit.")
        view.ui.busyRow.show()
        last = view.ui.cancelButton
    qtbot.waitUntil(lambda: window.size() == QSize(440, 560), timeout=DEADLINE_MS)
    assert window.size() == QSize(440, 560)          # the page did not push the window taller
    column = view.ui.column
    qtbot.waitUntil(lambda: not _no_overlaps(column), timeout=DEADLINE_MS)
    view.ui.scrollArea.ensureWidgetVisible(last)
    qtbot.waitUntil(lambda: not last.visibleRegion().isEmpty(), timeout=DEADLINE_MS)
    assert last.visibleRegion().boundingRect().size() == last.size()   # all of it on screen
