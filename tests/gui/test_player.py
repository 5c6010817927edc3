"""The Player Room's music: queue, transport, position, volume, speaker delay, sync.

The host adds WAV files (through the Add music dialog and by dropping files on the queue)
and plays them; a GUI guest in the same process follows. Sound goes to TestOutputDevice,
a clocked fake sound card, so the engines run as they would on a laptop. Tests with a
GUI guest open the Join page, which scans for parties nearby: they are ``isolated_net``.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle, QStyleOptionSlider

from loudsync_desktop.model.member_list import MemberListModel
from loudsync_desktop.settings import OUTPUT_DELAY_MS
from tests.gui.conftest import open_settings
from tests.gui.helpers import (answer_alert, click, click_row, host_party, join_by_address,
                               member_names, no_alert, wait_alert, wait_connected)
from tests.gui.helpers import DEADLINE_MS
from testsupport.measure import write_test_tone

OK = QMessageBox.StandardButton.Ok
SECONDS = {"first": 20, "second": 16, "third": 6}   # different lengths: different track ids


@pytest.fixture(scope="module")
def music(tmp_path_factory):
    """Three WAVs (titled by their file names), a text file and a .wav that is not audio."""
    folder = tmp_path_factory.mktemp("music")
    for name, seconds in SECONDS.items():
        write_test_tone(folder / f"{name}.wav", seconds)
    (folder / "notes.txt").write_text("not music\n")
    (folder / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" * 64)
    return folder


# -- what the player shows ---------------------------------------------------------------------
def queue_titles(window) -> list[str]:
    model = window.room.ui.queueList.model()
    return [model.index(i, 0).data(model.TrackRole).title for i in range(model.rowCount())]


def title(window) -> str:
    return window.room.ui.trackTitleLabel.text()


def play_button_name(window) -> str:
    return window.room.ui.playPauseButton.accessibleName()


def position(window) -> int:
    return window.model.player.positionMs


def both_at(host, guest, low_ms: int, high_ms: int) -> bool:
    return all(low_ms < position(w) < high_ms for w in (host, guest))


def engine(window):
    return window.model.playback.engine


# -- what the host does ------------------------------------------------------------------------
def add_with_dialog(qtbot, window, folder, *names: str) -> None:
    """Add music -> the file dialog -> pick files in the folder -> Open."""
    room = window.room
    click(qtbot, room.ui.addMusicButton)
    qtbot.waitUntil(lambda: room.file_dialog is not None and room.file_dialog.isVisible(),
                    timeout=DEADLINE_MS)
    dialog = room.file_dialog
    assert window.isEnabled()                   # open(), not exec(): the loop runs on
    dialog.setDirectory(str(folder))
    dialog.selectFile(" ".join(f'"{name}"' for name in names))
    dialog.accept()
    qtbot.waitUntil(lambda: room.file_dialog is None, timeout=DEADLINE_MS)


def drop_files(qtbot, window, paths) -> bool:
    """Files dragged from a file manager and dropped on the queue; False if refused."""
    view = window.room.ui.queueList.viewport()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    at = QPointF(view.rect().center())
    drag = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    try:
        enter = QDragEnterEvent(at, *drag)   # PySide6 6.12+ (the QPoint form is deprecated)
    except TypeError:
        enter = QDragEnterEvent(at.toPoint(), *drag)   # 6.11 (Python 3.11) has only QPoint
    enter.ignore()
    QApplication.sendEvent(view, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, drop)
    return drop.isAccepted()


def drag_slider_to(qtbot, slider, value: int) -> None:
    """Press the slider's handle, drag it to where ``value`` is, and let go."""
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    style = slider.style()
    handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                  QStyle.SubControl.SC_SliderHandle, slider)
    groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                  QStyle.SubControl.SC_SliderGroove, slider)
    span = groove.width() - handle.width()
    x = groove.x() + handle.width() // 2 + QStyle.sliderPositionFromValue(
        slider.minimum(), slider.maximum(), value, span)
    start = handle.center()
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=start)
    assert slider.isSliderDown()
    qtbot.mouseMove(slider, QPoint(x, start.y()))
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=QPoint(x, start.y()))


def activate(qtbot, window) -> None:
    """Shortcuts (Delete, Ctrl+Left) work in the active window only: bring it to the front."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()


# -- tests ---------------------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_host_plays_the_queue_and_a_guest_follows(qtbot, make_window, music):
    host = make_window("Hosty")
    host_party(qtbot, host, "Music night")
    hr = host.room.ui
    assert queue_titles(host) == []
    assert hr.queueHintLabel.isVisible() and "Add music" in hr.queueHintLabel.text()
    assert hr.addMusicButton.isVisible() and not hr.playPauseButton.isEnabled()
    assert hr.syncLabel.text() == "Guests follow this laptop's clock"

    guest = make_window("Gina")
    join_by_address(qtbot, guest, host.model.port)
    wait_connected(qtbot, [host, guest], 2)
    gr = guest.room.ui
    # Guests follow the host: no transport, no volume, no Add music; a word why.
    for widget in (gr.playPauseButton, gr.previousButton, gr.nextButton, gr.addMusicButton,
                   gr.volumeSlider):
        assert not widget.isVisible(), widget.objectName()
    assert gr.queueHintLabel.isVisible()
    assert gr.queueHintLabel.text() == "The host chooses the music."
    assert gr.delaySlider.isVisible()               # everybody sets their own speaker delay

    # -- Add music: two files through the dialog, one dropped on the queue -----------------------
    add_with_dialog(qtbot, host, music, "first.wav", "second.wav")
    qtbot.waitUntil(lambda: queue_titles(host) == ["first", "second"], timeout=DEADLINE_MS)
    assert drop_files(qtbot, host, [music / "third.wav"])
    qtbot.waitUntil(lambda: queue_titles(host) == ["first", "second", "third"], timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: queue_titles(guest) == ["first", "second", "third"],
                    timeout=DEADLINE_MS)
    assert hr.queueHintLabel.text().startswith("Drag to reorder")   # what else a host can do
    assert hr.playPauseButton.isEnabled() and play_button_name(host) == "Play"
    assert not drop_files(qtbot, guest, [music / "third.wav"])    # guests add nothing
    assert title(host) == title(guest) == "first"      # the first track is up, not playing
    assert hr.durationLabel.text() == gr.durationLabel.text() == "0:20"
    assert no_alert(host) and no_alert(guest)

    # -- Play: both show the track playing, the guest's position advances -------------------------
    click(qtbot, hr.playPauseButton)
    qtbot.waitUntil(lambda: play_button_name(host) == "Pause", timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: play_button_name(guest) == "Pause" and position(guest) > 300,
                    timeout=DEADLINE_MS)
    assert title(guest) == "first"
    before = position(guest)
    qtbot.waitUntil(lambda: position(guest) >= before + 500, timeout=DEADLINE_MS)
    assert gr.positionSlider.value() > 0
    assert abs(position(host) - position(guest)) < 1000    # one timeline
    # ... and both laptops' speakers play the stream (audio, not silence), on and on.
    sounding = {w: engine(w).played_frames for w in (host, guest)}
    qtbot.waitUntil(lambda: all(engine(w).played_frames >= n + 24_000   # half a second
                                for w, n in sounding.items()), timeout=DEADLINE_MS)

    # The guest's clock locks onto the host's; the host hears how well the guest is in step.
    qtbot.waitUntil(lambda: gr.syncLabel.text().startswith("In sync"), timeout=DEADLINE_MS)
    assert re.fullmatch(r"In sync \(±\d+\.\d\d ms\)", gr.syncLabel.text()), gr.syncLabel.text()
    members = hr.memberList.model()
    qtbot.waitUntil(lambda: bool(members.index(1, 0).data(MemberListModel.SyncRole)),
                    timeout=DEADLINE_MS)
    assert member_names(host)[1] == "Gina"
    assert re.fullmatch(r"in sync ±\d+\.\d\d ms|syncing…",
                        members.index(1, 0).data(MemberListModel.SyncRole))

    # -- Seek: drag the position slider; both jump there -------------------------------------------
    drag_slider_to(qtbot, hr.positionSlider, 12_000)
    qtbot.waitUntil(lambda: both_at(host, guest, 11_000, 14_500), timeout=DEADLINE_MS)
    # ... or with the keys (5 s a step) ...
    activate(qtbot, host)
    hr.positionSlider.setFocus()
    qtbot.keyClick(hr.positionSlider, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: both_at(host, guest, 6_000, 10_500), timeout=DEADLINE_MS)
    # ... or with a click on the bar (Fusion: a page, 10 s, towards the click).
    slider = hr.positionSlider
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(2, slider.height() // 2))
    qtbot.waitUntil(lambda: both_at(host, guest, -1, 2_500), timeout=DEADLINE_MS)

    # -- Next and Previous -------------------------------------------------------------------------
    click(qtbot, hr.nextButton)
    qtbot.waitUntil(lambda: title(host) == title(guest) == "second", timeout=DEADLINE_MS)
    assert play_button_name(guest) == "Pause" and gr.durationLabel.text() == "0:16"
    assert position(guest) < 3000
    click(qtbot, hr.previousButton)                  # early in a track: the one before
    qtbot.waitUntil(lambda: title(host) == title(guest) == "first", timeout=DEADLINE_MS)
    qtbot.waitUntil(lambda: position(guest) < 3000, timeout=DEADLINE_MS)

    # -- Volume: the host's slider is the party's volume -------------------------------------------
    activate(qtbot, host)
    hr.volumeSlider.setFocus()
    qtbot.keyClick(hr.volumeSlider, Qt.Key.Key_PageDown)    # 100 -> 90
    qtbot.keyClick(hr.volumeSlider, Qt.Key.Key_PageDown)    # -> 80
    assert hr.volumeSlider.value() == 80
    qtbot.waitUntil(lambda: guest.model.player.state.volume == pytest.approx(0.8),
                    timeout=DEADLINE_MS)
    assert host.model.player.volume == pytest.approx(0.8)

    # -- Each guest sets its own speaker delay ----------------------------------------------------
    gr.delaySlider.setFocus()
    qtbot.keyClick(gr.delaySlider, Qt.Key.Key_PageUp)
    assert gr.delayValueLabel.text() == "10 ms"
    assert engine(guest).output_delay_ms == 10 and engine(host).output_delay_ms == 0

    # -- Pause -------------------------------------------------------------------------------------
    click(qtbot, hr.playPauseButton)
    qtbot.waitUntil(lambda: play_button_name(host) == play_button_name(guest) == "Play",
                    timeout=DEADLINE_MS)
    paused = position(guest)
    qtbot.wait(600)
    assert position(guest) == paused
    # The pause took effect (400 ms after the press): the speakers have gone quiet.
    quiet = {w: engine(w).played_frames for w in (host, guest)}
    qtbot.wait(300)
    assert {w: engine(w).played_frames for w in (host, guest)} == quiet
    assert no_alert(host) and no_alert(guest)


def test_delete_removes_the_selected_track_and_bad_files_are_reported(qtbot, make_window, music):
    host = make_window("Hosty")
    host_party(qtbot, host, "Music night")
    hr = host.room.ui

    # Two files that are not music, dropped with good ones: one alert, the good ones added.
    assert drop_files(qtbot, host, [music / "first.wav", music / "notes.txt",
                                    music / "broken.wav", music / "second.wav"])
    box = wait_alert(qtbot, host)
    assert box.windowTitle() == "Some files were not added"
    # One line per file that was not added: its name and the reason (the decoder's words).
    lines = box.informativeText().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == ["notes.txt", "broken.wav"], lines
    assert all(len(line.split(": ", 1)[-1]) > 10 for line in lines), lines
    answer_alert(qtbot, host, OK)
    assert queue_titles(host) == ["first", "second"]

    # The same through the dialog.
    add_with_dialog(qtbot, host, music, "notes.txt", "third.wav")
    box = wait_alert(qtbot, host)
    assert box.windowTitle() == "Some files were not added" and "notes.txt" in box.informativeText()
    answer_alert(qtbot, host, OK)
    assert queue_titles(host) == ["first", "second", "third"]

    # Enter on a row makes that track the current one; Ctrl+Left goes back one.
    activate(qtbot, host)
    click_row(qtbot, hr.queueList, 1)
    assert hr.queueList.hasFocus() and hr.queueList.currentIndex().row() == 1
    qtbot.keyClick(hr.queueList, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: title(host) == "second", timeout=DEADLINE_MS)
    qtbot.keyClick(hr.queueList, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: title(host) == "first", timeout=DEADLINE_MS)

    # Delete on a selected row removes that track.
    qtbot.keyClick(hr.queueList, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: queue_titles(host) == ["first", "third"], timeout=DEADLINE_MS)
    click_row(qtbot, hr.queueList, 0)
    qtbot.keyClick(hr.queueList, Qt.Key.Key_Delete)        # the current track: the next is up
    qtbot.waitUntil(lambda: queue_titles(host) == ["third"], timeout=DEADLINE_MS)
    assert title(host) == "third"
    assert no_alert(host)


def test_speaker_delay_reaches_the_engine_and_is_remembered(qtbot, make_window):
    first = make_window("Hosty")
    host_party(qtbot, first, "Delay")
    ui = first.room.ui
    assert ui.delaySlider.value() == 0 and ui.delayValueLabel.text() == "0 ms"
    activate(qtbot, first)
    ui.delaySlider.setFocus()
    for _ in range(12):
        qtbot.keyClick(ui.delaySlider, Qt.Key.Key_PageUp)    # 10 ms a step
    qtbot.keyClick(ui.delaySlider, Qt.Key.Key_Right)
    assert ui.delaySlider.value() == 121
    assert ui.delayValueLabel.text() == "121 ms"
    assert engine(first).output_delay_ms == 121
    assert first.model.player.outputDelayMs == 121

    # A window built later on the same settings file starts with that delay.
    first.quit_now()
    qtbot.waitUntil(lambda: first.closed_for_test, timeout=DEADLINE_MS)
    assert open_settings(first.settings_path).get(OUTPUT_DELAY_MS) == 121
    second = make_window(settings_path=first.settings_path)
    assert second.room.ui.delaySlider.value() == 121
    assert second.room.ui.delayValueLabel.text() == "121 ms"
    host_party(qtbot, second, "Delay again")
    assert engine(second).output_delay_ms == 121


def test_a_laptop_without_sound_says_so_and_the_party_goes_on(qtbot, make_window, music):
    def broken_sound_card(clock):
        raise OSError("device busy")
    host = make_window("Hosty", audio_output=broken_sound_card)
    host_party(qtbot, host, "Silent")
    add_with_dialog(qtbot, host, music, "third.wav")     # the speakers open with the music
    note = host.room.ui.audioNoteLabel
    qtbot.waitUntil(note.isVisible, timeout=DEADLINE_MS)
    assert note.text() == "No audio output (device busy): this computer stays silent."
    assert no_alert(host)
    qtbot.waitUntil(lambda: host.room.ui.playPauseButton.isEnabled(), timeout=DEADLINE_MS)
    click(qtbot, host.room.ui.playPauseButton)
    qtbot.waitUntil(lambda: position(host) > 300,            # the party's clock runs on
                    timeout=DEADLINE_MS)
    assert play_button_name(host) == "Pause" and note.isVisible()
