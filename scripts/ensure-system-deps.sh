#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: a D-Bus session, the GNOME
# keyring (a real Secret Service for the keychain tests) and Chromium (end-to-end tests). Extra
# arguments name more commands a test script needs (e.g. faketime), installed from their package.
set -euo pipefail

missing=()
command -v dbus-run-session >/dev/null 2>&1 || missing+=(dbus dbus-user-session)
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
for extra in "$@"; do
  command -v "$extra" >/dev/null 2>&1 || missing+=("$extra")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "[deps] installing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "[deps] these Debian packages are needed: ${missing[*]}" >&2
  echo "[deps] run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "[deps] installed"
