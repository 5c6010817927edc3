"""The app as a person starts it, in a subprocess: the window opens and quits on SIGTERM,
``--debug``, the refusal of a PySide6 that leaks, and long runs that must end with exit 0 (no
"Fatal Python error": PySide6 6.12.0 on Python 3.11 aborted them)."""

import math
import os
import re
import signal
import struct
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def tone_file(path: Path, seconds: float, rate: int = 48_000) -> Path:
    """A stereo tone as a WAV file (no sox needed): one period, repeated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    period = rate // 440
    cycle = b"".join(struct.pack("<hh", v, v) for v in
                     (int(8000 * math.sin(2 * math.pi * i / period)) for i in range(period)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(cycle * int(seconds * rate / period))
    return path


def app_env(tmp_path) -> dict:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6",
            "LOUDSYNC_DATA_DIR": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config")}


def run_app_until_window_then_sigterm(tmp_path, *args: str) -> tuple[int, str]:
    """``python -m loudsync_desktop ARGS`` until it logs that its window is open, then SIGTERM.

    Returns the exit code and stderr.
    """
    log_file = tmp_path / "data" / "loudsync.log"
    proc = subprocess.Popen([sys.executable, "-m", "loudsync_desktop", *args], cwd=REPO,
                            env=app_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not (log_file.exists() and "window open" in log_file.read_text(errors="replace")):
            assert proc.poll() is None, proc.communicate(timeout=5)[1].decode()[-3000:]
            assert time.monotonic() < deadline, "the window did not open within 20 s"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, err.decode()


def test_module_without_arguments_starts_the_window_and_quits_on_sigterm(tmp_path):
    code, err = run_app_until_window_then_sigterm(tmp_path)
    assert code == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]


def test_debug_switch_logs_to_stderr_and_the_log_file_in_the_data_folder(tmp_path):
    code, err = run_app_until_window_then_sigterm(tmp_path, "--debug")
    assert code == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    log_file = tmp_path / "data" / "loudsync.log"
    logged = log_file.read_text(encoding="utf-8")
    for where in (err, logged):   # the same debug lines, with time and level, in both
        assert "INFO loudsync_desktop.diagnostics: LoudSync" in where and ", debug" in where
        assert "INFO loudsync_desktop.app: window open; log file " + str(log_file) in where
        assert " DEBUG " in where   # asyncio, zeroconf or Qt's own: everything in debug


# A bare script that pretends to run the leaking release: the check must refuse it by version.
PRETEND_LEAKING = """
import sys
import loudsync_desktop.qt_runtime as qt_runtime
qt_runtime.running_versions = lambda: ((6, 12, 0), (3, 11, 7))
from loudsync_desktop.app import main
sys.exit(main([]))
"""


def test_app_refuses_a_pyside6_that_leaks_on_this_python_with_a_clear_message(tmp_path):
    done = subprocess.run([sys.executable, "-c", PRETEND_LEAKING], cwd=REPO,
                          env=app_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr[-3000:]
    assert done.stderr.startswith("LoudSync cannot start: PySide6 6.12.0 on Python 3.11.7 loses "
                                  "a reference to None and True"), done.stderr
    assert "Run scripts/setup.sh again" in done.stderr and "Python 3.12" in done.stderr
    assert "Traceback" not in done.stderr
    assert "refusing to start" in (tmp_path / "data" / "loudsync.log").read_text()


def run_driver(tmp_path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real app in a subprocess, driven from inside (tests/gui/app_driver.py)."""
    return subprocess.run([sys.executable, "-m", "tests.gui.app_driver", *args], cwd=REPO,
                          env=app_env(tmp_path), capture_output=True, text=True,
                          timeout=timeout)


def survived(done: subprocess.CompletedProcess) -> str:
    """Why the run does not count as a clean one, or ''."""
    if done.returncode != 0 or "Fatal Python error" in done.stderr or "Traceback" in done.stderr \
            or "driver: done" not in done.stdout:
        return f"exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return ""


def refcounts(stdout: str, when: str) -> dict[str, int]:
    line = next(x for x in stdout.splitlines() if x.startswith(f"driver: {when}"))
    none, true = re.search(r"None (\d+), True (\d+)", line).groups()
    return {"None": int(none), "True": int(true)}


def test_a_long_partys_worth_of_ui_calls_then_a_clean_quit(tmp_path):
    """100,000 property updates and signal emits: PySide6 6.12.0 on Python 3.11 aborted here."""
    done = run_driver(tmp_path, "ui-calls")
    assert not survived(done), survived(done)
    before, after = refcounts(done.stdout, "before"), refcounts(done.stdout, "after")
    for name in ("None", "True"):   # one lost reference per call would be 25,000 or more
        assert before[name] - after[name] < 1000, (name, before, after)


@pytest.mark.isolated_net
def test_host_play_move_volume_seek_and_close_ten_times_in_a_row(tmp_path):
    """The real output path (miniaudio, its NULL backend without a sound card), the real exit."""
    music = tone_file(tmp_path / "tone.wav", seconds=12)
    for run in range(10):
        done = run_driver(tmp_path / f"run{run}", "party", str(music))
        assert not survived(done), f"run {run + 1} of 10: {survived(done)}"
        assert "after 300 volume moves and 81 seeks" in done.stdout
