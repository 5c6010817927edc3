"""The clock estimate the audio thread reads: one immutable fit, replaced whole."""

import dataclasses
import threading

import pytest

from loudsync_desktop.protocol.clocksync import ClockFit, ClockSync


def exchange(sync: ClockSync, second: int, offset_us: float = 2500.0, rtt_us: float = 800.0):
    t0 = second * 1e6
    t1 = t0 + rtt_us / 2 + offset_us
    sync.add_exchange(t0, t1, t1, t0 + rtt_us)


def test_before_any_exchange_the_fit_maps_the_clock_to_itself():
    sync = ClockSync()
    assert sync.fit == ClockFit() and not sync.synced
    assert sync.host_us(123.0) == 123.0 and sync.local_us(123.0) == 123.0


def test_every_exchange_publishes_a_new_fit_and_leaves_the_old_one_whole():
    sync = ClockSync()
    seen = []
    for second in range(6):
        before = sync.fit
        copy = dataclasses.replace(before)
        exchange(sync, second, offset_us=2500.0 + 10 * second)
        assert sync.fit is not before and before == copy   # never changed in place
        seen.append(sync.fit)
    assert [f.samples_used for f in seen] == [1, 2, 3, 4, 5, 6]
    assert seen[-1].slope != 0.0 and sync.drift_ppm == pytest.approx(seen[-1].slope * 1e6)
    with pytest.raises(dataclasses.FrozenInstanceError):
        seen[-1].slope = 0.0   # type: ignore[misc]


def test_a_reader_on_another_thread_only_ever_sees_published_fits():
    sync = ClockSync()
    published = {id(sync.fit): sync.fit}
    seen: list[ClockFit] = []
    stop = threading.Event()

    def audio_thread() -> None:
        while not stop.is_set():
            seen.append(sync.fit)

    reader = threading.Thread(target=audio_thread, name="test-audio")
    reader.start()
    try:
        for second in range(200):
            exchange(sync, second, offset_us=1000.0 + second)
            published[id(sync.fit)] = sync.fit
    finally:
        stop.set()
        reader.join(5)
    assert seen and all(published.get(id(f)) is f for f in seen)
