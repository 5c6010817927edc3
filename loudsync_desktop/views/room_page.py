"""The Player Room: who is in the party on the left, the party's music on the right.

Only the host commands the music (queue, transport, volume); everybody sets
their own speaker delay and sees how well their speaker is in step.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from ..audio.library import SUPPORTED_SUFFIXES
from ..model.member_list import MemberListModel
from ..model.player_model import format_time
from ..model.session_model import HOSTING, ROLE_HOST, SessionModel
from ..protocol.messages import ROLE_CLIENT
from ..ui.generated.ui_room_page import Ui_RoomPage
from .delegates import MemberDelegate

Runner = Callable[[object], object]
AUDIO_FILTER = "Music ({})".format(" ".join(f"*{s}" for s in SUPPORTED_SUFFIXES))


class RoomPage(QWidget):
    leaveRequested = Signal()
    delayChanged = Signal(int)   # the person moved the speaker-delay slider (ms)

    def __init__(self, model: SessionModel, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_RoomPage()
        self.ui.setupUi(self)
        self.model = model
        self.player = model.player
        self._run = run
        self._seeking = False
        self.file_dialog: QFileDialog | None = None
        self._play_icon = QIcon(":/loudsync/play.svg")
        self._pause_icon = QIcon(":/loudsync/pause.svg")
        self.ui.previousButton.setIcon(QIcon(":/loudsync/previous.svg"))
        self.ui.nextButton.setIcon(QIcon(":/loudsync/next.svg"))
        for button, size in ((self.ui.previousButton, 20), (self.ui.nextButton, 20),
                             (self.ui.playPauseButton, 26)):
            button.setIconSize(QSize(size, size))

        self.ui.memberList.setModel(model.members)
        self.ui.memberList.setItemDelegate(MemberDelegate(self.ui.memberList))
        self.ui.memberList.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.ui.memberList.customContextMenuRequested.connect(self._member_menu)
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
        self.ui.queueList.setModel(self.player.queue)
        self.ui.queueList.activated.connect(lambda index: self.player.jump(index.row()))
        self.ui.playPauseButton.clicked.connect(self.player.toggle)
        self.ui.previousButton.clicked.connect(self.player.previous)
        self.ui.nextButton.clicked.connect(self.player.next)
        self.ui.addMusicButton.clicked.connect(self.choose_files)
        self.ui.positionSlider.sliderPressed.connect(lambda: setattr(self, "_seeking", True))
        self.ui.positionSlider.sliderReleased.connect(self._seek_to_slider)
        self.ui.positionSlider.actionTriggered.connect(self._seek_by_step)
        self.ui.volumeSlider.valueChanged.connect(lambda v: self.player.set_volume(v / 100))
        self.ui.delaySlider.valueChanged.connect(self._delay_moved)
        self.player.stateChanged.connect(self.refresh_player)
        self.player.positionChanged.connect(self._show_position)
        self.player.outputDelayChanged.connect(self._show_delay)
        for keys, action in ((Qt.Key.Key_Delete, self._delete_selected),
                             (QKeySequence("Ctrl+Right"), self.player.next),
                             (QKeySequence("Ctrl+Left"), self.player.previous)):
            QShortcut(keys, self, action, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setAcceptDrops(True)
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(1000)
        self._sync_timer.timeout.connect(self._show_sync)
        self._sync_timer.start()
        self.refresh()
        self.refresh_player()

    # -- the party ------------------------------------------------------------------------------
    def refresh(self, *args) -> None:
        m = self.model
        hosting = m.role == ROLE_HOST
        self.ui.partyNameLabel.setText(m.sessionName)
        self.ui.roleLabel.setText("You are hosting" if hosting else
                                  f"Hosted by {m.host_name}" if m.host_name else "")
        self.ui.codeLabel.setText(m.code)
        self.ui.addressesLabel.setText(
            "Guests can also join at " + ", ".join(m.addresses) if hosting and m.addresses else "")
        self.ui.addressesLabel.setVisible(hosting and bool(m.addresses))
        self.ui.pinLabel.setText(f"PIN {m.pin}" if hosting and m.pin else
                                 "You let each guest in" if hosting and m.access == "approval"
                                 else "")
        self.ui.pinLabel.setVisible(hosting and m.access in ("pin", "approval"))
        self.ui.lidWarning.setVisible(m.status == HOSTING)
        self.ui.leaveButton.setText("&End Session" if hosting else "&Leave")
        self.ui.leaveButton.setAccessibleName("End Session" if hosting else "Leave the party")
        self._show_count(m.memberCount)
        self.refresh_player()

    def _show_reconnecting(self, *args) -> None:
        """The link to the host dropped: say so while the model tries to get back in."""
        self.ui.statusLabel.setText(self.model.reconnectText)
        self.ui.statusRow.setVisible(self.model.reconnecting)

    def _show_count(self, count: int) -> None:
        self.ui.countLabel.setText(f"{count} Connected")

    def copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self.model.code)
        self.ui.copyButton.setText("Copied!")
        QTimer.singleShot(1500, self.ui.copyButton, lambda: self.ui.copyButton.setText("&Copy"))

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
        """Delete removes the selected track (queue) or guest (members), host only."""
        if self.model.role != ROLE_HOST:
            return
        if self.ui.queueList.hasFocus() and self.ui.queueList.currentIndex().isValid():
            self.player.remove(self.ui.queueList.currentIndex().row())
            return
        index: QModelIndex = self.ui.memberList.currentIndex()
        if self.ui.memberList.hasFocus() and index.isValid() and \
                index.data(MemberListModel.RoleRole) == ROLE_CLIENT:
            self.model.remove_member(index.data(MemberListModel.IdRole))

    # -- the music -------------------------------------------------------------------------------
    def refresh_player(self, *args) -> None:
        p = self.player
        host = p.is_host
        self.ui.trackTitleLabel.setText(p.title or ("Nothing playing yet" if p.active else ""))
        self.ui.trackArtistLabel.setText(p.artist)
        self.ui.trackArtistLabel.setVisible(bool(p.artist))
        self.ui.positionSlider.setMaximum(max(0, p.durationMs))
        self.ui.durationLabel.setText(format_time(p.durationMs))
        self.ui.playPauseButton.setIcon(self._pause_icon if p.playing else self._play_icon)
        self.ui.playPauseButton.setAccessibleName("Pause" if p.playing else "Play")
        has_track = p.state.current is not None
        for widget in (self.ui.playPauseButton, self.ui.positionSlider):
            widget.setEnabled(host and has_track)
        self.ui.previousButton.setEnabled(host and has_track)
        self.ui.nextButton.setEnabled(host and p.state.index + 1 < len(p.state.queue))
        for widget in (self.ui.volumeSlider, self.ui.volumeLabel, self.ui.addMusicButton,
                       self.ui.previousButton, self.ui.playPauseButton, self.ui.nextButton):
            widget.setVisible(host)   # guests follow the host: no controls to tease them
        if host and not self.ui.volumeSlider.isSliderDown():
            self.ui.volumeSlider.blockSignals(True)
            self.ui.volumeSlider.setValue(round(p.volume * 100))
            self.ui.volumeSlider.blockSignals(False)
        hint = ""
        if host and not p.state.queue:
            hint = "Add music with the button above or drop files here. Everyone hears it in step."
        elif not host and p.active:
            hint = "The host chooses the music."
        self.ui.queueHintLabel.setText(hint)
        self.ui.queueHintLabel.setVisible(bool(hint))
        self.ui.audioNoteLabel.setText(p.audio_note)
        self.ui.audioNoteLabel.setVisible(bool(p.audio_note))
        self._show_position(p.positionMs)
        self._show_sync()

    def _show_position(self, position_ms: int) -> None:
        self.ui.elapsedLabel.setText(format_time(position_ms))
        if not self._seeking:
            self.ui.positionSlider.blockSignals(True)
            self.ui.positionSlider.setValue(position_ms)
            self.ui.positionSlider.blockSignals(False)

    def _seek_to_slider(self) -> None:
        self._seeking = False
        self.player.seek(self.ui.positionSlider.value())

    def _seek_by_step(self, _action: int) -> None:
        """Keys, the wheel and clicks on the bar seek at once (a dragged handle, on release)."""
        if not self.ui.positionSlider.isSliderDown():
            self.player.seek(self.ui.positionSlider.sliderPosition())

    def _show_sync(self) -> None:
        self.ui.syncLabel.setText(self.player.sync_text)

    def _delay_moved(self, value: int) -> None:
        self.ui.delayValueLabel.setText(f"{value} ms")
        self.player.set_output_delay(value)
        self.delayChanged.emit(value)

    def _show_delay(self, delay_ms: float) -> None:
        if self.ui.delaySlider.value() != round(delay_ms):
            self.ui.delaySlider.setValue(round(delay_ms))

    def choose_files(self) -> None:
        """A file dialog that does not block the loop (open(), not exec())."""
        dialog = QFileDialog(self, "Add music", "", AUDIO_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda files: self._run(self.player.add_files(list(files))))
        dialog.finished.connect(lambda _: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and self.player.is_host:
            self.player.toggle()   # Space plays and pauses, as in every player
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event) -> None:
        if self.player.is_host and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and self.player.is_host:
            self._run(self.player.add_files(paths))
            event.acceptProposedAction()
