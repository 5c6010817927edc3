#!/usr/bin/env bash
# Set up (first time) and run the whole test suite, headless, in a private
# network namespace. Extra arguments go to pytest (e.g. -k, -x, tests/protocol).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
exec scripts/in-private-net.sh .venv/bin/python -m pytest "$@"
