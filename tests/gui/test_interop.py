"""The GUI and the headless CLI in one party, both ways round.

CLI processes are ``python -m loudsync_desktop ... --json`` (one JSON event per line).
"""

from __future__ import annotations

import signal

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.gui.helpers import (answer_alert, click, click_row, connected_count, host_party,
                               join_by_address, member_ids, member_names, member_texts,
                               nearby_rows, no_alert, open_join_page, page_name, port_is_free,
                               press_enter, wait_alert, wait_connected, wait_page)
from tests.gui.helpers import DEADLINE_MS


def cli_host_args(*extra: str) -> tuple[str, ...]:
    return ("host", "--json", "--port", "0", "--bind", "127.0.0.1",
            "--name", "Terminal party", "--host-name", "Term", *extra)


def test_gui_host_with_cli_guests(qtbot, make_window, cli):
    host = make_window("Hosty")
    host_party(qtbot, host, "Mixed")
    address = f"127.0.0.1:{host.model.port}"
    ann = cli("join", address, "--json", "--name", "Ann")
    ann.wait_event("welcome")
    wait_connected(qtbot, [host], 2)
    ben = cli("join", address, "--json", "--name", "Ben")
    ben.wait_event("welcome")
    wait_connected(qtbot, [host], 3)

    assert member_names(host) == ["Hosty", "Ann", "Ben"]
    assert member_texts(host) == ["Hosty (you) · host", "Ann", "Ben"]
    assert connected_count(host) == 3
    listed = ben.wait_event("member_list")["members"]
    assert [m["name"] for m in listed] == ["Hosty", "Ann", "Ben"]
    assert [m["id"] for m in listed] == member_ids(host)
    joined = ann.wait_event("member_joined")["member"]     # Ann hears that Ben came in
    assert joined["name"] == "Ben"
    welcome = ann.wait_event("welcome")
    assert (welcome["sessionName"], welcome["hostName"]) == ("Mixed", "Hosty")
    assert welcome["sessionId"] == host.model.session_id

    # Ben leaves from the terminal (SIGTERM = leave): the GUI shows it.
    ben.signal(signal.SIGTERM)
    assert ben.wait_exit() == 0
    wait_connected(qtbot, [host], 2)
    assert member_names(host) == ["Hosty", "Ann"]

    click(qtbot, host.room.ui.leaveButton)
    wait_alert(qtbot, host)
    answer_alert(qtbot, host, "confirm")
    wait_page(qtbot, host, "home")
    closed = ann.wait_event("session_closed")
    assert closed["reason"]
    assert ann.wait_exit() == 0
    assert port_is_free(int(address.rsplit(":", 1)[1]))


@pytest.mark.isolated_net
def test_gui_guest_of_a_cli_host(qtbot, make_window, cli):
    host = cli(*cli_host_args("--no-discovery"))
    hosting = host.wait_event("hosting")
    guest = make_window("Gina")
    join_by_address(qtbot, guest, hosting["port"])
    wait_connected(qtbot, [guest], 2)

    room = guest.room.ui
    assert room.partyNameLabel.text() == "Terminal party"
    assert room.roleLabel.text() == "Hosted by Term"
    assert room.codeLabel.text() == hosting["code"]
    assert member_texts(guest) == ["Term · host", "Gina (you)"]
    joined = host.wait_event("member_joined")["member"]
    assert (joined["id"], joined["name"]) == (guest.model.device_id, "Gina")
    assert member_ids(guest) == [hosting["hostId"], guest.model.device_id]

    host.signal(signal.SIGTERM)                  # the CLI host ends the party
    box = wait_alert(qtbot, guest, timeout=DEADLINE_MS)
    assert box.informativeText() == "The host ended the party."
    answer_alert(qtbot, guest, QMessageBox.StandardButton.Ok)
    wait_page(qtbot, guest, "home")
    assert host.wait_exit() == 0
    assert host.named("session_closed")


@pytest.mark.isolated_net
def test_gui_finds_a_cli_host_nearby_and_joins_it(qtbot, make_window, cli):
    host = cli(*cli_host_args("--max-members", "4"))      # advertises (mDNS + UDP)
    hosting = host.wait_event("hosting")
    guest = make_window("Gina")
    open_join_page(qtbot, guest)
    qtbot.waitUntil(lambda: len(nearby_rows(guest)) == 1, timeout=DEADLINE_MS)
    row = nearby_rows(guest)[0]
    assert (row["name"], row["host"], row["members"], row["enabled"]) == \
        ("Terminal party", "Term", "1/4", True)
    assert row["code"] == hosting["sessionId"]

    view = guest.join_page.ui.sessionList
    click_row(qtbot, view, 0)
    press_enter(qtbot, view)
    wait_connected(qtbot, [guest], 2)
    assert host.wait_event("member_joined")["member"]["name"] == "Gina"
    assert member_names(guest) == ["Term", "Gina"]
    assert no_alert(guest) and page_name(guest) == "room"
    click(qtbot, guest.room.ui.leaveButton)
    wait_page(qtbot, guest, "home")
    left = host.wait_event("member_left")
    assert left["deviceId"] == guest.model.device_id or left.get("name") == "Gina"
