#!/usr/bin/env python3
"""Screenshots of the Player Room at 440, 660 and 1280 px wide, host and guest, light and
dark, into screenshots/room/ (for review by eye; run like scripts/screenshots.py):

    xvfb-run -a -s "-screen 0 1400x900x24" scripts/in-private-net.sh \\
        .venv/bin/python scripts/room_screenshots.py
"""

from __future__ import annotations

import asyncio
import sys

import screenshots as shots   # scripts/ is on sys.path when this script runs
from screenshots import OUT, host, make_window, set_dark_palette, shoot, until

from loudsync_desktop.audio.measure import write_test_tone

WIDTHS = ((440, 560), (660, 720), (1280, 820))


async def main() -> None:
    (OUT / "room").mkdir(parents=True, exist_ok=True)
    hosty = make_window("Hosty")
    hosty.home.ui.hostButton.click()
    hosty.host_page.ui.accessCombo.setCurrentIndex(1)      # a PIN party
    hosty.host_page.ui.pinEdit.setText("4821")
    await host(hosty, "Rooftop Party", 8)
    gina = make_window("Gina")
    gina.home.ui.joinButton.click()
    gina.join_page.ui.addressEdit.setText(f"127.0.0.1:{hosty.model.port}")
    gina.join_page.ui.addressJoinButton.click()
    await until(lambda: gina.pin_dialog is not None, what="the PIN question")
    gina.pin_dialog.setTextValue("4821")
    gina.pin_dialog.accept()
    await until(lambda: hosty.model.memberCount == 2, what="2 members")
    music = shots.SETTINGS_DIR / "music"
    music.mkdir(exist_ok=True)
    for title, seconds in (("Sunset Drive", 200), ("City Lights", 30),
                           ("A Very Long Title That Cannot Possibly Fit In One Row", 20)):
        write_test_tone(music / f"{title}.wav", seconds)
        await hosty.model.player.add_files([str(music / f"{title}.wav")])
    hosty.model.player.toggle()
    await until(lambda: "In sync" in gina.model.player.sync_text, what="the guest in sync")
    hosty.room.ui.queueList.setCurrentIndex(hosty.room.ui.queueList.model().index(1, 0))
    for theme in ("light", "dark"):
        if theme == "dark":
            set_dark_palette()
        for width, height in WIDTHS:
            for name, window in (("host", hosty), ("guest", gina)):
                window.resize(width, height)
                await asyncio.sleep(0.3)
                await shoot(f"room/{name}-{width}-{theme}", window)
                if not window.room.two_columns:   # and the rest of the one column
                    bar = window.room.ui.scrollArea.verticalScrollBar()
                    bar.setValue(bar.maximum())
                    await shoot(f"room/{name}-{width}-{theme}-end", window)
                    bar.setValue(0)
    for window in shots.windows:
        window.quit_now()
    await asyncio.sleep(1)


if __name__ == "__main__":
    shots.main = main
    sys.exit(shots.run())
