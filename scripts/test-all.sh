#!/usr/bin/env bash
# Runs every check and test suite, then prints one line "N passed, N failed" over all of them.
#   1. brings what a fresh Debian machine lacks (scripts/ensure-deps.sh; a no-op when present)
#   2. generated shader module up to date, strict type check, Biome (format + lint)
#   3. vitest: unit tests (Node) and GPU tests (Node + Dawn on Mesa's lavapipe)
#   4. Playwright: browser tests on the system Chromium
# Every step runs even when an earlier one fails; the exit status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh || { echo "setup failed: see the messages above"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p test-results
rm -f test-results/vitest.json test-results/e2e.json test-results/checks.txt
check() { # name, command...
  local name=$1; shift
  echo "== $name" >&2
  if "$@" >&2; then echo "pass $name" >> test-results/checks.txt; else echo "fail $name" >> test-results/checks.txt; fi
}
check shaders npx tsx scripts/gen-shaders.ts --check
check typecheck npx tsc -p tsconfig.json --noEmit
check biome npx biome check .
echo "== vitest (unit, gpu)" >&2
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
echo "== playwright (e2e)" >&2
CI=1 npx playwright test
node scripts/summarize.mjs
