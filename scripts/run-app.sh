#!/usr/bin/env bash
# Set up (first time) and launch the LoudSync desktop app. Arguments go to the app:
#   scripts/run-app.sh --debug    logs everything, to stderr and the log file (README:
#                                 Reporting a problem)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
exec .venv/bin/python -m loudsync_desktop "$@"
