#!/usr/bin/env bash
# Runs the app: installs npm packages when missing, then serves it with the isolation headers
# (COOP/COEP) on http://127.0.0.1:5173/ and opens a browser when one is available.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2
fi
open_flag=""
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then open_flag="--open"; fi
echo "Kernel Playground: starting the dev server; open the Local URL it prints (Ctrl-C stops it)" >&2
exec npx vite $open_flag "$@"
