import os
import shutil
import tempfile
import threading
import time

import pytest

from tests.support import only_loopback_here


def pytest_collection_modifyitems(config, items):
    # Advertising or scanning is only allowed where nothing can leave the machine.
    if not only_loopback_here():
        skip = pytest.mark.skip(reason="advertises or scans: run the suite with "
                                       "scripts/run-tests.sh (private network namespace)")
        for item in items:
            if "isolated_net" in item.keywords:
                item.add_marker(skip)


def pytest_configure(config):
    # Copies of the suite running at once must not share the app's data and settings: whatever
    # falls back to the defaults (LOUDSYNC_DATA_DIR, QSettings) uses this run's own folder.
    config._loudsync_home = tempfile.mkdtemp(prefix="loudsync-tests-")
    for var, sub in (("LOUDSYNC_DATA_DIR", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_DATA_HOME", "share"), ("XDG_STATE_HOME", "state")):
        os.environ[var] = os.path.join(config._loudsync_home, sub)


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_loudsync_home", ""), ignore_errors=True)


# -- threads a test leaves behind --------------------------------------------------------
# A test must end every thread it starts (python-zeroconf's conftest checks the same).
# Threads allowed to outlive a test, by name prefix, and why:
LONG_LIVED_THREADS = (
    "gui-test",   # tests/gui's session-wide qasync loop: its to_thread pool, shut down at the end
)
THREAD_END_GRACE_S = 20.0  # a thread told to stop may take a moment to return (more when busy)


@pytest.fixture(autouse=True)
def no_leaked_threads():
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + THREAD_END_GRACE_S

    def leaked() -> list[threading.Thread]:
        return [t for t in threading.enumerate()
                if t not in before and t.is_alive() and not t.name.startswith(LONG_LIVED_THREADS)]

    for thread in leaked():
        thread.join(max(0.0, deadline - time.monotonic()))
    left = leaked()
    assert not left, f"threads still running after the test: {[t.name for t in left]}"
