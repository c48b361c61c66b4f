#!/bin/bash
# build-aux/with-keyring.sh
# Copyright 2026 The Claire Workshop authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command with its own unlocked gnome-keyring (the real Secret Service) on the
# current D-Bus session bus:
#
#   dbus-run-session -- build-aux/with-keyring.sh [--home DIR] [--] COMMAND [ARG…]
#
# Without --home, HOME and XDG_DATA_HOME are a temporary directory that is removed
# afterwards, so the keyring is new and empty. With --home DIR the keyring lives in DIR
# (or in an XDG_DATA_HOME already set by the caller) and persists between runs; its
# password is always the same, so it unlocks again. XDG_RUNTIME_DIR is always a fresh
# private directory. Without a session bus the script starts one with dbus-run-session.
#
# The keyring must be unlocked before anything else on the bus can activate
# org.freedesktop.secrets: an activated daemon starts with a locked "login" collection,
# and its unlock prompt either fails with no display or hangs under Xvfb. Every keyring
# step here is bounded by a timeout for that reason.

set -euo pipefail

usage () {
  echo "usage: $0 [--home DIR] [--] COMMAND [ARG…]" >&2
  exit 2
}

home=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --home) [[ $# -ge 2 ]] || usage; home=$2; shift 2 ;;
    --home=*) home=${1#--home=}; shift ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || usage

if [[ -z ${DBUS_SESSION_BUS_ADDRESS:-} ]]; then
  self=$(readlink -f "${BASH_SOURCE[0]}")
  config=$(dirname "$self")/dbus-session.conf
  if [[ -n $home ]]; then
    exec dbus-run-session --config-file="$config" -- "$self" --home "$home" -- "$@"
  fi
  exec dbus-run-session --config-file="$config" -- "$self" -- "$@"
fi

# The password of the keyring. The bytes matter: no trailing newline.
keyring_password=${CW_KEYRING_PASSWORD:-claire-workshop}
keyring_timeout=${CW_KEYRING_TIMEOUT:-15}

cleanup_dirs=()
# shellcheck disable=SC2317 # Invoked by the EXIT trap.
cleanup () {
  local d
  for d in "${cleanup_dirs[@]}"; do
    rm -rf -- "$d"
  done
}
trap cleanup EXIT

if [[ -n $home ]]; then
  mkdir -p -- "$home"
  HOME=$(cd -- "$home" && pwd)
  XDG_DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
else
  HOME=$(mktemp -d "${TMPDIR:-/tmp}/cw-keyring-home.XXXXXX")
  cleanup_dirs+=("$HOME")
  XDG_DATA_HOME=$HOME/.local/share
fi
export HOME XDG_DATA_HOME
mkdir -p -- "$XDG_DATA_HOME"

# A Wayland socket name is relative to XDG_RUNTIME_DIR; keep it reachable once the
# runtime directory changes below.
if [[ -n ${WAYLAND_DISPLAY:-} && ${WAYLAND_DISPLAY} != /* && -n ${XDG_RUNTIME_DIR:-} ]]; then
  export WAYLAND_DISPLAY=$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY
fi
XDG_RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cw-runtime.XXXXXX")
cleanup_dirs+=("$XDG_RUNTIME_DIR")
chmod 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR

# Creates the "login" keyring if needed, unlocks it with the password on stdin and
# registers org.freedesktop.secrets on the bus. Without --daemonize the daemon forks
# itself and prints its environment (gnome-keyring 42 prints nothing for --unlock; the
# control socket is then in the default place).
if ! keyring_env=$(printf '%s' "$keyring_password" |
    timeout "$keyring_timeout" gnome-keyring-daemon --unlock --components=secrets); then
  echo "with-keyring: gnome-keyring-daemon --unlock failed or timed out" >&2
  exit 1
fi
eval "$keyring_env"
export GNOME_KEYRING_CONTROL=${GNOME_KEYRING_CONTROL:-$XDG_RUNTIME_DIR/keyring}

# The daemon's foreground part returns before its forked part owns the bus name. Asking
# the Secret Service anything before that would D-Bus-activate a second, locked daemon,
# so wait for the name first.
name_owned () {
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
    grep -q true
}
deadline=$((SECONDS + keyring_timeout))
until name_owned; do
  if [[ $SECONDS -ge $deadline ]]; then
    echo "with-keyring: gnome-keyring-daemon never appeared on the session bus" >&2
    exit 1
  fi
  sleep 0.1
done

# Check that the default collection really is unlocked, so that a broken harness shows
# up here and not as a confusing failure (or hang) inside a test.
locked=$(timeout "$keyring_timeout" dbus-send --session --print-reply=literal \
           --dest=org.freedesktop.secrets /org/freedesktop/secrets/aliases/default \
           org.freedesktop.DBus.Properties.Get \
           string:org.freedesktop.Secret.Collection string:Locked 2>&1) || {
  echo "with-keyring: the Secret Service does not answer: $locked" >&2
  exit 1
}
if [[ $locked != *"boolean false"* ]]; then
  echo "with-keyring: the default keyring is still locked ($locked)." >&2
  echo "with-keyring: a keyring left in $XDG_DATA_HOME/keyrings with another password?" >&2
  exit 1
fi

# Tells tests that the keyring they reach is this private one (tests/integration).
export CW_KEYRING_HARNESS=1

# Not exec: the EXIT trap removes the temporary directories afterwards. The daemon ends
# with the bus.
status=0
"$@" || status=$?
exit "$status"
