#!/bin/sh
# check-appstream.sh - validate a MetaInfo file the way Flathub would
# Copyright 2026 Claire Workshop contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-appstream.sh FILE.metainfo.xml [FILE.desktop]
#
# Runs `appstreamcli validate --no-net --pedantic --explain` on the file and, when a desktop
# file is given, `appstreamcli validate-tree` on a scratch tree with both installed the way
# `meson install` puts them: only that finds a launchable without its desktop file, a file
# name that does not match the component id, or categories AppStream ignores.
#
# Fails when a validator
# fails, when it prints any error (E:) or warning (W:), or when it reports one of the checks
# Flathub escalates to an error although Debian's appstream 0.16 files them as info or
# pedantic (hence --pedantic: releases-info-missing and name-has-dot-suffix are pedantic
# there). The one tolerated report is `unknown-tag developer`: <developer> is AppStream 1.0,
# Flathub requires it, and appstream 0.16 does not know it yet.
#
# It also fails on what flatpak-builder-lint warns about and Flathub review rejects: a
# summary ending in a dot, a name over 20 or a summary over 35 characters.

set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 FILE.metainfo.xml [FILE.desktop]" >&2
  exit 2
fi

file=$1
desktop=${2:-}
flathub_errors='all-categories-ignored|category-invalid|cid-desktopapp-is-not-rdns'
flathub_errors="$flathub_errors|cid-has-number-prefix|content-rating-missing"
flathub_errors="$flathub_errors|desktop-app-launchable-omitted|desktop-file-not-found"
flathub_errors="$flathub_errors|invalid-child-tag-name|metainfo-filename-cid-mismatch"
flathub_errors="$flathub_errors|metainfo-legacy-path|name-has-dot-suffix|releases-info-missing"
flathub_errors="$flathub_errors|unknown-tag|summary-has-dot-suffix"
failed=0

# check_output NAME STATUS OUTPUT: judge one validator run.
check_output () {
  printf '%s\n' "$3"
  if [ "$2" -ne 0 ]; then
    echo "FAIL: appstreamcli $1 exited with $2" >&2
    failed=1
  fi

  # Report lines look like "W: com.claire.Workshop:12: tag-name detail", indented by
  # validate-tree; the explanations that --explain adds below them never match.
  bad=$(printf '%s\n' "$3" | grep -E '^ *[EW]: ')
  if [ -n "$bad" ]; then
    echo "FAIL: errors or warnings from appstreamcli $1:" >&2
    printf '%s\n' "$bad" >&2
    failed=1
  fi

  bad=$(printf '%s\n' "$3" \
          | grep -E "^ *[A-Z]: [^ ]+ ($flathub_errors)( |\$)" \
          | grep -vE '^ *[A-Z]: [^ ]+ unknown-tag developer$')
  if [ -n "$bad" ]; then
    echo "FAIL: checks that Flathub treats as errors, from appstreamcli $1:" >&2
    printf '%s\n' "$bad" >&2
    failed=1
  fi
}

output=$(appstreamcli validate --no-net --pedantic --explain "$file" 2>&1)
check_output validate $? "$output"

if [ -n "$desktop" ]; then
  tree=$(mktemp -d) || exit 1
  trap 'rm -rf "$tree"' EXIT
  mkdir -p "$tree/usr/share/metainfo" "$tree/usr/share/applications"
  cp "$file" "$tree/usr/share/metainfo/" && cp "$desktop" "$tree/usr/share/applications/" \
    || exit 1
  output=$(appstreamcli validate-tree --no-net --pedantic --explain "$tree/usr" 2>&1)
  check_output validate-tree $? "$output"
fi

# The untranslated name and summary are what the store shows on tiles and in lists.
lengths=$(python3 -c '
import sys
import xml.etree.ElementTree as ET

LANG = "{http://www.w3.org/XML/1998/namespace}lang"
root = ET.parse(sys.argv[1]).getroot()
for tag, limit in (("name", 20), ("summary", 35)):
    for element in root.findall(tag):
        text = (element.text or "").strip()
        if element.get(LANG) is None and len(text) > limit:
            print(f"{tag} has {len(text)} characters, at most {limit}: {text}")
' "$file" 2>&1)
if [ $? -ne 0 ] || [ -n "$lengths" ]; then
  echo "FAIL: too long for the store:" >&2
  printf '%s\n' "$lengths" >&2
  failed=1
fi

exit $failed
