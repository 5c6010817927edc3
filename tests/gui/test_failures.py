"""A bug of ours in the app is shown, never lost: a listener that raises and a task that dies
end in a "Something went wrong" alert, and a join never waits forever.

Hosts run without discovery on 127.0.0.1 and any free port; the guest's model joins by
address directly (no Join page, so nothing scans).
"""

from __future__ import annotations

import pytest

from loudsync_desktop.model.session_model import SOMETHING_WRONG
from loudsync_desktop.net.guest_link import GuestLink
from tests.gui.helpers import host_party, run_until_done, wait_alert, wait_connected
from tests.gui.helpers import DEADLINE_MS


class PlantedBug(Exception):
    pass


def assert_bug_shown(qtbot, window) -> None:
    box = wait_alert(qtbot, window, timeout=DEADLINE_MS)
    assert box.windowTitle() == SOMETHING_WRONG
    informative = box.informativeText()
    assert "the view fell over" in informative or "the link fell over" in informative


def test_a_guest_listener_that_raises_is_shown(qtbot, make_window, monkeypatch):
    host = make_window("Hosty")
    host_party(qtbot, host)
    guest = make_window("Gina")

    def set_members_with_a_bug(members):
        raise PlantedBug("the view fell over")
    monkeypatch.setattr(guest.model.members, "set_members", set_members_with_a_bug)
    assert run_until_done(qtbot, guest.model.join_address(f"127.0.0.1:{host.model.port}"))
    assert_bug_shown(qtbot, guest)


def test_a_host_listener_that_raises_is_shown(qtbot, make_window, monkeypatch):
    host = make_window("Hosty")
    host_party(qtbot, host)
    guest = make_window("Gina")
    real = host.model.members.set_members

    def set_members_with_a_bug(members):
        real(members)
        raise PlantedBug("the view fell over")
    monkeypatch.setattr(host.model.members, "set_members", set_members_with_a_bug)
    assert run_until_done(qtbot, guest.model.join_address(f"127.0.0.1:{host.model.port}"))
    assert_bug_shown(qtbot, host)
    wait_connected(qtbot, [host], 2)   # the party itself went on


def test_a_guest_task_that_dies_ends_the_join_instead_of_waiting_forever(
        qtbot, make_window, monkeypatch):
    host = make_window("Hosty")
    host_party(qtbot, host)
    guest = make_window("Gina")

    async def run_with_a_bug(self):
        raise PlantedBug("the link fell over")
    monkeypatch.setattr(GuestLink, "run", run_with_a_bug)
    joined = run_until_done(qtbot, guest.model.join_address(f"127.0.0.1:{host.model.port}"),
                            timeout_ms=DEADLINE_MS)
    assert joined is False
    assert_bug_shown(qtbot, guest)
    assert guest.model.status == "idle" and not guest.model.busy


@pytest.mark.parametrize("typed", ["١٢٣٤", "۱۲۳۴"])
def test_the_pin_dialog_refuses_digits_the_host_cannot_match(qtbot, make_window, typed):
    guest = make_window("Gina")
    asked: list[str] = []
    guest.model.join_with_pin = lambda pin: asked.append(pin)
    guest.model.pinNeeded.emit("This party needs a PIN")
    qtbot.waitUntil(lambda: guest.pin_dialog is not None and guest.pin_dialog.isVisible())
    guest.pin_dialog.setTextValue(typed)
    guest.pin_dialog.accept()
    box = wait_alert(qtbot, guest)
    assert box.informativeText() == "A PIN is 4 digits, like 1234." and asked == []
