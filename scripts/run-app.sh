#!/usr/bin/env bash
# Set up (first time) and launch the LoudSync desktop app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
exec .venv/bin/python -m loudsync_desktop "$@"
