"""The GUI host with a long queue, driven from inside (for bench/memory.py --gui).

    scripts/in-private-net.sh python bench/memory_gui.py SECONDS TRACK...

Runs the real app through tests/gui/app_driver.py (its ``main`` wraps ``build_window`` and
runs a script on the app's loop): hosts a party, queues TRACK... through the player model as
the file dialog would, presses Play, then prints ``driver: rss {json}`` twice a second for
SECONDS of play (its own RSS, psutil), and quits as a person would (confirming). Needs
``QT_QPA_PLATFORM=offscreen`` and, since a hosting app advertises, a private network.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))   # after PYTHONPATH: --repo wins

import psutil  # noqa: E402

from tests.gui import app_driver  # noqa: E402
from tests.gui.app_driver import say, wait_until  # noqa: E402

from loudsync_desktop.model.session_model import HOSTING  # noqa: E402


def rss_line(queued: int, playing: bool) -> None:
    say("rss " + json.dumps({"rss": psutil.Process().memory_info().rss, "queued": queued,
                             "playing": playing}))


async def long_queue(window, args) -> None:
    seconds, tracks = float(args[0]), args[1:]
    model, ui, player = window.model, window.room.ui, window.model.player
    rss_line(0, False)
    assert await model.host_party("Long Party", "Ana", 8), "host_party failed"
    await wait_until(lambda: model.status == HOSTING, "hosting")
    added = await player.add_files(tracks)
    say(f"queued {added} of {len(tracks)}")
    await wait_until(ui.playPauseButton.isEnabled, "Play enabled")
    ui.playPauseButton.click()
    await wait_until(lambda: player.playing and player.positionMs > 200, "music playing", 60)
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while loop.time() < end:
        rss_line(added, True)
        await asyncio.sleep(0.5)
    rss_line(added, True)
    window.close()   # hosting: LoudSync asks first
    await wait_until(lambda: window.alerts.active is not None, "the quit question")
    from PySide6.QtWidgets import QPushButton
    window.alerts.active.findChild(QPushButton, "confirmButton").click()


if __name__ == "__main__":
    app_driver.MODES["long-queue"] = long_queue
    sys.exit(app_driver.main(["long-queue", *sys.argv[1:]]))
