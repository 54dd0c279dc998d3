#!/usr/bin/env bash
# Brings what a fresh Debian 12 machine lacks for the test suite, and does nothing when it is present:
#   - npm packages (npm ci when node_modules is missing or older than the lock file)
#   - Debian's chromium (headless browser tests; never a Playwright browser download)
#   - Mesa's Vulkan driver (lavapipe) >= 23 from bookworm-backports (Dawn in Node needs it)
#   - with --bench: NumPy, numexpr and SciPy for /usr/bin/python3 (the benches compare against them)
# Progress goes to stderr. Needs root (or sudo) only when a system package is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log() { echo "[ensure-deps] $*" >&2; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
apt_updated=0
aptlog=$(mktemp)
apt_update() { [ $apt_updated = 1 ] || { $SUDO apt-get update -qq >"$aptlog" 2>&1 || { cat "$aptlog" >&2; exit 1; }; apt_updated=1; }; }
apt_install() { # quiet unless it fails
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >"$aptlog" 2>&1 || { cat "$aptlog" >&2; exit 1; }
}

# --- Chromium -------------------------------------------------------------------------------
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then
  log "chromium: using CHROMIUM_PATH=${CHROMIUM_PATH}"
elif [ -x /usr/bin/chromium ]; then
  log "chromium: present"
else
  log "chromium: installing Debian's package"
  apt_update
  apt_install chromium
fi

# --- Mesa lavapipe >= 23 --------------------------------------------------------------------
mesa_version() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true; }
mesa_ok() {
  local v; v=$(mesa_version)
  [ -n "$v" ] && dpkg --compare-versions "$v" ge 23 && ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1
}
if mesa_ok; then
  log "mesa-vulkan-drivers: $(mesa_version) (ok)"
else
  log "mesa-vulkan-drivers: '$(mesa_version)' is missing or older than 23; installing from bookworm-backports"
  if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=http://deb.debian.org/debian
    echo "deb $uri bookworm-backports main" | $SUDO tee /etc/apt/sources.list.d/backports.list >/dev/null
    apt_updated=0
  fi
  apt_update
  apt_install -t bookworm-backports mesa-vulkan-drivers
  mesa_ok || { log "mesa-vulkan-drivers is still older than 23: $(mesa_version)"; exit 1; }
fi

# --- npm packages ---------------------------------------------------------------------------
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm: installing packages (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2
else
  log "npm: packages present"
fi

# --- the benches' Python peers (only with --bench: the tests never need them) ----------------
if [ "${1:-}" = "--bench" ]; then
  if /usr/bin/python3 -c 'import numpy, numexpr, scipy' 2>/dev/null; then
    log "python3 numpy/numexpr/scipy: present"
  else
    log "python3 numpy/numexpr/scipy: installing Debian's packages (the benches' peers)"
    apt_update
    apt_install python3-numexpr python3-scipy
  fi
fi
