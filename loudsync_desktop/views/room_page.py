"""The Player Room: who is in the party, and the party's music.

Wide windows show two columns (the party on the left, the player on the right);
narrow ones one column that scrolls. Only the host commands the music (queue,
transport, party volume); everybody sets their own speaker delay and volume and
sees how well their speaker is in step.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QSize, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (QAbstractButton, QApplication, QBoxLayout, QFileDialog,
                               QMenu, QSizePolicy, QStyle, QStyleOptionSlider,
                               QToolTip, QWidget)

from ..audio.tracks import SUPPORTED_SUFFIXES
from ..model.member_list import MemberListModel
from ..model.player_model import format_time
from ..model.session_model import HOSTING, ROLE_HOST, SessionModel
from ..protocol.messages import ROLE_CLIENT
from ..settings import LOCAL_MUTED, LOCAL_VOLUME_PERCENT, MUSIC_FOLDER, Settings
from ..ui.generated.ui_room_page import Ui_RoomPage
from .delegates import MemberDelegate, QueueDelegate

Runner = Callable[[object], object]
AUDIO_FILTER = "Music ({})".format(" ".join(f"*{s}" for s in SUPPORTED_SUFFIXES))
TWO_COLUMNS_FROM = 720   # px of room width: below it, one column that scrolls
NOTICE_MS = 10_000       # how long "Removed …  Undo" stays
# The room's own look: the mute button's checked state and the notice bar (the app's style
# sheet styles everything else, the sliders' focus ring among them).
ROOM_STYLE = """
QPushButton#muteButton:checked { background: rgba(212, 46, 60, 0.15); border-color: #D42E3C; }
QFrame#noticeBar { background: rgba(109, 74, 255, 0.14); border: 1px solid rgba(109, 74, 255, 0.6);
                   border-radius: 8px; }
"""


def only_loopback(addresses: list[str]) -> bool:
    """True when every ``host:port`` offered is this machine's own (127.x, ::1, localhost)."""
    def loopback(address: str) -> bool:
        host = address.rsplit(":", 1)[0].strip("[]")
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return bool(addresses) and all(loopback(a) for a in addresses)


def music_folder() -> str:
    """The person's Music folder, or their home if there is none."""
    music = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MusicLocation)
    return music if music and Path(music).is_dir() else str(Path.home())


class RoomPage(QWidget):
    leaveRequested = Signal()
    delayChanged = Signal(int)   # the person moved the speaker-delay slider (ms)

    def __init__(self, model: SessionModel, run: Runner, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_RoomPage()
        self.ui.setupUi(self)
        self.setStyleSheet(ROOM_STYLE)
        self.model = model
        self.player = model.player
        self.settings = settings
        self._run = run
        self._seeking = False
        self._two_columns: bool | None = None
        self.file_dialog: QFileDialog | None = None
        self._play_icon = QIcon(":/loudsync/play.svg")
        self._pause_icon = QIcon(":/loudsync/pause.svg")
        self.ui.previousButton.setIcon(QIcon(":/loudsync/previous.svg"))
        self.ui.nextButton.setIcon(QIcon(":/loudsync/next.svg"))
        for button, size in ((self.ui.previousButton, 20), (self.ui.nextButton, 20),
                             (self.ui.playPauseButton, 26)):
            button.setIconSize(QSize(size, size))

        # The party.
        self.ui.memberList.setModel(model.members)
        self.ui.memberList.setItemDelegate(MemberDelegate(self.ui.memberList))
        self.ui.memberList.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.ui.memberList.customContextMenuRequested.connect(self._member_menu)
        self.ui.memberList.selectionModel().selectionChanged.connect(self._show_remove_guest)
        model.members.modelReset.connect(self._show_remove_guest)
        model.members.rowsRemoved.connect(self._show_remove_guest)
        self.ui.removeGuestButton.clicked.connect(self.remove_selected_guest)
        self.ui.copyButton.clicked.connect(self.copy_code)
        self.ui.leaveButton.clicked.connect(self.leaveRequested)
        self.ui.giveUpButton.clicked.connect(model.give_up)
        self.ui.statusRow.hide()
        model.sessionChanged.connect(self.refresh)
        model.roleChanged.connect(self.refresh)
        model.statusChanged.connect(self.refresh)
        model.memberCountChanged.connect(self._show_count)
        model.reconnectingChanged.connect(self._show_reconnecting)
        model.reconnectTextChanged.connect(self._show_reconnecting)

        # The player.
        queue = self.ui.queueList
        queue.setModel(self.player.queue)
        queue.setItemDelegate(QueueDelegate(queue))
        queue.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        queue.customContextMenuRequested.connect(self._queue_menu)
        queue.activated.connect(lambda index: self.player.jump(index.row()))
        self.ui.playPauseButton.clicked.connect(self.player.toggle)
        self.ui.previousButton.clicked.connect(self.player.previous)
        self.ui.nextButton.clicked.connect(self.player.next)
        self.ui.addMusicButton.clicked.connect(self.choose_files)
        self.ui.positionSlider.sliderPressed.connect(self._seek_started)
        self.ui.positionSlider.sliderMoved.connect(self._seek_dragged)
        self.ui.positionSlider.sliderReleased.connect(self._seek_to_slider)
        self.ui.positionSlider.actionTriggered.connect(self._seek_by_step)
        self.ui.volumeSlider.valueChanged.connect(self._volume_moved)
        self.ui.localVolumeSlider.valueChanged.connect(self._local_volume_moved)
        self.ui.muteButton.toggled.connect(self._mute_toggled)
        self.ui.delaySlider.valueChanged.connect(self._delay_moved)
        self.ui.undoButton.clicked.connect(self.undo_remove)
        self.ui.noticeBar.hide()
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._notice_timer.timeout.connect(self.ui.noticeBar.hide)
        self.player.stateChanged.connect(self.refresh_player)
        self.player.coverChanged.connect(self.refresh_player)
        self.player.positionChanged.connect(self._show_position)
        self.player.outputDelayChanged.connect(self._show_delay)
        self.player.localVolumeChanged.connect(self._show_local_volume)
        self.player.trackRemoved.connect(self._show_removed)
        for keys, action in ((Qt.Key.Key_Delete, self._delete_selected),
                             (QKeySequence.StandardKey.Undo, self.undo_remove),
                             (Qt.Key.Key_Space, self._space),
                             (QKeySequence("Ctrl+Right"), self.player.next),
                             (QKeySequence("Ctrl+Left"), self.player.previous)):
            QShortcut(keys, self, action, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setAcceptDrops(True)
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(1000)
        self._sync_timer.timeout.connect(self._show_sync)
        self._sync_timer.start()
        if settings is not None:   # this laptop's own loudness, as it was left
            self.player.set_local_volume(settings.get(LOCAL_VOLUME_PERCENT) / 100)
            self.player.set_muted(bool(settings.get(LOCAL_MUTED)))
        self._show_local_volume()
        self.refresh()
        self.refresh_player()
        for widget in (self.ui.column, self.ui.playerCard):   # they grow first, the margins after
            self.ui.roomLayout.setStretchFactor(widget, 1)
        self.ui.scrollArea.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.ui.scrollArea.installEventFilter(self)
        self._reflow(self.width())

    # -- layout ---------------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        # Before the scroll area sizes its content: the content's shape must be set by then.
        if watched is self.ui.scrollArea and event.type() == QEvent.Type.Resize:
            self._reflow(event.size().width())
        return super().eventFilter(watched, event)

    def _reflow(self, width: int) -> None:
        """Two columns side by side when there is room, else one column that scrolls."""
        two = width >= TWO_COLUMNS_FROM
        if two == self._two_columns:
            return
        self._two_columns = two
        layout = self.ui.roomLayout
        layout.setDirection(QBoxLayout.Direction.LeftToRight if two
                            else QBoxLayout.Direction.TopToBottom)
        grow = QSizePolicy.Policy.Expanding if two else QSizePolicy.Policy.Minimum
        for spacer in (self.ui.leftSpacer, self.ui.rightSpacer):   # centre the two columns
            spacer.changeSize(0, 0, grow, QSizePolicy.Policy.Minimum)
        # One column: no wider than a column, and the scroll area centres it.
        margins = layout.contentsMargins()
        one_wide = self.ui.column.maximumWidth() + margins.left() + margins.right()
        self.ui.roomContent.setMaximumWidth(16777215 if two else one_wide)
        layout.invalidate()

    @property
    def two_columns(self) -> bool:
        return bool(self._two_columns)

    # -- the party ------------------------------------------------------------------------------
    def refresh(self, *args) -> None:
        m = self.model
        hosting = m.role == ROLE_HOST
        self.ui.partyNameLabel.setText(m.sessionName)
        self.ui.roleLabel.setText("You are hosting" if hosting else
                                  f"Hosted by {m.host_name}" if m.host_name else "")
        self.ui.codeLabel.setText(m.code)
        addresses = m.addresses if hosting else []
        self.ui.addressesLabel.setText(
            "Guests can also join at " + ", ".join(addresses) if addresses else "")
        self.ui.addressesLabel.setVisible(bool(addresses))
        self.ui.loopbackNote.setVisible(only_loopback(addresses))
        show_pin = hosting and m.access == "pin" and bool(m.pin)
        self.ui.pinValueLabel.setText(m.pin if show_pin else "")
        for widget in (self.ui.pinCaption, self.ui.pinValueLabel):
            widget.setVisible(show_pin)   # large, next to the code: the host reads it aloud
        self.ui.pinLabel.setText("Guests need the PIN to join" if show_pin else
                                 "You let each guest in" if hosting and m.access == "approval"
                                 else "")
        self.ui.pinLabel.setVisible(hosting and m.access in ("pin", "approval"))
        self.ui.lidWarning.setVisible(m.status == HOSTING)
        self.ui.leaveButton.setText("&End Party" if hosting else "&Leave")
        self.ui.leaveButton.setAccessibleName("End the party" if hosting else "Leave the party")
        self.ui.removeGuestButton.setVisible(hosting)
        self._show_count(m.memberCount)
        self._show_remove_guest()
        self.refresh_player()

    def _show_reconnecting(self, *args) -> None:
        """The link to the host dropped: say so while the model tries to get back in."""
        self.ui.statusLabel.setText(self.model.reconnectText)
        self.ui.statusRow.setVisible(self.model.reconnecting)

    def _show_count(self, count: int) -> None:
        most = self.model.max_members   # a guest knows it from WELCOME, when the host says it
        self.ui.countLabel.setText(f"{count} of {most} connected" if most else
                                   f"{count} connected")

    def copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self.model.code)
        self.ui.copyButton.setText("Copied!")
        QTimer.singleShot(1500, self.ui.copyButton,
                          lambda: self.ui.copyButton.setText("&Copy code"))

    def _selected_guest(self) -> QModelIndex | None:
        """The guest row the host has selected (never the host's own row)."""
        if self.model.role != ROLE_HOST:
            return None
        rows = self.ui.memberList.selectionModel().selectedRows()
        if rows and rows[0].data(MemberListModel.RoleRole) == ROLE_CLIENT:
            return rows[0]
        return None

    def _show_remove_guest(self, *args) -> None:
        index = self._selected_guest()
        self.ui.removeGuestButton.setEnabled(index is not None)
        name = index.data(MemberListModel.NameRole) if index is not None else ""
        self.ui.removeGuestButton.setAccessibleName(
            f"Remove {name} from the party" if name else "Remove the selected guest")

    def remove_selected_guest(self) -> None:
        index = self._selected_guest()
        if index is not None:
            self.model.remove_member(index.data(MemberListModel.IdRole))

    def _member_menu(self, point: QPoint) -> None:
        index = self.ui.memberList.indexAt(point)
        if self.model.role != ROLE_HOST or not index.isValid() or \
                index.data(MemberListModel.RoleRole) != ROLE_CLIENT:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        name = index.data(MemberListModel.NameRole)
        device_id = index.data(MemberListModel.IdRole)   # the row may move while the menu is up
        menu.addAction(f"Remove {name} from the party",
                       lambda: self.model.remove_member(device_id))
        menu.popup(self.ui.memberList.viewport().mapToGlobal(point))

    def _delete_selected(self) -> None:
        """Delete removes the selected track (queue) or guest (members), host only; with
        nothing selected it removes nothing."""
        if self.model.role != ROLE_HOST:
            return
        if self.ui.queueList.hasFocus():
            rows = self.ui.queueList.selectionModel().selectedRows()
            if rows:
                self.player.remove(rows[0].row())
        elif self.ui.memberList.hasFocus():
            self.remove_selected_guest()

    # -- the music -------------------------------------------------------------------------------
    def refresh_player(self, *args) -> None:
        p = self.player
        host = p.is_host
        has_track = p.state.current is not None
        self.ui.nowPlayingCaption.setText("Paused" if has_track and not p.playing
                                          else "Now playing")
        self.ui.trackTitleLabel.setText(p.title or ("Nothing playing yet" if p.active else ""))
        self.ui.trackArtistLabel.setText(p.artist)
        self.ui.trackArtistLabel.setVisible(bool(p.artist))
        side = self.ui.coverLabel.maximumWidth()
        cover = p.cover(round(side * self.devicePixelRatioF()))
        if cover is None:
            self.ui.coverLabel.clear()
        else:
            pixmap = QPixmap.fromImage(cover)
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            self.ui.coverLabel.setPixmap(pixmap)
        self.ui.coverLabel.setVisible(cover is not None)
        self.ui.positionSlider.setMaximum(max(0, p.durationMs))
        self.ui.durationLabel.setText(format_time(p.durationMs))
        self.ui.playPauseButton.setIcon(self._pause_icon if p.playing else self._play_icon)
        self.ui.playPauseButton.setAccessibleName("Pause" if p.playing else "Play")
        for widget in (self.ui.playPauseButton, self.ui.positionSlider):
            widget.setEnabled(host and has_track)
        self.ui.previousButton.setEnabled(host and has_track)
        self.ui.nextButton.setEnabled(host and p.state.index + 1 < len(p.state.queue))
        for widget in (self.ui.volumeSlider, self.ui.volumeLabel, self.ui.volumeValueLabel,
                       self.ui.addMusicButton, self.ui.previousButton,
                       self.ui.playPauseButton, self.ui.nextButton):
            widget.setVisible(host)   # guests follow the host: no controls to tease them
        if host and not self.ui.volumeSlider.isSliderDown():
            self.ui.volumeSlider.blockSignals(True)
            self.ui.volumeSlider.setValue(round(p.volume * 100))
            self.ui.volumeSlider.blockSignals(False)
        self.ui.volumeValueLabel.setText(f"{self.ui.volumeSlider.value()}%")
        self.ui.queueList.setDragEnabled(host)
        if not p.can_undo_remove:
            self.ui.noticeBar.hide()
        hint = ""
        if host and not p.state.queue:
            hint = "Add music with the button above or drop files here. Everyone hears it in step."
        elif host:
            hint = "Drag to reorder; right-click a track for more."
        elif p.active:
            hint = "The host chooses the music."
        self.ui.queueHintLabel.setText(hint)
        self.ui.queueHintLabel.setVisible(bool(hint))
        self.ui.audioNoteLabel.setText(p.audio_note)
        self.ui.audioNoteLabel.setVisible(bool(p.audio_note))
        self._show_position(p.positionMs)
        self._show_sync()

    def _queue_menu(self, point: QPoint) -> None:
        index = self.ui.queueList.indexAt(point)
        if not self.player.is_host or not index.isValid():
            return
        row = index.row()
        track = self.player.queue.track_at(row)   # the row may move while the menu is up
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def at_row(action):
            return lambda: action(row) if self.player.queue.track_at(row) == track else None
        play_next = menu.addAction("Play &next", at_row(self.player.play_next))
        play_next.setEnabled(row != self.player.queue.current_row)
        menu.addAction("&Remove from the queue", at_row(self.player.remove))
        menu.popup(self.ui.queueList.viewport().mapToGlobal(point))

    def _show_removed(self, title: str) -> None:
        self.ui.noticeLabel.setText(f"Removed “{title}” from the queue.")
        self.ui.noticeBar.show()
        self._notice_timer.start()

    def undo_remove(self) -> None:
        if self.player.can_undo_remove:
            self.player.undo_remove()
            self.ui.noticeBar.hide()

    def _space(self) -> None:
        """Space plays and pauses, as in every player; on a focused button it presses it.
        (The room has no text field: its one line edit, the file dialog's, is its own window.)"""
        focus = QApplication.focusWidget()
        if isinstance(focus, QAbstractButton):
            focus.animateClick()
        elif self.player.is_host:
            self.player.toggle()

    def _show_position(self, position_ms: int) -> None:
        if not self._seeking:
            self.ui.elapsedLabel.setText(format_time(position_ms))
            self.ui.positionSlider.blockSignals(True)
            self.ui.positionSlider.setValue(position_ms)
            self.ui.positionSlider.blockSignals(False)

    def _seek_started(self) -> None:
        self._seeking = True
        self._seek_dragged(self.ui.positionSlider.sliderPosition())

    def _seek_dragged(self, position_ms: int) -> None:
        """While the handle is dragged: the time it points at, by the handle and in the label."""
        text = format_time(position_ms)
        self.ui.elapsedLabel.setText(text)
        slider = self.ui.positionSlider
        option = QStyleOptionSlider()
        slider.initStyleOption(option)
        handle = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                               QStyle.SubControl.SC_SliderHandle, slider)
        QToolTip.showText(slider.mapToGlobal(handle.center() - QPoint(0, handle.height())),
                          text, slider)

    def _seek_to_slider(self) -> None:
        self._seeking = False
        QToolTip.hideText()
        self.player.seek(self.ui.positionSlider.value())

    def _seek_by_step(self, _action: int) -> None:
        """Keys, the wheel and clicks on the bar seek at once (a dragged handle, on release)."""
        if not self.ui.positionSlider.isSliderDown():
            self.player.seek(self.ui.positionSlider.sliderPosition())

    def _show_sync(self) -> None:
        self.ui.syncLabel.setText(self.player.sync_text)

    def _volume_moved(self, value: int) -> None:
        self.ui.volumeValueLabel.setText(f"{value}%")
        self.player.set_volume(value / 100)

    def _local_volume_moved(self, value: int) -> None:
        self.player.set_local_volume(value / 100)
        if self.settings is not None:
            self.settings.set(LOCAL_VOLUME_PERCENT, value)

    def _mute_toggled(self, muted: bool) -> None:
        self.player.set_muted(muted)
        if self.settings is not None:
            self.settings.set(LOCAL_MUTED, int(muted))

    def _show_local_volume(self) -> None:
        p = self.player
        percent = round(p.localVolume * 100)
        for widget, value in ((self.ui.localVolumeSlider, percent), (self.ui.muteButton, p.muted)):
            widget.blockSignals(True)
            (widget.setValue if widget is self.ui.localVolumeSlider else widget.setChecked)(value)
            widget.blockSignals(False)
        self.ui.muteButton.setText("Un&mute" if p.muted else "&Mute")
        self.ui.muteButton.setAccessibleName("Unmute this laptop" if p.muted
                                             else "Mute this laptop")
        self.ui.localVolumeValueLabel.setText("Muted" if p.muted else f"{percent}%")

    def _delay_moved(self, value: int) -> None:
        self.ui.delayValueLabel.setText(f"{value} ms")
        self.player.set_output_delay(value)
        self.delayChanged.emit(value)

    def _show_delay(self, delay_ms: float) -> None:
        if self.ui.delaySlider.value() != round(delay_ms):
            self.ui.delaySlider.setValue(round(delay_ms))

    def choose_files(self) -> None:
        """A file dialog that does not block the loop (open(), not exec()), in the Music
        folder the first time and where music was last picked after that."""
        start = self.settings.get(MUSIC_FOLDER) if self.settings is not None else ""
        if not start or not Path(start).is_dir():
            start = music_folder()
        dialog = QFileDialog(self, "Add music", start, AUDIO_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(self._files_chosen)
        dialog.finished.connect(lambda _: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def _files_chosen(self, files) -> None:
        files = list(files)
        if files and self.settings is not None:
            self.settings.set(MUSIC_FOLDER, str(Path(files[0]).parent))
        self._run(self.player.add_files(files))

    def dragEnterEvent(self, event) -> None:
        if self.player.is_host and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and self.player.is_host:
            self._run(self.player.add_files(paths))
            event.acceptProposedAction()
