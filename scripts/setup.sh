#!/usr/bin/env bash
# Set up LoudSync in .venv at the repository root.
#   scripts/setup.sh        what the app needs
#   scripts/setup.sh test   also what the test suite needs
# As root on Debian/Ubuntu it installs the system packages itself; elsewhere it
# says which are missing. Safe to run again: it only does what is not done yet.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-app}

# Qt's offscreen and X11 platform plugins, then the test tools: Xvfb for
# screenshots, iproute2/nftables for the simulated LAN, dig as an independent
# mDNS client, sox for test sounds; binutils, appstream and desktop-file-utils to build
# and check the packaged app.
apt_app="libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-render-util0 libxcb-image0 libxcb-xkb1"
apt_test="xvfb xauth iproute2 nftables bind9-dnsutils util-linux procps dbus sox
  binutils appstream desktop-file-utils"
wanted=$apt_app
[ "$mode" = test ] && wanted="$apt_app $apt_test"

if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for pkg in $wanted; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing system packages:$missing"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      echo "Missing system packages (install them with your package manager):$missing" >&2
    fi
  fi
fi

# A Python from 3.11 to 3.13 that really runs (a pyenv shim on PATH may exist without the
# version behind it), also one pyenv installed but did not put on PATH. 3.12 first, the release
# workflow's, then 3.13: None and True are immortal there (see loudsync_desktop/qt_runtime.py).
# LOUDSYNC_PYTHON=/path/to/python picks one by hand.
runs() {
  "$1" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 14)))' 2>/dev/null
}
python=""
if [ -n "${LOUDSYNC_PYTHON:-}" ]; then
  if ! runs "$LOUDSYNC_PYTHON"; then
    echo "LOUDSYNC_PYTHON=$LOUDSYNC_PYTHON is not a runnable Python 3.11, 3.12 or 3.13." >&2
    exit 1
  fi
  python=$LOUDSYNC_PYTHON
else
  pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
  for candidate in python3.12 "$pyenv_root"/versions/3.12.*/bin/python3.12 \
                   python3.13 "$pyenv_root"/versions/3.13.*/bin/python3.13 python3.11 python3; do
    case $candidate in */versions/3.1?.\*/*) continue ;; esac   # the glob matched nothing
    if command -v "$candidate" >/dev/null 2>&1 && runs "$candidate"; then
      python=$candidate; break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "LoudSync needs Python 3.11, 3.12 or 3.13; none was found on PATH or in pyenv." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      "$python" -m venv .venv
    else
      echo "$python cannot make a virtual environment: install its venv module (Debian: python3-venv)." >&2
      exit 1
    fi
  fi
fi

# Reinstall only when the project's requirements changed.
# The tests also build the packaged app (tests/packaging): PyInstaller and Pillow, and
# binutils (objdump, strip), appstreamcli and desktop-file-validate from apt above.
extra=""; [ "$mode" = test ] && extra="[test,packaging]"
stamp=".venv/.loudsync-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $extra"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  # pip and the build backend talk a lot (notices, warnings): keep it in a file and show it
  # only if the install fails.
  echo "Installing LoudSync's Python packages into .venv ($(.venv/bin/python -V))..."
  pip_log=.venv/pip-install.log
  if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip &&
         .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extra"; } \
       >"$pip_log" 2>&1; then
    tail -n 40 "$pip_log" >&2
    echo "Installing LoudSync's packages failed (all of pip's output: $pip_log)." >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
