#!/usr/bin/env bash
# The end-to-end suite as an old, busy clinic PC runs it: every page's CPU throttled 4× by Chromium
# (DevTools protocol) while another process keeps one core busy. Run after `npm test` (it reuses
# the installed packages and the built bundles). Extra arguments go to vitest (e.g. one file).
set -euo pipefail
cd "$(dirname "$0")/.."

node -e 'for (;;) {}' &
busy=$!
trap 'kill $busy 2>/dev/null || true' EXIT

echo "[slow-pc] end-to-end tests at 4× CPU throttling with one core kept busy"
FRONTDESK_E2E_CPU_THROTTLE=4 dbus-run-session -- bash scripts/with-keyring.sh npx vitest run --project e2e "$@"
