"""Every alert a guest or a host can meet, reached by clicks and keys on the real windows.

Hosts run without discovery on 127.0.0.1 and any free port; guests join by the address
``127.0.0.1:PORT``. The Join page always scans for parties nearby, so the tests that open
it are ``isolated_net`` (scripts/run-tests.sh runs them in a private network namespace).
"""

from __future__ import annotations

import signal
import socket

import pytest
from PySide6.QtWidgets import QMessageBox

from loudsync_desktop.model.session_model import CANNOT_JOIN
from loudsync_desktop.protocol import guest as guest_core
from tests.gui.helpers import (answer_alert, click, connected_count, host_party, join_by_address,
                               member_ids, no_alert, open_join_page, page_name, port_is_free,
                               press_enter, type_into, wait_alert, wait_connected, wait_page)
from tests.gui.helpers import DEADLINE_MS

OK = QMessageBox.StandardButton.Ok


class Spy:
    """Records a window's model signals and its host's core events (to prove nothing happened)."""

    def __init__(self, window, host) -> None:
        self.statuses: list[str] = []
        self.busy: list[bool] = []
        self.host_events: list[object] = []
        window.model.statusChanged.connect(self.statuses.append)
        window.model.busyChanged.connect(self.busy.append)
        host.model.server.add_listener(self.host_events.append)
        self.host_core = host.model.server.core

    def nothing_sent(self) -> bool:
        """No status change, no busy spell, and the host saw no connection at all."""
        return not (self.statuses or self.busy or self.host_events or self.host_core._conns)


def assert_cannot_join(qtbot, guest, text: str, exact: bool = True) -> None:
    box = wait_alert(qtbot, guest, timeout=DEADLINE_MS)
    assert box.windowTitle() == CANNOT_JOIN
    if exact:
        assert box.informativeText() == text
    else:
        assert box.informativeText().startswith(text), box.informativeText()
    answer_alert(qtbot, guest, OK)
    assert page_name(guest) == "join"            # the guest can try again at once
    qtbot.waitUntil(lambda: not guest.model.busy, timeout=DEADLINE_MS)
    assert guest.model.status == "idle"
    assert not guest.join_page.ui.busyRow.isVisible()
    assert guest.join_page.ui.addressJoinButton.isEnabled()


def assert_inline_problem(qtbot, guest, label, field, text: str) -> None:
    """A typing mistake: said in red under the field (and to screen readers), no alert."""
    qtbot.waitUntil(label.isVisible, timeout=DEADLINE_MS)
    assert label.text() == text
    assert label.property("role") == "error"
    assert field.accessibleDescription() == text and field.property("invalid") is True
    assert label.geometry().top() >= field.parentWidget().mapTo(
        label.parentWidget(), field.geometry().bottomLeft()).y()   # under the field
    qtbot.wait(100)
    assert no_alert(guest) and page_name(guest) == "join"
    assert guest.model.status == "idle" and not guest.model.busy
    assert guest.join_page.ui.addressJoinButton.isEnabled()


# -- refusals from the host -------------------------------------------------------------------
@pytest.mark.isolated_net
def test_session_full(qtbot, make_window):
    host = make_window("Hosty")
    host_party(qtbot, host, "Small", max_devices=2)
    first = make_window("First")
    join_by_address(qtbot, first, host.model.port)
    wait_connected(qtbot, [host, first], 2)

    late = make_window("Late")
    join_by_address(qtbot, late, host.model.port)
    assert_cannot_join(qtbot, late, "This party is full (2/2). Ask the host to raise the limit.")
    assert connected_count(host) == connected_count(first) == 2
    assert no_alert(host) and no_alert(first)


@pytest.mark.isolated_net
def test_host_that_runs_another_session_says_invalid_session_code(qtbot, make_window):
    """SESSION_NOT_FOUND -> "No party with this code is running there".

    The GUI asks ``GET /session`` for the party's id and JOINs with it, so against an
    honest host the ids always match. A mismatch happens when the host's party is
    replaced between that lookup and the JOIN; the test plays that by making the real
    host's ``/session`` answer name another id. The JOIN, the refusal and the alert are real.
    """
    host = make_window("Hosty")
    host_party(qtbot, host, "Real party")
    server = host.model.server
    honest = server.announcement
    server.announcement = lambda: {**honest(), "sessionId": "ZZZ999"}

    guest = make_window("Guest")
    join_by_address(qtbot, guest, host.model.port)
    assert_cannot_join(qtbot, guest, "No party with this code is running there")
    assert connected_count(host) == 1


@pytest.mark.isolated_net
def test_same_device_twice_is_already_joined(qtbot, make_window, settings_file):
    shared = settings_file()
    host = make_window("Hosty")
    host_party(qtbot, host)
    first = make_window("Twin", settings_path=shared)
    second = make_window("Twin", settings_path=shared)
    assert first.model.device_id == second.model.device_id
    join_by_address(qtbot, first, host.model.port)
    wait_connected(qtbot, [host, first], 2)

    join_by_address(qtbot, second, host.model.port)
    assert_cannot_join(qtbot, second, "This device is already in the party")
    assert connected_count(host) == connected_count(first) == 2   # the first one stays
    assert member_ids(host) == member_ids(first)


@pytest.mark.isolated_net
def test_unknown_code_is_not_found_nearby(qtbot, make_window):
    """A well-formed code nobody hosts: the guest looks for it, then says where to look."""
    guest = make_window("Guest", find_timeout_s=1.0)
    open_join_page(qtbot, guest)
    edit = guest.join_page.ui.codeEdit
    type_into(qtbot, edit, "zzz999")
    assert edit.text() == "ZZZ-999"
    press_enter(qtbot, edit)
    qtbot.waitUntil(lambda: guest.join_page.ui.busyRow.isVisible(), timeout=DEADLINE_MS)
    assert guest.join_page.ui.busyLabel.text() == "Looking for party ZZZ-999…"
    assert not guest.join_page.ui.codeJoinButton.isEnabled()
    assert_cannot_join(qtbot, guest, "No party with code ZZZ-999 was found nearby.", exact=False)


# -- input the app refuses before sending anything -------------------------------------------------
@pytest.mark.isolated_net
@pytest.mark.parametrize("typed, message", [
    ("AB", "A party code has 6 letters and digits; 'AB' has 2."),
    ("", "Enter the 6-character party code, like ABC-234."),
])
def test_bad_code_input_is_refused_before_anything_is_sent(qtbot, make_window, typed, message):
    host = make_window("Hosty")
    host_party(qtbot, host)
    guest = make_window("Guest")
    open_join_page(qtbot, guest)
    spy = Spy(guest, host)
    ui = guest.join_page.ui
    type_into(qtbot, ui.codeEdit, typed)
    press_enter(qtbot, ui.codeEdit)
    assert_inline_problem(qtbot, guest, ui.codeError, ui.codeEdit, message)
    assert spy.nothing_sent(), (spy.statuses, spy.busy, spy.host_events)
    qtbot.keyClicks(ui.codeEdit, "x")                # typing again takes the problem away
    assert not ui.codeError.isVisible() and ui.codeEdit.accessibleDescription() == ""


@pytest.mark.isolated_net
@pytest.mark.parametrize("typed, message", [
    ("192.168.1.20:99999", "'192.168.1.20:99999' is not an address: the port must be 1-65535."),
    ("127.0.0.1:0", "Port 0 is not a real port: use the port the host shows."),
    ("", "Enter the host's address, like 192.168.1.20:8080."),
    ("ftp://example", "'ftp://example' is not an address like 192.168.1.20:8080."),
])
def test_bad_address_input_is_refused_before_anything_is_sent(qtbot, make_window, typed, message):
    host = make_window("Hosty")
    host_party(qtbot, host)
    guest = make_window("Guest")
    open_join_page(qtbot, guest)
    spy = Spy(guest, host)
    join_by_address(qtbot, guest, typed)
    ui = guest.join_page.ui
    assert_inline_problem(qtbot, guest, ui.addressError, ui.addressEdit, message)
    assert ui.addressEdit.text() == typed                 # kept, to be corrected
    assert spy.nothing_sent(), (spy.statuses, spy.busy, spy.host_events)


@pytest.mark.isolated_net
def test_address_where_nobody_listens(qtbot, make_window):
    with socket.socket() as probe:          # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    guest = make_window("Guest")
    join_by_address(qtbot, guest, port)
    assert_cannot_join(qtbot, guest, f"No LoudSync host answered at 127.0.0.1:{port} "
                                     "(Connection refused).")


# -- hosting ---------------------------------------------------------------------------------------
def test_taken_port_is_shown_inline_on_the_host_page(qtbot, make_window):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        host = make_window("Hosty", port=port)
        host_party(qtbot, host, "Blocked", wait=False)
        ui = host.host_page.ui
        qtbot.waitUntil(ui.errorLabel.isVisible, timeout=DEADLINE_MS)
        assert ui.errorLabel.text() == (f"Port {port} is already in use by another program. "
                                        "Choose another port, or 0 for any free one.")
        assert no_alert(host)                    # shown in place, not as an alert
        assert page_name(host) == "host" and host.model.status == "idle"
        assert ui.createButton.isEnabled() and not ui.busyBar.isVisible()
        assert ui.partyNameEdit.text() == "Blocked"   # what was typed is kept
    # Back and in again: the old error is gone.
    click(qtbot, ui.backButton)
    wait_page(qtbot, host, "home")
    click(qtbot, host.home.ui.hostButton)
    assert not ui.errorLabel.isVisible()


def test_invalid_party_name_is_shown_inline(qtbot, make_window):
    host = make_window("Hosty")
    click(qtbot, host.home.ui.hostButton)
    ui = host.host_page.ui
    type_into(qtbot, ui.partyNameEdit, "   ")          # only spaces: falls back to "My Party"
    type_into(qtbot, ui.hostNameEdit, "Bad\tname")
    click(qtbot, ui.createButton)
    qtbot.waitUntil(ui.errorLabel.isVisible, timeout=DEADLINE_MS)
    assert "name" in ui.errorLabel.text().lower()
    assert no_alert(host) and page_name(host) == "host" and host.model.server is None


# -- the host goes away ----------------------------------------------------------------------------
@pytest.mark.isolated_net
def test_killed_host_means_reconnecting_then_connection_lost(qtbot, make_window, cli):
    """SIGKILL of the host under a guest: "Reconnecting…", then the alert, then Home.

    A guest tries to get back in for 120 s by default; this one gives up after 1.5 s.
    """
    host = cli("host", "--json", "--port", "0", "--no-discovery", "--bind", "127.0.0.1",
               "--name", "Doomed", "--host-name", "CLI Host")
    port = host.wait_event("hosting")["port"]
    guest = make_window("Guest", reconnect_policy=guest_core.ReconnectPolicy(
        delays_ms=(0, 200), give_up_after_ms=1500))
    join_by_address(qtbot, guest, port)
    wait_connected(qtbot, [guest], 2)
    status = guest.room.ui.statusLabel
    assert not status.isVisible()
    host.signal(signal.SIGKILL)

    qtbot.waitUntil(lambda: guest.model.reconnecting, timeout=DEADLINE_MS)
    assert page_name(guest) == "room" and no_alert(guest)
    assert status.isVisible() and status.text().startswith("Reconnecting… (try ")

    box = wait_alert(qtbot, guest, timeout=DEADLINE_MS)
    assert box.informativeText().startswith(
        "Connection to the host was lost (Could not reconnect"), box.informativeText()
    assert page_name(guest) == "room"
    answer_alert(qtbot, guest, OK)
    wait_page(qtbot, guest, "home")
    assert guest.model.status == "idle" and not guest.model.reconnecting


def test_closing_while_hosting_asks_first(qtbot, make_window, cli):
    from loudsync_desktop.views.main_window import QUIT_TEXT, QUIT_TITLE
    host = make_window("Hosty")
    host_party(qtbot, host, "Closing time")
    port = host.model.port
    guest = cli("join", f"127.0.0.1:{port}", "--json", "--name", "Cli")
    guest.wait_event("welcome")
    wait_connected(qtbot, [host], 2)

    # Cancel keeps the party going.
    host.close()
    box = wait_alert(qtbot, host)
    assert (box.windowTitle(), box.informativeText()) == (QUIT_TITLE, QUIT_TEXT)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    answer_alert(qtbot, host, QMessageBox.StandardButton.Cancel)
    qtbot.wait(200)
    assert host.isVisible() and not host.closed_for_test
    assert host.model.status == "hosting" and connected_count(host) == 2
    assert guest.proc.poll() is None and not guest.named("session_closed")

    # Confirm ends the party for everyone, then the window closes and the port is free.
    host.close()
    wait_alert(qtbot, host)
    answer_alert(qtbot, host, "confirm")
    qtbot.waitUntil(lambda: host.closed_for_test, timeout=DEADLINE_MS)
    assert not host.isVisible()
    guest.wait_event("session_closed")
    assert guest.wait_exit() == 0
    assert port_is_free(port)


def test_closing_when_not_hosting_does_not_ask(qtbot, make_window):
    window = make_window("Idle")
    window.close()
    qtbot.waitUntil(lambda: window.closed_for_test, timeout=DEADLINE_MS)
    assert no_alert(window) and not window.isVisible()
