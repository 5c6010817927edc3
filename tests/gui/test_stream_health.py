"""What the host sees of the stream: the party's Sound and Buffer on the Host page (kept for
the next party), each guest's trouble in words on the member list, and a notice for a track
the party had to skip.

Real widgets offscreen, a real host on 127.0.0.1; the troubled guest is a raw WebSocket
guest sending the SYNC_REPORTs a streaming guest sends (its words come from its report).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from loudsync_desktop.model.member_list import MemberListModel
from loudsync_desktop.settings import HOST_BUFFER_MS, HOST_CODEC, Settings
from loudsync_desktop.views.delegates import WARNING_ON_DARK, WARNING_ON_LIGHT
from tests.gui.helpers import (DEADLINE_MS, answer_alert, click, run_until_done, wait_alert,
                               wait_connected, wait_page)
from tests.support import RawGuest
from testsupport.measure import write_test_tone

OPUS, FLAC, PCM = 0, 1, 2


def open_host_page(qtbot, window) -> None:
    click(qtbot, window.home.ui.hostButton)
    wait_page(qtbot, window, "host")
    with qtbot.waitActive(window):
        window.activateWindow()


def press_mnemonic(qtbot, window, key: Qt.Key) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, key, Qt.KeyboardModifier.AltModifier)


def choose_with_keys(qtbot, combo, index: int) -> None:
    """A closed combo box, as a person does it with the arrow keys."""
    for _ in range(combo.count()):
        if combo.currentIndex() == index:
            break
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)
    assert combo.currentIndex() == index


def end_party(qtbot, window) -> None:
    click(qtbot, window.room.ui.leaveButton)
    wait_alert(qtbot, window)
    answer_alert(qtbot, window, "confirm")
    wait_page(qtbot, window, "home")


def test_the_party_sound_and_buffer_are_chosen_with_the_keys_and_kept(qtbot, make_window,
                                                                      settings_file):
    path = settings_file()
    window = make_window("Ana", settings_path=path)
    open_host_page(qtbot, window)
    ui = window.host_page.ui
    assert ui.soundCombo.currentText() == "Compact (Opus, 128 kbit/s) — best on Wi-Fi"
    assert [ui.soundCombo.itemText(i) for i in (FLAC, PCM)] == [
        "Lossless (FLAC) — good Wi-Fi or wired", "Uncompressed (PCM) — wired network"]
    assert ui.bufferCombo.currentText() == "1 s"
    assert ui.bufferNoteLabel.isVisible()
    assert ui.bufferNoteLabel.text() == \
        "Longer rides out Wi-Fi hiccups; commands still act in 0.4 s."
    assert (ui.soundLabel.buddy(), ui.bufferLabel.buddy()) == (ui.soundCombo, ui.bufferCombo)

    press_mnemonic(qtbot, window, Qt.Key.Key_S)             # Alt+S: the Sound choice
    assert QApplication.focusWidget() is ui.soundCombo
    choose_with_keys(qtbot, ui.soundCombo, FLAC)
    press_mnemonic(qtbot, window, Qt.Key.Key_B)             # Alt+B: the Buffer choice
    assert QApplication.focusWidget() is ui.bufferCombo
    choose_with_keys(qtbot, ui.bufferCombo, 3)
    assert ui.bufferCombo.currentText() == "3 s"
    click(qtbot, ui.createButton)
    wait_page(qtbot, window, "room")
    playback = window.model.playback                       # the party streams as chosen
    assert (playback.codec, playback.lead_us) == ("flac", 3_000_000)
    end_party(qtbot, window)
    window.quit_now()
    qtbot.waitUntil(lambda: window.closed_for_test, timeout=DEADLINE_MS)

    again = make_window("Ana", settings_path=path)         # the app started again
    open_host_page(qtbot, again)
    ui = again.host_page.ui
    assert (ui.soundCombo.currentIndex(), ui.bufferCombo.currentText()) == (FLAC, "3 s")
    choose_with_keys(qtbot, ui.soundCombo, PCM)
    choose_with_keys(qtbot, ui.bufferCombo, 0)
    click(qtbot, ui.createButton)
    wait_page(qtbot, again, "room")
    assert (again.model.playback.codec, again.model.playback.lead_us) == ("pcm", 500_000)
    end_party(qtbot, again)
    again.settings.store.sync()
    stored = Settings(QSettings(str(path), QSettings.Format.IniFormat))
    assert (stored.get(HOST_CODEC), stored.get(HOST_BUFFER_MS)) == ("pcm", 500)


@pytest.mark.parametrize("codec, buffer_ms", [("mp3", "fast"), ("", "0"), ("OPUS", "99999")])
def test_a_hand_edited_sound_setting_falls_back_to_the_default(qtbot, make_window,
                                                               settings_file, codec, buffer_ms):
    path = settings_file()
    raw = QSettings(str(path), QSettings.Format.IniFormat)
    raw.setValue(HOST_CODEC.key, codec)
    raw.setValue(HOST_BUFFER_MS.key, buffer_ms)
    raw.sync()
    window = make_window("Ana", settings_path=path)
    open_host_page(qtbot, window)
    ui = window.host_page.ui
    assert (ui.soundCombo.currentIndex(), ui.bufferCombo.currentText()) == (OPUS, "1 s")


# -- the member list ----------------------------------------------------------------------------
def stream_report(state: str, lost_ms: int, buffered_ms: int = 900) -> dict:
    return {"errorUs": 30, "uncertaintyUs": 200, "streamState": state,
            "bufferedMs": buffered_ms, "lostMs": lost_ms}


def subtitle_has_warning_colour(view, row: int) -> bool:
    """Whether the row's second line is painted in the trouble colour (its amber)."""
    rect = view.visualRect(view.model().index(row, 0))
    image = view.viewport().grab().toImage()
    wanted = [QColor(WARNING_ON_LIGHT), QColor(WARNING_ON_DARK)]
    for y in range(rect.center().y(), rect.bottom()):
        for x in range(rect.left() + rect.height(), rect.right()):   # right of the avatar
            pixel = image.pixelColor(x, y)
            if any(abs(pixel.red() - c.red()) + abs(pixel.green() - c.green())
                   + abs(pixel.blue() - c.blue()) < 30 for c in wanted):
                return True
    return False


def test_a_guest_in_trouble_is_shown_in_words_on_the_hosts_member_list(qtbot, make_window,
                                                                       tmp_path):
    host = make_window("Hosty")
    click(qtbot, host.home.ui.hostButton)
    wait_page(qtbot, host, "host")
    click(qtbot, host.host_page.ui.createButton)
    wait_page(qtbot, host, "room")
    write_test_tone(tmp_path / "Song.wav", 60)
    run_until_done(qtbot, host.model.playback.add_file(tmp_path / "Song.wav"))
    qtbot.waitUntil(lambda: host.room.ui.playPauseButton.isEnabled(), timeout=DEADLINE_MS)
    click(qtbot, host.room.ui.playPauseButton)
    qtbot.waitUntil(lambda: host.model.player.state.playing, timeout=DEADLINE_MS)

    raw = run_until_done(qtbot, RawGuest.connect(host.model.port))
    try:
        welcome = run_until_done(qtbot, raw.join(host.model.session_id, "raw-ana", "Ana"))
        assert welcome["type"] == "WELCOME"
        wait_connected(qtbot, [host], 2)
        view = host.room.ui.memberList
        members = view.model()
        guest_row = members.index(1, 0)

        def shows(words):
            return lambda: members.index(1, 0).data(MemberListModel.StreamRole) == words

        run_until_done(qtbot, raw.send("SYNC_REPORT", stream_report("buffering", 0, 0)))
        qtbot.waitUntil(shows("buffering"), timeout=DEADLINE_MS)
        assert "buffering" in guest_row.data(Qt.ItemDataRole.AccessibleTextRole)
        qtbot.waitUntil(lambda: subtitle_has_warning_colour(view, 1), timeout=DEADLINE_MS)

        run_until_done(qtbot, raw.send("SYNC_REPORT", stream_report("behind", 200, 100)))
        qtbot.waitUntil(shows("behind, catching up"), timeout=DEADLINE_MS)
        run_until_done(qtbot, raw.send("SYNC_REPORT", stream_report("playing", 2_000)))
        qtbot.waitUntil(shows("lost 2 s of audio"), timeout=DEADLINE_MS)
        assert members.index(1, 0).data(MemberListModel.SyncRole) == "in sync ±0.23 ms"

        # Paused, silence is no trouble: the sync words are back, in the usual colour.
        click(qtbot, host.room.ui.playPauseButton)
        qtbot.waitUntil(lambda: not host.model.player.state.playing, timeout=DEADLINE_MS)
        run_until_done(qtbot, raw.send("SYNC_REPORT", stream_report("buffering", 2_000)))
        qtbot.waitUntil(shows(None), timeout=DEADLINE_MS)
        view.viewport().update()
        qtbot.waitUntil(lambda: not subtitle_has_warning_colour(view, 1), timeout=DEADLINE_MS)
        assert "buffering" not in members.index(1, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    finally:
        run_until_done(qtbot, raw.close())


def test_a_track_the_party_cannot_play_is_told_in_a_notice(qtbot, make_window, tmp_path):
    host = make_window("Hosty")
    click(qtbot, host.home.ui.hostButton)
    wait_page(qtbot, host, "host")
    click(qtbot, host.host_page.ui.createButton)
    wait_page(qtbot, host, "room")
    write_test_tone(tmp_path / "Gone.wav", 5)
    write_test_tone(tmp_path / "Here.wav", 30)
    run_until_done(qtbot, host.model.playback.add_file(tmp_path / "Gone.wav"))
    run_until_done(qtbot, host.model.playback.add_file(tmp_path / "Here.wav"))
    (tmp_path / "Gone.wav").unlink()                       # taken away after it was queued
    qtbot.waitUntil(lambda: host.room.ui.playPauseButton.isEnabled(), timeout=DEADLINE_MS)
    click(qtbot, host.room.ui.playPauseButton)
    notice = host.notice
    qtbot.waitUntil(lambda: notice.isVisible() and "Skipped" in notice.text(),
                    timeout=DEADLINE_MS)
    assert notice.text().startswith("Skipped “Gone”. Gone.wav")
    assert notice.text().endswith(".") and not notice.text().endswith("..")
    assert host.alerts.active is None                      # told, not asked: the party goes on
