"""What the packaged app is called and which version it is, in one place.

Used by packaging/build.py and packaging/loudsync.spec (and the tests). The version comes from
pyproject.toml; ``loudsync_desktop.__version__`` must say the same (build.py checks it).
Plain Python (tomllib), no PyInstaller import at module level: it runs on every platform.
"""

from __future__ import annotations

import platform
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

APP_NAME = "LoudSync"
APP_ID = "app.loudsync.LoudSync"          # macOS bundle id, AppStream component id
EXE_NAME = "loudsync"                      # the one executable (GUI with no arguments, else CLI)
WINDOWS_CLI_EXE_NAME = "loudsync-cli"      # Windows only: the console twin of loudsync.exe
DESKTOP_ID = "loudsync"                    # loudsync.desktop; app.py sets it: setDesktopFileName
BONJOUR_SERVICE = "_loudsync._tcp"         # what net/mdns.py advertises and browses
# The Python distributions the bundle carries whose licence files go into it (licenses/<name>/),
# next to packaging/licenses (the texts and THIRD-PARTY.md, which says what is under which).
BUNDLED_DISTRIBUTIONS = ("PySide6-Essentials", "shiboken6", "qasync", "websockets", "zeroconf",
                         "ifaddr", "miniaudio", "cffi", "av")
LICENSES = ROOT / "packaging" / "licenses"
DESCRIPTION = "LoudSync: laptops at a party join one session and play music in sync."
COPYRIGHT = "Copyright (c) LoudSync contributors. MIT License."

# Icon sizes rendered from resources/icons/loudsync.svg: Linux hicolor sizes, the Windows .ico
# sizes (16..256) and the macOS .icns sizes (16..1024, the @2x variants come from the same set).
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def pyproject() -> dict:
    with PYPROJECT.open("rb") as f:
        return tomllib.load(f)


def version() -> str:
    return pyproject()["project"]["version"]


def packaging_requirements() -> list[str]:
    """The ``packaging`` extra of pyproject.toml (PyInstaller, Pillow), pinned there."""
    return list(pyproject()["project"]["optional-dependencies"]["packaging"])


def licence_files() -> list[tuple[Path, str]]:
    """(file, folder in the bundle) for every licence the bundle ships: packaging/licenses, the
    bundled wheels' own licence files, and Python's."""
    import importlib.metadata
    import sysconfig
    found = [(path, "licenses") for path in sorted(LICENSES.iterdir()) if path.is_file()]
    for name in BUNDLED_DISTRIBUTIONS:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        for file in dist.files or ():
            base = file.name.upper()
            if base.startswith(("LICENSE", "LICENCE", "COPYING")) and file.suffix != ".pyc":
                found.append((Path(str(dist.locate_file(file))), f"licenses/{name}"))
    python = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if python.is_file():
        found.append((python, "licenses/Python"))
    return found


def version_tuple(text: str | None = None) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0): the four numbers a Windows version resource holds."""
    numbers = []
    for part in (text or version()).split(".")[:4]:
        digits = "".join(ch for ch in part if ch.isdigit())
        numbers.append(int(digits or 0))
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def platform_tag() -> str:
    """linux-x86_64, macos-arm64, windows-amd64: used in the archive names."""
    systems = {"linux": "linux", "darwin": "macos", "win32": "windows"}
    system = systems.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower() or 'unknown'}"


def windows_version_info(exe_name: str, text: str | None = None):
    """The Windows version resource (File > Properties > Details) for one executable."""
    from PyInstaller.utils.win32.versioninfo import (FixedFileInfo, StringFileInfo, StringStruct,
                                                     StringTable, VarFileInfo, VarStruct,
                                                     VSVersionInfo)
    text = text or version()
    numbers = version_tuple(text)
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers, mask=0x3F, flags=0x0, OS=0x40004,
                          fileType=0x1, subtype=0x0, date=(0, 0)),
        kids=[
            StringFileInfo([StringTable("040904B0", [
                StringStruct("CompanyName", APP_NAME),
                StringStruct("FileDescription", APP_NAME if exe_name == EXE_NAME
                             else f"{APP_NAME} command line"),
                StringStruct("FileVersion", text),
                StringStruct("InternalName", exe_name),
                StringStruct("LegalCopyright", COPYRIGHT),
                StringStruct("OriginalFilename", f"{exe_name}.exe"),
                StringStruct("ProductName", APP_NAME),
                StringStruct("ProductVersion", text),
            ])]),
            VarFileInfo([VarStruct("Translation", [0x0409, 1200])]),
        ],
    )


def write_windows_version_file(path: Path, exe_name: str) -> Path:
    """Write the version resource as PyInstaller's text format (works on any OS)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(windows_version_info(exe_name)), encoding="utf-8")
    return path


def macos_info_plist() -> dict:
    """Info.plist entries beyond PyInstaller's defaults."""
    text = version()
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleShortVersionString": text,
        "CFBundleVersion": text,
        "NSHumanReadableCopyright": COPYRIGHT,
        "LSApplicationCategoryType": "public.app-category.music",
        "LSMinimumSystemVersion": "12.0",          # what Qt 6.12 supports
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,   # follow the system's dark mode
        # macOS 14+ asks the user before an app talks to the local network: hosting, mDNS
        # discovery and the UDP beacons all need it. The text is shown in that prompt.
        "NSLocalNetworkUsageDescription":
            "LoudSync finds parties on this Wi-Fi and lets the other laptops at the party "
            "connect to yours, so everybody plays the same music at the same moment.",
        # Bonjour types the app advertises or browses (required since macOS 11 for browsing).
        "NSBonjourServices": [BONJOUR_SERVICE],
    }
