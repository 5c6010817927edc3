#!/usr/bin/env bash
# Types and lint: mypy (its files and strictness are in pyproject.toml [tool.mypy]) and
# ruff (rules in [tool.ruff]) over the code held to them so far. Extra arguments are
# more paths for ruff. Exits non-zero on the first tool that finds something.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/mypy ] && [ -x .venv/bin/ruff ] || scripts/setup.sh test
# Widen this list as the other packages pass (then, in the end, just ".").
ruff_paths=(loudsync_desktop/protocol loudsync_desktop/net loudsync_desktop/clock.py)
.venv/bin/mypy
.venv/bin/ruff check "${ruff_paths[@]}" "$@"
