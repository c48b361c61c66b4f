/* fuzz-incadea.c
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
#include "cw-incadea-mapping.h"

/*
 * The Incadea mapping under libFuzzer (and fuzz-replay.c). An input is an answer of Incadea
 * as the files in corpus/incadea/ are: a page of `GET workorders` or one workorder of `GET
 * workorders/{id}`. Each input goes through both entry points. Beyond "does not crash and
 * frees everything", the target checks what the mapping promises: workorders or an error of
 * the connector's domain, never both or neither; every workorder has its `id` as DMS key
 * and DMS number; every problem of a page carries an error of the connector's domain.
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
  const char *text = (const char *) data;
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GError) page_error = NULL;
  g_autoptr(GError) order_error = NULL;
  gint64 next_page = -1;

  if (!initialised)
    {
      g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
      initialised = TRUE;
    }

  workorders = cw_incadea_map_page_data (text, size, "fuzz", &next_page, &problems, &page_error);
  if ((workorders == NULL) == (page_error == NULL) || (workorders == NULL) != (problems == NULL))
    abort ();
  if (page_error != NULL && page_error->domain != CW_DMS_ERROR)
    abort ();
  if (next_page < 0 || (workorders == NULL && next_page != 0))
    abort ();

  for (guint i = 0; workorders != NULL && i < workorders->len; i++)
    check_workorder (g_ptr_array_index (workorders, i));

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CwDmsProblem *problem = g_ptr_array_index (problems, i);

      if (problem->error == NULL || problem->error->domain != CW_DMS_ERROR ||
          !g_utf8_validate (problem->error->message, -1, NULL))
        abort ();
    }

  workorder = cw_incadea_map_order_data (text, size, "fuzz", &order_error);
  if ((workorder == NULL) == (order_error == NULL))
    abort ();
  if (order_error != NULL && order_error->domain != CW_DMS_ERROR)
    abort ();
  if (workorder != NULL)
    check_workorder (workorder);

  return 0;
}
