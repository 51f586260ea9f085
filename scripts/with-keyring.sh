#!/usr/bin/env bash
# Runs a command with an unlocked, throwaway GNOME keyring on the current D-Bus session, so tests
# use a real Secret Service without touching the user's own keyring. Call it inside dbus-run-session.
set -euo pipefail

throwaway=$(mktemp -d -t frontdesk-keyring-XXXXXX)
trap 'rm -rf "$throwaway"' EXIT
export HOME="$throwaway"
export XDG_DATA_HOME="$throwaway/.local/share"
export XDG_CONFIG_HOME="$throwaway/.config"
export XDG_RUNTIME_DIR="$throwaway/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# --unlock reads the new login keyring's password from stdin and creates it unlocked.
eval "$(printf 'frontdesk-test-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# Wait until the Secret Service answers on the bus.
for _ in $(seq 1 50); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done

"$@"
