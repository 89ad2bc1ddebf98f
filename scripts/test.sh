#!/usr/bin/env bash
# Installs everything the tests need and runs the whole suite: ruff, mypy and pytest
# (SQLite and the local PostgreSQL server; a real headless Chromium for the web pages).
# Extra arguments go to pytest, e.g.  bash scripts/test.sh -k optimizer
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip>=24" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -m pip install --quiet -c constraints.txt -e '.[test]' 2>&1 \
  | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import menu_planner, pulp, highspy, fastapi, sqlmodel, openpyxl" \
  || { echo "La instalación falló" >&2; exit 1; }

# PostgreSQL: the tests use TEST_POSTGRES_URL (default: local server, trust auth, db test).
export TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi

if [ -f scripts/install-browser.sh ]; then bash scripts/install-browser.sh; fi

.venv/bin/ruff check .
.venv/bin/mypy

set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest no encontró pruebas que ejecutar (código 5)."
  exit 0
fi
exit "$rc"
