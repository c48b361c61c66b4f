/* outbox-drainer-child.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cw-import-service.h"
#include "cw-outbox-drainer.h"
#include "cw-store.h"

/*
 * The victim of test-outbox's kill test: the app's writeback machinery alone, as the app
 * runs it (the store, the import service, the drainer), draining a store's outbox into a
 * DMS until nothing is left to send, then exiting 0. The test kills it with SIGKILL at
 * random moments and starts it again.
 *
 *   outbox-drainer-child DB_PATH CONNECTION_ID KIND [PROPERTY=VALUE …]
 *
 * The connection's credentials are in the keyring the test's environment points at.
 */

static gboolean
outbox_is_empty (CwStore *store)
{
  g_autoptr(GPtrArray) heads = cw_store_list_outbox_heads (store, NULL);

  return heads != NULL && heads->len == 0;
}

static void
on_idle (CwOutboxDrainer *drainer,
         GMainLoop       *loop)
{
  /* Idle with entries left means they wait for a retry: keep running until they went. */
  if (outbox_is_empty (g_object_get_data (G_OBJECT (drainer), "store")))
    g_main_loop_quit (loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CwStore) store = NULL;
  g_autoptr(CwConnection) connection = NULL;
  g_autoptr(GListStore) connections = NULL;
  g_autoptr(CwImportService) service = NULL;
  g_autoptr(CwOutboxDrainer) drainer = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;

  if (argc < 4)
    {
      fprintf (stderr, "usage: %s DB_PATH CONNECTION_ID KIND [PROPERTY=VALUE …]\n", argv[0]);
      return 2;
    }

  store = cw_store_open (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "outbox-drainer-child: %s\n", error->message);
      return 1;
    }

  connection = cw_connection_new (argv[2], argv[3]);
  for (int i = 4; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);
      GParamSpec *pspec;

      if (pair[1] == NULL ||
          !(pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (connection), pair[0])))
        {
          fprintf (stderr, "outbox-drainer-child: cannot set %s\n", argv[i]);
          return 2;
        }
      if (pspec->value_type == G_TYPE_BOOLEAN)
        g_object_set (connection, pair[0], g_str_equal (pair[1], "true"), NULL);
      else
        g_object_set (connection, pair[0], pair[1], NULL);
    }

  connections = g_list_store_new (CW_TYPE_CONNECTION);
  g_list_store_append (connections, connection);
  service = cw_import_service_new (store, G_LIST_MODEL (connections));
  drainer = cw_outbox_drainer_new (service, NULL);
  cw_outbox_drainer_set_max_delays (drainer, 1, 1);

  loop = g_main_loop_new (NULL, FALSE);
  g_object_set_data (G_OBJECT (drainer), "store", store);
  g_signal_connect (drainer, "idle", G_CALLBACK (on_idle), loop);
  cw_outbox_drainer_start (drainer);
  if (!outbox_is_empty (store))
    g_main_loop_run (loop);

  cw_outbox_drainer_stop (drainer);
  printf ("drained\n");

  return 0;
}
