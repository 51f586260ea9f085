#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: system packages, the native module for Node,
# the renderer build the end-to-end tests load, then every test inside a D-Bus session with a
# throwaway unlocked keyring.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh
# `npm install` normally ran just before (the README's command); install here only when it did not.
node -e "require.resolve('electron/package.json'); require.resolve('vitest/package.json')" 2>/dev/null ||
  { echo "[test] installing npm packages"; npm install --no-audit --no-fund; }
node scripts/native.mjs node
npx electron-vite build >/dev/null
echo "[test] renderer, main and preload built into out/"
# Files or options named: one vitest run of exactly those. Otherwise every suite, in two lanes.
if [ $# -gt 0 ]; then
  bash scripts/with-keyring.sh npx vitest run "$@"
else
  bash scripts/with-keyring.sh bash scripts/test-suites.sh
fi
