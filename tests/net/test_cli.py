"""The command line as a person (or a script) uses it: real processes, real sockets.

Every host runs with ``--port 0 --bind 127.0.0.1 --no-discovery`` and every
guest with ``--no-discovery``: nothing is advertised and nothing listens
beyond loopback. Each process is killed at teardown if it is still running.
"""

import signal
import subprocess

import pytest

from tests.net.helpers import CLI, REPO, frames_until_closed, port_is_free, unused_port
from tests.support import EventProcess, RawGuest

HOST_ARGS = ["--json", "--port", "0", "--bind", "127.0.0.1", "--no-discovery"]


async def start_host(cli, *extra: str) -> tuple[EventProcess, dict]:
    host = await cli("host", *HOST_ARGS, *extra)
    return host, await host.event("hosting")


async def start_join(cli, port: int, device_id: str, name: str) -> EventProcess:
    return await cli("join", f"127.0.0.1:{port}", "--json", "--no-discovery",
                     "--name", name, "--device-id", device_id, name=f"join {device_id}")


def ids(members: list[dict]) -> list[str]:
    return [x["id"] for x in members]


async def test_host_and_two_cli_guests_see_each_other_come_and_go(cli):
    host, hosting = await start_host(cli, "--name", "Friday", "--host-name", "Dee")
    port, host_id = hosting["port"], hosting["hostId"]
    assert hosting["sessionName"] == "Friday" and len(hosting["sessionId"]) == 6
    assert hosting["urls"] == [f"ws://127.0.0.1:{port}/"]

    alice = await start_join(cli, port, "alice", "Alice")
    welcome = await alice.event("welcome")
    assert (welcome["sessionId"], welcome["deviceId"], welcome["hostName"]) == \
        (hosting["sessionId"], "alice", "Dee")
    assert ids((await alice.event("member_list"))["members"]) == [host_id, "alice"]
    assert (await host.event("member_joined"))["member"]["name"] == "Alice"

    bob = await start_join(cli, port, "bob", "Bob")
    await bob.event("welcome")
    assert ids((await bob.event("member_list"))["members"]) == [host_id, "alice", "bob"]
    assert (await alice.event("member_joined"))["member"]["id"] == "bob"
    assert (await host.event("member_joined"))["member"]["id"] == "bob"

    bob.signal(signal.SIGTERM)
    assert await bob.finish() == 0
    assert bob.events[-1] == {"event": "left"}
    left = await alice.event("member_left")
    assert (left["deviceId"], left["reason"]) == ("bob", "Left from the command line")
    assert (await host.event("member_left"))["deviceId"] == "bob"

    alice.signal(signal.SIGTERM)
    assert await alice.finish() == 0
    assert (await host.event("member_left"))["deviceId"] == "alice"
    host.signal(signal.SIGTERM)
    assert await host.finish() == 0


async def test_sigint_on_a_joined_guest_sends_leave_and_exits_0(cli):
    host, hosting = await start_host(cli)
    guest = await start_join(cli, hosting["port"], "ctrl-c", "Carl")
    await guest.event("member_list")
    await host.event("member_joined")
    guest.signal(signal.SIGINT)
    left = await host.event("member_left")
    assert (left["deviceId"], left["reason"], left["name"]) == \
        ("ctrl-c", "Left from the command line", "Carl")
    assert await guest.finish() == 0
    assert guest.events[-1] == {"event": "left"}
    host.signal(signal.SIGTERM)
    assert await host.finish() == 0


async def test_join_exits_1_when_the_party_is_full(cli):
    host, hosting = await start_host(cli, "--max-members", "2")
    first = await start_join(cli, hosting["port"], "first", "First")
    await first.event("member_list")
    second = await start_join(cli, hosting["port"], "second", "Second")
    assert await second.finish() == 1
    assert "This party is full (2/2). Ask the host to raise the limit." in second.stderr
    assert {"event": "error", "code": "SESSION_FULL",
            "message": "Session is full (2/2)"} in second.events
    refused = await host.event("join_refused")
    assert refused["code"] == "SESSION_FULL"
    # The full party is untouched: the first guest heard nothing about it.
    host.signal(signal.SIGTERM)
    await first.event("session_closed")
    assert [e["event"] for e in first.events] == ["welcome", "member_list", "session_closed"]
    assert await host.finish() == 0


async def test_join_to_a_closed_port_exits_1_with_a_clear_message(cli):
    port = unused_port()
    guest = await cli("join", f"127.0.0.1:{port}", "--json", "--no-discovery")
    assert await guest.finish() == 1
    assert guest.stderr.startswith(f"loudsync join: No LoudSync host answered at 127.0.0.1:{port}")
    assert "refused" in guest.stderr.lower()
    assert guest.events == []


async def test_sigterm_on_the_host_closes_everyone_and_frees_the_port(cli):
    host, hosting = await start_host(cli)
    port, session_id = hosting["port"], hosting["sessionId"]
    raws = []
    for device in ("raw-1", "raw-2"):
        raw = await RawGuest.connect(port)
        assert (await raw.join(session_id, device))["type"] == "WELCOME"
        raws.append(raw)
    guest = await start_join(cli, port, "cli-guest", "Cleo")
    await guest.event("member_list")  # the host has taken it in

    host.signal(signal.SIGTERM)
    for raw in raws:
        frames, code = await frames_until_closed(raw)
        assert frames[-1]["type"] == "SESSION_CLOSED"
        assert frames[-1]["payload"]["reason"] == "Host closed session"
        assert code == 1000
    closed = await guest.event("session_closed")
    assert closed["reason"] == "Host closed session"
    assert await guest.finish() == 0
    assert await host.finish() == 0
    assert host.events[-1] == {"event": "session_closed"}
    assert port_is_free(port)


@pytest.mark.parametrize("args, words", [
    (["host", "--port", "abc", "--no-discovery"], "'abc' is not a port"),
    (["host", "--max-members", "1", "--port", "0", "--no-discovery"], "from 2 to 512"),
    (["host", "--heartbeat-timeout", "0", "--port", "0", "--no-discovery"],
     "between 0.01 and 3600"),
    (["join", "--json"], "the following arguments are required: TARGET"),
])
def test_bad_flags_are_argparse_errors_without_a_traceback(cli_env, args, words):
    done = subprocess.run([*CLI, *args], cwd=REPO, env=cli_env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "usage:" in done.stderr and words in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_an_empty_party_name_is_a_usage_error(cli_env):
    done = subprocess.run([*CLI, "host", "--name", "  ", *HOST_ARGS], cwd=REPO, env=cli_env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr == "loudsync host: 'party name' must not be empty\n"
