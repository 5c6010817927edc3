"""The accent in the palette: what Qt paints with Highlight (selections, Fusion's own
slider and progress fills) is LoudSync's purple, not Fusion's blue, in light and dark."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from .delegates import ACCENT


def with_accent(palette: QPalette) -> QPalette:
    palette = QPalette(palette)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, ACCENT)
        palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("white"))
        palette.setColor(group, QPalette.ColorRole.Accent, ACCENT)
    faint = QColor(ACCENT)
    faint.setAlpha(110)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, faint)
    return palette


DARK_COLOURS = {
    QPalette.ColorRole.Window: "#1F1F24", QPalette.ColorRole.WindowText: "#ECECF1",
    QPalette.ColorRole.Base: "#17171B", QPalette.ColorRole.AlternateBase: "#26262D",
    QPalette.ColorRole.Text: "#ECECF1", QPalette.ColorRole.Button: "#2B2B33",
    QPalette.ColorRole.ButtonText: "#ECECF1", QPalette.ColorRole.BrightText: "#FFFFFF",
    QPalette.ColorRole.ToolTipBase: "#26262D", QPalette.ColorRole.ToolTipText: "#ECECF1",
    QPalette.ColorRole.PlaceholderText: "#8A8A99", QPalette.ColorRole.Mid: "#4A4A55",
    QPalette.ColorRole.Midlight: "#3A3A44", QPalette.ColorRole.Dark: "#111114",
    QPalette.ColorRole.Light: "#55555F", QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Link: "#9C86FF",
}


def dark_palette() -> QPalette:
    """A palette as a dark desktop theme gives Fusion: for screenshots and tests, since the
    app itself follows whatever palette the system has."""
    palette = QPalette()
    for role, colour in DARK_COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6A6A75"))
    return with_accent(palette)
