#!/usr/bin/env bash
# Types and lint: mypy (its files and strictness are in pyproject.toml [tool.mypy]) over the
# code held to it so far, and ruff (rules in [tool.ruff]) over the whole repository. Extra
# arguments go to ruff (e.g. --fix). Exits non-zero on the first tool that finds something.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/mypy ] && [ -x .venv/bin/ruff ] || scripts/setup.sh test
.venv/bin/mypy
.venv/bin/ruff check . "$@"
