"""Who gets in, through the command line: a PIN party, an approval party, removal by the host
(real processes on 127.0.0.1, no discovery).
"""

from __future__ import annotations

import signal

from tests.net.helpers import CLI_HOST_ARGS as HOST_ARGS
from tests.net.helpers import cli_join_args as join_args


async def test_pin_through_the_command_line_and_removal_by_the_host(cli, data_dir):
    host = await cli(*HOST_ARGS, "--pin", "4321")
    port = (await host.first_event("hosting", access="pin"))["port"]
    right = await cli(*join_args(port, "right", "--pin", "4321"))
    wrong = await cli(*join_args(port, "wrong", "--pin", "1111"))
    missing = await cli(*join_args(port, "missing"))
    bad = await cli(*join_args(port, "bad", "--pin", "12a4"))

    await right.first_event("welcome")
    assert await wrong.finish() == 1
    assert wrong.named("error", code="WRONG_PIN")
    assert wrong.stderr.strip() == "loudsync join: Wrong PIN"
    assert await missing.finish() == 1  # asked before connecting: no terminal to ask on
    assert missing.stderr.strip() == "loudsync join: this party needs a PIN: add --pin 1234"
    assert await bad.finish() == 2 and "a PIN is 4 digits" in bad.stderr
    await host.first_event("join_refused", code="WRONG_PIN")
    assert [x["member"]["id"] for x in host.named("member_joined")] == ["right"]

    host.write("remove nobody")
    await host.first_event("command_error", message="No guest with id nobody")
    host.write("remove right")
    assert await right.finish() == 1
    assert right.stderr.strip() == "loudsync join: The host removed you from the party"
    assert right.named("error", code="REMOVED_BY_HOST")
    left = await host.first_event("member_left")
    assert (left["deviceId"], left["reason"]) == ("right", "Removed by host")

    # `end` on standard input ends the party like End Session: the saved file goes.
    assert (data_dir / "host-session.json").exists()
    host.write("end")
    assert await host.finish() == 0
    assert host.named("session_closed")
    assert not (data_dir / "host-session.json").exists()


async def test_approval_through_the_command_line(cli):
    host = await cli(*HOST_ARGS, "--approve")
    port = (await host.first_event("hosting", access="approval"))["port"]
    yes = await cli(*join_args(port, "yes"))
    no = await cli(*join_args(port, "no"))
    gone = await cli(*join_args(port, "gone"))
    await yes.first_event("join_pending")
    await no.first_event("join_pending")
    await gone.first_event("join_pending")
    ask_yes = await host.first_event("join_request", deviceId="yes")
    ask_no = await host.first_event("join_request", deviceId="no")
    ask_gone = await host.first_event("join_request", deviceId="gone")
    assert len({ask_yes["requestId"], ask_no["requestId"], ask_gone["requestId"]}) == 3
    assert not yes.named("welcome") and not host.named("member_joined")
    # Who stops waiting (Ctrl+C) withdraws the request: the host's prompt goes away.
    gone.proc.send_signal(signal.SIGINT)
    assert await gone.finish() == 0
    await host.first_event("join_request_ended", requestId=ask_gone["requestId"])

    host.write("approve 999")  # no such request: nothing happens
    host.write(f"decline {ask_no['requestId']}")
    host.write(f"approve {ask_yes['requestId']}")
    await yes.first_event("welcome")
    assert [x["id"] for x in (await yes.first_event("member_list"))["members"]][1:] == ["yes"]
    assert await no.finish() == 1
    assert no.stderr.strip() == "loudsync join: The host declined your request to join"
    assert no.named("error", code="JOIN_DECLINED") and not no.named("welcome")
    joined = await host.first_event("member_joined")
    assert joined["member"]["id"] == "yes"
    await host.first_event("join_request_ended", requestId=ask_yes["requestId"])
    await host.first_event("join_request_ended", requestId=ask_no["requestId"])

    host.write("end")
    assert await host.finish() == 0
    await yes.first_event("session_closed")
    assert await yes.finish() == 0
