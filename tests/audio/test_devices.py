"""Output devices: the clocked fake sound card, and miniaudio's NULL backend."""

import threading
import time

import pytest

from loudsync_desktop.audio import devices
from loudsync_desktop.audio.devices import PERIOD_FRAMES, Emitted, MiniaudioOutputDevice
from loudsync_desktop.clock import SystemClock
from loudsync_desktop.protocol.playback import SAMPLE_RATE

from .helpers import wait_for


class Calls:
    """A render callback that notes (frames, leave_local_us, when it was called)."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, float, int]] = []
        self.lock = threading.Lock()

    def __call__(self, frames: int, leave_local_us: float) -> bytes:
        with self.lock:
            self.calls.append((frames, leave_local_us, time.monotonic_ns()))
        return bytes(frames * 4)

    def __len__(self) -> int:
        with self.lock:
            return len(self.calls)


def run_device(device, periods: int, timeout: float = 10.0) -> tuple[Calls, int]:
    """Run until ``periods`` were rendered: the calls, and how many came before stop()
    (stopping wakes the device's wait, and it renders one last period at once)."""
    render = Calls()
    device.start(render)
    try:
        wait_for(lambda: len(render) >= periods, timeout=timeout, what=f"{periods} periods")
        with render.lock:
            before_stop = len(render.calls)
    finally:
        device.stop()
    return render, before_stop


def test_the_test_device_plays_in_real_time_and_stamps_each_period():
    clock = SystemClock(offset_ms=3_000, drift_ppm=100)
    device = devices.TestOutputDevice(clock)
    emitted: list[Emitted] = []
    device.on_emit = emitted.append
    started = time.monotonic_ns()
    render, before_stop = run_device(device, 25)         # 0.5 s of audio
    calls = render.calls[:before_stop]
    assert device.emitted == emitted[:len(device.emitted)]
    assert len(calls) >= 25 and all(frames == PERIOD_FRAMES for frames, _, _ in calls)
    # The device may have emitted a period more than the renderer's calls were cut at.
    for (_, leave_us, called_ns), out in zip(calls, device.emitted, strict=False):
        # Never early: a period is asked for when it is due, not before ...
        assert called_ns >= out.true_ns
        # ... and stamped with the device clock's reading at that instant.
        assert leave_us == clock.reading_at(out.true_ns) * 1000
    # Paced by the clock: 25 periods take 0.48 s at least, never less. How late a busy
    # machine lets the thread run is a speed figure, printed, not asserted.
    elapsed = (calls[24][2] - started) / 1e9
    assert elapsed >= 24 * PERIOD_FRAMES / SAMPLE_RATE
    lateness_ms = sorted((c - e.true_ns) / 1e6 for (_, _, c), e in zip(calls, device.emitted,
                                                                 strict=False))
    print(f"\n25 periods in {elapsed:.3f} s; median lateness "
          f"{lateness_ms[len(lateness_ms) // 2]:.2f} ms")
    # Stopped: no more periods.
    count = len(render)
    time.sleep(0.1)
    assert len(render) == count and device._thread is None


@pytest.mark.parametrize("card_ppm", [500, -500])
def test_the_test_device_rate_error_shows_in_its_timestamps(card_ppm):
    clock = SystemClock(drift_ppm=-50)
    device = devices.TestOutputDevice(clock, rate_error_ppm=card_ppm)
    render, before_stop = run_device(device, 12)
    emitted = device.emitted
    n = before_stop - 1
    # The card plays rate * (1 + error) frames a second of true time ...
    true_rate = n * PERIOD_FRAMES / ((emitted[n].true_ns - emitted[0].true_ns) / 1e9)
    assert true_rate / SAMPLE_RATE - 1 == pytest.approx(card_ppm / 1e6, abs=1e-6)
    # ... and its stamps, on a clock 50 ppm slow, show both errors.
    calls = render.calls
    local_rate = n * PERIOD_FRAMES / ((calls[n][1] - calls[0][1]) / 1e6)
    expected = (1 + card_ppm / 1e6) / (1 - 50 / 1e6)
    # Within 10 ppm: wall-clock-sized µs floats carry a quarter µs over ~0.25 s here.
    assert local_rate / SAMPLE_RATE == pytest.approx(expected, abs=1e-5)
    assert abs(local_rate / SAMPLE_RATE - (1 + card_ppm / 1e6)) > 4e-5   # the clock shows


def test_miniaudio_null_backend_starts_renders_and_stops():
    miniaudio = pytest.importorskip("miniaudio")
    clock = SystemClock()
    device = MiniaudioOutputDevice(clock, buffer_ms=60, backends=[miniaudio.Backend.NULL])
    render = Calls()
    before_us = clock.now_precise_ms() * 1000
    try:
        device.start(render)
    except Exception as exc:  # noqa: BLE001 - which error a backend raises varies
        device.stop()
        pytest.skip(f"miniaudio's NULL backend cannot start here: {exc!r}")
    try:
        wait_for(lambda: len(render) >= 4, timeout=10, what="the NULL device to ask for audio")
    finally:
        device.stop()
    stopped = len(render)
    time.sleep(0.2)
    assert len(render) == stopped, "render called after stop()"
    assert device._device is None
    calls = render.calls
    assert all(frames > 0 for frames, _, _ in calls)
    # Each period is stamped about one buffer ahead of when it was asked for, never
    # in the past, and the stamps go forward.
    for _, leave_us, _ in calls:
        assert leave_us >= before_us
    leaves = [leave for _, leave, _ in calls]
    assert leaves == sorted(leaves)
    # Stopping twice is harmless.
    device.stop()


class SilenceThenSound:
    """A render callback: ``silent`` periods of zeros, then sound (one non-zero sample)."""

    def __init__(self, silent: int) -> None:
        self.silent = silent
        self.calls = 0

    def __call__(self, frames: int, leave_local_us: float) -> bytes:
        self.calls += 1
        data = bytearray(frames * 4)
        if self.calls > self.silent:
            data[-1] = 1   # the quietest sound there is still counts
        return bytes(data)


def read_report(path) -> list[dict]:
    import json
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_the_test_device_notes_when_sound_first_and_last_left_it(tmp_path):
    report = tmp_path / "out.jsonl"
    device = devices.TestOutputDevice(SystemClock(), report_to=report)
    render = SilenceThenSound(silent=5)
    device.start(render)
    try:
        # Over a second: the periodic line comes too.
        wait_for(lambda: any("soundNs" in line for line in read_report(report)), timeout=10,
                 what="the periodic report")
    finally:
        device.stop()
    emitted = device.emitted
    assert device.first_sound_ns == emitted[5].true_ns      # the 6th period, not the 1st
    assert device.silent_periods == 5
    assert device.sound_periods == len(emitted) - 5
    assert device.last_sound_ns == emitted[-1].true_ns
    lines = read_report(report)
    assert lines[0] == {"firstSoundNs": emitted[5].true_ns}
    assert [line for line in lines if "firstSoundNs" in line] == lines[:1]   # once
    periodic = lines[1:]
    assert periodic and all(line["silentPeriods"] == 5 for line in periodic)
    # The last line, written at stop, has it all.
    assert periodic[-1] == {"soundNs": device.last_sound_ns, "periods": device.sound_periods,
                            "silentPeriods": 5}
    counts = [line["periods"] for line in periodic]
    assert counts == sorted(counts) and counts[0] >= 40   # a second of sound before the first


def test_the_test_device_that_only_played_silence_reports_no_sound(tmp_path):
    report = tmp_path / "out.jsonl"
    device = devices.TestOutputDevice(SystemClock(), keep_emitted=False, report_to=report)
    run_device(device, 10)
    assert device.first_sound_ns is None and device.sound_periods == 0
    assert device.silent_periods >= 10 and device.emitted == []   # kept none, as asked
    assert read_report(report)[-1] == {"soundNs": None, "periods": 0,
                                       "silentPeriods": device.silent_periods}


def test_the_test_output_hook_picks_the_test_device(tmp_path, monkeypatch):
    from loudsync_desktop.control.speakers import default_output
    clock = SystemClock()
    monkeypatch.delenv(devices.TEST_OUTPUT_ENV, raising=False)
    assert isinstance(default_output(clock), MiniaudioOutputDevice)
    monkeypatch.setenv(devices.TEST_OUTPUT_ENV, str(tmp_path / "out.jsonl"))
    device = default_output(clock)
    assert isinstance(device, devices.TestOutputDevice)
    assert device.report_to == tmp_path / "out.jsonl" and not device.keep_emitted
