/* store-writer.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cw-store.h"
#include "cw-test-fixtures.h"

/*
 * The victim of test-store-crash: writes batches of workorders to a store for ever,
 * printing "begin N" before each transaction and "committed N" after it, until it is
 * killed.
 *
 *   store-writer PATH ROUND BATCH_SIZE
 */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  guint round, batch_size;
  GDate day;

  if (argc != 4)
    {
      fprintf (stderr, "usage: %s PATH ROUND BATCH_SIZE\n", argv[0]);
      return 2;
    }

  round = (guint) strtoul (argv[2], NULL, 10);
  batch_size = (guint) strtoul (argv[3], NULL, 10);
  rand = g_rand_new_with_seed (round);
  cw_test_date_today (&day);

  store = cw_store_open (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  for (guint batch = 0;; batch++)
    {
      g_autoptr(GPtrArray) workorders = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < batch_size; i++)
        g_ptr_array_add (workorders,
                         cw_test_workorder_generate (rand, round * 1000000 + batch * batch_size + i, &day));

      printf ("begin %u\n", batch + 1);
      fflush (stdout);

      if (!cw_store_import_workorders (store, workorders, CW_IMPORT_FLAGS_NONE, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }

      printf ("committed %u\n", batch + 1);
      fflush (stdout);
    }
}
