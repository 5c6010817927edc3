"""The real app, driven from inside its own process: ``python -m tests.gui.app_driver MODE``.

``loudsync_desktop.app.main()`` runs unchanged (its start-up check, qasync loop, shutdown);
``build_window`` is only wrapped to get hold of the window and run a script on the app's loop.

Modes:
  ui-calls           100,000 property updates and signal emits through the real models and
                     widgets, then close the window.
  party MUSIC_FILE   host a party, play MUSIC_FILE through the real output device, move the
                     volume and seek many times, then close the window and confirm.

Prints ``driver: ...`` lines and ``driver: done`` at the end. A failed step prints its
traceback and makes the exit code 3; otherwise the exit code is main()'s.
"""

from __future__ import annotations

import asyncio
import sys
import traceback

import PySide6  # noqa: F401  (before qasync, see ENVIRONMENT.md)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractSlider, QPushButton

import loudsync_desktop.app as app
from loudsync_desktop.model.session_model import HOSTING

UI_CALLS = 100_000
VOLUME_MOVES = 300
SEEKS = 80
STEP_TIMEOUT_S = 15.0
failed = False


def say(text: str) -> None:
    print(f"driver: {text}", flush=True)


async def wait_until(condition, what: str, timeout: float = STEP_TIMEOUT_S) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.01)


def refcounts() -> str:
    return f"None {sys.getrefcount(None)}, True {sys.getrefcount(True)}"


async def ui_calls(window, _args) -> None:
    room, model, player = window.room, window.model, window.model.player
    say(f"before: {refcounts()}")
    calls = 0
    i = 0
    while calls < UI_CALLS:
        player.positionChanged.emit(i % 600_000)   # the room shows the time and moves the slider
        player.stateChanged.emit()                  # the room redraws the whole player
        room.ui.volumeSlider.setValue(i % 101)      # a property the person moves
        model.memberCountChanged.emit(1 + i % 8)    # the room's "connected" count
        calls += 4
        i += 1
        if i % 1000 == 0:
            await asyncio.sleep(0)                  # the loop's own timers run in between
    say(f"after {calls} calls: {refcounts()}")
    window.close()   # not in a party: closes at once


async def party(window, args) -> None:
    model, ui = window.model, window.room.ui
    player = model.player
    assert await model.host_party("Long Party", "Ana", 8), "host_party failed"
    await wait_until(lambda: model.status == HOSTING, "hosting")
    say(f"hosting {model.code} at {', '.join(model.addresses)}")
    assert await player.add_files([args[0]]) == 1, "the music was not added"
    await wait_until(ui.playPauseButton.isEnabled, "Play enabled")
    ui.playPauseButton.click()
    await wait_until(lambda: player.playing and player.positionMs > 200, "music playing")
    say(f"playing; audio note: {player.audio_note or '(none)'}")
    for i in range(VOLUME_MOVES):
        ui.volumeSlider.setValue((i * 37) % 101)
        if i % 25 == 0:
            await asyncio.sleep(0.005)
    slider = ui.positionSlider
    duration = player.durationMs
    for i in range(SEEKS):
        if i % 2:
            slider.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
        else:   # a drag: press, move, release
            slider.setSliderDown(True)
            slider.setValue((i * 7919) % max(1, duration - 2000))
            slider.setSliderDown(False)
        await asyncio.sleep(0.005)
    target = duration // 3
    slider.setSliderDown(True)
    slider.setValue(target)
    slider.setSliderDown(False)
    await wait_until(lambda: player.playing and abs(player.positionMs - target) < 1500,
                     f"playing near {target} ms after the last seek")
    say(f"after {VOLUME_MOVES} volume moves and {SEEKS + 1} seeks: at {player.positionMs} ms, "
        f"volume {player.volume:.2f}")
    window.close()   # hosting: LoudSync asks first
    await wait_until(lambda: window.alerts.active is not None, "the quit question")
    window.alerts.active.findChild(QPushButton, "confirmButton").click()


MODES = {"ui-calls": ui_calls, "party": party}


def drive(window, script, args) -> None:
    async def run() -> None:
        global failed
        try:
            await wait_until(window.isVisible, "the window shown")
            await script(window, args)
            say("done")
        except BaseException:
            failed = True
            traceback.print_exc()
            window.quit_now()
    window.run(run())


def main(argv: list[str]) -> int:
    script, args = MODES[argv[0]], argv[1:]
    real_build_window = app.build_window

    def build_window(*a, **kw):
        window = real_build_window(*a, **kw)
        QTimer.singleShot(0, lambda: drive(window, script, args))
        return window

    app.build_window = build_window
    code = app.main([])
    return 3 if failed else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
