#!/usr/bin/env bash
# Every suite, in two lanes at once: unit and integration in one, end to end in the other. Both
# spend most of their time waiting on simulated vendors, child processes and the browser, not on
# the CPU, so side by side they take about half as long. The end-to-end lane's report is printed
# after the first lane's. Run inside `bash scripts/with-keyring.sh`.
set -uo pipefail
cd "$(dirname "$0")/.."

e2e_log=$(mktemp -t frontdesk-e2e-XXXXXX.log)
first_log=$(mktemp -t frontdesk-unit-XXXXXX.log)
trap 'rm -f "$e2e_log" "$first_log"' EXIT
# The kill-point walk (long, mostly waiting on child processes) evens out the two lanes.
balance=test/integration/sync/kill-points.test.ts
npx vitest run --project e2e --project integration test/e2e/ "$balance" >"$e2e_log" 2>&1 &
e2e=$!
echo "[test] end-to-end suite (and $balance) running alongside; its report follows this one"

npx vitest run --project unit --project integration --exclude "$balance" 2>&1 | tee "$first_log"
first=${PIPESTATUS[0]}
wait "$e2e"
second=$?

echo
echo "[test] end-to-end suite and $balance:"
cat "$e2e_log"
echo
# CI shows a run's last lines: the first lane's failures, named again here, are among them.
if [ $first -ne 0 ]; then
  echo "[test] unit and integration failed (its report is above the end-to-end one):"
  grep -a -E '^(failed: |tests: )' "$first_log" || echo "(it ended before its summary)"
fi
echo "[test] unit and integration: $([ $first -eq 0 ] && echo passed || echo FAILED); end to end: $([ $second -eq 0 ] && echo passed || echo FAILED)"
[ $first -eq 0 ] && [ $second -eq 0 ]
