"""The command line plays the party's music: host --music with stdin commands, join plays along.

Processes as a person runs them, on loopback without discovery; there is no sound card here,
so both fall back to miniaudio's NULL backend (real time, silent), which they say on stderr.
"""

import pytest

from tests.net.test_cli import HOST_ARGS, start_join
from testsupport.measure import write_test_tone


@pytest.fixture
async def music_host(cli, tmp_path):
    """The CLI host with two tracks queued and a pipe to its standard input."""
    write_test_tone(tmp_path / "Opening.wav", 20)
    write_test_tone(tmp_path / "Second.wav", 10)
    (tmp_path / "notes.txt").write_text("not music")
    host = await cli("host", *HOST_ARGS, "--music", str(tmp_path / "Opening.wav"),
                     str(tmp_path / "Second.wav"), str(tmp_path / "notes.txt"), name="host")
    return host, tmp_path


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

    host.write("play")
    await guest.event("player", playing=True, index=0, title="Opening")
    host.write("next")
    await guest.event("player", playing=True, index=1, title="Second")
    host.write("volume 40")
    await guest.event("player", volume=0.4)
    host.write("seek 2")
    host.write("pause")
    await guest.event("player", playing=False, index=1)

    host.write("volume loud")
    error = await host.event("command_error")
    assert "volume PERCENT" in error["message"]
    host.write(f"add {folder / 'missing.flac'}")
    error = await host.event("command_error")
    assert "missing.flac" in error["message"]

    host.write("end")
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
    host.write("play")
    await host.event("player", playing=True)
    host.write("end")
    await host.event("session_closed")
    assert await guest.finish() == 0
    assert not [e for e in guest.events if e["event"] == "player"]
