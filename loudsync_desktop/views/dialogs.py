"""Window-modal alerts that never block the event loop.

``QMessageBox.exec()`` would run a nested event loop inside whatever asyncio
task triggered it; ``open()`` with callbacks keeps the one loop running.
``Alerts.active`` is the box on screen, for tests and for closing on exit.

The title is also the box's heading (its ``text()``; the message is the
``informativeText()``): a window manager elides a long title in a narrow box's
title bar ("Canno...ession"), while the heading wraps and is always read in full.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


class Alerts:
    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self.active: QMessageBox | None = None

    def inform(self, title: str, text: str, icon=QMessageBox.Icon.Information,
               then: Callable[[], None] | None = None) -> QMessageBox:
        box = self._box(title, text, icon)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.finished.connect(lambda _: then() if then else None)
        box.open()
        return box

    def warn(self, title: str, text: str, then: Callable[[], None] | None = None) -> QMessageBox:
        return self.inform(title, text, QMessageBox.Icon.Warning, then)

    def confirm(self, title: str, text: str, confirm_text: str,
                on_confirm: Callable[[], None], destructive: bool = True) -> QMessageBox:
        box = self._box(title, text, QMessageBox.Icon.Question)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        confirm = box.addButton(confirm_text, QMessageBox.ButtonRole.DestructiveRole
                                if destructive else QMessageBox.ButtonRole.AcceptRole)
        confirm.setObjectName("confirmButton")
        # Red only for what ends something.
        confirm.setProperty("role", "danger" if destructive else "primary")
        confirm.style().unpolish(confirm)   # let the style sheet see the new name
        confirm.style().polish(confirm)
        confirm.setAccessibleName(confirm_text)
        box.setDefaultButton(cancel)   # Enter must not end a party by accident
        box.setEscapeButton(cancel)

        def done(_result: int) -> None:
            if box.clickedButton() is confirm:
                on_confirm()
        box.finished.connect(done)
        box.open()
        return box

    def _box(self, title: str, text: str, icon) -> QMessageBox:
        if self.active is not None:
            self.active.close()
        box = QMessageBox(icon, title, title, QMessageBox.StandardButton.NoButton, self._parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(text)
        box.setObjectName("alert")
        box.setAccessibleName(title)
        box.finished.connect(lambda _: self._forget(box))
        self.active = box
        return box

    def _forget(self, box: QMessageBox) -> None:
        if self.active is box:
            self.active = None
        box.deleteLater()
