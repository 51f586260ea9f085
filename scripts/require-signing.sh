#!/usr/bin/env bash
# A release (tag) build must be signed: fail before building, and so before anything is
# published, when this runner's signing or notarisation secrets are missing. Names only, no values.
set -euo pipefail
missing=()
need() { for v in "$@"; do [ -n "${!v:-}" ] || missing+=("$v"); done; }
case "${RUNNER_OS:-}" in
  Windows)
    # DigiCert KeyLocker (scripts/sign-windows.cjs) and the publisher name updates are checked against.
    need SM_HOST SM_API_KEY SM_CLIENT_CERT_FILE_B64 SM_CLIENT_CERT_PASSWORD SM_KEYPAIR_ALIAS WINDOWS_PUBLISHER_NAME
    ;;
  macOS)
    # Developer ID certificate, then notarisation by API key or by Apple ID (scripts/notarize.cjs).
    need CSC_LINK CSC_KEY_PASSWORD
    if [ -n "${APPLE_API_KEY_P8:-}" ]; then need APPLE_API_KEY_ID APPLE_API_ISSUER
    else need APPLE_ID APPLE_APP_SPECIFIC_PASSWORD APPLE_TEAM_ID; fi
    ;;
  *)
    echo "::error::No signing rules for runner OS '${RUNNER_OS:-}'."
    exit 1
    ;;
esac
if [ "${#missing[@]}" -gt 0 ]; then
  echo "::error::A release must be signed; missing on ${RUNNER_OS}: ${missing[*]}"
  exit 1
fi
echo "Signing secrets present on ${RUNNER_OS}."
