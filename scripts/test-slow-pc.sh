#!/usr/bin/env bash
# The end-to-end suite as an old, busy clinic PC runs it: every page's CPU throttled 4× by Chromium
# (DevTools protocol) while another process keeps one core busy. Run after `npm test` (it reuses
# the installed packages and the built bundles). Arguments name other end-to-end files to run.
set -euo pipefail
cd "$(dirname "$0")/.."

node -e 'for (;;) {}' &
busy=$!
trap 'kill $busy 2>/dev/null || true' EXIT

# The desk's busiest screens (the day book, booking from the patient card) unless files are named.
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/e2e/today.test.ts test/e2e/booking.test.ts)

echo "[slow-pc] end-to-end tests at 4× CPU throttling with one core kept busy: ${files[*]}"
FRONTDESK_E2E_CPU_THROTTLE=4 bash scripts/with-keyring.sh npx vitest run --project e2e "${files[@]}"
