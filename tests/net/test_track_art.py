"""Cover art: read from the file on the host, passed to guests with the track, shown by the app.

Real files (a FLAC made with sox, its cover embedded with mutagen), a real host and guest on
loopback, real Qt image decoding offscreen. A guest's cover came over the network, so a
broken, mislabelled or enormous image must be no cover, never a crash or a memory bomb."""

from __future__ import annotations

import base64
import json
import struct
import subprocess
import zlib

import pytest
from mutagen.flac import FLAC, Picture

from loudsync_desktop.net.playback_guest import GuestPlayback
from loudsync_desktop.clock import SystemClock
from loudsync_desktop.protocol.playback import (MAX_ART_BYTES, TRACK_ART, PlayState, Track,
                                                TrackArt, player_state, track_art)
from tests.support import wait_until

from .playback_party import Party
from testsupport.measure import Laptop

pytestmark = pytest.mark.timeout(60)


def png(width: int, height: int, rgb=(200, 30, 60)) -> bytes:
    """A real PNG of one colour (zlib, no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    row = b"\0" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def flac_with_cover(path, cover: bytes | None, seconds: int = 4) -> None:
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", str(path), "synth", str(seconds),
                    "sine", "440"], check=True)
    audio = FLAC(path)
    audio["title"] = "Covered"
    if cover is not None:
        picture = Picture()
        picture.type = 3
        picture.mime = "image/png"
        picture.data = cover
        audio.add_picture(picture)
    audio.save()


@pytest.fixture
async def party():
    party = await Party(Laptop("host")).start()
    yield party
    await party.close()


async def test_the_current_tracks_cover_reaches_every_guest_also_one_joining_later(party,
                                                                                   tmp_path):
    cover = png(40, 30)
    flac_with_cover(tmp_path / "covered.flac", cover)
    flac_with_cover(tmp_path / "bare.flac", None)
    early = await party.join(Laptop("early"))
    covered = await party.playback.add_file(tmp_path / "covered.flac")
    await party.playback.add_file(tmp_path / "bare.flac")
    await wait_until(lambda: early.playback.art is not None, what="the cover at the guest")
    assert early.playback.art == TrackArt(covered.track_id, "image/png", cover)
    assert party.playback.art == early.playback.art
    late = await party.join(Laptop("late"))
    await wait_until(lambda: late.playback.art is not None, what="the cover at the late joiner")
    assert late.playback.art.data == cover


async def test_a_cover_too_big_to_pass_on_stays_on_the_host(party, tmp_path):
    flac_with_cover(tmp_path / "huge.flac", png(1, 1) + b"\0" * (MAX_ART_BYTES + 1))
    guest = await party.join(Laptop("guest"))
    track = await party.playback.add_file(tmp_path / "huge.flac")
    await wait_until(lambda: any(t.track_id == track.track_id
                                 for t in guest.playback.state.queue), what="the track queued")
    # The host looked for it and found none it may pass on: nothing was sent.
    await wait_until(lambda: party.playback._art_task is not None
                     and party.playback._art_task.done(), what="the host to read the cover")
    assert party.playback.art is None and guest.playback.art is None


@pytest.mark.parametrize("payload", [
    {"trackId": "t", "mime": "image/png", "data": "not base64!"},
    {"trackId": "t", "mime": "text/html", "data": base64.b64encode(b"<b>").decode()},
    {"trackId": "t", "mime": "image/png", "data": "A" * (MAX_ART_BYTES * 2)},
    {"trackId": 5, "mime": "image/png", "data": ""},
    "a string",
])
def test_a_malformed_cover_message_is_ignored(payload):
    guest = GuestPlayback(SystemClock())
    frame = f'{{"type":"{TRACK_ART}","payload":{json.dumps(payload, separators=(",", ":"))}}}'
    guest.on_frame(frame, 0.0)
    assert guest.art is None


def cover_of(qapp, data: bytes, mime: str = "image/png"):
    from loudsync_desktop.model.player_model import PlayerModel
    guest = GuestPlayback(SystemClock())
    model = PlayerModel()
    model.attach_guest(guest)
    track = Track("t1", "A song", "", 1000, 10, "flac")
    guest.on_frame(player_state(PlayState(queue=(track,), index=0)), 0.0)
    guest.on_frame(track_art(TrackArt("t1", mime, data)), 0.0)
    return model.cover(72)


def test_the_app_shows_a_cover_scaled_to_its_place(qapp):
    image = cover_of(qapp, png(400, 200))
    assert image is not None and (image.width(), image.height()) == (72, 36)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + b"garbage" * 50,                  # a damaged image
    png(1, 1)[:16] + struct.pack(">II", 100_000, 100_000) + png(1, 1)[24:],   # a memory bomb
    b"",
])
def test_a_broken_or_enormous_cover_is_no_cover(qapp, data):
    assert cover_of(qapp, data) is None
