"""What the host is told of each guest's stream, from real guests on real sockets.

A guest reports its stream's health in SYNC_REPORT (StreamHealth); the host turns the reports
into words (MemberStreams). A guest whose link stalls for longer than the buffer loses audio,
and the host must learn so from that guest, and only from that guest."""

from __future__ import annotations

import pytest

from loudsync_desktop.protocol import events as ev
from loudsync_desktop.protocol.messages import LOST_MS_FIELD, STATE_FIELD, STREAM_PLAYING
from loudsync_desktop.protocol.stream_health import MemberStreams
from tests.support import wait_until
from testsupport.measure import Laptop, write_test_tone

from .playback_party import Party

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
async def party():
    party = await Party(Laptop("host")).start()
    yield party
    await party.close()


async def test_a_guest_whose_link_stalls_past_its_buffer_tells_the_host_it_lost_audio(
        party, tmp_path):
    track = tmp_path / "tone.wav"
    write_test_tone(track, 30)
    reports: dict[str, list[dict]] = {"steady": [], "stalled": []}
    views = MemberStreams()

    def on_event(event) -> None:
        if isinstance(event, ev.SyncReported) and event.stream is not None:
            reports[event.device_id].append(dict(event.stream))
            views.report(event.device_id, event.stream, int(party.now_us() // 1000))

    party.server.add_listener(on_event)
    steady = await party.join(Laptop("steady"))
    # The stalled guest's link holds everything back for 2.5 s, 6 s after it was made.
    relay = await party.relay(stall_at_s=6.0, stall_ms=2_500)
    await party.join(Laptop("stalled"), via=relay)
    await party.playback.add_file(track)
    party.playback.play()
    await wait_until(lambda: any(r.get(STATE_FIELD) == STREAM_PLAYING for r in reports["steady"]),
                     what="the steady guest to report that it plays")
    await wait_until(lambda: any(r.get(LOST_MS_FIELD, 0) >= 1_000 for r in reports["stalled"]),
                     what="the stalled guest to report what it lost")
    await wait_until(lambda: (views.status("stalled") or "").startswith("lost "),
                     what="the host's words for the stalled guest")
    # Its neighbour lost nothing and is told of as all well.
    assert all(r.get(LOST_MS_FIELD) == 0 for r in reports["steady"])
    assert views.status("steady") is None
    assert steady.playback.health.fields(int(party.now_us()))[LOST_MS_FIELD] == 0


def test_a_guest_says_it_buffers_only_until_its_first_sound():
    from loudsync_desktop.clock import SystemClock
    from loudsync_desktop.net.playback_guest import GuestPlayback
    from loudsync_desktop.protocol.messages import STREAM_BUFFERING, encode
    from loudsync_desktop.protocol.stream import STREAM_START, StreamStart

    guest = GuestPlayback(SystemClock())
    guest.on_frame(encode(STREAM_START, StreamStart("pcm").to_wire()), 0.0)
    assert guest.stream_state() == STREAM_BUFFERING
    guest.engine.played_frames += 960          # the speakers let out its first chunk
    assert guest.stream_state() != STREAM_BUFFERING
