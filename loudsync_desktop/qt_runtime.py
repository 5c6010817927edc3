"""Whether this PySide6 may run on this Python: checked before the window opens.

PySide6 6.12.0 on Python 3.11 loses a reference to ``None`` on every wrapped call that returns
nothing (``setText``, ``setValue``, every timer) and one to ``True`` on every ``Signal.emit()``.
When a count reaches zero the interpreter aborts ("Fatal Python error: none_dealloc"), which a
party's UI reaches within minutes. Python 3.12 made ``None`` and ``True`` immortal, so there the
same release is harmless. pyproject.toml pins a release without the leak for Python < 3.12; this
module refuses the combination if it is installed anyway (by hand, or in an old environment).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

# PySide6 release series known to leak, and the first Python whose None/True cannot be freed.
LEAKING_SERIES = {(6, 12)}
IMMORTAL_SINGLETONS = (3, 12)
PROBE_CALLS = 64


def running_versions() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(PySide6 version, Python version) of this process."""
    import PySide6
    return tuple(PySide6.__version_info__[:3]), tuple(sys.version_info[:3])


def known_leak(pyside: tuple[int, ...], python: tuple[int, ...]) -> bool:
    return tuple(python[:2]) < IMMORTAL_SINGLETONS and tuple(pyside[:2]) in LEAKING_SERIES


def drops_references(call: Callable[[], object], to: object, times: int = PROBE_CALLS) -> bool:
    """Whether ``times`` calls of ``call`` lose references to ``to`` (None or True)."""
    before = sys.getrefcount(to)
    for _ in range(times):
        call()
    return before - sys.getrefcount(to) >= times // 2


def probe_leak() -> bool:
    """Measure it: a release not in LEAKING_SERIES may leak the same way."""
    if sys.version_info[:2] >= IMMORTAL_SINGLETONS:
        return False   # immortal: nothing to lose, and getrefcount says nothing
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        fired = Signal()

    probe = Probe()
    return (drops_references(lambda: probe.setObjectName("probe"), None)
            or drops_references(probe.fired.emit, True))


def problem() -> str | None:
    """Why LoudSync must not run with this Qt binding, or None if it may."""
    pyside, python = running_versions()
    if not (known_leak(pyside, python) or probe_leak()):
        return None
    version = ".".join(map(str, pyside))
    return (f"PySide6 {version} on Python {'.'.join(map(str, python))} loses a reference to None "
            "and True with every Qt call, and LoudSync would crash within minutes (Fatal Python "
            "error: none_dealloc). Run scripts/setup.sh again: it installs the PySide6 release "
            "pinned for this Python (6.11 for Python 3.11). Or use Python 3.12 or newer.")


def describe() -> str:
    """'PySide6 6.11.3, Qt 6.11.3' for diagnostics."""
    import PySide6
    from PySide6 import QtCore
    return f"PySide6 {PySide6.__version__}, Qt {QtCore.qVersion()}"
