"""The packaging inputs that need no build: versions agree, Linux metadata validates, and the
macOS and Windows pieces (which cannot be built here) are at least well formed."""

from __future__ import annotations

import json
import plistlib
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"
METAINFO = LINUX / "app.loudsync.LoudSync.metainfo.xml"
DESKTOP = LINUX / "loudsync.desktop"

sys.path.insert(0, str(PACKAGING))
import buildinfo  # noqa: E402

sys.path.remove(str(PACKAGING))


def test_one_version_everywhere():
    import loudsync_desktop
    version = buildinfo.version()
    assert loudsync_desktop.__version__ == version
    assert f'<release version="{version}"' in METAINFO.read_text()
    assert buildinfo.version_tuple(version)[:3] == tuple(int(x) for x in version.split(".")[:3])


def test_appstream_metadata_validates():
    if shutil.which("appstreamcli") is None:
        pytest.skip("appstreamcli is not installed (apt-get install appstream)")
    out = subprocess.run(["appstreamcli", "validate", "--no-net", "--explain", str(METAINFO)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_desktop_file_validates_and_matches_the_app():
    if shutil.which("desktop-file-validate") is not None:
        out = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True,
                             text=True)
        assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr
    entry = dict(line.split("=", 1) for line in DESKTOP.read_text().splitlines() if "=" in line)
    assert (entry["Exec"], entry["Icon"], entry["Terminal"]) == ("loudsync", "loudsync", "false")
    # Wayland matches the window to this file by the name app.py gives Qt.
    app_source = (REPO / "loudsync_desktop" / "app.py").read_text()
    assert f'setDesktopFileName("{buildinfo.DESKTOP_ID}")' in app_source
    assert f"<launchable type=\"desktop-id\">{DESKTOP.name}</launchable>" in METAINFO.read_text()


def test_macos_info_plist_declares_local_network_use_and_the_bonjour_service():
    from loudsync_desktop.protocol.discovery import SERVICE_TYPE
    plist = buildinfo.macos_info_plist()
    plistlib.dumps(plist)   # serialisable as PyInstaller will write it
    assert SERVICE_TYPE == f"{plist['NSBonjourServices'][0]}.local."
    assert len(plist["NSLocalNetworkUsageDescription"]) > 40
    assert plist["CFBundleShortVersionString"] == buildinfo.version()
    spec = (PACKAGING / "loudsync.spec").read_text()
    assert "bundle_identifier=buildinfo.APP_ID" in spec
    assert "info_plist=buildinfo.macos_info_plist()" in spec


def test_windows_version_resource_round_trips(tmp_path, monkeypatch, request):
    pytest.importorskip("PyInstaller", reason="the packaging extra is not installed")
    # PyInstaller's versioninfo imports pefile and pywin32's win32api (there on Windows only), but
    # writing and reading the text form uses neither: stand-ins let it load here.
    import PyInstaller.compat
    if sys.platform != "win32":
        monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
        monkeypatch.setattr(PyInstaller.compat, "win32api", types.ModuleType("win32api"),
                            raising=False)
        monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
        request.addfinalizer(lambda: sys.modules.pop("PyInstaller.utils.win32.versioninfo", None))
    from PyInstaller.utils.win32.versioninfo import load_version_info_from_text_file
    path = buildinfo.write_windows_version_file(tmp_path / "v.txt", "loudsync-cli")
    info = load_version_info_from_text_file(str(path))
    assert info.ffi.fileVersionMS >> 16 == buildinfo.version_tuple()[0]
    text = str(info)
    assert f"StringStruct('ProductVersion', '{buildinfo.version()}')" in text
    assert "StringStruct('OriginalFilename', 'loudsync-cli.exe')" in text


def test_icons_are_rendered_in_every_size_and_packed_for_windows_and_macos(tmp_path):
    pytest.importorskip("PIL", reason="the packaging extra (Pillow) is not installed")
    # In a child process: it makes a QGuiApplication, which must not be the test process's app.
    out = subprocess.run([sys.executable, str(PACKAGING / "make_icons.py"), str(tmp_path)],
                         capture_output=True, text=True, timeout=120,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    from PIL import Image
    for size in buildinfo.PNG_SIZES:
        with Image.open(tmp_path / "png" / f"loudsync-{size}.png") as image:
            assert image.size == (size, size) and image.mode == "RGBA"
            assert image.getpixel((0, 0))[3] == 0            # transparent corner
            assert image.getpixel((size // 2, size // 4))[3] == 255   # the icon itself
    with Image.open(tmp_path / "loudsync.ico") as ico:
        assert {s[0] for s in ico.info["sizes"]} == set(buildinfo.ICO_SIZES)
    with Image.open(tmp_path / "loudsync.icns") as icns:
        assert max(s[0] * s[2] for s in icns.info["sizes"]) == 1024


def test_the_release_workflow_builds_with_the_one_build_command():
    text = (REPO / ".github" / "workflows" / "release.yml").read_text()
    assert "python packaging/build.py" in text
    assert re.search(r"pip install (-e )?\"?\.\[packaging\]\"?", text)
    assert "python-version: \"3.12\"" in text
    for runner in ("ubuntu-", "macos-", "windows-"):
        assert runner in text
    assert json.dumps(buildinfo.packaging_requirements())   # the pins the workflow installs
