"""packaging/build.py refuses to bundle a PySide6 that leaks on the Python it runs on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The build as far as its checks: a pretend 6.12.0 on 3.11 must stop it before PyInstaller runs.
PRETEND = """
import sys
sys.path.insert(0, "packaging")
import loudsync_desktop.qt_runtime as qt_runtime
qt_runtime.running_versions = lambda: {versions!r}
import build
build.check_qt()
print("build may go on")
"""


def check(versions) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PRETEND.format(versions=versions)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_build_refuses_pyside6_6_12_on_python_3_11():
    done = check(((6, 12, 0), (3, 11, 7)))
    assert done.returncode == 1 and "build may go on" not in done.stdout
    assert done.stderr.startswith("build: refusing to bundle: PySide6 6.12.0 on Python 3.11.7")


def test_build_goes_on_with_a_release_that_does_not_leak():
    for versions in (((6, 11, 3), (3, 11, 7)), ((6, 12, 0), (3, 12, 1))):
        done = check(versions)
        assert done.returncode == 0 and "build may go on" in done.stdout, done.stderr
