#!/bin/bash
# build-aux/demo-connections.sh
# Copyright 2026 The Claire Workshop authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   demo-connections.sh SIM_INFO_FILE -- COMMAND…
#
# Run by build-aux/run inside the isolated profile's D-Bus session and keyring: points the
# demo connections and PON at the running simulator (whose first lines of output are in
# SIM_INFO_FILE) and puts their demo credentials and the demo PON account in the keyring,
# then runs COMMAND. The
# settings go to the profile's keyfile (GSETTINGS_BACKEND=keyfile) and the credentials to
# the profile's keyring, never anywhere else.

set -euo pipefail

info=$1
shift
[[ ${1:-} == -- ]] && shift

# "key=value" fields of the simulator's line for a service.
field () {
  local service=$1 key=$2
  sed -n "s/^$service .*\\b$key=\\([^ ]*\\).*/\\1/p" "$info"
}

connection () {
  local id=$1 key=$2 value=$3
  gsettings set "com.claire.Workshop.Connection:/com/claire/Workshop/connections/$id/" "$key" "$value"
}

connection demo-autoflex kind "'autoflex'"
connection demo-autoflex name "'Autoflex (demo)'"
connection demo-autoflex endpoint "'$(field autoflex endpoint)'"

connection demo-2drive kind "'2drive'"
connection demo-2drive name "'2Drive (demo)'"
connection demo-2drive endpoint "'$(field 2drive endpoint)'"
connection demo-2drive token-url "'$(field 2drive token-url)'"
connection demo-2drive audience "'$(field 2drive audience)'"
connection demo-2drive affiliate-id "'$(field 2drive affiliate-id)'"

# Incadea takes a higher mileage back: the demo has the dealer's writeback option on.
connection demo-incadea kind "'incadea'"
connection demo-incadea name "'Incadea (demo)'"
connection demo-incadea endpoint "'$(field incadea endpoint)'"
connection demo-incadea writeback true

# The demo connection for writeback (and realtime changes): writeback on.
connection demo-wincar kind "'wincar'"
connection demo-wincar name "'Wincar (demo)'"
connection demo-wincar endpoint "'$(field wincar endpoint)'"
connection demo-wincar writeback true
connection demo-wincar events true

gsettings set com.claire.Workshop connections "['demo-autoflex', 'demo-2drive', 'demo-incadea', 'demo-wincar']"

# PON (the OCW button on Volkswagen workorders) answers from the simulator too.
gsettings set com.claire.Workshop pon-endpoint "'$(field pon endpoint)'"

# The secret is read from standard input, never from the command line.
printf '{"api_key": "%s", "username": "%s", "password": "%s"}' \
    "$(field autoflex api_key)" "$(field autoflex username)" "$(field autoflex password)" |
  timeout 20 secret-tool store --label="Claire Workshop: Autoflex (demo) credentials" \
    xdg:schema com.claire.Workshop.DmsCredentials connection demo-autoflex
printf '{"client_id": "%s", "client_secret": "%s"}' \
    "$(field 2drive client_id)" "$(field 2drive client_secret)" |
  timeout 20 secret-tool store --label="Claire Workshop: 2Drive (demo) credentials" \
    xdg:schema com.claire.Workshop.DmsCredentials connection demo-2drive
printf '{"username": "%s", "password": "%s"}' \
    "$(field incadea username)" "$(field incadea password)" |
  timeout 20 secret-tool store --label="Claire Workshop: Incadea (demo) credentials" \
    xdg:schema com.claire.Workshop.DmsCredentials connection demo-incadea
printf '{"username": "%s", "password": "%s"}' \
    "$(field wincar username)" "$(field wincar password)" |
  timeout 20 secret-tool store --label="Claire Workshop: Wincar (demo) credentials" \
    xdg:schema com.claire.Workshop.DmsCredentials connection demo-wincar
# The demo PON account: the user name is an attribute, the password the secret (stdin).
printf '%s' "$(field pon password)" |
  timeout 20 secret-tool store --label="Claire Workshop: PON account" \
    xdg:schema com.claire.Workshop.PonAccount account pon username "$(field pon username)"

exec "$@"
