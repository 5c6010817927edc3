"""The command line plays the party's music: host --music with stdin commands, join plays along.

Processes as a person runs them, on loopback without discovery; there is no sound card here,
so both fall back to miniaudio's NULL backend (real time, silent), which they say on stderr.
"""

import asyncio
import contextlib
import subprocess

import pytest

from loudsync_desktop.audio.measure import write_test_tone
from tests.net.test_cli import CLI, HOST_ARGS, REPO, Cli, cli, cli_env, start_join  # noqa: F401


@pytest.fixture
async def music_host(cli_env, tmp_path):
    """The CLI host with two tracks queued and a pipe to its standard input."""
    write_test_tone(tmp_path / "Opening.wav", 20)
    write_test_tone(tmp_path / "Second.wav", 10)
    (tmp_path / "notes.txt").write_text("not music")
    proc = await asyncio.create_subprocess_exec(
        *CLI, "host", *HOST_ARGS, "--music", str(tmp_path / "Opening.wav"),
        str(tmp_path / "Second.wav"), str(tmp_path / "notes.txt"),
        cwd=REPO, env=cli_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    host = Cli(proc, "host")
    yield host, tmp_path
    if proc.returncode is None:
        proc.kill()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(proc.communicate(), 10)


async def say(host: Cli, line: str) -> None:
    host.proc.stdin.write(line.encode() + b"\n")
    await host.proc.stdin.drain()


async def test_host_music_commands_reach_a_playing_cli_guest(music_host, cli):
    host, folder = music_host
    hosting = await host.event("hosting")
    assert host.events[0]["event"] == "hosting"   # the contract: hosting comes first
    queued = await host.event("player", queue=["Opening", "Second"])
    assert queued["playing"] is False

    guest = await start_join(cli, hosting["port"], "ana", "Ana")
    await guest.event("welcome")
    state = await guest.event("player")
    assert state["queue"] == ["Opening", "Second"] and state["playing"] is False

    await say(host, "play")
    await guest.event("player", playing=True, index=0, title="Opening")
    await say(host, "next")
    await guest.event("player", playing=True, index=1, title="Second")
    await say(host, "volume 40")
    await guest.event("player", volume=0.4)
    await say(host, "seek 2")
    await say(host, "pause")
    await guest.event("player", playing=False, index=1)

    await say(host, "volume loud")
    error = await host.event("command_error")
    assert "volume PERCENT" in error["message"]
    await say(host, f"add {folder / 'missing.flac'}")
    error = await host.event("command_error")
    assert "missing.flac" in error["message"]

    await say(host, "end")
    await host.event("session_closed")
    assert await host.finish() == 0
    assert await guest.finish() == 0
    assert "notes.txt" in host.stderr   # the non-music file was refused, the rest queued


async def test_a_guest_with_no_audio_is_a_plain_guest(music_host, cli):
    host, _ = music_host
    hosting = await host.event("hosting")
    guest = await cli("join", f"127.0.0.1:{hosting['port']}", "--json", "--no-discovery",
                      "--no-audio", "--name", "Quiet")
    welcome = await guest.event("welcome")
    assert welcome["deviceId"]
    await say(host, "play")
    await host.event("player", playing=True)
    await say(host, "end")
    await host.event("session_closed")
    assert await guest.finish() == 0
    assert not [e for e in guest.events if e["event"] == "player"]
