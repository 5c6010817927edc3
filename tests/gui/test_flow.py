"""The seed's whole session flow, clicked through three windows of the real app.

One host and two guests in one process, each window with its own settings file (so
its own device id), discovery on: this test advertises and scans, so it runs only in
the private network namespace of scripts/run-tests.sh.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from loudsync_desktop.protocol.codes import format_partial_code
from loudsync_desktop.views.main_window import END_TEXT, END_TITLE
from tests.gui.helpers import (CODE_SHAPE, answer_alert, click, click_row, connected_count,
                               member_ids, member_names, member_texts, nearby_rows, no_alert,
                               page_name, press_enter, type_into, wait_alert, wait_connected,
                               wait_page)
from tests.gui.helpers import DEADLINE_MS

pytestmark = pytest.mark.isolated_net


def test_host_and_two_guests_click_through_the_whole_flow(qtbot, make_window):
    host = make_window(discovery=True)
    guest1 = make_window(discovery=True)
    guest2 = make_window(discovery=True)
    for window in (host, guest1, guest2):
        assert page_name(window) == "home"
        assert window.home.ui.hostButton.isVisible() and window.home.ui.joinButton.isVisible()

    # -- Home: everyone types a name ------------------------------------------------------
    for window, name in ((host, "Hosty"), (guest1, "Gina"), (guest2, "Gus")):
        type_into(qtbot, window.home.ui.nameEdit, name)
        assert window.home.ui.nameEdit.text() == name

    # -- Host Party -> party name, max devices -> Create Party --------------------------------
    click(qtbot, host.home.ui.hostButton)
    wait_page(qtbot, host, "host")
    hp = host.host_page.ui
    assert hp.partyNameEdit.text() == "My Party"          # the default the first time
    assert hp.hostNameEdit.text() == "Hosty"              # the name typed on Home
    assert not hp.errorLabel.isVisible()
    type_into(qtbot, hp.partyNameEdit, "Rooftop")
    type_into(qtbot, hp.maxDevicesSpin, "8")
    assert hp.maxDevicesSpin.value() == 8
    click(qtbot, hp.createButton)
    wait_page(qtbot, host, "room", timeout=DEADLINE_MS)
    room = host.room.ui
    assert room.partyNameLabel.text() == "Rooftop"
    assert room.roleLabel.text() == "You are hosting"
    code = room.codeLabel.text()
    assert CODE_SHAPE.match(code), code
    assert connected_count(host) == 1
    assert member_texts(host) == ["Hosty (you) · host"]
    assert room.leaveButton.text().replace("&", "") == "End Party"
    assert room.lidWarning.isVisible()
    port = host.model.port
    assert room.addressesLabel.isVisible()
    assert f"127.0.0.1:{port}" in room.addressesLabel.text()
    assert no_alert(host)

    # -- Guest 1: Join Party -> the party shows up in Nearby Parties ----------------------------
    click(qtbot, guest1.home.ui.joinButton)
    wait_page(qtbot, guest1, "join")
    jp = guest1.join_page.ui
    assert jp.scanBar.isVisible()
    assert jp.scanLabel.text() == "Looking for parties on this network…"
    qtbot.waitUntil(lambda: len(nearby_rows(guest1)) == 1, timeout=DEADLINE_MS)
    assert jp.nearbyStack.currentWidget() is jp.listPage
    row = nearby_rows(guest1)[0]
    assert (row["name"], row["host"], row["members"], row["full"], row["enabled"]) == \
        ("Rooftop", "Hosty", "1/8", False, True)
    assert row["code"] == code.replace("-", "")

    # join by clicking the row and pressing Enter
    click_row(qtbot, jp.sessionList, 0)
    assert jp.sessionList.currentIndex().row() == 0
    press_enter(qtbot, jp.sessionList)
    wait_connected(qtbot, [host, guest1], 2)
    assert no_alert(guest1) and no_alert(host)
    g1 = guest1.room.ui
    assert g1.partyNameLabel.text() == "Rooftop"
    assert g1.roleLabel.text() == "Hosted by Hosty"
    assert g1.codeLabel.text() == code
    assert g1.leaveButton.text().replace("&", "") == "Leave"
    assert not g1.lidWarning.isVisible() and not g1.addressesLabel.isVisible()
    assert member_ids(host) == member_ids(guest1)
    assert member_texts(host) == ["Hosty (you) · host", "Gina"]
    assert member_texts(guest1) == ["Hosty · host", "Gina (you)"]

    # -- Guest 2: types the code (formatted as it is typed) and presses Enter ---------------------
    click(qtbot, guest2.home.ui.joinButton)
    wait_page(qtbot, guest2, "join")
    edit = guest2.join_page.ui.codeEdit
    edit.setFocus()
    typed = ""
    for char in code.replace("-", "").lower():
        typed += char
        qtbot.keyClick(edit, char)
        assert edit.text() == format_partial_code(typed), (typed, edit.text())
    assert edit.text() == code
    press_enter(qtbot, edit)
    wait_connected(qtbot, [host, guest1, guest2], 3)
    assert member_ids(host) == member_ids(guest1) == member_ids(guest2)
    assert member_names(guest2) == ["Hosty", "Gina", "Gus"]
    assert connected_count(host) == connected_count(guest1) == connected_count(guest2) == 3
    assert member_texts(guest2) == ["Hosty · host", "Gina", "Gus (you)"]
    for window in (host, guest1, guest2):
        assert no_alert(window)

    # -- Guest 2 leaves --------------------------------------------------------------------------
    click(qtbot, guest2.room.ui.leaveButton)
    wait_page(qtbot, guest2, "home")
    wait_connected(qtbot, [host, guest1], 2)
    assert member_names(host) == member_names(guest1) == ["Hosty", "Gina"]
    assert member_ids(host) == member_ids(guest1)
    assert no_alert(guest2)        # leaving on purpose is not an error

    # -- Host: End Session -> confirm -> guests are told -------------------------------------------
    click(qtbot, host.room.ui.leaveButton)
    box = wait_alert(qtbot, host)
    assert box.windowTitle() == END_TITLE
    assert box.text() == "End the party?" == END_TITLE                  # the heading
    assert box.informativeText() == \
        "Everyone in the party is disconnected and the music stops." == END_TEXT
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert page_name(host) == "room" and connected_count(guest1) == 2  # nothing yet
    answer_alert(qtbot, host, "confirm")
    wait_page(qtbot, host, "home")
    assert host.model.server is None

    box = wait_alert(qtbot, guest1)
    assert box.informativeText() == "The host ended the party."
    assert page_name(guest1) == "room"          # still behind the alert until it is read
    answer_alert(qtbot, guest1, QMessageBox.StandardButton.Ok)
    wait_page(qtbot, guest1, "home")
    assert guest1.model.status == "idle" and not member_ids(guest1)
    assert page_name(host) == page_name(guest2) == "home"
    for window in (host, guest1, guest2):
        assert no_alert(window)
        assert window.model.role == "none" and not member_ids(window)
