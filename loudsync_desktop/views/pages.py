"""Home, Host Party and Join Party: Designer forms plus the wiring to the models
(the Player Room is in room_page.py).

Pages hold no session logic: they read the models, format for people, and
hand typed input to the SessionModel's coroutines through ``run``.
"""

from __future__ import annotations

from collections.abc import Callable

import random
import sys

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QIcon, QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QStyledItemDelegate, QWidget

from ..model.nearby_sessions import NearbySessionsModel, full_party_text
from ..model.session_model import DEFAULT_BUFFER_MS, InvalidInput, SessionModel, person_name
from ..net.addresses import InvalidAddress, parse_address
from ..protocol.codes import format_partial_code, is_pin, normalize_code
from ..protocol.errors import InvalidSessionCode
from ..protocol.host import MAX_MEMBERS, MIN_MEMBERS
from ..protocol.stream import DEFAULT_CODEC
from ..ui.generated.ui_home_page import Ui_HomePage
from ..ui.generated.ui_host_page import Ui_HostPage
from ..ui.generated.ui_join_page import Ui_JoinPage
from .nearby_delegate import NearbyDelegate

Runner = Callable[[object], object]   # schedules a coroutine on the app's loop

ACCESS_MODES = ("open", "pin", "approval")   # the order of the Host page's choices
SOUND_CODECS = ("opus", "flac", "pcm")        # the order of its Sound choices
BUFFER_CHOICES_MS = (500, 1000, 2000, 3000)   # and of its Buffer choices
SPIN_TEXT_INSET = 7   # px: with the caret's own room, text starts where a QLineEdit's does
FIREWALL_NOTE = {
    "win32": "The first time you host, Windows asks whether LoudSync may use the network. "
             "Choose Allow, with Private networks ticked (and Public networks too if this "
             "Wi-Fi is marked public), or the others cannot find or join your party.",
    "darwin": "macOS asks once whether LoudSync may find devices on your local network: "
              "choose Allow.",
}


def show_inline_error(label: QLabel, field: QWidget | None, text: str) -> None:
    """A problem with what was typed: in red under the field, and told to screen readers."""
    label.setText(text)
    label.setVisible(bool(text))
    if field is not None:
        field.setProperty("invalid", bool(text))
        field.style().unpolish(field)   # let the style sheet see the new state
        field.style().polish(field)
        field.setAccessibleDescription(text)
    if text:
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(label, text))


class EnterPressesButtons(QWidget):
    """Enter presses the focused button, as Space does.

    Outside a dialog a QPushButton ignores Enter and passes it up to its page, which
    did nothing with it: people expect Enter to press what has the focus ring.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        focused = self.focusWidget()
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and isinstance(focused, QAbstractButton) and focused.isEnabled()):
            focused.animateClick()
            return
        super().keyPressEvent(event)


class HomePage(EnterPressesButtons):
    hostRequested = Signal()
    joinRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_HomePage()
        self.ui.setupUi(self)
        self.ui.logoLabel.setPixmap(QIcon(":/loudsync/icon.svg").pixmap(96, 96))
        self.ui.hostButton.clicked.connect(self.hostRequested)
        self.ui.joinButton.clicked.connect(self.joinRequested)
        self.ui.nameEdit.returnPressed.connect(self.ui.hostButton.animateClick)   # the main action
        self.ui.nameEdit.textEdited.connect(lambda _: self.show_error(""))
        self.show_error("")

    @property
    def display_name(self) -> str:
        return self.ui.nameEdit.text().strip()

    def show_error(self, text: str) -> None:
        show_inline_error(self.ui.nameError, self.ui.nameEdit, text)
        if text:
            self.ui.nameEdit.setFocus()


class HostPage(EnterPressesButtons):
    backRequested = Signal()

    def __init__(self, model: SessionModel, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_HostPage()
        self.ui.setupUi(self)
        # The core's rule, not the form's.
        self.ui.maxDevicesSpin.setRange(MIN_MEMBERS, MAX_MEMBERS)
        self.model = model
        self._run = run
        self.ui.errorLabel.hide()
        self.ui.busyBar.hide()
        # The style sheet's padding does not reach a spin box's own text field: the
        # number touched the border. Give it the same left inset as the line edits.
        self.ui.maxDevicesSpin.lineEdit().setTextMargins(SPIN_TEXT_INSET, 0, 0, 0)
        # Fusion's popup delegate paints the chosen item with the QComboBox rule of the
        # style sheet (a white box that hid its text); a styled delegate takes ::item rules.
        for combo in (self.ui.accessCombo, self.ui.soundCombo, self.ui.bufferCombo):
            combo.setItemDelegate(QStyledItemDelegate(combo))
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

    def prepare(self, party_name: str, host_name: str, max_members: int,
                codec: str = DEFAULT_CODEC, buffer_ms: int = DEFAULT_BUFFER_MS) -> None:
        """The form as the last party had it (a codec or buffer it does not offer: the default)."""
        self.ui.partyNameEdit.setText(party_name)
        self.ui.hostNameEdit.setText(host_name)
        self.ui.maxDevicesSpin.setValue(max_members)
        self.ui.soundCombo.setCurrentIndex(SOUND_CODECS.index(
            codec if codec in SOUND_CODECS else DEFAULT_CODEC))
        self.ui.bufferCombo.setCurrentIndex(BUFFER_CHOICES_MS.index(
            buffer_ms if buffer_ms in BUFFER_CHOICES_MS else DEFAULT_BUFFER_MS))
        self.show_error("")
        self._show_busy(self.model.busy)   # busy may have ended while another page showed
        self.ui.partyNameEdit.setFocus()
        self.ui.partyNameEdit.selectAll()

    def show_error(self, text: str) -> None:
        show_inline_error(self.ui.errorLabel, None, text)

    @property
    def access(self) -> str:
        return ACCESS_MODES[self.ui.accessCombo.currentIndex()]

    @property
    def codec(self) -> str:
        return SOUND_CODECS[self.ui.soundCombo.currentIndex()]

    @property
    def buffer_ms(self) -> int:
        return BUFFER_CHOICES_MS[self.ui.bufferCombo.currentIndex()]

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
                                        self.access, pin, codec=self.codec,
                                        buffer_ms=self.buffer_ms))

    def _show_busy(self, busy: bool) -> None:
        # Always applied, shown or not: the party starts (busy) here but ends on another page.
        self.ui.busyBar.setVisible(busy)
        self.ui.createButton.setEnabled(not busy)


class JoinPage(EnterPressesButtons):
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
        self.ui.sessionList.setItemDelegate(NearbyDelegate(self.ui.sessionList))
        self.ui.sessionList.setMouseTracking(True)
        self.ui.sessionList.activated.connect(self._join_row)
        self.ui.sessionList.viewport().installEventFilter(self)   # clicks on full parties
        self.ui.sessionList.selectionModel().currentChanged.connect(self._show_list_actions)
        self.ui.listJoinButton.clicked.connect(self._join_current)
        self.ui.codeEdit.textEdited.connect(lambda _: self._show_code_error(""))
        self.ui.addressEdit.textEdited.connect(lambda _: self._show_address_error(""))
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
        self._show_code_error("")
        self._show_address_error("")
        self._show_full("")
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
        self._show_full("")
        self._run(self.model.join_discovered(session))

    def _join_current(self) -> None:
        index = self.ui.sessionList.currentIndex()
        if index.isValid():
            self._join_row(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A full party is a disabled row, which Qt does not report: explain it here."""
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            index = self.ui.sessionList.indexAt(event.position().toPoint())
            if index.isValid() and index.data(NearbySessionsModel.FullRole):
                self._show_full(full_party_text(self.nearby.session_at(index.row())))
        return super().eventFilter(watched, event)

    def _show_full(self, text: str) -> None:
        show_inline_error(self.ui.listError, None, text)

    def join_by_code(self) -> None:
        if self.model.busy:
            return
        try:
            normalize_code(self.ui.codeEdit.text())   # the model's own rule, checked here to
        except InvalidSessionCode as exc:           # say what is wrong next to the field
            self._show_code_error(str(exc))
            return
        self._show_code_error("")
        self._run(self.model.join_code(self.ui.codeEdit.text(), self.nearby.discovery))

    def join_by_address(self) -> None:
        if self.model.busy:
            return
        try:
            parse_address(self.ui.addressEdit.text())
        except InvalidAddress as exc:
            self._show_address_error(str(exc))
            return
        self._show_address_error("")
        self._run(self.model.join_address(self.ui.addressEdit.text()))

    def _show_code_error(self, text: str) -> None:
        show_inline_error(self.ui.codeError, self.ui.codeEdit, text)

    def _show_address_error(self, text: str) -> None:
        show_inline_error(self.ui.addressError, self.ui.addressEdit, text)

    def _show_list_or_empty(self, *args) -> None:
        has_rows = self.nearby.rowCount() > 0
        self.ui.nearbyStack.setCurrentWidget(self.ui.listPage if has_rows else self.ui.emptyPage)
        if has_rows and not self.ui.sessionList.currentIndex().isValid():
            first_open = next((i for i in range(self.nearby.rowCount())
                               if not self.nearby.index(i).data(NearbySessionsModel.FullRole)),
                              None)
            if first_open is not None:
                self.ui.sessionList.setCurrentIndex(self.nearby.index(first_open))
        if not has_rows:
            self._show_full("")
        self._show_list_actions()

    def _show_list_actions(self, *args) -> None:
        self.ui.listActions.setVisible(self.nearby.rowCount() > 0)
        self.ui.listJoinButton.setEnabled(self.ui.sessionList.currentIndex().isValid()
                                          and not self.model.busy)

    def _show_scanning(self, scanning: bool) -> None:
        self.ui.scanBar.setVisible(scanning)
        self.ui.scanLabel.setText("Looking for parties on this network…" if scanning
                                  else "Not scanning.")

    def _show_busy(self, busy: bool) -> None:
        self.ui.busyRow.setVisible(busy)
        for widget in (self.ui.codeJoinButton, self.ui.addressJoinButton, self.ui.sessionList):
            widget.setEnabled(not busy)
        self._show_list_actions()
