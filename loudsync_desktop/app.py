"""The desktop app: Qt and asyncio in one qasync loop, one window, one way out."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from . import APP_NAME, __version__
from .diagnostics import log_uncaught, setup_logging

log = logging.getLogger(__name__)


def create_app(argv: list[str]):
    """The QApplication with LoudSync's identity, style and resources."""
    from PySide6.QtCore import QFile, QIODevice
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .ui.generated import rc_loudsync  # noqa: F401  (registers :/loudsync/...)

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("loudsync")
    app.setStyle("Fusion")   # the same look everywhere; follows the system's light/dark palette
    from .views.theme import with_accent
    app.setPalette(with_accent(app.palette()))
    app.setWindowIcon(QIcon(":/loudsync/icon.svg"))
    style = QFile(":/loudsync/style.qss")
    if style.open(QIODevice.OpenModeFlag.ReadOnly):
        app.setStyleSheet(bytes(style.readAll()).decode("utf-8"))
    return app


def build_window(settings=None, options=None, sleep_inhibitor=None, store=None):
    """The main window with its models (the app and tests build it the same way)."""
    from .model.nearby_sessions import NearbySessionsModel
    from .model.session_model import SessionModel
    from .settings import Settings
    from .views.main_window import MainWindow

    settings = settings or Settings()
    model = SessionModel(settings.device_id, options, sleep_inhibitor=sleep_inhibitor, store=store)
    nearby = NearbySessionsModel()
    window = MainWindow(model, nearby, settings)
    model.setParent(window)
    nearby.setParent(window)
    return window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="loudsync", description="LoudSync desktop app")
    parser.add_argument("--version", action="version", version=f"LoudSync {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="log everything, to stderr and to the log file")
    args, qt_args = parser.parse_known_args(argv)
    log_file = setup_logging(args.debug, stderr_format="%(levelname)s %(name)s: %(message)s")
    sys.excepthook = log_uncaught
    try:
        import qasync
        from PySide6.QtCore import QTimer

        from .qt_runtime import problem
    except ImportError as exc:
        print(f"LoudSync cannot start: {exc}. Run scripts/setup.sh.", file=sys.stderr)
        return 1
    unsafe = problem()
    if unsafe:
        log.info("refusing to start: %s", unsafe)   # for the log file; stderr gets it below
        print(f"LoudSync cannot start: {unsafe}", file=sys.stderr)
        return 1
    from .persistence import SessionStore
    from .sleep_inhibitor import SleepInhibitor

    app = create_app([sys.argv[0], *qt_args])
    app.setQuitOnLastWindowClosed(False)   # we quit after the async shutdown, not before
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = build_window(sleep_inhibitor=SleepInhibitor(), store=SessionStore())
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    # SIGTERM/SIGINT end the party the same way closing the window does. Python
    # only runs signal handlers when it gets control, hence the idle timer.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: window.quit_now())
    wake = QTimer()
    wake.start(200)
    wake.timeout.connect(lambda: None)
    window.show()
    log.info("window open; log file %s", log_file)
    with loop:
        loop.run_until_complete(closed.wait())
    return 0


if __name__ == "__main__":
    sys.exit(main())
