import os

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
