#!/usr/bin/env bash
# Set up (first time) and run the whole test suite, headless, in a private
# network namespace. Without arguments it first runs the type and lint checks
# (scripts/lint.sh: mypy and ruff) and fails if they do, after the tests have run.
# Extra arguments go to pytest alone (e.g. -k, -x, tests/protocol).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
if [ $# -gt 0 ]; then
  exec scripts/in-private-net.sh .venv/bin/python -m pytest "$@"
fi
lint=0
echo "== types and lint (scripts/lint.sh)"
scripts/lint.sh || lint=$?
echo "== tests"
tests=0
scripts/in-private-net.sh .venv/bin/python -m pytest || tests=$?
if [ "$lint" != 0 ]; then
  echo "The types and lint checks failed (see the top of this output)." >&2
  [ "$tests" != 0 ] || tests=$lint
fi
exit "$tests"
