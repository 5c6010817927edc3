"""A bug of ours in the CLI is never silent: an ``error`` event with code INTERNAL, the
traceback logged, and exit code 4 (EXIT_INTERNAL), whether a listener raised or a task died.

The CLI runs in this process (``run_host``/``run_join`` with parsed flags) so that a bug can
be planted; the host it talks to is a real server on 127.0.0.1.
"""

import asyncio
import io
import json
import logging


from loudsync_desktop.cli import build_parser
from loudsync_desktop.cli import host as cli_host
from loudsync_desktop.cli import join as cli_join
from loudsync_desktop.cli.common import EXIT_INTERNAL
from loudsync_desktop.net.guest_link import GuestLink
from loudsync_desktop.net.playback_host import HostPlayback
from tests.support import wait_until


class PlantedBug(Exception):
    pass


def events(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def internal_error(found: list[dict]) -> dict:
    [error] = [e for e in found if e["event"] == "error"]
    assert error["code"] == "INTERNAL" and "PlantedBug" in error["message"]
    return error


def join_args(port: int):
    return build_parser().parse_args(["join", f"127.0.0.1:{port}", "--json", "--no-discovery",
                                      "--no-audio", "--name", "Bea", "--device-id", "bea"])


async def test_a_join_listener_that_raises_ends_with_an_error_event_and_exit_4(
        start_host, monkeypatch, capsys, caplog):
    server = await start_host()
    printer = cli_join.guest_event_printer

    def printer_with_a_bug(say, link):
        real = printer(say, link)

        def on_event(event):
            real(event)
            if type(event).__name__ == "MembersReplaced":
                raise PlantedBug("the printer fell over")
        return on_event
    monkeypatch.setattr(cli_join, "guest_event_printer", printer_with_a_bug)
    code = await asyncio.wait_for(cli_join.run_join(join_args(server.port)), 15)
    assert code == EXIT_INTERNAL
    found = events(capsys)
    assert [e["event"] for e in found][:2] == ["welcome", "member_list"]
    internal_error(found)
    assert any(r.levelno == logging.ERROR and r.exc_info and r.exc_info[0] is PlantedBug
               for r in caplog.records)
    # It left the party on its way out rather than hanging on in it.
    await wait_until(lambda: len(server.members) == 1, what="the guest to have left")


async def test_a_join_whose_connection_task_dies_exits_4(start_host, monkeypatch, capsys):
    server = await start_host()

    async def run_with_a_bug(self):
        raise PlantedBug("the link fell over")
    monkeypatch.setattr(GuestLink, "run", run_with_a_bug)
    code = await asyncio.wait_for(cli_join.run_join(join_args(server.port)), 15)
    assert code == EXIT_INTERNAL
    internal_error(events(capsys))


async def test_a_host_task_that_dies_ends_the_party_with_an_error_event_and_exit_4(
        monkeypatch, capsys, tmp_path, caplog):
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(tmp_path))

    async def add_with_a_bug(self, path):
        raise PlantedBug("adding fell over")
    monkeypatch.setattr(HostPlayback, "add_file", add_with_a_bug)
    monkeypatch.setattr("sys.stdin", io.StringIO("add song.wav\n"))
    args = build_parser().parse_args(["host", "--json", "--port", "0", "--bind", "127.0.0.1",
                                      "--no-discovery", "--no-audio"])
    code = await asyncio.wait_for(cli_host.run_host(args), 15)
    assert code == EXIT_INTERNAL
    found = events(capsys)
    assert found[0]["event"] == "hosting"
    internal_error(found)
    assert found[-1] == {"event": "session_closed"}      # the party still ended properly
    assert any(r.levelno == logging.ERROR and r.exc_info and r.exc_info[0] is PlantedBug
               for r in caplog.records)


async def test_a_host_listener_that_raises_ends_the_party_with_exit_4(
        monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("LOUDSYNC_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    def player_printer_with_a_bug(say):
        def on_state(state):
            raise PlantedBug("the player printer fell over")
        return on_state
    monkeypatch.setattr(cli_host, "player_printer", player_printer_with_a_bug)
    args = build_parser().parse_args(["host", "--json", "--port", "0", "--bind", "127.0.0.1",
                                      "--no-discovery", "--no-audio", "--play"])
    code = await asyncio.wait_for(cli_host.run_host(args), 15)
    assert code == EXIT_INTERNAL
    internal_error(events(capsys))
