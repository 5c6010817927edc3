"""The main window: one stack of pages, navigation, alerts and the way out."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QRegularExpression, QSysInfo, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (QDialogButtonBox, QInputDialog, QLineEdit, QMainWindow,
                               QMessageBox, QWidget)

from ..model.nearby_sessions import NearbySessionsModel
from ..model.session_model import (CANNOT_HOST, CANNOT_JOIN, CONNECTED, HOSTING, IDLE,
                                   ROLE_CLIENT, ROLE_HOST, InvalidInput, SessionModel,
                                   person_name)
from ..protocol.codes import is_pin
from ..settings import (DISPLAY_NAME, HOST_BUFFER_MS, HOST_CODEC, LAST_MAX_MEMBERS,
                        LAST_PARTY_NAME, OUTPUT_DELAY_MS, WINDOW_GEOMETRY, Settings)
from ..ui.generated.ui_main_window import Ui_MainWindow
from .about_dialog import AboutDialog
from .dialogs import Alerts
from .notice import MemberNotices, Notice
from .pages import HomePage, HostPage, JoinPage
from .room_page import RoomPage

log = logging.getLogger(__name__)

APP_TITLE = "LoudSync"
END_TITLE = "End the party?"
END_TEXT = "Everyone in the party is disconnected and the music stops."
QUIT_TITLE = "End the party and quit?"
QUIT_TEXT = "Closing LoudSync ends the party for everyone in it."
ENDED_TITLE = "The party is over"
SKIPPED_NOTICE_MS = 8000   # a file's name and what is wrong with it take longer to read


class MainWindow(QMainWindow):
    closed = Signal()   # emitted once the window is really gone (after shutdown)

    def __init__(self, model: SessionModel, nearby: NearbySessionsModel, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.setWindowIcon(QIcon(":/loudsync/icon.svg"))
        self.model = model
        self.nearby = nearby
        self.settings = settings
        self.alerts = Alerts(self)
        self.notice = Notice(self.ui.centralwidget)
        MemberNotices(model, self.notice)
        self._tasks: set[asyncio.Task] = set()
        self._shutting_down = False
        self._may_close = False

        self.home = HomePage()
        self.host_page = HostPage(model, self.run)
        self.join_page = JoinPage(model, nearby, self.run)
        self.room = RoomPage(model, self.run, settings)
        for page in (self.home, self.host_page, self.join_page, self.room):
            self.ui.pages.addWidget(page)

        self.home.ui.nameEdit.setText(settings.get(DISPLAY_NAME) or default_display_name())
        self.home.hostRequested.connect(self.show_host_page)
        self.home.joinRequested.connect(self.show_join_page)
        self.host_page.backRequested.connect(self.show_home)
        self.join_page.backRequested.connect(self.show_home)
        self.room.leaveRequested.connect(self.leave_or_end)
        model.statusChanged.connect(self._on_status)
        model.errorOccurred.connect(self._on_error)
        model.sessionEnded.connect(self._on_session_ended)
        model.pinNeeded.connect(self._ask_pin)
        model.joinRequested.connect(self._ask_host_about)
        model.joinRequestEnded.connect(self._forget_request)
        model.trackSkipped.connect(self._show_skipped)
        model.player.errorOccurred.connect(self.alerts.warn)
        model.sessionChanged.connect(self._show_title)
        self._show_title()
        self._requests: dict[object, QMessageBox] = {}
        self.pin_dialog: QInputDialog | None = None
        model.player.set_output_delay(settings.get(OUTPUT_DELAY_MS))
        self.room.delayChanged.connect(lambda ms: settings.set(OUTPUT_DELAY_MS, ms))

        self.about_dialog: AboutDialog | None = None
        self._add_help_menu()

        geometry = settings.get(WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)
        self.show_home()
        QTimer.singleShot(0, self, self._offer_resume)

    # -- questions for the person ---------------------------------------------------------------
    def _offer_resume(self) -> None:
        """The app was hosting when it crashed or was killed: offer to carry on."""
        saved = self.model.saved_party()
        if saved is None:
            return
        config = saved.get("config", {}) if isinstance(saved, dict) else {}
        name = str(config.get("sessionName", "your party"))
        box = self.alerts.confirm(
            "Resume your party?",
            f"LoudSync was hosting '{name}' when it stopped. Resume it? Guests who are "
            "still trying to reconnect get their place back.",
            "Resume Party", lambda: self.run(self.model.resume_party(
                self.settings.get(HOST_CODEC), self.settings.get(HOST_BUFFER_MS))),
            destructive=False)
        # Only a real "Cancel" (click or Esc) forgets the party, not quitting with the box up.
        box.button(QMessageBox.StandardButton.Cancel).clicked.connect(
            self.model.discard_saved_party)

    def _ask_pin(self, message: str) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("PIN needed")
        dialog.setLabelText(f"{message}. Ask the host for the 4-digit PIN:")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        dialog.setAccessibleName("PIN needed")

        def answered(pin: str) -> None:
            pin = pin.strip()
            if is_pin(pin):
                self.run(self.model.join_with_pin(pin))
            else:
                self.alerts.warn(CANNOT_JOIN, "A PIN is 4 digits, like 1234.")
        dialog.textValueSelected.connect(answered)
        dialog.finished.connect(lambda _: setattr(self, "pin_dialog", None))
        self.pin_dialog = dialog
        dialog.open()
        # A PIN that cannot be right is stopped in the field, not turned into an alert after
        # the dialog has gone: digits only, and OK waits until there are 4 of them.
        # (The dialog makes its field and buttons when it opens.)
        field = dialog.findChild(QLineEdit)
        # The validator only keeps other characters out; the rule itself is the core's is_pin.
        field.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,4}"), field))
        field.setAccessibleName("PIN")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        field.textChanged.connect(lambda text: ok.setEnabled(is_pin(text)))
        ok.setEnabled(is_pin(field.text()))

    def _ask_host_about(self, request) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Let them in?",
                          f"{request.device_name} wants to join the party.",
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("joinRequest")
        box.setWindowModality(Qt.WindowModality.NonModal)   # other requests may come too
        let_in = box.addButton("Let in", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Decline", QMessageBox.ButtonRole.RejectRole)

        def answered(_result: int) -> None:
            if self._requests.pop(request.conn, None) is None:
                return   # already over (withdrawn or timed out)
            if box.clickedButton() is let_in:
                self.model.approve(request)
            else:
                self.model.decline(request)
        box.finished.connect(answered)
        self._requests[request.conn] = box
        box.open()

    def _forget_request(self, ended) -> None:
        box = self._requests.pop(ended.conn, None)
        if box is not None:
            box.close()

    def _show_skipped(self, title: str, message: str) -> None:
        """The party went on with the next track: say which one it passed over, and why."""
        self.notice.say(f"Skipped “{title}”. {message.rstrip('.')}.", SKIPPED_NOTICE_MS)

    def _show_title(self) -> None:
        """The party's name first: it tells one LoudSync window from another in the taskbar."""
        name = self.model.sessionName
        self.setWindowTitle(f"{name} — {APP_TITLE}" if name else APP_TITLE)

    # -- help --------------------------------------------------------------------------------
    def _add_help_menu(self) -> None:
        about = self.menuBar().addMenu("&Help").addAction("&About LoudSync…")
        about.setObjectName("aboutAction")
        f1 = QKeySequence(Qt.Key.Key_F1)   # also where the platform's Help key is another one
        help_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents)
        about.setShortcuts([f1, *(k for k in help_keys if k != f1)])   # twice would be ambiguous
        about.triggered.connect(self.show_about)
        self.addAction(about)   # F1 works on every page, also with the menu bar hidden

    def show_about(self) -> None:
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self.model, self)
            self.about_dialog.finished.connect(lambda _: setattr(self, "about_dialog", None))
            self.about_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog.refresh()
        self.about_dialog.open()
        self.about_dialog.raise_()

    # -- navigation ------------------------------------------------------------------------
    def current_page(self) -> QWidget:
        return self.ui.pages.currentWidget()

    def show_home(self) -> None:
        self.run(self.nearby.stop())
        self.ui.pages.setCurrentWidget(self.home)
        self.home.ui.hostButton.setFocus()

    def show_host_page(self) -> None:
        name = self._checked_display_name()
        if name is None:
            return
        self.host_page.prepare(self.settings.get(LAST_PARTY_NAME), name, self.settings.max_members,
                               self.settings.get(HOST_CODEC), self.settings.get(HOST_BUFFER_MS))
        self.ui.pages.setCurrentWidget(self.host_page)

    def show_join_page(self) -> None:
        name = self._checked_display_name()
        if name is None:
            return
        self.model.set_display_name(name)
        self.ui.pages.setCurrentWidget(self.join_page)
        self.join_page.prepare()
        self.run(self.nearby.start())

    def _checked_display_name(self) -> str | None:
        try:
            name = person_name(self.home.display_name or default_display_name(), "your name")
        except InvalidInput as exc:
            self.home.show_error(str(exc))   # next to the field, not in an alert
            return None
        self.home.show_error("")
        self.settings.set(DISPLAY_NAME, name)
        return name

    def _on_status(self, status: str) -> None:
        if status != HOSTING:   # the party is over: nobody is left to let in
            requests, self._requests = self._requests, {}
            for box in requests.values():
                box.close()
        if status in (HOSTING, CONNECTED):
            if status == HOSTING:
                self.settings.set(LAST_PARTY_NAME, self.model.sessionName)
                self.settings.set(LAST_MAX_MEMBERS, self.model.max_members)
                self.settings.set(HOST_CODEC, self.model.codec)
                self.settings.set(HOST_BUFFER_MS, self.model.buffer_ms)
            self.run(self.nearby.stop())
            self.ui.pages.setCurrentWidget(self.room)
            self.room.ui.memberList.setFocus()   # not End Party: Space would press it
        elif status == IDLE and self.current_page() is self.room:
            self.show_home()

    def _on_error(self, title: str, message: str) -> None:
        if title == CANNOT_HOST and self.current_page() is self.host_page:
            self.host_page.show_error(message)   # shown in place, next to the form
            return
        self.alerts.warn(title, message)

    def _on_session_ended(self, message: str) -> None:
        def back_home() -> None:
            self.model.acknowledge_end()
            self.show_home()
        self.alerts.inform(ENDED_TITLE, message, then=back_home)

    # -- leaving -------------------------------------------------------------------------------
    def leave_or_end(self) -> None:
        if self.model.role == ROLE_HOST:
            self.alerts.confirm(END_TITLE, END_TEXT, "End Party",
                                lambda: self.run(self.model.end_session()))
        elif self.model.role == ROLE_CLIENT:
            self.run(self.model.leave())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            self.settings.set(WINDOW_GEOMETRY, self.saveGeometry())
            self.settings.store.sync()
            event.accept()
            self.closed.emit()
            return
        event.ignore()
        if self._shutting_down:
            return
        if self.model.role == ROLE_HOST and self.model.status == HOSTING:
            self.alerts.confirm(QUIT_TITLE, QUIT_TEXT, "End Party && Quit", self.quit_now)
        else:
            self.quit_now()

    def quit_now(self) -> None:
        """End or leave the party, stop scanning, then close (also used on SIGTERM)."""
        if self._shutting_down:
            return
        self._shutting_down = True
        if self.alerts.active is not None:
            self.alerts.active.close()
        self.run(self._shutdown_then_close())

    async def _shutdown_then_close(self) -> None:
        try:
            await self.nearby.stop()
            await self.model.shutdown()
        finally:
            self._may_close = True
            self.close()

    async def wait_idle(self) -> None:
        """Wait for the coroutines this window started (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def run(self, coro) -> asyncio.Task:
        """Run a model coroutine on the app's loop, keeping a strong reference."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())
            self.alerts.warn("Something went wrong", f"{task.exception()}")


def default_display_name() -> str:
    return (QSysInfo.machineHostName() or "Guest")[:64]

