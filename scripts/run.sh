#!/usr/bin/env bash
# Installs what the planner needs and runs the main job on the embedded default
# (SQLite, shipped data): checks the shipped data, then starts the web service in demo
# mode (one account per role, random passwords printed once) on http://127.0.0.1:8000/.
# Extra arguments go to `menu-planner demo`, e.g.  bash scripts/run.sh --port 8080
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip>=24" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -m pip install --quiet -c constraints.txt -e . 2>&1 \
  | grep -v '^WARNING: Location' || true

.venv/bin/menu-planner data check
exec .venv/bin/menu-planner demo "$@"
