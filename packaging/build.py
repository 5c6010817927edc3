#!/usr/bin/env python3
"""Build the LoudSync app bundle for this platform: the one build command.

    .venv/bin/python packaging/build.py            (or: python packaging/build.py on CI)

Steps:
  1. installs the ``packaging`` extra of pyproject.toml (PyInstaller, Pillow) if missing;
  2. compiles the Designer forms and resources (scripts/build_ui.py);
  3. renders the icons (packaging/make_icons.py) into build/icons;
  4. runs PyInstaller with packaging/loudsync.spec: dist/loudsync/ (and dist/LoudSync.app on
     macOS);
  5. packs the result: Linux dist/loudsync-VERSION-linux-ARCH.tar.gz (with a menu entry,
     AppStream metadata, icons and install.sh), Windows a .zip, macOS a .dmg (hdiutil);
  6. prints the bundle's size and the archive's.

Options: --dist DIR and --build DIR move dist/ and build/; --skip-ui leaves the generated forms
alone (the tests use it: they must not rewrite the source tree); --no-archive; --clean makes
PyInstaller start from scratch; --json prints one JSON line with the results at the end.

Exit codes: 0 built; 1 the build failed; 3 PyInstaller could not be installed (no network?).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import buildinfo  # noqa: E402

ROOT = buildinfo.ROOT
SPEC = HERE / "loudsync.spec"
LINUX = HERE / "linux"
EXIT_NO_PYINSTALLER = 3


def say(text: str) -> None:
    print(f"build: {text}", flush=True)


def ensure_tools() -> None:
    """Install the packaging extra (PyInstaller, Pillow) into this Python if missing."""
    missing = [name for name in ("PyInstaller", "PIL") if importlib.util.find_spec(name) is None]
    if not missing:
        return
    requirements = buildinfo.packaging_requirements()
    say(f"installing {', '.join(requirements)}")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                             "--disable-pip-version-check", *requirements])
    importlib.invalidate_caches()
    if result.returncode != 0 or importlib.util.find_spec("PyInstaller") is None:
        print(f"build: PyInstaller cannot be installed ({' '.join(requirements)}): "
              "pip failed (no network?)", file=sys.stderr)
        sys.exit(EXIT_NO_PYINSTALLER)


def check_versions() -> str:
    """pyproject.toml's version is the one; the package and the AppStream file must agree."""
    version = buildinfo.version()
    init = (ROOT / "loudsync_desktop" / "__init__.py").read_text(encoding="utf-8")
    if f'__version__ = "{version}"' not in init:
        sys.exit(f"build: loudsync_desktop/__init__.py's __version__ is not {version} "
                 "(pyproject.toml's): make them agree")
    metainfo = (LINUX / f"{buildinfo.APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    if f'<release version="{version}"' not in metainfo:
        sys.exit(f"build: packaging/linux/{buildinfo.APP_ID}.metainfo.xml has no <release "
                 f'version="{version}">: add the release')
    return version


def check_system() -> None:
    if sys.platform.startswith("linux"):
        missing = [t for t in ("objdump", "ldd", "strip") if shutil.which(t) is None]
        if missing:
            sys.exit(f"build: PyInstaller needs {', '.join(missing)} on Linux "
                     "(Debian/Ubuntu: apt-get install binutils)")


def check_qt() -> None:
    """A bundle of a PySide6 that leaks on this Python would crash for its users (qt_runtime.py)."""
    from loudsync_desktop.qt_runtime import problem
    message = problem()
    if message:
        sys.exit(f"build: refusing to bundle: {message}")


def run(cmd: list[str], **kwargs) -> None:
    result = subprocess.run(cmd, **kwargs)
    if result.returncode != 0:
        sys.exit(f"build: failed ({result.returncode}): {' '.join(map(str, cmd))}")


def tree_size(path: Path) -> int:
    """Bytes of the files under path (symbolic links count as nothing, as on disk)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def add_linux_files(bundle: Path, icons: Path) -> None:
    """Menu entry, AppStream metadata, icons and install.sh beside the program."""
    share = bundle / "share"
    if share.exists():
        shutil.rmtree(share)
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir(parents=True)
    shutil.copy2(LINUX / f"{buildinfo.DESKTOP_ID}.desktop", share / "applications")
    shutil.copy2(LINUX / f"{buildinfo.APP_ID}.metainfo.xml", share / "metainfo")
    hicolor = share / "icons" / "hicolor"
    for size in buildinfo.PNG_SIZES:
        if size > 512:
            continue   # hicolor stops at 512
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(icons / "png" / f"loudsync-{size}.png", target / "loudsync.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(icons / "loudsync.svg", hicolor / "scalable" / "apps" / "loudsync.svg")
    shutil.copy2(LINUX / "install.sh", bundle / "install.sh")
    (bundle / "install.sh").chmod(0o755)


def make_tarball(bundle: Path, dist: Path, version: str) -> Path:
    top = f"loudsync-{version}-{buildinfo.platform_tag()}"
    path = dist / f"{top}.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=top)   # keeps the symbolic links PyInstaller made
    return path


def make_zip(bundle: Path, dist: Path, version: str) -> Path:
    base = dist / f"loudsync-{version}-{buildinfo.platform_tag()}"
    return Path(shutil.make_archive(str(base), "zip", root_dir=bundle.parent, base_dir=bundle.name))


def make_dmg(app: Path, dist: Path, version: str) -> Path | None:
    if shutil.which("hdiutil") is None:
        say("hdiutil not found: no .dmg")
        return None
    path = dist / f"LoudSync-{version}-{buildinfo.platform_tag()}.dmg"
    path.unlink(missing_ok=True)
    run(["hdiutil", "create", "-volname", buildinfo.APP_NAME, "-srcfolder", str(app),
         "-ov", "-format", "UDZO", str(path)])
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build the LoudSync app bundle.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output (default dist/)")
    parser.add_argument("--build", type=Path, default=ROOT / "build",
                        help="intermediate files (default build/)")
    parser.add_argument("--skip-ui", action="store_true", help="do not run scripts/build_ui.py")
    parser.add_argument("--no-archive", action="store_true", help="no tarball/zip/dmg")
    parser.add_argument("--clean", action="store_true", help="PyInstaller starts from scratch")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON line")
    args = parser.parse_args(argv)
    dist, build = args.dist.resolve(), args.build.resolve()
    started = time.monotonic()

    ensure_tools()
    check_system()
    check_qt()
    version = check_versions()
    say(f"LoudSync {version} for {buildinfo.platform_tag()} (Python {platform.python_version()})")

    if not args.skip_ui:
        run([sys.executable, str(ROOT / "scripts" / "build_ui.py")], cwd=ROOT)

    import make_icons
    icons = build / "icons"
    files = make_icons.build(icons)
    say(f"icons: {len(files)} files in {icons}")

    env = {**os.environ, "LOUDSYNC_BUILD_DIR": str(build)}
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(build / "pyinstaller"), str(SPEC)]
    if args.clean:
        cmd.insert(3, "--clean")
    say("PyInstaller " + " ".join(cmd[3:]))
    run(cmd, cwd=ROOT, env=env)

    bundle = dist / buildinfo.EXE_NAME
    archive = None
    if sys.platform.startswith("linux"):
        add_linux_files(bundle, icons)
        if not args.no_archive:
            archive = make_tarball(bundle, dist, version)
    elif sys.platform == "win32" and not args.no_archive:
        archive = make_zip(bundle, dist, version)
    elif sys.platform == "darwin" and not args.no_archive:
        archive = make_dmg(dist / f"{buildinfo.APP_NAME}.app", dist, version)

    size = tree_size(bundle)
    say(f"bundle: {bundle} {mb(size)} ({size} bytes)")
    if sys.platform == "darwin":
        app = dist / f"{buildinfo.APP_NAME}.app"
        say(f"app: {app} {mb(tree_size(app))}")
    if archive is not None:
        say(f"archive: {archive} {mb(archive.stat().st_size)}")
    seconds = time.monotonic() - started
    say(f"done in {seconds:.0f} s")
    if args.json:
        print(json.dumps({"version": version, "bundle": str(bundle), "bundle_bytes": size,
                          "archive": str(archive) if archive else None,
                          "archive_bytes": archive.stat().st_size if archive else None,
                          "seconds": round(seconds, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
