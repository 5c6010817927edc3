"""The Player Room as a person sees it: its layout at any window width, the queue list
(selection, Delete and Undo, reorder, menu), each laptop's own volume, the keys, and the
small words (count, PIN, PAUSED, the time while seeking, a loopback-only address).

Hosts run on 127.0.0.1 without discovery; GUI guests join by address on the Join page,
which scans: those tests are ``isolated_net``.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QApplication, QMenu,
                               QStyle, QStyleOptionSlider, QToolTip, QWidget)

from loudsync_desktop.settings import LOCAL_MUTED, LOCAL_VOLUME_PERCENT, MUSIC_FOLDER
from loudsync_desktop.views.delegates import ACCENT
from tests.gui.conftest import open_settings
from tests.gui.helpers import (click, click_row, host_party, join_by_address, no_alert,
                               row_center, wait_connected, wait_page)
from tests.gui.helpers import DEADLINE_MS
from tests.gui.test_host_controls import (ACCESS_PIN, answer_pin, create, open_host_page,
                                         wait_pin_dialog)
from tests.gui.test_player import activate, drag_slider_to, engine, queue_titles, title
from testsupport.measure import write_test_tone

WIDTHS = (440, 660, 1280)


@pytest.fixture(scope="module")
def music(tmp_path_factory):
    folder = tmp_path_factory.mktemp("music")
    names = ["first", "second", "a track whose title is far too long to fit in any row of "
             "the queue however wide the window", "fourth"]
    for seconds, name in enumerate(names, start=6):   # different lengths: different ids
        write_test_tone(folder / f"{name}.wav", seconds)
    return folder, names


def add_music(qtbot, window, folder, names) -> None:
    window.run(window.model.player.add_files([str(folder / f"{n}.wav") for n in names]))
    qtbot.waitUntil(lambda: queue_titles(window) == list(names), timeout=DEADLINE_MS)


# -- layout ----------------------------------------------------------------------------------------
def shown_children(widget: QWidget) -> list[QWidget]:
    """Laid-out children that are visible (a scroll area's own parts are not ours to check)."""
    if isinstance(widget, QAbstractScrollArea) and widget.objectName() != "scrollArea":
        return []
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    return [c for c in widget.findChildren(QWidget, options=direct)
            if c.isVisible() and not c.isWindow()]


def layout_problems(room) -> list[str]:
    """Overlapping siblings and buttons cut by a parent or by the window's width."""
    content = room.ui.roomContent
    problems = []
    viewport = room.ui.scrollArea.viewport()
    if content.width() > viewport.width():
        problems.append(f"content {content.width()} px wider than the view {viewport.width()}")
    todo = [content]
    while todo:
        parent = todo.pop()
        children = shown_children(parent)
        todo.extend(children)
        for a, b in itertools.combinations(children, 2):
            if a.geometry().intersects(b.geometry()):
                problems.append(f"{a.objectName()} {a.geometry()} overlaps "
                                f"{b.objectName()} {b.geometry()}")
    for button in content.findChildren(QAbstractButton):
        if not button.isVisible():
            continue
        name = button.objectName()
        hint = button.minimumSizeHint()
        if button.width() < hint.width() or button.height() < hint.height():
            problems.append(f"{name} squeezed to {button.size()} (needs {hint})")
        widget = button
        while widget is not content:   # inside each parent all the way up: not clipped
            parent = widget.parentWidget()
            box = QRect(button.mapTo(parent, QPoint(0, 0)), button.size())
            if not parent.rect().contains(box):
                problems.append(f"{name} {box} cut by {parent.objectName()} {parent.rect()}")
            widget = parent
        room.ui.scrollArea.ensureWidgetVisible(button, 0, 0)   # scrolled to, fully seen
        QApplication.processEvents()
        seen = QRect(button.mapTo(viewport, QPoint(0, 0)), button.size())
        if not viewport.rect().contains(seen):
            problems.append(f"{name} {seen} not wholly in the view {viewport.rect()}")
    return problems


def check_widths(qtbot, window) -> None:
    for width in WIDTHS:
        window.resize(width, 560 if width == 440 else 760)
        qtbot.waitUntil(lambda width=width: window.width() == width, timeout=DEADLINE_MS)
        QApplication.processEvents()
        room = window.room
        assert room.two_columns == (width >= 1280), width
        assert layout_problems(room) == [], width
        view = room.ui.scrollArea.viewport()
        for part in (room.ui.column, room.ui.playerCard):   # centred, alone or side by side
            g = QRect(part.mapTo(view, QPoint(0, 0)), part.size())
            if not room.two_columns:
                assert abs(g.left() - (view.width() - 1 - g.right())) <= 2, (width, g)
                assert g.width() == min(480, view.width() - 18), (width, g)   # both alike
        if room.two_columns:   # side by side, as wide as they may be, the pair centred
            left, right = room.ui.column.geometry(), room.ui.playerCard.geometry()
            assert left.top() == right.top() and left.right() < right.left()
            assert left.width() == right.width() == 480
            assert abs(left.left() - (view.width() - 1 - right.right())) <= 2


@pytest.mark.isolated_net
def test_the_room_reflows_at_every_width_without_overlaps_or_cut_buttons(qtbot, make_window,
                                                                         music):
    folder, names = music
    host = make_window("Hosty")
    open_host_page(qtbot, host, ACCESS_PIN)
    host.host_page.ui.pinEdit.setText("4821")
    create(qtbot, host)
    add_music(qtbot, host, folder, names)
    guest = make_window("Gina")
    join_by_address(qtbot, guest, host.model.port)
    answer_pin(qtbot, wait_pin_dialog(qtbot, guest), "4821")
    wait_connected(qtbot, [host, guest], 2)
    qtbot.waitUntil(lambda: queue_titles(guest) == names, timeout=DEADLINE_MS)
    for window in (host, guest):
        check_widths(qtbot, window)
    # The queue never scrolls sideways: long titles are elided.
    for window in (host, guest):
        assert not window.room.ui.queueList.horizontalScrollBar().isVisible()


# -- the queue ------------------------------------------------------------------------------------
def row_pixels_are_accent(view, row: int) -> bool:
    image = view.viewport().grab().toImage()
    rect = view.visualRect(view.model().index(row, 0))
    colour = QColor(image.pixel(rect.left() + 6, rect.center().y()))
    return abs(colour.red() - ACCENT.red()) < 12 and abs(colour.blue() - ACCENT.blue()) < 12


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202024"),
                         (QPalette.ColorRole.Base, "#18181b"),
                         (QPalette.ColorRole.Text, "#eeeeee"),
                         (QPalette.ColorRole.WindowText, "#eeeeee"),
                         (QPalette.ColorRole.AlternateBase, "#26262b")):
        palette.setColor(role, QColor(colour))
    return palette


def test_queue_selection_shows_and_delete_removes_only_the_selected_track_with_undo(
        qtbot, make_window, music):
    folder, names = music
    host = make_window("Hosty")
    host_party(qtbot, host, "Queue")
    add_music(qtbot, host, folder, names)
    view = host.room.ui.queueList
    activate(qtbot, host)

    # Focus in the list but nothing selected: Delete removes nothing.
    view.setFocus()
    view.clearSelection()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.wait(200)
    assert queue_titles(host) == names and not host.room.ui.noticeBar.isVisible()

    # A selected row is drawn in the accent colour, in light and in dark palettes.
    click_row(qtbot, view, 2)
    assert view.selectionModel().selectedRows()[0].row() == 2
    light = view.palette()
    for palette in (light, dark_palette()):
        view.setPalette(palette)
        assert row_pixels_are_accent(view, 2) and not row_pixels_are_accent(view, 1)
    view.setPalette(light)

    # Delete removes the selected track, says so, and Undo puts it back where it was.
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: queue_titles(host) == names[:2] + names[3:], timeout=DEADLINE_MS)
    notice = host.room.ui.noticeBar
    assert notice.isVisible() and names[2][:20] in host.room.ui.noticeLabel.text()
    click(qtbot, host.room.ui.undoButton)
    qtbot.waitUntil(lambda: queue_titles(host) == names, timeout=DEADLINE_MS)
    assert not notice.isVisible()

    # ... and Ctrl+Z does too.
    click_row(qtbot, view, 0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: queue_titles(host) == names[1:], timeout=DEADLINE_MS)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: queue_titles(host) == names, timeout=DEADLINE_MS)
    assert title(host) == names[0] and no_alert(host)


def open_queue_menu(qtbot, window, row: int) -> QMenu:
    view = window.room.ui.queueList
    before = set(window.room.findChildren(QMenu))
    view.customContextMenuRequested.emit(row_center(view, row))
    qtbot.waitUntil(lambda: any(m.isVisible() for m in
                                set(window.room.findChildren(QMenu)) - before), timeout=DEADLINE_MS)
    return next(m for m in set(window.room.findChildren(QMenu)) - before if m.isVisible())


def queue_rows(window) -> list[tuple]:
    """Each row of the queue as shown: its entry's id, title, artist and length."""
    model = window.room.ui.queueList.model()
    return [(model.index(i, 0).data(model.TrackRole).track_id,
             *(model.index(i, 0).data(role) for role in (model.TitleRole, model.ArtistRole,
                                                          model.DurationTextRole)))
            for i in range(model.rowCount())]


def choose(menu: QMenu, text: str) -> None:
    actions = [a for a in menu.actions() if a.text().replace("&", "") == text]
    assert actions, [a.text() for a in menu.actions()]
    actions[0].trigger()
    menu.close()


@pytest.mark.isolated_net
def test_host_reorders_the_queue_by_drag_and_menu_and_guests_follow(qtbot, make_window, music):
    folder, names = music
    host = make_window("Hosty")
    host_party(qtbot, host, "Order")
    add_music(qtbot, host, folder, names)
    guest = make_window("Gina")
    join_by_address(qtbot, guest, host.model.port)
    wait_connected(qtbot, [host, guest], 2)
    qtbot.waitUntil(lambda: queue_titles(guest) == names, timeout=DEADLINE_MS)
    first, second, long, fourth = names
    view = host.room.ui.queueList
    model = view.model()
    assert view.dragEnabled() and view.dragDropMode() == view.DragDropMode.InternalMove
    assert not guest.room.ui.queueList.dragEnabled()
    assert not (guest.room.ui.queueList.model().flags(model.index(0, 0))
                & Qt.ItemFlag.ItemIsDragEnabled)

    # The host plays the second track, then drags the last one above the first: what the
    # view's drop hands the model.
    host.model.player.jump(1)
    qtbot.waitUntil(lambda: title(host) == second, timeout=DEADLINE_MS)
    mime = model.mimeData([model.index(3, 0)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index(-1, 0).parent())
    order = [fourth, first, second, long]
    qtbot.waitUntil(lambda: queue_titles(host) == queue_titles(guest) == order, timeout=DEADLINE_MS)
    assert title(host) == title(guest) == second         # still the current track
    assert model.index(2, 0).data(model.CurrentRole)

    # Play next: the long one goes right after the current track.
    choose(open_queue_menu(qtbot, host, 3), "Play next")
    order = [fourth, first, second, long]
    qtbot.waitUntil(lambda: queue_titles(host) == queue_titles(guest) == order, timeout=DEADLINE_MS)
    choose(open_queue_menu(qtbot, host, 0), "Play next")
    order = [first, second, fourth, long]
    qtbot.waitUntil(lambda: queue_titles(host) == queue_titles(guest) == order, timeout=DEADLINE_MS)
    choose(open_queue_menu(qtbot, host, 0), "Remove from the queue")
    order = [second, fourth, long]
    qtbot.waitUntil(lambda: queue_titles(host) == queue_titles(guest) == order, timeout=DEADLINE_MS)
    assert title(host) == title(guest) == second

    # Undo puts it back, for the guest too: the same entry of the queue (its id), shown alike.
    click(qtbot, host.room.ui.undoButton)
    order = [first, second, fourth, long]
    qtbot.waitUntil(lambda: queue_titles(host) == queue_titles(guest) == order, timeout=DEADLINE_MS)
    assert queue_rows(guest) == queue_rows(host)
    assert title(host) == title(guest) == second

    # Guests get no menu.
    menus = len(guest.room.findChildren(QMenu))
    guest.room.ui.queueList.customContextMenuRequested.emit(
        row_center(guest.room.ui.queueList, 0))
    assert len(guest.room.findChildren(QMenu)) == menus


# -- this laptop's own volume --------------------------------------------------------------------
@pytest.mark.isolated_net
def test_each_laptop_sets_its_own_volume_and_mute_and_keeps_them(qtbot, make_window, music):
    host = make_window("Hosty")
    host_party(qtbot, host, "Loud")
    guest = make_window("Gina")
    join_by_address(qtbot, guest, host.model.port)
    wait_connected(qtbot, [host, guest], 2)
    gr, hr = guest.room.ui, host.room.ui
    assert gr.localVolumeSlider.isVisible() and gr.muteButton.isVisible()
    assert hr.volumeValueLabel.text() == "100%" and gr.localVolumeValueLabel.text() == "100%"

    activate(qtbot, guest)
    gr.localVolumeSlider.setFocus()
    for _ in range(3):
        qtbot.keyClick(gr.localVolumeSlider, Qt.Key.Key_PageDown)
    assert gr.localVolumeValueLabel.text() == "70%"
    assert engine(guest).local_volume == pytest.approx(0.7)
    assert engine(host).local_volume == 1.0                     # nobody else's changes
    assert host.model.player.volume == guest.model.player.state.volume == 1.0
    click(qtbot, gr.muteButton)
    assert engine(guest).local_volume == 0.0 and gr.localVolumeValueLabel.text() == "Muted"

    # The host's party volume shows a percentage and multiplies with the guest's own.
    activate(qtbot, host)
    hr.volumeSlider.setFocus()
    qtbot.keyClick(hr.volumeSlider, Qt.Key.Key_PageDown)
    assert hr.volumeValueLabel.text() == "90%"
    click(qtbot, gr.muteButton)
    assert engine(guest).local_volume == pytest.approx(0.7)

    # Kept in the guest's settings: a later window starts with them.
    click(qtbot, gr.muteButton)
    guest.quit_now()
    qtbot.waitUntil(lambda: guest.closed_for_test, timeout=DEADLINE_MS)
    kept = open_settings(guest.settings_path)
    assert kept.get(LOCAL_VOLUME_PERCENT) == 70 and kept.get(LOCAL_MUTED) == 1
    again = make_window(settings_path=guest.settings_path)
    assert again.room.ui.localVolumeSlider.value() == 70 and again.room.ui.muteButton.isChecked()
    assert again.model.player.muted and again.room.ui.localVolumeValueLabel.text() == "Muted"


# -- keys, words, small things -----------------------------------------------------------------
def test_space_plays_and_pauses_and_the_heading_says_paused(qtbot, make_window, music):
    folder, names = music
    host = make_window("Hosty")
    host_party(qtbot, host, "Keys")
    add_music(qtbot, host, folder, names[:2])
    ui = host.room.ui
    activate(qtbot, host)
    ui.queueList.setFocus()
    assert ui.nowPlayingCaption.text() == "Paused"
    qtbot.keyClick(ui.queueList, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: host.model.player.playing, timeout=DEADLINE_MS)
    assert ui.nowPlayingCaption.text() == "Now playing"
    ui.volumeSlider.setFocus()
    qtbot.keyClick(ui.volumeSlider, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not host.model.player.playing, timeout=DEADLINE_MS)
    assert ui.nowPlayingCaption.text() == "Paused"
    # On a focused button Space presses that button, as everywhere.
    ui.nextButton.setFocus()
    qtbot.keyClick(ui.nextButton, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: title(host) == names[1], timeout=DEADLINE_MS)
    assert not host.model.player.playing


def test_seek_slider_shows_the_time_while_dragging(qtbot, make_window, music, monkeypatch):
    folder, names = music
    host = make_window("Hosty")
    host_party(qtbot, host, "Seek")
    add_music(qtbot, host, folder, names[3:])    # 9 s
    ui = host.room.ui
    shown = []
    monkeypatch.setattr(QToolTip, "showText", lambda pos, text, *a: shown.append(text))
    drag_slider_to(qtbot, ui.positionSlider, 6_000)
    assert shown and shown[-1] in ("0:05", "0:06") and len(set(shown)) >= 1
    qtbot.waitUntil(lambda: host.model.player.positionMs >= 5_000, timeout=DEADLINE_MS)


def test_room_words_count_pin_and_loopback_note_and_remove_guest_button(qtbot, make_window, cli):
    host = make_window("Hosty")
    open_host_page(qtbot, host, ACCESS_PIN)
    host.host_page.ui.pinEdit.setText("4821")
    host.host_page.ui.maxDevicesSpin.setValue(8)
    create(qtbot, host)
    ui = host.room.ui
    assert ui.countLabel.text() == "1 of 8 connected"
    assert ui.leaveButton.text().replace("&", "") == "End Party"
    # The PIN, as large as the code, beside it.
    assert ui.pinValueLabel.isVisible() and ui.pinValueLabel.text() == "4821"
    assert ui.pinValueLabel.font().pointSizeF() == ui.codeLabel.font().pointSizeF() > 20
    assert ui.pinValueLabel.geometry().top() == ui.codeLabel.geometry().top()
    # Bound to 127.0.0.1 only: other laptops cannot use that address, and the room says so.
    assert ui.addressesLabel.text().startswith("Guests can also join at 127.0.0.1:")
    assert ui.loopbackNote.isVisible()

    ann = cli("join", f"127.0.0.1:{host.model.port}", "--json", "--name", "Ann", "--pin", "4821")
    ann.wait_event("welcome")
    qtbot.waitUntil(lambda: ui.countLabel.text() == "2 of 8 connected", timeout=DEADLINE_MS)
    # A guest is told the limit in WELCOME, so its room counts the same way.
    gina = make_window("Gina")
    join_by_address(qtbot, gina, host.model.port)
    answer_pin(qtbot, wait_pin_dialog(qtbot, gina), "4821")
    qtbot.waitUntil(lambda: gina.room.ui.countLabel.text() == "3 of 8 connected",
                    timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: ui.countLabel.text() == "3 of 8 connected", timeout=DEADLINE_MS)
    click(qtbot, gina.room.ui.leaveButton)
    wait_page(qtbot, gina, "home", timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: ui.countLabel.text() == "2 of 8 connected", timeout=DEADLINE_MS)
    # Removing a guest: a visible button, enabled once a guest is selected.
    assert ui.removeGuestButton.isVisible() and not ui.removeGuestButton.isEnabled()
    click_row(qtbot, ui.memberList, 0)                  # the host's own row: not removable
    assert not ui.removeGuestButton.isEnabled()
    click_row(qtbot, ui.memberList, 1)
    assert ui.removeGuestButton.isEnabled()
    click(qtbot, ui.removeGuestButton)
    assert ann.wait_event("error")["code"] == "REMOVED_BY_HOST"
    qtbot.waitUntil(lambda: ui.countLabel.text() == "1 of 8 connected", timeout=DEADLINE_MS)
    assert not ui.removeGuestButton.isEnabled() and no_alert(host)


def test_add_music_opens_the_music_folder_then_where_music_was_picked(qtbot, make_window, music,
                                                                      tmp_path, monkeypatch):
    folder, names = music
    home = tmp_path / "home"
    (home / "Music").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_MUSIC_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    host = make_window("Hosty")
    host_party(qtbot, host, "Folders")
    room = host.room
    click(qtbot, room.ui.addMusicButton)
    qtbot.waitUntil(lambda: room.file_dialog is not None and room.file_dialog.isVisible(),
                    timeout=DEADLINE_MS)
    assert room.file_dialog.directory().absolutePath() == str(home / "Music")
    room.file_dialog.setDirectory(str(folder))
    room.file_dialog.selectFile(f'"{names[0]}.wav"')
    room.file_dialog.accept()
    qtbot.waitUntil(lambda: queue_titles(host) == names[:1], timeout=DEADLINE_MS)
    assert host.settings.get(MUSIC_FOLDER) == str(folder)
    click(qtbot, room.ui.addMusicButton)
    qtbot.waitUntil(lambda: room.file_dialog is not None and room.file_dialog.isVisible(),
                    timeout=DEADLINE_MS)
    assert room.file_dialog.directory().absolutePath() == str(folder)
    room.file_dialog.reject()
    qtbot.waitUntil(lambda: room.file_dialog is None, timeout=DEADLINE_MS)
    assert QGuiApplication.instance() is not None


def test_a_focused_slider_in_the_room_wears_the_accent_ring(qtbot, make_window):
    """The app's slider focus ring reaches the room's own sliders (its style sheet is local)."""
    host = make_window("Hosty")
    host_party(qtbot, host, "Rings")
    slider = host.room.ui.localVolumeSlider
    activate(qtbot, host)

    def handle(dx: int) -> QColor:
        """The colour dx px right of the handle's centre (the ring lies at about 7)."""
        option = QStyleOptionSlider()
        slider.initStyleOption(option)
        centre = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                               QStyle.SubControl.SC_SliderHandle,
                                               slider).center()
        return slider.grab().toImage().pixelColor(centre + QPoint(dx, 0))

    def accent(c: QColor) -> bool:
        return abs(c.red() - 0x6D) < 40 and abs(c.green() - 0x4A) < 40 and c.blue() > 200
    host.room.ui.memberList.setFocus()
    qtbot.waitUntil(lambda: not slider.hasFocus(), timeout=DEADLINE_MS)
    assert accent(handle(0)), handle(0).name()          # a plain accent knob...
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus, timeout=DEADLINE_MS)
    assert handle(0).lightnessF() > 0.9, handle(0).name()   # ...that lights up inside
    assert accent(handle(7)), handle(7).name()              # in an accent ring
