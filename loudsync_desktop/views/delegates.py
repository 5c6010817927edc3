"""Row painting for the member list and the queue, and the helpers every list's rows share
(the Nearby Parties rows are in nearby_delegate.py)."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..model.member_list import MemberListModel
from ..model.queue_model import QueueModel
from ..protocol.messages import RECONNECTING, ROLE_HOST

ACCENT = QColor("#6D4AFF")
AVATAR_COLOURS = ["#6D4AFF", "#E0508A", "#1E9E8A", "#E08A1E", "#3A86E0", "#8A5CC7", "#4CAF50"]
WARNING_ON_LIGHT = "#9A5800"   # 5.6:1 on white
WARNING_ON_DARK = "#F2B64B"    # 9.8:1 on the dark list's #17171B
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


def _warning(option: QStyleOptionViewItem, role: QPalette.ColorRole) -> QColor:
    """Words about trouble: amber that reads on a light and a dark list (white on a selection)."""
    if role == QPalette.ColorRole.HighlightedText:
        return QColor(option.palette.color(role))
    dark = option.palette.color(QPalette.ColorRole.Base).lightness() < 128
    return QColor(WARNING_ON_DARK if dark else WARNING_ON_LIGHT)


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
        trouble = index.data(MemberListModel.StreamRole) if not reconnecting else None
        if trouble:   # "buffering", "lost 2 s of audio": what matters now, instead of the sync
            subtitle += f" · {trouble}"
        elif sync and not reconnecting:
            subtitle += f" · {sync}"
        if reconnecting:
            subtitle += " · reconnecting…"
        painter.setPen(_muted(option, text_role) if reconnecting
                       else option.palette.color(text_role))
        painter.setFont(font)
        top_half = QRect(text_left, r.top() + 6, right - text_left, r.height() // 2 - 4)
        painter.drawText(top_half, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight,
                                                          top_half.width()))
        painter.setFont(option.font)
        painter.setPen(_warning(option, text_role) if trouble else _muted(option, text_role))
        bottom_half = QRect(text_left, r.center().y() + 2, right - text_left, r.height() // 2 - 6)
        painter.drawText(bottom_half, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         subtitle)
        painter.restore()


QUEUE_ROW_HEIGHT = 48
MARK_WIDTH = 26   # the now-playing mark's gutter: there on every row, so no row ever shifts


class QueueDelegate(QStyledItemDelegate):
    """A queue row: the now-playing mark, title over artist (both elided), the duration."""

    def sizeHint(self, option, index) -> QSize:
        return QSize(120, QUEUE_ROW_HEIGHT)   # narrow: the list never needs a horizontal bar

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        text_role = _background(painter, option)
        selected = text_role == QPalette.ColorRole.HighlightedText
        current = bool(index.data(QueueModel.CurrentRole))
        title = index.data(QueueModel.TitleRole) or ""
        artist = index.data(QueueModel.ArtistRole) or ""
        duration = index.data(QueueModel.DurationTextRole) or ""
        # White on the accent, whatever the palette says its highlighted text is.
        text = QColor("white") if selected else QColor(option.palette.color(text_role))
        muted = QColor(text)
        muted.setAlpha(170 if selected else 140)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = option.rect.adjusted(PAD, 0, -PAD, 0)
        if current:   # a play triangle in the gutter, accent (white on a selected row)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("white") if selected else ACCENT)
            cy, left = r.center().y(), r.left() + 4
            painter.drawPolygon([QPoint(left, cy - 7), QPoint(left + 12, cy), QPoint(left, cy + 7)])
        font = QFont(option.font)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        duration_width = metrics.horizontalAdvance(duration)
        painter.setPen(muted)
        painter.drawText(QRect(r.right() - duration_width, r.top(), duration_width, r.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, duration)
        left = r.left() + MARK_WIDTH
        width = max(0, r.right() - duration_width - PAD - left)
        bold = QFont(font)
        bold.setBold(current)
        painter.setFont(bold)
        painter.setPen(text)
        subtitle = artist
        title_text = painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, width)
        if not subtitle:   # a title alone sits in the middle of its row
            painter.drawText(QRect(left, r.top(), width, r.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title_text)
            painter.restore()
            return
        top_half = QRect(left, r.top() + 4, width, r.height() // 2 - 3)
        painter.drawText(top_half, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         title_text)
        painter.setFont(font)
        painter.setPen(muted)
        bottom_half = QRect(left, r.center().y() + 2, width, r.height() // 2 - 5)
        painter.drawText(bottom_half, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, width))
        painter.restore()
