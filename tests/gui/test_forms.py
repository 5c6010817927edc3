"""The Designer forms: generated modules up to date, accessible names, tab order."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication,
                               QComboBox, QLineEdit, QWidget)

from tests.gui.helpers import ROOT

INTERACTIVE = (QAbstractButton, QLineEdit, QAbstractSpinBox, QAbstractItemView, QComboBox)


def test_generated_forms_match_the_ui_files():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_ui.py"), "--check"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def _pages(window) -> dict[str, QWidget]:
    return {"home": window.home, "host": window.host_page, "join": window.join_page,
            "room": window.room}


def _form_widgets(page: QWidget) -> list[QWidget]:
    """The interactive widgets a form declares (not Qt's parts of them, named qt_*)."""
    found = []
    for widget in page.findChildren(QWidget):
        name = widget.objectName()
        if not name or name.startswith("qt_") or not isinstance(widget, INTERACTIVE):
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QLineEdit)):
            continue   # the line edit inside a spin box, a line edit's clear button
        found.append(widget)
    return found


def test_every_interactive_widget_has_an_accessible_name(make_window):
    window = make_window("Alex", show=False)
    missing = []
    checked = 0
    for page_name, page in _pages(window).items():
        assert page.accessibleName(), f"page {page_name} has no accessible name"
        for widget in _form_widgets(page):
            checked += 1
            if not widget.accessibleName().strip():
                missing.append(f"{page_name}: {type(widget).__name__} {widget.objectName()}")
    assert checked >= 21          # 3 on Home, 7 on Host, 8 on Join, 3 in the room
    assert not missing, "no accessible name: " + ", ".join(missing)


def _tab_chain(qtbot, window, first: QWidget, steps: int) -> list[str]:
    first.setFocus()
    chain = [first.objectName()]
    for _ in range(steps):
        focused = QApplication.focusWidget()
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        chain.append(QApplication.focusWidget().objectName())
    return chain


@pytest.mark.parametrize("page, first, expected", [
    ("home", "nameEdit", ["nameEdit", "hostButton", "joinButton"]),
    ("host", "partyNameEdit",
     ["partyNameEdit", "hostNameEdit", "maxDevicesSpin", "accessCombo", "soundCombo",
      "bufferCombo", "createButton", "backButton"]),
    ("join", "codeEdit",
     ["codeEdit", "codeJoinButton", "addressEdit", "addressJoinButton", "refreshButton",
      "backButton"]),
    ("room", "copyButton", ["copyButton", "memberList", "leaveButton"]),
])
def test_tab_reaches_the_main_controls_in_order(qtbot, make_window, page, first, expected):
    """Tab from the first field visits the page's main controls, in reading order.

    Pages are shown directly (no scanning, no session): this is about the focus chain.
    """
    window = make_window("Alex")
    widget = _pages(window)[page]
    window.ui.pages.setCurrentWidget(widget)
    with qtbot.waitActive(window):
        window.activateWindow()
    start = getattr(widget.ui, first)
    chain = _tab_chain(qtbot, window, start, len(expected) - 1)
    assert chain == expected
