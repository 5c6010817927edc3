import os
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


# -- threads a test leaves behind --------------------------------------------------------
# A test must end every thread it starts (python-zeroconf's conftest checks the same).
# Threads allowed to outlive a test, by name prefix, and why:
LONG_LIVED_THREADS = (
    "gui-test",   # tests/gui's session-wide qasync loop: its to_thread pool, shut down at the end
)
THREAD_END_GRACE_S = 2.0   # a thread told to stop may take a moment to return


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
