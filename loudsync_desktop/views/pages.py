"""Home, Host Party and Join Party: Designer forms plus the wiring to the models
(the Player Room is in room_page.py).

Pages hold no session logic: they read the models, format for people, and
hand typed input to the SessionModel's coroutines through ``run``.
"""

from __future__ import annotations

from typing import Callable

import random
import sys

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from ..model.nearby_sessions import NearbySessionsModel
from ..model.session_model import InvalidInput, SessionModel, person_name
from ..protocol.codes import format_partial_code, is_pin
from ..protocol.host import MAX_MEMBERS, MIN_MEMBERS
from ..ui.generated.ui_home_page import Ui_HomePage
from ..ui.generated.ui_host_page import Ui_HostPage
from ..ui.generated.ui_join_page import Ui_JoinPage
from .delegates import SessionDelegate

Runner = Callable[[object], object]   # schedules a coroutine on the app's loop

ACCESS_MODES = ("open", "pin", "approval")   # the order of the Host page's choices
FIREWALL_NOTE = {
    "win32": "The first time you host, Windows asks whether LoudSync may use the network. "
             "Choose Allow, with Private networks ticked (and Public networks too if this "
             "Wi-Fi is marked public), or the others cannot find or join your party.",
    "darwin": "macOS asks once whether LoudSync may find devices on your local network: "
              "choose Allow.",
}


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
        self.ui.maxDevicesSpin.setRange(MIN_MEMBERS, MAX_MEMBERS)   # the core's rule, not the form's
        self.model = model
        self._run = run
        self.ui.errorLabel.hide()
        self.ui.busyBar.hide()
        self.ui.accessCombo.currentIndexChanged.connect(self._show_pin)
        self.ui.pinEdit.returnPressed.connect(self.create)
        self.ui.firewallLabel.setText(FIREWALL_NOTE.get(sys.platform, ""))
        self.ui.firewallLabel.setVisible(sys.platform in FIREWALL_NOTE)
        self._show_pin()
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

    @property
    def access(self) -> str:
        return ACCESS_MODES[self.ui.accessCombo.currentIndex()]

    def _show_pin(self, *args) -> None:
        wants_pin = self.access == "pin"
        self.ui.pinLabel.setVisible(wants_pin)
        self.ui.pinEdit.setVisible(wants_pin)
        if wants_pin and not is_pin(self.ui.pinEdit.text()):
            self.ui.pinEdit.setText(f"{random.randrange(10_000):04d}")   # a suggestion

    def create(self) -> None:
        if self.model.busy:
            return
        try:
            party = person_name(self.ui.partyNameEdit.text() or "My Party", "party name")
            host = person_name(self.ui.hostNameEdit.text() or "Party Host", "your name")
        except InvalidInput as exc:
            self.show_error(str(exc))
            return
        pin = self.ui.pinEdit.text() if self.access == "pin" else None
        if pin is not None and not is_pin(pin):
            self.show_error("A PIN is 4 digits, like 1234.")
            return
        self.show_error("")
        self._run(self.model.host_party(party, host, self.ui.maxDevicesSpin.value(),
                                        self.access, pin))

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
            return   # full parties are disabled rows: they never get here
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
