"""About LoudSync: what this copy is and runs on, and "Copy diagnostics" for a bug report."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QDialog, QWidget

from ..diagnostics import diagnostics_text, summary
from ..model.session_model import SessionModel
from ..ui.generated.ui_about_dialog import Ui_AboutDialog

COPIED = "Copied to the clipboard."


class AboutDialog(QDialog):
    def __init__(self, model: SessionModel | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_AboutDialog()
        self.ui.setupUi(self)
        self.model = model
        self.ui.iconLabel.setPixmap(QIcon(":/loudsync/icon.svg").pixmap(56, 56))
        self.ui.copyButton.clicked.connect(self.copy_diagnostics)
        self.refresh()

    def _player_note(self) -> str:
        return self.model.player.audio_note if self.model is not None else ""

    def refresh(self) -> None:
        facts = summary(self.model, self._player_note())
        ui = self.ui
        for label, value in ((ui.versionValue, "Version"), (ui.platformValue, "Platform"),
                             (ui.pythonValue, "Python"), (ui.qtValue, "Qt"),
                             (ui.audioValue, "Audio"), (ui.partyValue, "Party"),
                             (ui.addressesValue, "Addresses"), (ui.logFileValue, "Log file")):
            label.setText(facts[value])
            label.setAccessibleName(f"{value}: {facts[value]}")
        ui.copiedLabel.clear()

    def copy_diagnostics(self) -> str:
        text = diagnostics_text(self.model, self._player_note())
        QGuiApplication.clipboard().setText(text)
        self.ui.copiedLabel.setText(COPIED)
        return text
