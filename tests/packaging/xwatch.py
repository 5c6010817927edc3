"""Watch an X server from outside a program: did its window appear, and when?

A private Xvfb (display number picked by Xvfb itself, so parallel runs never collide) and a
watcher on it, through libX11 with ctypes (no extra package: libX11 comes with libgl1). The
watcher listens to the root window's SubstructureNotify events, so it hears the MapNotify of a
top-level window the moment the X server maps it: no polling, no delay.

Used by tests/packaging/test_bundle.py (the frozen GUI shows its window) and bench/startup.py
(time from launch to the first window).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass

MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19


class _XMapEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("event", ctypes.c_ulong),
                ("window", ctypes.c_ulong), ("override_redirect", ctypes.c_int)]


class _XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xmap", _XMapEvent), ("pad", ctypes.c_long * 24)]


class _XClassHint(ctypes.Structure):
    _fields_ = [("res_name", ctypes.c_void_p), ("res_class", ctypes.c_void_p)]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def _libx11():
    path = ctypes.util.find_library("X11") or "libX11.so.6"
    lib = ctypes.CDLL(path)
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    lib.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
    lib.XConnectionNumber.argtypes = [ctypes.c_void_p]
    lib.XPending.argtypes = [ctypes.c_void_p]
    lib.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(_XEvent)]
    lib.XFlush.argtypes = [ctypes.c_void_p]
    lib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_void_p)]
    lib.XGetClassHint.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XClassHint)]
    lib.XFree.argtypes = [ctypes.c_void_p]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    lib.XSetErrorHandler.argtypes = [_ERROR_HANDLER]
    lib.XSetErrorHandler.restype = ctypes.c_void_p
    return lib


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the process that started it dies (no stray Xvfb)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def available() -> str | None:
    """None if Xvfb and libX11 are there, else why not."""
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (apt-get install xvfb; scripts/setup.sh test does it)"
    try:
        _libx11()
    except OSError as exc:
        return f"libX11 cannot be loaded: {exc}"
    return None


class Xvfb:
    """A private X server: ``with Xvfb() as x: env = {..., "DISPLAY": x.display}``."""

    def __init__(self, size: str = "1280x800x24") -> None:
        self.size = size
        self.proc: subprocess.Popen | None = None
        self.display = ""

    def __enter__(self) -> Xvfb:
        read, write = os.pipe()
        try:
            self.proc = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write), "-screen", "0", self.size, "-nolisten", "tcp",
                 "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
            os.close(write)
            write = -1
            number = b""
            deadline = time.monotonic() + 10
            while not number.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([read], [], [], left)[0]:
                    raise RuntimeError("Xvfb did not start within 10 s")
                chunk = os.read(read, 16)
                if not chunk:
                    raise RuntimeError(f"Xvfb exited ({self.proc.wait()}) before it started")
                number += chunk
            self.display = f":{number.decode().strip()}"
        except BaseException:
            self.__exit__()
            raise
        finally:
            os.close(read)
            if write != -1:
                os.close(write)
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Window:
    id: int
    name: str
    wm_class: tuple[str, str]
    at: float          # time.monotonic() when the X server told us it was mapped


class WindowWatcher:
    """Hears every top-level window mapped on ``display`` from the moment it is created."""

    def __init__(self, display: str) -> None:
        self.x = _libx11()
        # A window can be gone before we ask its name: ignore X errors instead of exiting.
        self._handler = _ERROR_HANDLER(lambda d, e: 0)
        self.x.XSetErrorHandler(self._handler)
        self.dpy = self.x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise RuntimeError(f"cannot open X display {display}")
        self.root = self.x.XDefaultRootWindow(self.dpy)
        self.x.XSelectInput(self.dpy, self.root, SUBSTRUCTURE_NOTIFY_MASK)
        self.x.XSync(self.dpy, 0)
        self.fd = self.x.XConnectionNumber(self.dpy)
        self.seen: list[Window] = []

    def close(self) -> None:
        if self.dpy:
            self.x.XCloseDisplay(self.dpy)
            self.dpy = None

    def __enter__(self) -> WindowWatcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _take_string(self, pointer: int | None) -> str:
        """A string Xlib allocated for us, freed once read."""
        if not pointer:
            return ""
        text = ctypes.string_at(pointer).decode("utf-8", "replace")
        self.x.XFree(pointer)
        return text

    def _describe(self, window: int, at: float) -> Window:
        name_p = ctypes.c_void_p()
        name = ""
        if self.x.XFetchName(self.dpy, window, ctypes.byref(name_p)):
            name = self._take_string(name_p.value)
        hint = _XClassHint()
        wm_class = ("", "")
        if self.x.XGetClassHint(self.dpy, window, ctypes.byref(hint)):
            wm_class = (self._take_string(hint.res_name), self._take_string(hint.res_class))
        return Window(window, name, wm_class, at)

    def wait_for(self, name: str, timeout: float, alive=lambda: True) -> Window | None:
        """The first mapped, managed (not override-redirect) window called ``name``, or None
        after ``timeout`` seconds or as soon as ``alive()`` turns false."""
        deadline = time.monotonic() + timeout
        event = _XEvent()
        while True:
            while self.x.XPending(self.dpy):
                self.x.XNextEvent(self.dpy, ctypes.byref(event))
                at = time.monotonic()
                if event.type == MAP_NOTIFY and not event.xmap.override_redirect:
                    window = self._describe(event.xmap.window, at)
                    self.seen.append(window)
                    if window.name == name:
                        return window
            left = deadline - time.monotonic()
            if left <= 0 or not alive():
                return None
            select.select([self.fd], [], [], min(left, 0.05))
