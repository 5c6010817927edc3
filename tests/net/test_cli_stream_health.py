"""The CLI host tells how each member's stream fares (``member_stream``) and which tracks it
had to skip (``track_skipped``), as JSON events and as lines for people.

A raw guest on a real socket sends the SYNC_REPORTs a streaming guest sends; the host is
the real CLI process, on loopback without discovery.
"""

from __future__ import annotations

import io
import json

from loudsync_desktop.cli.common import Printer
from loudsync_desktop.cli.host import host_event_printer
from loudsync_desktop.control.events import TrackSkipped
from loudsync_desktop.control.host import party_config
from loudsync_desktop.net.server import HostServer
from loudsync_desktop.protocol.events import SyncReported
from tests.net.test_cli import HOST_ARGS
from tests.support import RawGuest
from testsupport.measure import write_test_tone


def stream(state: str, lost_ms: int, buffered_ms: int = 900) -> dict:
    return {"errorUs": 40, "uncertaintyUs": 300, "streamState": state,
            "bufferedMs": buffered_ms, "lostMs": lost_ms}


async def test_the_host_prints_a_member_stream_event_when_its_words_change(cli, tmp_path):
    write_test_tone(tmp_path / "Song.wav", 30)
    host = await cli("host", *HOST_ARGS, "--no-audio", "--music", str(tmp_path / "Song.wav"),
                     "--play")
    hosting = await host.event("hosting")
    await host.event("player", playing=True)
    raw = await RawGuest.connect(hosting["port"])
    assert (await raw.join(hosting["sessionId"], "ana", "Ana"))["type"] == "WELCOME"
    await host.event("member_joined")

    await raw.send("SYNC_REPORT", stream("buffering", 0, 0))
    assert await host.event("member_stream") == {
        "event": "member_stream", "deviceId": "ana", "name": "Ana", "status": "buffering"}
    await raw.send("SYNC_REPORT", stream("playing", 0))
    assert (await host.event("member_stream"))["status"] is None
    await raw.send("SYNC_REPORT", stream("behind", 400, 100))
    assert (await host.event("member_stream"))["status"] == "behind, catching up"
    await raw.send("SYNC_REPORT", stream("playing", 400))
    assert (await host.event("member_stream"))["status"] == "lost 0.4 s of audio"
    await raw.send("SYNC_REPORT", stream("playing", 400))          # nothing new: no event
    await raw.send("SYNC_REPORT", {"errorUs": 1, "uncertaintyUs": 2, "streamState": 7,
                                   "bufferedMs": "x", "lostMs": -1})   # all wrong: no news
    await raw.send("SYNC_REPORT", stream("behind", 900, 50))
    assert (await host.event("member_stream"))["status"] == "behind, catching up"
    assert [e["status"] for e in host.named("member_stream")] == [
        "buffering", None, "behind, catching up", "lost 0.4 s of audio", "behind, catching up"]
    assert host.named("member_left") == []        # wrong fields closed nothing

    await raw.send("LEAVE", {"reason": "done"})
    await host.event("member_left")
    await raw.close()
    host.write("end")
    assert await host.finish() == 0


def printed(as_json: bool, events: list) -> list[str]:
    out = io.StringIO()
    config = party_config(party_name="Friday", host_name="Dee", host_id="host-1",
                          max_members=8, heartbeat_timeout_ms=15_000, grace_ms=0)
    on_event = host_event_printer(Printer(as_json, out), HostServer(config, port=0))
    for event in events:
        on_event(event)
    return out.getvalue().splitlines()


def test_a_skipped_track_is_an_event_and_a_line_for_people():
    skipped = TrackSkipped("Broken Song", "broken.mp3 is damaged and cannot be played")
    assert [json.loads(line) for line in printed(True, [skipped])] == [{
        "event": "track_skipped", "title": "Broken Song",
        "message": "broken.mp3 is damaged and cannot be played"}]
    assert printed(False, [skipped]) == [
        "Skipped Broken Song: broken.mp3 is damaged and cannot be played"]


def test_stream_words_in_lines_for_people():
    reports = [SyncReported("ana", 0, 0, {"streamState": "buffering", "bufferedMs": 0,
                                          "lostMs": 0}),
               SyncReported("ana", 0, 0, {"streamState": "playing", "bufferedMs": 900,
                                          "lostMs": 0}),
               SyncReported("ana", 0, 0, None),      # a playback/1 report: no news
               SyncReported("ana", 0, 0, {"streamState": "behind"})]
    assert printed(False, reports) == ["ana (ana): buffering", "ana (ana): back to normal",
                                       "ana (ana): behind, catching up"]
