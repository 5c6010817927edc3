"""The party's queue as a Qt item model: one row per track, in playing order.

The queue belongs to the host's HostPlayer; this model only mirrors each PlayState.
A drag inside the list (host only) does not move rows itself: it asks the host to
reorder, and the next state brings the new order here and to every guest.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QByteArray, QMimeData, QModelIndex, QObject, Qt

from ..protocol.playback import Track

ROW_MIME = "application/x-loudsync-queue-row"


def format_time(ms: int) -> str:
    seconds = max(0, ms) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


class QueueModel(QAbstractListModel):
    TrackRole = Qt.ItemDataRole.UserRole + 1
    CurrentRole = Qt.ItemDataRole.UserRole + 2
    TitleRole = Qt.ItemDataRole.UserRole + 4
    ArtistRole = Qt.ItemDataRole.UserRole + 5
    DurationTextRole = Qt.ItemDataRole.UserRole + 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tracks: tuple[Track, ...] = ()
        self._current = -1
        # (row, to) -> None while this laptop may reorder (the host), else None
        self.mover: Callable[[int, int], None] | None = None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tracks)

    def roleNames(self) -> dict[int, QByteArray]:
        return {self.TitleRole: QByteArray(b"title"), self.ArtistRole: QByteArray(b"artist"),
                self.DurationTextRole: QByteArray(b"duration"),
                self.CurrentRole: QByteArray(b"current")}

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._tracks):
            return None
        track = self._tracks[index.row()]
        current = index.row() == self._current
        if role in (Qt.ItemDataRole.DisplayRole, self.TitleRole):
            return track.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return track.title + (f"\n{track.artist}" if track.artist else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{'Now playing: ' if current else ''}{track.title}" + \
                (f" by {track.artist}" if track.artist else "") + \
                f", {format_time(track.duration_ms)}"
        return {self.TrackRole: track, self.CurrentRole: current,
                self.ArtistRole: track.artist,
                self.DurationTextRole: format_time(track.duration_ms)}.get(role)

    def set_queue(self, tracks: tuple[Track, ...], current: int) -> None:
        if tracks != self._tracks:
            self.beginResetModel()
            self._tracks, self._current = tracks, current
            self.endResetModel()
        elif current != self._current:
            old, self._current = self._current, current
            for row in (old, current):
                if 0 <= row < len(tracks):
                    self.dataChanged.emit(self.index(row), self.index(row))

    def track_at(self, row: int) -> Track | None:
        return self._tracks[row] if 0 <= row < len(self._tracks) else None

    @property
    def current_row(self) -> int:
        return self._current

    # -- drag to reorder (host only) ---------------------------------------------------------
    def flags(self, index):
        base = super().flags(index)
        if self.mover is None:
            return base
        if not index.isValid():   # drops land between rows, never onto a track
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self):
        return Qt.DropAction.MoveAction

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROW_MIME]

    def mimeData(self, indexes) -> QMimeData:
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setData(ROW_MIME, QByteArray(str(rows[0]).encode() if rows else b""))
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return self.mover is not None and data.hasFormat(ROW_MIME)

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        """Ask the host to move the dragged track to where it was dropped. Returns False:
        the rows move when the host's new state arrives, never by the view's hand."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            source = int(bytes(data.data(ROW_MIME)).decode())
        except ValueError:
            return False
        if row < 0:   # dropped below the last row
            row = len(self._tracks)
        to = row - 1 if row > source else row   # where it lands once taken out
        if 0 <= source < len(self._tracks) and to != source:
            self.mover(source, to)
        return False
