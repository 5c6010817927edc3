#!/usr/bin/env python3
"""Compile ui/*.ui (pyside6-uic) and resources/loudsync.qrc (pyside6-rcc) into
loudsync_desktop/ui/generated/.

Run after editing a form in Qt Designer:  .venv/bin/python scripts/build_ui.py
``--check`` compiles to memory and exits 1 if a generated module is stale
(a test runs it, so a changed form cannot ship with an old module).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "ui"
OUT = ROOT / "loudsync_desktop" / "ui" / "generated"
HEADER = "# Generated from ui/{name} by scripts/build_ui.py: do not edit, edit the form.\n"


QRC = ROOT / "resources" / "loudsync.qrc"
# uic and rcc name their Qt version in a comment; Python 3.11 and 3.12+ get different PySide6
# releases (pyproject.toml), so a module is stale only if something else differs.
TOOL_VERSION = re.compile(r"^(#+ Created by: .* version) \S+$", re.MULTILINE)


def same_code(a: str, b: str) -> bool:
    return TOOL_VERSION.sub(r"\1", a) == TOOL_VERSION.sub(r"\1", b)


def tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    return str(exe) if exe.exists() else name


def compile_form(form: Path) -> str:
    result = subprocess.run([tool("pyside6-uic"), "--generator", "python", str(form)],
                            capture_output=True, text=True, check=True)
    return HEADER.format(name=form.name) + result.stdout


def compile_resources() -> str:
    # Format version 1 has no file timestamps, so the output depends on content alone.
    result = subprocess.run([tool("pyside6-rcc"), "--format-version", "1", "--no-compress",
                             str(QRC)], capture_output=True, text=True, check=True)
    return HEADER.format(name="../resources/loudsync.qrc") + result.stdout


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    OUT.mkdir(parents=True, exist_ok=True)
    init = OUT / "__init__.py"
    if not init.exists() and not check:
        init.write_text('"""Modules generated from ui/*.ui: do not edit."""\n')
    jobs = [(OUT / f"ui_{form.stem}.py", form, compile_form) for form in sorted(FORMS.glob("*.ui"))]
    jobs.append((OUT / "rc_loudsync.py", QRC, lambda _: compile_resources()))
    for target, form, compiler in jobs:
        code = compiler(form)
        current = target.read_text() if target.exists() else None
        if check:
            if current is None or not same_code(current, code):
                stale.append(f"{target.relative_to(ROOT)} (from {form.relative_to(ROOT)})")
        elif current is None or not same_code(current, code):
            target.write_text(code)
            print(f"wrote {target.relative_to(ROOT)}")
    if stale:
        print("stale generated forms, run scripts/build_ui.py:\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
