"""Row painting for the member list, and the helpers every list's rows share
(the Nearby Parties rows are in nearby_delegate.py)."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..model.member_list import MemberListModel
from ..protocol.messages import RECONNECTING, ROLE_HOST

ACCENT = QColor("#6D4AFF")
AVATAR_COLOURS = ["#6D4AFF", "#E0508A", "#1E9E8A", "#E08A1E", "#3A86E0", "#8A5CC7", "#4CAF50"]
ROW_HEIGHT = 52
PAD = 10


def _background(painter: QPainter, option: QStyleOptionViewItem) -> QPalette.ColorRole:
    """Paint hover/selection; return the text colour role to use on it."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    rect = option.rect.adjusted(2, 2, -2, -2)
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    if selected:
        painter.setBrush(ACCENT)
        painter.drawRoundedRect(rect, 8, 8)
    elif option.state & QStyle.StateFlag.State_MouseOver:
        hover = QColor(ACCENT)
        hover.setAlpha(28)
        painter.setBrush(hover)
        painter.drawRoundedRect(rect, 8, 8)
    painter.restore()
    return QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text


def _muted(option: QStyleOptionViewItem, role: QPalette.ColorRole) -> QColor:
    colour = QColor(option.palette.color(role))
    colour.setAlpha(150)
    return colour


def _greyed(option: QStyleOptionViewItem, alpha: int) -> QColor:
    """Text of a row that cannot be chosen: faded, yet readable.

    Such a row is painted with the Disabled colours, already faint; fading those again
    made a full party's name nearly invisible. Fade the normal text colour instead,
    unless the whole list is disabled (while joining): then all rows fade alike.
    """
    if option.widget is not None and not option.widget.isEnabled():
        return _muted(option, QPalette.ColorRole.Text)
    colour = QColor(option.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text))
    colour.setAlpha(alpha)
    return colour


class MemberDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index) -> QSize:
        return QSize(200, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        text_role = _background(painter, option)
        name = index.data(MemberListModel.NameRole) or ""
        member_id = index.data(MemberListModel.IdRole) or ""
        is_you = index.data(MemberListModel.IsYouRole)
        is_host = index.data(MemberListModel.RoleRole) == ROLE_HOST
        reconnecting = index.data(MemberListModel.StatusRole) == RECONNECTING
        latency = index.data(MemberListModel.LatencyRole)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = option.rect
        size = r.height() - 2 * PAD
        avatar = QRect(r.left() + PAD, r.top() + PAD, size, size)
        colour = QColor(AVATAR_COLOURS[zlib.crc32(member_id.encode()) % len(AVATAR_COLOURS)])
        if reconnecting:
            colour.setAlpha(90)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(avatar)
        painter.setPen(QColor("white"))
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, (name[:1] or "?").upper())

        text_left = avatar.right() + PAD
        right = r.right() - PAD
        if latency is not None:
            painter.setFont(option.font)
            painter.setPen(_muted(option, text_role))
            label = f"{latency:.0f} ms"
            width = painter.fontMetrics().horizontalAdvance(label)
            painter.drawText(QRect(right - width, r.top(), width, r.height()),
                             Qt.AlignmentFlag.AlignVCenter, label)
            right -= width + PAD

        title = name + (" (you)" if is_you else "")
        subtitle = "Host" if is_host else "Guest"
        sync = index.data(MemberListModel.SyncRole)
        if sync and not reconnecting:
            subtitle += f" · {sync}"
        if reconnecting:
            subtitle += " · reconnecting…"
        painter.setPen(option.palette.color(text_role) if not reconnecting else _muted(option, text_role))
        painter.setFont(font)
        top_half = QRect(text_left, r.top() + 6, right - text_left, r.height() // 2 - 4)
        painter.drawText(top_half, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight,
                                                          top_half.width()))
        painter.setFont(option.font)
        painter.setPen(_muted(option, text_role))
        bottom_half = QRect(text_left, r.center().y() + 2, right - text_left, r.height() // 2 - 6)
        painter.drawText(bottom_half, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         subtitle)
        painter.restore()
