"""Parties nearby as a Qt item model, live from a DiscoveryService."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import (Property, QAbstractListModel, QModelIndex, QPersistentModelIndex,
                            QObject, Qt, Signal)

from ..net.discovery import DiscoveryService
from ..protocol.codes import format_code
from ..protocol.discovery import DiscoveredSession, SessionFound, SessionLost, SessionUpdated
from ..protocol.guest import FULL_HINT


def full_party_text(session: DiscoveredSession) -> str:
    """Why a party in the list cannot be joined, and what to do about it."""
    a = session.announcement
    return f"{a.session_name} is full ({a.member_count}/{a.max_members}). {FULL_HINT}"


class NearbySessionsModel(QAbstractListModel):
    SessionRole = Qt.ItemDataRole.UserRole + 1
    FullRole = Qt.ItemDataRole.UserRole + 2
    HostNameRole = Qt.ItemDataRole.UserRole + 3
    MembersTextRole = Qt.ItemDataRole.UserRole + 4
    NeedsPinRole = Qt.ItemDataRole.UserRole + 5

    scanningChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, discovery_factory=DiscoveryService) -> None:
        super().__init__(parent)
        self._factory = discovery_factory
        self._rows: list[DiscoveredSession] = []
        self._discovery: DiscoveryService | None = None
        self._scanning = False
        self._wanted = False
        self._lock = asyncio.Lock()

    @property
    def discovery(self) -> DiscoveryService | None:
        return self._discovery

    def _get_scanning(self) -> bool:
        return self._scanning

    scanning = Property(bool, _get_scanning, notify=scanningChanged)

    # -- scanning -------------------------------------------------------------------------
    async def start(self) -> None:
        self._wanted = True
        async with self._lock:   # a stop() during a start() waits for it, then undoes it
            if not self._wanted or self._discovery is not None:
                return
            discovery = self._factory()
            discovery.add_listener(self._on_event)
            await discovery.start()
            self._discovery = discovery
            self._set_scanning(True)

    async def stop(self) -> None:
        self._wanted = False
        async with self._lock:
            discovery, self._discovery = self._discovery, None
            if discovery is not None:
                self._set_scanning(False)
                await discovery.stop()
        if self._rows:
            self.beginResetModel()
            self._rows = []
            self.endResetModel()

    def refresh(self) -> None:
        if self._discovery is not None:
            self._discovery.refresh()

    def _set_scanning(self, value: bool) -> None:
        if value != self._scanning:
            self._scanning = value
            self.scanningChanged.emit(value)

    def _on_event(self, event: object) -> None:
        if isinstance(event, SessionFound):
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(event.session)
            self.endInsertRows()
        elif isinstance(event, SessionUpdated):
            for i, row in enumerate(self._rows):
                if row.session_id == event.session.session_id:
                    self._rows[i] = event.session
                    self.dataChanged.emit(self.index(i), self.index(i))
        elif isinstance(event, SessionLost):
            for i, row in enumerate(self._rows):
                if row.session_id == event.session_id:
                    self.beginRemoveRows(QModelIndex(), i, i)
                    del self._rows[i]
                    self.endRemoveRows()
                    break

    # -- reading --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def session_at(self, row: int) -> DiscoveredSession | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        session = self._rows[index.row()]
        a = session.announcement
        members = f"{a.member_count}/{a.max_members}"
        if role == Qt.ItemDataRole.DisplayRole:
            return a.session_name
        needs_pin = a.access == "pin"
        if role == Qt.ItemDataRole.ToolTipRole:
            full = f"{full_party_text(session)}\n" if session.is_full else ""
            pin = "Needs a PIN from the host · " if needs_pin else ""
            return (f"{full}{pin}Code {format_code(a.session_id)} · {session.address}:{a.port} · "
                    f"found by {session.via_label}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            full = ", full" if session.is_full else ""
            pin = ", needs a PIN" if needs_pin else ""
            return f"{a.session_name}, hosted by {a.host_name}, {members} members{pin}{full}"
        return {self.SessionRole: session, self.FullRole: session.is_full,
                self.HostNameRole: a.host_name, self.MembersTextRole: members,
                self.NeedsPinRole: needs_pin}.get(role)

    def flags(self, index):
        flags = super().flags(index)
        session = self.session_at(index.row()) if index.isValid() else None
        if session is not None and session.is_full:
            flags &= ~Qt.ItemFlag.ItemIsEnabled  # full parties are shown greyed out
        return flags
