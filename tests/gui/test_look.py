"""What the style sheet and the palette must give, measured in pixels, light and dark."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (QLineEdit, QSlider, QStyle, QStyleOptionSlider, QVBoxLayout,
                               QWidget)

from loudsync_desktop.views.delegates import ACCENT
from loudsync_desktop.views.theme import dark_palette
from tests.gui.helpers import click, wait_page
from tests.gui.helpers import DEADLINE_MS

FUSION_BLUE = QColor("#308cc6")


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    """Run the test in the app's own (light) palette, then in a dark desktop's."""
    light = qapp.palette()
    if request.param == "dark":
        qapp.setPalette(dark_palette())
        qapp.setStyleSheet(qapp.styleSheet())   # palette() in the style sheet follows
    yield request.param
    qapp.setPalette(light)
    qapp.setStyleSheet(qapp.styleSheet())


def distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def luminance(c: QColor) -> float:
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF()


def seen(widget: QWidget):
    """The widget as the screen shows it: grabbed from its window, over what is behind it."""
    top = widget.window()
    return top.grab(QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())).toImage()


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_chosen_item_of_who_may_join_is_readable(qtbot, make_window, palette):
    window = make_window("Ana")
    click(qtbot, window.home.ui.hostButton)
    wait_page(qtbot, window, "host")
    combo = window.host_page.ui.accessCombo
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=DEADLINE_MS)
    index = combo.model().index(1, 0)
    view.setCurrentIndex(index)
    qtbot.waitUntil(lambda: view.currentIndex() == index, timeout=DEADLINE_MS)
    image = view.viewport().grab().toImage()
    rect = view.visualRect(index)
    background = image.pixelColor(rect.left() + 3, rect.center().y())
    assert distance(background, ACCENT) < 40, background.name()    # the accent, not grey/blue
    text_pixels = sum(1 for x in range(rect.left(), rect.right())
                      for y in range(rect.top(), rect.bottom())
                      if luminance(image.pixelColor(x, y)) > 0.85)
    assert text_pixels > 40, "no light text on the highlighted item"
    combo.hidePopup()


def test_spin_box_text_does_not_touch_its_border(qtbot, make_window, palette):
    window = make_window("Ana")
    click(qtbot, window.home.ui.hostButton)
    spin = window.host_page.ui.maxDevicesSpin
    edit = spin.findChild(QLineEdit)
    edit.setCursorPosition(0)
    caret = edit.cursorRect().center()       # where the first character starts
    assert edit.mapTo(spin, caret).x() >= 6, "the number sits on the border"
    line = window.host_page.ui.partyNameEdit
    line.setCursorPosition(0)
    assert abs(edit.mapTo(spin, caret).x() - line.cursorRect().center().x()) <= 3  # as fields


def _slider(qtbot) -> tuple[QWidget, QSlider]:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 100)
    slider.setValue(50)
    layout.addWidget(slider)
    layout.addWidget(QLineEdit())            # somewhere else for the focus to be
    holder.resize(300, 90)
    shown(qtbot, holder)
    return holder, slider


def test_slider_fill_is_the_accent_not_fusion_blue(qtbot, palette):
    _, slider = _slider(qtbot)
    image = seen(slider)
    y = slider.height() // 2
    fill = image.pixelColor(slider.width() // 5, y)
    assert distance(fill, ACCENT) < 60, fill.name()
    assert distance(fill, FUSION_BLUE) > 100


def test_a_focused_slider_has_a_clear_ring(qtbot, palette):
    holder, slider = _slider(qtbot)
    with qtbot.waitActive(holder):
        holder.activateWindow()

    def handle_centre() -> QPoint:
        option = QStyleOptionSlider()
        slider.initStyleOption(option)
        return slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderHandle,
                                             slider).center()
    holder.findChild(QLineEdit).setFocus()
    qtbot.waitUntil(lambda: not slider.hasFocus(), timeout=DEADLINE_MS)
    before = seen(slider).pixelColor(handle_centre())
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus, timeout=DEADLINE_MS)
    image = seen(slider)
    centre = handle_centre()
    after = image.pixelColor(centre)
    ring = image.pixelColor(centre + QPoint(7, 0))
    assert distance(before, ACCENT) < 60, before.name()        # a plain accent knob...
    assert luminance(after) > 0.9, after.name()                # ...that lights up inside
    assert distance(ring, ACCENT) < 60, ring.name()            # a wide accent ring round it


def test_field_borders_stand_out_in_light_and_dark(qtbot, palette):
    holder = QWidget()
    layout = QVBoxLayout(holder)
    edit = QLineEdit("text")
    layout.addWidget(edit)
    layout.addWidget(QLineEdit())
    holder.resize(300, 90)
    shown(qtbot, holder)
    layout.itemAt(1).widget().setFocus()
    image = seen(edit)
    border = image.pixelColor(edit.width() // 2, 0)
    inside = image.pixelColor(edit.width() // 2, 3)
    assert distance(border, inside) >= 180, (palette, border.name(), inside.name())


def test_a_disabled_primary_button_is_not_brighter_than_an_enabled_one(qtbot, make_window,
                                                                       palette):
    window = make_window("Ana")
    click(qtbot, window.home.ui.hostButton)
    button = window.host_page.ui.createButton
    point = QPoint(8, button.height() // 2)        # the fill, clear of the label
    enabled = seen(button).pixelColor(point)
    button.setEnabled(False)
    disabled = seen(button).pixelColor(point)
    button.setEnabled(True)
    window_colour = QGuiApplication.palette().color(window.backgroundRole())
    if palette == "dark":
        assert luminance(disabled) < luminance(enabled), (disabled.name(), enabled.name())
    # disabled sits between the accent and the window: faded, whatever the palette
    assert distance(disabled, window_colour) < distance(enabled, window_colour)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two opaque colours."""
    def lum(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) \
            + 0.0722 * channel(c.blueF())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_hosted_by_is_readable_on_the_selected_nearby_row(qtbot, palette):
    from PySide6.QtWidgets import QListView

    from loudsync_desktop.model.nearby_sessions import NearbySessionsModel
    from loudsync_desktop.protocol.discovery import (Announcement, DiscoveredSession,
                                                     SessionFound)
    from loudsync_desktop.views.nearby_delegate import NearbyDelegate
    model = NearbySessionsModel()
    for code, name in (("ABC234", "Attic"), ("ABC235", "Hall")):   # no descenders in the names
        model._on_event(SessionFound(DiscoveredSession(
            Announcement(code, name, "h", "Ana", 1, 1, 8), ("127.0.0.1",),
            frozenset({"udp"}), 0)))
    view = QListView()
    view.setModel(model)
    view.setItemDelegate(NearbyDelegate(view))
    view.resize(340, 200)
    shown(qtbot, view)
    view.setCurrentIndex(model.index(0))
    rect = view.visualRect(model.index(0))
    image = seen(view.viewport())
    background = image.pixelColor(rect.left() + 6, rect.center().y())
    assert distance(background, ACCENT) < 40
    subtitle = [image.pixelColor(x, y) for x in range(rect.left() + 10, rect.left() + 110)
                for y in range(rect.center().y() + 4, rect.bottom() - 2)]
    brightest = max(subtitle, key=luminance)
    assert contrast(brightest, background) >= 4.5, (brightest.name(), background.name())


def test_a_disabled_play_button_is_dimmer_on_a_dark_window(qtbot, palette):
    from PySide6.QtWidgets import QPushButton
    holder = QWidget()
    layout = QVBoxLayout(holder)
    play = QPushButton()
    play.setProperty("role", "primary-round")       # as the room's Play button
    layout.addWidget(play)
    holder.resize(120, 90)
    shown(qtbot, holder)
    point = play.rect().center()
    enabled = seen(play).pixelColor(point)
    play.setEnabled(False)
    disabled = seen(play).pixelColor(point)
    window_colour = holder.palette().color(holder.backgroundRole())
    assert distance(disabled, window_colour) < distance(enabled, window_colour)
    if palette == "dark":
        assert luminance(disabled) < luminance(enabled), (disabled.name(), enabled.name())
