#!/usr/bin/env bash
# The time-sensitive tests at awkward moments and in other zones, to prove that the clinic's zone
# and the app's own clock (pinned by the tests), never the machine's clock or zone, decide what
# "today" is. Every process the tests start (Node, the keyring, Chromium) runs under libfaketime.
# Run after `npm test` (it reuses the installed packages and the built bundles).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh faketime

# The tests that read or show times: unit (formatting, DST, layout, dates), instants and the
# offline day book over a real database, and the end-to-end day book.
subset=(
  test/unit/
  test/integration/services/right-time.test.ts test/integration/services/day-book-offline.test.ts
)
subset_e2e=(test/e2e/today.test.ts)

logs=$(mktemp -d -t frontdesk-awkward-XXXXXX)
trap 'rm -rf "$logs"' EXIT
failed=0
failures=()

# One instant's run, its report kept in a file (printed whole, then summed up at the end). The
# end-to-end day book runs beside the rest, as in `npm test`: it mostly waits on the browser.
run() {
  local n=$1 label=$2 first=0 second=0 lane
  shift 2
  {
    echo "[awkward-times] $label"
    "$@" bash scripts/with-keyring.sh npx vitest run "${subset_e2e[@]}" >"$logs/$n.e2e.log" 2>&1 &
    lane=$!
    # Packaging checks (installer config, the Electron scan) and the lint-boundary checks do not
    # read the time: left out here.
    "$@" bash scripts/with-keyring.sh npx vitest run \
      --exclude 'test/unit/packaging/**' --exclude 'test/unit/lint/**' "${subset[@]}" || first=$?
    wait "$lane" || second=$?
    echo "[awkward-times] $label, the end-to-end day book:"
    cat "$logs/$n.e2e.log"
  } >"$logs/$n.log" 2>&1
  [ "$first" -eq 0 ] && [ "$second" -eq 0 ]
}

# One instant after another: side by side, two instants' browsers and simulators slowed each
# other enough to make the end-to-end timings flaky. Each report is kept whole and printed after its run.
one() {
  local n=$1
  "instant$n" || { failed=1; failures+=("$n"); }
  cat "$logs/$n.log"
}

# Monotonic time stays real so timers, timeouts and Chromium's scheduler behave.
export FAKETIME_DONT_FAKE_MONOTONIC=1
instant1() {
  run 1 'Saturday 30 October 2027, 23:30 in London (the night before the clocks go back)' \
    env TZ=Europe/London faketime -f '@2027-10-30 23:30:00'
}
instant2() {
  run 2 'Sunday 28 March 2027, 00:30 UTC (the night the UK clocks go forward)' \
    env TZ=UTC faketime -f '@2027-03-28 00:30:00'
}
instant3() { run 3 'a weekday, Wednesday 13 January 2027, 08:00' env TZ=Europe/London faketime -f '@2027-01-13 08:00:00'; }
instant4() { run 4 'machine zone America/New_York' env TZ=America/New_York; }
instant5() { run 5 'machine zone Asia/Kolkata' env TZ=Asia/Kolkata; }

for n in 1 2 3 4 5; do one "$n"; done
# A long CI log may keep only its end: name each failing instant and its failing tests last.
if [ $failed -ne 0 ]; then
  for n in "${failures[@]}"; do
    echo "[awkward-times] FAILED at $(head -n 1 "$logs/$n.log" | sed 's/^\[awkward-times\] //'):"
    sed 's/\x1b\[[0-9;]*m//g' "$logs/$n.log" | grep -E '(FAIL|×|✗) |Error:|Test Files |Tests ' | head -n 40 || true
  done
  echo "[awkward-times] FAILED: see the reports above"
  exit 1
fi
echo "[awkward-times] all five instants passed"
