import os
import shutil
import tempfile

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
