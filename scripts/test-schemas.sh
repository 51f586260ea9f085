#!/usr/bin/env bash
# Checks the simulators' SDL and every GraphQL document the adapters send against the vendors'
# published schemas, which live beside the project (../shared/vendors/schemas), not inside it:
# the operations found by scanning the adapters, each with the variable values recorded from a real
# adapter call to a simulator (test/schemas/recorded-operations.test.ts); an empty set fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export FRONTDESK_SCHEMAS_DIR="${FRONTDESK_SCHEMAS_DIR:-$(cd .. && pwd)/shared/vendors/schemas}"
if [ ! -d "$FRONTDESK_SCHEMAS_DIR" ]; then
  echo "[schemas] no published schemas at $FRONTDESK_SCHEMAS_DIR (set FRONTDESK_SCHEMAS_DIR)" >&2
  exit 1
fi
npx vitest run --config vitest.schemas.config.ts "$@"
