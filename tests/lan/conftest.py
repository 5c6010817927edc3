"""The simulated three-laptop LAN (tests/lan/netlab.py) as a fixture.

Each test gets a fresh LAN with names of its own (``ls<pid>x<n>host`` ...), torn down
after the test whatever happens, every process started in it killed. Namespaces that
crashed runs left behind (their creating process is gone) are deleted first. Without root
or a working ``ip netns`` the tests skip and say why.

pytest itself runs in a private network namespace (scripts/run-tests.sh); ``ip netns add``
still works from there as root: it makes new namespaces, and their names live in
/run/netns, which that private namespace shares with the machine.
"""

from __future__ import annotations

import pytest

from tests.lan.netlab import Lan, LanUnavailable, check_available, remove_stale


@pytest.fixture(scope="session")
def lan_available():
    try:
        check_available()
    except LanUnavailable as exc:
        pytest.skip(f"no simulated LAN: {exc}")
    remove_stale()


@pytest.fixture
def lan(lan_available):
    with Lan() as network:
        yield network


# -- measurements in the summary ------------------------------------------------------------
# What LAN tests measure (``record_property``: recovery times, removal delays) is printed at
# the end of every run, also with -q and when the test passed, so CI logs keep the figures.
_measured: list[tuple[str, str, object]] = []


def pytest_runtest_logreport(report):
    if report.when == "call" and "tests/lan/" in report.nodeid.replace("\\", "/"):
        for name, value in report.user_properties:
            _measured.append((report.nodeid.split("::")[-1], name, value))


def pytest_terminal_summary(terminalreporter):
    if _measured:
        terminalreporter.section("LAN measurements")
        for test, name, value in _measured:
            terminalreporter.write_line(f"{test}: {name} = {value}")
