#!/usr/bin/env python3
# build-aux/test-summary.py
# Copyright 2026 The Claire Workshop authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Adds up the results of one or more `meson test` runs from their meson-logs/testlog.json
# and prints them; build-aux/test turns the totals into its closing line.
#
#   test-summary.py LABEL=BUILDDIR/meson-logs/testlog.json …
#
# Prints, per run, the tests that did not pass, then the skipped tests, then a last line
# "PASSED FAILED SKIPPED" (three integers) for the caller to read.

import json
import re
import sys

PASSED = {'OK', 'EXPECTEDFAIL'}
SKIPPED = {'SKIP'}
FAILED = {'FAIL', 'ERROR', 'TIMEOUT', 'UNEXPECTEDPASS', 'INTERRUPT'}

TAP_OK = re.compile(r'^ok\b(?!.*#\s*SKIP)', re.MULTILINE | re.IGNORECASE)
TAP_SKIP = re.compile(r'^ok\b.*#\s*SKIP', re.MULTILINE | re.IGNORECASE)
TAP_NOT_OK = re.compile(r'^not ok\b', re.MULTILINE)


def main(argv):
    passed = failed = skipped = 0
    sub_ok = sub_skip = sub_not_ok = 0
    skipped_names = []

    for arg in argv[1:]:
        label, _, path = arg.partition('=')
        try:
            with open(path, encoding='utf-8') as f:
                lines = [line for line in f if line.strip()]
        except OSError as e:
            print(f'{label}: no test log ({e.strerror}); counted as 1 failed')
            failed += 1
            continue

        for line in lines:
            entry = json.loads(line)
            name = entry.get('name', '?')
            result = entry.get('result', '?')
            stdout = entry.get('stdout') or ''
            sub_ok += len(TAP_OK.findall(stdout))
            sub_skip += len(TAP_SKIP.findall(stdout))
            sub_not_ok += len(TAP_NOT_OK.findall(stdout))
            if result in PASSED:
                passed += 1
            elif result in SKIPPED:
                skipped += 1
                skipped_names.append(f'{label}:{name}')
            else:
                # Anything unknown is a failure: a summary must never hide a result.
                failed += 1
                print(f'{label}: {result}: {name}')

    if skipped_names:
        print(f'{skipped} skipped: ' + ', '.join(skipped_names))
    print(f'(GTest cases inside them: {sub_ok} ok, {sub_skip} skipped, {sub_not_ok} not ok)')
    print(f'{passed} {failed} {skipped}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
