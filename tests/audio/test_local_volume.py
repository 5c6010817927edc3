"""Each laptop's own volume: on top of the party's, in the engine only, at C speed."""

import array
import random

from loudsync_desktop.audio.engine import PlaybackEngine, apply_gain
from loudsync_desktop.protocol.playback import HostPlayer

from .helpers import playing, track
from .test_engine import push_stream

T = track()


def test_apply_gain_is_exact_for_every_sample_value():
    """floor(x · g / 65536) for every 16-bit value, at the ends too: no lane bleeds into
    its neighbour, whatever the samples and the gain."""
    values = array.array("h", range(-32768, 32768))
    for gain in (1, 2, 255, 16384, 32768, 40000, 65535):
        assert list(apply_gain(values, gain)) == [(x * gain) >> 16 for x in values]
    shuffled = array.array("h", random.Random(7).sample(range(-32768, 32768), 4000))
    assert list(apply_gain(shuffled, 23456)) == [(x * 23456) >> 16 for x in shuffled]
    assert apply_gain(values, 65536) is values and list(apply_gain(values[:3], 0)) == [0, 0, 0]


def test_local_volume_multiplies_the_party_volume_and_mute_silences():
    engine = PlaybackEngine()
    push_stream(engine, 0, 20)
    engine.state = playing(T, start_at_us=0, volume=0.8)
    engine.local_volume = 0.5
    out = array.array("h", engine.render(960, 100_000))
    factor = round((0.8 * 0.5) ** 2 * 65536)          # the product, squared like the party's
    assert list(out[0::2][:3]) == [(x * factor) >> 16 for x in (4800, 4801, 4802)]
    engine.local_volume = 0.0
    assert set(engine.render(960, 120_000)) == {0}


def test_the_host_reorders_and_restores_without_touching_the_timeline():
    player = HostPlayer()
    tracks = [track(f"t{i}") for i in range(4)]
    for t in tracks:
        player.add(t)
    player.jump(1, 0)
    player.play(0)
    start = player.state.start_at_us
    state = player.move(3, 0)
    assert [t.track_id for t in state.queue] == ["t3", "t0", "t1", "t2"]
    assert state.current.track_id == "t1" and state.start_at_us == start and state.playing
    state = player.add(tracks[0], 0)                    # an undone removal goes back in place
    assert state.current.track_id == "t1" and state.index == 3
    assert player.move(9, 0) is state and player.move(2, 2) is state   # nothing to move
