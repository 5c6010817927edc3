"""A short notice at the top of the window that goes away by itself ("Gina joined").

It is not a dialog: it takes no focus and lets clicks through to what is under it (so
it never stands in the way of a button), and screen readers hear it through an
accessibility announcement. MemberNotices tells the host who came and went.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QLabel, QWidget

from ..model.session_model import HOSTING, SessionModel
from ..protocol.messages import ROLE_HOST

SHOW_MS = 4000       # long enough to read two short lines
MARGIN = 16
MAX_LINES = 3        # people arriving together are listed together, the newest last


class Notice(QLabel):
    def __init__(self, parent: QWidget, show_ms: int = SHOW_MS) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setProperty("role", "notice")
        self.setAccessibleName("Notice")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self._lines: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._show_ms = show_ms
        self._timer.timeout.connect(self.dismiss)
        parent.installEventFilter(self)   # stay in place when the window is resized
        self.hide()

    def say(self, line: str, show_ms: int | None = None) -> None:
        """Show ``line`` under those still shown, for at least ``show_ms`` (default: the
        notice's own), and never shorter than the lines still showing were promised."""
        self._lines = [*self._lines, line][-MAX_LINES:]
        self.setText("\n".join(self._lines))
        self._place()
        self.show()
        self.raise_()
        self._timer.start(max(show_ms or self._show_ms, self._timer.remainingTime()))
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, line))

    def dismiss(self) -> None:
        self._timer.stop()
        self._lines = []
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        area = self.parentWidget().rect()
        width = min(area.width() - 2 * MARGIN, 420)
        height = (self.heightForWidth(width) if self.hasHeightForWidth()
                  else self.sizeHint().height())
        height = max(height, self.sizeHint().height())
        # At the top: over a page's heading for a moment, never over the buttons that
        # pages keep at the bottom (End Party, Create Party).
        self.setGeometry((area.width() - width) // 2, MARGIN // 2, width, height)


class MemberNotices(QObject):
    """While hosting: "<name> joined the party" / "<name> left the party"."""

    def __init__(self, model: SessionModel, notice: Notice) -> None:
        super().__init__(notice)
        self._model = model
        self._notice = notice
        self._known: dict[str, str] = {}   # device id -> name, as last seen
        members = model.members
        for signal in (members.rowsInserted, members.rowsRemoved, members.modelReset):
            signal.connect(self._compare)
        model.statusChanged.connect(self._on_status)

    def _on_status(self, status: str) -> None:
        self._known = self._now() if status == HOSTING else {}
        if status != HOSTING:
            self._notice.dismiss()

    def _now(self) -> dict[str, str]:
        return {m.id: m.name for m in self._model.members.members() if m.role != ROLE_HOST}

    def _compare(self, *args) -> None:
        if self._model.status != HOSTING:
            return
        now = self._now()
        for device_id, name in now.items():
            if device_id not in self._known:
                self._notice.say(f"{name} joined the party")
        for device_id, name in self._known.items():
            if device_id not in now:
                self._notice.say(f"{name} left the party")
        self._known = now
