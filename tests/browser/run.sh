#!/usr/bin/env bash
# The browser tests of the resident form (docs/browser-tests.md).
# Usage: tests/browser/run.sh PATH/TO/tryghed
#   TRYGHED_BROWSER_ARTIFACTS  folder for the screenshots (default tests/browser/artifacts)
#   CHROMIUM                   the browser (default /usr/bin/chromium)
set -euo pipefail
if [[ $# -ne 1 || ! -x $1 ]]; then
  echo "usage: $0 PATH/TO/tryghed" >&2
  exit 2
fi
TRYGHED_BINARY=$(realpath "$1")
export TRYGHED_BINARY
cd "$(dirname "$0")"
if [[ ! -d node_modules/playwright-core || ! -d node_modules/axe-core ]]; then
  npm ci --no-audit --no-fund --prefer-offline
fi
export TRYGHED_BROWSER_ARTIFACTS=${TRYGHED_BROWSER_ARTIFACTS:-$PWD/artifacts}
mkdir -p "$TRYGHED_BROWSER_ARTIFACTS"
# One file at a time: each starts its own server and browser, and the machine
# may have two cores only.
exec node --test --test-concurrency=1 tests/
