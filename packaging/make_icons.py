#!/usr/bin/env python3
"""Render the app icon from resources/icons/loudsync.svg into what each platform wants.

    .venv/bin/python packaging/make_icons.py [OUT_DIR]      (default: build/icons)

Writes, into OUT_DIR (a build output, never committed):
  png/loudsync-<N>.png   N = 16, 24, 32, 48, 64, 128, 256, 512, 1024 (Linux hicolor sizes)
  loudsync.ico           16..256, for Windows (the .exe icon)
  loudsync.icns          16..1024, for macOS (the .app icon)
  loudsync.svg           the source, for Linux's hicolor/scalable

The SVG is rendered by QtSvg into a transparent QImage at each size (so small sizes are drawn
for their size, not scaled down from a large bitmap); Pillow (the ``packaging`` extra) writes
the .ico and .icns. Without Pillow, only the PNGs are written.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import buildinfo  # noqa: E402

SOURCE = buildinfo.ROOT / "resources" / "icons" / "loudsync.svg"
DEFAULT_OUT = buildinfo.ROOT / "build" / "icons"


def render_pngs(out: Path, sizes=buildinfo.PNG_SIZES) -> dict[int, Path]:
    # No window is shown: the offscreen platform works everywhere, also on CI without a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot render {SOURCE}")
    (out / "png").mkdir(parents=True, exist_ok=True)
    written = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = out / "png" / f"loudsync-{size}.png"
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"cannot write {path}")
        written[size] = path
    return written


def write_ico_icns(out: Path, pngs: dict[int, Path]) -> list[Path]:
    try:
        from PIL import Image
    except ImportError:
        print("make_icons: Pillow is not installed (pip install -e '.[packaging]'): "
              "no .ico/.icns written", file=sys.stderr)
        return []
    biggest = Image.open(pngs[max(pngs)]).convert("RGBA")
    ico = out / "loudsync.ico"
    # Pillow takes the largest image and the list of sizes; give it each rendered size so small
    # sizes keep QtSvg's rendering instead of a downscale.
    frames = [Image.open(pngs[s]).convert("RGBA") for s in buildinfo.ICO_SIZES]
    frames[-1].save(ico, format="ICO", sizes=[(s, s) for s in buildinfo.ICO_SIZES],
                    append_images=frames[:-1])
    icns = out / "loudsync.icns"
    biggest.save(icns, format="ICNS",
                 append_images=[Image.open(pngs[s]).convert("RGBA") for s in buildinfo.ICNS_SIZES
                                if s != max(pngs)])
    return [ico, icns]


def build(out: Path = DEFAULT_OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    pngs = render_pngs(out)
    shutil.copyfile(SOURCE, out / "loudsync.svg")
    return [*pngs.values(), out / "loudsync.svg", *write_ico_icns(out, pngs)]


def up_to_date(out: Path = DEFAULT_OUT) -> bool:
    """True if every icon exists and is newer than the SVG (the spec uses this)."""
    wanted = [out / "png" / f"loudsync-{s}.png" for s in buildinfo.PNG_SIZES]
    wanted += [out / "loudsync.svg", out / "loudsync.ico", out / "loudsync.icns"]
    source_time = SOURCE.stat().st_mtime
    return all(p.exists() and p.stat().st_mtime >= source_time for p in wanted)


def main(argv: list[str]) -> int:
    out = Path(argv[0]).resolve() if argv else DEFAULT_OUT
    files = build(out)
    print(f"icons: {len(files)} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
