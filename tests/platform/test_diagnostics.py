"""The log file (rotating, in the data folder) and the check that refuses a leaking PySide6."""

from __future__ import annotations

import ctypes
import logging
import sys

import pytest

from loudsync_desktop import diagnostics, qt_runtime


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_the_log_file_is_in_the_data_folder_and_rotates(tmp_path, monkeypatch, restore_logging):
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(tmp_path / "data"))
    path = diagnostics.setup_logging(max_bytes=4000)
    assert path == tmp_path / "data" / "loudsync.log"
    log = logging.getLogger("loudsync_desktop.test")
    for i in range(400):   # ~40 kB: rotates many times, keeps LOG_BACKUPS old files
        log.info("line %04d of a long party", i)
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["loudsync.log", *(f"loudsync.log.{n}" for n in
                                       range(1, diagnostics.LOG_BACKUPS + 1))]
    assert all(p.stat().st_size <= 4000 for p in path.parent.iterdir())
    assert diagnostics.last_log_lines(2)[-1].endswith("line 0399 of a long party")
    assert "line 0000" not in "".join(p.read_text() for p in path.parent.iterdir())


def test_debug_logs_debug_messages_to_the_file_and_a_second_setup_replaces_the_first(
        tmp_path, monkeypatch, restore_logging):
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(tmp_path))
    log = logging.getLogger("loudsync_desktop.test")
    diagnostics.setup_logging(debug=False)
    log.debug("quiet detail")
    diagnostics.setup_logging(debug=True)
    log.debug("loud detail")
    text = (tmp_path / "loudsync.log").read_text()
    assert "loud detail" in text and "quiet detail" not in text
    assert text.count("loud detail") == 1   # one file handler, not two
    ours = [h for h in logging.getLogger().handlers if type(h).__module__ == diagnostics.__name__]
    assert len(ours) == 2   # stderr and the file


def test_an_unwritable_data_folder_means_no_log_file_and_a_warning_not_a_crash(
        tmp_path, monkeypatch, restore_logging, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(blocker / "data"))
    assert diagnostics.setup_logging() is None
    assert "no log file" in capsys.readouterr().err
    assert diagnostics.last_log_lines() == []


def test_the_command_line_is_logged_without_the_pin(tmp_path, monkeypatch, restore_logging):
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(tmp_path))
    from loudsync_desktop.cli import build_parser
    args = build_parser().parse_args(["host", "--pin", "4821", "--name", "Friday", "--debug"])
    assert args.debug
    diagnostics.setup_logging(debug=True)
    diagnostics.log_command_line(args)
    text = (tmp_path / "loudsync.log").read_text()
    assert "'name': 'Friday'" in text and "4821" not in text


@pytest.mark.parametrize("pyside, python, leaks", [
    ((6, 12, 0), (3, 11, 7), True),
    ((6, 12, 3), (3, 11, 2), True),
    ((6, 11, 3), (3, 11, 7), False),
    ((6, 12, 0), (3, 12, 1), False),    # None and True are immortal from 3.12
    ((6, 12, 0), (3, 13, 0), False),
])
def test_known_leaking_combinations(pyside, python, leaks):
    assert qt_runtime.known_leak(pyside, python) is leaks


def test_the_installed_pyside6_loses_no_references():
    """What setup.sh installed for this Python (pyproject.toml's pin) passes the check."""
    assert qt_runtime.problem() is None
    assert not qt_runtime.known_leak(*qt_runtime.running_versions())
    assert not qt_runtime.probe_leak()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_the_probe_sees_a_call_that_loses_a_reference_to_none():
    """A stand-in for the 6.12.0 bug: a call that gives back one reference to None too many."""
    decref = ctypes.pythonapi.Py_DecRef
    decref.argtypes = [ctypes.py_object]
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    calls = 0

    def leaky() -> None:
        nonlocal calls
        calls += 1
        decref(None)

    try:
        assert qt_runtime.drops_references(leaky, None)
    finally:
        for _ in range(calls):   # give them back
            incref(None)
    assert calls == qt_runtime.PROBE_CALLS
    assert not qt_runtime.drops_references(lambda: None, None)


def test_a_log_file_that_cannot_be_written_is_reported_once_without_a_traceback(
        tmp_path, monkeypatch, restore_logging, capsys):
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(tmp_path))
    path = diagnostics.setup_logging(max_bytes=200)
    # Rotation must remove the oldest file to make room: a folder in its place cannot be.
    (tmp_path / "loudsync.log.2").write_text("an old log\n")
    (tmp_path / "loudsync.log.3").mkdir()
    (tmp_path / "loudsync.log.3" / "x").write_text("keeps the folder non-empty")
    log = logging.getLogger("loudsync_desktop.test")
    for i in range(20):
        log.info("line %d, long enough to make the file rotate soon", i)
    err = capsys.readouterr().err
    assert err.count(f"LoudSync: cannot write the log file {path}") == 1, err
    assert "Traceback" not in err and "Logging error" not in err
