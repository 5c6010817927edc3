"""``--debug`` on every command (before or after it): debug lines on stderr and in the log file.

The commands keep their output: the JSON events on stdout are the same with ``--debug``.
"""

import signal
from pathlib import Path

import pytest

from tests.net.test_cli import HOST_ARGS

DEBUG_LINE = "DEBUG loudsync_desktop.diagnostics: command line: "


def log_text(env: dict) -> str:
    return (Path(env["LOUDSYNC_DATA_DIR"]) / "loudsync.log").read_text(encoding="utf-8")


async def test_host_and_join_accept_debug_before_or_after_the_command(cli, cli_env):
    host = await cli("host", *HOST_ARGS, "--debug", "--name", "Debug Night")
    hosting = await host.event("hosting")
    guest = await cli("--debug", "join", f"127.0.0.1:{hosting['port']}", "--json",
                      "--no-discovery", "--no-audio", "--name", "Bo")
    assert (await guest.event("welcome"))["sessionId"] == hosting["sessionId"]
    await host.event("member_joined")
    for proc in (guest, host):
        proc.signal(signal.SIGTERM)
        assert await proc.finish() == 0, proc.stderr
        assert DEBUG_LINE in proc.stderr and ", debug" in proc.stderr
    assert "'command': 'host'" in host.stderr and "'name': 'Debug Night'" in host.stderr
    assert "'command': 'join'" in guest.stderr
    logged = log_text(cli_env)
    assert logged.count(DEBUG_LINE) == 2   # both processes, one data folder


async def test_without_debug_stderr_stays_quiet_and_the_log_file_still_gets_info(
        cli, cli_env):
    host = await cli("host", *HOST_ARGS)
    await host.event("hosting")
    host.signal(signal.SIGTERM)
    assert await host.finish() == 0
    assert host.stderr == ""
    logged = log_text(cli_env)
    assert "INFO loudsync_desktop.diagnostics: LoudSync" in logged and DEBUG_LINE not in logged


@pytest.mark.isolated_net
@pytest.mark.parametrize("args", [("--debug", "scan"), ("scan", "--debug")])
async def test_scan_accepts_debug(cli, cli_env, args):
    scan = await cli(*args, "--timeout", "0.3", "--json")
    assert await scan.finish() == 0, scan.stderr
    assert DEBUG_LINE in scan.stderr and "'command': 'scan'" in scan.stderr
    assert DEBUG_LINE in log_text(cli_env)
