#!/bin/bash
# tests/fuzz/run-fuzzer.sh
# Copyright 2026 The Claire Workshop authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   run-fuzzer.sh FUZZER SEED_CORPUS REGRESSIONS SECONDS
#
# Runs a libFuzzer target for SECONDS on a copy of its seed corpus. An input that crashes
# it is copied into REGRESSIONS (in the source tree), where the replay test of every build
# keeps trying it: commit it with the fix. Fails when it found a crash.

set -euo pipefail

fuzzer=$1 corpus=$2 regressions=$3 seconds=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/cw-fuzz.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts" "$regressions"
cp -- "$corpus"/* "$work/corpus/" 2>/dev/null || true

status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" || status=$?

found=0
for artifact in "$work"/artifacts/*; do
  [[ -e $artifact ]] || continue
  cp -- "$artifact" "$regressions/$(basename "$fuzzer")-$(basename "$artifact")"
  echo "run-fuzzer: kept $(basename "$artifact") in $regressions: commit it with the fix" >&2
  found=1
done

if [[ $status -ne 0 || $found -ne 0 ]]; then
  exit 1
fi
