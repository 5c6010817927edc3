"""The member list as a Qt item model: host first, then guests in join order."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QPersistentModelIndex, Qt

from ..protocol.messages import RECONNECTING, ROLE_HOST, Member


@dataclass(frozen=True)
class MemberRow:
    member: Member
    is_you: bool
    latency_ms: float | None = None
    sync: str = ""          # "in sync ±0.10 ms" from the guest's reports (host side)
    stream: str | None = None   # trouble with its sound, in words ("buffering"); shown instead


class MemberListModel(QAbstractListModel):
    NameRole = Qt.ItemDataRole.UserRole + 1
    RoleRole = Qt.ItemDataRole.UserRole + 2
    IsYouRole = Qt.ItemDataRole.UserRole + 3
    StatusRole = Qt.ItemDataRole.UserRole + 4
    LatencyRole = Qt.ItemDataRole.UserRole + 5
    IdRole = Qt.ItemDataRole.UserRole + 6
    SyncRole = Qt.ItemDataRole.UserRole + 7
    StreamRole = Qt.ItemDataRole.UserRole + 8

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[MemberRow] = []
        self._you: str | None = None

    # -- reading -------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        return {self.NameRole: QByteArray(b"name"), self.RoleRole: QByteArray(b"role"),
                self.IsYouRole: QByteArray(b"isYou"),
                self.StatusRole: QByteArray(b"connectionStatus"),
                self.LatencyRole: QByteArray(b"latencyMs"), self.IdRole: QByteArray(b"id"),
                self.SyncRole: QByteArray(b"sync"), self.StreamRole: QByteArray(b"stream")}

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        m = row.member
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            latency = f", {row.latency_ms:.0f} ms" if row.latency_ms is not None else ""
            trouble = f", {row.stream}" if row.stream else ""
            return f"{display_text(row)}, {m.connection_status}{trouble}{latency}"
        return {self.NameRole: m.name, self.RoleRole: m.role, self.IsYouRole: row.is_you,
                self.StatusRole: m.connection_status, self.LatencyRole: row.latency_ms,
                self.IdRole: m.id, self.SyncRole: row.sync,
                self.StreamRole: row.stream}.get(role)

    def members(self) -> list[Member]:
        return [r.member for r in self._rows]

    # -- writing (emits only on real change) -------------------------------------------
    def set_you(self, device_id: str | None) -> None:
        self._you = device_id

    def set_members(self, members: list[Member]) -> None:
        new_ids = [x.id for x in members]
        for i in reversed(range(len(self._rows))):
            if self._rows[i].member.id not in new_ids:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
        for i, member in enumerate(members):
            if i < len(self._rows) and self._rows[i].member.id == member.id:
                old = self._rows[i]
                new = replace(old, member=member, is_you=member.id == self._you)
                if new != old:
                    self._rows[i] = new
                    self.dataChanged.emit(self.index(i), self.index(i))
            elif all(r.member.id != member.id for r in self._rows):
                self.beginInsertRows(QModelIndex(), i, i)
                self._rows.insert(i, MemberRow(member, member.id == self._you))
                self.endInsertRows()
            else:  # reordered: rare enough to rebuild
                self.beginResetModel()
                self._rows = [MemberRow(x, x.id == self._you) for x in members]
                self.endResetModel()
                return

    def set_latency(self, device_id: str, latency_ms: float | None) -> None:
        for i, row in enumerate(self._rows):
            if row.member.id == device_id:
                rounded = None if latency_ms is None else round(latency_ms, 1)
                if row.latency_ms != rounded:
                    self._rows[i] = replace(row, latency_ms=rounded)
                    self.dataChanged.emit(self.index(i), self.index(i), [self.LatencyRole])
                return

    def set_sync(self, device_id: str, error_us: int, uncertainty_us: int,
                 stream: str | None = None) -> None:
        """A guest's playback report: how close to the timeline its speaker is, and what is
        wrong with its stream if anything (stream_health's words, None: nothing)."""
        bound_ms = (abs(error_us) + uncertainty_us) / 1000
        text = f"in sync ±{max(0.05, bound_ms):.2f} ms" if bound_ms < 5 else "syncing…"
        for i, row in enumerate(self._rows):
            if row.member.id == device_id and (row.sync, row.stream) != (text, stream):
                self._rows[i] = replace(row, sync=text, stream=stream)
                self.dataChanged.emit(self.index(i), self.index(i),
                                      [self.SyncRole, self.StreamRole,
                                       Qt.ItemDataRole.AccessibleTextRole])

    def clear(self) -> None:
        if self._rows:
            self.beginResetModel()
            self._rows = []
            self.endResetModel()


def display_text(row: MemberRow) -> str:
    parts = [row.member.name]
    if row.is_you:
        parts.append("(you)")
    if row.member.role == ROLE_HOST:
        parts.append("· host")
    if row.member.connection_status == RECONNECTING:
        parts.append("· reconnecting…")
    return " ".join(parts)
