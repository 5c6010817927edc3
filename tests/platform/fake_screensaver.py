"""A stand-in for the desktop's org.freedesktop.ScreenSaver on a private session bus.

Run as a process (``python -m tests.platform.fake_screensaver``) with DBUS_SESSION_BUS_ADDRESS
set: it prints one line per call, "inhibit APP REASON -> COOKIE" or "uninhibit COOKIE".
"""

import sys

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.next_cookie = 41

    @Slot(str, str, result="uint")
    def Inhibit(self, app: str, reason: str) -> int:
        self.next_cookie += 1
        print(f"inhibit {app} {reason} -> {self.next_cookie}", flush=True)
        return self.next_cookie

    @Slot("uint")
    def UnInhibit(self, cookie: int) -> None:
        print(f"uninhibit {cookie}", flush=True)


def main() -> int:
    app = QCoreApplication(sys.argv)
    bus = QDBusConnection.sessionBus()
    service = ScreenSaver()
    if not bus.registerObject("/org/freedesktop/ScreenSaver", service,
                              QDBusConnection.RegisterOption.ExportAllSlots) or \
            not bus.registerService("org.freedesktop.ScreenSaver"):
        print("cannot register", bus.lastError().message(), flush=True)
        return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
