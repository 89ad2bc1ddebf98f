#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/e2e), when it is missing.
# Playwright drives this system browser (executable_path=/usr/bin/chromium): never run
# `playwright install`, which downloads a browser build of its own.
set -euo pipefail

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "No se encontró $CHROMIUM ni apt-get: instale Chromium a mano para las pruebas" \
       "del navegador." >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Se necesita ser root (o sudo) para instalar Chromium." >&2
    exit 0
  fi
fi
echo "Instalando Chromium (Debian) para las pruebas del navegador..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
"$CHROMIUM" --version
