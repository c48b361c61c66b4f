/* cw-keyring-harness.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cw-keyring-harness.h"

/**
 * cw_keyring_harness_require:
 *
 * Whether this test may use the keyring: only the private, unlocked gnome-keyring that
 * build-aux/with-keyring.sh starts (it sets CW_KEYRING_HARNESS=1), never whatever keyring
 * happens to be reachable, which could be the developer's own. Outside the harness the
 * test fails when CI=true (CI must never silently lose these tests) and is skipped
 * otherwise.
 *
 * Returns: %TRUE if the keyring may be used
 */
gboolean
cw_keyring_harness_require (void)
{
  if (g_strcmp0 (g_getenv ("CW_KEYRING_HARNESS"), "1") == 0)
    return TRUE;

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    {
      g_test_fail_printf ("No private keyring: CI=true but this test was not started by "
                          "build-aux/with-keyring.sh; run the suite with build-aux/test");
      return FALSE;
    }

  g_test_skip ("Needs the private, unlocked gnome-keyring of the test harness; "
               "run it through build-aux/test");
  return FALSE;
}
