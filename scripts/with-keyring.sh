#!/usr/bin/env bash
# Runs a command on its own D-Bus session bus with a throwaway, unlocked GNOME keyring, so tests use
# a real Secret Service without touching the user's own keyring or session.
#
# The bus starts the keyring on demand (D-Bus activation) through scripts/keyring-service.sh, which
# unlocks the throwaway login keyring. Should the daemon ever exit mid-run, the next keychain call
# starts it again, unlocked, on the same keyring files: the stock activation file would instead
# start one on the real HOME, where no unlocked keyring exists, and every later test would fail.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
throwaway=$(mktemp -d -t frontdesk-keyring-XXXXXX)
log="$throwaway/keyring.log"
# The keyring daemon outlives the bus by a moment (it exits when the bus goes, then logs that):
# wait up to 5 s for every daemon started to have ended, so nothing writes into the folder as it
# goes. Removing the folder never fails the run.
logged() {
  local n
  n=$(grep -c "^$1" "$log" 2>/dev/null) || true
  echo "${n:-0}"
}
cleanup() {
  for _ in $(seq 1 100); do
    [ "$(logged ended)" -ge "$(logged started)" ] && break
    sleep 0.05
  done
  rm -rf "$throwaway" 2>/dev/null || true
}
trap cleanup EXIT
export HOME="$throwaway"
export XDG_DATA_HOME="$throwaway/.local/share"
export XDG_CONFIG_HOME="$throwaway/.config"
export XDG_RUNTIME_DIR="$throwaway/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR" "$throwaway/services"
chmod 700 "$XDG_RUNTIME_DIR"

cat >"$throwaway/services/org.freedesktop.secrets.service" <<SERVICE
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=/bin/bash "$here/keyring-service.sh" "$log"
SERVICE

# A session bus like Debian's, whose only activatable service is the keyring above.
cat >"$throwaway/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir=$throwaway</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$throwaway/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="max_incoming_bytes">1000000000</limit>
  <limit name="max_outgoing_bytes">1000000000</limit>
  <limit name="max_message_size">1000000000</limit>
  <limit name="service_start_timeout">120000</limit>
  <limit name="auth_timeout">240000</limit>
  <limit name="max_completed_connections">100000</limit>
  <limit name="max_incomplete_connections">10000</limit>
  <limit name="max_connections_per_user">100000</limit>
  <limit name="max_pending_service_starts">10000</limit>
  <limit name="max_names_per_connection">50000</limit>
  <limit name="max_match_rules_per_connection">50000</limit>
  <limit name="max_replies_per_connection">50000</limit>
</busconfig>
CONF

# The bus's own notices (each start of the keyring) go to the log rather than into test output.
cat >"$throwaway/dbus-daemon" <<DAEMON
#!/bin/sh
exec dbus-daemon "\$@" 2>>"$log"
DAEMON
chmod +x "$throwaway/dbus-daemon"

status=0
dbus-run-session --config-file="$throwaway/bus.conf" --dbus-daemon="$throwaway/dbus-daemon" -- bash -c '
  # Start the keyring now, so the first test does not pay for it.
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null
  exec "$@"' frontdesk-keyring "$@" || status=$?

# Every start of the daemon is logged; more than one means it went away during the run.
starts=$(logged started)
if [ "$starts" -gt 1 ]; then
  echo "[keyring] the throwaway keyring daemon was started $starts times during this run; its log:" >&2
  cat "$log" >&2
fi
exit "$status"
