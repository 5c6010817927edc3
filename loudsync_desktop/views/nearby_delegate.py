"""Row painting for the Nearby Parties list: name, host, a lock on PIN parties, the count."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..model.nearby_sessions import NearbySessionsModel
from .delegates import ACCENT, PAD, ROW_HEIGHT, _background, _greyed

LOCK_SIZE = 14          # the padlock drawn after the name of a party that needs a PIN
SELECTED_SUBTITLE_ALPHA = 245   # "hosted by" on the accent: 4.5:1 or more (150 gave 2.8:1)


def draw_lock(painter: QPainter, box: QRect, colour: QColor) -> None:
    """A padlock in ``box`` (square): a rounded body and its shackle."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = box.width()
    body = QRectF(box.left(), box.top() + s * 0.45, s, s * 0.55)
    shackle = QRectF(box.left() + s * 0.2, box.top(), s * 0.6, s * 0.75)
    pen = QPen(colour, max(1.5, s / 8))
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    arc = QPainterPath()
    arc.moveTo(shackle.left(), body.top())
    arc.arcTo(shackle.left(), shackle.top(), shackle.width(), shackle.height() * 0.8, 180, -180)
    arc.lineTo(shackle.right(), body.top())
    painter.drawPath(arc)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(body, s / 7, s / 7)
    painter.restore()


class NearbyDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index) -> QSize:
        return QSize(200, ROW_HEIGHT + 4)

    def lock_rect(self, option: QStyleOptionViewItem, index) -> QRect | None:
        """Where the padlock of a PIN party goes (None for others): after the name."""
        if not index.data(NearbySessionsModel.NeedsPinRole):
            return None
        font = QFont(option.font)
        font.setBold(True)
        metrics = QFontMetrics(font)
        left, width = self._text_area(option, index, metrics)
        shown = metrics.elidedText(index.data() or "", Qt.TextElideMode.ElideRight,
                                   width - LOCK_SIZE - 6)   # as paint() draws it
        name_width = metrics.horizontalAdvance(shown)
        top = option.rect.top() + 6 + (option.rect.height() // 2 - 4) - metrics.ascent()
        return QRect(left + name_width + 6, top + max(0, metrics.ascent() - LOCK_SIZE),
                     LOCK_SIZE, LOCK_SIZE)

    def _pill(self, option, index, metrics) -> tuple[QRect, str]:
        full = bool(index.data(NearbySessionsModel.FullRole))
        text = "Full" if full else (index.data(NearbySessionsModel.MembersTextRole) or "")
        width = metrics.horizontalAdvance(text) + 20
        r = option.rect
        return QRect(r.right() - PAD - width, r.center().y() - 12, width, 24), text

    def _text_area(self, option, index, metrics) -> tuple[int, int]:
        left = option.rect.left() + PAD + 4
        pill, _ = self._pill(option, index, metrics)
        return left, pill.left() - PAD - left

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        full = bool(index.data(NearbySessionsModel.FullRole))
        if full:
            option.state &= ~QStyle.StateFlag.State_Selected
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = _background(painter, option)
        text = option.palette.color(text_role) if not full else _greyed(option, 150)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = option.rect
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        pill, pill_text = self._pill(option, index, metrics)
        pill_colour = QColor("#8A8A99") if full else QColor("white" if selected else ACCENT)
        pill_colour.setAlpha(40)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(pill_colour)
        painter.drawRoundedRect(pill, 12, 12)
        painter.setPen(text)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, pill_text)

        left, width = self._text_area(option, index, metrics)
        lock = self.lock_rect(option, index)
        name_width = width - (LOCK_SIZE + 6 if lock is not None else 0)
        top_half = QRect(left, r.top() + 6, width, r.height() // 2 - 4)
        name = index.data() or ""
        painter.drawText(top_half, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width))
        if lock is not None:
            draw_lock(painter, lock, text)

        painter.setFont(option.font)
        if full:
            subtitle = _greyed(option, 115)
        else:
            subtitle = QColor(option.palette.color(text_role))
            subtitle.setAlpha(SELECTED_SUBTITLE_ALPHA if selected else 150)
        painter.setPen(subtitle)
        bottom_half = QRect(left, r.center().y() + 2, width, r.height() // 2 - 6)
        host = index.data(NearbySessionsModel.HostNameRole) or ""
        painter.drawText(bottom_half, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         painter.fontMetrics().elidedText(f"hosted by {host}",
                                                          Qt.TextElideMode.ElideRight, width))
        painter.restore()
