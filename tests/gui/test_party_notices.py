"""What tells people where they are: the window title, the host's join/leave notices,
the lock on PIN parties, alert headings, and the name problem on Home."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QMessageBox, QStyleOptionViewItem

from tests.gui.helpers import (answer_alert, click, host_party, join_by_address, nearby_rows,
                               no_alert, open_join_page, page_name, type_into, wait_alert,
                               wait_connected, wait_page)
from tests.gui.helpers import DEADLINE_MS


def test_the_window_title_names_the_party(qtbot, make_window):
    window = make_window("Ana")
    assert window.windowTitle() == "LoudSync"
    host_party(qtbot, window, "Rooftop")
    assert window.windowTitle() == "Rooftop — LoudSync"
    click(qtbot, window.room.ui.leaveButton)
    wait_alert(qtbot, window)
    answer_alert(qtbot, window, "confirm")
    wait_page(qtbot, window, "home")
    assert window.windowTitle() == "LoudSync"


@pytest.mark.isolated_net
def test_the_host_is_told_who_joins_and_leaves_without_a_dialog(qtbot, make_window):
    host = make_window("Hosty")
    host_party(qtbot, host, "Kitchen")
    notice = host.notice
    assert not notice.isVisible()                       # hosting alone: nothing to say
    focused = host.focusWidget()

    gina = make_window("Gina")
    join_by_address(qtbot, gina, host.model.port)
    wait_connected(qtbot, [host, gina], 2)
    qtbot.waitUntil(notice.isVisible, timeout=DEADLINE_MS)
    assert notice.text() == "Gina joined the party"
    assert gina.windowTitle() == "Kitchen — LoudSync"   # the guest's title names it too
    assert not gina.notice.isVisible()                  # guests are not told
    assert no_alert(host) and host.focusWidget() is focused   # nothing modal, focus kept
    assert notice.accessibleName() == "Notice" and notice.focusPolicy() == Qt.FocusPolicy.NoFocus
    area = host.centralWidget().rect()
    assert area.contains(notice.geometry())             # inside the window, fully
    leave = host.room.ui.leaveButton                    # not over the buttons at the bottom
    assert not notice.geometry().intersects(
        QRect(leave.mapTo(host.centralWidget(), QPoint(0, 0)), leave.size()))

    click(qtbot, gina.room.ui.leaveButton)
    wait_connected(qtbot, [host], 1)
    qtbot.waitUntil(lambda: "Gina left the party" in notice.text(), timeout=DEADLINE_MS)
    assert notice.text().splitlines()[-1] == "Gina left the party"
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=DEADLINE_MS)   # goes away by itself
    assert no_alert(host)


def test_a_long_alert_title_is_shown_whole_inside_a_narrow_alert(qtbot, make_window):
    window = make_window("Ana")
    title = "Cannot Join Party because the host has gone away"
    box = window.alerts.warn(title, "No.")
    qtbot.waitExposed(box)
    heading = box.findChild(QLabel, "qt_msgbox_label")
    assert heading is not None and heading.text() == title and box.informativeText() == "No."
    assert heading.isVisible()
    inside = heading.contentsRect()
    if heading.wordWrap():
        assert heading.heightForWidth(heading.width()) <= heading.height()   # no line is cut
    else:
        assert heading.fontMetrics().horizontalAdvance(title) <= inside.width()
    assert box.rect().contains(heading.geometry())
    answer_alert(qtbot, window, QMessageBox.StandardButton.Ok)


def test_a_bad_name_on_home_is_shown_under_the_field(qtbot, make_window):
    window = make_window("Ana")
    ui = window.home.ui
    ui.nameEdit.setText("Bad\tname")                 # pasted from somewhere: a tab inside
    click(qtbot, ui.hostButton)
    qtbot.waitUntil(ui.nameError.isVisible, timeout=DEADLINE_MS)
    assert "name" in ui.nameError.text().lower()
    assert ui.nameEdit.accessibleDescription() == ui.nameError.text()
    assert ui.nameError.geometry().top() >= ui.nameEdit.geometry().bottom()
    assert page_name(window) == "home" and no_alert(window)
    type_into(qtbot, ui.nameEdit, "Ana")
    assert not ui.nameError.isVisible()
    click(qtbot, ui.hostButton)
    wait_page(qtbot, window, "host")


def _drawn(image, rect, background: QColor) -> int:
    """How many pixels in rect differ clearly from the background."""
    count = 0
    for x in range(rect.left(), rect.right() + 1):
        for y in range(rect.top(), rect.bottom() + 1):
            c = image.pixelColor(x, y)
            if abs(c.red() - background.red()) + abs(c.green() - background.green()) \
                    + abs(c.blue() - background.blue()) > 60:
                count += 1
    return count


@pytest.mark.isolated_net
def test_a_pin_party_has_a_lock_in_the_nearby_list(qtbot, make_window):
    locked = make_window("Pat", discovery=True)
    click(qtbot, locked.home.ui.hostButton)
    wait_page(qtbot, locked, "host")
    type_into(qtbot, locked.host_page.ui.partyNameEdit, "Secret")
    locked.host_page.ui.accessCombo.setCurrentIndex(1)          # Only with a PIN
    click(qtbot, locked.host_page.ui.createButton)
    wait_page(qtbot, locked, "room", timeout=DEADLINE_MS)
    open_party = make_window("Olly", discovery=True)
    host_party(qtbot, open_party, "Open house")

    guest = make_window("Gus")
    open_join_page(qtbot, guest)
    qtbot.waitUntil(lambda: len(nearby_rows(guest)) == 2, timeout=DEADLINE_MS)
    view = guest.join_page.ui.sessionList
    model = view.model()
    rows = {model.index(i, 0).data(): model.index(i, 0) for i in range(2)}
    assert "needs a PIN" in rows["Secret"].data(Qt.ItemDataRole.AccessibleTextRole)
    assert "needs a PIN" not in rows["Open house"].data(Qt.ItemDataRole.AccessibleTextRole)
    view.setCurrentIndex(rows["Open house"])   # the PIN party unselected: plain background
    delegate = view.itemDelegate()
    image = view.viewport().grab().toImage()
    background = view.palette().color(view.viewport().backgroundRole())

    def lock_area(index):
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = view.visualRect(index)
        return delegate.lock_rect(option, index)
    lock = lock_area(rows["Secret"])
    assert lock is not None and lock_area(rows["Open house"]) is None
    assert view.visualRect(rows["Secret"]).contains(lock)
    assert image.devicePixelRatio() == 1
    assert _drawn(image, lock, background) > lock.width() * lock.height() // 4, \
        "no padlock drawn after the party's name"


def test_a_notice_lets_clicks_through_to_the_button_under_it(qtbot, make_window):
    window = make_window("Ana")
    host_party(qtbot, window, "Busy")
    leave = window.room.ui.leaveButton
    window.notice.say("Someone joined the party")
    centre = leave.mapTo(window.centralWidget(), leave.rect().center())
    window.notice.move(centre.x() - window.notice.width() // 2,
                       centre.y() - window.notice.height() // 2)   # right over End
    assert window.notice.isVisible() and window.notice.geometry().contains(centre)
    under = window.centralWidget().childAt(centre)      # what a click there reaches
    assert under is not window.notice and (under is leave or leave.isAncestorOf(under))


@pytest.mark.isolated_net
def test_the_pin_dialog_takes_only_four_digits_and_waits_for_them(qtbot, make_window):
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
    host = make_window("Hosty")
    click(qtbot, host.home.ui.hostButton)
    host.host_page.ui.accessCombo.setCurrentIndex(1)          # Only with a PIN
    type_into(qtbot, host.host_page.ui.pinEdit, "4821")
    click(qtbot, host.host_page.ui.createButton)
    wait_page(qtbot, host, "room", timeout=DEADLINE_MS)
    guest = make_window("Gina")
    join_by_address(qtbot, guest, host.model.port)
    qtbot.waitUntil(lambda: guest.pin_dialog is not None and guest.pin_dialog.isVisible(),
                    timeout=DEADLINE_MS)
    dialog = guest.pin_dialog
    field = dialog.findChild(QLineEdit)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    type_into(qtbot, field, "4a8")
    assert field.text() == "48" and not ok.isEnabled()       # letters never get in
    qtbot.keyClicks(field, "2199")
    assert field.text() == "4821" and ok.isEnabled()          # and never more than four
    click(qtbot, ok)
    wait_connected(qtbot, [host, guest], 2)
    assert no_alert(guest)
