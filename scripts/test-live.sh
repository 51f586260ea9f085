#!/usr/bin/env bash
# The vendor conformance suite (test/integration/vendors/conformance.test.ts) against real vendor
# sandboxes named by FRONTDESK_LIVE_<VENDOR>_* variables (README, docs/vendors/*.md). Read-only
# unless --write is given. The same suite runs against the simulators in `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export FRONTDESK_LIVE=1
export FRONTDESK_LIVE_WRITE=0
usage() {
  cat <<'USAGE'
npm run test:live [-- --write]
  Runs the vendor conformance suite against the vendor sandboxes named by FRONTDESK_LIVE_<VENDOR>_*
  variables (see docs/vendors/<vendor>.md for each vendor's list); a vendor without them is skipped.
  Read-only unless --write is given (then it books, moves, cancels and marks an arrival and a
  no-show for the test patient the variables name). Tables: test-results/conformance-<vendor>-live.md
USAGE
}
for arg in "$@"; do
  case "$arg" in
    --help | -h) usage; exit 0 ;;
    --write) FRONTDESK_LIVE_WRITE=1 ;;
    *) echo "[live] unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done
# Exit 3 from the check means no sandbox is configured: a clean skip, not a failure.
status=0
npx tsx test/integration/vendors/conformance/live-check.ts || status=$?
if [ "$status" -eq 3 ]; then exit 0; fi
if [ "$status" -ne 0 ]; then exit "$status"; fi
npx vitest run --project integration test/integration/vendors/conformance.test.ts
echo "[live] conformance tables: test-results/conformance-<vendor>-live.md"
