/* fuzz-wincar.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "cw-connector.h"
#include "cw-wincar-mapping.h"

/*
 * The Wincar mapping under libFuzzer (and fuzz-replay.c). Every input is read both ways:
 * as an answer of a search or a fetch (cw_wincar_map_workorder_data) and as one message of
 * the change stream (cw_wincar_map_event_data), as the files in corpus/wincar/ are. Beyond
 * "does not crash and frees everything", the target checks what the mapping promises: a
 * workorder or an error of the connector's domain, never both or neither, with Wincar's id
 * as its DMS key; and an event that either carries a workorder (with the event's key) or
 * says why not, a lost-changes event carrying neither.
 */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Quiet below critical; a critical or an error is a bug that the input found. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

static void
check_workorder (CwWorkorder *workorder)
{
  const char *key = cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY);
  g_autofree char *digest = cw_workorder_dup_dms_digest (workorder);

  if (key == NULL || *key == '\0' || !g_utf8_validate (key, -1, NULL) ||
      g_strcmp0 (key, cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER)) != 0 ||
      g_strcmp0 (cw_workorder_get_field (workorder, CW_WORKORDER_CONNECTION_ID), "fuzz") != 0 ||
      digest == NULL)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialised;
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(CwDmsEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  if (!initialised)
    {
      g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
      initialised = TRUE;
    }

  workorder = cw_wincar_map_workorder_data ((const char *) data, size, "fuzz", &error);
  if ((workorder == NULL) == (error == NULL) || (error != NULL && error->domain != CW_DMS_ERROR))
    abort ();
  if (workorder != NULL)
    check_workorder (workorder);
  g_clear_error (&error);

  event = cw_wincar_map_event_data ((const char *) data, size, "fuzz", &error);
  if ((event == NULL) == (error == NULL))
    abort ();
  if (event == NULL)
    {
      if (!g_error_matches (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED))
        abort ();
      return 0;
    }

  if (event->seq < 0 || (event->error != NULL && event->error->domain != CW_DMS_ERROR))
    abort ();

  if (g_error_matches (event->error, CW_DMS_ERROR, CW_DMS_ERROR_EVENTS_LOST))
    {
      if (event->dms_key != NULL || event->workorder != NULL)
        abort ();
      return 0;
    }

  if (event->seq < 1 || (event->workorder == NULL) == (event->error == NULL))
    abort ();
  if (event->workorder != NULL)
    {
      check_workorder (event->workorder);
      if (g_strcmp0 (event->dms_key, cw_workorder_get_field (event->workorder, CW_WORKORDER_DMS_KEY)) != 0)
        abort ();
    }

  return 0;
}
