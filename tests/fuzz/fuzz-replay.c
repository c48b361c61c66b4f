/* fuzz-replay.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Runs a fuzz target's LLVMFuzzerTestOneInput over every file of the given folders: the
 * seed corpus and the crash inputs kept as regressions. Built with any compiler, it makes
 * each target a normal test of every build (and of the sanitizer build), so an input that
 * once crashed a mapping keeps being tried for ever.
 *
 *   fuzz-replay-NAME FOLDER…
 */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static guint
replay_folder (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_autofree char *data = NULL;
      gsize size = 0;
      g_autoptr(GError) error = NULL;

      if (name[0] == '.' || !g_file_test (file, G_FILE_TEST_IS_REGULAR))
        continue;

      if (!g_file_get_contents (file, &data, &size, &error))
        {
          fprintf (stderr, "fuzz-replay: %s\n", error->message);
          continue;
        }

      printf ("# %s (%" G_GSIZE_FORMAT " bytes)\n", file, size);
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const uint8_t *) data, size);
      n++;
    }

  return n;
}

int
main (int   argc,
      char *argv[])
{
  guint total = 0;

  for (int i = 1; i < argc; i++)
    total += replay_folder (argv[i]);

  printf ("1..1\nok 1 - %u inputs replayed\n", total);

  return total > 0 ? 0 : 1;
}
