"""The four screens, each a Designer form plus the wiring to the models.

Pages hold no session logic: they read the models, format for people, and
hand typed input to the SessionModel's coroutines through ``run``.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QWidget

from ..model.nearby_sessions import NearbySessionsModel
from ..model.session_model import HOSTING, ROLE_HOST, InvalidInput, SessionModel, person_name
from ..protocol.codes import format_partial_code
from ..ui.generated.ui_home_page import Ui_HomePage
from ..ui.generated.ui_host_page import Ui_HostPage
from ..ui.generated.ui_join_page import Ui_JoinPage
from ..ui.generated.ui_room_page import Ui_RoomPage
from .delegates import MemberDelegate, SessionDelegate

Runner = Callable[[object], object]   # schedules a coroutine on the app's loop


class HomePage(QWidget):
    hostRequested = Signal()
    joinRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_HomePage()
        self.ui.setupUi(self)
        self.ui.logoLabel.setPixmap(QIcon(":/loudsync/icon.svg").pixmap(96, 96))
        self.ui.hostButton.clicked.connect(self.hostRequested)
        self.ui.joinButton.clicked.connect(self.joinRequested)

    @property
    def display_name(self) -> str:
        return self.ui.nameEdit.text().strip()


class HostPage(QWidget):
    backRequested = Signal()

    def __init__(self, model: SessionModel, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_HostPage()
        self.ui.setupUi(self)
        self.model = model
        self._run = run
        self.ui.errorLabel.hide()
        self.ui.busyBar.hide()
        self.ui.backButton.clicked.connect(self.backRequested)
        self.ui.createButton.clicked.connect(self.create)
        self.ui.partyNameEdit.returnPressed.connect(self.create)
        self.ui.hostNameEdit.returnPressed.connect(self.create)
        model.busyChanged.connect(self._show_busy)

    def prepare(self, party_name: str, host_name: str, max_members: int) -> None:
        self.ui.partyNameEdit.setText(party_name)
        self.ui.hostNameEdit.setText(host_name)
        self.ui.maxDevicesSpin.setValue(max_members)
        self.show_error("")
        self.ui.partyNameEdit.setFocus()
        self.ui.partyNameEdit.selectAll()

    def show_error(self, text: str) -> None:
        self.ui.errorLabel.setText(text)
        self.ui.errorLabel.setVisible(bool(text))

    def create(self) -> None:
        if self.model.busy:
            return
        try:
            party = person_name(self.ui.partyNameEdit.text() or "My Party", "party name")
            host = person_name(self.ui.hostNameEdit.text() or "Party Host", "your name")
        except InvalidInput as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self._run(self.model.host_party(party, host, self.ui.maxDevicesSpin.value()))

    def _show_busy(self, busy: bool) -> None:
        if self.isVisible():
            self.ui.busyBar.setVisible(busy)
            self.ui.createButton.setEnabled(not busy)


class JoinPage(QWidget):
    backRequested = Signal()

    def __init__(self, model: SessionModel, nearby: NearbySessionsModel, run: Runner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_JoinPage()
        self.ui.setupUi(self)
        self.model = model
        self.nearby = nearby
        self._run = run
        self.ui.sessionList.setModel(nearby)
        self.ui.sessionList.setItemDelegate(SessionDelegate(self.ui.sessionList))
        self.ui.sessionList.setMouseTracking(True)
        self.ui.sessionList.activated.connect(self._join_row)
        self.ui.codeEdit.textEdited.connect(self._format_code)
        self.ui.codeEdit.returnPressed.connect(self.join_by_code)
        self.ui.codeJoinButton.clicked.connect(self.join_by_code)
        self.ui.addressEdit.returnPressed.connect(self.join_by_address)
        self.ui.addressJoinButton.clicked.connect(self.join_by_address)
        self.ui.refreshButton.clicked.connect(nearby.refresh)
        self.ui.cancelButton.clicked.connect(model.cancel_join)
        self.ui.backButton.clicked.connect(self.backRequested)
        for signal in (nearby.rowsInserted, nearby.rowsRemoved, nearby.modelReset):
            signal.connect(self._show_list_or_empty)
        nearby.scanningChanged.connect(self._show_scanning)
        model.busyChanged.connect(self._show_busy)
        model.progressTextChanged.connect(self.ui.busyLabel.setText)
        self._show_list_or_empty()
        self._show_busy(False)

    def prepare(self) -> None:
        self.ui.codeEdit.clear()
        self._show_list_or_empty()
        (self.ui.sessionList if self.nearby.rowCount() else self.ui.codeEdit).setFocus()

    def _format_code(self, text: str) -> None:
        formatted = format_partial_code(text)
        if formatted != text:
            self.ui.codeEdit.setText(formatted)
            self.ui.codeEdit.setCursorPosition(len(formatted))

    def _join_row(self, index) -> None:
        session = self.nearby.session_at(index.row())
        if session is None or self.model.busy:
            return
        if session.is_full:
            a = session.announcement
            self.model.errorOccurred.emit("Cannot Join Session",
                                          f"Session is full ({a.max_members}/{a.max_members})")
            return
        self._run(self.model.join_discovered(session))

    def join_by_code(self) -> None:
        if not self.model.busy:
            self._run(self.model.join_code(self.ui.codeEdit.text(), self.nearby.discovery))

    def join_by_address(self) -> None:
        if not self.model.busy:
            self._run(self.model.join_address(self.ui.addressEdit.text()))

    def _show_list_or_empty(self, *args) -> None:
        has_rows = self.nearby.rowCount() > 0
        self.ui.nearbyStack.setCurrentWidget(self.ui.listPage if has_rows else self.ui.emptyPage)
        if has_rows and not self.ui.sessionList.currentIndex().isValid():
            self.ui.sessionList.setCurrentIndex(self.nearby.index(0))

    def _show_scanning(self, scanning: bool) -> None:
        self.ui.scanBar.setVisible(scanning)
        self.ui.scanLabel.setText("Looking for parties on this network…" if scanning
                                  else "Not scanning.")

    def _show_busy(self, busy: bool) -> None:
        self.ui.busyRow.setVisible(busy)
        for widget in (self.ui.codeJoinButton, self.ui.addressJoinButton, self.ui.sessionList):
            widget.setEnabled(not busy)


class RoomPage(QWidget):
    leaveRequested = Signal()

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_RoomPage()
        self.ui.setupUi(self)
        self.model = model
        self.ui.memberList.setModel(model.members)
        self.ui.memberList.setItemDelegate(MemberDelegate(self.ui.memberList))
        self.ui.copyButton.clicked.connect(self.copy_code)
        self.ui.leaveButton.clicked.connect(self.leaveRequested)
        self.ui.statusLabel.hide()
        model.sessionChanged.connect(self.refresh)
        model.roleChanged.connect(self.refresh)
        model.statusChanged.connect(self.refresh)
        model.memberCountChanged.connect(self._show_count)
        model.reconnectingChanged.connect(self._show_reconnecting)
        model.reconnectTextChanged.connect(self._show_reconnecting)
        self.refresh()

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
        self.ui.lidWarning.setVisible(m.status == HOSTING)
        self.ui.leaveButton.setText("&End Session" if hosting else "&Leave")
        self.ui.leaveButton.setAccessibleName("End Session" if hosting else "Leave the party")
        self._show_count(m.memberCount)

    def _show_reconnecting(self, *args) -> None:
        """The link to the host dropped: say so while the model tries to get back in."""
        self.ui.statusLabel.setText(self.model.reconnectText)
        self.ui.statusLabel.setVisible(self.model.reconnecting)

    def _show_count(self, count: int) -> None:
        self.ui.countLabel.setText(f"{count} Connected")

    def copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self.model.code)
        self.ui.copyButton.setText("Copied!")
        QTimer.singleShot(1500, self.ui.copyButton, lambda: self.ui.copyButton.setText("&Copy"))
