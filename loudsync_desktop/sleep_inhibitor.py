"""Keep the computer awake while hosting, where the platform allows it.

Linux: the freedesktop ScreenSaver (or GNOME SessionManager) inhibit call
over the session D-Bus. Windows: SetThreadExecutionState. macOS: a
``caffeinate -i -w <our pid>`` child process. Everything degrades to a
no-op with ``available == False``: hosting never fails because of this.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

log = logging.getLogger(__name__)

BUS_NAME = "loudsync-sleep-inhibitor"   # a session-bus connection of its own


class SleepInhibitor:
    def __init__(self) -> None:
        self.active = False
        self.how = ""
        self._cookie: tuple | None = None
        self._process: subprocess.Popen | None = None

    def acquire(self, reason: str) -> bool:
        if self.active:
            return True
        try:
            if sys.platform.startswith("linux"):
                self.active = self._dbus_inhibit(reason)
            elif sys.platform == "win32":
                self.active = self._windows(True)
            elif sys.platform == "darwin":
                self._process = subprocess.Popen(["caffeinate", "-i", "-w", str(os.getpid())])
                self.active, self.how = True, "caffeinate"
        except Exception as exc:  # never let this stop a party
            log.info("cannot keep the computer awake: %s", exc)
            self.active = False
        return self.active

    def release(self) -> None:
        if not self.active:
            return
        self.active = False
        try:
            if self._cookie is not None:
                iface, method, cookie = self._cookie
                iface.call(method, cookie)
                self._cookie = None
                # The desktop also drops an inhibition when its owner leaves the bus; our
                # own connection leaving makes the release certain (PySide6 cannot send the
                # cookie as the uint32 some services insist on).
                from PySide6.QtDBus import QDBusConnection
                QDBusConnection.disconnectFromBus(BUS_NAME)
            elif sys.platform == "win32":
                self._windows(False)
            elif self._process is not None:
                self._process.terminate()
                self._process.wait(2)
                self._process = None
        except Exception as exc:
            log.info("releasing the sleep inhibitor failed: %s", exc)

    def _dbus_inhibit(self, reason: str) -> bool:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

        bus = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, BUS_NAME)
        if not bus.isConnected():
            QDBusConnection.disconnectFromBus(BUS_NAME)
            return False
        candidates = [
            ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
             "org.freedesktop.ScreenSaver", ("Inhibit", "LoudSync", reason), "UnInhibit"),
            # flags 4|8: inhibit suspend and idle.
            ("org.gnome.SessionManager", "/org/gnome/SessionManager",
             "org.gnome.SessionManager", ("Inhibit", "LoudSync", 0, reason, 12), "Uninhibit"),
        ]
        for service, path, interface, call, release in candidates:
            iface = QDBusInterface(service, path, interface, bus)
            if not iface.isValid():
                continue
            reply = iface.call(*call)
            if reply.type() == QDBusMessage.MessageType.ReplyMessage and reply.arguments():
                self._cookie = (iface, release, reply.arguments()[0])
                self.how = service
                return True
        QDBusConnection.disconnectFromBus(BUS_NAME)
        return False

    @staticmethod
    def _windows(on: bool) -> bool:
        import ctypes

        ES_CONTINUOUS, ES_SYSTEM_REQUIRED = 0x80000000, 0x00000001
        flags = ES_CONTINUOUS | (ES_SYSTEM_REQUIRED if on else 0)
        return bool(ctypes.windll.kernel32.SetThreadExecutionState(flags))
