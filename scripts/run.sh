#!/usr/bin/env bash
# Installs what the planner needs and runs the main job on the embedded default
# (SQLite, shipped data). Extra arguments go to the last command.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip>=24" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -m pip install --quiet -c constraints.txt -e . 2>&1 \
  | grep -v '^WARNING: Location' || true

.venv/bin/menu-planner data check "$@"
