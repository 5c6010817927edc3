"""Help > About LoudSync: F1 opens it on any page, and Copy diagnostics fills the clipboard."""

from __future__ import annotations

import logging
import platform

import PySide6
import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QAbstractButton

from loudsync_desktop import __version__, diagnostics
from loudsync_desktop.views.about_dialog import COPIED
from tests.gui.helpers import click, host_party
from tests.gui.helpers import DEADLINE_MS


@pytest.fixture
def app_log(tmp_path, monkeypatch):
    """The app's logging into a temporary data folder; the test process's logging restored."""
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(tmp_path / "data"))
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    path = diagnostics.setup_logging()
    yield path
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_f1_opens_about_and_copy_diagnostics_puts_a_report_on_the_clipboard(
        qtbot, make_window, app_log):
    window = make_window("Ana")
    host_party(qtbot, window, "Diagnostics Night")
    model = window.model
    logging.getLogger("loudsync_desktop.test").info("marker: the guest heard nothing")
    QGuiApplication.clipboard().clear()

    window.activateWindow()
    qtbot.keyClick(window.room.ui.memberList, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.about_dialog is not None and window.about_dialog.isVisible(),
                    timeout=DEADLINE_MS)
    about = window.about_dialog
    ui = about.ui
    assert ui.versionValue.text() == f"LoudSync {__version__}"
    assert ui.qtValue.text() == f"PySide6 {PySide6.__version__}, Qt {qVersion()}"
    assert platform.python_version() in ui.pythonValue.text()
    assert ui.audioValue.text()   # the sound system, or why there is none
    assert model.addresses and ui.addressesValue.text() == ", ".join(model.addresses)
    assert model.code in ui.partyValue.text() and "Diagnostics Night" in ui.partyValue.text()
    assert ui.logFileValue.text() == str(app_log)

    click(qtbot, ui.copyButton)
    text = QGuiApplication.clipboard().text()
    assert ui.copiedLabel.text() == COPIED
    assert text.startswith(f"LoudSync {__version__} diagnostics\n")
    for fact in (f"Platform: {diagnostics.platform_text()}",
                 f"Python: CPython {platform.python_version()}",
                 f"Qt: PySide6 {PySide6.__version__}, Qt {qVersion()}",
                 f"Audio: {ui.audioValue.text()}",
                 f"Party addresses: {', '.join(model.addresses)}",
                 f"code {model.code}",
                 "marker: the guest heard nothing"):
        assert fact in text, f"{fact!r} not in\n{text}"

    qtbot.keyClick(about, Qt.Key.Key_Escape)   # closes like any dialog, with the keyboard
    qtbot.waitUntil(lambda: window.about_dialog is None, timeout=DEADLINE_MS)


def test_the_help_menu_has_about_with_f1(qtbot, make_window):
    window = make_window("Ana")
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert "&Help" in menus
    about = window.findChild(QAction, "aboutAction")
    assert about in menus["&Help"].actions()
    assert "F1" in [k.toString() for k in about.shortcuts()]
    about.trigger()   # what a click on the menu item does
    qtbot.waitUntil(lambda: window.about_dialog is not None and window.about_dialog.isVisible(),
                    timeout=DEADLINE_MS)
    dialog = window.about_dialog
    assert dialog.ui.partyValue.text() == "not in one"
    for button in dialog.findChildren(QAbstractButton):
        assert button.accessibleName(), button.objectName()
    click(qtbot, dialog.ui.closeButton)
    qtbot.waitUntil(lambda: window.about_dialog is None, timeout=DEADLINE_MS)
