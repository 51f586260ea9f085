#!/usr/bin/env bash
# What the test bus of scripts/with-keyring.sh runs when org.freedesktop.secrets is asked for: a
# GNOME keyring daemon that creates, or on a restart unlocks, the throwaway login keyring. Its own
# notices (why it exits, among them) and how it ended go to the log named as the argument; the
# libraries' per-call debug lines are left out.
log=$1
echo "started $(date -u +%FT%TZ) pid $$" >>"$log"
# stderr through the filter, stdout (the environment it prints) away; the pipeline ends only
# once the filter has written everything, so "ended" is the log's last line for this daemon.
printf 'frontdesk-test-keyring' |
  G_MESSAGES_DEBUG=all gnome-keyring-daemon --foreground --unlock --components=secrets 2>&1 >/dev/null |
  grep --line-buffered -v -E '(Gck|Gkm|Gcr|GLib|GLib-GIO)-DEBUG' >>"$log"
echo "ended $(date -u +%FT%TZ) with status ${PIPESTATUS[1]}" >>"$log"
